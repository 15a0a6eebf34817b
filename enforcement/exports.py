"""The enforcement lists as ledgers (core/ledger.py): the cases, the catalogue of items and the officers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum

from core.clocks.services import today
from core.exports import ExportColumn, Exporter, ListFilter, choice_options, register
from core.ledger import due_columns, with_next_due
from core.models import Person
from core.models.people import PersonKind

from .choices import CaseState, Outcome, Procedure, Source
from .models import EnforcementCase, EnforcementItem

EXPIRING_DAYS = 90  # a certificate this close to its end is flagged


def cases_of(user: Any, params: dict[str, Any]) -> QuerySet:
    return with_next_due(
        EnforcementCase.objects.visible_to(user).select_related("item", "region").prefetch_related("officers")
    )


def _search(qs: QuerySet, value: str) -> QuerySet:
    for word in value.split():
        qs = qs.filter(
            Q(number__icontains=word) | Q(party_name__icontains=word) | Q(item__name__icontains=word)
        )
    return qs


def _years(user: Any) -> list[tuple[str, str]]:
    dates = EnforcementCase.objects.visible_to(user).dates("filed_on", "year", order="DESC")
    return [(str(d.year), f"{d.year}年") for d in dates]


CASES = register(
    Exporter(
        "enforcement-cases",
        "行政执法案件",
        [
            ExportColumn("案件编号", lambda c: c.number, 22, key="number", sort="number", link=True),
            ExportColumn("程序", lambda c: c.get_procedure_display(), 10, key="procedure", sort="procedure"),
            ExportColumn("执法事项", lambda c: c.item.name, 30, key="item", sort="item__code"),
            ExportColumn("当事人", lambda c: c.party_name, 20, key="party", sort="party_name"),
            ExportColumn("居村", lambda c: c.region.name, 16, key="community", default=False),
            ExportColumn("案件来源", lambda c: c.get_source_display(), key="source", default=False),
            ExportColumn("立案日期", lambda c: c.filed_on, 12, "date", key="filed", sort="filed_on"),
            ExportColumn(
                "执法人员",
                lambda c: "、".join(p.name for p in c.officers.all()),
                20,
                key="officers",
                default=False,
            ),
            ExportColumn("状态", lambda c: c.get_state_display(), key="state", sort="state"),
            *due_columns(),
            ExportColumn("处理结果", lambda c: c.get_outcome_display(), key="outcome", sort="outcome"),
            ExportColumn("罚款", lambda c: c.fine, 12, "money", key="fine", sort="fine"),
            ExportColumn(
                "决定日期",
                lambda c: c.decided_on,
                12,
                "date",
                key="decided",
                sort="decided_on",
                default=False,
            ),
            ExportColumn("决定书文号", lambda c: c.decision_number, 26, key="decision_number", default=False),
            ExportColumn("公示日期", lambda c: c.published_on, 12, "date", key="published", default=False),
            ExportColumn("结案日期", lambda c: c.closed_on, 12, "date", key="closed", default=False),
        ],
        cases_of,
        filters=(
            ListFilter("q", "关键词", _search),
            ListFilter("state", "状态", lambda qs, v: qs.filter(state=v), choice_options(CaseState.choices)),
            ListFilter(
                "procedure", "程序", lambda qs, v: qs.filter(procedure=v), choice_options(Procedure.choices)
            ),
            ListFilter(
                "outcome", "处理结果", lambda qs, v: qs.filter(outcome=v), choice_options(Outcome.choices)
            ),
            ListFilter("source", "来源", lambda qs, v: qs.filter(source=v), choice_options(Source.choices)),
            ListFilter("year", "立案年度", lambda qs, v: qs.filter(filed_on__year=int(v)), _years),
        ),
        list_url="enforcement:cases",
    )
)


def items_of(user: Any, params: dict[str, Any]) -> QuerySet:
    return EnforcementItem.objects.visible_to(user).select_related("region")


ITEMS = register(
    Exporter(
        "enforcement-items",
        "执法事项目录",
        [
            ExportColumn("事项编码", lambda i: i.code, 12, key="code", sort="code"),
            ExportColumn("事项名称", lambda i: i.name, 30, key="name", sort="name"),
            ExportColumn("法律依据", lambda i: i.basis, 36, key="basis"),
            ExportColumn("处罚种类和幅度", lambda i: i.penalty_range, 36, key="range"),
            ExportColumn("罚款上限", lambda i: i.fine_max, 12, "money", key="fine_max", default=False),
            ExportColumn("裁量基准", lambda i: i.discretion, 40, key="discretion", default=False),
            ExportColumn("首违不罚清单", lambda i: i.minor_exempt, 10, key="minor_exempt"),
            ExportColumn("须法制审核", lambda i: i.needs_review, 10, key="needs_review"),
            ExportColumn(
                "法制审核金额", lambda i: i.review_threshold, 12, "money", key="threshold", default=False
            ),
            ExportColumn("有效", lambda i: i.active, 8, key="active", default=False),
        ],
        items_of,
        filters=(
            ListFilter("q", "关键词", lambda qs, v: qs.filter(Q(name__icontains=v) | Q(code__icontains=v))),
            ListFilter(
                "list",
                "清单",
                lambda qs, v: qs.filter(minor_exempt=True) if v == "exempt" else qs.filter(needs_review=True),
                lambda user: [("exempt", "首违不罚清单"), ("review", "须法制审核")],
            ),
        ),
        list_url="enforcement:items",
    )
)


def _adverse_count() -> Any:
    """Decisions of the officer that a reconsideration corrected or a court found against (respondent app)."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from respondent.choices import ADVERSE
    from respondent.models import RespondentCase

    counted = (
        RespondentCase.objects.filter(enforcement_case__officers=OuterRef("pk"), outcome__in=ADVERSE)
        .values("enforcement_case__officers")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def officers_of(user: Any, params: dict[str, Any]) -> QuerySet:
    year = today().year
    return (
        Person.objects.visible_to(user)
        .filter(kind=PersonKind.OFFICER)
        .select_related("unit")
        .prefetch_related("certificates")
        .annotate(
            valid_until=Max("certificates__valid_to"),
            hours=Sum("enforcement_training__hours", filter=Q(enforcement_training__held_on__year=year)),
            adverse=_adverse_count(),
        )
        .order_by("name", "pk")
    )


def certificate_status(person: Any) -> str:
    """有效 / N日后到期 / 已过期 / 未登记, from the person's latest certificate."""
    until = getattr(person, "valid_until", None)
    if until is None:
        return "未登记执法证"
    day = today()
    if until < day:
        return f"已过期（{until:%Y-%m-%d}）"
    if until - day <= dt.timedelta(days=EXPIRING_DAYS):
        return f"{(until - day).days}日后到期"
    return "有效"


def _status_filter(qs: QuerySet, value: str) -> QuerySet:
    day = today()
    if value == "valid":
        return qs.filter(valid_until__gte=day)
    if value == "expiring":
        return qs.filter(valid_until__gte=day, valid_until__lte=day + dt.timedelta(days=EXPIRING_DAYS))
    return qs.filter(Q(valid_until__lt=day) | Q(valid_until__isnull=True))


OFFICERS = register(
    Exporter(
        "enforcement-officers",
        "行政执法人员",
        [
            ExportColumn("姓名", lambda p: p.name, 14, key="name", sort="name"),
            ExportColumn("所在单位", lambda p: p.unit.name if p.unit else "", 24, key="unit"),
            ExportColumn(
                "执法证号", lambda p: "、".join(c.number for c in p.certificates.all()), 20, key="numbers"
            ),
            ExportColumn(
                "有效期至", lambda p: p.valid_until, 12, "date", key="valid_until", sort="valid_until"
            ),
            ExportColumn("持证状态", certificate_status, 14, key="status"),
            ExportColumn("法律职业资格", lambda p: p.legal_qualification, 10, key="qualified", default=False),
            ExportColumn("本年培训学时", lambda p: p.hours, 10, "money", key="hours", sort="hours"),
            ExportColumn("决定被纠错或败诉", lambda p: p.adverse, 10, "int", key="adverse", sort="adverse"),
        ],
        officers_of,
        filters=(
            ListFilter(
                "status",
                "持证状态",
                _status_filter,
                lambda user: [
                    ("valid", "有效"),
                    ("expiring", f"{EXPIRING_DAYS}日内到期"),
                    ("invalid", "已过期或未登记"),
                ],
            ),
        ),
        list_url="enforcement:officers",
    )
)
