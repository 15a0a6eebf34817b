from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """依法行政：合法性审查（重大决策、规范性文件、合同、重大执法决定及其他事项）。"""

    name = "administration"
    verbose_name = "依法行政"

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from core.roles import Role

        from . import exports, importers, permissions, workflow  # noqa: F401  (register the export, the importers and the tables)

        register(
            NavItem(
                "合法性审查",
                "administration:reviews",
                20,
                roles=frozenset(
                    {
                        Role.JUSTICE_COORDINATOR,
                        Role.REVIEWER,
                        Role.OFFICER,
                        Role.UNIT_STAFF,
                        Role.STREET_LEADER,
                        Role.DISTRICT_STAFF,
                        Role.AUDITOR,
                    }
                ),
            )
        )
