"""Recompute the stored due dates of open clocks after the fact (for dates that went stale before the
calendar and rule services recomputed them by themselves): ``manage.py recompute_clocks --year 2027``."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.clocks.services import clocks_recompute
from core.management.base import FazhiCommand


class Command(FazhiCommand):
    help = (
        "按现行放假安排和时限设置，重算指定年份内未办结计时的截止日期，并在移动了日期的事项时间线上记录原因。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, action="append", required=True, help="受影响的年份，可重复")
        parser.add_argument(
            "--reason", default="核对放假安排", help="写入时间线的原因，如“2027年放假安排公布”"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = sorted(set(options["year"]))
        if any(not 2000 <= y <= 2099 for y in years):
            self.fail("年份应在2000至2099之间")
        with transaction.atomic():
            result = clocks_recompute(reason=options["reason"], by=None, years=years)
        self.progress(
            f"已核对{'、'.join(map(str, years))}年的未办结计时{result.examined}个："
            f"截止日期调整{len(result.moved)}个，暂定标记更新{result.settled}个。"
        )
