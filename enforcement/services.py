"""Writes of the enforcement domain. Each checks its input (errors name the field, in Chinese), the permission
table at the record's region, and writes the record, its timeline and its clocks in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from administration.services import date_refusal
from core.audit.context import acting_as
from core.audit.timeline import timeline_record
from core.clocks import calendar as cal
from core.clocks.services import clock_meet_open, clock_of, clock_start
from core.db import atomic
from core.documents import next_sequence
from core.models import Person, Region
from core.models.people import PersonKind
from core.permissions import authorize
from core.personal import fill_keyed_hashes, validate_id_number, validate_uscc

from . import rules
from .choices import CaseState, PartyKind, Procedure, Source
from .models import Certificate, EnforcementCase, EnforcementItem, Training

SURCHARGE_RATE = Decimal("0.03")  # 第72条: 3% of the fine a day, capped at the fine


def _street(region: Region) -> Region:
    return region.ancestor_at("street") or region


@atomic
def case_file(
    *,
    by: Any,
    procedure: str,
    source: str,
    item_id: int,
    community: Region,
    party_kind: str,
    party_name: str,
    facts: str,
    offence_on: dt.date,
    filed_on: dt.date,
    officer_ids: list[int],
    party_id_number: str = "",
    party_uscc: str = "",
    party_address: str = "",
    harms_safety: bool = False,
    source_ref: str = "",
    dispute: Any = None,
    work_order: Any = None,
) -> EnforcementCase:
    """立案 (ordinary procedure) or the record of a simple-procedure case: the limitation period (第36条) and the
    officers (two, certified on the day, 第42条) are checked before anything is written."""
    authorize(by, "enforcement.file")
    errors: dict[str, str] = {}
    if procedure not in Procedure.values:
        errors["procedure"] = "程序应为简易程序或普通程序"
    if source not in Source.values:
        errors["source"] = (
            "案件来源应为日常巡查、投诉举报、12345热线工单、其他机关移送、矛盾纠纷中发现或双随机抽查"
        )
    if party_kind not in PartyKind.values:
        errors["party_kind"] = "当事人类别应为公民或法人、其他组织"
    if not party_name.strip():
        errors["party_name"] = "请填写当事人姓名或名称"
    if len(facts.strip()) < 6:
        errors["facts"] = "请写明违法事实（时间、地点、行为）"
    for key, value, check in (
        ("party_id_number", party_id_number, validate_id_number),
        ("party_uscc", party_uscc, validate_uscc),
    ):
        if value:
            try:
                check(value)
            except ValidationError as exc:
                errors[key] = exc.messages[0]
    if not Region.objects.visible_to(by).filter(pk=community.pk).exists():
        errors["community"] = "所选居村不在您的工作范围内"
    street = _street(community)
    # The catalogue of the street the (visible) community belongs to
    item = EnforcementItem._base_manager.filter(pk=item_id, region=street, active=True).first()
    if item is None:
        errors["item"] = "所选执法事项不在本街镇的执法事项目录中"
    if refusal := date_refusal("违法行为发生日期", offence_on):
        errors["offence_on"] = refusal
    if refusal := date_refusal("立案日期", filed_on, ("违法行为发生日期", offence_on)):
        errors["filed_on"] = refusal
    elif refusal := rules.limitation_problem(offence_on, harms_safety, filed_on):
        errors["offence_on"] = refusal
    if dispute is not None and not community.path.startswith(
        (dispute.region.ancestor_at("street") or dispute.region).path
    ):
        errors["community"] = "违法行为发生地应在转入的矛盾纠纷所在街镇"
    officers = list(
        Person.objects.visible_to(by)
        .filter(pk__in=officer_ids, kind=PersonKind.OFFICER, active=True)
        .prefetch_related("certificates")
    )
    if len(officers) != len(set(officer_ids)):
        errors["officers"] = "所选执法人员不在本街镇的执法人员名册中"
    elif "filed_on" not in errors and (problem := rules.officer_problem(officers, filed_on)):
        errors["officers"] = problem
    if errors:
        raise ValidationError(errors)
    assert item is not None
    authorize(by, "enforcement.file", community)
    seq = next_sequence(prefix=f"ZF-{street.code}", year=filed_on.year)
    with acting_as(by):
        case = EnforcementCase(
            region=community,
            state=CaseState.FILED,
            number=f"ZF-{street.code}-{filed_on.year}-{seq:04d}",
            procedure=procedure,
            source=source,
            source_ref=source_ref.strip(),
            dispute=dispute,
            item=item,
            party_kind=party_kind,
            party_name=party_name.strip(),
            party_id_number=party_id_number.upper(),
            party_uscc=party_uscc.upper(),
            party_address=party_address.strip(),
            facts=facts.strip(),
            offence_on=offence_on,
            harms_safety=harms_safety,
            filed_on=filed_on,
            created_by=by,
        )
        fill_keyed_hashes(case)
        case.save()
        case.officers.set(officers)
    names = "、".join(p.name for p in officers)
    timeline_record(
        case,
        kind="intake",
        action="file",
        by=by,
        summary=(
            f"{Procedure(procedure).label}{'立案' if procedure == Procedure.ORDINARY else '登记'}："
            f"{item.name}，执法人员{names}（{Source(source).label}）"
        ),
        data={"officers": [p.pk for p in officers], "item": item.code},
    )
    if dispute is not None:  # the dispute keeps its history and says where it went
        timeline_record(
            dispute,
            kind="record",
            action="enforcement",
            by=by,
            summary=f"发现违法行为，转行政执法{'立案' if procedure == Procedure.ORDINARY else '处理'}：{case.number}",
            data={"case": case.pk},
        )
    if work_order is not None:  # a 12345 order that called for enforcement: linked both ways
        from demands.services import link_enforcement

        link_enforcement(by=by, order=work_order, case=case)
    if procedure == Procedure.ORDINARY:
        clock_start(
            case=case,
            name="decision",
            rule_id="penalty.decision",
            started_on=filed_on,
            by=by,
            title=f"{case.number} {item.name}",
            start_event="立案",
        )
    return case


def _recorded(
    case: EnforcementCase,
    *,
    by: Any,
    action: str,
    summary: str,
    clock: str = "",
    met_on: dt.date | None = None,
) -> EnforcementCase:
    """Save the case's recorded step, write it on the timeline and meet the clock it concludes (if open)."""
    with acting_as(by):
        case.save()
    timeline_record(case, kind="record", action=action, by=by, summary=summary)
    if clock and met_on is not None:
        clock_meet_open(case=case, name=clock, met_on=met_on, by=by)
    return case


def _case_for(by: Any, case: EnforcementCase, code: str) -> EnforcementCase:
    authorize(by, code, case)
    return case


@atomic
def case_publish(*, by: Any, case: EnforcementCase, published_on: dt.date, where: str) -> EnforcementCase:
    """公示: the decision published (行政执法公示制度, 7 WD from the decision)."""
    _case_for(by, case, "enforcement.record")
    errors: dict[str, str] = {}
    if case.decided_on is None:
        errors["published_on"] = "尚未作出决定，无可公示的决定"
    elif refusal := date_refusal("公示日期", published_on, ("决定日期", case.decided_on)):
        errors["published_on"] = refusal
    if not where.strip():
        errors["where"] = "请填写公示载体，如街道门户网站、国家企业信用信息公示系统"
    if case.published_on:
        errors["published_on"] = f"该决定已于{case.published_on}公示"
    if errors:
        raise ValidationError(errors)
    case.published_on = published_on
    case.publicity_where = where.strip()
    summary = f"决定已公示：{cal.fmt(published_on)}，{where.strip()}"
    return _recorded(case, by=by, action="publish", summary=summary, clock="publicity", met_on=published_on)


@atomic
def case_withdraw_publicity(*, by: Any, case: EnforcementCase, withdrawn_on: dt.date) -> EnforcementCase:
    """撤回公示 of a decision revoked or changed (第48条: within 3 WD)."""
    _case_for(by, case, "enforcement.record")
    if case.revoked_on is None or case.published_on is None:
        raise ValidationError({"withdrawn_on": "只有已公示、后被撤销或变更的决定才需要撤回公示"})
    if case.publicity_withdrawn_on:
        raise ValidationError({"withdrawn_on": f"已于{case.publicity_withdrawn_on}撤回公示"})
    if refusal := date_refusal("撤回公示日期", withdrawn_on, ("撤销或变更日期", case.revoked_on)):
        raise ValidationError({"withdrawn_on": refusal})
    case.publicity_withdrawn_on = withdrawn_on
    summary = f"撤回公示：{cal.fmt(withdrawn_on)}"
    return _recorded(
        case,
        by=by,
        action="withdraw_publicity",
        summary=summary,
        clock="publicity_withdrawal",
        met_on=withdrawn_on,
    )


def surcharge_due(case: EnforcementCase, paid_on: dt.date) -> Decimal:
    """加处罚款 (第72条): 3% of the fine for each day paid late after the 15 days, never more than the fine."""
    clock = clock_of(case, "payment")
    if not case.fine or clock is None or paid_on <= clock.due_on:
        return Decimal("0")
    late = (paid_on - clock.due_on).days
    return min(case.fine * SURCHARGE_RATE * late, case.fine).quantize(Decimal("0.01"))


@atomic
def case_pay(*, by: Any, case: EnforcementCase, paid_on: dt.date) -> EnforcementCase:
    """缴款: the fine paid, with the late surcharge it owes (capped at the fine, 第72条)."""
    _case_for(by, case, "enforcement.record")
    if not case.fine or case.served_on is None:
        raise ValidationError({"paid_on": "该案没有已送达的罚款决定"})
    if case.paid_on:
        raise ValidationError({"paid_on": f"已于{case.paid_on}缴款"})
    if refusal := date_refusal("缴款日期", paid_on, ("送达日期", case.served_on)):
        raise ValidationError({"paid_on": refusal})
    case.paid_on = paid_on
    case.surcharge = surcharge_due(case, paid_on) or None
    extra = f"，加处罚款{case.surcharge:,.2f}元（第72条）" if case.surcharge else ""
    summary = f"缴纳罚款{case.fine:,.2f}元：{cal.fmt(paid_on)}{extra}"
    return _recorded(case, by=by, action="pay", summary=summary, clock="payment", met_on=paid_on)


@atomic
def case_request_review(*, by: Any, case: EnforcementCase, submitted_on: dt.date, materials: str) -> Any:
    """Send the intended decision to legality review (第58条) through the review workflow; the review's opinion
    is then linked to the case, and the decision waits for it."""
    from administration import services as administration
    from administration.choices import ReviewKind, ReviewState

    _case_for(by, case, "enforcement.review")
    if case.review is not None and case.review.state != ReviewState.WITHDRAWN:
        raise ValidationError(
            {"submitted_on": f"已送法制审核（{case.review.number}，{case.review.get_state_display()}）"}
        )
    if case.state not in (CaseState.FILED, CaseState.NOTIFIED):
        raise ValidationError({"submitted_on": "只有作出决定前的案件才能送法制审核"})
    unit = _enforcement_unit(case)
    if unit is None:
        raise ValidationError({"submitted_on": "本街镇尚未登记综合行政执法队（单位），无法送审"})
    review = administration.review_submit(
        by=by,
        kind=ReviewKind.ENFORCEMENT_DECISION,
        title=f"{case.number} {case.party_name} {case.item.name}",
        unit_id=unit.pk,
        submitted_on=submitted_on,
        materials=materials,
    )
    case.review = review
    with acting_as(by):
        case.save()
    timeline_record(case, kind="record", action="review", by=by, summary=f"送法制审核：{review.number}")
    return review


def _enforcement_unit(case: EnforcementCase) -> Any:
    from core.models import Unit
    from core.models.regions import UnitKind

    street = _street(case.region)
    return Unit.objects.filter(region=street, kind=UnitKind.ENFORCEMENT_TEAM).order_by("pk").first()


@atomic
def certificate_record(
    *, by: Any, person: Person, number: str, issuer: str, field: str, valid_from: dt.date, valid_to: dt.date
) -> Certificate:
    authorize(by, "enforcement.officers", person)
    errors: dict[str, str] = {}
    if person.kind != PersonKind.OFFICER:
        errors["person"] = f"{person.name}不是名册中的行政执法人员"
    if not number.strip():
        errors["number"] = "请填写执法证号"
    elif Certificate.objects.filter(number=number.strip()).exists():
        errors["number"] = f"执法证号{number.strip()}已登记"
    if not issuer.strip():
        errors["issuer"] = "请填写发证机关"
    if not field.strip():
        errors["field"] = "请填写执法领域"
    if valid_to < valid_from:
        errors["valid_to"] = "有效期至不能早于有效期起"
    if errors:
        raise ValidationError(errors)
    with acting_as(by):
        return Certificate.objects.create(
            person=person,
            number=number.strip(),
            issuer=issuer.strip(),
            field=field.strip(),
            valid_from=valid_from,
            valid_to=valid_to,
        )


@atomic
def training_record(*, by: Any, person: Person, held_on: dt.date, topic: str, hours: Decimal) -> Training:
    authorize(by, "enforcement.officers", person)
    errors: dict[str, str] = {}
    if refusal := date_refusal("培训日期", held_on):
        errors["held_on"] = refusal
    if not topic.strip():
        errors["topic"] = "请填写培训内容"
    if hours <= 0 or hours > 200:
        errors["hours"] = "学时应在0到200之间"
    if errors:
        raise ValidationError(errors)
    with acting_as(by):
        return Training.objects.create(person=person, held_on=held_on, topic=topic.strip(), hours=hours)


@atomic
def item_save(*, by: Any, region: Region, code: str, **values: Any) -> EnforcementItem:
    """Add or correct an item of the street's catalogue (by its code)."""
    authorize(by, "enforcement.items", region)
    errors: dict[str, str] = {}
    if region.level != "street":
        errors["region"] = "执法事项目录按街镇维护，请选择街镇"
    if not code.strip():
        errors["code"] = "请填写事项编码"
    for key, label in (("name", "事项名称"), ("basis", "法律依据"), ("penalty_range", "处罚种类和幅度")):
        if not str(values.get(key, "")).strip():
            errors[key] = f"请填写{label}"
    for key in ("fine_max", "review_threshold"):
        if values.get(key) is not None and values[key] < 0:
            errors[key] = "金额不能为负数"
    if errors:
        raise ValidationError(errors)
    with acting_as(by):
        item, _ = EnforcementItem.objects.update_or_create(region=region, code=code.strip(), defaults=values)
    return item


SHA256_LENGTH = 64


@atomic
def evidence_add(
    *,
    by: Any,
    case: EnforcementCase,
    kind: str,
    title: str,
    collected_on: dt.date,
    upload: Any = None,
    external_ref: str = "",
    sha256: str = "",
) -> Any:
    """A piece of evidence or of the whole-process record (第46-47条): an uploaded file (its SHA-256 computed here)
    or a file kept elsewhere (the 执法记录仪's store) named with its SHA-256; the digest goes on the timeline, so a
    file changed later no longer matches its record."""
    import hashlib

    from core.attachments import validate_attachment

    from .choices import EvidenceKind
    from .models import Evidence

    _case_for(by, case, "enforcement.record")
    errors: dict[str, str] = {}
    if kind not in EvidenceKind.values:
        errors["kind"] = (
            "证据种类应为书证、现场照片、执法记录仪音像、现场检查笔录、询问笔录、陈述申辩或其他证据"
        )
    if not title.strip():
        errors["title"] = "请填写证据名称"
    if refusal := date_refusal("取得日期", collected_on, ("违法行为发生日期", case.offence_on)):
        errors["collected_on"] = refusal
    digest = sha256.strip().lower()
    if upload is not None:
        if problem := validate_attachment(upload, label="证据文件"):
            errors["upload"] = problem
        else:
            h = hashlib.sha256()
            for chunk in upload.chunks():
                h.update(chunk)
            upload.seek(0)
            digest = h.hexdigest()
    elif not external_ref.strip():
        errors["upload"] = "请上传证据文件，或填写执法记录仪等存储的文件编号及其SHA-256摘要"
    elif len(digest) != SHA256_LENGTH or any(ch not in "0123456789abcdef" for ch in digest):
        errors["sha256"] = "SHA-256摘要应为64位十六进制字符"
    if case.state in (CaseState.CLOSED, CaseState.DROPPED):
        errors["kind"] = "案件已结案或已撤销立案，不能再补充证据"
    if errors:
        raise ValidationError(errors)
    with acting_as(by):
        evidence = Evidence(
            case=case,
            kind=kind,
            title=title.strip(),
            collected_on=collected_on,
            external_ref=external_ref.strip(),
            sha256=digest,
            size=upload.size if upload is not None else 0,
            created_by=by,
        )
        if upload is not None:
            evidence.file.save(upload.name, upload, save=False)
        evidence.save()
    timeline_record(
        case,
        kind="record",
        action="evidence",
        by=by,
        summary=f"{EvidenceKind(kind).label}：{title.strip()}（{cal.fmt(collected_on)}，SHA-256 {digest[:12]}…）",
        data={"evidence": evidence.pk, "sha256": digest, "kind": kind},
    )
    return evidence


@atomic
def evidence_preserve(
    *, by: Any, case: EnforcementCase, preserved_on: dt.date, items: str
) -> EnforcementCase:
    """先行登记保存 (第56条): evidence that may be lost, registered and preserved with the head's approval; a
    decision on it is due within 7 working days."""
    _case_for(by, case, "enforcement.record")
    errors: dict[str, str] = {}
    if case.preserved_on:
        errors["preserved_on"] = f"已于{case.preserved_on}先行登记保存"
    elif refusal := date_refusal("先行登记保存日期", preserved_on, ("立案日期", case.filed_on)):
        errors["preserved_on"] = refusal
    if len(items.strip()) < 2:
        errors["items"] = "请列明先行登记保存的物品或证据"
    if errors:
        raise ValidationError(errors)
    case.preserved_on, case.preserved_items = preserved_on, items.strip()
    with acting_as(by):
        case.save()
    timeline_record(case, kind="record", action="preserve", by=by, summary=f"先行登记保存：{items.strip()}")
    clock_start(
        case=case,
        name="preservation",
        rule_id="penalty.evidence_preservation",
        started_on=preserved_on,
        by=by,
        title=f"{case.number} 先行登记保存的处理",
        start_event="先行登记保存",
    )
    return case


@atomic
def preservation_decide(
    *, by: Any, case: EnforcementCase, decided_on: dt.date, decision: str
) -> EnforcementCase:
    """The decision on preserved evidence (记录、复制、鉴定、解除、没收 …) within 7 working days (第56条)."""
    _case_for(by, case, "enforcement.record")
    if case.preserved_on is None or case.preservation_decided_on:
        raise ValidationError({"decided_on": "没有待处理的先行登记保存"})
    if refusal := date_refusal("处理日期", decided_on, ("先行登记保存日期", case.preserved_on)):
        raise ValidationError({"decided_on": refusal})
    if not decision.strip():
        raise ValidationError({"decision": "请填写处理决定，如解除先行登记保存、送检鉴定"})
    case.preservation_decided_on, case.preservation_decision = decided_on, decision.strip()
    summary = f"先行登记保存处理：{decision.strip()}"
    return _recorded(
        case, by=by, action="preservation_decided", summary=summary, clock="preservation", met_on=decided_on
    )


HEARING_NOTICE_WORKING_DAYS = 7  # 第64条: notified seven days before the hearing (working days, 第85条)


@atomic
def case_hearing(
    *,
    by: Any,
    case: EnforcementCase,
    requested_on: dt.date,
    notice_on: dt.date,
    hearing_on: dt.date,
    presider_id: int,
) -> EnforcementCase:
    """听证 (第63-65条): asked for within the 5 working days after the notice, the party notified of the time and
    place at least seven working days before it, presided by someone who did not investigate the case."""
    _case_for(by, case, "enforcement.record")
    errors: dict[str, str] = {}
    clock = clock_of(case, "hearing_request")
    if case.state != CaseState.NOTIFIED or clock is None:
        raise ValidationError({"requested_on": "该案未告知听证权利，或已作出决定"})
    if case.hearing_requested:
        raise ValidationError({"requested_on": f"已登记听证（{case.hearing_on}）"})
    if refusal := date_refusal("申请听证日期", requested_on, ("事先告知日期", case.notified_on)):
        errors["requested_on"] = refusal
    elif requested_on > clock.due_on:
        errors["requested_on"] = (
            f"当事人应在告知后5个工作日内（{clock.due_on:%Y年%-m月%-d日}前）提出听证申请（第64条），逾期视为放弃"
        )
    if refusal := date_refusal("听证通知日期", notice_on, ("申请听证日期", requested_on)):
        errors["notice_on"] = refusal
    elif hearing_on < (earliest := cal.working_days_after(notice_on, HEARING_NOTICE_WORKING_DAYS)):
        errors["hearing_on"] = (
            f"应当在举行听证的七日前通知当事人（第64条，工作日），{notice_on:%Y年%-m月%-d日}通知的，"
            f"听证不能早于{earliest:%Y年%-m月%-d日}"
        )
    presider = Person.objects.visible_to(by).filter(pk=presider_id, active=True).first()
    if presider is None:
        errors["presider"] = "请选择名册中的听证主持人"
    elif case.officers.filter(pk=presider.pk).exists():
        errors["presider"] = f"{presider.name}是本案调查人员，不能主持听证（第64条第（四）项）"
    if errors:
        raise ValidationError(errors)
    case.hearing_requested = True
    case.hearing_requested_on, case.hearing_notice_on, case.hearing_on = requested_on, notice_on, hearing_on
    case.hearing_presider = presider
    with acting_as(by):
        case.save()
    assert presider is not None
    timeline_record(
        case,
        kind="record",
        action="hearing",
        by=by,
        summary=f"当事人申请听证（{cal.fmt(requested_on)}），{cal.fmt(notice_on)}通知，{cal.fmt(hearing_on)}举行，主持人{presider.name}",
    )
    clock_meet_open(case=case, name="hearing_request", met_on=requested_on, by=by)
    return case


SUSPENSIONS = ("听证", "检测", "检验", "检疫", "鉴定", "公告")


@atomic
def decision_clock_suspend(
    *, by: Any, case: EnforcementCase, suspended_on: dt.date, what: str, basis: str
) -> EnforcementCase:
    """The time of a hearing, a test or an appraisal is not counted in the 90 days where the law so provides
    (第60条: 法律、法规、规章另有规定的，从其规定): the decision clock is paused, naming the provision."""
    from core.clocks.services import clock_pause

    _case_for(by, case, "enforcement.record")
    clock = clock_of(case, "decision")
    errors: dict[str, str] = {}
    if clock is None or clock.met_on is not None:
        errors["suspended_on"] = "该案没有在计的办案期限"
    if what not in SUSPENSIONS:
        errors["what"] = "中止事由应为" + "、".join(SUSPENSIONS)
    if len(basis.strip()) < 4:
        errors["basis"] = "请写明依据，如《市场监督管理行政处罚程序规定》第六十四条"
    if refusal := date_refusal("中止日期", suspended_on, ("立案日期", case.filed_on)):
        errors["suspended_on"] = refusal
    if errors:
        raise ValidationError(errors)
    assert clock is not None
    clock_pause(
        clock=clock, paused_on=suspended_on, reason=f"{what}期间不计入办案期限（{basis.strip()}）", by=by
    )
    return case


@atomic
def decision_clock_resume(*, by: Any, case: EnforcementCase, resumed_on: dt.date) -> EnforcementCase:
    from core.clocks.services import clock_resume

    _case_for(by, case, "enforcement.record")
    clock = clock_of(case, "decision")
    if clock is None:
        raise ValidationError({"resumed_on": "该案没有办案期限"})
    if refusal := date_refusal("恢复日期", resumed_on):
        raise ValidationError({"resumed_on": refusal})
    clock_resume(clock=clock, resumed_on=resumed_on, by=by)
    return case
