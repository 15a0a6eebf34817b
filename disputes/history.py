"""Disputes of a past period, imported closed with their outcome: 矛盾纠纷（已办结历史案件）.

One row is one finished case: received, mediated (or transferred, or not accepted) and ended, with its
agreement, follow-up visits, judicial confirmation and satisfaction. Each case is built through the same
services and workflow transitions as a case handled in the platform (``dispute_intake``, ``transition``,
``agreement_record``, ``follow_up_record`` …), each step stamped with its real moment (``recorded_at``): its
clocks start and are met on their real dates, counted on that year's calendar (met, or met late); its
timeline shows every step at its date, with a 历史数据导入 entry (``core.history.mark_historical``); the
indicators of that year count it. Any clock still open at the end is met on the day the case ended
(``settle_clocks``), so no imported case turns overdue today.

Every date is checked before anything is written (``dates_in_order``: received ≤ accepted ≤ ended ≤ visits
≤ closed, none in the future), and the workflow checks them again; each refusal names its column.

The importing user acts for every step and must be allowed each one by the permission table: the justice
office imports every outcome; a mediator imports the mediated cases of their own committee. A refused step
is a row error naming the column, and the whole import writes nothing.

The same source and 来源编号 is the same dispute: a retried import finds it and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from core.audit import chain, changelog
from core.audit.context import recorded_at
from core.history import Existing, dates_in_order, mark_historical, parse_date, parse_moment, settle_clocks
from core.imports import Column, Importer, RowInvalid, register
from core.models import Person, Region, Unit
from core.permissions import allowed, refusal
from core.roles import Capability
from core.workflow import TransitionNotAllowed, transition

from . import risk, services
from .choices import (
    OPEN_STATES,
    AgreementKind,
    ConfirmationDecision,
    DisputeState,
    FailurePath,
    Fulfilment,
    Route,
    TransferBody,
)
from .importers import (
    HISTORY_TITLE,
    SOURCES,
    community_of,
    existing_of,
    intake_errors,
    looked_up,
    parties_of,
    source_of,
    type_of,
)
from .models import Dispute
from .workflow import DISPUTE_WORKFLOW, MEDIATION_UNIT_KINDS

OUTCOMES = {
    "调解成功": "succeed",
    "调解不成": "fail",
    "终止调解": "terminate",
    "已移交": "transfer",
    "移交": "transfer",
    "不予受理": "reject",
}
OUTCOME_STATES = {
    "succeed": DisputeState.CLOSED,
    "fail": DisputeState.FAILED,
    "terminate": DisputeState.TERMINATED,
    "transfer": DisputeState.TRANSFERRED,
    "reject": DisputeState.NOT_ACCEPTED,
}
MEDIATED = ("succeed", "fail", "terminate")
ROUTES = {"居村": Route.COMMUNITY, "街镇": Route.STREET, **{str(label): v for v, label in Route.choices}}
KINDS = {"书面": AgreementKind.WRITTEN, "口头": AgreementKind.ORAL} | {
    str(label): v for v, label in AgreementKind.choices
}
FULFILMENTS = {str(label): v for v, label in Fulfilment.choices}
FAILURE_PATHS = {"诉讼": "litigation", "仲裁": "arbitration", "行政途径": "administrative"} | {
    str(label): v for v, label in FailurePath.choices
}
BODIES = {str(label): v for v, label in TransferBody.choices}
DECISIONS = {str(label): v for v, label in ConfirmationDecision.choices}
YES_NO = {"是": True, "否": False}
SPLIT = re.compile(r"[；;、，,\n]+")
TERM = re.compile(r"^\s*(\S+?)(?:\s+(.+?))?\s*$")
DAY_START = dt.time(9, 0)
DAY_END = dt.time(18, 0)


def _choice(
    record: dict[str, str], key: str, label: str, options: dict[str, Any], errors: dict[str, str]
) -> Any:
    value = record[key]
    if not value:
        return None
    if value not in options:
        errors[key] = f"{label}“{value}”不是可选值：{'、'.join(options)}"
        return None
    return options[value]


def _date(record: dict[str, str], key: str, label: str, errors: dict[str, str]) -> dt.date | None:
    try:
        return parse_date(record[key], key, label)
    except RowInvalid as exc:
        errors.update(exc.errors)
        return None


def _dates(record: dict[str, str], key: str, label: str, errors: dict[str, str]) -> list[dt.date]:
    days = []
    for part in SPLIT.split(record[key]):
        if part.strip():
            try:
                day = parse_date(part.strip(), key, label)
            except RowInvalid as exc:
                errors.update(exc.errors)
                return []
            assert day is not None
            days.append(day)
    return days


@dataclass
class Case:
    """One row read and checked, ready to be built (nothing written yet)."""

    record: dict[str, str]
    source: str = ""
    dispute_type: str = ""
    community: Region | None = None
    street: Region | None = None
    received: dt.datetime | None = None
    outcome: str = ""
    route: str = ""
    committee: Unit | None = None
    lead_unit: Unit | None = None
    mediators: list[Person] = field(default_factory=list)
    accepted: dt.date | None = None
    ended: dt.date | None = None
    closed: dt.date | None = None
    kind: str = ""
    terms: list[tuple[dt.date, str]] = field(default_factory=list)
    visits: list[dt.date] = field(default_factory=list)
    fulfilment: list[str] = field(default_factory=list)
    satisfaction: int | None = None
    failure_path: str = ""
    body: str = ""
    applied: dt.date | None = None
    court_accepted: dt.date | None = None
    decision: str = ""
    decided: dt.date | None = None
    reported: dt.date | None = None
    escalated_out: bool = False
    errors: dict[str, str] = field(default_factory=dict)


def _read(record: dict[str, str], by: Any) -> Case:
    """Every column of the row checked, every problem collected by column (nothing written)."""
    c = Case(record)
    e = c.errors
    try:
        c.dispute_type = type_of(record, by)
    except RowInvalid as exc:
        e.update(exc.errors)
    try:
        community = c.community = community_of(record, by)
        c.street = looked_up(by, ("street", community.pk), lambda: community.ancestor_at("street"))
    except RowInvalid as exc:
        e.update(exc.errors)
    try:
        c.received = parse_moment(record["received_at"], "received_at", "受理时间", required=True)
    except RowInvalid as exc:
        e.update(exc.errors)
    c.outcome = OUTCOMES.get(record["outcome"], "")
    if not c.outcome:
        e["outcome"] = (
            f"办理结果“{record['outcome']}”不是可选值：" if record["outcome"] else "请填写办理结果："
        ) + ("、".join(k for k in OUTCOMES if k != "移交"))
    mediated = c.outcome in MEDIATED or (c.outcome == "transfer" and bool(record["accepted_on"]))
    _read_mediation(c, by, mediated)
    _read_dates(c)
    _read_outcome(c)
    _check_order(c)
    if c.outcome and c.community is not None:
        _check_permissions(c, by, mediated)
    return c


def _read_mediation(c: Case, by: Any, mediated: bool) -> None:
    record, e = c.record, c.errors
    route = _choice(record, "route", "化解层级", ROUTES, e)
    if not mediated:
        for key, label in (("committee", "调解组织"), ("mediators", "调解员"), ("route", "化解层级")):
            if record[key] and c.outcome:
                e[key] = f"未经调解的案件（{record['outcome']}，未填调解受理日期）不填{label}"
        return
    if not record["committee"]:
        e["committee"] = "经调解的案件请填写调解组织（本街镇人民调解委员会或调解工作室的名称）"
    elif c.street is not None:
        street = c.street
        c.committee = looked_up(
            by,
            ("committee", street.pk, record["committee"]),
            lambda: (
                Unit.objects.visible_to(by)
                .filter(
                    name=record["committee"],
                    kind__in=MEDIATION_UNIT_KINDS,
                    active=True,
                    region__path__startswith=street.path,
                )
                .select_related("region")
                .first()
            ),
        )
        if c.committee is None:
            e["committee"] = (
                f"调解组织“{record['committee']}”不是{c.street.name}在用的人民调解委员会或调解工作室"
            )
    names = [n.strip() for n in SPLIT.split(record["mediators"]) if n.strip()]
    if not names:
        e["mediators"] = "经调解的案件请填写调解员（调解员名册中的姓名，多名以“、”分隔）"
    elif c.street is not None:
        street = c.street
        for name in names:
            same = looked_up(
                by,
                ("mediator", street.pk, name),
                lambda name=name: list(  # type: ignore[misc]
                    Person.objects.visible_to(by).filter(
                        kind="mediator", active=True, region__path__startswith=street.path, name=name
                    )
                ),
            )
            if len(same) > 1 and c.committee is not None:
                same = [p for p in same if p.unit_id == c.committee.pk] or same
            if not same:
                e["mediators"] = f"调解员“{name}”不在{c.street.name}在册的调解员名册中"
                break
            if len(same) > 1:
                e["mediators"] = f"名册中有{len(same)}位调解员名为“{name}”，请在名册中区分姓名后再导入"
                break
            if same[0] not in c.mediators:
                c.mediators.append(same[0])
    if c.committee is not None:
        at_street = c.committee.region.level != "community"
        c.route = route or (Route.STREET if at_street else Route.COMMUNITY)
        if c.route == Route.STREET and c.street is not None:
            street = c.street
            c.lead_unit = (
                c.committee
                if at_street
                else looked_up(
                    by,
                    ("lead_unit", street.pk),
                    lambda: (
                        Unit.objects.visible_to(by)
                        .filter(kind="justice_office", region=street, active=True)
                        .order_by("pk")
                        .first()
                    ),
                )
            )
            if c.lead_unit is None:
                e["route"] = "街镇联合化解须有牵头单位：本街镇没有在用的司法所，请填写街镇一级的调解组织"


def _read_dates(c: Case) -> None:
    record, e, outcome = c.record, c.errors, c.outcome
    c.accepted = _date(record, "accepted_on", "调解受理日期", e)
    c.ended = _date(record, "ended_on", "调解结束日期", e)
    c.closed = _date(record, "closed_on", "结案日期", e)
    c.reported = _date(record, "reported_on", "上报日期", e)
    c.applied = _date(record, "applied_on", "司法确认申请日期", e)
    c.court_accepted = _date(record, "court_accepted_on", "法院受理日期", e)
    c.decided = _date(record, "decided_on", "裁定日期", e)
    if outcome in MEDIATED:
        if not record["accepted_on"]:
            e["accepted_on"] = "经调解的案件请填写调解受理日期"
        if not record["ended_on"]:
            e["ended_on"] = {
                "succeed": "调解成功的案件请填写调解结束日期（调解协议生效日期）",
                "fail": "调解不成的案件请填写调解结束日期（调解终结日期）",
                "terminate": "终止调解的案件请填写调解结束日期（终止日期）",
            }[outcome]
    elif outcome and record["ended_on"]:
        e["ended_on"] = f"{record['outcome']}的案件不填调解结束日期，请把移交或不予受理的日期填在“结案日期”"
    if outcome in ("fail", "terminate") and c.closed is not None and c.ended not in (None, c.closed):
        e["closed_on"] = f"{record['outcome']}的案件以调解结束日期结案：结案日期应与之相同，或不填"
    if outcome in ("fail", "terminate"):
        c.closed = c.closed or c.ended
    if outcome in ("transfer", "reject") and not record["closed_on"]:
        e["closed_on"] = f"请填写结案日期（{'移交' if outcome == 'transfer' else '决定不予受理'}的日期）"


def _read_outcome(c: Case) -> None:
    record, e, outcome = c.record, c.errors, c.outcome
    needs_reason = {
        "fail": "调解不成的情况说明",
        "terminate": "终止理由",
        "transfer": "移交理由",
        "reject": "不予受理的理由",
    }
    if outcome in needs_reason and not record["reason"].strip():
        e["reason"] = f"请填写{needs_reason[outcome]}"
    c.failure_path = _choice(record, "failure_path", "引导途径", FAILURE_PATHS, e) or ""
    if outcome == "fail" and not record["failure_path"]:
        e["failure_path"] = f"调解不成的案件请填写引导途径：{'、'.join(FailurePath.labels)}"
    elif outcome and outcome != "fail" and record["failure_path"]:
        e["failure_path"] = "只有调解不成的案件填写引导途径"
    c.body = _choice(record, "transfer_body", "移交机关", BODIES, e) or ""
    if outcome == "transfer" and not record["transfer_body"]:
        e["transfer_body"] = f"已移交的案件请填写移交机关：{'、'.join(BODIES)}"
    elif outcome and outcome != "transfer" and record["transfer_body"]:
        e["transfer_body"] = "只有已移交的案件填写移交机关"
    if record["satisfaction"]:
        if record["satisfaction"] not in ("1", "2", "3", "4", "5"):
            e["satisfaction"] = "满意度应为1至5的整数"
        elif outcome in ("transfer", "reject"):
            e["satisfaction"] = "只有调解成功（结案）、调解不成或终止调解的案件可以登记满意度"
        else:
            c.satisfaction = int(record["satisfaction"])
    reported_to = record["reported_to"].strip()
    c.escalated_out = bool(_choice(record, "escalated_out", "出街镇", YES_NO, e))
    if (c.escalated_out or record["reported_on"]) and not reported_to:
        e["reported_to"] = "请填写上报对象（向谁报告）"
    agreement_keys = (
        "agreement_kind",
        "agreement_number",
        "facts",
        "terms",
        "schedule",
        "visited_on",
        "fulfilment",
    )
    confirmation_keys = ("court", "applied_on", "court_accepted_on", "decision", "decided_on")
    if outcome and outcome != "succeed":
        for key in agreement_keys + confirmation_keys:
            if record[key]:
                e.setdefault(key, "只有调解成功的案件填写调解协议、履行回访和司法确认")
        return
    if outcome != "succeed":
        return
    c.kind = _choice(record, "agreement_kind", "协议形式", KINDS, e) or ""
    if not record["agreement_kind"]:
        e["agreement_kind"] = "请填写协议形式：书面或口头"
    if record["agreement_number"] and c.kind == AgreementKind.ORAL:
        e["agreement_number"] = "口头协议没有协议编号"
    if len(record["terms"].strip()) < 5:
        e["terms"] = "请写明协议内容、履行方式和期限（至少5个字）"
    if record["facts"] and len(record["facts"].strip()) < 5:
        e["facts"] = "请写明主要事实、争议事项及各方责任（至少5个字），或不填（以纠纷概要为准）"
    _read_follow_ups(c)
    _read_confirmation(c)


def _read_follow_ups(c: Case) -> None:
    record, e = c.record, c.errors
    for n, part in enumerate(p for p in re.split(r"[；;\n]+", record["schedule"]) if p.strip()):
        m = TERM.match(part)
        assert m is not None
        try:
            day = parse_date(m.group(1), "schedule", f"第{n + 1}项履行期限")
        except RowInvalid as exc:
            e.update(exc.errors)
            break
        assert day is not None
        c.terms.append((day, (m.group(2) or f"第{n + 1}期履行")[:200]))
    c.visits = _dates(record, "visited_on", "回访日期", e)
    expected = max(1, len(c.terms))
    if not record["visited_on"]:
        e["visited_on"] = "调解成功的案件结案前须回访：请填写回访日期" + (
            f"（履行期限{expected}项，回访日期{expected}个，以“；”分隔）" if expected > 1 else ""
        )
    elif c.visits and len(c.visits) != expected:
        e["visited_on"] = (
            f"履行期限有{expected}项，回访日期应有{expected}个（以“；”分隔，与履行期限一一对应），现有{len(c.visits)}个"
            if c.terms
            else f"未填履行期限的协议回访一次，回访日期应为1个，现有{len(c.visits)}个"
        )
    values = [v.strip() for v in re.split(r"[；;、，,\n]+", record["fulfilment"]) if v.strip()]
    if not values:
        e["fulfilment"] = f"请填写履行情况：{'、'.join(FULFILMENTS)}"
    elif any(v not in FULFILMENTS for v in values):
        e["fulfilment"] = f"履行情况应为：{'、'.join(FULFILMENTS)}（多次回访以“；”分隔）"
    elif len(values) not in (1, expected):
        e["fulfilment"] = (
            f"履行情况应填1个（各次相同）或{expected}个（与回访日期一一对应），现有{len(values)}个"
        )
    else:
        c.fulfilment = [FULFILMENTS[v] for v in values] * (expected if len(values) == 1 else 1)
    if c.ended is not None and any(day < c.ended for day, _ in c.terms):
        e["schedule"] = "履行期限不能早于调解结束日期（协议生效日期）"
    if c.closed is None and c.visits:
        c.closed = max(c.visits)


def _read_confirmation(c: Case) -> None:
    record, e = c.record, c.errors
    given = [k for k in ("court", "applied_on", "court_accepted_on", "decision", "decided_on") if record[k]]
    if not given:
        return
    if c.kind == AgreementKind.ORAL:
        e[given[0]] = "只有书面调解协议可以申请司法确认"
        return
    if not record["court"]:
        e["court"] = "请填写受理司法确认的法院"
    if not record["applied_on"]:
        e["applied_on"] = "请填写司法确认申请日期"
    c.decision = _choice(record, "decision", "裁定结果", DECISIONS, e) or ""
    if bool(record["decision"]) != bool(record["decided_on"]):
        key = "decided_on" if record["decision"] else "decision"
        e[key] = "裁定结果和裁定日期应同时填写"
    if record["court_accepted_on"] and not record["decision"]:
        e["decision"] = "已填法院受理日期，请填写裁定结果和裁定日期"
    c.court_accepted = c.court_accepted or (c.applied if c.decided else None)


def _check_order(c: Case) -> None:
    """Received ≤ accepted ≤ ended ≤ visits ≤ closed (and the confirmation and the report in their places)."""
    orders: list[list[tuple[str, str, dt.date | dt.datetime | None]]] = [
        [
            ("received_at", "受理时间", c.received),
            ("accepted_on", "调解受理日期", c.accepted),
            ("ended_on", "调解结束日期", c.ended),
            ("visited_on", "回访日期", min(c.visits) if c.visits else None),
            ("visited_on", "最后一次回访日期", max(c.visits) if c.visits else None),
            ("closed_on", "结案日期", c.closed if c.record["closed_on"] else None),
        ],
        [
            ("ended_on", "调解结束日期", c.ended),
            ("applied_on", "司法确认申请日期", c.applied),
            (
                "court_accepted_on",
                "法院受理日期",
                c.court_accepted if c.record["court_accepted_on"] else None,
            ),
            ("decided_on", "裁定日期", c.decided),
        ],
        [("received_at", "受理时间", c.received), ("reported_on", "上报日期", c.reported)],
    ]
    for order in orders:
        try:
            dates_in_order(order)
        except RowInvalid as exc:
            for key, message in exc.errors.items():
                c.errors.setdefault(key, message)
    if c.reported is not None and c.closed is not None and c.reported > c.closed:
        c.errors.setdefault(
            "reported_on",
            f"上报日期（{c.reported.isoformat()}）晚于结案日期（{c.closed.isoformat()}），请核对",
        )


def _steps(c: Case, mediated: bool) -> list[tuple[str, str]]:
    """(permission code, column the refusal is reported in) for each step the case takes."""
    wf = DISPUTE_WORKFLOW

    def action(name: str) -> str:
        return wf.permission_code(wf.action(name))

    steps: list[tuple[str, str]] = []
    if c.record["reported_to"]:
        steps.append(("disputes.escalation", "reported_to"))
    if mediated:
        steps += [(action(a), "outcome") for a in ("triage", "assign", "accept")]
    steps.append((action(c.outcome), "outcome"))
    if c.outcome == "succeed":
        steps += [
            ("disputes.agreement", "outcome"),
            ("disputes.follow_up", "visited_on"),
            (action("close"), "outcome"),
        ]
        if c.record["court"]:
            steps.append(("disputes.confirmation", "court"))
    if c.satisfaction is not None:
        steps.append(("disputes.satisfaction", "satisfaction"))
    return steps


def _check_permissions(c: Case, by: Any, mediated: bool) -> None:
    """The importing user acts for every step: refuse the row before writing when the table refuses one."""
    for code, column in _steps(c, mediated):
        if not allowed(by, code, c.community):
            c.errors.setdefault(
                column, f"{refusal(code)}，不能导入“{c.record['outcome']}”的历史案件，请由司法所导入"
            )
            return


# --- building -----------------------------------------------------------------------------------

# Each service's or action's field -> the template's column
FIELD_COLUMNS = {
    "accepted_on": "accepted_on",
    "ended_on": "ended_on",
    "failure_path": "failure_path",
    "reason": "reason",
    "transferred_on": "closed_on",
    "rejected_on": "closed_on",
    "closed_on": "closed_on",
    "body": "transfer_body",
    "route": "route",
    "lead_unit": "route",
    "committee": "committee",
    "mediators": "mediators",
    "kind": "agreement_kind",
    "number": "agreement_number",
    "facts": "facts",
    "terms": "terms",
    "effective_on": "ended_on",
    "schedule": "schedule",
    "visited_on": "visited_on",
    "fulfilment": "fulfilment",
    "court": "court",
    "applied_on": "applied_on",
    "decision": "decision",
    "decided_on": "decided_on",
    "satisfaction": "satisfaction",
    "reported_to": "reported_to",
    "reported_at": "reported_on",
}


@contextmanager
def _step(column: str, fields: dict[str, str] | None = None) -> Iterator[None]:
    """Turn a service's or transition's refusal into a row error naming the column."""
    try:
        yield
    except ValidationError as exc:
        names = {**FIELD_COLUMNS, **(fields or {})}
        if hasattr(exc, "error_dict"):
            raise RowInvalid(
                {names.get(k, column): "；".join(v) for k, v in exc.message_dict.items()}
            ) from None
        raise RowInvalid({column: "；".join(exc.messages)}) from None
    except (TransitionNotAllowed, PermissionDenied) as exc:
        raise RowInvalid({column: str(exc) or "没有权限"}) from None
    except Http404:
        raise RowInvalid({column: "该纠纷不在您的工作范围内"}) from None


class _Moments:
    """The moment each step is stamped with: its day, never before the step before it."""

    def __init__(self, start: dt.datetime) -> None:
        self.last = start

    def on(self, day: dt.date, time: dt.time = DAY_START) -> dt.datetime:
        self.last = max(self.last, timezone.make_aware(dt.datetime.combine(day, time)))
        return self.last


def _build(c: Case, by: Any) -> Dispute:
    assert c.community is not None and c.received is not None and c.closed is not None
    record, t = c.record, _Moments(c.received)
    with recorded_at(c.received):
        d = _intake(c, by)
    mediated = bool(c.committee)
    if record["reported_to"]:
        moment = t.on(c.reported or c.received.date())
        with recorded_at(moment), _step("reported_to"):
            services.escalation_record(
                dispute=d,
                reported_to=record["reported_to"],
                note="",
                by=by,
                escalated_out=c.escalated_out,
                reported_at=moment,
            )
    elif mediated and risk.needs_escalation(d.risk_level):
        raise RowInvalid(
            {
                "reported_to": f"该纠纷按研判规则为{d.get_risk_level_display()}风险，须先向上级报告：请填写上报对象和上报日期"
            }
        )
    if mediated:
        d = _mediate(c, d, by, t)
    if c.outcome == "succeed":
        d = _succeed(c, d, by, t)
    elif c.outcome in ("fail", "terminate"):
        assert c.ended is not None
        data = {"ended_on": c.ended, "reason": record["reason"]}
        if c.outcome == "fail":
            data["failure_path"] = c.failure_path
        with recorded_at(t.on(c.ended)), _step("outcome"):
            d = transition(d, c.outcome, by=by, data=data)
    elif c.outcome == "transfer":
        with recorded_at(t.on(c.closed)), _step("outcome"):
            d = transition(
                d,
                "transfer",
                by=by,
                data={"body": c.body, "transferred_on": c.closed, "reason": record["reason"]},
            )
    else:
        with recorded_at(t.on(c.closed)), _step("outcome"):
            d = transition(d, "reject", by=by, data={"reason": record["reason"], "rejected_on": c.closed})
    if c.satisfaction is not None and c.outcome != "succeed":  # a settled case is rated when it is closed
        with recorded_at(t.last), _step("satisfaction"):
            d = services.satisfaction_record(dispute=d, score=c.satisfaction, by=by)
    end = t.on(c.closed, DAY_END)
    with recorded_at(end):
        settle_clocks(d, on=c.closed, by=by)
    mark_historical(d, by=by, at=end, note=f"{record['outcome']}，来源编号{record['external_ref']}")
    return d


def _mediate(c: Case, d: Dispute, by: Any, t: _Moments) -> Dispute:
    assert c.committee is not None and c.accepted is not None
    lead = str(c.lead_unit.pk) if c.route == Route.STREET and c.lead_unit is not None else ""
    with recorded_at(t.last), _step("route"):
        d = transition(d, "triage", by=by, data={"route": c.route, "lead_unit": lead})
    with recorded_at(t.last), _step("committee"):
        d = transition(
            d,
            "assign",
            by=by,
            data={"committee": str(c.committee.pk), "mediators": [str(p.pk) for p in c.mediators]},
        )
    with recorded_at(t.on(c.accepted)), _step("accepted_on"):
        d = transition(d, "accept", by=by, data={"accepted_on": c.accepted})
    return d


def _succeed(c: Case, d: Dispute, by: Any, t: _Moments) -> Dispute:
    assert c.ended is not None and c.closed is not None
    record = c.record
    with recorded_at(t.on(c.ended)):
        with _step("outcome"):
            services.agreement_record(
                dispute=d,
                kind=c.kind,
                facts=record["facts"] or record["description"],
                terms=record["terms"],
                effective_on=c.ended,
                schedule="\n".join(f"{day.isoformat()} {what}" for day, what in c.terms),
                number=record["agreement_number"],
                by=by,
            )
        with _step("outcome"):
            d = transition(d, "succeed", by=by, data={"confirmation": "yes" if c.applied else "no"})
    events: list[tuple[dt.date, int, Callable[[], Any]]] = []
    if c.applied is not None:
        applied = c.applied

        def apply() -> None:
            with _step("court"):
                services.confirmation_apply(dispute=d, court=record["court"], applied_on=applied, by=by)

        events.append((applied, 0, apply))
    if c.decided is not None:
        decided, court_accepted = c.decided, c.court_accepted or c.decided

        def decide() -> None:
            with _step("decision", {"accepted_on": "court_accepted_on"}):
                services.confirmation_decide(
                    dispute=d, accepted_on=court_accepted, decision=c.decision, decided_on=decided, by=by
                )

        events.append((decided, 1, decide))
    follow_ups = [changelog.hold(fu) for fu in d.follow_ups.select_for_update().order_by("pk")]
    for fu, visited, fulfilment in zip(follow_ups, c.visits, c.fulfilment, strict=True):

        def visit(fu: Any = fu, visited: dt.date = visited, fulfilment: str = fulfilment) -> None:
            with _step("visited_on"):
                services.follow_up_record(
                    follow_up=fu, visited_on=visited, fulfilment=fulfilment, note="", by=by
                )

        events.append((visited, 2, visit))
    closed = c.closed

    def close() -> None:
        nonlocal d
        with _step("closed_on"):
            d = transition(d, "close", by=by, data={"closed_on": closed})

    events.append((closed, 3, close))
    if c.satisfaction is not None:
        score = c.satisfaction

        def rate() -> None:
            nonlocal d
            with _step("satisfaction"):
                d = services.satisfaction_record(dispute=d, score=score, by=by)

        events.append((closed, 4, rate))
    for day, _, run in sorted(events, key=lambda e: (e[0], e[1])):
        with recorded_at(t.on(day)):
            run()
    return d


def _row(record: dict[str, str], by: Any) -> Any:
    source = source_of(record)
    found = existing_of(source, record["external_ref"], by)
    if found is not None:
        if found.state in OPEN_STATES:
            raise RowInvalid(
                {
                    "external_ref": f"来源编号“{record['external_ref']}”已登记为尚未办结的纠纷（{found.number}，"
                    f"{found.get_state_display()}），请在系统中继续办理，不能再按已办结案件导入"
                }
            )
        return Existing(found)  # imported before: nothing written
    c = _read(record, by)
    c.source = source
    if c.errors:
        raise RowInvalid({**_intake_problems(c, by), **c.errors})
    with (
        chain.deferred()
    ):  # the case's timeline and change-log entries written together, in the row's savepoint
        return _build(c, by)


def _intake_problems(c: Case, by: Any) -> dict[str, str]:
    """What the intake itself refuses in a row already refused (parties, amount …), so that every error of
    the row is listed at once. The trial intake is undone with the row's savepoint."""
    if c.community is None or not c.dispute_type:
        return {}
    try:
        _intake(c, by)
    except RowInvalid as exc:
        return exc.errors
    return {}


def _intake(c: Case, by: Any) -> Dispute:
    assert c.community is not None
    record = c.record
    try:
        return services.dispute_intake(
            by=by,
            source=c.source,
            external_ref=record["external_ref"],
            dispute_type=c.dispute_type,
            community=c.community.pk,
            description=record["description"],
            address=record["address"],
            amount=record["amount"] or None,
            people_count=record["people_count"] or 1,
            received_at=c.received,
            parties=parties_of(record),
        ).dispute
    except ValidationError as exc:
        raise RowInvalid(intake_errors(exc)) from None


COLUMNS = [
    Column(
        "来源编号",
        "external_ref",
        True,
        "TJ2025-0001",
        "原台账或来源系统中的编号；同一纠纷来源同一编号只导入一次，再次导入时跳过、不会更新",
        max_chars=80,
    ),
    Column("纠纷来源", "source", True, "来访", "可选：" + "、".join(SOURCES)),
    Column("纠纷类型", "type", True, "邻里"),
    Column("居村区划代码", "community", True, "990100001001"),
    Column("纠纷概要", "description", True, "楼上漏水致楼下天花板受损"),
    Column("发生地址", "address", False, "示例路1号", max_chars=200),
    Column("涉及金额（元）", "amount", False, "3000"),
    Column("涉及人数", "people_count", False, "2"),
    Column(
        "受理时间",
        "received_at",
        True,
        "2025-03-02 09:30",
        "YYYY-MM-DD HH:MM，只填日期按9:00计；不能是将来的时间",
    ),
    Column("申请人姓名", "applicant", True, "张某（示例）", max_chars=100),
    Column("申请人身份证号", "applicant_id", False, "", max_chars=18),
    Column("申请人电话", "applicant_phone", False, "", max_chars=20),
    Column("被申请人姓名", "respondent", False, "李某（示例）", max_chars=100),
    Column("被申请人身份证号", "respondent_id", False, "", max_chars=18),
    Column("被申请人电话", "respondent_phone", False, "", max_chars=20),
    Column(
        "办理结果",
        "outcome",
        True,
        "调解成功",
        "调解成功（已结案）、调解不成、终止调解、已移交、不予受理",
    ),
    Column(
        "化解层级",
        "route",
        False,
        "居村",
        "居村（居村自行化解）或街镇（街镇联合化解）；不填按调解组织所在层级",
    ),
    Column(
        "上报对象",
        "reported_to",
        False,
        "",
        "高、重大风险纠纷按规定须向上级报告：填写报告对象，如“街道平安办”",
        max_chars=100,
    ),
    Column("上报日期", "reported_on", False, "", "不填为受理当天"),
    Column(
        "出街镇", "escalated_out", False, "否", "上报后由街镇以上处理的填“是”；已移交的案件自动计为出街镇"
    ),
    Column(
        "调解组织",
        "committee",
        False,
        "示例甲居民区人民调解委员会",
        "经调解的案件必填：本街镇人民调解委员会或调解工作室的名称",
        max_chars=100,
    ),
    Column(
        "调解员",
        "mediators",
        False,
        "调解员a（示例）",
        "经调解的案件必填：调解员名册中的姓名，多名以“、”分隔",
    ),
    Column(
        "调解受理日期", "accepted_on", False, "2025-03-03", "经调解的案件必填；已移交的案件如曾受理调解也填写"
    ),
    Column(
        "调解结束日期",
        "ended_on",
        False,
        "2025-03-10",
        "调解成功：调解协议生效日期；调解不成：终结日期；终止调解：终止日期",
    ),
    Column("协议形式", "agreement_kind", False, "书面", "调解成功必填：书面或口头"),
    Column(
        "协议编号",
        "agreement_number",
        False,
        "示例街道调字〔2025〕1号",
        "书面协议原有的编号；不填按本街镇顺序编号",
        max_chars=40,
    ),
    Column("主要事实及争议事项", "facts", False, "", "不填以纠纷概要为准"),
    Column(
        "协议内容", "terms", False, "楼上一次性支付维修费3000元", "调解成功必填：协议内容、履行方式和期限"
    ),
    Column(
        "履行期限",
        "schedule",
        False,
        "2025-03-20 支付维修费3000元",
        "每项一行或以“；”分隔：“日期 履行事项”；不填为协议生效当日履行",
    ),
    Column(
        "回访日期",
        "visited_on",
        False,
        "2025-03-20",
        "调解成功必填：每项履行期限回访一次，多个以“；”分隔，与履行期限一一对应",
    ),
    Column(
        "履行情况",
        "fulfilment",
        False,
        "已履行",
        "调解成功必填：已履行、部分履行、未履行；多次回访以“；”分隔",
    ),
    Column(
        "结案日期",
        "closed_on",
        False,
        "2025-03-21",
        "调解成功不填为最后一次回访日期；调解不成、终止调解为调解结束日期；已移交、不予受理必填（移交或决定不予受理的日期）",
    ),
    Column("满意度", "satisfaction", False, "5", "1至5分；已移交、不予受理的案件不填"),
    Column("引导途径", "failure_path", False, "", "调解不成必填：引导诉讼、引导仲裁、引导行政途径"),
    Column("移交机关", "transfer_body", False, "", "已移交必填：" + "、".join(BODIES)),
    Column("理由或情况说明", "reason", False, "", "调解不成、终止调解、已移交、不予受理必填"),
    Column("司法确认法院", "court", False, "", "书面协议申请司法确认的，填写法院名称", max_chars=100),
    Column("司法确认申请日期", "applied_on", False, ""),
    Column("法院受理日期", "court_accepted_on", False, "", "不填为申请日期"),
    Column("裁定结果", "decision", False, "", "确认有效或驳回申请"),
    Column("裁定日期", "decided_on", False, ""),
]

HISTORY = register(
    Importer(
        "disputes-history",
        HISTORY_TITLE,
        COLUMNS,
        _row,
        notes=[
            "每行一件已经办结的纠纷（往年的台账、其他系统的记录），连同办理结果导入：导入后即为已结案、调解不成、"
            "终止调解、已移交或不予受理，时间线上每一步按实际日期记载，并注明“历史数据导入”。",
            "调解期限、回访、司法确认期限按当年的工作日历计算，并在实际日期办结（按期或逾期），不会在今天显示为逾期；"
            "当年的受理数、调解成功率、协议履行率、出街镇率等指标按这些案件计算。",
            "日期须前后有序且不能是将来的日期：受理时间 ≤ 调解受理日期 ≤ 调解结束日期 ≤ 回访日期 ≤ 结案日期；"
            "调解结束日期 ≤ 司法确认申请日期 ≤ 法院受理日期 ≤ 裁定日期。",
            "各步骤均以导入人的名义办理，导入人须有权办理每一步：司法所可导入各种结果；调解员只能导入本调解组织调解的案件。",
            "高、重大风险纠纷（按研判规则）须填写上报对象。尚未办结的纠纷请使用“矛盾纠纷”模板。",
        ],
        capability=Capability.DISPUTE_INTAKE,
        group="矛盾纠纷",
        description="每行一件已办结的纠纷，连同调解协议、回访、司法确认和满意度。",
        batch_audit=True,  # a case's steps read its follow-ups and agreement, never its timeline
    )
)
