"""Stored due dates stay true: a year's schedule imported, a day edited in the admin, a district's rule length
changed — each recomputes the open clocks it affects, with a timeline event on each case whose date moved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit.timeline import timeline_of
from core.clocks import calendar as cal
from core.clocks.services import clock_meet, clock_start, clocks_recompute, explain
from core.models import CalendarDay, CalendarYear, Clock, ClockRuleSetting
from core.tests.sample.models import SampleCase
from core.tests.sheets import post_import
from core.tests.sheets import xlsx_upload as sheet

D = dt.date
CALENDAR_HEADERS = ["年份", "依据通知", "日期", "类型", "节日名称"]
NEW_YEAR_2027 = [
    [2027, "国务院办公厅关于2027年部分节假日安排的通知（示例）", "2027-01-01", "休", "元旦"],
    [2027, "", "2027-01-02", "休", "元旦"],
    [2027, "", "2027-01-03", "休", "元旦"],
]


def start(world, title, rule_id, started_on, region=None):
    case = SampleCase.objects.create(title=title, region=region or world.street, state="accepted")
    return clock_start(
        case=case,
        name="answer",
        rule_id=rule_id,
        started_on=started_on,
        by=world.users["justice"],
        title=title,
    )


def summaries(clock):
    return [e.summary for e in timeline_of(clock.case)]


def moved_events(clock):
    return [s for s in summaries(clock) if "截止日期由" in s]


@pytest.fixture
def clocks(world):
    """Four disclosure answers (20 working days) around New Year 2027, before its schedule is published."""
    return {
        # 2027 unknown: weekends only, 1 January counted as a working day -> Friday 15 January, provisional
        "moves": start(world, "跨年申请（示例）", "disclosure.answer", D(2026, 12, 18)),
        # the same count, answered on 10 January: history, not moved
        "met": start(world, "已答复申请（示例）", "disclosure.answer", D(2026, 12, 18)),
        # wholly in 2026: the 2027 schedule cannot touch it
        "before": start(world, "十一月申请（示例）", "disclosure.answer", D(2026, 11, 2)),
        # February 2027: provisional until the schedule arrives, which does not move it
        "later": start(world, "二月申请（示例）", "disclosure.answer", D(2027, 2, 1)),
    }


def test_a_provisional_due_date_is_stored_from_weekends_only(clocks):
    c = clocks["moves"]
    assert (c.due_on, c.provisional) == (D(2027, 1, 15), True)
    assert "2027年放假安排尚未公布" in explain(c).explanation


def test_importing_a_later_years_schedule_moves_the_stored_due_dates_it_touches(world, client, clocks):
    clock_meet(clock=clocks["met"], met_on=D(2027, 1, 10), by=world.users["justice"])
    untouched = {k: Clock.objects.get(pk=c.pk) for k, c in clocks.items() if k != "moves"}

    client.force_login(world.users["district"])
    assert post_import(client, "calendar", sheet(CALENDAR_HEADERS, NEW_YEAR_2027)).succeeded

    moved = Clock.objects.get(pk=clocks["moves"].pk)
    assert (moved.due_on, moved.provisional) == (D(2027, 1, 18), False)
    assert moved_events(moved) == [
        "因2027年放假安排公布，政府信息公开申请答复期限截止日期由2027年1月15日调整为2027年1月18日"
    ]
    # What is stored is what the case page explains.
    assert "截止日期：2027年1月18日（星期一）" in explain(moved).explanation
    assert "元旦（1月1日至1月3日）" in explain(moved).explanation

    met = Clock.objects.get(pk=clocks["met"].pk)
    assert (
        (met.due_on, met.met_on)
        == (untouched["met"].due_on, D(2027, 1, 10))
        == (D(2027, 1, 15), D(2027, 1, 10))
    )
    before = Clock.objects.get(pk=clocks["before"].pk)
    assert before.due_on == untouched["before"].due_on == D(2026, 11, 30)
    later = Clock.objects.get(pk=clocks["later"].pk)
    assert later.due_on == untouched["later"].due_on
    assert not later.provisional  # the schedule arrived: no longer 暂定
    for key in ("met", "before", "later"):
        assert moved_events(clocks[key]) == [], key


def test_a_failed_import_moves_nothing(world, client, clocks):
    client.force_login(world.users["district"])
    rows = [*NEW_YEAR_2027, [2027, "", "2027-13-01", "休", "元旦"]]
    done = post_import(client, "calendar", sheet(CALENDAR_HEADERS, rows))
    assert done.failed and "不是有效日期" in done.page
    moved = Clock.objects.get(pk=clocks["moves"].pk)
    assert (moved.due_on, moved.provisional) == (D(2027, 1, 15), True)
    assert moved_events(moved) == []


@pytest.fixture
def schedule_2027(db):
    CalendarYear.objects.create(year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知（示例）")
    for day in (1, 2, 3):
        CalendarDay.objects.create(date=D(2027, 1, day), is_working_day=False, name="元旦")
    cal.clear_cache()


def test_a_day_added_edited_and_deleted_in_the_admin_moves_the_clocks_that_count_it(
    world, client, schedule_2027
):
    c = start(world, "跨年申请（示例）", "disclosure.answer", D(2026, 12, 18))
    other = start(world, "三月申请（示例）", "disclosure.answer", D(2027, 3, 1))
    assert c.due_on == D(2027, 1, 18)
    client.force_login(world.users["district"])

    r = client.post(
        "/admin/core/calendarday/add/",
        {"date": "2027-01-04", "is_working_day": "", "name": "元旦（示例补休）"},
    )
    assert r.status_code == 302
    assert Clock.objects.get(pk=c.pk).due_on == D(2027, 1, 19)

    day = CalendarDay.objects.get(date=D(2027, 1, 4))
    r = client.post(
        f"/admin/core/calendarday/{day.pk}/change/",
        {"date": "2027-01-05", "is_working_day": "", "name": "示例"},
    )
    assert r.status_code == 302
    assert Clock.objects.get(pk=c.pk).due_on == D(2027, 1, 19)  # one holiday still inside the count

    r = client.post(f"/admin/core/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert Clock.objects.get(pk=c.pk).due_on == D(2027, 1, 18)

    assert moved_events(c) == [
        "因工作日历将2027年1月4日定为放假日（元旦（示例补休）），政府信息公开申请答复期限截止日期由2027年1月18日调整为2027年1月19日",
        "因工作日历取消2027年1月5日的放假日（示例）安排，政府信息公开申请答复期限截止日期由2027年1月19日调整为2027年1月18日",
    ]
    assert moved_events(other) == []
    assert Clock.objects.get(pk=other.pk).due_on == other.due_on


def test_only_the_district_changes_the_calendar(world, client, schedule_2027):
    c = start(world, "跨年申请（示例）", "disclosure.answer", D(2026, 12, 18))
    client.force_login(world.users["justice"])
    r = client.post(
        "/admin/core/calendarday/add/", {"date": "2027-01-04", "is_working_day": "", "name": "示例"}
    )
    assert r.status_code == 403
    assert Clock.objects.get(pk=c.pk).due_on == D(2027, 1, 18)


def test_a_districts_rule_length_moves_its_open_clocks_and_only_those(world, client):
    by = world.users["justice"]
    in_street = start(world, "甲居民区调解（示例）", "mediation.period", D(2026, 9, 1), world.community_a)
    met = start(world, "已调结（示例）", "mediation.period", D(2026, 9, 1), world.community_a)
    clock_meet(clock=met, met_on=D(2026, 9, 20), by=by)
    other_rule = start(world, "公开申请（示例）", "disclosure.answer", D(2026, 9, 1), world.community_a)
    # 示例二街道 has its own length: the district's change does not reach it.
    ClockRuleSetting.objects.create(
        rule_id="mediation.period", region=world.street2, length=1, source="街道规定（示例）"
    )
    own = start(world, "二街道调解（示例）", "mediation.period", D(2026, 9, 1), world.street2)
    assert in_street.due_on == own.due_on == D(2026, 10, 8)  # 10-01 is 国庆: rolls to 10-08

    client.force_login(world.users["district"])
    r = client.post(
        "/admin/core/clockrulesetting/add/",
        {
            "rule_id": "mediation.period",
            "region": world.district.pk,
            "length": 2,
            "source": "示例区规定（示例）",
        },
    )
    assert r.status_code == 302
    assert Clock.objects.get(pk=in_street.pk).due_on == D(2026, 11, 2)  # 11-01 is a Sunday
    assert moved_events(in_street) == [
        "因本区调整“人民调解期限”时限为2个月，截止日期由2026年10月8日调整为2026年11月2日"
    ]
    for clock in (met, other_rule, own):
        assert Clock.objects.get(pk=clock.pk).due_on == clock.due_on
        assert moved_events(clock) == []

    setting = ClockRuleSetting.objects.get(region=world.district)
    r = client.post(f"/admin/core/clockrulesetting/{setting.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert Clock.objects.get(pk=in_street.pk).due_on == D(2026, 10, 8)
    assert moved_events(in_street)[-1] == (
        "因本区取消“人民调解期限”时限的本地设定，截止日期由2026年11月2日调整为2026年10月8日"
    )


def test_a_street_coordinator_cannot_change_the_districts_rule(world, client):
    c = start(world, "甲居民区调解（示例）", "mediation.period", D(2026, 9, 1), world.community_a)
    client.force_login(world.users["justice"])
    r = client.post(
        "/admin/core/clockrulesetting/add/",
        {"rule_id": "mediation.period", "region": world.district.pk, "length": 2, "source": "示例"},
    )
    assert r.status_code == 403
    assert Clock.objects.get(pk=c.pk).due_on == D(2026, 10, 8)


def test_recompute_reads_only_the_clocks_in_the_window_and_a_fixed_number_of_queries(world, schedule_2027):
    def run() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            result = clocks_recompute(reason="示例", dates=[D(2027, 1, 1)], by=None)
        assert result.moved == []
        return result.examined, len(ctx.captured_queries)

    start(world, "跨年（示例）", "disclosure.answer", D(2026, 12, 18))
    start(world, "十一月（示例）", "disclosure.answer", D(2026, 11, 2))  # outside the window: not read
    examined, queries = run()
    assert examined == 1
    for i in range(20):
        start(world, f"跨年{i}（示例）", "disclosure.answer", D(2026, 12, 18))
    examined, more_queries = run()
    assert examined == 21
    assert more_queries == queries


def test_days_entered_before_the_year_count_when_the_year_is_added_in_the_admin(world, client):
    c = start(world, "跨年申请（示例）", "disclosure.answer", D(2026, 12, 18))
    client.force_login(world.users["district"])
    for day in ("2027-01-01", "2027-01-02", "2027-01-03"):
        r = client.post("/admin/core/calendarday/add/", {"date": day, "is_working_day": "", "name": "元旦"})
        assert r.status_code == 302
    # The days wait for their year: until it is recorded, 2027 is still weekends only.
    assert (Clock.objects.get(pk=c.pk).due_on, moved_events(c)) == (D(2027, 1, 15), [])

    r = client.post("/admin/core/calendaryear/add/", {"year": "2027", "notice": "国办发明电〔2026〕示例号"})
    assert r.status_code == 302
    assert Clock.objects.get(pk=c.pk).due_on == D(2027, 1, 18)
    assert moved_events(c) == [
        "因2027年放假安排公布，政府信息公开申请答复期限截止日期由2027年1月15日调整为2027年1月18日"
    ]

    # Deleting days with the list's bulk action goes through the same service.
    days = CalendarDay.objects.filter(date__year=2027)
    r = client.post(
        "/admin/core/calendarday/",
        {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"},
    )
    assert r.status_code == 302 and not CalendarDay.objects.exists()
    assert Clock.objects.get(pk=c.pk).due_on == D(2027, 1, 15)
    assert moved_events(c)[-1].endswith("截止日期由2027年1月18日调整为2027年1月15日")


def test_a_stale_due_date_from_before_is_recomputed_by_the_command(world, clocks):
    """A database whose 2027 schedule was entered before the platform recomputed by itself: the stored date is
    stale until ``manage.py recompute_clocks --year 2027`` puts it right, with the reason on the timeline."""
    from django.core.management import call_command

    CalendarYear.objects.create(year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知（示例）")
    for day in (1, 2, 3):
        CalendarDay.objects.create(date=D(2027, 1, day), is_working_day=False, name="元旦")
    cal.clear_cache()
    assert Clock.objects.get(pk=clocks["moves"].pk).due_on == D(2027, 1, 15)  # stale
    call_command("recompute_clocks", "--year", "2027", "--reason", "2027年放假安排公布", verbosity=0)
    moved = Clock.objects.get(pk=clocks["moves"].pk)
    assert (moved.due_on, moved.provisional) == (D(2027, 1, 18), False)
    assert moved_events(moved) == [
        "因2027年放假安排公布，政府信息公开申请答复期限截止日期由2027年1月15日调整为2027年1月18日"
    ]
    assert moved_events(clocks["before"]) == []
