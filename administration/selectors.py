"""Counts of items reviewed, suggestions made and adopted, by kind and submitting unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from core.models import Region

from .choices import ReviewState
from .models import ReviewItem


def review_counts(user: Any, region: Region, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    reviewed = ReviewItem.objects.visible_to(user).filter(
        region__path__startswith=region.path,
        opinion_on__gte=start,
        opinion_on__lte=end,
        state__in=(ReviewState.OPINION_GIVEN, ReviewState.CLOSED),
    )
    rows = (
        reviewed.values("kind", "submitting_unit__name")
        .annotate(
            items=Count("pk", distinct=True),
            suggestions=Count("issues", distinct=True),
            adopted=Count("issues", filter=Q(issues__adoption="adopted"), distinct=True),
            partly=Count("issues", filter=Q(issues__adoption="partly"), distinct=True),
        )
        .order_by("kind", "submitting_unit__name")
    )
    return list(rows)
