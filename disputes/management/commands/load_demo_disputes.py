from __future__ import annotations

import time
from typing import Any

from core.audit.context import acting_as
from core.management.base import FazhiCommand
from core.models import Region
from disputes.demo import generate_street_year
from disputes.models import Dispute


class Command(FazhiCommand):
    help = "为示例街道生成一年的示例矛盾纠纷（经由业务服务生成，时间线与计时真实）。已有纠纷时跳过。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument("--count", type=int, default=1500)
        parser.add_argument("--street", default="990100001", help="街镇区划代码")

    def handle(self, *args: Any, seed: int, count: int, street: str, **options: Any) -> None:
        region = Region.objects.filter(code=street, level="street").first()
        if region is None:
            self.fail(f"没有区划代码为 {street} 的街镇；请先运行 load_demo")
        if Dispute.objects.filter(region__path__startswith=region.path).exists():
            self.progress(f"{region.name}已有纠纷，跳过生成。")
            return
        start = time.perf_counter()
        self.progress(f"正在为{region.name}生成{count}件示例纠纷……")
        with acting_as(None, "demo-disputes"):
            generate_street_year(
                region, seed=seed, count=count, progress=lambda n: self.progress(f"  {n}/{count}")
            )
        self.progress(f"已生成{count}件，用时{time.perf_counter() - start:.0f}秒。")
