"""Real pages in headless Chromium: sign-in, home, scoping by URL, the deadline calculator."""

from __future__ import annotations

import pytest

from core.demo import DEMO_PASSWORD, load_demo
from core.models import Membership, Person, Region, Unit
from core.tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mediator_sees_home_and_cannot_reach_other_community_by_url(live_server, page):
    load_demo()
    base = live_server.url
    login(page, base, "demo-mediator", DEMO_PASSWORD)
    assert page.locator("h1").inner_text() == "我的工作"
    assert "调解员（第一居民区）" in page.get_by_test_id("current-user").inner_text()
    for section in ("mine", "due_soon", "overdue"):
        assert page.get_by_test_id(f"work-{section}").is_visible()

    own = Membership.objects.get(user__username="demo-mediator").unit.region
    other = Membership.objects.get(user__username="demo-mediator2").unit.region
    own_person = Person.objects.filter(region=own).first()
    other_person = Person.objects.filter(region=other).first()
    other_unit = Unit.objects.filter(region=other).first()

    # Own community: reachable.
    response = page.goto(f"{base}/regions/{own.pk}/")
    assert response.status == 200 and own.name in page.content()
    response = page.goto(f"{base}/people/{own_person.pk}/")
    assert response.status == 200
    assert own_person.name in page.content()

    # The other community's region, unit, person and their API: not found, and nothing leaks.
    for url in (
        f"/regions/{other.pk}/",
        f"/units/{other_unit.pk}/",
        f"/people/{other_person.pk}/",
        f"/api/v1/people/{other_person.pk}",
        f"/api/v1/regions/{other.pk}",
    ):
        response = page.goto(base + url)
        assert response.status == 404, url
        assert other_person.name not in page.content()
        assert other.name not in page.content()

    # The region tree shows only the mediator's own community.
    page.goto(f"{base}/regions/")
    tree = page.get_by_test_id("region-tree").inner_text()
    assert own.name in tree and other.name not in tree
    assert Region.objects.filter(level="community").count() > 2


def test_deadline_calculator_explains_national_day(live_server, page):
    load_demo()
    base = live_server.url
    login(page, base, "demo-justice", DEMO_PASSWORD)
    page.goto(f"{base}/calendar/?year=2026")
    assert page.locator('[data-date="2026-10-01"]').get_attribute("data-working") == "0"
    assert page.locator('[data-date="2026-09-20"]').get_attribute("data-working") == "1"
    page.select_option("select[name=rule]", "disclosure.answer")
    page.fill("input[name=start]", "2026-09-25")
    page.click("#calculator button[type=submit]")
    page.get_by_test_id("deadline-result").wait_for()
    assert page.get_by_test_id("due").inner_text() == "2026-10-29"
    assert "国庆节（10月1日至10月7日）" in page.get_by_test_id("deadline-result").inner_text()


def test_person_reveal_through_htmx_is_logged(live_server, page):
    from core.models import RevealLog

    load_demo()
    base = live_server.url
    login(page, base, "demo-mediator", DEMO_PASSWORD)
    own = Membership.objects.get(user__username="demo-mediator").unit.region
    person = Person.objects.filter(region=own).exclude(phone="").first()
    page.goto(f"{base}/people/{person.pk}/")
    assert person.phone not in page.content()
    page.select_option("select[name=field]", "phone")
    page.fill("input[name=reason]", "电话通知调解时间")
    page.click("#reveal-result >> xpath=preceding-sibling::form//button")
    page.get_by_test_id("revealed").wait_for()
    assert page.get_by_test_id("revealed").inner_text() == person.phone
    assert RevealLog.objects.filter(object_id=person.pk, reason="电话通知调解时间").count() == 1
