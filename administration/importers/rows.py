"""Reading and writing one row of a lawful-administration import (the kinds are in the sibling modules).

Reading: every problem of a row is collected by its column (``Checked``), in Chinese, before anything is
written. Writing: each step goes through the module's services and workflow as it happened on its own day
(``step``/``on_day`` stamp it with ``recorded_at`` and turn a refusal into the row's column), a review is
taken to 已办结 with its opinions and their answers (``review_steps``), and ``finish`` remembers the 台账编号,
meets the record's clocks on the day it ended and writes the 历史数据导入 entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from core.audit.context import recorded_at
from core.history import dates_in_order, mark_historical, parse_date, remember, settle_clocks
from core.imports import Column, RowInvalid
from core.models import Person, Region, Unit
from core.personal import validate_uscc
from core.validation import date_problem
from core.workflow import TransitionNotAllowed, transition

from .. import services
from ..choices import Adoption, Aspect, Conclusion
from ..workflow import REVIEWER_KINDS

GROUP = "依法行政"
ASPECTS = {str(label): value for value, label in Aspect.choices}
ADOPTIONS = {str(label): value for value, label in Adoption.choices}
CONCLUSIONS = {str(label): value for value, label in Conclusion.choices}
YES_NO = {"是": True, "否": False}
SEPARATORS = ("｜", "|")
MAX_AMOUNT = Decimal("1e12")  # the column holds 12 digits before the point

OPINIONS_HELP = (
    "每行一条，依次为：方面｜发现的问题｜修改建议｜采纳情况｜反馈说明（用竖线分隔）。方面："
    + "、".join(ASPECTS)
    + "；采纳情况："
    + "、".join(ADOPTIONS)
    + "（办结的审查须逐条填写）；部分采纳或未采纳须写反馈说明。"
    "结论为修改后合法或不合法的，至少一条"
)
OPINIONS_EXAMPLE = "程序｜未载明争议解决方式（示例）｜补充争议解决条款（示例）｜采纳｜"


# --- reading a row ---------------------------------------------------------------------------


class Checked:
    """Collect every problem of a row (each by its column) instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def __call__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RowInvalid as exc:
            for key, message in exc.errors.items():
                self.errors.setdefault(key, message)
            return None

    def dates(self, steps: list[tuple[str, str, dt.date | None]]) -> None:
        """Order and plausibility of the dates that were read (the unreadable ones are already listed)."""
        self(dates_in_order, [s for s in steps if s[0] not in self.errors])

    def done(self) -> None:
        if self.errors:
            raise RowInvalid(self.errors)


def find_street(code: str, by: Any) -> Region:
    region = Region.objects.visible_to(by).filter(code=code, level="street").first()
    if region is None:
        raise RowInvalid({"street": f"街镇区划代码 {code} 不存在、不是街镇或不在您的工作范围内"})
    return region


def find_unit(name: str, street: Region | None, by: Any, key: str, label: str) -> Unit:
    if street is None:  # the street column already failed
        raise RowInvalid({})
    unit = (
        Unit.objects.visible_to(by)
        .filter(name=name, region__path__startswith=street.path)
        .order_by("region__path", "pk")
        .first()
    )
    if unit is None:
        raise RowInvalid({key: f"{label}“{_short(name)}”不是{street.name}的单位，请按单位名册填写全称"})
    return unit


def find_reviewer(name: str, street: Region | None, by: Any) -> Person:
    if street is None:
        raise RowInvalid({})
    person = (
        Person.objects.visible_to(by)
        .filter(name=name, kind__in=REVIEWER_KINDS, active=True, region__path__startswith=street.path)
        .order_by("pk")
        .first()
    )
    if person is None:
        raise RowInvalid(
            {
                "reviewer": f"审查人员“{_short(name)}”不在{street.name}的公职律师、法律顾问或工作人员名册中"
                "（请先导入人员名册）"
            }
        )
    return person


def read_choice(value: str, mapping: dict[str, Any], key: str, label: str) -> Any:
    if value in mapping:
        return mapping[value]
    options = "、".join(dict.fromkeys(mapping))
    raise RowInvalid({key: f"{label}“{_short(value)}”不是可选值，可选：{options}"})


def read_whole(value: str, key: str, label: str, *, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise RowInvalid({key: f"{label}“{_short(value)}”应为整数"}) from None
    if not low <= number <= high:
        raise RowInvalid({key: f"{label}应在{low}至{high}之间"})
    return number


def read_amount(value: str, key: str, label: str) -> Decimal:
    text = value.replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        money = Decimal(text)
    except InvalidOperation:
        raise RowInvalid(
            {key: f"{label}“{_short(value)}”不是有效的金额，应填写数字（元），如 120000.00"}
        ) from None
    if not money.is_finite() or money < 0 or money >= MAX_AMOUNT:
        raise RowInvalid({key: f"{label}“{_short(value)}”应为不小于0、小于1万亿的金额（元）"})
    if money != money.quantize(Decimal("0.01")):
        raise RowInvalid({key: f"{label}“{_short(value)}”最多两位小数（元、角、分）"})
    return money


def check_uscc(value: str) -> None:
    try:
        validate_uscc(value)
    except ValidationError as exc:
        raise RowInvalid({"counterparty_uscc": exc.messages[0]}) from None


def read_date(value: str, key: str, label: str, *, required: bool = False) -> dt.date | None:
    day = parse_date(value, key, label, required=required)
    if day is not None and (problem := date_problem(day)):
        raise RowInvalid({key: f"{label}：{problem}"})
    return day


def _parts(line: str) -> list[str]:
    for sep in SEPARATORS:
        line = line.replace(sep, "|")
    return [p.strip() for p in line.split("|")]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def read_opinions(text: str, key: str = "opinions") -> list[tuple[str, str, str, str, str]]:
    """The review opinions of a cell, one a line: (aspect, finding, suggestion, adoption, response)."""
    found = []
    for n, line in enumerate(_lines(text), start=1):
        parts = [*_parts(line), "", "", "", "", ""]
        if len(_parts(line)) > 5:
            raise RowInvalid(
                {key: f"第{n}条意见的竖线多于4条，应为：方面｜发现的问题｜修改建议｜采纳情况｜反馈说明"}
            )
        aspect, finding, suggestion, adoption, response = parts[:5]
        where = f"第{n}条意见"
        if aspect not in ASPECTS:
            raise RowInvalid({key: f"{where}的方面“{_short(aspect)}”不是可选值，可选：{'、'.join(ASPECTS)}"})
        if len(finding) < 2 or len(suggestion) < 2:
            raise RowInvalid({key: f"{where}须写明发现的问题和修改建议"})
        if adoption not in ADOPTIONS:
            raise RowInvalid(
                {
                    key: f"{where}的采纳情况“{_short(adoption)}”应为{'、'.join(ADOPTIONS)}（办结的审查须逐条反馈）"
                }
            )
        if ADOPTIONS[adoption] != Adoption.ADOPTED and len(response) < 2:
            raise RowInvalid({key: f"{where}{adoption}，须写明反馈说明（理由）"})
        if len(response) > 300:
            raise RowInvalid({key: f"{where}的反馈说明不能超过300个字"})
        found.append((ASPECTS[aspect], finding, suggestion, ADOPTIONS[adoption], response))
    return found


def read_suggestions(text: str, key: str = "suggestions") -> list[tuple[str, bool | None]]:
    found: list[tuple[str, bool | None]] = []
    for n, line in enumerate(_lines(text), start=1):
        parts = _parts(line)
        if len(parts) > 2:
            raise RowInvalid({key: f"第{n}条建议的竖线多于1条，应为：建议内容｜是否被采纳"})
        suggestion, adopted = [*parts, ""][:2]
        if len(suggestion) < 2:
            raise RowInvalid({key: f"第{n}条建议没有内容"})
        if len(suggestion) > 300:
            raise RowInvalid({key: f"第{n}条建议不能超过300个字"})
        if adopted not in ("", "是", "否", "待反馈"):
            raise RowInvalid({key: f"第{n}条建议的采纳情况“{_short(adopted)}”应为是、否或待反馈"})
        found.append((suggestion, YES_NO.get(adopted)))
    return found


def _short(value: Any, limit: int = 30) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


# --- writing a row ---------------------------------------------------------------------------


def _at(day: dt.date, hour: int) -> dt.datetime:
    """The moment a step of ``day`` is stamped with (steps of one day keep their order by hour)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _mapped(exc: ValidationError, keys: dict[str, str], fallback: str) -> dict[str, str]:
    """A service's or model's errors keyed by the row's columns (``keys``: field -> column; else ``fallback``)."""
    if not hasattr(exc, "error_dict"):
        return {fallback: "；".join(exc.messages)}
    errors: dict[str, str] = {}
    for name, messages in exc.message_dict.items():
        column = keys.get(name, fallback)
        errors[column] = "；".join([errors[column], *messages]) if column in errors else "；".join(messages)
    return errors


@contextmanager
def on_day(day: dt.date, hour: int, keys: dict[str, str], fallback: str) -> Iterator[None]:
    """Run a step as it happened on ``day``; its refusal names the row's column."""
    try:
        with recorded_at(_at(day, hour)):
            yield
    except TransitionNotAllowed as exc:  # a guard of the workflow table (dates, order, the legal steps)
        raise RowInvalid({fallback: str(exc)}) from None
    except ValidationError as exc:
        raise RowInvalid(_mapped(exc, keys, fallback)) from None


def step(case: Any, action: str, day: dt.date, hour: int, data: dict[str, Any], by: Any, **keys: str) -> Any:
    fallback = keys.pop("column")
    with on_day(day, hour, keys, fallback):
        return transition(case, action, by=by, data=data)


def review_steps(
    item: Any,
    *,
    by: Any,
    reviewer: Person,
    conclusion: str,
    opinions: list[tuple[str, str, str, str, str]],
    opinion_on: dt.date,
    closed_on: dt.date,
) -> Any:
    """A submitted review taken to 已办结: reviewer assigned, opinions listed, opinion given, each answered."""
    item = step(item, "assign", item.submitted_on, 10, {"reviewer": str(reviewer.pk)}, by, column="reviewer")
    for aspect, finding, suggestion, _adoption, _response in opinions:
        with on_day(opinion_on, 10, {}, "opinions"):
            services.issue_add(item=item, aspect=aspect, finding=finding, suggestion=suggestion, by=by)
    item = step(
        item,
        "give_opinion",
        opinion_on,
        11,
        {"conclusion": conclusion, "opinion_on": opinion_on},
        by,
        conclusion="conclusion",
        column="opinion_on",
    )
    for issue, (_a, _f, _s, adoption, response) in zip(item.issues.order_by("pk"), opinions, strict=True):
        with on_day(closed_on, 14, {}, "opinions"):
            services.issue_respond(issue=issue, adoption=adoption, response=response, by=by)
    return step(item, "close", closed_on, 15, {}, by, column="closed_on")


def finish(
    kind: str, street: Region, ref: str, records: list[tuple[Model, dt.date]], by: Any, *, running: Any = None
) -> None:
    """Remember the source reference (on the first record); meet each record's open clocks on the day it ended,
    but those of ``running`` (a record still in force whose term runs on); mark each as imported."""
    remember(kind, street, ref, records[0][0])
    for obj, ended in records:
        if obj is not running:
            settle_clocks(obj, on=ended, by=by)
        mark_historical(obj, by=by, at=ended, note=f"台账编号{ref}")


def street_of_row(check: Checked, row: dict[str, str], by: Any) -> Region | None:
    return check(find_street, row["street"], by)


def review_columns(*, closed: bool = True) -> list[Column]:
    columns = [
        Column(
            "审查人员",
            "reviewer",
            True,
            "王某（示例）",
            "本街镇人员名册中的公职律师、法律顾问或工作人员姓名",
            50,
        ),
        Column("审查结论", "conclusion", True, "修改后合法", "可选：" + "、".join(CONCLUSIONS)),
        Column("出具意见日期", "opinion_on", True, "2025-03-12", "YYYY-MM-DD"),
        Column("审查意见", "opinions", False, OPINIONS_EXAMPLE, OPINIONS_HELP, 5000),
    ]
    if closed:
        columns.append(
            Column(
                "办结日期",
                "closed_on",
                False,
                "2025-03-15",
                "送审单位逐条反馈、办结的日期；不填为出具意见日期",
            )
        )
    return columns


def review_parts(
    check: Checked, row: dict[str, str], street: Region | None, by: Any, *, unlawful_allowed: bool = True
) -> tuple[Any, Any, list[tuple[str, str, str, str, str]], dt.date | None]:
    reviewer = check(find_reviewer, row["reviewer"], street, by)
    conclusion = check(read_choice, row["conclusion"], CONCLUSIONS, "conclusion", "审查结论")
    if conclusion == Conclusion.UNLAWFUL and not unlawful_allowed:
        check.errors.setdefault(
            "conclusion", "审查结论为不合法的，不得提交集体讨论、作出决定或公布，不能按此最终状态导入"
        )
    opinions = check(read_opinions, row["opinions"]) or []
    if conclusion and conclusion != Conclusion.LAWFUL and not opinions and "opinions" not in check.errors:
        check.errors["opinions"] = "结论为修改后合法或不合法的，须逐条列明发现的问题和修改建议"
    opinion_on = check(read_date, row["opinion_on"], "opinion_on", "出具意见日期", required=True)
    return reviewer, conclusion, opinions, opinion_on


def ref_column(example: str) -> Column:
    return Column(
        "台账编号",
        "ref",
        True,
        example,
        "原台账或原系统中的编号；同一街镇同一编号只导入一次，重复导入的行识别为“此前已导入”，不重复写入",
        100,
    )


STREET_COLUMN = Column("街镇区划代码", "street", True, "990100001", "记录所属街镇的区划代码", 20)
