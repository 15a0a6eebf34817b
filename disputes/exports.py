"""The disputes list as a spreadsheet (core/exports.py): what the user sees, with the list's filters.

No personal data leaves in the export: parties (names, ID numbers, phones, addresses), the dispute's
address and its free-text summary stay in the platform (docs/personal-data.md); the case number leads
back to them for whoever may see them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import QuerySet

from core.exports import ExportColumn, Exporter, register

from . import selectors


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


def _rows(user: Any, params: dict[str, Any]) -> QuerySet:
    names = {f.name for f in dataclasses.fields(selectors.Filters)}
    values = {k: v for k, v in params.items() if k in names}
    for key in ("date_from", "date_to"):
        if key in values:
            values[key] = dt.date.fromisoformat(values[key])
    filters = selectors.Filters(**values)
    return selectors.apply_filters(selectors.dispute_list(user), filters, user)


DISPUTES = register(
    Exporter(
        "disputes",
        "矛盾纠纷",
        [
            ExportColumn("案件编号", lambda d: d.number, 24),
            ExportColumn("受理时间", lambda d: d.received_at, 18),
            ExportColumn("纠纷来源", lambda d: d.get_source_display()),
            ExportColumn("来源编号", lambda d: d.external_ref, 20),
            ExportColumn("纠纷类型", lambda d: d.dispute_type.name),
            ExportColumn("居村", lambda d: d.region.name, 18),
            ExportColumn("状态", lambda d: d.get_state_display()),
            ExportColumn("风险等级", lambda d: d.get_risk_level_display(), 10),
            ExportColumn("化解方式", lambda d: d.get_route_display()),
            ExportColumn("涉及人数", lambda d: d.people_count, 10),
            ExportColumn("涉及金额（元）", lambda d: d.amount),
            ExportColumn("调解受理日期", lambda d: d.accepted_on),
            ExportColumn("结案日期", lambda d: d.closed_on),
            ExportColumn("出街镇", lambda d: d.escalated_out, 8),
            ExportColumn("满意度", lambda d: d.satisfaction, 8),
        ],
        _rows,
        clean=_clean,
        list_url="disputes:queue",
    )
)
