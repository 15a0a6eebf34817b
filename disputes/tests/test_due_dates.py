"""The overdue queue reads stored due dates: when 2027's schedule is published, a mediation period that ended
on 1 January (a weekday on weekends alone) moves to the first working day after 元旦 and leaves the queue."""

from __future__ import annotations

import datetime as dt

from core.models import Person
from core.tests.sheets import post_import
from core.tests.sheets import xlsx_upload as sheet
from core.workflow import transition
from disputes.tests.conftest import at

D = dt.date
CALENDAR_HEADERS = ["年份", "依据通知", "日期", "类型", "节日名称"]


def test_overdue_queue_reads_the_recomputed_due_date(world, client, intake, frozen_today):
    frozen_today(D(2027, 1, 2))
    j = world.users["justice"]
    mediator = Person.objects.get(name="调解员a（示例）")

    def mediating(accepted_on: str):
        d = intake(received_at=at(2026, 11, 16))
        d = transition(d, "triage", by=j, data={"route": "community"})
        d = transition(
            d,
            "assign",
            by=j,
            data={"committee": str(world.units["committee_a"].pk), "mediators": [str(mediator.pk)]},
        )
        return transition(d, "accept", by=j, data={"accepted_on": accepted_on})

    new_year = mediating("2026-12-01")  # one month: 2027-01-01, provisional (2027 not yet published)
    november = mediating("2026-11-20")  # 2026-12-20 is a Sunday: due 2026-12-21, overdue whatever 2027 brings

    client.force_login(j)
    queue = client.get("/disputes/?queue=overdue").content.decode()
    assert new_year.number in queue and november.number in queue

    client.force_login(world.users["district"])
    rows = [
        [2027, "国务院办公厅关于2027年部分节假日安排的通知（示例）", f"2027-01-0{d}", "休", "元旦"]
        for d in (1, 2, 3)
    ]
    assert post_import(client, "calendar", sheet(CALENDAR_HEADERS, rows)).succeeded

    client.force_login(j)
    queue = client.get("/disputes/?queue=overdue").content.decode()
    assert new_year.number not in queue
    assert november.number in queue
    page = client.get(new_year.get_absolute_url()).content.decode()
    assert "因2027年放假安排公布，人民调解期限截止日期由2027年1月1日调整为2027年1月4日" in page
    assert "2027年1月4日（星期一）" in page
    assert "截止日期由" not in client.get(november.get_absolute_url()).content.decode()
