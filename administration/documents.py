"""合法性审查意见书 (.docx, 公文 style)."""

from __future__ import annotations

from core.documents import GongwenDocument

from .models import ReviewItem


def opinion_letter(item: ReviewItem, issuer: str) -> bytes:
    doc = GongwenDocument("合法性审查意见书", number=item.opinion_number, recipient=item.submitting_unit.name)
    doc.paragraph(
        f"你单位于{item.submitted_on.year}年{item.submitted_on.month}月{item.submitted_on.day}日送审的"
        f"{item.get_kind_display()}《{item.title}》收悉。经审查，提出如下意见："
    )
    doc.heading(1, "审查结论")
    doc.paragraph(f"{item.get_conclusion_display()}。")
    issues = list(item.issues.all())
    if issues:
        doc.heading(1, "发现的问题和修改建议")
        for issue in issues:
            doc.heading(2, issue.get_aspect_display())
            doc.paragraph(f"问题：{issue.finding}")
            doc.paragraph(f"建议：{issue.suggestion}")
    doc.heading(1, "其他")
    doc.paragraph("请对上述建议逐条反馈采纳情况；未采纳的，请说明理由。")
    doc.signature(issuer, item.opinion_on or item.submitted_on)
    return doc.to_bytes()
