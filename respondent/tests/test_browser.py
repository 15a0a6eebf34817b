"""A reconsideration through real pages: the justice office registers the copy, downloads the reply pack, replies
in time, records the annulment, the enforcement team records its rectification, and the case is closed."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from core.tests.browser import act, login
from core.tests.fixtures import PASSWORD
from core.workflow import transition
from respondent.models import RespondentCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page) -> None:
    with page.expect_navigation():
        page.click("form[action='/logout/'] button")


def record(page, kind: str, **fields: str) -> None:
    fold = page.locator(f'details[data-record="{kind}"]')
    fold.locator("xpath=./summary").click()
    for name, value in fields.items():
        fold.locator(f'[name="{name}"]').fill(value)
    with page.expect_navigation():
        fold.locator("button[type=submit]").click()


def test_a_reconsideration_from_the_copy_to_closing(live_server, page, world, enf, frozen_today):
    frozen_today(dt.date(2026, 11, 30))
    decision = enf.file(procedure="simple")
    decision = transition(
        decision,
        "decide_onsite",
        by=enf.officer,
        data={"decided_on": "2026-09-22", "outcome": "fine", "fine": "100"},
    )
    base = live_server.url
    login(page, base, "t-justice", PASSWORD)
    page.goto(f"{base}{decision.get_absolute_url()}")
    page.get_by_role("link", name="登记当事人申请复议或起诉").click()
    assert page.locator("input[name=enforcement_number]").input_value() == decision.number
    page.fill("input[name=body]", "示例区人民政府")
    page.fill("input[name=body_ref]", "示复字〔2026〕第30号")
    page.select_option("select[name=unit]", str(world.units["enforcement"].pk))
    page.fill("input[name=filed_on]", "2026-11-10")
    page.fill("input[name=received_on]", "2026-11-12")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    case = RespondentCase.objects.get()
    assert page.get_by_test_id("state").inner_text() == "已收到副本"
    clocks = " ".join(page.get_by_test_id("clock").all_inner_texts())
    assert (
        "行政复议答复期限" in clocks and "2026-11-26" in clocks
    )  # 10 working days from Thursday 12 November
    with page.expect_download() as download:
        page.get_by_test_id("pack").click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert "01-行政复议答复书.docx" in names and "02-证据目录.docx" in names
    assert any(n.endswith("行政处罚决定书.docx") for n in names)
    act(page, "reply", replied_on="2026-11-20")
    assert page.get_by_test_id("state").inner_text() == "已答复（答辩）"
    act(page, "decide", decided_on="2026-11-27", outcome="annulled", instance="first")
    assert "示例街道综合行政执法队" in page.get_by_test_id("rectification").inner_text()
    act(page, "close", closed_on="2026-11-30")
    assert "整改完成并登记整改情况后才能结案" in page.get_by_test_id("action-error").inner_text()
    logout(page)

    login(page, base, "t-officer", PASSWORD)
    page.goto(f"{base}{case.get_absolute_url()}")
    record(page, "rectify", rectified_on="2026-11-30", report="已撤回公示并重新调查（示例）")
    assert "2026-11-30完成" in page.get_by_test_id("rectification").inner_text()
    logout(page)

    login(page, base, "t-justice", PASSWORD)
    page.goto(f"{base}{case.get_absolute_url()}")
    act(page, "close", closed_on="2026-11-30")
    assert page.get_by_test_id("state").inner_text() == "已结案"
    timeline = page.get_by_test_id("timeline").inner_text()
    for words in (
        "收到行政复议申请书副本",
        "提交答复（答辩）和证据",
        "登记决定（裁判）结果",
        "整改完成",
        "结案",
    ):
        assert words in timeline, words
