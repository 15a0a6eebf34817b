"""Case timelines: append-only events on the ``timeline`` hash chain.

Services call ``timeline_record`` inside the transaction of the write it describes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from . import chain
from .changelog import json_safe
from .context import audit_now

CHAIN = "timeline"


def content_of(event: Any) -> dict[str, Any]:
    return {
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_id,
        "ct": event.content_type_id,
        "obj": event.object_id,
        "kind": event.kind,
        "action": event.action,
        "summary": event.summary,
        "data": event.data,
    }


def timeline_record(
    case: models.Model,
    *,
    kind: str,
    summary: str,
    by: Any,
    action: str = "",
    data: dict[str, Any] | None = None,
) -> Any:
    from core.models import TimelineEvent

    event = TimelineEvent(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        at=audit_now(),
        actor_id=getattr(by, "pk", None),
        kind=kind,
        action=action,
        summary=summary[:300],
        data=json_safe(data or {}),
    )
    return chain.append(event, CHAIN, content_of)


def timeline_of(case: models.Model) -> QuerySet:
    from core.models import TimelineEvent

    return (
        TimelineEvent.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)
        .select_related("actor")
        .order_by("seq")
    )


def verify_all() -> tuple[list[chain.Break], dict[str, int]]:
    """Verify both chains on one snapshot (without anchors); return the breaks and the entry counts."""
    from .verify import verify_chains

    report = verify_chains(use_anchors=False)
    return report.breaks, report.counts
