from __future__ import annotations

from typing import Any

from core.management.base import DemoStreetCommand
from enforcement.demo import generate_enforcement_year
from enforcement.models import EnforcementItem


class Command(DemoStreetCommand):
    help = "为示例街道生成一年的示例行政执法数据（执法人员和执法证、执法事项目录、约120件执法案件）。"
    what = "示例行政执法数据"
    actor = "demo-enforcement"

    def exists(self, street: Any) -> bool:
        return EnforcementItem.objects.filter(region=street).exists()

    def generate(self, street: Any, *, seed: int, **options: Any) -> None:
        generate_enforcement_year(street, seed=seed)
