from django.apps import AppConfig


class DisputesConfig(AppConfig):
    """矛盾纠纷多元化解：受理、研判、分派、调解、诉调对接、履行回访、预警与周报。"""

    name = "disputes"
    verbose_name = "矛盾纠纷"

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from core.roles import Role

        from . import exports, history, importers, permissions, report_jobs, workflow  # noqa: F401  (register the importers, the export, the weekly report and the tables)

        register(
            NavItem(
                "矛盾纠纷", "disputes:queue", 10, roles=frozenset(Role.values) - {Role.OFFICER, Role.REVIEWER}
            )
        )
        register(
            NavItem(
                "特殊群体档案",
                "disputes:vulnerable",
                12,
                roles=frozenset({Role.JUSTICE_COORDINATOR, Role.STREET_LEADER}),
                more=True,
            )
        )
        register(
            NavItem(
                "统计分析",
                "disputes:stats",
                11,
                roles=frozenset(
                    {Role.JUSTICE_COORDINATOR, Role.STREET_LEADER, Role.DISTRICT_STAFF, Role.AUDITOR}
                ),
            )
        )
