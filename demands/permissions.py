"""The demands module's rows of the permission table (core/permissions.py): everything outside the workflow."""

from __future__ import annotations

from core.permissions import Permission, declare
from core.roles import Role

from .workflow import ASSIGNED, HANDLERS

GROUP = "群众诉求（12345、信访）"
DESK = frozenset({Role.HOTLINE, Role.ADMINISTRATOR})

declare(
    Permission("demands.receive", "接收12345工单（含批量导入和接口）", "12345热线工单", DESK, group=GROUP),
    Permission("demands.duties", "维护单位职责清单（退单核验依据）", "单位职责清单", DESK, group=GROUP),
    Permission(
        "demands.handle",
        "登记首次联系来电人，将工单转行政执法立案",
        "12345热线工单",
        HANDLERS,
        assigned_roles=ASSIGNED,
        group=GROUP,
    ),
    Permission(
        "demands.to_dispute",
        "将工单转人民调解（访调联动）",
        "12345热线工单",
        frozenset({Role.JUSTICE_COORDINATOR}),
        assigned_roles=frozenset({Role.JUSTICE_COORDINATOR}),
        group=GROUP,
    ),
    Permission("demands.petition_receive", "登记信访事项（含批量导入和接口）", "信访事项", DESK, group=GROUP),
    Permission(
        "demands.petition_extend",
        "批准延长信访事项办理期限（30日）",
        "信访事项",
        frozenset({Role.STREET_LEADER}),
        group=GROUP,
    ),
    Permission(
        "demands.petition_mediation",
        "将信访事项转人民调解（访调联动）",
        "信访事项",
        frozenset({Role.JUSTICE_COORDINATOR}),
        group=GROUP,
    ),
    Permission(
        "demands.complex",
        "批准列为复杂工单（办理期限延长至15个工作日）",
        "12345热线工单",
        frozenset({Role.STREET_LEADER}),
        group=GROUP,
    ),
)
