"""The 执法文书 of a case as .docx in the official style (core.documents.GongwenDocument), each filled from the case's
own record: 立案审批表, 行政处罚事先告知书 (第44条、第63-64条), 行政处罚决定书 (第59条), 不予行政处罚决定书 (第33条),
送达回证 (第61条), 结案审批表, and the case file's cover (卷宗封面) and index (卷内文件目录). A particular not
recorded is left blank for handwriting."""

from __future__ import annotations

from typing import Any

from core.audit.timeline import timeline_of
from core.documents import BLANK, GongwenDocument, chinese_date, remedy_bodies

from .choices import Outcome, PartyKind, Procedure
from .models import EnforcementCase

LAW = "《中华人民共和国行政处罚法》"


def _issuer(case: EnforcementCase) -> str:
    street = case.region.ancestor_at("street") or case.region
    return f"{street.name}办事处"


def _you(case: EnforcementCase) -> str:
    return "你单位" if case.party_kind == PartyKind.ORGANISATION else "你"


def _party_rows(case: EnforcementCase, ident: str) -> list[list[str]]:
    """The party's particulars; ``ident`` is the ID number as the reader may see it (in clear only for whoever may
    reveal it, and then logged), or the credit code of an organisation."""
    if case.party_kind == PartyKind.ORGANISATION:
        ident = case.party_uscc
    return [
        ["当事人", case.party_name],
        ["类别", case.get_party_kind_display()],
        ["证件号码" if case.party_kind == PartyKind.PERSON else "统一社会信用代码", ident or BLANK],
        ["地址", case.party_address or BLANK],
    ]


def _officers(case: EnforcementCase) -> str:
    return "、".join(
        f"{p.name}（执法证号{c.number}）" if (c := p.certificates.order_by("-valid_to").first()) else p.name
        for p in case.officers.all()
    )


def _step_data(case: EnforcementCase, action: str) -> dict[str, Any]:
    event = timeline_of(case).filter(kind="transition", action=action).order_by("-seq").first()
    return dict(event.data) if event is not None else {}


def _remedies(case: EnforcementCase) -> str:
    body, court = remedy_bodies(case.region)
    return (
        f"当事人如不服本决定，可以在收到本决定书之日起六十日内向{body}申请行政复议，"
        f"或者在六个月内向{court}提起行政诉讼。"
    )


def filing_form(case: EnforcementCase, ident: str = "") -> bytes:
    """立案审批表."""
    doc = GongwenDocument("立案审批表", number=case.number)
    doc.table(
        ["项目", "内容"],
        [
            ["案件来源", f"{case.get_source_display()}{f'（{case.source_ref}）' if case.source_ref else ''}"],
            ["执法事项", f"{case.item.code} {case.item.name}"],
            *_party_rows(case, ident),
            ["违法行为发生日期", chinese_date(case.offence_on)],
            ["违法事实", case.facts],
            ["法律依据", case.item.basis],
            ["适用程序", case.get_procedure_display()],
            ["承办执法人员", _officers(case)],
            ["立案日期", chinese_date(case.filed_on)],
            ["负责人审批意见", BLANK],
        ],
    )
    return doc.to_bytes()


def inspection_record(case: EnforcementCase, ident: str = "") -> bytes:
    """现场检查笔录, for filling in at the scene: the case's particulars printed, the rest left for handwriting."""
    doc = GongwenDocument("现场检查（勘验）笔录", number=case.number)
    doc.table(
        ["项目", "内容"],
        [
            ["检查时间", f"{BLANK}年{BLANK}月{BLANK}日{BLANK}时{BLANK}分至{BLANK}时{BLANK}分"],
            ["检查地点", BLANK],
            *_party_rows(case, ident),
            ["执法人员", _officers(case)],
            ["记录人", BLANK],
        ],
    )
    doc.paragraph(
        f"执法人员已向当事人出示执法证件，告知当事人依法享有的权利和义务，当事人对执法人员的身份无异议（{LAW}第五十五条）。"
    )
    doc.paragraph("现场检查情况：")
    doc.paragraph(BLANK * 4)
    doc.paragraph(f"当事人签名：{BLANK}　　执法人员签名：{BLANK}　　见证人签名：{BLANK}")
    return doc.to_bytes()


def questioning_record(case: EnforcementCase, ident: str = "") -> bytes:
    """询问笔录, for filling in at the questioning."""
    doc = GongwenDocument("询问笔录", number=case.number)
    doc.table(
        ["项目", "内容"],
        [
            ["询问时间", f"{BLANK}年{BLANK}月{BLANK}日{BLANK}时{BLANK}分至{BLANK}时{BLANK}分"],
            ["询问地点", BLANK],
            ["被询问人", BLANK],
            *_party_rows(case, ident),
            ["询问人", _officers(case)],
            ["记录人", BLANK],
        ],
    )
    doc.paragraph(
        "问：我们是本机关的执法人员，这是我们的执法证件（出示）。我们依法就有关问题进行调查，请你如实回答。"
        "你有申请回避的权利，如认为调查人员与本案有利害关系，可以申请回避。你听清楚了吗？"
    )
    doc.paragraph(f"答：{BLANK}")
    doc.paragraph(f"问：{BLANK}")
    doc.paragraph(f"答：{BLANK}")
    doc.paragraph(f"被询问人：以上笔录我已看过，与我所说的一致。签名：{BLANK}　　询问人签名：{BLANK}")
    return doc.to_bytes()


def advance_notice(case: EnforcementCase, ident: str = "") -> bytes:
    """行政处罚事先告知书: the facts, reasons, basis and intended penalty, and the party's rights."""
    data, you = _step_data(case, "notify"), _you(case)
    doc = GongwenDocument("行政处罚事先告知书", number=f"{case.number}-告", recipient=case.party_name)
    doc.paragraph(f"经查，{case.facts.strip().rstrip('。')}。")
    doc.paragraph(f"上述行为违反了{case.item.basis}的规定。本机关拟作出如下行政处罚：")
    doc.text(str(data.get("proposed") or BLANK))
    doc.paragraph(
        f"根据{LAW}第四十四条、第四十五条的规定，{you}有权进行陈述和申辩。"
        "如有陈述、申辩意见，请于收到本告知书之日起五个工作日内向本机关提出；逾期未提出的，视为放弃此权利。"
    )
    if data.get("hearing_right") == "yes":
        doc.paragraph(
            f"根据{LAW}第六十三条、第六十四条的规定，{you}有权要求听证。如要求听证，请于收到本告知书之日起"
            f"五个工作日内提出；本机关将在举行听证的七日前通知{you}听证的时间、地点。"
        )
    doc.signature(_issuer(case), case.notified_on or case.filed_on)
    return doc.to_bytes()


def hearing_notice(case: EnforcementCase, ident: str = "") -> bytes:
    """听证通知书 (第64条): the time and place, the presider, the party's rights, sent seven days before."""
    you = _you(case)
    doc = GongwenDocument("行政处罚听证通知书", number=f"{case.number}-听", recipient=case.party_name)
    requested = chinese_date(case.hearing_requested_on) if case.hearing_requested_on else BLANK
    when = chinese_date(case.hearing_on) if case.hearing_on else BLANK
    presider = case.hearing_presider.name if case.hearing_presider else BLANK
    doc.paragraph(
        f"{you}于{requested}提出的听证申请，本机关已收到。根据{LAW}第六十四条的规定，定于{when}举行听证，"
        f"听证地点：{BLANK}。听证由{presider}主持（非本案调查人员）。"
    )
    doc.paragraph(
        f"{you}可以亲自参加听证，也可以委托一至二人代理；认为主持人与本案有直接利害关系的，有权申请回避。"
        f"无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，行政机关终止听证。"
    )
    doc.signature(_issuer(case), case.hearing_notice_on or case.filed_on)
    return doc.to_bytes()


def preservation_notice(case: EnforcementCase, ident: str = "") -> bytes:
    """先行登记保存通知书 (第56条)."""
    you = _you(case)
    doc = GongwenDocument("先行登记保存证据通知书", number=f"{case.number}-保", recipient=case.party_name)
    doc.paragraph(
        f"因{case.facts.strip().rstrip('。')}，在证据可能灭失或者以后难以取得的情况下，经本机关负责人批准，"
        f"根据{LAW}第五十六条的规定，对下列证据先行登记保存："
    )
    doc.text(case.preserved_items or BLANK)
    doc.paragraph(
        f"在先行登记保存期间，{you}或者有关人员不得销毁或者转移证据。本机关将在七个工作日内及时作出处理决定。"
    )
    doc.signature(_issuer(case), case.preserved_on or case.filed_on)
    return doc.to_bytes()


def decision_letter(case: EnforcementCase, ident: str = "") -> bytes:
    """行政处罚决定书 (第59条) or 不予行政处罚决定书 (第33条), by the outcome."""
    waived, you = case.outcome in (Outcome.NO_PENALTY, Outcome.FIRST_OFFENCE), _you(case)
    title = "不予行政处罚决定书" if waived else "行政处罚决定书"
    doc = GongwenDocument(title, number=case.decision_number)
    doc.table(["项目", "内容"], _party_rows(case, ident))
    doc.paragraph(f"经查，{case.facts.strip().rstrip('。')}。")
    if case.procedure == Procedure.ORDINARY and case.notified_on:
        doc.paragraph(
            f"本机关于{chinese_date(case.notified_on)}告知{you}拟作出行政处罚的事实、理由、依据及依法享有的陈述、"
            "申辩等权利。"
        )
    if waived:
        reason = (
            f"{you}系初次违法且危害后果轻微并及时改正，该事项列入本街道轻微违法行为免罚清单"
            if case.outcome == Outcome.FIRST_OFFENCE
            else f"{you}的违法行为轻微并及时改正，没有造成危害后果"
        )
        doc.paragraph(f"{reason}，根据{LAW}第三十三条的规定，本机关决定不予行政处罚。")
        doc.paragraph(f"本机关已对{you}进行如下教育：")
        doc.text(case.education or BLANK)
    else:
        penalty = case.get_outcome_display()
        if case.fine:
            penalty += f"人民币{case.fine:,.2f}元"
        doc.paragraph(
            f"上述行为违反了{case.item.basis}的规定。根据{case.item.basis}，本机关决定对{you}作出如下行政处罚："
        )
        doc.paragraph(penalty + "。")
        if case.fine:
            doc.paragraph(
                "请自收到本决定书之日起十五日内到指定银行缴纳罚款。到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，"
                f"加处罚款的数额不超出罚款的数额（{LAW}第六十七条、第七十二条）。"
            )
    doc.paragraph(_remedies(case))
    doc.signature(_issuer(case), case.decided_on or case.filed_on)
    return doc.to_bytes()


def service_receipt(case: EnforcementCase, ident: str = "") -> bytes:
    """送达回证."""
    doc = GongwenDocument("送达回证", number=case.number)
    doc.table(
        ["项目", "内容"],
        [
            [
                "送达文书",
                f"{'不予' if case.outcome in (Outcome.NO_PENALTY, Outcome.FIRST_OFFENCE) else ''}行政处罚决定书 {case.decision_number}",
            ],
            ["受送达人", case.party_name],
            ["送达地点", case.party_address or BLANK],
            ["送达方式", case.get_service_method_display() or BLANK],
            ["送达日期", chinese_date(case.served_on) if case.served_on else BLANK],
            ["送达人", _officers(case)],
            ["受送达人签名或盖章", BLANK],
            ["备注", BLANK],
        ],
    )
    return doc.to_bytes()


def closing_form(case: EnforcementCase, ident: str = "") -> bytes:
    """结案审批表."""
    paid = chinese_date(case.paid_on) if case.paid_on else ("不涉及罚款" if not case.fine else BLANK)
    doc = GongwenDocument("结案审批表", number=case.number)
    doc.table(
        ["项目", "内容"],
        [
            ["当事人", case.party_name],
            ["执法事项", case.item.name],
            ["处理结果", f"{case.get_outcome_display()}{f' {case.fine:,.2f}元' if case.fine else ''}"],
            ["决定书文号", case.decision_number or BLANK],
            ["送达日期", chinese_date(case.served_on) if case.served_on else BLANK],
            ["执行情况（缴款日期）", paid],
            [
                "公示",
                f"{chinese_date(case.published_on)} {case.publicity_where}" if case.published_on else BLANK,
            ],
            ["结案日期", chinese_date(case.closed_on) if case.closed_on else BLANK],
            ["负责人审批意见", BLANK],
        ],
    )
    return doc.to_bytes()


def file_contents(case: EnforcementCase) -> list[tuple[str, str, Any]]:
    """What the case file holds, in the order it is bound: the 文书 of each step as the case took it, the evidence
    by the date it was obtained after the filing form. (title, number, date) per item."""
    rows: list[tuple[str, str, Any]] = [("立案审批表", case.number, case.filed_on)]
    for e in case.evidence.order_by("collected_on", "pk"):
        rows.append((f"{e.get_kind_display()}：{e.title}", e.external_ref, e.collected_on))
    steps: list[tuple[str, str, Any]] = [
        ("先行登记保存证据通知书", f"{case.number}-保", case.preserved_on),
        (f"先行登记保存处理决定（{case.preservation_decision}）", "", case.preservation_decided_on),
        ("行政处罚事先告知书", f"{case.number}-告", case.notified_on),
        ("听证申请", "", case.hearing_requested_on),
        ("行政处罚听证通知书", f"{case.number}-听", case.hearing_notice_on),
        ("听证笔录", "", case.hearing_on),
    ]
    if case.review_id and case.review is not None:
        steps.append(("法制审核意见书", case.review.opinion_number, case.review.opinion_on))
    steps += [
        ("集体讨论记录", "", case.collective_on),
        (title_of("decision", case), case.decision_number, case.decided_on),
        ("送达回证", case.number, case.served_on),
        ("罚款缴纳凭证", "", case.paid_on),
        ("行政处罚决定公示记录", case.publicity_where, case.published_on),
        ("撤回公示记录", "", case.publicity_withdrawn_on),
        ("结案审批表", case.number, case.closed_on),
    ]
    rows += [row for row in steps if row[2]]
    return rows


def file_index(case: EnforcementCase, ident: str = "") -> bytes:
    """卷内文件目录: one line per item in the order bound; the page numbers are written in when the file is bound."""
    doc = GongwenDocument("卷内文件目录", number=case.number)
    doc.table(
        ["序号", "文件名称", "文号或编号", "日期", "页号", "备注"],
        [
            [str(i), title, number or "", chinese_date(day), "", ""]
            for i, (title, number, day) in enumerate(file_contents(case), start=1)
        ],
    )
    return doc.to_bytes()


def file_cover(case: EnforcementCase, ident: str = "") -> bytes:
    """卷宗封面 of the closed case: the issuer, the case's name, its particulars and the number of items bound."""
    result = case.get_outcome_display() or BLANK
    if case.fine:
        result += f" {case.fine:,.2f}元"
    doc = GongwenDocument("行政执法案卷", number=_issuer(case))
    doc.paragraph(f"{case.party_name}{case.item.name}案", indent=False, align="center")
    doc.table(
        ["项目", "内容"],
        [
            ["案件编号", case.number],
            ["当事人", case.party_name],
            ["执法事项", case.item.name],
            ["适用程序", case.get_procedure_display()],
            ["处理结果", result],
            ["决定书文号", case.decision_number or BLANK],
            ["承办执法人员", "、".join(p.name for p in case.officers.all())],
            ["立案日期", chinese_date(case.filed_on)],
            ["结案日期", chinese_date(case.closed_on) if case.closed_on else BLANK],
            ["卷内文件", f"共{len(file_contents(case))}件（见卷内文件目录）"],
            ["保管期限", BLANK],
            ["立卷人", BLANK],
            ["审核人", BLANK],
            ["归档日期", BLANK],
        ],
    )
    return doc.to_bytes()


DOCUMENTS = {
    # kind: (title, builder, available when)
    "filing": ("立案审批表", filing_form, lambda c: True),
    "inspection": ("现场检查（勘验）笔录", inspection_record, lambda c: c.state not in ("closed", "dropped")),
    "questioning": ("询问笔录", questioning_record, lambda c: c.procedure == "ordinary" and not c.decided_on),
    "preservation": ("先行登记保存证据通知书", preservation_notice, lambda c: bool(c.preserved_on)),
    "notice": ("行政处罚事先告知书", advance_notice, lambda c: bool(c.notified_on)),
    "hearing": ("行政处罚听证通知书", hearing_notice, lambda c: bool(c.hearing_notice_on)),
    "decision": ("决定书", decision_letter, lambda c: bool(c.decided_on)),
    "service": ("送达回证", service_receipt, lambda c: bool(c.decided_on)),
    "closing": ("结案审批表", closing_form, lambda c: bool(c.closed_on)),
    "index": ("卷内文件目录", file_index, lambda c: True),
    "cover": ("卷宗封面", file_cover, lambda c: bool(c.closed_on)),
}


def title_of(kind: str, case: EnforcementCase) -> str:
    """The document's title as the case makes it (a decision not to penalise has its own)."""
    if kind == "decision":
        waived = case.outcome in (Outcome.NO_PENALTY, Outcome.FIRST_OFFENCE)
        return "不予行政处罚决定书" if waived else "行政处罚决定书"
    return DOCUMENTS[kind][0]
