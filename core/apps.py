from django.apps import AppConfig


class CoreConfig(AppConfig):
    """核心机制：区域与权限范围、流程、时限与日历、留痕审计、个人信息、文书、导入、指标。"""

    name = "core"
    verbose_name = "平台核心"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.audit import changelog

        changelog.connect_signals()

        from core import validation

        validation.connect_signals()  # lengths, control characters, ranges and dates, before every save

        from core import importers  # noqa: F401  (registers the directory importers)
        from core.imports import IMPORTERS
        from core.navigation import NavItem, register
        from core.roles import Role
        from core.scoping import has_capability

        office = frozenset({Role.JUSTICE_COORDINATOR, Role.DISTRICT_STAFF, Role.STREET_LEADER, Role.AUDITOR})
        register(NavItem("我的工作", "core:home", 0))
        register(NavItem("区域与单位", "core:regions", 80, roles=office))
        register(NavItem("人员名册", "core:people", 81, roles=office))
        register(NavItem("工作日历", "core:calendar", 82))
        register(NavItem("后台任务", "core:jobs", 91, more=True))
        register(NavItem("权限表", "core:permissions", 95, more=True))
        register(
            NavItem("接口令牌", "core:tokens", 96, roles=frozenset({Role.JUSTICE_COORDINATOR}), more=True)
        )
        register(
            NavItem(
                "数据导入",
                "core:import",
                90,
                # Shown (under 更多) to whoever may run any registered import (each app registers its own).
                visible=lambda u: any(has_capability(u, imp.capability) for imp in IMPORTERS.values()),
                more=True,
            )
        )
