"""我的工作 as each role meets it in Chromium: a high-risk case assigned to a committee reaches its mediator's home
at once, before any clock runs on it; the lists are complete, page by page, and their counts are the whole."""

from __future__ import annotations

import pytest

from core.tests.browser import login
from core.tests.fixtures import PASSWORD
from core.workflow import transition
from disputes import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_freshly_assigned_high_risk_case_waits_on_its_mediators_home(live_server, page, world, intake):
    base = live_server.url
    justice = world.users["justice"]
    d = intake(people_count=8)  # a group dispute: 高 risk
    assert d.risk_level == "high"
    services.escalation_record(dispute=d, reported_to="街道综治中心（示例）", note="", by=justice)
    d = transition(d, "triage", by=justice, data={"route": "community"})

    # Triaged, not yet assigned: it waits for the justice office (and, by the permission table, for the
    # community's own mediators, who may take it into their committee) — not for another community's.
    login(page, base, "t-mediator_b", PASSWORD)
    assert d.number not in page.get_by_test_id("work-waiting").inner_text()
    page.click("form[action='/logout/'] button")
    login(page, base, "t-justice", PASSWORD)
    waiting = page.get_by_test_id("work-waiting").inner_text()
    assert d.number in waiting and "待分派" in waiting
    page.click("form[action='/logout/'] button")

    transition(
        d,
        "assign",
        by=justice,
        data={"committee": str(world.units["committee_a"].pk), "mediators": [str(world.people["a"].pk)]},
    )
    login(page, base, "t-mediator_a", PASSWORD)
    waiting = page.get_by_test_id("work-waiting")
    row = waiting.locator("tr", has_text=d.number)
    assert "待接受分派" in row.inner_text()
    assert waiting.get_by_test_id("waiting-count").first.inner_text() == "1"
    row.get_by_role("link").click()
    assert page.get_by_test_id("state").inner_text() == "已分派"
    assert page.locator('form[data-action="accept"]').count() == 1
    page.click("form[action='/logout/'] button")

    # The other community's mediator does not see it.
    login(page, base, "t-mediator_b", PASSWORD)
    assert d.number not in page.get_by_test_id("work-waiting").inner_text()


def test_the_waiting_list_pages_through_every_case_and_counts_them_all(live_server, page, world, intake):
    cases = [intake(description=f"楼道堆物纠纷第{n}起（示例）") for n in range(23)]
    login(page, live_server.url, "t-justice", PASSWORD)
    section = page.get_by_test_id("work-waiting")
    assert section.get_by_test_id("waiting-count").first.inner_text() == "23"
    first = section.locator("tbody tr").count()
    assert first == 20
    page.get_by_role("link", name="下一页").first.click()
    rest = page.get_by_test_id("work-waiting").locator("tbody tr").count()
    assert first + rest == len(cases)


def test_assignment_and_urging_reach_the_people_at_once(live_server, page, world, intake):
    base = live_server.url
    justice = world.users["justice"]
    d = intake()
    d = transition(d, "triage", by=justice, data={"route": "community"})
    transition(
        d,
        "assign",
        by=justice,
        data={"committee": str(world.units["committee_a"].pk), "mediators": [str(world.people["a"].pk)]},
    )
    login(page, base, "t-mediator_a", PASSWORD)
    page.wait_for_selector("[data-testid=unread]")
    assert page.get_by_test_id("unread").inner_text() == "1"
    page.get_by_test_id("bell").click()
    assert f"新分派：{d.number}" in page.get_by_test_id("notifications").inner_text()
    page.get_by_test_id("notifications").get_by_role("link").first.click()
    assert page.get_by_test_id("state").inner_text() == "已分派"  # it opens the case, and is read
    page.wait_for_selector("[data-testid=bell]")
    assert page.get_by_test_id("unread").count() == 0
    page.click("form[action='/logout/'] button")

    # The street leader presses for it: the committee is told; the leader's own step tells the leader nothing.
    login(page, base, "t-leader", PASSWORD)
    page.goto(f"{base}/disputes/{d.pk}/")
    urge = page.get_by_test_id("urge")
    urge.locator("textarea[name=note]").fill("请三日内联系双方并反馈进展（示例）")
    with page.expect_navigation():
        urge.locator("button").click()
    assert "催办督办：请三日内联系双方并反馈进展（示例）" in page.get_by_test_id("timeline").inner_text()
    page.click("form[action='/logout/'] button")
    login(page, base, "t-mediator_a", PASSWORD)
    page.wait_for_selector("[data-testid=unread]")
    assert page.get_by_test_id("unread").inner_text() == "1"
    page.get_by_test_id("bell").click()
    assert "请三日内联系双方并反馈进展（示例）" in page.get_by_test_id("notifications").inner_text()
    assert "leader（示例）" in page.get_by_test_id("notifications").inner_text()  # the sender, by name
