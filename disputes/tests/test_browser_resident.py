"""A resident who came to the desk follows the case with the code on the receipt, on a phone, in Chromium."""

from __future__ import annotations

import pytest

from core.tests.browser import login
from core.tests.fixtures import PASSWORD
from core.workflow import transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_code_on_the_receipt_typed_in_on_a_phone(live_server, page, world, intake):
    base = live_server.url
    d = intake(source="walk_in")
    transition(d, "triage", by=world.users["justice"], data={"route": "community"})

    # The justice office sees the code on the case page and prints the receipt.
    login(page, base, "t-justice", PASSWORD)
    page.goto(f"{base}/disputes/{d.pk}/")
    code = page.get_by_test_id("staff-tracking-code").inner_text()
    assert code == d.tracking_code
    page.get_by_test_id("receipt-link").click()
    receipt = page.get_by_test_id("receipt").inner_text()
    assert d.number in receipt and code in receipt and "/public/track/" in receipt
    page.click("form[action='/logout/'] button")

    # The resident, not signed in, on a 390 px phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/public/track/")
    assert no_horizontal_scroll(page)
    page.fill("input[name=code]", "NOSUCHCODE")
    page.click("form.public-track button[type=submit]")
    assert "未找到查询码“NOSUCHCODE”" in page.get_by_test_id("track-error").inner_text()
    assert "返回我的工作" not in page.content()

    page.fill("input[name=code]", f" {code.lower()} ")  # as read out over the phone: spaces, small letters
    page.click("form.public-track button[type=submit]")
    page.wait_for_url(f"{base}/public/track/{code}")
    assert page.get_by_test_id("public-state").inner_text() == "已研判"
    steps = page.get_by_test_id("public-steps").inner_text()
    assert "提交申请，登记受理" in steps and "研判完成" in steps
    assert "示例街道司法所" in page.get_by_test_id("office").inner_text()
    for party in d.parties.all():  # no personal data on the public page
        assert party.name not in page.content()
    assert "t-justice" not in page.content() and "justice（示例）" not in page.content()
    assert no_horizontal_scroll(page)
