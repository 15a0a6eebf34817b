"""The disclosure module's rows of the permission table (core/permissions.py): everything outside the workflow."""

from __future__ import annotations

from core.permissions import Permission, declare
from core.roles import Role

GROUP = "政务公开"
OFFICE = frozenset({Role.JUSTICE_COORDINATOR, Role.UNIT_STAFF, Role.ADMINISTRATOR})

declare(
    Permission("disclosure.receive", "登记政府信息公开申请", "依申请公开", OFFICE, group=GROUP),
    Permission("disclosure.deliver", "登记答复书送达", "依申请公开", OFFICE, group=GROUP),
    Permission("disclosure.proactive", "登记和公开主动公开事项", "主动公开", OFFICE, group=GROUP),
    Permission(
        "disclosure.import",
        "导入往年政府信息公开申请及答复",
        "依申请公开",
        # Whoever both receives requests and takes the answering actions (the import replays both).
        frozenset({Role.JUSTICE_COORDINATOR, Role.UNIT_STAFF}),
        group=GROUP,
    ),
)
