from __future__ import annotations

from typing import Any

from core.audit.context import acting_as
from core.management.base import FazhiCommand
from core.models import Region
from steering.demo import generate_steering
from steering.models import Plan


class Command(FazhiCommand):
    help = "把 seed 000 附件（重点任务推进清单）作为示例表格导入示例街道，并生成进度报送和手工指标填报。已有数据时跳过。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument("--street", default="990100001")

    def handle(self, *args: Any, seed: int, street: str, **options: Any) -> None:
        region = Region.objects.filter(code=street, level="street").first()
        if region is None:
            self.fail(f"没有区划代码为 {street} 的街镇；请先运行 load_demo")
        if Plan.objects.filter(region=region).exists():
            self.progress(f"{region.name}已有推进计划，跳过生成。")
            return
        with acting_as(None, "demo-steering"):
            generate_steering(region, seed=seed)
        self.progress(f"已为{region.name}导入示例重点任务推进清单并生成进度与手工指标。")
