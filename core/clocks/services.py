"""Clock services: start, pause, resume, restart, extend and meet a case's clocks.

Every change recomputes the due date from the rule and writes a timeline event on the case,
in one transaction. Modules call these from their own services (never edit a Clock directly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from core.audit.timeline import timeline_record
from core.models import Clock, ClockExtension, ClockPause

from . import calendar as cal
from .engine import ClockState, DueDate, Extension, Pause, clock_state, compute_due
from .rules import PeriodUnit, get_rule


def today() -> dt.date:
    return timezone.localdate()


def explain(clock: Clock, *, on: dt.date | None = None) -> DueDate:
    rule = get_rule(clock.rule_id, clock.region)
    pauses = [Pause(p.paused_on, p.resumed_on, p.reason) for p in clock.pauses.all()]
    extensions = [Extension(e.length, str(e.approver), e.reason) for e in clock.extensions.all()]
    return compute_due(
        rule,
        clock.started_on,
        pauses=pauses,
        extensions=extensions,
        today=on or today(),
        start_event=clock.start_event,
    )


def state_of(clock: Clock, *, on: dt.date | None = None) -> ClockState:
    return clock_state(clock.due_on, clock.met_on, on or today(), settings.FAZHI_DUE_SOON_DAYS)


def _refresh(clock: Clock) -> DueDate:
    result = explain(clock)
    clock.due_on, clock.provisional = result.due_on, result.provisional
    clock.save()
    return result


def _event(clock: Clock, action: str, summary: str, by: Any, **data: Any) -> None:
    case = clock.case
    assert case is not None, "a clock always belongs to a case"
    timeline_record(
        case,
        kind="clock",
        action=f"clock.{action}",
        summary=summary,
        by=by,
        data={"clock": clock.name, "rule": clock.rule_id, "due_on": clock.due_on, **data},
    )


@transaction.atomic
def clock_start(
    *,
    case: models.Model,
    name: str,
    rule_id: str,
    started_on: dt.date,
    by: Any,
    title: str,
    start_event: str = "",
    assignee: Any = None,
) -> Clock:
    rule = get_rule(rule_id, case.region)  # type: ignore[attr-defined]
    clock = Clock(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        name=name,
        rule_id=rule.id,
        title=title,
        region=case.region,  # type: ignore[attr-defined]
        assignee=assignee,
        started_on=started_on,
        start_event=start_event,
        due_on=started_on,
    )
    clock.case = case
    result = compute_due(rule, started_on, today=today(), start_event=start_event)
    clock.due_on, clock.provisional = result.due_on, result.provisional
    clock.save()
    _event(clock, "start", f"开始计时：{rule.name}，截止{cal.fmt(clock.due_on)}", by, started_on=started_on)
    return clock


def _open(clock: Clock) -> None:
    if clock.met_on is not None:
        raise ValidationError({"clock": f"计时“{clock.name}”已于{clock.met_on:%Y-%m-%d}办结，不能再变更"})


@transaction.atomic
def clock_pause(*, clock: Clock, paused_on: dt.date, reason: str, by: Any) -> Clock:
    _open(clock)
    if not reason.strip():
        raise ValidationError({"reason": "中止计时须填写事由"})
    if clock.pauses.filter(resumed_on__isnull=True).exists():
        raise ValidationError({"paused_on": "该计时已处于中止状态"})
    if paused_on < clock.started_on:
        raise ValidationError({"paused_on": "中止日期不能早于起算日期"})
    ClockPause.objects.create(clock=clock, paused_on=paused_on, reason=reason)
    _refresh(clock)
    _event(clock, "pause", f"中止计时（{reason}）", by, paused_on=paused_on)
    return clock


@transaction.atomic
def clock_resume(*, clock: Clock, resumed_on: dt.date, by: Any) -> Clock:
    _open(clock)
    pause = clock.pauses.filter(resumed_on__isnull=True).first()
    if pause is None:
        raise ValidationError({"resumed_on": "该计时未处于中止状态"})
    if resumed_on < pause.paused_on:
        raise ValidationError({"resumed_on": "恢复日期不能早于中止日期"})
    pause.resumed_on = resumed_on
    pause.save()
    result = _refresh(clock)
    _event(clock, "resume", f"恢复计时，截止{cal.fmt(result.due_on)}", by, resumed_on=resumed_on)
    return clock


@transaction.atomic
def clock_restart(*, clock: Clock, started_on: dt.date, reason: str, by: Any, start_event: str = "") -> Clock:
    """Count the whole period again from a new start (e.g. receipt of a completed request, 补正)."""
    _open(clock)
    if not reason.strip():
        raise ValidationError({"reason": "重新计时须填写事由"})
    previous = clock.started_on
    clock.started_on = started_on
    if start_event:
        clock.start_event = start_event
    clock.pauses.all().delete()
    result = _refresh(clock)
    _event(
        clock,
        "restart",
        f"重新计时（{reason}），自{cal.fmt(started_on)}次日起算，截止{cal.fmt(result.due_on)}",
        by,
        previous_start=previous,
        started_on=started_on,
    )
    return clock


@transaction.atomic
def clock_extend(*, clock: Clock, length: int, approver: Any, reason: str, by: Any) -> Clock:
    _open(clock)
    rule = get_rule(clock.rule_id, clock.region)
    unit = PeriodUnit(rule.unit).label
    if not rule.extension_cap:
        raise ValidationError({"length": f"{rule.name}依法不得延长"})
    if length <= 0:
        raise ValidationError({"length": "延长长度应大于0"})
    used = sum(e.length for e in clock.extensions.all())
    if used + length > rule.extension_cap:
        raise ValidationError(
            {"length": f"延长超过上限：最多延长{rule.extension_cap}{unit}，已延长{used}{unit}"}
        )
    if approver is None:
        raise ValidationError(
            {"approver": f"延长须经{rule.extension_approver or '负责人'}批准，请填写批准人"}
        )
    if not reason.strip():
        raise ValidationError({"reason": "延长须填写理由"})
    ClockExtension.objects.create(
        clock=clock, length=length, approver=approver, reason=reason, approved_on=today()
    )
    result = _refresh(clock)
    _event(
        clock,
        "extend",
        f"经{approver}批准延长{length}{unit}，截止{cal.fmt(result.due_on)}",
        by,
        length=length,
    )
    return clock


@transaction.atomic
def clock_meet(*, clock: Clock, met_on: dt.date, by: Any) -> Clock:
    _open(clock)
    if met_on < clock.started_on:
        raise ValidationError({"met_on": "办结日期不能早于起算日期"})
    open_pause = clock.pauses.filter(resumed_on__isnull=True).first()
    if open_pause is not None:
        open_pause.resumed_on = max(met_on, open_pause.paused_on)
        open_pause.save()
        _refresh(clock)
    clock.met_on = met_on
    clock.save()
    late = "（逾期）" if met_on > clock.due_on else ""
    _event(clock, "meet", f"办结{late}：{cal.fmt(met_on)}", by, met_on=met_on)
    return clock


def deadline_preview(*, rule_id: str, started_on: dt.date, user: Any = None) -> DueDate:
    """What the due date would be for a clock of ``rule_id`` started on ``started_on``.

    Uses the local setting of the user's first region for configurable rules.
    """
    from core.scoping import active_memberships

    memberships = active_memberships(user) if user is not None else []
    region = memberships[0].unit.region if memberships else None
    return compute_due(get_rule(rule_id, region), started_on, today=today())


def clocks_of(case: Any) -> list[tuple[Clock, ClockState, DueDate]]:
    """A case's clocks with their state today and their explanation (for case pages)."""
    clocks = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(case), object_id=case.pk
    ).prefetch_related("pauses", "extensions", "extensions__approver")
    on = today()
    return [(c, state_of(c, on=on), explain(c, on=on)) for c in clocks]


def clock_of(case: Any, name: str) -> Clock | None:
    """The case's clock called ``name`` (None when it was never started)."""
    return Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(case), object_id=case.pk, name=name
    ).first()


def clock_meet_open(*, case: Any, name: str, met_on: dt.date, by: Any) -> Clock | None:
    """Meet the case's clock ``name`` when the matter it times is concluded, if it is still open.

    A matter concluded before its clock started (a follow-up visit before the performance date, a
    case ended before acceptance) meets the clock on its start day.
    """
    clock = clock_of(case, name)
    if clock is None or clock.met_on is not None:
        return clock
    return clock_meet(clock=clock, met_on=max(met_on, clock.started_on), by=by)


def clocks_by_case(cases: Iterable[Any], name: str) -> dict[int, Clock]:
    """The clock called ``name`` of each case, by case pk, in one query (for lists and reports)."""
    cases = list(cases)
    if not cases:
        return {}
    clocks = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(cases[0]),
        object_id__in=[c.pk for c in cases],
        name=name,
    )
    return {c.object_id: c for c in clocks}


def met_on_time(model: type[models.Model], name: str) -> models.QuerySet[Clock, Any]:
    """Ids of the cases of ``model`` whose clock ``name`` was met on or before its due date (a subquery)."""
    return Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        name=name,
        met_on__isnull=False,
        met_on__lte=models.F("due_on"),
    ).values("object_id")
