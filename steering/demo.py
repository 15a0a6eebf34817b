"""Demo steering data: the the street plan annex imported as the street's plan, progress on its tasks, and manual
indicator entries with evidence — all through the importer and the services."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.utils import timezone

from core.models import Region, User

from . import services
from .importers import PLANS
from .sample_plan import write_sample_workbook

# Manual indicators the demo district enters for the current year (fictional values, marked 示例).
MANUAL_ENTRIES = [
    ("district.09", "100", "区行政复议局年度结案台账（示例）"),
    ("district.18", "95.2", "公共法律服务满意度第三方测评报告（示例）"),
]


def generate_steering(street: Region, *, seed: int) -> None:
    rng = random.Random(seed)
    justice = User.objects.get(username="demo-justice")
    PLANS.run(io.BytesIO(write_sample_workbook(street.code)), by=justice)
    today = timezone.localdate()
    from .models import KeyTask

    for task in KeyTask.objects.filter(plan__region=street).order_by("number"):
        percent = 0
        for quarter in range(1, 8):
            day = dt.date(2024, 12, 31) + dt.timedelta(days=91 * quarter)
            if day > today:
                break
            percent = min(100, percent + rng.choice((10, 15, 20)))
            link = "/administration/meetings/" if percent == 100 else ""
            services.task_report(
                task=task,
                reported_on=day,
                percent=percent,
                note=f"第{quarter}次季度报送：按工作标准推进（示例）",
                evidence_link=link,
                by=justice,
            )
            if percent == 100:
                break
    district = street.parent
    district_staff = User.objects.get(username="demo-district")
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    for code, value, evidence in MANUAL_ENTRIES:
        assert district is not None
        services.indicator_entry_record(
            region=district,
            code=code,
            period_start=start,
            period_end=end,
            value=value,
            evidence=evidence,
            by=district_staff,
        )
