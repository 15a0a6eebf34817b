from __future__ import annotations

from typing import Any

from administration.demo import generate_administration_year
from administration.models import ReviewItem
from core.audit.context import acting_as
from core.management.base import FazhiCommand
from core.models import Region


class Command(FazhiCommand):
    help = "为示例街道生成一年的示例依法行政数据（合同约260件、重大执法决定审核约100件、决策、规范性文件、列席会议）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument("--street", default="990100001")

    def handle(self, *args: Any, seed: int, street: str, **options: Any) -> None:
        region = Region.objects.filter(code=street, level="street").first()
        if region is None:
            self.fail(f"没有区划代码为 {street} 的街镇；请先运行 load_demo")
        if ReviewItem.objects.filter(region__path__startswith=region.path).exists():
            self.progress(f"{region.name}已有依法行政数据，跳过生成。")
            return
        with acting_as(None, "demo-administration"):
            generate_administration_year(region, seed=seed)
        self.progress(f"已为{region.name}生成示例依法行政数据。")
