"""Menus shaped by role, in Chromium: a mediator's menu holds their daily work only; a leader's the overview; on a
phone the menu is a drawer and a case list becomes cards."""

from __future__ import annotations

import pytest

from core.tests.browser import login
from core.tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def menu(page) -> list[str]:
    return [t.strip() for t in page.get_by_test_id("menu").locator(":scope > a").all_inner_texts()]


def test_the_menu_of_a_mediator_and_of_a_leader(live_server, page, world):
    login(page, live_server.url, "t-mediator_a", PASSWORD)
    assert menu(page) == ["我的工作", "矛盾纠纷", "工作日历"]
    assert "接口文档" not in page.get_by_test_id("menu").inner_text()
    assert "驾驶舱" not in page.get_by_test_id("menu").inner_text()
    # The home page's shortcuts are the same daily work
    assert page.get_by_test_id("shortcuts").locator("a").all_inner_texts() == ["矛盾纠纷", "工作日历"]
    page.click("form[action='/logout/'] button")

    login(page, live_server.url, "t-leader", PASSWORD)
    main = menu(page)
    assert main[:6] == ["我的工作", "驾驶舱", "法治指标", "重点任务", "年度报告", "矛盾纠纷"]
    assert "人员名册" in main and "数据导入" not in main
    assert page.get_by_test_id("shortcuts").locator("a").all_inner_texts()[:4] == [
        "驾驶舱",
        "法治指标",
        "重点任务",
        "年度报告",
    ]
    page.click("form[action='/logout/'] button")

    login(page, live_server.url, "t-justice", PASSWORD)
    page.get_by_test_id("menu").locator("summary", has_text="更多").click()
    more = page.get_by_test_id("menu-more").inner_text()
    assert "数据导入" in more and "接口令牌" in more and "接口文档" in more


def test_on_a_phone_the_menu_is_a_drawer_and_lists_are_cards(live_server, page, world, intake):
    import datetime as dt

    from administration import services as administration

    intake()
    administration.review_submit(
        by=world.users["justice"],
        kind="contract",
        title="示例物业服务合同",
        unit_id=world.units["leadership"].pk,
        submitted_on=dt.date(2026, 10, 12),
        materials="合同文本",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, "t-justice", PASSWORD)
    assert not page.get_by_test_id("menu").is_visible()
    page.locator("details[data-drawer] > summary").click()
    assert page.get_by_test_id("menu").is_visible()
    page.goto(f"{live_server.url}/disputes/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row = page.get_by_test_id("ledger-table").locator("tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    # Every other list too: the home page's waiting work and the legality reviews, each cell with its label
    for path, testid in (("/", "work-waiting"), ("/administration/reviews/", "ledger-table")):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        table = (
            page.get_by_test_id(testid).locator("table").first
            if testid == "work-waiting"
            else page.get_by_test_id(testid)
        )
        cell = table.locator("tbody tr td").first
        assert cell.evaluate("c => getComputedStyle(c).display") == "block", path
        assert cell.get_attribute("data-label"), path
