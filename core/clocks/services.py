"""Clock services: start, pause, resume, restart, extend and meet a case's clocks.

Every change recomputes the due date from the rule and writes a timeline event on the case,
in one transaction. Modules call these from their own services (never edit a Clock directly).

What the due dates depend on, the calendar (``CalendarYear``/``CalendarDay``) and the local lengths
of configurable rules (``ClockRuleSetting``), is written here too, by ``calendar_*`` and
``clockrule_setting_*``: each change recomputes the stored due dates of the open clocks it affects
(``clocks_recompute``), in the same transaction. The admin and the calendar import call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.audit import changelog
from core.audit.timeline import timeline_record
from core.db import atomic
from core.models import CalendarDay, CalendarYear, Clock, ClockExtension, ClockPause, ClockRuleSetting, Region
from core.models.regions import RegionLevel
from core.permissions import authorize

from . import calendar as cal
from .engine import ClockState, DueDate, Extension, Pause, clock_state, compute_due
from .rules import RULES, ClockRule, PeriodUnit, get_rule


def today() -> dt.date:
    return timezone.localdate()


def record_day() -> dt.date:
    """The day a write happens on: today, or — while a past record is replayed (``recorded_at``) — its day."""
    from core.audit.context import recorded_moment

    moment = recorded_moment()
    return timezone.localdate(moment) if moment is not None else today()


def explain(clock: Clock, *, on: dt.date | None = None) -> DueDate:
    return _compute(clock, get_rule(clock.rule_id, clock.region), on=on)


def _compute(clock: Clock, rule: ClockRule, *, on: dt.date | None = None) -> DueDate:
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
    clock.__dict__.pop("has_open_pause", None)  # paused, resumed or restarted: what was read no longer holds
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


@atomic
def clock_start(
    *,
    case: models.Model,
    name: str,
    rule_id: str,
    started_on: dt.date,
    by: Any,
    title: str,
    start_event: str = "",
    assignee: Any = None,  # a user, or a user's id
) -> Clock:
    rule = get_rule(rule_id, case.region)  # type: ignore[attr-defined]
    clock = Clock(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        name=name,
        rule_id=rule.id,
        title=title,
        region=case.region,  # type: ignore[attr-defined]
        assignee_id=getattr(assignee, "pk", assignee),
        started_on=started_on,
        start_event=start_event,
        due_on=started_on,
    )
    clock.case = case
    result = compute_due(rule, started_on, today=today(), start_event=start_event)
    clock.due_on, clock.provisional = result.due_on, result.provisional
    clock.save()
    clock.has_open_pause = False  # type: ignore[attr-defined]  # a new clock: a pause would save it again
    changelog.remember(_key(clock.content_type_id, case.pk, name), clock)
    _event(clock, "start", f"开始计时：{rule.name}，截止{cal.fmt(clock.due_on)}", by, started_on=started_on)
    return clock


def _open(clock: Clock) -> None:
    if clock.met_on is not None:
        raise ValidationError({"clock": f"计时“{clock.name}”已于{clock.met_on:%Y-%m-%d}办结，不能再变更"})


@atomic
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


@atomic
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


@atomic
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


@atomic
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
        clock=clock, length=length, approver=approver, reason=reason, approved_on=record_day()
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


@atomic
def clock_meet(*, clock: Clock, met_on: dt.date, by: Any) -> Clock:
    _open(clock)
    if met_on < clock.started_on:
        raise ValidationError({"met_on": "办结日期不能早于起算日期"})
    # Read with the clock under lock (``clock_of(lock=True)``), or now
    paused = clock.__dict__.pop("has_open_pause", True)
    open_pause = clock.pauses.filter(resumed_on__isnull=True).first() if paused else None
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


def _key(content_type_id: int, object_id: Any, name: str) -> tuple[str, int, int, str]:
    return ("clock", content_type_id, int(object_id), name)


def clock_of(case: Any, name: str, *, lock: bool = False) -> Clock | None:
    """The case's clock called ``name`` (None when it was never started); ``lock``: locked for a change, inside
    the caller's transaction. A clock started or changed earlier in the same transaction is the instance that
    did it, not read again (``changelog.recall``)."""
    ct = ContentType.objects.get_for_model(case)
    known: Clock | None = changelog.recall(_key(ct.pk, case.pk, name))
    if known is not None:
        Clock._meta.get_field("case").set_cached_value(known, case)
        return known
    clocks = (
        Clock.objects.filter(content_type=ct, object_id=case.pk, name=name)
        .select_related("region")
        .order_by()  # at most one (core_clock_unique_name)
    )
    if lock:  # and whether it is paused, for the change that follows
        clocks = clocks.select_for_update(of=("self",)).annotate(
            has_open_pause=Exists(ClockPause.objects.filter(clock=OuterRef("pk"), resumed_on__isnull=True))
        )
    clock = clocks.first()
    if clock is not None:  # its case is the one in hand: not read again for its timeline entries
        Clock._meta.get_field("case").set_cached_value(clock, case)
        if lock:
            changelog.hold(clock)
            changelog.remember(_key(ct.pk, case.pk, name), clock)
    return clock


def clock_started(case: Any, name: str) -> bool:
    """Whether the case's clock called ``name`` was ever started."""
    return Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(case), object_id=case.pk, name=name
    ).exists()


def clock_meet_open(*, case: Any, name: str, met_on: dt.date, by: Any) -> Clock | None:
    """Meet the case's clock ``name`` when the matter it times is concluded, if it is still open.

    A matter concluded before its clock started (a follow-up visit before the performance date, a
    case ended before acceptance) meets the clock on its start day.
    """
    clock = clock_of(case, name, lock=transaction.get_connection().in_atomic_block)
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


# --- stored due dates stay true when the calendar or a rule's length changes ---------------------------

# Rules whose due date depends on the official schedule: working-day periods, and calendar periods whose
# last day rolls forward off a holiday. Other rules never move with the calendar.
SCHEDULE_RULES = frozenset(
    r.id for r in RULES.values() if r.unit == PeriodUnit.WORKING_DAYS or r.roll_forward
)
BATCH = 500


@dataclass(frozen=True)
class Moved:
    clock: Clock
    was: dt.date
    now: dt.date


@dataclass
class Recomputed:
    """What ``clocks_recompute`` did: clocks examined, those whose due date moved, provisional flags settled."""

    examined: int = 0
    moved: list[Moved] = field(default_factory=list)
    settled: int = 0  # provisional flag changed, due date unchanged

    def add(self, other: Recomputed) -> Recomputed:
        self.examined += other.examined
        self.moved += other.moved
        self.settled += other.settled
        return self


def _affected(
    *, years: Iterable[int], dates: Iterable[dt.date], rule_id: str, region: Region | None
) -> models.QuerySet[Clock]:
    """Open clocks whose count can be changed: those using ``rule_id`` in ``region``'s subtree, or those of a
    schedule-dependent rule whose counting window (the day after the start to the stored due date) touches the
    changed years or dates. Met clocks are history; a clock under an open pause is recomputed when it resumes."""
    qs = Clock.objects.filter(met_on__isnull=True).exclude(
        Exists(ClockPause.objects.filter(clock=OuterRef("pk"), resumed_on__isnull=True))
    )
    if rule_id:
        qs = qs.filter(rule_id=rule_id)
        return qs.filter(region__path__startswith=region.path) if region is not None else qs
    window = Q()
    for y in sorted(set(years)):
        window |= Q(started_on__lte=dt.date(y, 12, 31), due_on__gte=dt.date(y, 1, 1))
    for d in sorted(set(dates)):
        window |= Q(started_on__lt=d, due_on__gte=d)
    if not window:
        return qs.none()
    return qs.filter(window, rule_id__in=SCHEDULE_RULES)


@atomic
def clocks_recompute(
    *,
    reason: str,
    by: Any,
    years: Iterable[int] = (),
    dates: Iterable[dt.date] = (),
    rule_id: str = "",
    region: Region | None = None,
) -> Recomputed:
    """Recompute the stored due dates of the open clocks that a change of the calendar (``years`` loaded or
    withdrawn, single ``dates`` edited) or of ``rule_id``'s local length in ``region`` affects.

    Call it after the change, in the change's transaction (the ``calendar_*`` and ``clockrule_setting_*``
    services do). Each clock whose due date moved is saved and gets a timeline event on its case, worded
    "因{reason}，{规则}截止日期由…调整为…"; a provisional flag that no longer holds (or now holds) is settled
    quietly. Clocks are read in batches with their pauses and extensions; the calendar is read as this
    transaction sees it.
    """
    authorize(by, "clockrule.manage" if rule_id else "calendar.manage", region)
    result = Recomputed()
    on = today()
    rules: dict[tuple[str, int], ClockRule] = {}
    affected = (
        _affected(years=years, dates=dates, rule_id=rule_id, region=region)
        .select_related("region")
        .prefetch_related("pauses", "extensions__approver")
        .select_for_update(of=("self",))  # a clock met or paused meanwhile waits for this transaction
        .order_by("pk")
    )
    with cal.fresh():
        for clock in affected.iterator(chunk_size=BATCH):
            result.examined += 1
            key = (clock.rule_id, clock.region_id)
            if key not in rules:
                rules[key] = get_rule(clock.rule_id, clock.region)
            due = _compute(clock, rules[key], on=on)
            if due.due_on == clock.due_on and due.provisional == clock.provisional:
                continue
            was = clock.due_on
            clock.due_on, clock.provisional = due.due_on, due.provisional
            clock.save(update_fields=["due_on", "provisional"])
            if was == due.due_on:
                result.settled += 1
            else:
                result.moved.append(Moved(clock, was, due.due_on))
    moved = [m.clock for m in result.moved]
    models.prefetch_related_objects(moved, "case")
    for m in result.moved:
        still = "（仍为暂定日期）" if m.clock.provisional else ""
        name = rules[(m.clock.rule_id, m.clock.region_id)].name
        what = "" if name in reason else name  # a case may run several clocks: say which one moved
        _event(
            m.clock,
            "recompute",
            f"因{reason}，{what}截止日期由{cal.date_text(m.was)}调整为{cal.date_text(m.now)}{still}",
            by,
            previous_due_on=m.was,
            reason=reason,
        )
    transaction.on_commit(cal.clear_cache)
    return result


def _year_phrase(years: Iterable[int]) -> str:
    return "、".join(f"{y}年" for y in sorted(set(years)))


def _day_phrase(is_working_day: bool, name: str) -> str:
    return "调休上班日" if is_working_day else f"放假日（{name}）" if name else "放假日"


@atomic
def calendar_year_save(*, year: CalendarYear, by: Any) -> Recomputed:
    """Record (or correct) that a year's schedule is published: its table days now count, dates stop being
    provisional. Recomputes the clocks of the year (and of the year it replaced, when its number changed)."""
    authorize(by, "calendar.manage", year)
    previous = (
        CalendarYear.objects.filter(pk=year.pk).values_list("year", flat=True).first() if year.pk else None
    )
    year.save()
    if previous == year.year:
        return Recomputed()  # the notice or its date only: no day changes
    years = {year.year} | ({previous} if previous is not None else set())
    return clocks_recompute(reason=f"{year.year}年放假安排公布", years=years, by=by)


@atomic
def calendar_years_delete(*, years: Iterable[CalendarYear], by: Any) -> Recomputed:
    """Withdraw years' schedules: those years fall back to the library or to weekends only (provisional)."""
    numbers = set()
    for year in years:
        authorize(by, "calendar.manage", year)
        numbers.add(year.year)
        year.delete()
    if not numbers:
        return Recomputed()
    return clocks_recompute(reason=f"{_year_phrase(numbers)}放假安排撤销", years=numbers, by=by)


@atomic
def calendar_day_save(*, day: CalendarDay, by: Any) -> Recomputed:
    """Add or correct one day of a schedule (a holiday or a make-up working day)."""
    authorize(by, "calendar.manage", day)
    before = CalendarDay.objects.filter(pk=day.pk).first() if day.pk else None
    day.save()
    if before is not None and (before.date, before.is_working_day) == (day.date, day.is_working_day):
        return Recomputed()  # the name only: no day counts differently
    dates = {day.date} | ({before.date} if before is not None else set())
    reason = f"工作日历将{cal.date_text(day.date)}定为{_day_phrase(day.is_working_day, day.name)}"
    return clocks_recompute(reason=reason, dates=dates, by=by)


@atomic
def calendar_days_delete(*, days: Iterable[CalendarDay], by: Any) -> Recomputed:
    """Remove days from a schedule: they follow the weekend rule again."""
    removed: list[CalendarDay] = []
    for day in days:
        authorize(by, "calendar.manage", day)
        removed.append(day)
        day.delete()
    if not removed:
        return Recomputed()
    what = "、".join(f"{cal.date_text(d.date)}的{_day_phrase(d.is_working_day, d.name)}" for d in removed[:3])
    more = f"等{len(removed)}天" if len(removed) > 3 else ""
    return clocks_recompute(reason=f"工作日历取消{what}{more}安排", dates={d.date for d in removed}, by=by)


@atomic
def calendar_days_loaded(*, days: Iterable[CalendarDay], new_years: Iterable[int], by: Any) -> Recomputed:
    """After days were imported (``core.importers.CALENDAR``): a year seen for the first time is published, days
    added to a year already loaded adjust it. One recompute for each, in the import's transaction."""
    days, new = list(days), set(new_years)
    result = Recomputed()
    if new:
        result = clocks_recompute(reason=f"{_year_phrase(new)}放假安排公布", years=new, by=by)
    added = {d.date for d in days if d.date.year not in new}
    if added:
        result.add(
            clocks_recompute(reason=f"{_year_phrase(d.year for d in added)}放假安排调整", dates=added, by=by)
        )
    return result


def _region_phrase(region: Region) -> str:
    return "本区" if region.level == RegionLevel.DISTRICT else region.name


@atomic
def clockrule_setting_save(*, setting: ClockRuleSetting, by: Any) -> Recomputed:
    """Set a configurable rule's local length in a region; the open clocks of that rule there are recomputed
    (and, when the setting was moved to another rule or region, those of the old one)."""
    authorize(by, "clockrule.manage", setting)
    before = (
        ClockRuleSetting.objects.select_related("region").filter(pk=setting.pk).first()
        if setting.pk
        else None
    )
    setting.save()
    rule = RULES.get(setting.rule_id)
    result = Recomputed()
    if before is not None and (before.rule_id, before.region_id) != (setting.rule_id, setting.region_id):
        result = _setting_removed(before, by)
    elif before is not None and before.length == setting.length:
        return result  # the source only
    if rule is not None:
        unit = PeriodUnit(rule.unit).label
        result.add(
            clocks_recompute(
                reason=f"{_region_phrase(setting.region)}调整“{rule.name}”时限为{setting.length}{unit}",
                rule_id=setting.rule_id,
                region=setting.region,
                by=by,
            )
        )
    return result


def _setting_removed(setting: ClockRuleSetting, by: Any) -> Recomputed:
    rule = RULES.get(setting.rule_id)
    if rule is None:
        return Recomputed()
    return clocks_recompute(
        reason=f"{_region_phrase(setting.region)}取消“{rule.name}”时限的本地设定",
        rule_id=setting.rule_id,
        region=setting.region,
        by=by,
    )


@atomic
def clockrule_settings_delete(*, rule_settings: Iterable[ClockRuleSetting], by: Any) -> Recomputed:
    """Remove local settings: the rule's length there is the default (or a wider region's setting) again."""
    result = Recomputed()
    for setting in rule_settings:
        authorize(by, "clockrule.manage", setting)
        setting.delete()
        result.add(_setting_removed(setting, by))
    return result
