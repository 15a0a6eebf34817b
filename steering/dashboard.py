"""The dashboard (驾驶舱): indicator tiles, trends, disputes by type and by community (or street), overdue
items by unit, a map of the children coloured by a measure, and for a district the ranking of its streets.

Reads the other apps only through the indicator registry and their selectors.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from core import indicators
from core.models import Region
from core.selectors import overdue_by_unit
from disputes.selectors import dashboard_figures

from . import selectors

# The tiles: the street's binding targets first, then the main counts.
TILE_CODES = [
    "disputes.success_rate",
    "disputes.escalation_rate",
    "disputes.fulfilment_rate",
    "administration.decision_review_rate",
    "administration.normative_review_rate",
    "disclosure.on_time_rate",
    "enforcement.publicity_rate",
    "enforcement.review_rate",
    "demands.on_time_rate",
    "respondent.appearance_rate",
    "disputes.received",
    "administration.contracts_reviewed",
    "administration.meeting_suggestions",
    "disclosure.requests",
    "enforcement.decisions",
    "demands.received",
]
MEASURES = {"received": "受理纠纷", "open": "在办纠纷", "overdue": "逾期未办"}


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def ranking(user: Any, region: Region, start: dt.date, end: dt.date, code: str) -> list[dict[str, Any]]:
    """The region's child regions ranked on one indicator (best first; no data last)."""
    rows: list[dict[str, Any]] = []
    for child in Region.objects.visible_to(user).filter(parent=region).order_by("code"):
        result = selectors.result_of(user, code, child, start, end)
        rows.append(
            {
                "region": {"id": child.pk, "name": child.name},
                "value": _num(result.value),
                "value_text": result.value_text,
                "status": result.status,
                "status_label": result.status_label,
                "records_url": selectors.records_url(code, child, start, end)
                if result.reading is not None
                else selectors.detail_url(code, child, start, end),
            }
        )
    ind = indicators.get(code)
    sign = 1 if ind is not None and ind.default_target.lower_is_better else -1
    rows.sort(key=lambda r: (r["value"] is None, sign * float(r["value"] or 0), str(r["region"]["name"])))
    rank = 0
    for i, row in enumerate(rows):
        if row["value"] is not None:
            rank = i + 1
        row["rank"] = rank if row["value"] is not None else None
    return rows


def dashboard(user: Any, region: Region, start: dt.date, end: dt.date, rank_code: str) -> dict[str, Any]:
    from .models import RegionMap

    results = {r.indicator.code: r for r in selectors.results(user, region, start, end, codes=TILE_CODES)}
    tiles = [
        {
            "code": code,
            "name": r.indicator.name,
            "value": r.value_text,
            "unit": "" if r.indicator.unit == "%" else r.indicator.unit,
            "target": r.target.label,
            "status": r.status,
            "status_label": r.status_label,
            "url": selectors.records_url(code, region, start, end),
        }
        for code in TILE_CODES
        if (r := results.get(code)) is not None
    ]
    figures = dashboard_figures(user, region, start, end)
    region_map = RegionMap.objects.filter(region=region).first()
    return {
        "region": {"id": region.pk, "name": region.name, "level": region.level},
        "from": start.isoformat(),
        "to": end.isoformat(),
        "tiles": tiles,
        "months": figures["months"],
        "by_type": figures["by_type"],
        "by_child": figures["by_child"],
        "child_label": {"street": "居村", "district": "街镇", "city": "区"}.get(region.level, "下级区域"),
        "measures": MEASURES,
        "overdue_by_unit": overdue_by_unit(user, region),
        "map": {
            "geojson": json.loads(region_map.geojson) if region_map else None,
            "name_property": region_map.name_property if region_map else "name",
        },
        "ranking": {
            "code": rank_code,
            "name": indicators.get(rank_code).name,  # type: ignore[union-attr]
            "unit": indicators.get(rank_code).unit,  # type: ignore[union-attr]
            "rows": ranking(user, region, start, end, rank_code)
            if region.level in ("district", "city")
            else [],
        },
    }
