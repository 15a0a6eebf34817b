"""Working days on the official schedule (国务院办公厅放假安排).

Sources, in order: the platform's own table (``CalendarYear`` + ``CalendarDay``, loaded when
the State Council publishes a year), then ``chinesecalendar`` (2004-2026), else weekends only,
marked *provisional*. Lookups are cached per year for a minute; ``fresh()`` reads the table of the current transaction
instead (a recompute of stored due dates must see the rows it is about to commit, and must not leave
uncommitted rows in the cache other requests read).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import chinese_calendar

WEEKDAYS = "一二三四五六日"
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
CACHE_SECONDS = 60


class Source:
    TABLE = "table"
    LIBRARY = "chinesecalendar"
    PROVISIONAL = "provisional"


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    is_working_day: bool
    name: str  # holiday name, "调休上班", or ""
    source: str

    @property
    def provisional(self) -> bool:
        return self.source == Source.PROVISIONAL

    @property
    def is_makeup_workday(self) -> bool:
        return self.is_working_day and self.date.weekday() >= 5

    @property
    def is_holiday(self) -> bool:
        return not self.is_working_day and bool(self.name)


@dataclass
class _YearData:
    source: str
    overrides: dict[dt.date, tuple[bool, str]]
    loaded_at: float


_cache: dict[int, _YearData] = {}
_lock = threading.Lock()
_private: contextvars.ContextVar[dict[int, _YearData] | None] = contextvars.ContextVar(
    "calendar_private", default=None
)


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _library_covers(year: int) -> bool:
    first = chinese_calendar.holidays and min(chinese_calendar.holidays).year
    last = max(max(chinese_calendar.holidays), max(chinese_calendar.workdays)).year
    return bool(first) and first <= year <= last


def _load_year(year: int) -> _YearData:
    from core.models import CalendarDay, CalendarYear

    if CalendarYear.objects.filter(year=year).exists():
        overrides = {d.date: (d.is_working_day, d.name) for d in CalendarDay.objects.filter(date__year=year)}
        return _YearData(Source.TABLE, overrides, time.monotonic())
    if _library_covers(year):
        overrides = {}
        for day, name in chinese_calendar.holidays.items():
            if day.year == year:
                overrides[day] = (False, HOLIDAY_NAMES.get(str(name), str(name)))
        for day in chinese_calendar.workdays:
            if day.year == year and day.weekday() >= 5:
                overrides[day] = (True, "调休上班")
        return _YearData(Source.LIBRARY, overrides, time.monotonic())
    return _YearData(Source.PROVISIONAL, {}, time.monotonic())


@contextmanager
def fresh() -> Iterator[None]:
    """Within the block, years are read from the database as this transaction sees it, in a cache of its own."""
    token = _private.set({})
    try:
        yield
    finally:
        _private.reset(token)


def _year(year: int) -> _YearData:
    private = _private.get()
    if private is not None:
        if year not in private:
            private[year] = _load_year(year)
        return private[year]
    data = _cache.get(year)
    if data is None or time.monotonic() - data.loaded_at > CACHE_SECONDS:
        data = _load_year(year)
        with _lock:
            _cache[year] = data
    return data


def day_info(day: dt.date) -> DayInfo:
    data = _year(day.year)
    if day in data.overrides:
        working, name = data.overrides[day]
        if working and not name:
            name = "调休上班"
        return DayInfo(day, working, name, data.source)
    return DayInfo(day, day.weekday() < 5, "", data.source)


def is_working_day(day: dt.date) -> bool:
    return day_info(day).is_working_day


def year_source(year: int) -> str:
    return _year(year).source


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_days_after(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` on the official calendar (demo data, the steps a statute counts in
    working days outside a clock)."""
    while n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def month_days(year: int, month: int) -> list[DayInfo]:
    day = dt.date(year, month, 1)
    out = []
    while day.month == month:
        out.append(day_info(day))
        day += dt.timedelta(days=1)
    return out


def date_text(day: dt.date) -> str:
    """``2027年1月15日``: a date in a sentence."""
    return f"{day.year}年{day.month}月{day.day}日"


def fmt(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def short(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"
