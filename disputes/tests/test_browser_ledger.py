"""The disputes list as a ledger, in Chromium: filtered, columns chosen, sorted, saved, exported — the .xlsx rows
are the list's rows — and a mediator accepting several assignments at once; a case page shows its steps."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.tests.browser import login
from core.tests.fixtures import PASSWORD
from core.workflow import transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _numbers(page) -> list[str]:
    table = page.get_by_test_id("ledger-table")
    return [t.strip() for t in table.locator("tbody tr td[data-label='案件编号']").all_inner_texts()]


def test_a_filtered_ledger_is_saved_and_exported_row_for_row(live_server, page, world, intake):
    base = live_server.url
    high = [intake(people_count=8, description=f"群体性欠薪纠纷第{n}起（示例）") for n in range(4)]
    for n in range(3):
        intake(description=f"楼道堆物纠纷第{n}起（示例）")
    login(page, base, "t-justice", PASSWORD)
    page.goto(f"{base}/disputes/")
    page.select_option("select[name=risk]", "high")
    chooser = page.get_by_test_id("column-chooser")
    chooser.locator("summary").click()
    chooser.locator("input[value=summary]").uncheck()  # 纠纷概要 off
    chooser.locator("input[value=people]").check()  # 涉及人数 on
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    headers = page.get_by_test_id("ledger-table").locator("thead th").all_inner_texts()
    assert "纠纷概要" not in headers and "涉及人数" in headers and "当事人" in headers
    assert int(page.get_by_test_id("result-count").inner_text()) == 4
    # Sorted by the case number, then the other way round
    with page.expect_navigation():
        page.get_by_test_id("ledger-table").locator("thead a", has_text="案件编号").click()
    ascending = _numbers(page)
    assert ascending == sorted(d.number for d in high)
    with page.expect_navigation():
        page.get_by_test_id("ledger-table").locator("thead a", has_text="案件编号").click()
    assert _numbers(page) == ascending[::-1]
    # Parties are masked on the list
    cells = page.get_by_test_id("ledger-table").locator("td[data-label='当事人']").all_inner_texts()
    assert cells and all("*" in c for c in cells) and "申请人（示例）" not in page.content()

    # Saved under a name, opened again from a bare list
    page.locator("details.save-filter summary").click()
    page.fill("details.save-filter input[name=name]", "群体纠纷")
    with page.expect_navigation():
        page.click("details.save-filter button[type=submit]")
    assert "已保存常用筛选“群体纠纷”" in page.content()
    page.goto(f"{base}/disputes/")
    assert int(page.get_by_test_id("result-count").inner_text()) == 7
    with page.expect_navigation():
        page.get_by_test_id("saved-filters").get_by_role("link", name="群体纠纷").click()
    assert _numbers(page) == ascending[::-1]

    # Exported: the file holds exactly the list's rows in its order and its chosen columns, less personal data
    with page.expect_navigation():
        page.get_by_test_id("export").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载结果文件").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert "当事人" not in header and "纠纷概要" not in header and "涉及人数" in header
    assert [r[0] for r in rows[1:]] == ascending[::-1]
    assert [r[header.index("涉及人数")] for r in rows[1:]] == [8, 8, 8, 8]
    assert sheet.page_setup.orientation == "landscape" and sheet.freeze_panes == "A2"
    assert sheet.cell(row=2, column=header.index("受理时间") + 1).number_format == "yyyy-mm-dd hh:mm"


def test_a_mediator_accepts_several_assignments_at_once(live_server, page, world, intake):
    justice = world.users["justice"]
    cases = []
    for n in range(3):
        d = intake(description=f"相邻通行纠纷第{n}起（示例）")
        d = transition(d, "triage", by=justice, data={"route": "community"})
        d = transition(
            d,
            "assign",
            by=justice,
            data={"committee": str(world.units["committee_a"].pk), "mediators": [str(world.people["a"].pk)]},
        )
        cases.append(d)
    login(page, live_server.url, "t-mediator_a", PASSWORD)
    page.goto(f"{live_server.url}/disputes/?queue=unit")
    form = page.get_by_test_id("bulk-form")
    assert page.get_by_test_id("result-count").inner_text() == "3"
    form.locator("[data-check-all]").check()
    assert form.locator("[data-bulk-count]").inner_text() == "3"
    fold = form.locator("details[data-bulk=accept]")
    fold.locator("summary").click()
    with page.expect_navigation():
        fold.get_by_role("button", name="批量接受分派").click()
    assert "已批量接受分派3件" in page.content()
    for d in cases:
        d.refresh_from_db()
        assert d.state == "mediating"

    # A case page shows where the case stands and offers the next step first
    page.goto(f"{live_server.url}{cases[0].get_absolute_url()}")
    steps = page.get_by_test_id("workflow-steps").locator("li")
    assert steps.all_inner_texts()[:4] == ["已登记", "已研判", "已分派", "调解中"]
    assert steps.nth(3).get_attribute("aria-current") == "step"
    assert "done" in (steps.nth(2).get_attribute("class") or "")
    assert page.locator("details.other-actions").evaluate("d => d.open") is False
    assert page.locator('form[data-action="terminate"]').is_visible() is False  # folded until asked for
