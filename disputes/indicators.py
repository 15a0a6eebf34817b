"""Indicators the disputes app computes (seed 000 预期目标; seed 004 附件 第10条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.indicators import (
    Indicator,
    IndicatorKind,
    Reading,
    count_reading,
    rate_reading,
    register,
    sum_reading,
)

from . import selectors

SEED_000 = "《街镇法治建设三年行动计划》预期目标（seed 000）"

COLUMNS = (
    ("编号", lambda d: d.number),
    ("类型", lambda d: d.dispute_type.name),
    ("居村", lambda d: d.region.name),
    ("受理时间", lambda d: timezone.localtime(d.received_at).strftime("%Y-%m-%d %H:%M")),
    ("状态", lambda d: d.get_state_display()),
)


def _qs(user: Any, region: Any, start: dt.date, end: dt.date) -> dict[str, QuerySet[Any]]:
    return {
        k: q.select_related("dispute_type", "region").order_by("received_at", "pk")
        for k, q in selectors.stat_querysets(user, region, start, end).items()
    }


def received(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_qs(user, region, start, end)["received"])


def success_count(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_qs(user, region, start, end)["success"])


def written_agreements(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_qs(user, region, start, end)["success"].filter(agreement__kind="written"))


def success_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    qs = _qs(user, region, start, end)
    return rate_reading(qs["success"], qs["success"] | qs["failure"])


def escalation_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    qs = _qs(user, region, start, end)
    return rate_reading(qs["escalated"], qs["received"])


def fulfilment_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    qs = _qs(user, region, start, end)
    return rate_reading(qs["fulfilled"], qs["follow_up_done"])


def on_time_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    qs = _qs(user, region, start, end)
    return rate_reading(qs["on_time"], qs["period_met"])


def amount(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return sum_reading(_qs(user, region, start, end)["received"], "amount")


register(
    Indicator(
        code="disputes.received",
        name="受理矛盾纠纷数",
        kind=IndicatorKind.EXPECTED,
        unit="件",
        target="",
        source=SEED_000,
        method="期间内受理（受理时间在期间内）的矛盾纠纷件数。",
        app="disputes",
        order=100,
        compute=received,
        columns=COLUMNS,
    ),
    Indicator(
        code="disputes.success",
        name="调解成功件数（书面协议）",
        kind=IndicatorKind.EXPECTED,
        unit="件",
        target="",
        source=SEED_000,
        method="调解协议在期间内生效、且纠纷处于已达成协议或已结案状态的件数。",
        app="disputes",
        order=101,
        compute=success_count,
        columns=COLUMNS,
    ),
    Indicator(
        code="disputes.written_agreements",
        name="书面调解协议数",
        kind=IndicatorKind.EXPECTED,
        unit="件",
        target="",
        source=SEED_000,
        method="调解成功件数中以书面形式达成调解协议的件数。",
        app="disputes",
        order=101,
        compute=written_agreements,
        columns=COLUMNS,
    ),
    Indicator(
        code="disputes.success_rate",
        name="调解成功率",
        kind=IndicatorKind.BINDING,
        unit="%",
        target="≥98%",
        source=SEED_000,
        method="调解成功件数 ÷（调解成功件数 + 期间内调解不成终结的件数）。",
        app="disputes",
        order=102,
        compute=success_rate,
        columns=COLUMNS,
    ),
    Indicator(
        code="disputes.escalation_rate",
        name="矛盾纠纷出街镇率",
        kind=IndicatorKind.BINDING,
        unit="%",
        target="不高于1%",
        source=SEED_000,
        method="期间内受理的纠纷中离开街镇处理（上报、移送）的件数 ÷ 期间内受理件数。",
        app="disputes",
        order=103,
        compute=escalation_rate,
        columns=COLUMNS,
    ),
    Indicator(
        code="disputes.fulfilment_rate",
        name="调解协议履行率",
        kind=IndicatorKind.BINDING,
        unit="%",
        target="100%",
        source=SEED_000,
        method="期间内生效、回访完毕的调解协议中全部履行的件数 ÷ 回访完毕的协议件数。",
        app="disputes",
        order=104,
        compute=fulfilment_rate,
        columns=COLUMNS,
    ),
    Indicator(
        code="disputes.on_time_rate",
        name="调解期限内办结率",
        kind=IndicatorKind.EXPECTED,
        unit="%",
        target="",
        source="《人民调解法》及调解期限规则（RULES.md mediation.period）",
        method="期间内调解期限计时完成的纠纷中按期完成的件数 ÷ 计时完成的件数。",
        app="disputes",
        order=105,
        compute=on_time_rate,
        columns=COLUMNS,
    ),
    Indicator(
        code="disputes.amount",
        name="受理纠纷涉及金额",
        kind=IndicatorKind.EXPECTED,
        unit="元",
        target="",
        source=SEED_000,
        method="期间内受理纠纷登记的争议金额之和；清单为期间内受理的纠纷。",
        app="disputes",
        order=106,
        compute=amount,
        columns=COLUMNS,
    ),
)
