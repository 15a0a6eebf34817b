from django.apps import AppConfig


class SteeringConfig(AppConfig):
    """统筹推进：指标库（目标、手工填报、下钻）、重点任务、驾驶舱与年度报告。"""

    name = "steering"
    verbose_name = "统筹推进"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from core.navigation import NavItem, register

        # Every app's indicators.py registers its definitions (core.indicators).
        autodiscover_modules("indicators")
        from core.roles import Role

        from . import importers, permissions, report_jobs  # noqa: F401  (register the importers, the table, the reports)

        overview = frozenset(
            {Role.STREET_LEADER, Role.DISTRICT_STAFF, Role.JUSTICE_COORDINATOR, Role.AUDITOR}
        )
        register(NavItem("驾驶舱", "steering:dashboard", 4, roles=overview))
        register(NavItem("法治指标", "steering:indicators", 5, roles=overview))
        register(NavItem("重点任务", "steering:plans", 6, roles=overview | {Role.UNIT_STAFF}))
        register(NavItem("年度报告", "steering:annual_report", 7, roles=overview))
