"""Letters of the disclosure domain (.docx, 公文 style): the answer (《政府信息公开条例》第36条), the notice to
correct an application (第30条) and the notice of an extended time limit (第33条)."""

from __future__ import annotations

import datetime as dt

from core.documents import GongwenDocument, chinese_date, remedy_bodies

from .choices import AnswerType, ApplicantKind
from .models import DisclosureRequest

REGULATION = "《中华人民共和国政府信息公开条例》"
BASIS = {
    AnswerType.ALREADY_PUBLIC: f"根据{REGULATION}第三十六条第（一）项",
    AnswerType.DISCLOSED: f"根据{REGULATION}第三十六条第（二）项",
    AnswerType.PARTLY: f"根据{REGULATION}第三十七条",
    AnswerType.NOT_DISCLOSED: f"根据{REGULATION}第三十六条第（三）项",
    AnswerType.NOT_EXIST: f"根据{REGULATION}第三十六条第（四）项",
    AnswerType.NOT_OURS: f"根据{REGULATION}第三十六条第（五）项",
    AnswerType.REPEAT: f"根据{REGULATION}第三十六条第（六）项",
    AnswerType.SPECIAL_LAW: f"根据{REGULATION}第三十六条第（七）项",
    AnswerType.NOT_A_REQUEST: f"根据{REGULATION}第三十九条",
}


def _you(req: DisclosureRequest) -> str:
    return "贵单位" if req.applicant_kind == ApplicantKind.ORGANISATION else "您"


def _clause(text: str) -> str:
    """Typed text as a clause inside a sentence: no closing full stop of its own (no "。。")."""
    return text.strip().rstrip("。；;.，, ")


def remedies(req: DisclosureRequest) -> str:
    """The remedies and the bodies that hear them: a street office is the district government's agency, so its
    acts are reviewed by the district government (《行政复议法》第24条) and heard by the district's court
    (《行政诉讼法》第18条)."""
    body, court = remedy_bodies(req.region)
    return (
        f"{_you(req)}如对本答复不服，可以自收到本答复之日起六十日内向{body}申请行政复议，"
        f"或者自收到本答复之日起六个月内向{court}提起行政诉讼。"
    )


def answer_letter(req: DisclosureRequest, issuer: str) -> bytes:
    doc = GongwenDocument("政府信息公开申请答复书", number=req.letter_number, recipient=req.applicant_name)
    doc.paragraph(
        f"本机关于{chinese_date(req.received_on)}收到{_you(req)}提出的政府信息公开申请（申请编号：{req.number}），"
        f"申请获取：{_clause(req.content)}。"
    )
    detail = req.answer_detail.strip()
    for lead in ("经审查，", "经审查,", "经审查"):
        if detail.startswith(lead):
            detail = detail[len(lead) :]
            break
    doc.paragraph(f"经审查，{BASIS[AnswerType(req.answer_type)]}，答复如下：")
    doc.text(detail)
    doc.paragraph(remedies(req))
    doc.signature(issuer, req.answered_on or req.received_on)
    return doc.to_bytes()


def correction_notice(req: DisclosureRequest, issuer: str, sent_on: dt.date) -> bytes:
    """补正告知书: what to complete, by when, and what happens otherwise (第30条)."""
    doc = GongwenDocument("政府信息公开申请补正告知书", recipient=req.applicant_name)
    doc.paragraph(
        f"本机关于{chinese_date(req.received_on)}收到{_you(req)}提出的政府信息公开申请（申请编号：{req.number}）。"
        f"经审查，{_you(req)}的申请内容不明确，根据{REGULATION}第三十条的规定，请{_you(req)}对下列内容作出补正："
    )
    doc.text(req.correction_items)
    deadline = chinese_date(req.correction_deadline) if req.correction_deadline else "合理期限内"
    doc.paragraph(
        f"请于{deadline}前提交补正后的申请。答复期限自本机关收到补正后的申请之日起计算。"
        f"{_you(req)}无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"
    )
    doc.signature(issuer, sent_on)
    return doc.to_bytes()


def extension_notice(
    req: DisclosureRequest, issuer: str, days: int, notified_on: dt.date, due: dt.date
) -> bytes:
    """延期答复告知书: the extension, its approval and the new last day (第33条第2款)."""
    doc = GongwenDocument("政府信息公开申请延期答复告知书", recipient=req.applicant_name)
    doc.paragraph(
        f"本机关于{chinese_date(req.received_on)}收到{_you(req)}提出的政府信息公开申请（申请编号：{req.number}）。"
        f"因需要延长答复期限，经政府信息公开工作机构负责人同意，根据{REGULATION}第三十三条第二款的规定，"
        f"答复期限延长{days}个工作日，本机关将于{chinese_date(due)}前作出答复。"
    )
    doc.paragraph("特此告知。")
    doc.signature(issuer, notified_on)
    return doc.to_bytes()
