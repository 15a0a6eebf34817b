from django.apps import AppConfig


class DemandsConfig(AppConfig):
    """群众诉求：12345热线工单（派单、退单、办结、回访、重办），转人民调解、转行政执法。"""

    name = "demands"
    verbose_name = "群众诉求"

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from core.roles import Role

        from . import exports, importers, indicators, permissions, workflow  # noqa: F401  (registries)

        register(
            NavItem(
                "12345工单",
                "demands:orders",
                36,
                roles=frozenset(
                    {
                        Role.HOTLINE,
                        Role.UNIT_STAFF,
                        Role.OFFICER,
                        Role.JUSTICE_COORDINATOR,
                        Role.STREET_LEADER,
                        Role.DISTRICT_STAFF,
                        Role.AUDITOR,
                    }
                ),
            )
        )
