"""A request on application through real pages: receive (post, 第31条) → 补正 → completed → answer → letter."""

from __future__ import annotations

import pytest
from docx import Document

from core.demo import DEMO_PASSWORD, load_demo
from core.tests.browser import act, login
from disclosure.models import DisclosureRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_through_pages(live_server, page):
    load_demo()
    base = live_server.url
    login(page, base, "demo-justice", DEMO_PASSWORD)
    page.goto(f"{base}/disclosure/new/")
    page.select_option("select[name=region]", label="示例街道")
    page.select_option("select[name=channel]", "post")
    page.fill("input[name=submitted_on]", "2026-09-22")
    page.select_option("select[name=applicant_kind]", "person")
    page.fill("input[name=applicant_name]", "申请人（示例）")
    page.fill("textarea[name=content]", "示例街道2026年老旧小区加装电梯补贴发放情况")
    with page.expect_navigation():
        page.click("form.card button")
    assert "签收日期" in page.content()  # 第31条: posted requests need the signed-for date
    page.fill("input[name=signed_on]", "2026-09-25")
    with page.expect_navigation():
        page.click("form.card button")
    assert page.get_by_test_id("state").inner_text() == "办理中"
    assert "2026-10-29" in page.content()  # 20 WD across 国庆
    act(page, "request_correction", items="请写明所需信息的文号", sent_on="2026-09-28", deadline="2026-10-20")
    assert page.get_by_test_id("state").inner_text() == "待补正"
    with page.expect_download() as download:
        page.get_by_test_id("correction-letter").click()
    notice = "\n".join(p.text for p in Document(str(download.value.path())).paragraphs)
    assert "补正告知书" in notice and "请写明所需信息的文号" in notice and "2026年10月20日前" in notice
    assert "第三十条" in notice and "2026年9月28日" in notice  # signed on the day it was sent
    act(page, "complete_correction", completed_on="2026-10-12")
    assert "2026-11-09" in page.content()  # restarted from the completed request
    act(
        page,
        "answer",
        answer_type="not_ours",
        detail="该信息由示例区房屋管理局负责公开。",
        answered_on="2026-10-20",
    )
    assert page.get_by_test_id("state").inner_text() == "已答复"
    with page.expect_download() as download:
        page.get_by_test_id("letter").click()
    text = "\n".join(p.text for p in Document(str(download.value.path())).paragraphs)
    req = DisclosureRequest.objects.get()
    assert "政府信息公开申请答复书" in text and req.letter_number in text and "第三十六条第（五）项" in text
    # Addressed to the person who asked; the remedies name the bodies that hear them.
    assert "收到您提出" in text and "您（单位）" not in text and "。。" not in text
    assert "向示例区人民政府申请行政复议" in text and "向示例区人民法院提起行政诉讼" in text
