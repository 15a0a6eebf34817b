"""The reply pack (答复、答辩材料): within the reply or defence time limit the street sends its written reply (or
defence) with the evidence and the basis of the challenged act. The pack is one .zip of .docx: the reply or defence
to fill in with the case's particulars, the evidence index, and the challenged act's own documents (an enforcement
decision with its case file index; a disclosure answer letter)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from core.documents import BLANK, GongwenDocument, chinese_date

from .choices import Kind
from .models import RespondentCase


def _issuer(case: RespondentCase) -> str:
    return f"{case.region.name}办事处"


def reply(case: RespondentCase) -> bytes:
    reconsideration = case.kind == Kind.RECONSIDERATION
    title = "行政复议答复书" if reconsideration else "行政诉讼答辩状"
    doc = GongwenDocument(title, number=case.body_ref, recipient=case.body)
    role = "申请人" if reconsideration else "原告"
    doc.table(
        ["项目", "内容"],
        [
            ["答复人" if reconsideration else "答辩人", _issuer(case)],
            ["法定代表人（负责人）", BLANK],
            [role, case.applicant],
            ["被申请（被诉）行为", case.act],
        ],
    )
    doc.paragraph(
        f"{role}{case.applicant}不服本机关{case.act}，于{chinese_date(case.filed_on)}"
        f"{'提出行政复议申请' if reconsideration else '提起行政诉讼'}。本机关于{chinese_date(case.received_on)}收到"
        f"{'申请书' if reconsideration else '起诉状'}副本，现{'答复' if reconsideration else '答辩'}如下："
    )
    doc.heading(1, "被申请（被诉）行为认定的事实和证据")
    doc.paragraph(BLANK * 4)
    doc.heading(1, "作出该行为的法律依据和程序")
    doc.paragraph(BLANK * 4)
    doc.heading(1, f"对{role}请求和理由的意见")
    doc.paragraph(BLANK * 4)
    doc.paragraph(
        "综上，被申请（被诉）行为认定事实清楚、证据确凿、适用依据正确、程序合法、内容适当，请依法"
        + ("维持。" if reconsideration else "驳回原告的诉讼请求。")
    )
    doc.paragraph("附：证据目录")
    doc.signature(_issuer(case), case.replied_on or case.received_on)
    return doc.to_bytes()


def evidence_index(case: RespondentCase) -> bytes:
    """证据目录: the challenged act's file as it is bound (an enforcement case's documents and evidence), or the
    disclosure request's steps; the page column left for binding."""
    rows: list[tuple[str, str, Any]] = []
    if case.enforcement_case is not None:
        from enforcement.documents import file_contents

        rows = file_contents(case.enforcement_case)
    elif (req := case.disclosure_request) is not None:
        rows = [("政府信息公开申请", req.number, req.received_on)]
        if req.answered_on:
            rows.append(("政府信息公开申请答复书", req.letter_number, req.answered_on))
    doc = GongwenDocument("证据目录", number=case.number)
    doc.table(
        ["序号", "证据名称", "文号或编号", "日期", "证明对象", "页号"],
        [
            [str(i), title, number or "", chinese_date(day), "", ""]
            for i, (title, number, day) in enumerate(rows, 1)
        ]
        or [["1", BLANK, "", "", "", ""]],
    )
    return doc.to_bytes()


def pack(case: RespondentCase, ident: str = "") -> bytes:
    buf = io.BytesIO()
    reconsideration = case.kind == Kind.RECONSIDERATION
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"01-{'行政复议答复书' if reconsideration else '行政诉讼答辩状'}.docx", reply(case))
        z.writestr("02-证据目录.docx", evidence_index(case))
        ecase, req = case.enforcement_case, case.disclosure_request
        if ecase is not None:
            from enforcement.documents import DOCUMENTS, title_of

            n = 3
            for kind in ("filing", "notice", "decision", "service", "index"):
                _title, build, available = DOCUMENTS[kind]
                if available(ecase):
                    z.writestr(f"{n:02d}-{title_of(kind, ecase)}.docx", build(ecase, ident))
                    n += 1
        elif req is not None and req.answered_on:
            from disclosure.documents import answer_letter

            z.writestr("03-政府信息公开申请答复书.docx", answer_letter(req, _issuer(case)))
    return buf.getvalue()
