from __future__ import annotations

from typing import Any

from core.management.base import DemoStreetCommand
from disclosure.demo import generate_disclosure_year
from disclosure.models import DisclosureRequest


class Command(DemoStreetCommand):
    help = "为示例街道生成一年的示例政务公开数据（依申请公开约50件、主动公开约100项）。已有数据时跳过。"
    what = "示例政务公开数据"
    actor = "demo-disclosure"

    def exists(self, street: Any) -> bool:
        return DisclosureRequest.objects.filter(region=street).exists()

    def generate(self, street: Any, *, seed: int, **options: Any) -> None:
        generate_disclosure_year(street, seed=seed)
