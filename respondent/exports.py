"""The respondent cases as a ledger (core/ledger.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.exports import ExportColumn, Exporter, ListFilter, choice_options, register
from core.ledger import due_columns, with_next_due

from .choices import ADVERSE, ActKind, CaseState, Kind, Outcome
from .models import RespondentCase


def cases_of(user: Any, params: dict[str, Any]) -> QuerySet:
    return with_next_due(RespondentCase.objects.visible_to(user).select_related("unit"))


def _years(user: Any) -> list[tuple[str, str]]:
    dates = RespondentCase.objects.visible_to(user).dates("received_on", "year", order="DESC")
    return [(str(d.year), f"{d.year}年") for d in dates]


def _units(user: Any) -> list[tuple[str, str]]:
    from core.models import Unit

    ids = RespondentCase.objects.visible_to(user).values("unit_id").distinct()
    return [(str(u.pk), u.name) for u in Unit.objects.filter(pk__in=ids).order_by("name")]


def _search(qs: QuerySet, value: str) -> QuerySet:
    for word in value.split():
        qs = qs.filter(
            Q(number__icontains=word)
            | Q(applicant__icontains=word)
            | Q(act__icontains=word)
            | Q(body_ref__icontains=word)
        )
    return qs


FLAGS: dict[str, tuple[str, Any]] = {
    "adverse": ("被纠错或败诉", lambda: Q(outcome__in=ADVERSE)),
    "rectifying": (
        "整改未完成",
        lambda: (Q(outcome__in=ADVERSE) | Q(opinion_letter_on__isnull=False)) & Q(rectified_on=None),
    ),
    "pending": ("尚未审结", lambda: Q(outcome="")),
}

CASES = register(
    Exporter(
        "respondent-cases",
        "行政复议、行政诉讼案件",
        [
            ExportColumn("案件编号", lambda c: c.number, 22, key="number", sort="number", link=True),
            ExportColumn("类别", lambda c: c.get_kind_display(), 10, key="kind", sort="kind"),
            ExportColumn("复议机关或法院", lambda c: c.body, 20, key="body"),
            ExportColumn("案号", lambda c: c.body_ref, 20, key="body_ref", default=False),
            ExportColumn("申请人（原告）", lambda c: c.applicant, 16, key="applicant"),
            ExportColumn("被申请（被诉）行为", lambda c: c.act, 30, key="act"),
            ExportColumn("承办单位", lambda c: c.unit.name, 20, key="unit", default=False),
            ExportColumn("收到副本", lambda c: c.received_on, 12, "date", key="received", sort="received_on"),
            ExportColumn("状态", lambda c: c.get_state_display(), key="state", sort="state"),
            *due_columns(),
            ExportColumn("结果", lambda c: c.get_outcome_display(), 12, key="outcome", sort="outcome"),
            ExportColumn(
                "决定（裁判）日期", lambda c: c.decided_on, 12, "date", key="decided", default=False
            ),
        ],
        cases_of,
        filters=(
            ListFilter("q", "关键词", _search),
            ListFilter("kind", "类别", lambda qs, v: qs.filter(kind=v), choice_options(Kind.choices)),
            ListFilter("state", "状态", lambda qs, v: qs.filter(state=v), choice_options(CaseState.choices)),
            ListFilter(
                "act_kind", "行为类别", lambda qs, v: qs.filter(act_kind=v), choice_options(ActKind.choices)
            ),
            ListFilter(
                "outcome", "结果", lambda qs, v: qs.filter(outcome=v), choice_options(Outcome.choices)
            ),
            ListFilter("unit", "承办单位", lambda qs, v: qs.filter(unit_id=int(v)), _units),
            ListFilter("year", "收到年度", lambda qs, v: qs.filter(received_on__year=int(v)), _years),
            ListFilter(
                "flag",
                "标记",
                lambda qs, v: qs.filter(FLAGS[v][1]()),
                lambda user: [(k, label) for k, (label, _q) in FLAGS.items()],
            ),
        ),
        list_url="respondent:cases",
    )
)
