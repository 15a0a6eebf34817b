"""A 12345 order through real pages: the hotline desk receives and dispatches it, the enforcement team finds it in
its inbox, signs for it, contacts the caller and answers; the desk calls back and closes it."""

from __future__ import annotations

import datetime as dt

import pytest

from core.tests.browser import act, login
from core.tests.fixtures import PASSWORD
from demands.models import WorkOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page) -> None:
    with page.expect_navigation():
        page.click("form[action='/logout/'] button")


def test_a_work_order_from_receipt_to_call_back(live_server, page, world, hot, frozen_today):
    frozen_today(dt.date(2026, 11, 30))
    base = live_server.url
    login(page, base, "t-hotline", PASSWORD)
    page.goto(f"{base}/demands/orders/")
    page.get_by_role("link", name="登记接收工单").click()
    page.fill("input[name=number]", "12345-20261127-0042")
    page.select_option("select[name=kind]", "complaint")
    page.select_option("select[name=time_class]", "ordinary")
    page.fill("input[name=category]", "市容环境-占道经营")
    page.fill("textarea[name=content]", "示例路口早高峰有人占道卖早点，影响通行（示例）")
    page.select_option("select[name=community]", str(world.community_a.pk))
    page.fill("input[name=caller_phone]", "13900000111")
    page.fill("input[name=received_at]", "2026-11-27T09:00")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    assert page.get_by_test_id("state").inner_text() == "待派单"
    order = WorkOrder.objects.get()
    clocks = " ".join(page.get_by_test_id("clock").all_inner_texts())
    assert "2026-12-04" in clocks  # 5 working days from Friday 27 November
    assert "13900000111" not in page.content()
    act(page, "dispatch", unit=str(world.units["enforcement"].pk), dispatched_on="2026-11-27")
    assert page.get_by_test_id("state").inner_text() == "已派单待签收"
    logout(page)

    login(page, base, "t-officer", PASSWORD)
    waiting = page.get_by_test_id("waiting-demands-workorder")
    assert waiting.is_visible()
    page.get_by_role("link", name=str(order)).click()
    act(page, "accept", accepted_on="2026-11-30")
    fold = page.locator('details[data-record="contact"]')
    fold.locator("xpath=./summary").click()
    fold.locator('[name="note"]').fill("已电话联系来电人（示例）")
    with page.expect_navigation():
        fold.locator("button[type=submit]").click()
    act(
        page,
        "reply",
        replied_on="2026-11-30",
        resolution="resolved",
        reply="已劝离占道摊贩，并安排早高峰巡查（示例）",
    )
    assert page.get_by_test_id("state").inner_text() == "已办结待回访"
    logout(page)

    login(page, base, "t-hotline", PASSWORD)
    page.goto(f"{base}{order.get_absolute_url()}")
    act(page, "close", callback_on="2026-11-30", result="satisfied")
    assert page.get_by_test_id("state").inner_text() == "已回访结案"
    timeline = page.get_by_test_id("timeline").inner_text()
    for words in ("接收12345工单", "派单", "签收", "首次联系来电人", "办结答复", "回访满意结案"):
        assert words in timeline, words
    # The figures count it, and the count leads to the order
    page.goto(f"{base}/demands/figures/?year=2026")
    row = page.get_by_test_id("figures").locator("tbody tr").first
    assert "示例街道综合行政执法队" in row.inner_text() and "100.0%" in row.inner_text()
    with page.expect_navigation():
        row.locator("td").nth(1).locator("a").click()
    assert order.number in page.get_by_test_id("ledger-table").inner_text()
