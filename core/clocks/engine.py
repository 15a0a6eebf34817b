"""Due dates: the one counting rule, written once, that explains itself in words.

Counting (RULES.md notes; 民法典 第201-203条, 民事诉讼法/行政诉讼法 on 期间):
* the period starts the day after the start event;
* working-day periods count only working days on the official schedule (调休 Saturdays count);
* calendar-day periods count every day; a last day on a non-working day moves to the next
  working day (when the rule says so);
* month and year periods end on the corresponding day of the final month, or its last day
  when there is no corresponding day;
* paused days (``paused_on`` exclusive to ``resumed_on`` inclusive) are not counted;
* approved extensions add to the length, in the rule's unit.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models

from . import calendar as cal
from .rules import ClockRule, PeriodUnit

MAX_SPAN_DAYS = 366 * 12


@dataclass(frozen=True)
class Pause:
    paused_on: dt.date
    resumed_on: dt.date | None
    reason: str


@dataclass(frozen=True)
class Extension:
    length: int
    approver: str
    reason: str


@dataclass
class DueDate:
    rule: ClockRule
    started_on: dt.date
    due_on: dt.date
    provisional: bool
    provisional_years: list[int]
    steps: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return "".join(self.steps)


class ClockState(models.TextChoices):
    ON_TIME = "on_time", "按期"
    DUE_SOON = "due_soon", "临近到期"
    OVERDUE = "overdue", "已逾期"
    MET = "met", "按期办结"
    MET_LATE = "met_late", "逾期办结"


def clock_state(due_on: dt.date, met_on: dt.date | None, today: dt.date, due_soon_days: int) -> ClockState:
    if met_on is not None:
        return ClockState.MET if met_on <= due_on else ClockState.MET_LATE
    if today > due_on:
        return ClockState.OVERDUE
    if (due_on - today).days <= due_soon_days:
        return ClockState.DUE_SOON
    return ClockState.ON_TIME


def add_months(day: dt.date, months: int) -> tuple[dt.date, bool]:
    """The corresponding day ``months`` later; (month end, True) when there is none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = pycal.monthrange(year, month)[1]
    if day.day > last:
        return dt.date(year, month, last), True
    return dt.date(year, month, day.day), False


def _paused_days(pauses: Iterable[Pause], today: dt.date) -> set[dt.date]:
    days: set[dt.date] = set()
    for p in pauses:
        end = p.resumed_on or max(today, p.paused_on)
        d = p.paused_on + dt.timedelta(days=1)
        while d <= end:
            days.add(d)
            d += dt.timedelta(days=1)
    return days


def _ranges(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    out: list[tuple[dt.date, dt.date]] = []
    for d in sorted(days):
        if out and (d - out[-1][1]).days == 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _range_text(a: dt.date, b: dt.date) -> str:
    return cal.short(a) if a == b else f"{cal.short(a)}至{cal.short(b)}"


def compute_due(
    rule: ClockRule,
    started_on: dt.date,
    *,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Extension] = (),
    today: dt.date,
    start_event: str = "",
) -> DueDate:
    unit = PeriodUnit(rule.unit)
    total = rule.length + sum(e.length for e in extensions)
    paused = _paused_days(pauses, today)
    event = start_event or rule.counted_from
    steps = [
        f"依据{rule.basis}，{rule.name}为{rule.length_text}，自{event}之日{cal.fmt(started_on)}的次日起算。"
        if rule.length
        else f"依据{rule.basis}，{rule.name}在{event}当日（{cal.fmt(started_on)}）。"
    ]
    if rule.setting_source:
        steps.append(f"期限长度为本地设定（{rule.setting_source}）。")
    for ext in extensions:
        steps.append(f"经{ext.approver}批准延长{ext.length}{unit.label}（{ext.reason}）。")
    for p in pauses:
        end = p.resumed_on
        if end is None:
            steps.append(
                f"自{cal.short(p.paused_on)}次日起中止计时（{p.reason}），至今未恢复，中止期间不计入。"
            )
        elif end > p.paused_on:
            n = (end - p.paused_on).days
            steps.append(
                f"{_range_text(p.paused_on + dt.timedelta(days=1), end)}中止计时{n}日（{p.reason}），不计入期限。"
            )

    day = started_on
    if unit == PeriodUnit.WORKING_DAYS:
        skipped: dict[str, list[dt.date]] = {}
        makeup: list[dt.date] = []
        counted = 0
        while counted < total:
            day += dt.timedelta(days=1)
            if (day - started_on).days > MAX_SPAN_DAYS:
                raise ValueError("期限跨度超过12年，请检查起算日期和中止记录")
            if day in paused:
                continue
            info = cal.day_info(day)
            if not info.is_working_day:
                if info.name:
                    skipped.setdefault(info.name, []).append(day)
                continue
            if info.is_makeup_workday:
                makeup.append(day)
            counted += 1
        steps.append(f"共{total}个工作日，法定节假日和休息日不计，调休上班日计入（按国务院办公厅放假安排）。")
        if skipped:
            parts = [
                f"{name}（{'、'.join(_range_text(a, b) for a, b in _ranges(days))}）"
                for name, days in skipped.items()
            ]
            steps.append(f"期间不计的节假日：{'、'.join(parts)}。")
        if makeup:
            steps.append(f"计入的调休上班日：{'、'.join(cal.short(d) for d in makeup)}。")
        due = day
    else:
        if unit == PeriodUnit.DAYS:
            counted = 0
            while counted < total:
                day += dt.timedelta(days=1)
                if day not in paused:
                    counted += 1
            raw = day
            if total:
                steps.append(f"共{total}日，按自然日计算，期满日为{cal.fmt(raw)}。")
            else:
                steps.append(f"期限为当日，即{cal.fmt(raw)}。")
        else:
            months = total * 12 if unit == PeriodUnit.YEARS else total
            raw, month_end = add_months(started_on, months)
            note = "该月无对应日，以月末日为期间最后一日" if month_end else "到期月的对应日为期间最后一日"
            steps.append(
                f"按{'年' if unit == PeriodUnit.YEARS else '月'}计算，{note}（《民法典》第202条），即{cal.fmt(raw)}。"
            )
            extra = len([d for d in paused if d > started_on])
            if extra:
                raw += dt.timedelta(days=extra)
                steps.append(f"加上中止的{extra}日，为{cal.fmt(raw)}。")
        due = raw
        if rule.roll_forward:
            info = cal.day_info(raw)
            if not info.is_working_day:
                due = cal.next_working_day(raw)
                what = info.name or "休息日"
                steps.append(f"期满日为{what}，顺延至其后第一个工作日。")

    depends_on_schedule = unit == PeriodUnit.WORKING_DAYS or rule.roll_forward
    years = (
        sorted(
            {y for y in range(started_on.year, due.year + 1) if cal.year_source(y) == cal.Source.PROVISIONAL}
        )
        if depends_on_schedule
        else []
    )
    steps.append(f"截止日期：{cal.fmt(due)}。")
    if years:
        ys = "、".join(f"{y}年" for y in years)
        steps.append(f"{ys}放假安排尚未公布，本日期仅按周末推算，为暂定日期；安排公布并录入后自动更新。")
    return DueDate(rule, started_on, due, bool(years), years, steps)
