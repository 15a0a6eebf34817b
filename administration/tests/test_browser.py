"""Legality review and a normative document through real pages, including the hard guard."""

from __future__ import annotations

import pytest

from administration.models import ReviewItem
from core import services as core_services
from core.demo import DEMO_PASSWORD, load_demo
from core.models import Person, Unit
from core.models.people import PersonKind
from core.tests.browser import login
from disclosure.tests.test_browser import act

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enforcement_review_refuses_an_unqualified_reviewer_and_completes(live_server, page):
    load_demo()
    base = live_server.url
    street_office = Unit.objects.get(name="示例街道司法所")
    unqualified = core_services.person_create(
        by=None, name="新干部（示例）", kind=PersonKind.STAFF, region=street_office.region, unit=street_office
    )
    qualified = Person.objects.filter(kind="public_lawyer", legal_qualification=True).first()
    login(page, base, "demo-justice", DEMO_PASSWORD)
    page.goto(f"{base}/administration/reviews/new/")
    page.select_option("select[name=kind]", "enforcement_decision")
    page.fill("input[name=title]", "对某违法建筑的强制拆除决定（示例）")
    page.select_option("select[name=unit_id]", str(Unit.objects.get(name="示例街道综合行政执法队").pk))
    page.fill("input[name=submitted_on]", "2026-09-25")
    page.fill("textarea[name=materials]", "处罚决定书草稿、调查终结报告")
    with page.expect_navigation():
        page.click("form.card button")
    act(page, "assign", reviewer=str(unqualified.pk))
    assert "行政处罚法》第58条" in page.get_by_test_id("action-error").inner_text()
    item = ReviewItem.objects.get()
    page.goto(f"{base}{item.get_absolute_url()}")
    act(page, "assign", reviewer=str(qualified.pk))
    assert page.get_by_test_id("state").inner_text() == "审查中"
    page.click("form[action='/logout/'] button")
    login(page, base, "demo-reviewer", DEMO_PASSWORD)
    page.goto(f"{base}{item.get_absolute_url()}")
    page.select_option("select[name=aspect]", "procedure")
    page.fill("textarea[name=finding]", "未告知当事人陈述申辩权利")
    page.fill("textarea[name=suggestion]", "补充告知程序后再作决定")
    with page.expect_navigation():
        page.click(f"form[action='/administration/reviews/{item.pk}/issues/'] button")
    act(page, "give_opinion", conclusion="lawful_with_changes", opinion_on="2026-10-09")
    assert page.get_by_test_id("state").inner_text() == "已出具意见"
    assert page.get_by_test_id("letter").is_visible()


def test_hard_guards_in_the_browser(live_server, page):
    from administration import services
    from core.models import User

    load_demo()
    base = live_server.url
    justice = User.objects.get(username="demo-justice")
    office = Unit.objects.get(name="示例街道党工委办事处")
    decision = services.decision_create(
        by=justice, year=2026, title="街区更新三年计划（示例）", unit_id=office.pk
    )
    doc = services.normative_create(by=justice, title="示例街道文明养犬管理办法（示例）", unit_id=office.pk)
    login(page, base, "demo-leader", DEMO_PASSWORD)
    page.goto(f"{base}{decision.get_absolute_url()}")
    act(page, "decide", decided_on="2026-09-30")
    assert "合法性审查尚未完成" in page.get_by_test_id("action-error").inner_text()
    page.goto(f"{base}{doc.get_absolute_url()}")
    act(page, "publish", doc_number="示街规〔2026〕1号", published_on="2026-10-09", effective_on="2026-11-01")
    assert "不得公布" in page.get_by_test_id("action-error").inner_text()
    page.goto(f"{base}/public/normative/")
    assert "示例街道文明养犬管理办法（示例）" not in page.content()
