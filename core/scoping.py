"""Scoping: the one place that decides which rows a user may see.

Every queryset that reaches a user goes through ``Model.objects.visible_to(user)``. A model
declares where its region path lives (``scope_path``) and, optionally, which roles may see it
at all (``scope_roles``). A user sees the region subtrees of their active memberships whose
role is allowed; an object outside that answers "not found" (404), never "forbidden".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from core.models import Membership, Region


ALL = None  # sentinel: no restriction (superusers)


def active_memberships(user: Any) -> list[Membership]:
    """The user's active memberships with unit and region, loaded once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_fazhi_memberships", None)
    if cached is None:
        from core.models import Membership

        cached = list(
            Membership.objects.filter(user=user, active=True).select_related("unit", "unit__region")
        )
        user._fazhi_memberships = cached
    return cached


def scope_paths(user: Any, roles: Iterable[str] | None = None) -> list[str] | None:
    """Region path prefixes the user may see (optionally only through the given roles).

    ``None`` means everything (superuser); an empty list means nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return ALL
    allowed = set(roles) if roles is not None else None
    paths = {m.unit.region.path for m in active_memberships(user) if allowed is None or m.role in allowed}
    # Drop paths already covered by a shorter prefix.
    return sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths))


def roles_at(user: Any, region: Region) -> set[str]:
    """Roles the user holds through memberships whose region contains ``region``."""
    if getattr(user, "is_superuser", False):
        from core.roles import Role

        return set(Role.values)
    return {m.role for m in active_memberships(user) if region.path.startswith(m.unit.region.path)}


def has_capability(user: Any, capability: str, region: Any = None) -> bool:
    """Whether the permission table lets the user do ``capability`` (at ``region``, or on an object)."""
    from core.permissions import allowed

    return allowed(user, capability, region)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user: Any, roles: Iterable[str] | None = None) -> ScopedQuerySet:
        model = self.model
        lookup: str = getattr(model, "scope_path", "region__path")
        model_roles = getattr(model, "scope_roles", None)
        if roles is None:
            roles = model_roles
        elif model_roles is not None:
            roles = set(roles) & set(model_roles)
        paths = scope_paths(user, roles)
        if paths is ALL:
            return self
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{lookup}__startswith": path})
        return self.filter(condition)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
