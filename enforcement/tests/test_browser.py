"""A case from 立案 to archive through real pages, as the officer, the justice office and the reviewer would."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document

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
    # The file as it is bound: the index lists every step's document in order, with its number and date; the
    # cover names the case and counts the items
    with page.expect_download() as download:
        page.get_by_role("link", name="卷内文件目录（.docx）").click()
    rows = [[c.text for c in r.cells] for r in Document(download.value.path()).tables[0].rows[1:]]
    assert [r[1] for r in rows] == [
        "立案审批表",
        "行政处罚事先告知书",
        "法制审核意见书",
        "集体讨论记录",
        "行政处罚决定书",
        "送达回证",
        "罚款缴纳凭证",
        "行政处罚决定公示记录",
        "结案审批表",
    ]
    assert rows[0][:4] == ["1", "立案审批表", case.number, "2026年11月2日"]
    assert rows[4][2] == case.decision_number and rows[-1][3] == "2026年11月23日"
    assert rows[2][2] == case.review.opinion_number != ""
    with page.expect_download() as download:
        page.get_by_role("link", name="卷宗封面（.docx）").click()
    cover = Document(download.value.path())
    text = "\n".join(
        [p.text for p in cover.paragraphs] + [c.text for r in cover.tables[0].rows for c in r.cells]
    )
    assert "示例业主丙擅自搭建建筑物、构筑物案" in text
    assert "共9件（见卷内文件目录）" in text and case.decision_number in text


def test_an_evaluation_campaign_through_the_pages(live_server, page, world, enf, frozen_today):
    from core.workflow import transition
    from enforcement import services as enforcement_services

    frozen_today(dt.date(2026, 11, 30))
    files = []
    for n, id_number in enumerate(("11010519491231002X", "110105194912310038")):
        case = enf.file(procedure="simple", party_name=f"示例摊主{n}", party_id_number=id_number)
        case = transition(
            case, "decide_onsite", by=enf.officer, data={"decided_on": "2026-09-22", "outcome": "warning"}
        )
        enforcement_services.case_publish(
            by=enf.officer, case=case, published_on=dt.date(2026, 9, 28), where="街道门户网站"
        )
        case.refresh_from_db()
        files.append(transition(case, "close", by=enf.officer, data={"closed_on": "2026-10-09"}))
    base = live_server.url
    login(page, base, "t-justice", PASSWORD)
    page.goto(f"{base}/enforcement/evaluations/")
    page.select_option("select[name=region]", str(world.street.pk))
    page.select_option("select[name=kind]", "campaign")
    page.fill("input[name=title]", "2026年度行政执法案卷评查")
    with page.expect_navigation():
        page.click("form.card button")
    form = page.get_by_test_id("evaluate")
    scores = {
        "binding": "5",
        "writing": "9",
        "seals": "5",
        "filing": "10",
        "investigation": "18",
        "notice": "10",
        "review": "8",
        "decision": "13",
        "service": "14",
    }

    def score(case, veto: str | None = None, **override: str) -> None:
        form.locator("select[name=case]").select_option(str(case.pk))
        for code, value in {**scores, **override}.items():
            form.locator(f"input[name=score_{code}]").fill(value)
        if veto:
            form.locator(f'input[name=vetoes][value="{veto}"]').check()
        invalid = form.evaluate("f => [...f.elements].filter(e => !e.checkValidity()).map(e => e.name)")
        assert invalid == [], invalid
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

    # Above the item's 20 points the page itself refuses (the service refuses too: test_evaluation)
    form.locator("input[name=score_investigation]").fill("25")
    assert form.locator("input[name=score_investigation]").evaluate("e => e.checkValidity()") is False
    score(files[0])
    assert (
        "92分，合格" in page.locator(".messages").inner_text()
        or "92.0分，合格" in page.locator(".messages").inner_text()
    )
    score(files[1], veto="evidence")
    summary = page.get_by_test_id("summary").inner_text()
    assert "已评查 2 卷，合格 1 卷" in summary and "主要证据不足 1 卷" in summary
    weakest = page.get_by_test_id("weak-items").locator("tbody tr").first.inner_text()
    assert "法制审核和集体讨论" in weakest and "80.0%" in weakest
    assert "执法队员wang（示例）" in page.get_by_test_id("by-officer").inner_text()
