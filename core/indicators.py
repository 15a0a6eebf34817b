"""The indicator registry (指标库): one definition per indicator, registered by the app that can compute it.

An app's ``indicators.py`` calls :func:`register` with an :class:`Indicator`: code, name, binding or
expected (约束性/预期性), unit, default target as the policy writes it ("100", "≥98%", "不高于1%",
"低于全市平均值"), the policy it comes from, how it is computed, and — when a module can compute it —
a function that returns, for a user, a region and a period, a :class:`Reading`: the value and the
records behind it (the numerator list, and for a rate the denominator list).

An indicator without a function is *manual*: its value comes from a manual entry with evidence
(``IndicatorEntry``), and it is labelled manual wherever it is shown; with no entry it is shown as
"待填报", never as zero. Targets can be set per region and year (``IndicatorTarget``, every change
kept); a region without its own target inherits its nearest ancestor's, then the definition's.

:func:`evaluate` is the one read used by the API, the pages, the dashboard and the reports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet


class IndicatorKind(models.TextChoices):
    BINDING = "binding", "约束性"
    EXPECTED = "expected", "预期性"


class IndicatorStatus(models.TextChoices):
    MET = "met", "达标"
    NOT_MET = "not_met", "未达标"
    NO_TARGET = "no_target", "无量化目标"
    NO_DATA = "no_data", "本期无数据"
    MISSING = "missing", "待填报"


class Source(models.TextChoices):
    COMPUTED = "computed", "系统计算"
    MANUAL = "manual", "手工填报"


# --- targets -------------------------------------------------------------------------------

_OPS = {
    ">=": lambda v, t: v >= t,
    ">": lambda v, t: v > t,
    "<=": lambda v, t: v <= t,
    "<": lambda v, t: v < t,
    "=": lambda v, t: v == t,
}
OP_LABELS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "=": "达到"}
_WORDS = [
    (("不高于", "不超过", "≤", "<=", "以内"), "<="),
    (("不低于", "≥", ">=", "以上", "至少"), ">="),
    (("低于", "少于", "<"), "<"),
    (("高于", "超过", ">"), ">"),
]
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Target:
    """A target as the policy writes it, and — when it has a number — the comparison it means.

    "100" and "100%" mean "达到 100"; for a rate that is reached at 100 only, so "=" and ">=" agree.
    A target without a number ("全市前列", "低于全市平均值") has ``value`` None until a region
    sets the reference value for the year; its status is then "无量化目标".
    """

    text: str
    op: str = ">="
    value: Decimal | None = None

    @property
    def label(self) -> str:
        if self.value is None:
            return self.text
        return f"{OP_LABELS[self.op]}{_fmt(self.value)}"

    @property
    def lower_is_better(self) -> bool:
        """“不高于1%”: a smaller value ranks better."""
        return self.value is not None and self.op in ("<", "<=")

    def met(self, value: Decimal | None) -> bool | None:
        if value is None or self.value is None:
            return None
        return bool(_OPS[self.op](value, self.value))


def parse_target(text: str) -> Target:
    """Read a policy's target text: "≥98%" -> (>=, 98); "不高于1%" -> (<=, 1); "100" -> (>=, 100)."""
    text = (text or "").strip()
    if not text:
        return Target(text="")
    numbers = _NUMBER.findall(text)
    if not numbers:
        return Target(text=text)
    op = ">="
    for words, candidate in _WORDS:
        if any(w in text for w in words):
            op = candidate
            break
    return Target(text=text, op=op, value=Decimal(numbers[0]))


def _fmt(value: Decimal | int | None) -> str:
    if value is None:
        return "—"
    d = Decimal(value)
    return format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")


# --- definitions ---------------------------------------------------------------------------


@dataclass
class Reading:
    """What an indicator's function returns for a region and a period.

    ``records`` are the records behind the value (for a rate: the numerator); ``base`` is the
    denominator of a rate. A rate with an empty base has value None ("本期无数据"), never 0.
    """

    value: Decimal | None
    records: QuerySet[Any] | None = None
    base: QuerySet[Any] | None = None
    numerator: int | None = None
    denominator: int | None = None


Compute = Callable[[Any, Any, dt.date, dt.date], Reading]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    kind: str  # IndicatorKind
    unit: str  # "%", "件", "元", "次", "/万人"
    target: str  # default target as the policy writes it; "" = none
    source: str  # the policy (and its row) that sets the indicator
    method: str  # how it is computed, in words: the query behind the figure
    app: str
    order: int = 1000
    compute: Compute | None = None
    # Columns of the records list: (heading, attribute or callable on the record).
    columns: tuple[tuple[str, Any], ...] = ()

    @property
    def manual(self) -> bool:
        return self.compute is None

    @property
    def default_target(self) -> Target:
        return parse_target(self.target)


_REGISTRY: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    for ind in indicators:
        existing = _REGISTRY.get(ind.code)
        if existing is not None and existing != ind:
            raise ValueError(f"指标代码重复：{ind.code}")
        _REGISTRY[ind.code] = ind


def get(code: str) -> Indicator | None:
    return _REGISTRY.get(code)


def all_indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda i: (i.order, i.code))


# --- computing helpers used by the apps ----------------------------------------------------


def count_reading(records: QuerySet[Any]) -> Reading:
    n = records.count()
    return Reading(value=Decimal(n), records=records, numerator=n)


def rate_reading(records: QuerySet[Any], base: QuerySet[Any]) -> Reading:
    """Percentage ``records / base`` to two decimals; None when the base is empty."""
    num, den = records.count(), base.count()
    value = (Decimal(num) * 100 / den).quantize(Decimal("0.01"), ROUND_HALF_UP) if den else None
    return Reading(value=value, records=records, base=base, numerator=num, denominator=den)


def sum_reading(records: QuerySet[Any], field_name: str) -> Reading:
    total = records.aggregate(s=models.Sum(field_name))["s"] or Decimal("0")
    return Reading(value=Decimal(total).quantize(Decimal("0.01")), records=records, numerator=records.count())


# --- evaluation ----------------------------------------------------------------------------


@dataclass
class Result:
    indicator: Indicator
    source: str
    value: Decimal | None
    target: Target
    target_origin: str  # "本级设定" / "上级设定：<region>" / "政策默认"
    status: str
    reading: Reading | None = None
    entry: Any = None  # the manual IndicatorEntry used

    @property
    def value_text(self) -> str:
        if self.value is None:
            return "—"
        return _fmt(self.value) + ("%" if self.indicator.unit == "%" else "")

    @property
    def status_label(self) -> str:
        return str(IndicatorStatus(self.status).label)


def targets_for(region: Any, year: int) -> dict[str, tuple[Target, str]]:
    """The target in force for each indicator at ``region`` in ``year``: its own, else the nearest ancestor's."""
    from core.models import IndicatorTarget

    prefixes = path_prefixes(region.path)
    rows = (
        IndicatorTarget.objects.filter(year=year, region__path__in=prefixes)
        .select_related("region")
        .order_by("code", "-region__path", "-set_at", "-pk")
    )
    found: dict[str, tuple[Target, str]] = {}
    for row in rows:
        if row.code in found:
            continue
        origin = "本级设定" if row.region_id == region.pk else f"上级设定：{row.region.name}"
        found[row.code] = (Target(text=row.text, op=row.op, value=row.value), origin)
    return found


def path_prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def latest_entries(region: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The newest manual entry for each indicator for exactly this region and period."""
    from core.models import IndicatorEntry

    rows = IndicatorEntry.objects.filter(region=region, period_start=start, period_end=end).order_by(
        "code", "-entered_at", "-pk"
    )
    found: dict[str, Any] = {}
    for row in rows:
        found.setdefault(row.code, row)
    return found


def evaluate(
    user: Any, region: Any, start: dt.date, end: dt.date, codes: Iterable[str] | None = None
) -> list[Result]:
    """Every indicator (or those in ``codes``) for ``region`` and the period, with target and status."""
    wanted = set(codes) if codes is not None else None
    targets = targets_for(region, start.year)
    entries = latest_entries(region, start, end)
    results = []
    for ind in all_indicators():
        if wanted is not None and ind.code not in wanted:
            continue
        target, origin = targets.get(ind.code, (ind.default_target, "政策默认"))
        if ind.compute is not None:
            reading = ind.compute(user, region, start, end)
            value, source, entry = reading.value, Source.COMPUTED, None
        else:
            reading = None
            entry = entries.get(ind.code)
            value, source = (entry.value if entry else None), Source.MANUAL
        met = target.met(value)
        if value is None:
            status = IndicatorStatus.MISSING if source == Source.MANUAL else IndicatorStatus.NO_DATA
        elif met is None:
            status = IndicatorStatus.NO_TARGET
        else:
            status = IndicatorStatus.MET if met else IndicatorStatus.NOT_MET
        results.append(
            Result(
                indicator=ind,
                source=str(source),
                value=value,
                target=target,
                target_origin=origin if target.text or target.value is not None else "",
                status=str(status),
                reading=reading,
                entry=entry,
            )
        )
    return results


def period_of_year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
