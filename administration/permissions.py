"""The administration module's rows of the permission table (core/permissions.py): everything outside the
workflows (their actions join the table when the workflows register)."""

from __future__ import annotations

from core.permissions import Permission, declare, register_owner
from core.roles import Role

GROUP = "依法行政"
# Entering a past year's records in their final state, every step included (the reviewer's opinion, the leader's
# decision): the justice office keeps these ledgers; ``core.history.entering_history`` checks this row once per record.
HISTORY_IMPORT = "administration.history.import"
J, U, L, R, OFF, A = (
    Role.JUSTICE_COORDINATOR,
    Role.UNIT_STAFF,
    Role.STREET_LEADER,
    Role.REVIEWER,
    Role.OFFICER,
    Role.ADMINISTRATOR,
)

declare(
    Permission(
        "administration.review.submit",
        "送审合法性审查事项（含重大执法决定）",
        "合法性审查",
        frozenset({J, U, OFF, A}),
        group=GROUP,
    ),
    Permission(
        "administration.review.finding",
        "提出审查意见和修改建议",
        "合法性审查",
        frozenset({J, R, A}),
        group=GROUP,
    ),
    Permission(
        "administration.review.respond",
        "反馈审查意见的采纳情况",
        "合法性审查",
        frozenset({J, U, OFF, A}),
        group=GROUP,
    ),
    Permission(
        "administration.decision.create",
        "把重大行政决策列入年度目录",
        "重大行政决策",
        frozenset({J, U, L, A}),
        group=GROUP,
    ),
    Permission(
        "administration.normative.create",
        "起草行政规范性文件",
        "行政规范性文件",
        frozenset({J, U, A}),
        group=GROUP,
    ),
    Permission(
        "administration.normative.file",
        "登记规范性文件报送备案",
        "行政规范性文件",
        frozenset({J, A}),
        group=GROUP,
    ),
    Permission(
        "administration.cleanup",
        "组织规范性文件清理并作出清理决定",
        "规范性文件清理",
        frozenset({J, L, A}),
        group=GROUP,
    ),
    Permission("administration.contract.submit", "送审合同", "合同审查", frozenset({J, U, A}), group=GROUP),
    Permission(
        "administration.contract.sign",
        "登记合同签订日期",
        "合同审查",
        frozenset({J, U, A}),
        group=GROUP,
    ),
    Permission(
        HISTORY_IMPORT,
        "导入往年依法行政台账（合同、合法性审查、重大行政决策、规范性文件，按办结状态连同各环节录入）",
        "依法行政台账",
        frozenset({J, A}),
        group=GROUP,
    ),
    Permission(
        "administration.meeting.record",
        "登记法律顾问列席会议及其意见",
        "列席会议",
        frozenset({J, R, A}),
        group=GROUP,
    ),
)

register_owner("administration.ReviewIssue", lambda issue: issue.item)
register_owner("administration.CleanupEntry", lambda entry: entry.campaign)
register_owner("administration.ContractDetails", lambda details: details.review)
