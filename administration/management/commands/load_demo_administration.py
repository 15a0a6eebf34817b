from __future__ import annotations

from typing import Any

from administration.demo import generate_administration_year
from administration.models import ReviewItem
from core.management.base import DemoStreetCommand


class Command(DemoStreetCommand):
    help = "为示例街道生成一年的示例依法行政数据（合同约260件、重大执法决定审核约100件、决策、规范性文件、列席会议）。"
    what = "示例依法行政数据"
    actor = "demo-administration"

    def exists(self, street: Any) -> bool:
        return ReviewItem.objects.filter(region__path__startswith=street.path).exists()

    def generate(self, street: Any, *, seed: int, **options: Any) -> None:
        generate_administration_year(street, seed=seed)
