"""The forms of a case page as a user meets them in Chromium: a refused action comes back as typed, selects still
selects and every choice kept; dates start at today; a suggested mediator is chosen with one click; an
irreversible action asks first."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.tests.browser import login, open_action
from core.tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_triage_keeps_the_form_as_typed(live_server, page, world, intake):
    d = intake()
    login(page, live_server.url, "t-justice", PASSWORD)
    page.goto(f"{live_server.url}/disputes/{d.pk}/")
    form = open_action(page, "triage")
    form.locator("select[name=route]").select_option("street")  # joint resolution, but no lead unit chosen
    helpers = [str(world.units["enforcement"].pk), str(world.units["leadership"].pk)]
    for pk in helpers:
        form.locator(f'[name="cooperating_units"][value="{pk}"]').check()
    form.locator("input[name=override_reason]").fill("当事人情绪激动（示例）")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    assert "须指定牵头单位" in page.get_by_test_id("action-error").inner_text()
    again = page.locator('form[data-action="triage"]')
    route = again.locator("[name=route]")
    assert route.evaluate("e => e.tagName") == "SELECT"
    assert route.input_value() == "street"
    assert again.locator("select[name=lead_unit]").count() == 1  # still a list of units, not a text box
    checked = again.locator('[name="cooperating_units"]:checked')
    assert sorted(checked.evaluate_all("boxes => boxes.map(b => b.value)")) == sorted(helpers)
    assert again.locator("input[name=override_reason]").input_value() == "当事人情绪激动（示例）"
    assert "重新提交" not in page.content()
    d.refresh_from_db()
    assert d.state == "received"

    # Choosing the lead unit on the same page is enough.
    again.locator("select[name=lead_unit]").select_option(str(world.units["justice"].pk))
    with page.expect_navigation():
        again.locator("button[type=submit]").click()
    assert page.get_by_test_id("state").inner_text() == "已研判"
    d.refresh_from_db()
    assert sorted(str(u.pk) for u in d.cooperating_units.all()) == sorted(helpers)


def test_dates_start_at_today_a_suggestion_is_one_click_and_an_end_asks_first(
    live_server, page, world, intake
):
    from core.workflow import transition

    d = intake()
    justice = world.users["justice"]
    d = transition(d, "triage", by=justice, data={"route": "community"})
    login(page, live_server.url, "t-justice", PASSWORD)
    page.goto(f"{live_server.url}/disputes/{d.pk}/")
    suggestion = page.get_by_test_id("suggestion").first
    name = suggestion.inner_text()
    suggestion.click()
    form = open_action(page, "assign")
    chosen = form.locator('[name="mediators"]:checked')
    assert chosen.count() == 1
    assert name in chosen.locator("xpath=..").inner_text()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.get_by_test_id("state").inner_text() == "已分派"

    accept = open_action(page, "accept")
    assert accept.locator("[name=accepted_on]").input_value() == timezone.localdate().isoformat()
    with page.expect_navigation():
        accept.locator("button[type=submit]").click()
    assert page.get_by_test_id("state").inner_text() == "调解中"

    end = open_action(page, "terminate")
    end.locator("[name=reason]").fill("申请人撤回申请（示例）")
    with page.expect_navigation():
        end.locator("button[type=submit]").click()
    assert page.asked == ["确定要“终止调解”吗？此操作将记入办理经过。"]
    assert page.get_by_test_id("state").inner_text() == "终止调解"
