"""A case from 立案 to archive through real pages, as the officer, the justice office and the reviewer would."""

from __future__ import annotations

import datetime as dt

import pytest

from core import services as core_services
from core.models.people import PersonKind
from core.tests.browser import act, login
from core.tests.fixtures import PASSWORD
from enforcement.models import EnforcementCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record(page, kind: str, **fields: str) -> None:
    fold = page.locator(f'details[data-record="{kind}"]')
    fold.locator("xpath=./summary").click()
    for name, value in fields.items():
        fold.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation():
        fold.locator("button[type=submit]").click()


def test_a_case_from_filing_to_archive(live_server, page, world, enf, frozen_today):
    frozen_today(dt.date(2026, 11, 30))
    base = live_server.url
    lawyer = core_services.person_create(
        by=None,
        name="公职律师（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=world.street,
        legal_qualification=True,
    )
    login(page, base, "t-officer", PASSWORD)
    page.goto(f"{base}/enforcement/")
    page.get_by_role("link", name="立案或登记简易程序案件").click()
    page.select_option("select[name=procedure]", "ordinary")
    page.select_option("select[name=source]", "complaint")
    page.select_option("select[name=item]", str(enf.items["building"].pk))
    page.select_option("select[name=community]", str(world.community_a.pk))
    page.fill("input[name=party_name]", "示例业主丙")
    page.fill("textarea[name=facts]", "在示例小区屋顶擅自搭建彩钢板房约20平方米（示例）")
    page.fill("input[name=offence_on]", "2026-10-28")
    page.fill("input[name=filed_on]", "2026-11-02")
    page.check(f'input[name=officers][value="{enf.people["wang"].pk}"]')
    page.check(f'input[name=officers][value="{enf.people["li"].pk}"]')
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    case = EnforcementCase.objects.get()
    assert page.get_by_test_id("state").inner_text() == "已立案"
    assert "须经法制审核（第58条），尚未送审" in page.get_by_test_id("review").inner_text()
    act(page, "notify", notified_on="2026-11-04", proposed="拟处罚款3000元", hearing_right="no")
    assert page.get_by_test_id("state").inner_text() == "已事先告知"
    # Deciding before the review is refused, the form kept
    act(page, "decide", decided_on="2026-11-06", outcome="fine", fine="3000")
    assert "须经法制审核" in page.get_by_test_id("action-error").inner_text()
    page.goto(f"{base}{case.get_absolute_url()}")
    record(page, "review", submitted_on="2026-11-05")
    assert "已送法制审核" in page.locator(".messages").inner_text()
    assert "已送审" in page.get_by_test_id("review").inner_text()
    page.click("form[action='/logout/'] button")

    case.refresh_from_db()
    login(page, base, "t-justice", PASSWORD)
    page.goto(f"{base}{case.review.get_absolute_url()}")
    act(page, "assign", reviewer=str(lawyer.pk))
    page.click("form[action='/logout/'] button")
    login(page, base, "t-reviewer", PASSWORD)
    page.goto(f"{base}{case.review.get_absolute_url()}")
    act(page, "give_opinion", conclusion="lawful", opinion_on="2026-11-10")
    page.click("form[action='/logout/'] button")

    login(page, base, "t-officer", PASSWORD)
    page.goto(f"{base}{case.get_absolute_url()}")
    act(page, "decide", decided_on="2026-11-12", outcome="fine", fine="3000")
    assert page.get_by_test_id("state").inner_text() == "已作出决定"
    act(page, "serve", served_on="2026-11-13", method="direct")
    record(page, "publish", published_on="2026-11-16", where="街道门户网站")
    record(page, "pay", paid_on="2026-11-20")
    act(page, "close", closed_on="2026-11-23")
    assert page.get_by_test_id("state").inner_text() == "已结案归档"
    steps = page.get_by_test_id("workflow-steps").locator("li")
    assert steps.last.get_attribute("aria-current") == "step" and steps.count() == 5
    timeline = page.get_by_test_id("timeline").inner_text()
    for words in ("普通程序立案", "事先告知", "送法制审核", "作出决定", "决定已公示", "缴纳罚款", "结案归档"):
        assert words in timeline, words
    case.refresh_from_db()
    assert (
        case.decision_number
        and case.paid_on == dt.date(2026, 11, 20)
        and case.closed_on == dt.date(2026, 11, 23)
    )
