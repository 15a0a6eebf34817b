from __future__ import annotations

from typing import Any

from core.management.base import DemoStreetCommand
from demands.demo import generate_demands_year, generate_petitions_year
from demands.models import Duty


class Command(DemoStreetCommand):
    help = "为示例街道生成一年的示例12345热线工单（单位职责清单、约240件工单的派单、办理、答复、回访）和约36件信访事项。"
    what = "示例12345热线工单和信访事项"
    actor = "demo-demands"

    def exists(self, street: Any) -> bool:
        return Duty.objects.filter(unit__region=street).exists()

    def generate(self, street: Any, *, seed: int, **options: Any) -> None:
        generate_demands_year(street, seed=seed)
        generate_petitions_year(street, seed=seed)
