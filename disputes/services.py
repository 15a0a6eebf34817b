"""Writes of the disputes domain. State changes go through ``core.workflow.transition``
(see ``disputes/workflow.py``); these services record everything around them."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone

from core.attachments import validate_attachment
from core.audit.context import acting_as, recorded_moment
from core.audit.timeline import timeline_record
from core.clocks.services import clock_meet_open, clock_of, clock_start
from core.db import atomic, rollback_point
from core.documents import next_sequence
from core.memo import remembered
from core.models import Notification, Region, RevealLog, Unit
from core.notifications import members_of, notify
from core.permissions import authorize
from core.personal import fill_keyed_hashes, keyed_hash, validate_id_number, validate_phone, validate_uscc
from core.roles import Capability, Role
from core.scoping import has_capability
from core.validation import aware, date_problem

from . import risk
from .choices import OPEN_STATES, DisputeState, PartyKind, PartyRole, Source
from .models import (
    DESCRIPTION_MAX,
    Agreement,
    Attachment,
    Dispute,
    DisputeType,
    Escalation,
    FollowUp,
    JudicialConfirmation,
    MediationSession,
    Party,
    RepeatLink,
    VulnerablePerson,
)
from .workflow import accepted_step, agreement_step, date_after, received_step

REPEAT_WINDOW_DAYS = 180
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass
class IntakeResult:
    dispute: Dispute
    created: bool


def _party_errors(index: int, p: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    key = f"parties[{index}]"
    if p.get("role") not in PartyRole.values:
        errors[f"{key}.role"] = f"第{index + 1}位当事人：身份应为申请人、被申请人或第三人"
    kind = p.get("kind") or PartyKind.PERSON
    if kind not in PartyKind.values:
        errors[f"{key}.kind"] = f"第{index + 1}位当事人：类别应为自然人或单位"
    if not str(p.get("name", "")).strip():
        errors[f"{key}.name"] = f"第{index + 1}位当事人：请填写姓名或名称"
    for field, check, label in (
        ("id_number", validate_id_number, "身份证号"),
        ("phone", validate_phone, "联系电话"),
        ("uscc", validate_uscc, "统一社会信用代码"),
    ):
        if p.get(field):
            try:
                check(str(p[field]))
            except ValidationError as exc:
                errors[f"{key}.{field}"] = f"第{index + 1}位当事人{label}：{exc.messages[0]}"
    return errors


def _street_of(region: Region) -> Region:
    street = region.ancestor_at("street")
    if street is None:
        raise ValidationError({"community": "该居村不属于任何街镇"})
    return street


def _new_tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
        if not Dispute.objects.filter(tracking_code=code).exists():
            return code


def _dispute_create(*, street: Region, received: dt.datetime, **fields: Any) -> Dispute:
    """Number and create the dispute row (the caller holds the savepoint around both)."""
    year = timezone.localtime(received).year
    seq = next_sequence(prefix=f"TJ-{street.code}", year=year)
    return Dispute.objects.create(
        number=f"TJ-{street.code}-{year}-{seq:04d}",
        tracking_code=_new_tracking_code(),
        received_at=received,
        state=DisputeState.RECEIVED,
        **fields,
    )


@atomic
def dispute_intake(
    *,
    by: Any,
    source: str,
    dispute_type: str,
    community: Any,
    description: str,
    parties: list[dict[str, Any]],
    grid: Any = None,
    address: str = "",
    amount: Any = None,
    people_count: Any = 1,
    threat: bool = False,
    received_at: dt.datetime | None = None,
    external_ref: str = "",
    attachments: list[Any] | None = None,
    public: bool = False,
) -> IntakeResult:
    """Receive a dispute once: validate everything, then save parties, repeat links, risk, timeline.

    ``community`` is a Region id or instance; staff may only use communities in their scope.
    Idempotent on (source, external_ref): the same reference returns the existing dispute.
    """
    if not public:
        authorize(by, "disputes.intake")  # refused before anything is read or written
    errors: dict[str, str] = {}
    if source not in Source.values:
        errors["source"] = f"纠纷来源“{source}”不在可选范围内"
    elif external_ref:
        existing = Dispute.objects.filter(source=source, external_ref=external_ref).first()
        if existing is not None:
            if public or by is None or Dispute.objects.visible_to(by).filter(pk=existing.pk).exists():
                return IntakeResult(existing, False)
            raise ValidationError(
                {"external_ref": f"来源编号“{external_ref}”已由其他街镇登记，请核对来源和来源编号"}
            )
    dtype = remembered(
        ("dispute_type", dispute_type),
        lambda: DisputeType.objects.filter(code=dispute_type, active=True).first(),
    )
    if dtype is None:
        errors["dispute_type"] = f"纠纷类型“{dispute_type}”不存在"
    regions = Region.objects.all() if public or by is None else Region.objects.visible_to(by)
    community_id = getattr(community, "pk", community)
    region = (
        remembered(
            ("intake_community", public or getattr(by, "pk", None), community_id),
            lambda: regions.filter(pk=community_id, level="community").first(),
        )
        if community_id
        else None
    )
    if region is None:
        errors["community"] = "所选居村不存在或不在您的工作范围内" if community_id else "请选择纠纷所在居村"
    grid_obj = None
    if grid:
        grid_obj = Region.objects.filter(pk=getattr(grid, "pk", grid), level="grid").first()
        if grid_obj is None or region is None or grid_obj.parent_id != region.pk:
            errors["grid"] = "所选网格不属于该居村"
    if received_at is not None:
        received_problem = date_problem(aware(received_at), not_in_future=True)
        if received_problem:
            errors["received_at"] = f"受理时间：{received_problem}"
    summary = str(description).strip()
    if len(summary) < 5:
        errors["description"] = "请填写纠纷概要（至少5个字）"
    elif len(summary) > DESCRIPTION_MAX:
        errors["description"] = (
            f"纠纷概要至多{DESCRIPTION_MAX}字（现为{len(summary)}字），请写明主要情况，详细材料可作为附件上传"
        )
    money = None
    if amount not in (None, ""):
        try:
            money = Decimal(str(amount))
            if money < 0:
                raise InvalidOperation
        except InvalidOperation:
            errors["amount"] = "涉及金额应为不小于0的数字"
    try:
        count = 1 if people_count in (None, "") else int(people_count)
        if count < 1:
            raise ValueError
    except (TypeError, ValueError):
        errors["people_count"] = "涉及人数应为正整数"
        count = 1
    if not parties:
        errors["parties"] = "至少需要一位当事人"
    elif not any(p.get("role") == PartyRole.APPLICANT for p in parties):
        errors["parties"] = "至少需要一位申请人"
    for i, p in enumerate(parties):
        errors.update(_party_errors(i, p))
    for upload in attachments or []:
        problem = validate_attachment(upload)
        if problem:
            errors["attachments"] = problem
    if errors:
        raise ValidationError(errors)
    assert region is not None and dtype is not None
    if not public:
        authorize(by, "disputes.intake", region)

    received = aware(received_at) if received_at else timezone.now()
    street = _street_of(region)
    address_hash = keyed_hash(address) if address.strip() else ""
    party_rows = []
    for p in parties:
        party = Party(
            role=p["role"],
            kind=p.get("kind") or PartyKind.PERSON,
            name=str(p["name"]).strip(),
            id_number=str(p.get("id_number") or "").replace(" ", "").upper(),
            phone=str(p.get("phone") or "").replace(" ", ""),
            address=str(p.get("address") or "").strip(),
            uscc=str(p.get("uscc") or "").upper(),
        )
        fill_keyed_hashes(party)
        party_rows.append(party)
    # Repeats and risk are judged before the row is written, so that it is written once, complete.
    probe = Dispute(received_at=received, address_hash=address_hash)
    repeats = _repeats(probe, party_rows, street)
    t = risk.thresholds_for(region)
    findings = risk.assess(
        people_count=count,
        amount=money,
        threat=bool(threat),
        vulnerable_names=_vulnerable_names(party_rows, street),
        recent_same_party_or_address=_recent_count(probe, party_rows, street, t.repeat_days, repeats),
        received_on=timezone.localtime(received).date(),
        t=t,
    )
    with acting_as(by):
        try:
            with rollback_point():  # a concurrent same-reference intake loses here, and goes on below
                dispute = _dispute_create(
                    street=street,
                    received=received,
                    source=source,
                    external_ref=external_ref,
                    dispute_type=dtype,
                    region=region,
                    grid=grid_obj,
                    description=str(description).strip(),
                    address=address.strip(),
                    address_hash=address_hash,
                    amount=money,
                    people_count=count,
                    created_by=by if getattr(by, "pk", None) else None,
                    risk_level=risk.level_of(findings),
                    risk_reasons=[{"rule": f.rule, "level": f.level, "reason": f.reason} for f in findings],
                )
        except IntegrityError:
            existing = (
                Dispute.objects.filter(source=source, external_ref=external_ref).first()
                if external_ref
                else None
            )
            if existing is None:
                raise
            if not (public or by is None or Dispute.objects.visible_to(by).filter(pk=existing.pk).exists()):
                raise ValidationError(
                    {"external_ref": f"来源编号“{external_ref}”已由其他街镇登记，请核对来源和来源编号"}
                ) from None
            return IntakeResult(existing, False)
        for party in party_rows:
            party.dispute = dispute
            party.save()
        for upload in attachments or []:
            Attachment.objects.create(dispute=dispute, file=upload, name=upload.name[:200], size=upload.size)
        links = [
            RepeatLink.objects.create(dispute=dispute, earlier_id=pk, reason="、".join(sorted(r)))
            for pk, (_, r) in sorted(repeats.items())
        ]
    channel = "群众网上申请" if public else Source(source).label
    timeline_record(
        dispute,
        kind="intake",
        action="intake",
        summary=f"受理登记（{channel}），风险等级：{dispute.get_risk_level_display()}",
        by=by,
        data={"repeat_links": len(links), "risk": dispute.risk_reasons},
    )
    # The case's first clock: the triage the public page promises (met when it is triaged, refused or transferred).
    clock_start(
        case=dispute,
        name="triage",
        rule_id="mediation.triage",
        started_on=timezone.localtime(received).date(),
        by=by,
        title=f"{dispute.number} 研判",
        start_event="受理登记",
    )
    return IntakeResult(dispute, True)


def _party_q(parties: list[Party]) -> Q:
    q = Q(pk__in=[])
    id_hashes = [p.id_number_hash for p in parties if p.id_number_hash]
    phone_hashes = [p.phone_hash for p in parties if p.phone_hash]
    if id_hashes:
        q |= Q(parties__id_number_hash__in=id_hashes)
    if phone_hashes:
        q |= Q(parties__phone_hash__in=phone_hashes)
    return q


def _earlier(dispute: Dispute, street: Region, days: int) -> Any:
    """The street's disputes received in the ``days`` up to ``dispute`` (not yet written, or other than it)."""
    since = dispute.received_at - dt.timedelta(days=days)
    earlier = Dispute.objects.filter(
        region__path__startswith=street.path, received_at__gte=since, received_at__lte=dispute.received_at
    )
    return earlier if dispute.pk is None else earlier.exclude(pk=dispute.pk)


Repeats = dict[int, tuple[dt.datetime, set[str]]]


def _repeats(dispute: Dispute, parties: list[Party], street: Region) -> Repeats:
    """Earlier disputes of the same party (ID or phone hash) or address within 180 days: when each was
    received, and the reasons."""
    found: Repeats = {}
    id_hashes = {p.id_number_hash for p in parties if p.id_number_hash}
    phone_hashes = {p.phone_hash for p in parties if p.phone_hash}
    address = dispute.address_hash
    conditions = []
    if id_hashes:
        conditions.append(Q(parties__id_number_hash__in=id_hashes))
    if phone_hashes:
        conditions.append(Q(parties__phone_hash__in=phone_hashes))
    if address:
        conditions.append(Q(address_hash=address))
    if not conditions:
        return found
    # One statement (UNION ALL: each part finds its rows by its own index): each (dispute, party) pair that meets
    # a condition; the reasons from the pair's hashes.
    base = _earlier(dispute, street, REPEAT_WINDOW_DAYS)
    columns = ("pk", "received_at", "address_hash", "parties__id_number_hash", "parties__phone_hash")
    parts = [base.filter(c).order_by().values_list(*columns) for c in conditions]
    pairs = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for pk, received, address_hash, id_hash, phone_hash in pairs:
        reasons = found.setdefault(pk, (received, set()))[1]
        if id_hash and id_hash in id_hashes:
            reasons.add("同一当事人身份证号")
        if phone_hash and phone_hash in phone_hashes:
            reasons.add("同一当事人联系电话")
        if address and address_hash == address:
            reasons.add("同一地址")
    return found


def _recent_count(
    dispute: Dispute, parties: list[Party], street: Region, days: int, repeats: Repeats | None = None
) -> int:
    """Earlier disputes of the same party or address within ``days``: counted from ``repeats`` (the same
    conditions over 180 days) when the period is no longer, else read."""
    if repeats is not None and days <= REPEAT_WINDOW_DAYS:
        since = dispute.received_at - dt.timedelta(days=days)
        return sum(1 for received, _ in repeats.values() if received >= since)
    q = _party_q(parties)
    if dispute.address_hash:
        q |= Q(address_hash=dispute.address_hash)
    return _earlier(dispute, street, days).filter(q).distinct().count()


def _vulnerable_names(parties: list[Party], street: Region) -> list[str]:
    id_hashes = [p.id_number_hash for p in parties if p.id_number_hash]
    phone_hashes = [p.phone_hash for p in parties if p.phone_hash]
    if not id_hashes and not phone_hashes:
        return []
    matches = VulnerablePerson.objects.filter(region__path__startswith=street.path).filter(
        Q(id_number_hash__in=id_hashes or ["-"]) | Q(phone_hash__in=phone_hashes or ["-"])
    )
    return sorted({v.name for v in matches})


# --- records around the workflow ---------------------------------------------------------------

INVITABLE_KINDS = ("expert", "legal_advisor", "public_lawyer")


def invitable_people(dispute: Dispute, user: Any) -> Any:
    """Experts of the pool, the street's public-sector lawyers and the community's legal advisor first."""
    from django.db.models import Case, IntegerField, Value, When

    from core.models import Person

    street = _street_of(dispute.region)
    return (
        Person.objects.visible_to(user)
        .filter(kind__in=INVITABLE_KINDS, active=True, region__path__startswith=street.path)
        .annotate(
            paired=Case(
                When(paired_region=dispute.region, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("paired", "kind", "name")
    )


@atomic
def invitation_record(*, dispute: Dispute, person_id: int, purpose: str, by: Any) -> Any:
    authorize(by, "disputes.invitation", dispute)
    from .models import Invitation

    person = invitable_people(dispute, by).filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person": "只能邀请本街镇专家库专家、法律顾问或公职律师"})
    if not purpose.strip():
        raise ValidationError({"purpose": "请填写邀请事由"})
    with acting_as(by):
        inv = Invitation.objects.create(
            dispute=dispute, person=person, purpose=purpose.strip(), invited_at=timezone.now(), by=by
        )
    timeline_record(
        dispute,
        kind="invitation",
        action="invite",
        summary=f"邀请{person.get_kind_display()}{person.name}参与调解：{purpose.strip()}",
        by=by,
    )
    return inv


@atomic
def escalation_record(
    *,
    dispute: Dispute,
    reported_to: str,
    note: str,
    by: Any,
    escalated_out: bool = False,
    reported_at: dt.datetime | None = None,
) -> Escalation:
    """Record a report upward (now, or at ``reported_at`` for a report made earlier: not before the receipt)."""
    authorize(by, "disputes.escalation", dispute)
    if not reported_to.strip():
        raise ValidationError({"reported_to": "请填写报告对象"})
    if reported_at is not None:
        reported_at = aware(reported_at)
        date_after("reported_at", "报告时间", reported_at, received_step(dispute))
    with acting_as(by):
        esc = Escalation.objects.create(
            dispute=dispute,
            reported_to=reported_to.strip(),
            reported_at=reported_at or timezone.now(),
            note=note,
            by=by,
        )
        if escalated_out and not dispute.escalated_out:
            dispute.escalated_out = True
            dispute.save()
    timeline_record(
        dispute,
        kind="escalation",
        action="escalate",
        summary=f"向{reported_to}报告" + ("（出街镇）" if escalated_out else ""),
        by=by,
        data={"note": note, "escalated_out": escalated_out},
    )
    if recorded_moment() is None:  # live work; a past year's report told no one now
        leaders = members_of(_street_units(dispute), roles=[Role.STREET_LEADER])
        notify(
            leaders,
            kind=Notification.Kind.ESCALATED,
            title=f"{dispute.number} 已上报：{dispute.get_risk_level_display()}风险{dispute.dispute_type.name}纠纷",
            body=f"报告对象：{reported_to}" + (f"；{note}" if note else ""),
            url=dispute.get_absolute_url(),
            by=by,
        )
    return esc


def _street_units(dispute: Dispute) -> list[int]:
    street = _street_of(dispute.region)
    return list(Unit.objects.filter(region=street).values_list("pk", flat=True))


def assigned_people(dispute: Dispute) -> list[int]:
    """The accounts a dispute's assignment reaches: its committee's members and the chosen mediators."""
    users = members_of([dispute.committee_id]) if dispute.committee_id else []
    users += [u for u in dispute.mediators.values_list("user_id", flat=True) if u]
    return users


@atomic
def urge_record(*, dispute: Dispute, note: str, by: Any) -> None:
    """催办/督办: a leader presses for a case; those who hold it are told at once (the justice office while it is
    not assigned)."""
    authorize(by, "disputes.urge", dispute)
    if len(note.strip()) < 2:
        raise ValidationError({"note": "请写明催办督办的要求（至少2个字）"})
    if dispute.state not in OPEN_STATES:
        raise ValidationError({"note": f"该纠纷已{dispute.get_state_display()}，无需催办"})
    timeline_record(dispute, kind="urge", action="urge", summary=f"催办督办：{note.strip()}", by=by)
    recipients = assigned_people(dispute) or members_of(
        _street_units(dispute), roles=[Role.JUSTICE_COORDINATOR]
    )
    notify(
        recipients,
        kind=Notification.Kind.URGED,
        title=f"{dispute.number} 催办督办",
        body=note.strip(),
        url=dispute.get_absolute_url(),
        by=by,
    )


@atomic
def session_record(
    *, dispute: Dispute, held_at: dt.datetime, place: str, participants: str, summary: str, by: Any
) -> MediationSession:
    authorize(by, "disputes.session", dispute)
    errors = {}
    if dispute.state != DisputeState.MEDIATING:
        errors["state"] = "只有调解中的纠纷可以记录调解过程"
    for key, value, label in (
        ("place", place, "地点"),
        ("participants", participants, "参加人员"),
        ("summary", summary, "调解经过"),
    ):
        if not str(value).strip():
            errors[key] = f"请填写{label}"
    if errors:
        raise ValidationError(errors)
    date_after("held_at", "调解时间", aware(held_at), received_step(dispute), accepted_step(dispute))
    with acting_as(by):
        s = MediationSession.objects.create(
            dispute=dispute,
            held_at=held_at,
            place=place.strip(),
            participants=participants.strip(),
            summary=summary.strip(),
            by=by,
        )
    timeline_record(
        dispute,
        kind="session",
        action="session",
        summary=f"调解：{place}，参加人员{participants}",
        by=by,
        data={"held_at": held_at.isoformat()},
    )
    return s


SCHEDULE_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s+(.+?)\s*$")


def parse_schedule(text: str) -> list[tuple[dt.date, str]]:
    """Performance terms, one a line: ``2026-12-01 支付赔偿款5000元``."""
    items = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = SCHEDULE_LINE.match(line)
        if not m:
            raise ValidationError(
                {"schedule": f"履行期限第{n}行应为“日期 事项”，如“2026-12-01 支付赔偿款5000元”"}
            )
        try:
            day = dt.date.fromisoformat("-".join(f"{int(x):02d}" for x in m.group(1).split("-")))
        except ValueError:
            raise ValidationError({"schedule": f"履行期限第{n}行的日期“{m.group(1)}”不存在"}) from None
        items.append((day, m.group(2)))
    return items


@atomic
def agreement_record(
    *,
    dispute: Dispute,
    kind: str,
    facts: str,
    terms: str,
    effective_on: dt.date,
    schedule: str,
    by: Any,
    number: str = "",
) -> Agreement:
    """Record the agreement (人民调解法 第28-29条) and schedule a follow-up for each performance term.

    A written agreement is numbered from the street's sequence, unless ``number`` gives the number it
    already bears (an agreement of a past year, entered as it was signed).
    """
    authorize(by, "disputes.agreement", dispute)
    errors: dict[str, str] = {}
    if dispute.state != DisputeState.MEDIATING:
        errors["state"] = "只有调解中的纠纷可以登记调解协议"
    if hasattr(dispute, "agreement"):
        errors["kind"] = "该纠纷已登记调解协议"
    if kind not in ("written", "oral"):
        errors["kind"] = "协议形式应为书面或口头"
    if len(facts.strip()) < 5:
        errors["facts"] = "请写明主要事实、争议事项及各方责任"
    if len(terms.strip()) < 5:
        errors["terms"] = "请写明协议内容、履行方式和期限"
    items = []
    try:
        items = parse_schedule(schedule)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if any(day < effective_on for day, _ in items):
        errors["schedule"] = "履行期限不能早于协议生效日期"
    number = number.strip()
    if number and kind != "written":
        errors["number"] = "口头协议没有协议编号"
    if errors:
        raise ValidationError(errors)
    date_after("effective_on", "协议生效日期", effective_on, received_step(dispute), accepted_step(dispute))
    if not items:
        items = [(effective_on, "协议履行情况")]
    with acting_as(by):
        if kind == "written" and not number:
            street = _street_of(dispute.region)
            number = f"{street.name}调字〔{effective_on.year}〕{next_sequence(prefix=f'XY-{street.code}', year=effective_on.year)}号"
        agreement = Agreement.objects.create(
            dispute=dispute,
            kind=kind,
            number=number,
            facts=facts.strip(),
            terms=terms.strip(),
            effective_on=effective_on,
        )
        assignee = _assignee(dispute)
        for day, what in items:
            fu = FollowUp.objects.create(dispute=dispute, term=what[:200], due_on=day)
            clock_start(
                case=dispute,
                name=f"followup-{fu.pk}",
                rule_id="mediation.follow_up",
                started_on=day,
                by=by,
                title=f"{dispute.number} 回访：{what[:40]}",
                start_event="履行期限届满",
                assignee=assignee,
            )
    timeline_record(
        dispute,
        kind="agreement",
        action="agreement",
        summary=f"登记{agreement.get_kind_display()}{(' ' + number) if number else ''}，安排回访{len(items)}次",
        by=by,
        data={"effective_on": effective_on, "follow_ups": len(items)},
    )
    return agreement


def _assignee(dispute: Dispute) -> int | None:
    """The id of the user the mediation period's clock is assigned to."""
    clock = clock_of(dispute, "period")
    return clock.assignee_id if clock is not None else None


@atomic
def follow_up_record(
    *, follow_up: FollowUp, visited_on: dt.date, fulfilment: str, note: str, by: Any
) -> FollowUp:
    authorize(by, "disputes.follow_up", follow_up)
    if fulfilment not in ("fulfilled", "partly", "not"):
        raise ValidationError({"fulfilment": "履行情况应为已履行、部分履行或未履行"})
    date_after("visited_on", "回访日期", visited_on, agreement_step(follow_up.dispute))
    with acting_as(by):
        follow_up.visited_on, follow_up.fulfilment, follow_up.note = visited_on, fulfilment, note.strip()
        follow_up.save()
    clock_meet_open(case=follow_up.dispute, name=f"followup-{follow_up.pk}", met_on=visited_on, by=by)
    timeline_record(
        follow_up.dispute,
        kind="follow_up",
        action="follow_up",
        summary=f"回访（{follow_up.term}）：{follow_up.get_fulfilment_display()}",
        by=by,
        data={"visited_on": visited_on, "note": note},
    )
    return follow_up


@atomic
def confirmation_apply(*, dispute: Dispute, court: str, applied_on: dt.date, by: Any) -> JudicialConfirmation:
    authorize(by, "disputes.confirmation", dispute)
    agreement = getattr(dispute, "agreement", None)
    if agreement is None or agreement.kind != "written":
        raise ValidationError({"court": "只有书面调解协议可以申请司法确认"})
    if hasattr(dispute, "confirmation"):
        raise ValidationError({"court": "已申请司法确认"})
    if not court.strip():
        raise ValidationError({"court": "请填写受理法院"})
    date_after("applied_on", "司法确认申请日期", applied_on, agreement_step(dispute))
    with acting_as(by):
        jc = JudicialConfirmation.objects.create(dispute=dispute, court=court.strip(), applied_on=applied_on)
    clock_meet_open(case=dispute, name="confirmation_window", met_on=applied_on, by=by)
    timeline_record(
        dispute, kind="confirmation", action="confirmation.apply", summary=f"向{court}申请司法确认", by=by
    )
    return jc


@atomic
def confirmation_decide(
    *, dispute: Dispute, accepted_on: dt.date, decision: str, decided_on: dt.date, by: Any
) -> JudicialConfirmation:
    authorize(by, "disputes.confirmation", dispute)
    jc = getattr(dispute, "confirmation", None)
    if jc is None:
        raise ValidationError({"decision": "尚未登记司法确认申请，不能登记法院裁定"})
    if decision not in ("confirmed", "rejected"):
        raise ValidationError({"decision": "裁定结果应为确认有效或驳回申请"})
    date_after("accepted_on", "法院受理日期", accepted_on, ("司法确认申请日期", jc.applied_on))
    date_after("decided_on", "裁定日期", decided_on, ("法院受理日期", accepted_on))
    with acting_as(by):
        jc.accepted_on, jc.decision, jc.decided_on = accepted_on, decision, decided_on
        jc.save()
    timeline_record(
        dispute,
        kind="confirmation",
        action="confirmation.decide",
        summary=f"法院裁定：{jc.get_decision_display()}",
        by=by,
        data={"decided_on": decided_on},
    )
    return jc


RATEABLE_STATES = (DisputeState.CLOSED, DisputeState.FAILED, DisputeState.TERMINATED)


@atomic
def satisfaction_record(*, dispute: Dispute, score: int, by: Any) -> Dispute:
    authorize(by, "disputes.satisfaction", dispute)
    if dispute.state not in RATEABLE_STATES:
        raise ValidationError({"satisfaction": "调解结束（结案、调解不成或终止）后才能评价满意度"})
    if score not in (1, 2, 3, 4, 5):
        raise ValidationError({"satisfaction": "满意度应为1至5分"})
    with acting_as(by):
        dispute.satisfaction = score
        dispute.save()
    timeline_record(
        dispute, kind="satisfaction", action="satisfaction", summary=f"满意度评价：{score}分", by=by
    )
    return dispute


def parties_reveal_for_document(*, dispute: Dispute, by: Any, purpose: str) -> list[Party]:
    """The parties in clear for a printed document; the generation counts as a logged reveal."""
    if not has_capability(by, Capability.PERSONAL_REVEAL, dispute):
        raise PermissionDenied("您的角色不能生成含完整个人信息的文书")
    ct = ContentType.objects.get_for_model(Party)
    parties = list(dispute.parties.all())
    for party in parties:
        if party.id_number or party.phone:
            RevealLog.objects.create(
                user=by,
                content_type=ct,
                object_id=party.pk,
                field="id_number,phone",
                region_path=dispute.region.path,
                reason=purpose,
            )
    return parties


def open_load(person_ids: list[int]) -> dict[int, int]:
    """Open disputes per mediator (for assignment suggestions)."""
    from django.db.models import Count

    rows = (
        Dispute.objects.filter(mediators__in=person_ids, state__in=OPEN_STATES)
        .values("mediators")
        .annotate(n=Count("pk"))
    )
    return {r["mediators"]: r["n"] for r in rows}


@atomic
def agreement_scan_upload(*, agreement: Agreement, scan: Any, by: Any) -> Agreement:
    authorize(by, "disputes.agreement", agreement)
    with acting_as(by):
        agreement.scan = scan
        agreement.save()
    timeline_record(
        agreement.dispute,
        kind="agreement",
        action="agreement.scan",
        summary=f"上传签字盖章的协议书扫描件（{scan.name}）",
        by=by,
    )
    return agreement


@atomic
def vulnerable_save(
    *,
    by: Any,
    region: Any,
    name: str,
    category: str,
    id_number: str = "",
    phone: str = "",
    note: str = "",
    person: VulnerablePerson | None = None,
) -> VulnerablePerson:
    """Enter or correct a person of the 特殊群体档案 (compared with every party at intake; only its roles see it)."""
    region_id = getattr(region, "pk", region)
    where = (
        Region.objects.visible_to(by).filter(pk=region_id, level="community").first() if region_id else None
    )
    if person is not None:
        authorize(by, "disputes.vulnerable", person)
    authorize(by, "disputes.vulnerable", where)
    errors: dict[str, str] = {}
    if where is None:
        errors["region"] = "请选择您工作范围内的居村"
    if not name.strip():
        errors["name"] = "请填写姓名"
    if not category.strip():
        errors["category"] = "请填写类别（如孤老、残疾、重点帮扶对象）"
    for field, value, check, label in (
        ("id_number", id_number, validate_id_number, "身份证号"),
        ("phone", phone, validate_phone, "联系电话"),
    ):
        if value.strip():
            try:
                check(value.strip())
            except ValidationError as exc:
                errors[field] = f"{label}：{exc.messages[0]}"
    if errors:
        raise ValidationError(errors)
    target = person or VulnerablePerson()
    target.region = where  # type: ignore[assignment]  # refused above when None
    target.name, target.category, target.note = name.strip(), category.strip(), note.strip()
    if id_number.strip() or person is None:
        target.id_number = id_number.strip().upper()
    if phone.strip() or person is None:
        target.phone = phone.strip()
    fill_keyed_hashes(target)
    with acting_as(by):
        target.save()
    return target
