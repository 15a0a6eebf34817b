"""The petition's written documents as .docx in the official style (core.documents.GongwenDocument): the notice of
the acceptance decision (受理告知书, 不予受理告知书 or 转送告知书, 《信访工作条例》第22-23条、第31条) and the written
opinion (信访事项处理意见书, 第32条), with the petitioner's rights to 复查 and 复核 (第35-36条)."""

from __future__ import annotations

from core.documents import GongwenDocument, chinese_date

from .choices import PetitionState
from .models import Petition

REGULATION = "《信访工作条例》"


def _issuer(p: Petition) -> str:
    street = p.region.ancestor_at("street") or p.region
    return f"{street.name}办事处"


def acceptance_notice(p: Petition) -> bytes:
    if p.state == PetitionState.NOT_ACCEPTED:
        title, day = "信访事项不予受理告知书", p.decided_on
    elif p.state == PetitionState.TRANSFERRED:
        title, day = "信访事项转送告知书", p.decided_on
    else:
        title, day = "信访事项受理告知书", p.accepted_on
    doc = GongwenDocument(title, number=f"{p.number}-告", recipient=p.petitioner)
    received = (
        f"本机关于{chinese_date(p.received_on)}收到你（们）反映的{p.category}的信访事项（{p.number}）。"
    )
    if p.state == PetitionState.NOT_ACCEPTED:
        doc.paragraph(
            received
            + f"经审查，{p.decision_reason.rstrip('。')}，根据{REGULATION}第三十一条的规定，本机关不予受理。"
        )
    elif p.state == PetitionState.TRANSFERRED:
        doc.paragraph(
            received + f"经审查，该事项属于{p.transferred_to}的职责范围，根据{REGULATION}第二十二条的规定，"
            f"本机关已转送{p.transferred_to}处理。{p.decision_reason}"
        )
    else:
        doc.paragraph(
            received
            + f"根据{REGULATION}第二十二条、第三十四条的规定，本机关决定受理，并将自受理之日起六十日内办结；"
            "情况复杂的，经批准可以适当延长办理期限，但延长期限不超过三十日，并告知你（们）延期理由。"
        )
    assert day is not None
    doc.signature(_issuer(p), day)
    return doc.to_bytes()


def opinion_letter(p: Petition) -> bytes:
    doc = GongwenDocument("信访事项处理意见书", number=f"{p.number}-意", recipient=p.petitioner)
    assert p.accepted_on is not None and p.opinion_on is not None
    doc.paragraph(
        f"你（们）于{chinese_date(p.received_on)}反映的{p.category}的信访事项（{p.number}），本机关于"
        f"{chinese_date(p.accepted_on)}受理。经调查核实，现答复如下："
    )
    doc.text(p.opinion_text)
    doc.paragraph(f"处理意见：{p.get_opinion_display()}（{REGULATION}第三十二条）。")
    doc.paragraph(
        f"如对本处理意见不服，可以自收到本意见书之日起三十日内请求本机关的上一级行政机关复查（{REGULATION}第三十五条）。"
    )
    doc.signature(_issuer(p), p.opinion_on)
    return doc.to_bytes()


DOCUMENTS = {
    # kind: (title, builder, available when)
    "notice": ("受理情况告知书", acceptance_notice, lambda p: bool(p.accepted_on or p.decided_on)),
    "opinion": ("信访事项处理意见书", opinion_letter, lambda p: bool(p.opinion_on)),
}
