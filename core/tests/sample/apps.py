from django.apps import AppConfig


class SampleConfig(AppConfig):
    name = "core.tests.sample"
    label = "sample"
    verbose_name = "示例案件（仅测试）"

    def ready(self) -> None:
        from . import workflow  # noqa: F401  (registers the table)
