"""The disputes module's rows of the permission table (core/permissions.py): everything outside the workflow."""

from __future__ import annotations

from core.permissions import Permission, declare, register_assignment, register_owner
from core.roles import Role

from .workflow import assigned_cases, is_assigned

GROUP = "矛盾纠纷"
STAFF = frozenset({Role.JUSTICE_COORDINATOR, Role.MEDIATOR, Role.ADMINISTRATOR})
MEDIATORS = frozenset({Role.MEDIATOR})


def _case_record(code: str, label: str) -> Permission:
    """A record on a case under mediation: the justice office, or the mediators the case is assigned to."""
    return Permission(code, label, "矛盾纠纷", STAFF, assigned_roles=MEDIATORS, group=GROUP)


declare(
    Permission("disputes.intake", "受理登记矛盾纠纷（含批量导入和接口）", "矛盾纠纷", STAFF, group=GROUP),
    Permission("disputes.escalation", "登记向上级报告", "矛盾纠纷", STAFF, group=GROUP),
    _case_record("disputes.invitation", "邀请专家、法律顾问参与调解"),
    _case_record("disputes.session", "记录调解过程"),
    _case_record("disputes.agreement", "登记调解协议、上传协议扫描件"),
    _case_record("disputes.follow_up", "登记履行回访"),
    _case_record("disputes.confirmation", "登记司法确认申请和法院裁定"),
    _case_record("disputes.satisfaction", "登记当事人满意度（调解结束后）"),
    Permission(
        "disputes.urge",
        "催办督办",
        "矛盾纠纷",
        frozenset({Role.STREET_LEADER, Role.DISTRICT_STAFF, Role.JUSTICE_COORDINATOR, Role.ADMINISTRATOR}),
        group=GROUP,
    ),
    Permission(
        "disputes.vulnerable",
        "维护重点人群名册",
        "重点人群",
        frozenset({Role.JUSTICE_COORDINATOR, Role.STREET_LEADER, Role.ADMINISTRATOR}),
        group=GROUP,
    ),
)

register_assignment("disputes.Dispute", is_assigned, assigned_cases)
for _label in (
    "disputes.Agreement",
    "disputes.FollowUp",
    "disputes.MediationSession",
    "disputes.JudicialConfirmation",
    "disputes.Attachment",
    "disputes.Party",
):
    register_owner(_label, lambda obj: obj.dispute)
