from django.apps import AppConfig


class CoreConfig(AppConfig):
    """核心机制：区域与权限范围、流程、时限与日历、留痕审计、个人信息、文书、导入、指标。"""

    name = "core"
    verbose_name = "平台核心"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.audit import changelog

        changelog.connect_signals()
