"""The respondent module's rows of the permission table (core/permissions.py): everything outside the workflow."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from core.permissions import Permission, declare, register_assignment
from core.roles import Role
from core.scoping import active_memberships

GROUP = "行政复议和行政应诉"
OFFICE = frozenset({Role.JUSTICE_COORDINATOR, Role.ADMINISTRATOR})

declare(
    Permission(
        "respondent.receive",
        "登记行政复议、行政诉讼案件（收到副本）",
        "行政复议、行政诉讼案件",
        OFFICE,
        group=GROUP,
    ),
    Permission(
        "respondent.hearing",
        "登记庭审和负责人出庭应诉情况",
        "行政复议、行政诉讼案件",
        frozenset({Role.JUSTICE_COORDINATOR, Role.REVIEWER}),
        group=GROUP,
    ),
    Permission(
        "respondent.rectify",
        "登记行政复议意见书、纠错败诉后的整改情况",
        "行政复议、行政诉讼案件",
        frozenset({Role.JUSTICE_COORDINATOR, Role.OFFICER, Role.STREET_LEADER}),
        assigned_roles=frozenset({Role.OFFICER}),  # officers: only the rectifications of their own team
        group=GROUP,
    ),
)


def _owns_rectification(case: Any, user: Any) -> bool:
    return bool(case.rectification_unit_id) and any(
        m.unit_id == case.rectification_unit_id for m in active_memberships(user)
    )


register_assignment(
    "respondent.RespondentCase",
    _owns_rectification,
    lambda user: Q(rectification_unit_id__in=[m.unit_id for m in active_memberships(user)]),
)
