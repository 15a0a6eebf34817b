from django.apps import AppConfig


class RespondentConfig(AppConfig):
    """行政复议和行政应诉：本街镇为被申请人或被告的案件，答复答辩、负责人出庭、纠错败诉整改。"""

    name = "respondent"
    verbose_name = "行政复议和行政应诉"

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from core.roles import Role

        from . import exports, importers, indicators, permissions, workflow  # noqa: F401  (registries)

        register(
            NavItem(
                "复议应诉",
                "respondent:cases",
                37,
                roles=frozenset(
                    {
                        Role.JUSTICE_COORDINATOR,
                        Role.REVIEWER,
                        Role.OFFICER,
                        Role.STREET_LEADER,
                        Role.DISTRICT_STAFF,
                        Role.AUDITOR,
                    }
                ),
            )
        )
