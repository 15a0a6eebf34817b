"""The steering module's rows of the permission table (core/permissions.py)."""

from __future__ import annotations

from typing import Any

from core.permissions import Permission, declare, register_assignment
from core.roles import Role
from core.scoping import active_memberships

GROUP = "统筹推进"
MANAGERS = frozenset({Role.DISTRICT_STAFF, Role.JUSTICE_COORDINATOR, Role.ADMINISTRATOR})
UNIT_ROLES = frozenset({Role.UNIT_STAFF, Role.STREET_LEADER, Role.OFFICER, Role.REVIEWER, Role.MEDIATOR})


def _responsible(task: Any, user: Any) -> bool:
    """The task names one of the user's units as responsible."""
    unit_ids = {u.pk for u in task.units.all()}
    return any(m.unit_id in unit_ids for m in active_memberships(user))


declare(
    Permission("indicators.manage", "设定指标目标、填报手工指标", "法治指标", MANAGERS, group=GROUP),
    Permission("steering.plan", "导入和维护重点任务推进计划", "重点任务", MANAGERS, group=GROUP),
    Permission(
        "steering.task.report",
        "报送重点任务进度",
        "重点任务",
        MANAGERS | UNIT_ROLES,
        assigned_roles=UNIT_ROLES,
        group=GROUP,
    ),
    Permission("steering.map", "上传驾驶舱底图", "驾驶舱", MANAGERS, group=GROUP),
    Permission("steering.report", "编辑和保存年度报告", "年度报告", MANAGERS, group=GROUP),
)

register_assignment("steering.KeyTask", _responsible)
