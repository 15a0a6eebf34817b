"""The disputes list as a ledger (core/ledger.py) and its spreadsheet (core/exports.py).

The page shows the parties with their names masked (张**) and the beginning of the summary; neither leaves in
the export: parties (names, ID numbers, phones, addresses), the dispute's address and its free-text summary stay
in the platform (docs/personal-data.md); the case number leads back to them for whoever may see them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import QuerySet

from core.exports import ExportColumn, Exporter, register
from core.ledger import due_columns, masked_names, with_next_due

from . import selectors
from .models import Dispute

SUMMARY_CHARS = 40


def _clean(user: Any, query: Any) -> dict[str, Any]:
    """The list page's filters (its query string) as JSON-safe params; what does not validate is dropped."""
    from .forms import FilterForm

    form = FilterForm(query or None, user=user)
    form.is_valid()  # an invalid field is left out of cleaned_data; the others still filter
    params: dict[str, Any] = {}
    for key, value in getattr(form, "cleaned_data", {}).items():
        if value in (None, ""):
            continue
        params[key] = value.isoformat() if isinstance(value, dt.date) else value
    return params


def ledger_rows(qs: QuerySet[Dispute]) -> QuerySet[Dispute]:
    """What the ledger's columns read, in a fixed number of queries: the next due date of the case's open time
    limits, its committee, mediators and parties."""
    return with_next_due(
        qs.select_related("dispute_type", "region", "committee").prefetch_related("parties", "mediators")
    )


def _rows(user: Any, params: dict[str, Any]) -> QuerySet:
    names = {f.name for f in dataclasses.fields(selectors.Filters)}
    values = {k: v for k, v in params.items() if k in names}
    for key in ("date_from", "date_to"):
        if key in values:
            values[key] = dt.date.fromisoformat(values[key])
    filters = selectors.Filters(**values)
    return ledger_rows(selectors.apply_filters(selectors.dispute_list(user), filters, user))


def _assignee(d: Dispute) -> str:
    names = [p.name for p in d.mediators.all()]
    if d.committee is not None:
        return d.committee.name + (f"（{'、'.join(names)}）" if names else "")
    return "、".join(names)


def _summary(d: Dispute) -> str:
    text = " ".join(d.description.split())
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS] + "…"


DISPUTES = register(
    Exporter(
        "disputes",
        "矛盾纠纷",
        [
            ExportColumn("案件编号", lambda d: d.number, 24, key="number", sort="number", link=True),
            ExportColumn(
                "受理时间", lambda d: d.received_at, 18, "datetime", key="received", sort="received_at"
            ),
            ExportColumn(
                "纠纷来源", lambda d: d.get_source_display(), key="source", sort="source", default=False
            ),
            ExportColumn("来源编号", lambda d: d.external_ref, 20, key="ref", default=False),
            ExportColumn("纠纷类型", lambda d: d.dispute_type.name, key="type", sort="dispute_type__name"),
            ExportColumn("居村", lambda d: d.region.name, 18, key="community", sort="region__name"),
            ExportColumn(
                "当事人",
                lambda d: masked_names([p.name for p in d.parties.all()]),
                20,
                key="parties",
                export=False,
            ),
            ExportColumn("纠纷概要", _summary, 40, key="summary", export=False),
            ExportColumn("承办", _assignee, 24, key="assignee", sort="committee__name"),
            ExportColumn("状态", lambda d: d.get_state_display(), key="state", sort="state"),
            ExportColumn("风险等级", lambda d: d.get_risk_level_display(), 10, key="risk", sort="risk_level"),
            *due_columns(),
            ExportColumn("化解方式", lambda d: d.get_route_display(), key="route", default=False),
            ExportColumn("涉及人数", lambda d: d.people_count, 10, "int", key="people", default=False),
            ExportColumn(
                "涉及金额", lambda d: d.amount, 14, "wan", key="amount", sort="amount", default=False
            ),
            ExportColumn("调解受理日期", lambda d: d.accepted_on, 12, "date", key="accepted", default=False),
            ExportColumn(
                "结案日期", lambda d: d.closed_on, 12, "date", key="closed", sort="closed_on", default=False
            ),
            ExportColumn("出街镇", lambda d: d.escalated_out, 8, key="out", default=False),
            ExportColumn("满意度", lambda d: d.satisfaction, 8, key="satisfaction", default=False),
        ],
        _rows,
        clean=_clean,
        list_url="disputes:queue",
        bulk=("accept", "close"),
        model="disputes.Dispute",
    )
)
