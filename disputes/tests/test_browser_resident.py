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


def test_the_public_form_on_a_phone(live_server, page, world):
    from core import services as core_services
    from disputes.models import Dispute

    grid_b = core_services.region_create(
        code="990100001002001", name="示例乙第1网格", level="grid", parent=world.community_b, by=None
    )
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{base}/public/disputes/new")
    assert no_horizontal_scroll(page)
    assert page.locator("input[name=p0_phone]").get_attribute("type") == "tel"
    assert (
        page.locator("form.intake .req").count() >= 5
    )  # type, community, summary, the applicant's name, phone

    # The grid list shows the chosen community's grids only.
    page.select_option("select[name=community]", str(world.community_a.pk))
    shown = page.locator("select[name=grid] option:not([hidden])").all_inner_texts()
    assert any("示例甲第1网格" in t for t in shown) and not any("示例乙第1网格" in t for t in shown)
    page.select_option("select[name=community]", str(world.community_b.pk))
    shown = page.locator("select[name=grid] option:not([hidden])").all_inner_texts()
    assert any("示例乙第1网格" in t for t in shown) and not any("示例甲第1网格" in t for t in shown)
    page.select_option("select[name=grid]", str(grid_b.pk))

    # The summary's limit shows as one types; a landline is a phone number.
    page.select_option("select[name=dispute_type]", "neighbour")
    page.fill("textarea[name=description]", "楼上装修噪音扰民（示例）")
    assert "已输入 12 / 2000 字" in page.locator("form.intake .counter").inner_text()
    page.fill("input[name=p0_name]", "居民丙（示例）")
    page.fill("input[name=p0_phone]", "021-61234567")
    page.click("form.intake button[type=submit]")
    code = page.get_by_test_id("tracking-code").inner_text()
    d = Dispute.objects.get(tracking_code=code)
    assert d.grid_id == grid_b.pk and d.parties.get().phone == "021-61234567"


def test_a_refused_public_form_says_why_beside_the_field(live_server, page, world):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/public/disputes/new")
    page.select_option("select[name=dispute_type]", "neighbour")
    page.select_option("select[name=community]", str(world.community_a.pk))
    page.fill("textarea[name=description]", "楼上漏水（示例）")
    page.fill("input[name=p0_name]", "居民丁（示例）")
    page.fill("input[name=p0_phone]", "1390000")  # a mobile number short of digits
    page.click("form.intake button[type=submit]")
    label = page.locator("label", has=page.locator("input[name=p0_phone]"))
    assert "手机号码应为11位" in label.locator(".field-error").inner_text()
    assert page.locator("input[name=p0_name]").input_value() == "居民丁（示例）"
    assert no_horizontal_scroll(page)
