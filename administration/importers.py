"""Importers for a past year of lawful-administration records, each entered in its final state.

Five kinds, each with a template (``core.imports``) and, through the generic mechanism, an API create call
(``POST /api/v1/imports/<kind>``): contracts with their review and signing, legality reviews (major
enforcement decisions and other matters) with their opinions and the answers to them, major decisions with
their five steps, publication and archiving, normative documents published (and filed, evaluated, revised,
abolished or expired), and the meetings the justice-office head attended with the suggestions given.

A row is built through the module's own services and workflow transitions, each step stamped with its
real day (``recorded_at``), so numbers, clocks, timelines and indicators are those of the year it
happened in. The importing user enters every step of the record (``core.history.entering_history``,
checked against ``administration.history.import`` at the record's street): the ledger, not the user,
says who decided or reviewed. Every date is checked for plausibility and order, none in the future;
each record ends with the 历史数据导入 entry on its timeline, and its clocks are met on the day it ended.
A row's 台账编号 makes a retried import or call write nothing.
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
from core.history import (
    Existing,
    already,
    dates_in_order,
    entering_history,
    mark_historical,
    parse_date,
    remember,
    settle_clocks,
)
from core.imports import Column, Importer, RowInvalid, register
from core.models import Person, Region, Unit
from core.personal import validate_uscc
from core.validation import date_problem
from core.workflow import TransitionNotAllowed, transition

from . import services
from .choices import Adoption, Aspect, Conclusion, NormativeState, ReviewKind
from .permissions import HISTORY_IMPORT
from .workflow import REVIEWER_KINDS

GROUP = "依法行政"
ASPECTS = {str(label): value for value, label in Aspect.choices}
ADOPTIONS = {str(label): value for value, label in Adoption.choices}
CONCLUSIONS = {str(label): value for value, label in Conclusion.choices}
REVIEW_KINDS = {
    str(ReviewKind.ENFORCEMENT_DECISION.label): ReviewKind.ENFORCEMENT_DECISION,
    "其他": ReviewKind.OTHER,
    str(ReviewKind.OTHER.label): ReviewKind.OTHER,
}
DECISION_ENDS = {"已决定": "decided", "已公布": "published", "已归档": "archived"}
NORMATIVE_ENDS = {
    str(NormativeState.PUBLISHED.label): NormativeState.PUBLISHED,
    "已修订": NormativeState.REVISED,
    str(NormativeState.REVISED.label): NormativeState.REVISED,
    str(NormativeState.ABOLISHED.label): NormativeState.ABOLISHED,
    str(NormativeState.EXPIRED.label): NormativeState.EXPIRED,
}
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


def _street(code: str, by: Any) -> Region:
    region = Region.objects.visible_to(by).filter(code=code, level="street").first()
    if region is None:
        raise RowInvalid({"street": f"街镇区划代码 {code} 不存在、不是街镇或不在您的工作范围内"})
    return region


def _unit(name: str, street: Region | None, by: Any, key: str, label: str) -> Unit:
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


def _reviewer(name: str, street: Region | None, by: Any) -> Person:
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


def _choice(value: str, mapping: dict[str, Any], key: str, label: str) -> Any:
    if value in mapping:
        return mapping[value]
    options = "、".join(dict.fromkeys(mapping))
    raise RowInvalid({key: f"{label}“{_short(value)}”不是可选值，可选：{options}"})


def _whole(value: str, key: str, label: str, *, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise RowInvalid({key: f"{label}“{_short(value)}”应为整数"}) from None
    if not low <= number <= high:
        raise RowInvalid({key: f"{label}应在{low}至{high}之间"})
    return number


def _amount(value: str, key: str, label: str) -> Decimal:
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


def _uscc(value: str) -> None:
    try:
        validate_uscc(value)
    except ValidationError as exc:
        raise RowInvalid({"counterparty_uscc": exc.messages[0]}) from None


def _date(value: str, key: str, label: str, *, required: bool = False) -> dt.date | None:
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


def _opinions(text: str, key: str = "opinions") -> list[tuple[str, str, str, str, str]]:
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


def _meeting_suggestions(text: str, key: str = "suggestions") -> list[tuple[str, bool | None]]:
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
def _on(day: dt.date, hour: int, keys: dict[str, str], fallback: str) -> Iterator[None]:
    """Run a step as it happened on ``day``; its refusal names the row's column."""
    try:
        with recorded_at(_at(day, hour)):
            yield
    except TransitionNotAllowed as exc:  # a guard of the workflow table (dates, order, the legal steps)
        raise RowInvalid({fallback: str(exc)}) from None
    except ValidationError as exc:
        raise RowInvalid(_mapped(exc, keys, fallback)) from None


def _step(case: Any, action: str, day: dt.date, hour: int, data: dict[str, Any], by: Any, **keys: str) -> Any:
    fallback = keys.pop("column")
    with _on(day, hour, keys, fallback):
        return transition(case, action, by=by, data=data)


def _review_steps(
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
    item = _step(item, "assign", item.submitted_on, 10, {"reviewer": str(reviewer.pk)}, by, column="reviewer")
    for aspect, finding, suggestion, _adoption, _response in opinions:
        with _on(opinion_on, 10, {}, "opinions"):
            services.issue_add(item=item, aspect=aspect, finding=finding, suggestion=suggestion, by=by)
    item = _step(
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
        with _on(closed_on, 14, {}, "opinions"):
            services.issue_respond(issue=issue, adoption=adoption, response=response, by=by)
    return _step(item, "close", closed_on, 15, {}, by, column="closed_on")


def _finish(
    kind: str, street: Region, ref: str, records: list[tuple[Model, dt.date]], by: Any, *, running: Any = None
) -> None:
    """Remember the source reference (on the first record); meet each record's open clocks on the day it ended,
    but those of ``running`` (a record still in force whose term runs on); mark each as imported."""
    remember(kind, street, ref, records[0][0])
    for obj, ended in records:
        if obj is not running:
            settle_clocks(obj, on=ended, by=by)
        mark_historical(obj, by=by, at=ended, note=f"台账编号{ref}")


def _common(check: Checked, row: dict[str, str], by: Any) -> Region | None:
    return check(_street, row["street"], by)


def _review_columns(*, closed: bool = True) -> list[Column]:
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


def _review_parts(
    check: Checked, row: dict[str, str], street: Region | None, by: Any, *, unlawful_allowed: bool = True
) -> tuple[Any, Any, list[tuple[str, str, str, str, str]], dt.date | None]:
    reviewer = check(_reviewer, row["reviewer"], street, by)
    conclusion = check(_choice, row["conclusion"], CONCLUSIONS, "conclusion", "审查结论")
    if conclusion == Conclusion.UNLAWFUL and not unlawful_allowed:
        check.errors.setdefault(
            "conclusion", "审查结论为不合法的，不得提交集体讨论、作出决定或公布，不能按此最终状态导入"
        )
    opinions = check(_opinions, row["opinions"]) or []
    if conclusion and conclusion != Conclusion.LAWFUL and not opinions and "opinions" not in check.errors:
        check.errors["opinions"] = "结论为修改后合法或不合法的，须逐条列明发现的问题和修改建议"
    opinion_on = check(_date, row["opinion_on"], "opinion_on", "出具意见日期", required=True)
    return reviewer, conclusion, opinions, opinion_on


# --- contracts -------------------------------------------------------------------------------

CONTRACTS = "contracts"


def _contract_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = _common(check, row, by)
    if street is not None and (found := already(CONTRACTS, street, row["ref"])) is not None:
        return Existing(found)
    unit = check(_unit, row["unit"], street, by, "unit", "送审单位")
    submitted = check(_date, row["submitted_on"], "submitted_on", "送审日期", required=True)
    reviewer, conclusion, opinions, opinion_on = _review_parts(check, row, street, by)
    closed = check(_date, row["closed_on"], "closed_on", "办结日期") or opinion_on
    signed = check(_date, row["signed_on"], "signed_on", "签订日期")
    amount = check(_amount, row["amount"], "amount", "合同金额（元）")
    check(_uscc, row["counterparty_uscc"])
    term_start = check(_date, row["term_start"], "term_start", "期限起", required=True)
    term_end = check(_date, row["term_end"], "term_end", "期限止", required=True)
    if term_start and term_end and term_end < term_start:
        check.errors.setdefault("term_end", f"期限止（{term_end}）早于期限起（{term_start}），请核对")
    if signed and conclusion == Conclusion.UNLAWFUL:
        check.errors.setdefault("signed_on", "审查结论为不合法的合同不得签订，请核对审查结论或删去签订日期")
    check.dates(
        [
            ("submitted_on", "送审日期", submitted),
            ("opinion_on", "出具意见日期", opinion_on),
            ("closed_on", "办结日期", closed if row["closed_on"] else None),
            ("signed_on", "签订日期", signed),
        ]
    )
    check.done()
    assert street and unit and submitted and opinion_on and closed and term_start and term_end
    keys = {"title": "title", "unit": "unit", "submitted_on": "submitted_on", "materials": "materials"}
    with entering_history(by=by, capability=HISTORY_IMPORT, region=unit.region):
        with _on(submitted, 9, keys, "title"):
            item = services.contract_submit(
                by=by,
                title=row["title"],
                unit_id=unit.pk,
                submitted_on=submitted,
                counterparty=row["counterparty"],
                counterparty_uscc=row["counterparty_uscc"],
                amount=amount,
                contract_type=row["contract_type"],
                term_start=term_start,
                term_end=term_end,
                materials=row["materials"] or "合同文本及附件",
                risk_points=row["risk_points"],
            )
        item = _review_steps(
            item,
            by=by,
            reviewer=reviewer,
            conclusion=conclusion,
            opinions=opinions,
            opinion_on=opinion_on,
            closed_on=closed,
        )
        ended = closed
        if signed:
            with _on(signed, 16, {}, "signed_on"):
                item = services.contract_sign(item=item, signed_on=signed, by=by)
            ended = max(ended, signed)
        _finish(CONTRACTS, street, row["ref"], [(item, ended)], by)
    return item


def _ref_column(example: str) -> Column:
    return Column(
        "台账编号",
        "ref",
        True,
        example,
        "原台账或原系统中的编号；同一街镇同一编号只导入一次，重复导入的行识别为“此前已导入”，不重复写入",
        100,
    )


STREET = Column("街镇区划代码", "street", True, "990100001", "记录所属街镇的区划代码", 20)

register(
    Importer(
        CONTRACTS,
        "合同审查（往年台账）",
        [
            _ref_column("HT-2025-001"),
            STREET,
            Column("合同名称", "title", True, "示例街道物业服务合同（示例）", "", 200),
            Column("送审单位", "unit", True, "示例街道办事处", "本街镇单位名册中的单位全称", 100),
            Column("送审日期", "submitted_on", True, "2025-03-03", "YYYY-MM-DD"),
            Column("合同相对方", "counterparty", True, "示例物业有限公司", "", 100),
            Column(
                "相对方统一社会信用代码",
                "counterparty_uscc",
                True,
                "91990100000000123B",
                "18位，校验位按GB 32100核对",
                18,
            ),
            Column("合同金额（元）", "amount", True, "120000.00", "数字，最多两位小数"),
            Column("合同类型", "contract_type", True, "服务合同", "", 50),
            Column("期限起", "term_start", True, "2025-04-01", "YYYY-MM-DD"),
            Column("期限止", "term_end", True, "2026-03-31", "YYYY-MM-DD，不早于期限起"),
            Column("送审材料", "materials", False, "合同文本及附件", "不填为“合同文本及附件”"),
            Column("风险点", "risk_points", False, "付款节点与验收脱节（示例）", "审查发现的风险点"),
            *_review_columns(),
            Column(
                "签订日期", "signed_on", False, "2025-03-20", "不早于出具意见日期；审查结论为不合法的不得填写"
            ),
        ],
        _contract_row,
        notes=[
            "每行一份往年已审核的合同，按办结状态导入：送审、指定审查人员、逐条审查意见、出具意见（编号按出具意见年度）、"
            "送审单位逐条反馈、办结，有签订日期的再登记签订；各环节按所填日期记入时间线，并记“历史数据导入”。",
            "日期须按送审、出具意见、办结、签订的先后顺序，且不能晚于今天；任何一行有误，整批不导入。",
        ],
        capability=HISTORY_IMPORT,
        group=GROUP,
        description="往年已审核合同：合同要素、审查结论与意见、反馈采纳情况、签订日期",
    )
)


# --- legality reviews (major enforcement decisions and other matters) ---------------------------

REVIEWS = "legality-reviews"


def _review_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = _common(check, row, by)
    if street is not None and (found := already(REVIEWS, street, row["ref"])) is not None:
        return Existing(found)
    kind = check(_choice, row["kind"], REVIEW_KINDS, "kind", "事项类别")
    unit = check(_unit, row["unit"], street, by, "unit", "送审单位")
    submitted = check(_date, row["submitted_on"], "submitted_on", "送审日期", required=True)
    reviewer, conclusion, opinions, opinion_on = _review_parts(check, row, street, by)
    closed = check(_date, row["closed_on"], "closed_on", "办结日期") or opinion_on
    check.dates(
        [
            ("submitted_on", "送审日期", submitted),
            ("opinion_on", "出具意见日期", opinion_on),
            ("closed_on", "办结日期", closed if row["closed_on"] else None),
        ]
    )
    check.done()
    assert street and unit and submitted and opinion_on and closed
    keys = {
        "title": "title",
        "unit": "unit",
        "submitted_on": "submitted_on",
        "materials": "materials",
        "kind": "kind",
    }
    with entering_history(by=by, capability=HISTORY_IMPORT, region=unit.region):
        with _on(submitted, 9, keys, "title"):
            item = services.review_submit(
                by=by,
                kind=kind,
                title=row["title"],
                unit_id=unit.pk,
                submitted_on=submitted,
                materials=row["materials"],
            )
        item = _review_steps(
            item,
            by=by,
            reviewer=reviewer,
            conclusion=conclusion,
            opinions=opinions,
            opinion_on=opinion_on,
            closed_on=closed,
        )
        _finish(REVIEWS, street, row["ref"], [(item, closed)], by)
    return item


register(
    Importer(
        REVIEWS,
        "合法性审查（往年台账）",
        [
            _ref_column("SC-2025-018"),
            STREET,
            Column("事项类别", "kind", True, "重大行政执法决定", "可选：重大行政执法决定、其他"),
            Column("事项名称", "title", True, "对某公司违法建筑拆除决定的法制审核（示例）", "", 200),
            Column("送审单位", "unit", True, "示例街道综合行政执法队", "本街镇单位名册中的单位全称", 100),
            Column("送审日期", "submitted_on", True, "2025-05-06", "YYYY-MM-DD"),
            Column("送审材料", "materials", True, "决定书草稿、调查终结报告、证据材料（示例）"),
            *_review_columns(),
        ],
        _review_row,
        notes=[
            "每行一件往年已办结的合法性审查（重大行政执法决定法制审核，或政策措施、会议议题等其他事项），按办结状态导入。",
            "重大行政决策、行政规范性文件和合同的审查，随各自的模板导入（不在此表），以免重复计数。",
            "重大行政执法决定的审查人员须取得法律职业资格，或此前已审核过此类决定（《行政处罚法》第58条）。",
        ],
        capability=HISTORY_IMPORT,
        group=GROUP,
        description="往年已办结的重大执法决定法制审核和其他事项审查：结论、逐条意见及采纳情况",
    )
)


# --- major decisions -------------------------------------------------------------------------

DECISIONS = "major-decisions"


def _decision_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = _common(check, row, by)
    if street is not None and (found := already(DECISIONS, street, row["ref"])) is not None:
        return Existing(found)
    year = check(_whole, row["year"], "year", "目录年度", low=2000, high=timezone.localdate().year + 1)
    unit = check(_unit, row["unit"], street, by, "unit", "承办单位")
    comment_from = check(_date, row["comment_from"], "comment_from", "草案公布日期", required=True)
    days = check(_whole, row["comment_days"], "comment_days", "征求意见期限（日）", low=1, high=365)
    if days is not None and days < 30 and not row["short_comment_reason"]:
        check.errors.setdefault(
            "short_comment_reason",
            "征求意见期限少于30日的，须填写缩短期限的理由（《重大行政决策程序暂行条例》第15条）",
        )
    comment_closed = check(
        _date, row["comment_closed_on"], "comment_closed_on", "征求意见结束日期", required=True
    )
    if comment_from and days and comment_closed and comment_closed < comment_from + dt.timedelta(days=days):
        end = comment_from + dt.timedelta(days=days)
        check.errors.setdefault("comment_closed_on", f"征求意见期限至{end}届满，结束日期不能早于此日")
    reviewer, conclusion, opinions, opinion_on = _review_parts(check, row, street, by, unlawful_allowed=False)
    meeting_on = check(_date, row["meeting_on"], "meeting_on", "会议日期", required=True)
    decided = check(_date, row["decided_on"], "decided_on", "决定日期", required=True)
    end_state = check(_choice, row["final_state"], DECISION_ENDS, "final_state", "最终状态")
    published = check(_date, row["published_on"], "published_on", "公布日期")
    evaluated = check(_date, row["evaluated_on"], "evaluated_on", "决策后评估日期")
    if end_state in ("published", "archived"):
        if not row["published_on"]:
            check.errors.setdefault("published_on", f"最终状态为{row['final_state']}的，须填写公布日期")
        if not row["published_where"]:
            check.errors.setdefault("published_where", f"最终状态为{row['final_state']}的，须填写公布载体")
    elif end_state == "decided" and row["published_on"]:
        check.errors.setdefault("final_state", "已填写公布日期的，最终状态应为已公布或已归档")
    if bool(row["evaluated_on"]) != bool(row["evaluation"]):
        check.errors.setdefault("evaluation", "决策后评估日期和评估结论须同时填写")
    elif row["evaluated_on"] and end_state != "archived":
        check.errors.setdefault("evaluated_on", "决策后评估在归档之后记录，最终状态应为已归档")
    check.dates(
        [
            ("comment_from", "草案公布日期", comment_from),
            ("comment_closed_on", "征求意见结束日期", comment_closed),
            ("opinion_on", "出具意见日期", opinion_on),
            ("meeting_on", "会议日期", meeting_on),
            ("decided_on", "决定日期", decided),
            ("published_on", "公布日期", published),
            ("evaluated_on", "决策后评估日期", evaluated),
        ]
    )
    check.done()
    assert street and unit and year and comment_from and days and comment_closed and opinion_on
    assert meeting_on and decided
    with entering_history(by=by, capability=HISTORY_IMPORT, region=unit.region):
        keys = {"title": "title", "unit": "unit", "adjustment_reason": "adjustment_reason"}
        with _on(comment_from, 8, keys, "title"):
            decision = services.decision_create(
                by=by,
                year=year,
                title=row["title"],
                unit_id=unit.pk,
                adjustment_reason=row["adjustment_reason"],
            )
        data: dict[str, Any] = {
            "published_on": comment_from,
            "days": days,
            "short_reason": row["short_comment_reason"],
        }
        decision = _step(
            decision,
            "open_comment",
            comment_from,
            9,
            data,
            by,
            days="comment_days",
            short_reason="short_comment_reason",
            column="comment_from",
        )
        data = {
            "closed_on": comment_closed,
            "expert_review": row["expert_review"],
            "risk_assessment": row["risk_assessment"],
        }
        decision = _step(
            decision,
            "close_comment",
            comment_closed,
            9,
            data,
            by,
            expert_review="expert_review",
            risk_assessment="risk_assessment",
            column="comment_closed_on",
        )
        review = _review_steps(
            decision.review,
            by=by,
            reviewer=reviewer,
            conclusion=conclusion,
            opinions=opinions,
            opinion_on=opinion_on,
            closed_on=opinion_on,
        )
        data = {
            "meeting": row["meeting"],
            "held_on": meeting_on,
            "speakers": row["speakers"],
            "dissent": row["dissent"],
        }
        decision = _step(
            decision,
            "record_discussion",
            meeting_on,
            9,
            data,
            by,
            meeting="meeting",
            speakers="speakers",
            dissent="dissent",
            column="meeting_on",
        )
        decision = _step(decision, "decide", decided, 16, {"decided_on": decided}, by, column="decided_on")
        ended = decided
        if published is not None:
            data = {"published_on": published, "where": row["published_where"]}
            decision = _step(
                decision, "publish", published, 10, data, by, where="published_where", column="published_on"
            )
            ended = published
        if end_state == "archived":
            decision = _step(decision, "archive", published or decided, 17, {}, by, column="final_state")
        if evaluated is not None:
            data = {"evaluated_on": evaluated, "evaluation": row["evaluation"]}
            decision = _step(
                decision,
                "post_evaluate",
                evaluated,
                10,
                data,
                by,
                evaluation="evaluation",
                column="evaluated_on",
            )
            ended = evaluated
        _finish(DECISIONS, street, row["ref"], [(decision, ended), (review, opinion_on)], by)
    return decision


register(
    Importer(
        DECISIONS,
        "重大行政决策（往年台账）",
        [
            _ref_column("JC-2025-01"),
            STREET,
            Column("目录年度", "year", True, "2025", "列入的重大行政决策事项目录的年度"),
            Column("决策事项", "title", True, "示例街道老旧小区加装电梯实施办法（示例）", "", 200),
            Column("承办单位", "unit", True, "示例街道办事处", "本街镇单位名册中的单位全称", 100),
            Column(
                "目录调整理由", "adjustment_reason", False, "", "该年度目录已审定的，增补事项须说明调整理由"
            ),
            Column("草案公布日期", "comment_from", True, "2025-03-01", "公开征求意见的起始日期"),
            Column("征求意见期限（日）", "comment_days", True, "30", "一般不少于30日"),
            Column("缩短期限的理由", "short_comment_reason", False, "", "期限少于30日的必填", 200),
            Column(
                "征求意见结束日期",
                "comment_closed_on",
                True,
                "2025-04-01",
                "不早于起始日期加期限；同日送合法性审查",
            ),
            Column(
                "专家论证", "expert_review", True, "已组织3名专家论证（示例）", "开展情况或不开展的理由", 200
            ),
            Column(
                "风险评估", "risk_assessment", True, "已开展，风险可控（示例）", "开展情况或不开展的理由", 200
            ),
            *_review_columns(closed=False),
            Column("集体讨论会议", "meeting", True, "党工委会议", "", 100),
            Column("会议日期", "meeting_on", True, "2025-04-20", "不早于合法性审查出具意见日期"),
            Column("发言人员", "speakers", True, "书记、主任、司法所所长（示例）", "", 300),
            Column("不同意见", "dissent", False, "", "", 300),
            Column("决定日期", "decided_on", True, "2025-04-21", "不早于会议日期"),
            Column("最终状态", "final_state", True, "已归档", "可选：已决定、已公布、已归档"),
            Column("公布日期", "published_on", False, "2025-04-25", "已公布、已归档的必填"),
            Column("公布载体", "published_where", False, "街道门户网站", "已公布、已归档的必填", 100),
            Column("决策后评估日期", "evaluated_on", False, "", "已归档的可填，须与评估结论同时填写"),
            Column("评估结论", "evaluation", False, "", "实施效果、存在问题、继续实施或调整的建议"),
        ],
        _decision_row,
        notes=[
            "每行一项往年重大行政决策，按最终状态导入：列入目录、公开征求意见、专家论证和风险评估、合法性审查"
            "（审查意见及采纳情况）、集体讨论、决定、公布、归档、决策后评估；各环节按所填日期记入时间线。",
            "日期须依次不早于前一环节，且不能晚于今天；审查结论为不合法的决策不能导入为已决定。",
        ],
        capability=HISTORY_IMPORT,
        group=GROUP,
        description="往年重大行政决策：五个法定程序、决定、公布、归档与决策后评估",
    )
)


# --- normative documents ---------------------------------------------------------------------

NORMATIVE = "normative-documents"


def _normative_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = _common(check, row, by)
    if street is not None and (found := already(NORMATIVE, street, row["ref"])) is not None:
        return Existing(found)
    unit = check(_unit, row["unit"], street, by, "unit", "起草单位")
    trial = check(_choice, row["trial"] or "否", YES_NO, "trial", "暂行或试行")
    comment_from = check(_date, row["comment_from"], "comment_from", "征求意见稿公布日期", required=True)
    days = check(_whole, row["comment_days"], "comment_days", "征求意见期限（日）", low=1, high=365)
    comment_closed = check(
        _date, row["comment_closed_on"], "comment_closed_on", "征求意见结束日期", required=True
    )
    reviewer, conclusion, opinions, opinion_on = _review_parts(check, row, street, by, unlawful_allowed=False)
    meeting_on = check(_date, row["meeting_on"], "meeting_on", "审议日期", required=True)
    published = check(_date, row["published_on"], "published_on", "公布日期", required=True)
    effective = check(_date, row["effective_on"], "effective_on", "施行日期", required=True)
    filed = check(_date, row["filed_on"], "filed_on", "报送备案日期", required=True)
    evaluated = check(_date, row["evaluated_on"], "evaluated_on", "评估日期")
    end_state = check(_choice, row["final_state"], NORMATIVE_ENDS, "final_state", "最终状态")
    ended = check(_date, row["ended_on"], "ended_on", "停止施行日期")
    if published and effective and effective < published:
        check.errors.setdefault("effective_on", f"施行日期（{effective}）早于公布日期（{published}），请核对")
    if bool(row["evaluated_on"]) != bool(row["evaluation"]):
        check.errors.setdefault("evaluation", "评估日期和评估意见须同时填写")
    if end_state in (NormativeState.REVISED, NormativeState.ABOLISHED):
        if not row["ended_on"]:
            check.errors.setdefault("ended_on", f"最终状态为{row['final_state']}的，须填写停止施行日期")
        if not row["end_reason"]:
            check.errors.setdefault("end_reason", f"最终状态为{row['final_state']}的，须填写理由")
    elif row["ended_on"]:
        check.errors.setdefault("ended_on", "只有已修订或已废止的文件填写停止施行日期")
    check.dates(
        [
            ("comment_from", "征求意见稿公布日期", comment_from),
            ("comment_closed_on", "征求意见结束日期", comment_closed),
            ("opinion_on", "出具意见日期", opinion_on),
            ("meeting_on", "审议日期", meeting_on),
            ("published_on", "公布日期", published),
            ("filed_on", "报送备案日期", filed),
        ]
    )
    check.dates([("published_on", "公布日期", published), ("evaluated_on", "评估日期", evaluated)])
    check.dates([("published_on", "公布日期", published), ("ended_on", "停止施行日期", ended)])
    check.done()
    assert street and unit and comment_from and days and comment_closed and opinion_on and meeting_on
    assert published and effective and filed and trial is not None and end_state
    with entering_history(by=by, capability=HISTORY_IMPORT, region=unit.region):
        with _on(comment_from, 8, {"title": "title", "unit": "unit"}, "title"):
            doc = services.normative_create(by=by, title=row["title"], unit_id=unit.pk, trial=trial)
        data: dict[str, Any] = {"published_on": comment_from, "days": days}
        doc = _step(
            doc, "open_comment", comment_from, 9, data, by, days="comment_days", column="comment_from"
        )
        doc = _step(
            doc,
            "close_comment",
            comment_closed,
            9,
            {"closed_on": comment_closed},
            by,
            column="comment_closed_on",
        )
        review = _review_steps(
            doc.review,
            by=by,
            reviewer=reviewer,
            conclusion=conclusion,
            opinions=opinions,
            opinion_on=opinion_on,
            closed_on=opinion_on,
        )
        data = {"meeting": row["meeting"], "held_on": meeting_on}
        doc = _step(doc, "deliberate", meeting_on, 9, data, by, meeting="meeting", column="meeting_on")
        data = {"doc_number": row["doc_number"], "published_on": published, "effective_on": effective}
        doc = _step(doc, "publish", published, 10, data, by, doc_number="doc_number", column="published_on")
        with _on(filed, 10, {"filed_on": "filed_on"}, "filed_on"):
            doc = services.normative_file(doc=doc, filed_on=filed, by=by)
        last = filed
        if evaluated is not None:
            data = {"evaluated_on": evaluated, "evaluation": row["evaluation"]}
            doc = _step(
                doc, "evaluate", evaluated, 10, data, by, evaluation="evaluation", column="evaluated_on"
            )
            last = max(last, evaluated)
        today = timezone.localdate()
        if end_state == NormativeState.PUBLISHED and doc.expires_on is not None and doc.expires_on < today:
            raise RowInvalid(
                {"final_state": f"有效期已于{doc.expires_on}届满，最终状态应为已失效（或已修订、已废止）"}
            )
        if end_state == NormativeState.EXPIRED:
            if doc.expires_on is None or doc.expires_on >= today:
                raise RowInvalid({"final_state": f"有效期至{doc.expires_on}，尚未届满，不能导入为已失效"})
            lapsed = doc.expires_on + dt.timedelta(days=1)
            doc = _step(doc, "expire", lapsed, 9, {}, by, column="final_state")
            last = max(last, doc.ended_on or lapsed)
        elif end_state in (NormativeState.REVISED, NormativeState.ABOLISHED):
            assert ended is not None
            action = "revise" if end_state == NormativeState.REVISED else "abolish"
            data = {"ended_on": ended, "reason": row["end_reason"]}
            doc = _step(doc, action, ended, 10, data, by, reason="end_reason", column="ended_on")
            last = max(last, ended)
        # A document still in force keeps its validity term running (not a task: it reminds 6 months before
        # expiry); every other clock is met by now, and an ended document's term was met when it ended.
        in_force = doc if end_state == NormativeState.PUBLISHED else None
        _finish(NORMATIVE, street, row["ref"], [(doc, last), (review, opinion_on)], by, running=in_force)
    return doc


register(
    Importer(
        NORMATIVE,
        "行政规范性文件（往年台账）",
        [
            _ref_column("GF-2025-02"),
            STREET,
            Column("文件名称", "title", True, "示例街道文明养犬管理办法（示例）", "", 200),
            Column("起草单位", "unit", True, "示例街道办事处", "本街镇单位名册中的单位全称", 100),
            Column("暂行或试行", "trial", False, "否", "是或否（不填为否）；暂行、试行文件有效期一般为2年"),
            Column("征求意见稿公布日期", "comment_from", True, "2025-02-10"),
            Column("征求意见期限（日）", "comment_days", True, "30"),
            Column("征求意见结束日期", "comment_closed_on", True, "2025-03-12", "同日送合法性审查"),
            *_review_columns(closed=False),
            Column("审议会议", "meeting", True, "主任办公会", "", 100),
            Column("审议日期", "meeting_on", True, "2025-03-28", "不早于合法性审查出具意见日期"),
            Column("文号", "doc_number", True, "示街规〔2025〕1号", "", 60),
            Column("公布日期", "published_on", True, "2025-04-02", "不早于审议日期"),
            Column("施行日期", "effective_on", True, "2025-05-01", "不早于公布日期（可以是将来的日期）"),
            Column("报送备案日期", "filed_on", True, "2025-04-15", "不早于公布日期"),
            Column("评估日期", "evaluated_on", False, "", "实施后评估的日期，须与评估意见同时填写"),
            Column("评估意见", "evaluation", False, "", "继续有效、修订或废止的建议及理由"),
            Column("最终状态", "final_state", True, "已公布施行", "可选：已公布施行、已修订、已废止、已失效"),
            Column("停止施行日期", "ended_on", False, "", "已修订、已废止的必填"),
            Column("停止理由", "end_reason", False, "", "已修订、已废止的必填", 200),
        ],
        _normative_row,
        notes=[
            "每行一件往年制定的行政规范性文件，按最终状态导入：起草、公开征求意见、合法性审查（审查意见及采纳情况）、"
            "集体审议、公布施行（有效期按施行日期自动计算）、报送备案，以及实施后评估、修订、废止或有效期届满失效。",
            "有效期已届满的文件，最终状态应填“已失效”（或已修订、已废止）；现行有效的文件有效期继续计算，届满前6个月提示评估。",
        ],
        capability=HISTORY_IMPORT,
        group=GROUP,
        description="往年行政规范性文件：审查、审议、文号、公布、备案与最终状态",
    )
)


# --- meetings attended -----------------------------------------------------------------------

MEETINGS = "meeting-attendance"


def _meeting_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = _common(check, row, by)
    if street is not None and (found := already(MEETINGS, street, row["ref"])) is not None:
        return Existing(found)
    held = check(_date, row["held_on"], "held_on", "会议日期", required=True)
    suggestions = check(_meeting_suggestions, row["suggestions"]) or []
    check.dates([("held_on", "会议日期", held)])
    check.done()
    assert street and held
    keys = {
        "meeting": "meeting",
        "held_on": "held_on",
        "attendee": "attendee",
        "topics": "topics",
        "region": "street",
    }
    with _on(held, 9, keys, "topics"):
        attendance = services.meeting_record(
            by=by,
            region=street,
            held_on=held,
            attendee=row["attendee"],
            topics=row["topics"],
            suggestions=suggestions,
            meeting=row["meeting"],
        )
    _finish(MEETINGS, street, row["ref"], [(attendance, held)], by)
    return attendance


register(
    Importer(
        MEETINGS,
        "列席会议（往年台账）",
        [
            _ref_column("LX-2025-07"),
            STREET,
            Column("会议名称", "meeting", True, "主任办公会", "如主任办公会、党工委会议", 100),
            Column("会议日期", "held_on", True, "2025-06-18", "YYYY-MM-DD，不能晚于今天"),
            Column("列席人", "attendee", True, "司法所所长（示例）", "", 50),
            Column("议题", "topics", True, "社区微更新项目合同签订（示例）"),
            Column(
                "法律建议",
                "suggestions",
                False,
                "建议补充违约责任条款（示例）｜是",
                "每行一条：建议内容｜是否被采纳（是、否或待反馈，不填为待反馈）",
                5000,
            ),
        ],
        _meeting_row,
        notes=[
            "每行一次司法所所长（或法律顾问）列席的会议，连同提出的法律建议及其采纳情况；记“历史数据导入”。"
        ],
        capability="administration.meeting.record",
        group=GROUP,
        description="列席主任办公会、党工委会议等，提出的法律建议及采纳情况",
    )
)
