"""The legality-review list as a spreadsheet (core/exports.py): what the user sees, with the list's filter."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.exports import ExportColumn, Exporter, register

from .choices import ReviewKind, ReviewState
from .models import ReviewItem


def clean_filters(user: Any, query: Any) -> dict[str, Any]:
    """The list's filters (kind, state) as params; an unknown value is dropped."""
    params: dict[str, Any] = {}
    if query is not None:
        if query.get("kind") in ReviewKind.values:
            params["kind"] = query.get("kind")
        if query.get("state") in ReviewState.values:
            params["state"] = query.get("state")
    return params


def reviews_of(user: Any, params: dict[str, Any]) -> QuerySet:
    qs = ReviewItem.objects.visible_to(user).select_related("submitting_unit", "reviewer", "region")
    return qs.filter(**{k: v for k, v in params.items() if k in ("kind", "state")})


REVIEWS = register(
    Exporter(
        "legality-reviews",
        "合法性审查",
        [
            ExportColumn("审查编号", lambda r: r.number, 24),
            ExportColumn("事项类别", lambda r: r.get_kind_display(), 14),
            ExportColumn("事项名称", lambda r: r.title, 40),
            ExportColumn("送审单位", lambda r: r.submitting_unit.name, 24),
            ExportColumn("送审日期", lambda r: r.submitted_on),
            ExportColumn("状态", lambda r: r.get_state_display()),
            ExportColumn("审查人员", lambda r: r.reviewer.name if r.reviewer else ""),
            ExportColumn("审查结论", lambda r: r.get_conclusion_display()),
            ExportColumn("出具意见日期", lambda r: r.opinion_on),
            ExportColumn("意见书编号", lambda r: r.opinion_number, 24),
        ],
        reviews_of,
        clean=clean_filters,
        list_url="administration:reviews",
    )
)
