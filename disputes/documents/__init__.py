"""Documents of the disputes domain, rendered with ``core.documents.GongwenDocument``."""

from __future__ import annotations

from core.documents import BLANK, GongwenDocument, chinese_date

from ..models import Dispute, Party


def _party_line(p: Party) -> str:
    """A party's particulars; what was not recorded is left blank for the party to write in when signing."""
    if p.kind == "organisation":
        return f"{p.get_role_display()}：{p.name}，统一社会信用代码：{p.uscc or BLANK}，住所：{p.address or BLANK}。"
    return (
        f"{p.get_role_display()}：{p.name}，公民身份号码：{p.id_number or BLANK}，联系电话：{p.phone or BLANK}，"
        f"住址：{p.address or BLANK}。"
    )


def agreement_docx(dispute: Dispute, parties: list[Party]) -> bytes:
    """人民调解协议书 (人民调解法 第29条): particulars, facts, terms, how and when, signatures."""
    agreement = dispute.agreement
    committee = dispute.committee.name if dispute.committee else "人民调解委员会"
    doc = GongwenDocument("人民调解协议书", number=agreement.number)
    doc.heading(1, "当事人基本情况")
    for p in parties:
        doc.paragraph(_party_line(p))
    doc.heading(1, "纠纷主要事实、争议事项及各方当事人的责任")
    doc.text(agreement.facts)
    doc.heading(1, "经调解，各方当事人自愿达成如下协议")
    doc.text(agreement.terms)
    follow_ups = list(dispute.follow_ups.all())
    if follow_ups:
        doc.heading(1, "履行方式和期限")
        for fu in follow_ups:
            doc.paragraph(f"{chinese_date(fu.due_on)}前：{fu.term}。")
    doc.heading(1, "其他")
    doc.paragraph(
        "本协议经各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效。"
        "本协议具有法律约束力，当事人应当按照约定履行。经调解组织调解达成协议后，双方当事人认为有必要的，"
        "可以自调解协议生效之日起三十日内共同向人民法院申请司法确认。"
    )
    doc.paragraph(
        "本协议一式" + ("三" if len(parties) <= 2 else "四") + "份，各方当事人、人民调解委员会各执一份。"
    )
    doc.paragraph("")
    for p in parties:
        doc.paragraph(f"{p.get_role_display()}（签名/盖章/按指印）：________________", indent=False)
    mediators = "、".join(m.name for m in dispute.mediators.all())
    doc.paragraph(f"人民调解员（签名）：{mediators}________________", indent=False)
    doc.signature(f"{committee}（印章）", agreement.effective_on)
    return doc.to_bytes()


def confirmation_docx(dispute: Dispute, parties: list[Party], court: str) -> bytes:
    """司法确认申请书: the joint application with the agreement's particulars (民事诉讼法 第205条)."""
    agreement = dispute.agreement
    doc = GongwenDocument("司法确认申请书", recipient=court)
    doc.heading(1, "申请人")
    for p in parties:
        doc.paragraph(_party_line(p))
    doc.heading(1, "请求事项")
    doc.paragraph(
        f"请求人民法院确认申请人于{chinese_date(agreement.effective_on)}经{dispute.committee or '人民调解委员会'}"
        f"调解达成的人民调解协议（编号：{agreement.number or '无'}）有效。"
    )
    doc.heading(1, "事实和理由")
    doc.text(agreement.facts)
    doc.paragraph("协议内容：")
    doc.text(agreement.terms)
    doc.paragraph(
        "申请人保证出于解决纠纷的目的自愿达成协议，没有恶意串通、规避法律的行为；"
        "如因虚假陈述等原因导致协议被确认无效的，愿意承担相应的法律责任。"
    )
    doc.heading(1, "附件")
    doc.paragraph("1.人民调解协议书；2.各方当事人身份证明；3.与纠纷有关的证明材料；4.调解记录。")
    for p in parties:
        doc.paragraph(f"申请人（签名/盖章）：{p.name}________________", indent=False)
    doc.signature("", agreement.effective_on)
    return doc.to_bytes()


def case_record_docx(dispute: Dispute, parties: list[Party]) -> bytes:
    """调解案卷: the record handed on when a dispute goes to court or arbitration (诉调对接)."""
    doc = GongwenDocument("人民调解案件材料", number=dispute.number)
    doc.heading(1, "基本情况")
    doc.paragraph(
        f"纠纷类型：{dispute.dispute_type.name}；来源：{dispute.get_source_display()}；"
        f"受理时间：{chinese_date(dispute.received_at.date())}；所在居村：{dispute.region.name}；"
        f"当前状态：{dispute.get_state_display()}。"
    )
    doc.paragraph(f"纠纷概要：{dispute.description}")
    doc.heading(1, "当事人")
    for p in parties:
        doc.paragraph(_party_line(p))
    doc.heading(1, "调解过程")
    sessions = list(dispute.sessions.all())
    for s in sessions:
        doc.paragraph(f"{chinese_date(s.held_at.date())}，{s.place}，参加人员：{s.participants}。{s.summary}")
    if not sessions:
        doc.paragraph("无调解记录。")
    doc.heading(1, "调解结果")
    if dispute.failure_path:
        doc.paragraph(f"调解不成，已告知当事人{dispute.get_failure_path_display()}。")
    elif hasattr(dispute, "agreement"):
        doc.paragraph(f"达成{dispute.agreement.get_kind_display()}：{dispute.agreement.terms}")
    else:
        doc.paragraph(dispute.get_state_display())
    doc.heading(1, "办理经过")
    from core.audit.timeline import timeline_of

    doc.table(
        ["时间", "经办人", "事项"],
        [
            [e.at.strftime("%Y-%m-%d %H:%M"), str(e.actor or "群众/系统"), e.summary]
            for e in timeline_of(dispute)
        ],
    )
    return doc.to_bytes()
