"""政府信息公开申请答复书 (.docx, 公文 style) from the recorded answer."""

from __future__ import annotations

from core.documents import GongwenDocument, chinese_date

from .choices import AnswerType
from .models import DisclosureRequest

BASIS = {
    AnswerType.ALREADY_PUBLIC: "根据《中华人民共和国政府信息公开条例》第三十六条第（一）项",
    AnswerType.DISCLOSED: "根据《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    AnswerType.PARTLY: "根据《中华人民共和国政府信息公开条例》第三十七条",
    AnswerType.NOT_DISCLOSED: "根据《中华人民共和国政府信息公开条例》第三十六条第（三）项",
    AnswerType.NOT_EXIST: "根据《中华人民共和国政府信息公开条例》第三十六条第（四）项",
    AnswerType.NOT_OURS: "根据《中华人民共和国政府信息公开条例》第三十六条第（五）项",
    AnswerType.REPEAT: "根据《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    AnswerType.SPECIAL_LAW: "根据《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    AnswerType.NOT_A_REQUEST: "根据《中华人民共和国政府信息公开条例》第三十九条",
}


def answer_letter(req: DisclosureRequest, issuer: str) -> bytes:
    doc = GongwenDocument("政府信息公开申请答复书", number=req.letter_number, recipient=req.applicant_name)
    doc.paragraph(
        f"本机关于{chinese_date(req.received_on)}收到您（单位）提出的政府信息公开申请（申请编号：{req.number}），"
        f"申请获取：{req.content}。"
    )
    doc.paragraph(f"经审查，{BASIS[AnswerType(req.answer_type)]}，答复如下：{req.answer_detail}")
    doc.paragraph(
        "如对本答复不服，可以在收到本答复之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
    )
    doc.signature(issuer, req.answered_on or req.received_on)
    return doc.to_bytes()
