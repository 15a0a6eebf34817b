"""Shared pieces for case APIs: the action payload, and running an action from the workflow table.

Every case type exposes ``POST .../{id}/actions/{action}`` with ``ActionIn``; ``run_action`` finds the case
in the caller's scope (404 outside), runs ``transition`` (403 refused, 400 bad data, 409 stale version) and
returns the fresh case with the actions the caller may take next (``available_actions``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Schema

from core.workflow import transition, workflow_for


class ActionIn(Schema):
    version: int | None = Field(None, description="您看到的版本；与当前版本不一致时返回409")
    data: dict[str, Any] = {}


class Detail(Schema):
    detail: Any


def with_actions(case: Model, user: Any) -> Model:
    """Attach the names of the actions ``user`` may take now (serialised as ``actions``)."""
    case.actions = [a.name for a in workflow_for(type(case)).available(case, user)]  # type: ignore[attr-defined]
    return case


def run_action(queryset: QuerySet, pk: int, action: str, payload: ActionIn, user: Any) -> Model:
    case = get_object_or_404(queryset, pk=pk)
    case = transition(case, action, by=user, version=payload.version, data=payload.data)
    return with_actions(type(case).objects.get(pk=case.pk), user)
