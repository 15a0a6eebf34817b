from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    """政务公开：依申请公开（收到、补正、征求第三方意见、延期、答复、送达）。"""

    name = "disclosure"
    verbose_name = "政务公开"

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from core.roles import Role

        from . import exports, importers, permissions, workflow  # noqa: F401  (register the export, the tables and importers)

        register(
            NavItem(
                "政务公开",
                "disclosure:list",
                30,
                roles=frozenset(
                    {
                        Role.JUSTICE_COORDINATOR,
                        Role.UNIT_STAFF,
                        Role.STREET_LEADER,
                        Role.DISTRICT_STAFF,
                        Role.AUDITOR,
                    }
                ),
            )
        )
