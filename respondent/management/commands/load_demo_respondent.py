from __future__ import annotations

from typing import Any

from core.management.base import DemoStreetCommand
from respondent.demo import generate_respondent_year
from respondent.models import RespondentCase


class Command(DemoStreetCommand):
    help = "为示例街道生成一年的示例行政复议、行政诉讼案件（针对示例行政处罚决定和政府信息公开答复）。"
    what = "示例行政复议、行政诉讼案件"
    actor = "demo-respondent"

    def exists(self, street: Any) -> bool:
        return RespondentCase.objects.filter(region=street).exists()

    def generate(self, street: Any, *, seed: int, **options: Any) -> None:
        generate_respondent_year(street)
