from __future__ import annotations

from typing import Any

from core.management.base import DemoStreetCommand
from steering.demo import generate_steering
from steering.models import Plan


class Command(DemoStreetCommand):
    help = "把《东明路街道“法治东明”建设三年行动计划（2024-2026年）》附件（重点任务推进清单）作为示例表格导入示例街道，并生成进度报送和手工指标填报。已有数据时跳过。"
    what = "示例重点任务推进清单、进度与手工指标"
    actor = "demo-steering"

    def exists(self, street: Any) -> bool:
        return Plan.objects.filter(region=street).exists()

    def generate(self, street: Any, *, seed: int, **options: Any) -> None:
        generate_steering(street, seed=seed)
