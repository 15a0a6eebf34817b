from __future__ import annotations

from typing import Any

from core.audit.context import acting_as
from core.management.base import FazhiCommand
from core.models import Region
from disclosure.demo import generate_disclosure_year
from disclosure.models import DisclosureRequest


class Command(FazhiCommand):
    help = "为示例街道生成一年的示例政务公开数据（依申请公开约50件、主动公开约100项）。已有数据时跳过。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument("--street", default="990100001")

    def handle(self, *args: Any, seed: int, street: str, **options: Any) -> None:
        region = Region.objects.filter(code=street, level="street").first()
        if region is None:
            self.fail(f"没有区划代码为 {street} 的街镇；请先运行 load_demo")
        if DisclosureRequest.objects.filter(region=region).exists():
            self.progress(f"{region.name}已有政务公开数据，跳过生成。")
            return
        with acting_as(None, "demo-disclosure"):
            generate_disclosure_year(region, seed=seed)
        self.progress(f"已为{region.name}生成示例政务公开数据。")
