"""Legality review and a normative document through real pages, including the hard guard."""

from __future__ import annotations

import pytest

from administration.models import ReviewItem
from core import services as core_services
from core.demo import DEMO_PASSWORD, load_demo
from core.models import Person, Unit
from core.models.people import PersonKind
from core.tests.browser import act, login

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


def _logout(page):
    page.click("form[action='/logout/'] button")


def test_major_decision_and_its_catalogue_through_pages(live_server, page):
    """The yearly catalogue and one decision's whole walk, each step in the browser, with the refusals."""
    from administration.models import MajorDecision

    load_demo()
    base = live_server.url
    office = Unit.objects.get(name="示例街道党工委办事处")
    lawyer = Person.objects.filter(kind="public_lawyer", legal_qualification=True).first()
    login(page, base, "demo-justice", DEMO_PASSWORD)
    page.goto(f"{base}/administration/decisions/?year=2026")
    assert "2026年度尚未编制决策目录" in page.content()
    page.fill("input[name=title]", "社区养老服务设施布局规划（示例）")
    page.select_option("select[name=unit_id]", str(office.pk))
    with page.expect_navigation():
        page.click("form.card button")
    decision = MajorDecision.objects.get()
    assert page.get_by_test_id("state").inner_text() == "起草中"
    act(page, "open_comment", published_on="2026-06-01", days="20")
    assert "不少于30日" in page.get_by_test_id("action-error").inner_text()
    page.goto(f"{base}{decision.get_absolute_url()}")
    act(page, "open_comment", published_on="2026-06-01", days="30")
    act(
        page,
        "close_comment",
        closed_on="2026-07-01",
        expert_review="已组织专家论证",
        risk_assessment="风险可控",
    )
    assert page.get_by_test_id("state").inner_text() == "合法性审查"
    decision.refresh_from_db()
    page.goto(f"{base}{decision.review.get_absolute_url()}")
    act(page, "assign", reviewer=str(lawyer.pk))
    act(page, "give_opinion", conclusion="lawful", opinion_on="2026-07-10")
    page.goto(f"{base}{decision.get_absolute_url()}")
    act(
        page,
        "record_discussion",
        meeting="党工委会议",
        held_on="2026-07-15",
        speakers="书记、主任、司法所所长",
    )
    _logout(page)

    login(page, base, "demo-leader", DEMO_PASSWORD)
    page.goto(f"{base}{decision.get_absolute_url()}")
    act(page, "decide", decided_on="2026-07-20")
    assert page.get_by_test_id("state").inner_text() == "已决定"
    page.goto(f"{base}/administration/decisions/?year=2026")
    act(page, "approve", meeting="党工委会议", approved_on="2026-01-20")
    assert page.get_by_test_id("catalogue-state").inner_text() == "已审定"
    _logout(page)

    login(page, base, "demo-justice", DEMO_PASSWORD)
    page.goto(f"{base}/administration/decisions/?year=2026")
    act(page, "publish", published_on="2026-01-10", where="街道门户网站")
    assert "公布日期不能早于审定日期" in page.get_by_test_id("action-error").inner_text()
    page.goto(f"{base}/administration/decisions/?year=2026")
    act(page, "publish", published_on="2026-01-25", where="街道门户网站")
    catalogue = page.get_by_test_id("catalogue")
    assert "已公布" in catalogue.inner_text() and "2026-01-25，街道门户网站" in catalogue.inner_text()
    # Once the catalogue is approved, a new item needs the reason for the adjustment.
    page.fill("input[name=title]", "菜场改造方案（示例）")
    page.select_option("select[name=unit_id]", str(office.pk))
    with page.expect_navigation():
        page.click("form.card button")
    assert "增补事项须说明目录调整理由" in page.get_by_role("alert").inner_text()
    page.fill("input[name=adjustment_reason]", "区政府年中部署新增（示例）")
    with page.expect_navigation():
        page.click("form.card button")
    assert MajorDecision.objects.count() == 2
    page.goto(f"{base}{decision.get_absolute_url()}")
    act(page, "publish", published_on="2026-07-25", where="街道门户网站")
    act(page, "archive")
    act(page, "post_evaluate", evaluated_on="2026-11-01", evaluation="实施效果良好（示例）")
    assert page.get_by_test_id("evaluation").inner_text() == "2026-11-01：实施效果良好（示例）"
    assert page.get_by_test_id("state").inner_text() == "已归档"


def test_normative_document_lifecycle_and_cleanup_through_pages(live_server, page):
    from administration.models import NormativeDocument

    load_demo()
    base = live_server.url
    office = Unit.objects.get(name="示例街道党工委办事处")
    lawyer = Person.objects.filter(kind="public_lawyer", legal_qualification=True).first()
    login(page, base, "demo-justice", DEMO_PASSWORD)
    page.goto(f"{base}/administration/normative/")
    form = page.get_by_test_id("draft-form")
    form.locator("input[name=title]").fill("示例街道文明养宠管理办法（示例）")
    form.locator("select[name=unit_id]").select_option(str(office.pk))
    with page.expect_navigation():
        form.locator("button").click()
    doc = NormativeDocument.objects.get()
    act(page, "open_comment", published_on="2026-08-03", days="30")
    act(page, "close_comment", closed_on="2026-09-03")
    doc.refresh_from_db()
    page.goto(f"{base}{doc.review.get_absolute_url()}")
    act(page, "assign", reviewer=str(lawyer.pk))
    act(page, "give_opinion", conclusion="lawful", opinion_on="2026-09-10")
    page.goto(f"{base}{doc.get_absolute_url()}")
    act(page, "deliberate", meeting="主任办公会", held_on="2026-09-15")
    _logout(page)
    login(page, base, "demo-leader", DEMO_PASSWORD)
    page.goto(f"{base}{doc.get_absolute_url()}")
    act(page, "publish", doc_number="示街规〔2026〕1号", published_on="2026-09-20", effective_on="2026-10-01")
    assert page.get_by_test_id("state").inner_text() == "已公布施行"
    act(page, "evaluate", evaluated_on="2026-09-01", evaluation="建议继续有效（示例）")
    assert "评估日期不能早于公布日期" in page.get_by_test_id("action-error").inner_text()
    page.goto(f"{base}{doc.get_absolute_url()}")
    act(page, "evaluate", evaluated_on="2026-10-30", evaluation="上位法修改，建议废止（示例）")
    assert page.get_by_test_id("evaluation").inner_text() == "2026-10-30：上位法修改，建议废止（示例）"
    page.goto(f"{base}/public/normative/")
    assert "示例街道文明养宠管理办法（示例）" in page.content()

    page.goto(f"{base}/administration/normative/")
    cleanup = page.get_by_test_id("cleanup-form")
    cleanup.locator("select[name=region]").select_option(label="示例街道")
    cleanup.locator("input[name=started_on]").fill("2026-11-02")
    with page.expect_navigation():
        cleanup.locator("button").click()
    row = page.locator(f'tr[data-doc="{doc.pk}"]')
    row.locator("select[name=decision]").select_option("abolish")
    with page.expect_navigation():
        row.locator("button").click()
    assert "决定修订或废止的，请说明理由" in page.locator(".messages").inner_text()
    row = page.locator(f'tr[data-doc="{doc.pk}"]')
    row.locator("select[name=decision]").select_option("abolish")
    row.locator("input[name=note]").fill("上位法已修改（示例）")
    with page.expect_navigation():
        row.locator("button").click()
    assert row.get_by_test_id("decision").inner_text() == "废止"
    assert page.get_by_test_id("decided").inner_text() == "1"


def test_contract_and_meeting_through_pages_feed_the_indicators(live_server, page):
    from django.utils import timezone

    load_demo()
    base = live_server.url
    year = timezone.localdate().year
    office = Unit.objects.get(name="示例街道党工委办事处")
    lawyer = Person.objects.filter(kind="public_lawyer", legal_qualification=True).first()
    login(page, base, "demo-justice", DEMO_PASSWORD)
    page.goto(f"{base}/administration/contracts/")
    values = {
        "title": "社区食堂委托运营合同（示例）",
        "submitted_on": f"{year}-03-02",
        "counterparty": "示例餐饮管理有限公司",
        "counterparty_uscc": "91350100M000100Y44",  # wrong check digit
        "amount": "86000",
        "contract_type": "委托运营",
        "term_start": f"{year}-04-01",
        "term_end": f"{year + 1}-03-31",
    }
    for name, value in values.items():
        page.fill(f"[name={name}]", value)
    page.select_option("select[name=unit_id]", str(office.pk))
    with page.expect_navigation():
        page.click("form.card button")
    assert "校验位" in page.get_by_role("alert").inner_text()
    page.fill("[name=counterparty_uscc]", "91350100M000100Y43")
    with page.expect_navigation():
        page.click("form.card button")
    act(page, "assign", reviewer=str(lawyer.pk))
    act(page, "give_opinion", conclusion="lawful", opinion_on=f"{year}-03-09")
    assert page.get_by_test_id("state").inner_text() == "已出具意见"

    page.goto(f"{base}/administration/meetings/")
    page.select_option("select[name=region]", label="示例街道")
    page.fill("[name=held_on]", f"{year}-05-12")
    page.fill("[name=attendee]", "司法所所长（示例）")
    page.fill("[name=topics]", "老旧小区改造资金使用（示例）")
    page.fill("[name=suggestions]", "资金拨付须经合法性审查\n签订书面协议明确责任")
    with page.expect_navigation():
        page.click("form.card button")
    assert "1</strong> 次，提出法律建议 <strong>2</strong> 条" in page.content()

    page.goto(f"{base}/indicators/?year={year}")
    row = page.locator('tr[data-code="administration.contracts_amount"]')
    assert row.get_by_test_id("value").inner_text().startswith("86000")
    assert (
        page.locator('tr[data-code="administration.meeting_suggestions"]')
        .get_by_test_id("value")
        .inner_text()
        == "2 条"
    )
    assert page.locator('tr[data-code="district.09"]').get_by_test_id("manual").is_visible()
    with page.expect_navigation():
        page.locator('tr[data-code="administration.contracts_reviewed"] [data-testid=value] a').click()
    assert page.get_by_test_id("record-count").inner_text() == "1"
    assert "社区食堂委托运营合同（示例）" in page.get_by_test_id("records").inner_text()
