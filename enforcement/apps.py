from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    """行政执法：执法人员与执法证、执法事项目录、执法案件（三项制度、法定时限）。"""

    name = "enforcement"
    verbose_name = "行政执法"

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from core.roles import Role

        from . import exports, history, importers, indicators, permissions, reminders, workflow  # noqa: F401  (registries)

        register(
            NavItem(
                "行政执法",
                "enforcement:cases",
                35,
                roles=frozenset(
                    {
                        Role.OFFICER,
                        Role.JUSTICE_COORDINATOR,
                        Role.REVIEWER,
                        Role.STREET_LEADER,
                        Role.DISTRICT_STAFF,
                        Role.AUDITOR,
                    }
                ),
            )
        )
