"""Pages render in Chinese and keep a fixed number of queries whatever the data size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.clocks.services import clock_start
from core.models.people import PersonKind
from core.tests.factories import PersonFactory
from core.tests.sample.models import SampleCase


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def add_people(world, n: int) -> None:
    PersonFactory.create_batch(
        n, kind=PersonKind.EXPERT, region=world.community_a, unit=world.units["committee_a"]
    )


def add_clocks(world, n: int) -> None:
    for i in range(n):
        case = SampleCase.objects.create(
            title=f"示例案件{i}", region=world.community_a, state="accepted", assignee=world.users["justice"]
        )
        clock_start(
            case=case,
            name="period",
            rule_id="mediation.period",
            started_on=timezone.localdate(),
            by=None,
            title=case.title,
            assignee=world.users["justice"],
        )


@pytest.mark.parametrize("url", ["/people/", "/regions/", "/", "/calendar/?year=2026"])
def test_query_count_does_not_grow_with_data(world, client, url):
    client.force_login(world.users["justice"])
    add_people(world, 2)
    add_clocks(world, 2)
    count_queries(client, url)  # a process reads the content types once, on its first request
    small = count_queries(client, url)
    add_people(world, 30)
    add_clocks(world, 20)
    assert count_queries(client, url) == small


def test_fixed_query_counts(world, client):
    """Pinned numbers: a change that adds queries to these pages must say why."""
    client.force_login(world.users["justice"])
    add_clocks(world, 3)
    assert count_queries(client, "/people/") <= 8
    count_queries(client, "/")  # the content types, once a process
    # Three lists of clocks (count, rows, their cases) and, per kind of case, the count of what waits for the
    # user (and its rows where there are some): 18 with the sample kind waiting (12345 orders and respondent cases
    # each a kind of their own for the justice office).
    assert count_queries(client, "/") <= 18
    assert count_queries(client, f"/units/{world.units['committee_a'].pk}/") <= 8


def test_home_lists_my_clocks_and_links_to_case(world, client):
    add_clocks(world, 1)
    client.force_login(world.users["justice"])
    page = client.get("/").content.decode()
    assert "我的工作" in page and "示例案件0" in page and 'href="/sample/' in page
    client.force_login(world.users["other"])
    assert "示例案件0" not in client.get("/").content.decode()


def test_calendar_page_marks_holidays_and_provisional_years(world, client):
    client.force_login(world.users["justice"])
    page = client.get("/calendar/?year=2026").content.decode()
    assert 'data-date="2026-10-01" data-working="0"' in page
    assert 'data-date="2026-09-20" data-working="1"' in page
    assert "provisional-note" not in page
    page = client.get("/calendar/?year=2027").content.decode()
    assert "2027年放假安排尚未公布" in page
    r = client.get("/calendar/deadline/?rule=disclosure.answer&start=2026-09-25")
    assert "2026-10-29" in r.content.decode() and "国庆节" in r.content.decode()
    r = client.get("/calendar/deadline/?rule=disclosure.answer&start=2026-02-30")
    assert r.status_code == 400 and "起算日期" in r.content.decode()


def test_navigation_and_region_pages(world, client):
    client.force_login(world.users["justice"])
    page = client.get(f"/regions/{world.community_a.pk}/").content.decode()
    for text in (
        "示例甲居民区",
        "示例甲第1网格",
        "示例甲居民区人民调解委员会",
        "区域与单位",
        "人员名册",
        "工作日历",
    ):
        assert text in page
    client.force_login(world.users["auditor"])  # reads only: may import nothing
    assert "数据导入" not in client.get("/").content.decode()


def test_field_errors_handles_field_and_non_field_errors():
    from django.core.exceptions import ValidationError

    from core.forms import field_errors

    assert field_errors(ValidationError({"title": ["请填写名称", "过短"]})) == {"title": "请填写名称；过短"}
    assert field_errors(ValidationError("该事项已办结")) == {"__all__": "该事项已办结"}


def test_a_date_field_starting_at_today_shows_it_in_the_date_input(world, client, frozen_today):
    """A date input reads only YYYY-MM-DD; Django's Chinese formats would render 2026/11/30, which the browser
    drops, leaving the field empty (fazhi/formats/zh_Hans)."""
    import datetime as dt

    frozen_today(dt.date(2026, 11, 30))
    client.force_login(world.users["justice"])
    page = client.get("/calendar/").content.decode()
    assert 'value="2026-11-30"' in page and "2026/11/30" not in page
