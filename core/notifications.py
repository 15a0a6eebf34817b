"""Notifications inside the platform (``core.Notification``): who is told of a step, at once.

``notify`` writes one notification per recipient (the sender is never told of their own step). A module decides
who the recipients are — for a dispute assigned to a committee, its members and the chosen mediators' accounts.
The top bar shows the unread count (loaded after the page, so no page pays a query for it); ``/notifications/``
lists them all, a page at a time; opening one marks it read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.models import Membership, Notification


def notify(
    recipients: Iterable[Any], *, kind: str, title: str, url: str, by: Any = None, body: str = ""
) -> int:
    """Tell each of ``recipients`` (users or user ids) of a step; return how many were told."""
    sender = getattr(by, "pk", None)
    ids = {getattr(r, "pk", r) for r in recipients if r is not None} - {sender, None}
    Notification.objects.bulk_create(
        Notification(
            recipient_id=pk, kind=kind, title=title[:200], body=body[:500], url=url, sender_id=sender
        )
        for pk in sorted(ids)
    )
    return len(ids)


def members_of(unit_ids: Iterable[int], roles: Iterable[str] | None = None) -> list[int]:
    """The users holding an active membership of the units (in the roles, when given)."""
    qs = Membership.objects.filter(unit_id__in=list(unit_ids), active=True, user__is_active=True)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return list(qs.values_list("user_id", flat=True).distinct())


def unread_count(user_id: int | None) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
