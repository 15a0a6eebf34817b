from __future__ import annotations

import time
from typing import Any

from core.management.base import DemoStreetCommand
from disputes.demo import generate_street_year
from disputes.models import Dispute


class Command(DemoStreetCommand):
    help = "为示例街道生成一年的示例矛盾纠纷（经由业务服务生成，时间线与计时真实）。已有纠纷时跳过。"
    what = "示例矛盾纠纷"
    actor = "demo-disputes"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--count", type=int, default=1500)

    def exists(self, street: Any) -> bool:
        return Dispute.objects.filter(region__path__startswith=street.path).exists()

    def generate(self, street: Any, *, seed: int, **options: Any) -> None:
        count = options["count"]
        start = time.perf_counter()
        self.progress(f"正在为{street.name}生成{count}件示例纠纷……")
        generate_street_year(
            street, seed=seed, count=count, progress=lambda n: self.progress(f"  {n}/{count}")
        )
        self.progress(f"用时{time.perf_counter() - start:.0f}秒。")
