"""The job page in headless Chromium: an upload lands on its job page with the result, and a running job's
progress bar moves by itself (htmx polling of the fragment) until the final result replaces it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core import jobs
from core.models import Job, JobState
from core.tests.browser import login
from core.tests.fixtures import PASSWORD
from core.tests.sheets import xlsx_upload
from core.tests.test_jobs import PEOPLE_HEADERS, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_upload_goes_to_the_job_page_with_its_result(live_server, page, world, tmp_path):
    base = live_server.url
    login(page, base, "t-justice", PASSWORD)
    page.get_by_test_id("menu").locator("summary", has_text="更多").click()  # folded with the other tools
    expect(page.get_by_role("link", name="后台任务")).to_be_visible()
    page.goto(f"{base}/import/")
    path = tmp_path / "人员.xlsx"
    path.write_bytes(
        xlsx_upload(PEOPLE_HEADERS, [person(f"浏览器{i}（示例）") for i in range(30)]).getvalue()
    )
    page.set_input_files('input[aria-label="人员名册导入文件"]', str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="导入人员名册").click()
    assert "/jobs/" in page.url
    expect(page.get_by_test_id("job-state")).to_have_text("已完成")
    expect(page.get_by_test_id("job-summary")).to_contain_text("人员名册导入成功：共30行，新增30条")
    expect(page.get_by_test_id("job-owner")).to_have_text("justice（示例）")
    assert page.locator("progress").get_attribute("value") == "100"


def test_a_running_job_shows_its_progress_then_its_result(live_server, page, world):
    job = Job.objects.create(
        kind="import",
        subject="people",
        title="人员名册导入",
        owner=world.users["justice"],
        region=world.street,
        input_name="名册.xlsx",
    )
    job.state = JobState.RUNNING
    job.save()
    reporter = jobs.Reporter(job)  # as the worker's engine reports its batches
    reporter(400, 1000, 0)

    base = live_server.url
    login(page, base, "t-justice", PASSWORD)
    page.goto(f"{base}/jobs/{job.pk}/")
    expect(page.get_by_test_id("job-state")).to_have_text("进行中")
    expect(page.get_by_test_id("job-counts")).to_contain_text("已处理 400 / 1000 行（40%）")
    assert page.locator("progress").get_attribute("value") == "40"

    reporter(800, 1000, 3)  # the page follows without a reload
    expect(page.get_by_test_id("job-counts")).to_contain_text("已处理 800 / 1000 行（80%）")
    expect(page.get_by_test_id("job-error-count")).to_have_text("3")
    expect(page.locator("progress")).to_have_attribute("value", "80")

    job.state = JobState.FAILED
    job.done = job.total = 1000
    job.error_count = 3
    job.errors = [
        [12, "姓名", "必填，不能为空"],
        [40, "身份证号", "校验位错误"],
        [977, "名册类别", "不是可选值"],
    ]
    job.summary = "人员名册导入未完成：发现3处错误，未导入任何数据。请按错误清单修改后重新导入。"
    job.save()
    expect(page.get_by_test_id("job-state")).to_have_text("失败")
    expect(page.get_by_test_id("job-summary")).to_contain_text("发现3处错误，未导入任何数据")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("第977行")
    expect(errors.locator("tbody tr")).to_have_count(3)
    assert page.get_by_test_id("job-progress").get_attribute("hx-trigger") is None  # polling stopped
