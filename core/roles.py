"""Roles decide what a user may do; regions (through memberships) decide what they may see."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    DISTRICT_STAFF = "district_staff", "区级工作人员"
    STREET_LEADER = "street_leader", "街镇领导"
    JUSTICE_COORDINATOR = "justice_coordinator", "司法所工作人员"
    REVIEWER = "reviewer", "公职律师/法制审核人员"
    MEDIATOR = "mediator", "调解员"
    OFFICER = "officer", "执法人员"
    UNIT_STAFF = "unit_staff", "部门工作人员"
    HOTLINE = "hotline", "热线和信访工作人员"
    AUDITOR = "auditor", "审计人员（只读）"
    ADMINISTRATOR = "administrator", "系统管理员"


class Capability(models.TextChoices):
    DIRECTORY_MANAGE = "directory.manage", "维护区域、单位和人员"
    PERSONAL_REVEAL = "personal.reveal", "查看完整身份证号和电话"
    CALENDAR_MANAGE = "calendar.manage", "维护工作日历"
    AUDIT_VIEW = "audit.view", "查看变更日志"
    TAXONOMY_MANAGE = "taxonomy.manage", "维护分类与研判规则（区级）"
    DISPUTE_INTAKE = "disputes.intake", "受理登记矛盾纠纷（含批量导入）"
    INDICATORS_MANAGE = "indicators.manage", "设定指标目标、填报手工指标"
    CLOCKRULE_MANAGE = "clockrule.manage", "调整本区的法定时限设置"


# Which role holds which capability is declared in the permission table (core/permissions.py).


# Roles that may act at all (change anything). The auditor only reads.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
