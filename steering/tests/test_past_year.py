"""A street's past year (2025) entered through the templates and the API, then its annual report (issue 11).

Time is frozen on 2026-02-10. The 2025 key-task plan, its progress as reported in 2025, the manual indicator
values and the open-government ledger are imported; the 2025 annual report states exactly their figures,
shows the progress reported in 2025 even after a 2026 report, and is signed with the date the user sets.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from docx import Document

from core import services as core_services
from core.imports import IMPORTERS, ImportFailed
from core.models import ChangeLog, ImportedRecord, IndicatorEntry
from core.tests.sheets import post_import
from disclosure.tests import past_year as ledger
from steering import services
from steering.models import KeyTask, TaskProgress

D = dt.date
TODAY = D(2026, 2, 10)
PLAN = "法治建设三年行动计划重点任务推进清单（2024-2026年）"

TASKS = [
    dict(region=ledger.STREET, plan=PLAN, years="2024-2026", number="1", title="健全领导体制和工作机制",
         standards="党政主要负责人年度述法", responsible="司法所；党政办"),
    dict(region=ledger.STREET, plan=PLAN, years="2024-2026", number="2", title="加强法治政府建设",
         standards="重大行政决策应审必审", responsible="司法所"),
]  # fmt: skip
PROGRESS = [
    # Task 1: 30% at mid-2025, 60% for 2025's fourth quarter (reported in January 2026).
    dict(source_ref="JD-2025-01", number="1", year="2025", period="第二季度", reported_on="2025-07-05",
         percent="30", note="完成述法制度起草（示例）"),
    dict(source_ref="JD-2025-02", number="1", year="2025", period="第四季度", reported_on="2026-01-08",
         percent="60", note="党工委会议审议述法制度（示例）"),
    # Task 2: 50% for 2024, done in 2025 (evidence kept in the office's files).
    dict(source_ref="JD-2024-01", number="2", year="2024", period="全年", reported_on="2025-01-10",
         percent="50", note="建立审查台账（示例）"),
    dict(source_ref="JD-2025-03", number="2", year="2025", period="全年", reported_on="2026-01-09",
         percent="100", note="全年重大行政决策均经合法性审查（示例）", evidence_note="2025年合法性审查台账（存司法所档案）"),
]  # fmt: skip
ENTRIES = [
    dict(indicator="区委理论学习中心组专题学法次数", region=ledger.STREET, year="2025", value="3",
         evidence="党工委中心组学法记录（示例）", source_ref="ZB-2025-01"),
    dict(indicator="district.09", region=ledger.STREET, year="2025", period="全年", value="100",
         evidence="区行政复议局年度结案台账（示例）"),
]  # fmt: skip


def post_api(token: str, path: str, body: dict[str, Any]) -> Any:
    return Client(enforce_csrf_checks=True).post(
        path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def upload(client: Any, kind: str, rows: list[dict[str, Any]]) -> Any:
    """Upload on the import page: the file becomes a job (run in the request in tests); its page is returned."""
    return post_import(client, kind, ledger.workbook(kind, rows))


def _progress_rows() -> list[dict[str, str]]:
    return [{"region": ledger.STREET, "plan": PLAN, **row} for row in PROGRESS]


@pytest.fixture
def year_2025(world: Any, client: Any, frozen_today: Any) -> dict[str, Any]:
    """Every kind of 2025 record of the street, through the import page's templates and the API."""
    frozen_today(TODAY)
    client.force_login(world.users["justice"])
    token = core_services.token_issue(user=world.users["justice"], name="台账系统")
    for kind, rows in (
        ("plans", TASKS),
        ("task-progress", _progress_rows()),
        ("disclosure-requests", ledger.with_region(ledger.REQUESTS)),
        ("disclosure-proactive", ledger.with_region(ledger.PROACTIVE)),
    ):
        done = upload(client, kind, rows)
        assert done.succeeded, (kind, done.job.errors)
    for kind, records in (
        ("disclosure-requests", ledger.API_REQUESTS),
        ("indicator-entries", ENTRIES),
    ):
        r = post_api(token, f"/api/v1/imports/{kind}", {"records": records})
        assert r.status_code == 200, r.content
        assert r.json()["created"] == len(records)
    return {"client": client, "token": token}


def _docx(client: Any, world: Any, year: int, dated: str = "") -> tuple[Any, dict[str, str], list[list[str]]]:
    query = f"region={world.street.pk}&year={year}" + (f"&dated={dated}" if dated else "")
    r = client.get(f"/reports/annual.docx?{query}")
    assert r.status_code == 200, r.content[:300]
    doc = Document(io.BytesIO(r.content))
    figures = {row.cells[0].text: row.cells[1].text for row in doc.tables[-1].rows[1:]}
    tasks = [[c.text for c in row.cells] for row in doc.tables[0].rows[1:]] if len(doc.tables) > 1 else []
    return doc, figures, tasks


def test_the_2025_report_states_the_figures_of_the_input_and_the_progress_reported_in_2025(world, year_2025):
    client = year_2025["client"]
    doc, figures, tasks = _docx(client, world, 2025, dated="2026-01-20")
    # Open government: what the ledger implies (disclosure/tests/past_year.py).
    assert figures["收到政府信息公开申请数"] == "10件"
    assert figures["依申请公开及时答复率"] == "88.89%"
    assert figures["主动公开政府信息数"] == "4条"
    assert figures["主动公开及时率"] == "75%"
    assert [figures[f"依申请公开办理结果{label}"] for label, _ in _outcome_rows()] == [
        f"{n}件" for n in ledger.OUTCOMES.values()
    ]
    # Manual indicators: the imported values, with their evidence.
    assert figures["区委理论学习中心组专题学法次数"] == "3次"
    assert figures["行政复议法定审限内结案率"] == "100%"
    # Key tasks as reported in 2025: task 1 at 60% (2025 Q4), task 2 done.
    assert (figures["重点任务数"], figures["已完成重点任务"], figures["重点任务平均进度"]) == (
        "2项",
        "1项",
        "80%",
    )
    assert tasks == [
        ["1", "健全领导体制和工作机制", "60%", "2025年第四季度"],
        ["2", "加强法治政府建设", "100%", "2025年全年"],
    ]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "收到政府信息公开申请10件，依申请公开及时答复率88.89%，主动公开政府信息4条" in text
    assert "推进计划共2项重点任务，已完成1项，平均进度80%" in text
    # Signed with the date the user set, never today's.
    assert [p.text for p in doc.paragraphs][-2:] == ["示例街道", "2026年1月20日"]
    # The indicator API says the same for the same year.
    api = client.get(f"/api/v1/indicators?region={world.street.pk}&year=2025").json()
    values = {i["name"]: i for i in api["indicators"]}
    assert values["区委理论学习中心组专题学法次数"]["source"] == "manual"
    assert (
        values["区委理论学习中心组专题学法次数"]["manual_entry"]["evidence"] == "党工委中心组学法记录（示例）"
    )


def _outcome_rows() -> list[tuple[str, Any]]:
    from disclosure.annual import OUTCOME_ROWS

    return OUTCOME_ROWS


def test_a_later_report_leaves_the_2025_report_as_it_was_reported_then(world, year_2025):
    client = year_2025["client"]
    task = KeyTask.objects.get(number=1)
    services.task_report(
        task=task,
        reported_on=D(2026, 2, 5),
        percent=80,
        note="述法制度印发（示例）",
        by=world.users["justice"],
    )
    task.refresh_from_db()
    assert task.progress == 80  # today's progress
    _, figures, tasks = _docx(client, world, 2025, dated="2026-01-20")
    assert tasks[0] == ["1", "健全领导体制和工作机制", "60%", "2025年第四季度"]
    assert figures["重点任务平均进度"] == "80%"  # (60 + 100) / 2, not (80 + 100) / 2
    page = client.get(f"/reports/annual/?region={world.street.pk}&year=2025").content.decode()
    assert "60%" in page and "2025年第四季度" in page
    # The current year's report shows the 2026 report.
    _, figures_2026, tasks_2026 = _docx(client, world, 2026)
    assert tasks_2026[0][2:] == ["80%", "2026年第一季度"] and figures_2026["重点任务平均进度"] == "90%"
    # The task's page lists every report with its period; imported ones are marked.
    page = client.get(task.get_absolute_url()).content.decode()
    assert "2025年第四季度" in page and "历史数据导入" in page and "2026年第一季度" in page


def test_the_document_date_is_the_users_and_the_default_is_explained(world, year_2025):
    client = year_2025["client"]
    # 2025's report, viewed in February 2026 (still the reporting quarter): today, and the page says why.
    page = client.get(f"/reports/annual/?region={world.street.pk}&year=2025").content.decode()
    assert 'name="dated" value="2026-02-10"' in page and "2026年第一季度报告" in page
    doc, _, _ = _docx(client, world, 2025)
    assert [p.text for p in doc.paragraphs][-1] == "2026年2月10日"
    # 2024's report: the last day of its reporting quarter, not today.
    page = client.get(f"/reports/annual/?region={world.street.pk}&year=2024").content.decode()
    assert 'name="dated" value="2025-03-31"' in page and "请改为实际成文日期" in page
    doc, _, _ = _docx(client, world, 2024)
    assert [p.text for p in doc.paragraphs][-1] == "2025年3月31日"
    # The 述法 material is signed with the chosen date too.
    r = client.get(f"/reports/accountability.docx?region={world.street.pk}&year=2025&dated=2026-01-15")
    material = Document(io.BytesIO(r.content))
    assert [p.text for p in material.paragraphs][-1] == "2026年1月15日"
    assert any("2025年第四季度报送进度60%" in p.text for p in material.paragraphs)
    # A date before the report's year is refused with the reason.
    r = client.get(f"/reports/annual.docx?region={world.street.pk}&year=2025&dated=2024-12-31")
    assert r.status_code == 400 and "不能早于2025年1月1日" in r.content.decode()
    r = client.get(f"/reports/annual/?region={world.street.pk}&year=2025&dated=2025-02-30")
    assert r.status_code == 400 and "不是有效日期" in r.content.decode()


def test_retried_imports_of_progress_and_indicator_values_add_nothing(world, year_2025):
    client, token = year_2025["client"], year_2025["token"]
    before = (TaskProgress.objects.count(), IndicatorEntry.objects.count(), ImportedRecord.objects.count())
    assert upload(client, "task-progress", _progress_rows()).succeeded
    r = post_api(token, "/api/v1/imports/indicator-entries", {"records": ENTRIES})
    assert r.status_code == 200 and (r.json()["created"], r.json()["existing"]) == (0, 2)
    assert upload(client, "indicator-entries", ENTRIES).succeeded
    assert before == (
        TaskProgress.objects.count(),
        IndicatorEntry.objects.count(),
        ImportedRecord.objects.count(),
    )


def test_mixed_progress_and_indicator_files_write_nothing_and_list_every_error(world, year_2025):
    justice = world.users["justice"]
    before = (TaskProgress.objects.count(), IndicatorEntry.objects.count(), ChangeLog.objects.count())
    good = {"region": ledger.STREET, "plan": PLAN, **PROGRESS[0], "source_ref": "JD-NEW-1"}
    rows = [
        good,
        {**good, "source_ref": "JD-NEW-2", "number": "9"},  # row 3: no such task
        {**good, "source_ref": "JD-NEW-3", "period": "第五季度", "percent": "120"},  # row 4
        {**good, "source_ref": "JD-NEW-4", "year": "2025", "period": "第四季度", "reported_on": "2025-09-30"},
        {**good, "source_ref": "JD-NEW-5", "percent": "100", "note": ""},  # row 6: no evidence, no note
        {**good, "source_ref": "JD-NEW-6", "reported_on": "2026-03-01"},  # row 7: in the future
    ]
    with pytest.raises(ImportFailed) as failed:
        IMPORTERS["task-progress"].run(ledger.workbook("task-progress", rows), by=justice)
    found = {(e.row, e.column) for e in failed.value.errors}
    assert {
        (3, "任务序号"),
        (4, "报送期次"),
        (4, "完成进度（%）"),
        (5, "报送日期"),
        (6, "进展说明"),
        (7, "报送日期"),
    } <= found, sorted(found)
    assert 2 not in {r for r, _ in found}
    entries = [
        ENTRIES[0] | {"source_ref": "ZB-NEW-1", "year": "2025"},
        {**ENTRIES[0], "source_ref": "ZB-NEW-2", "value": "2.5"},  # row 3: 次 is a whole number
        {**ENTRIES[1], "indicator": "依申请公开及时答复率"},  # row 4: computed by the platform
        {**ENTRIES[1], "indicator": "不存在的指标"},  # row 5
        {**ENTRIES[1], "value": "120", "year": "2027"},  # row 6
        {**ENTRIES[1], "region": "990100002"},  # row 7: another street
    ]
    with pytest.raises(ImportFailed) as failed:
        IMPORTERS["indicator-entries"].run(ledger.workbook("indicator-entries", entries), by=justice)
    found = {(e.row, e.column) for e in failed.value.errors}
    assert {(3, "数值"), (4, "指标"), (5, "指标"), (6, "年度"), (7, "区划代码")} <= found, sorted(found)
    messages = {(e.row, e.column): e.message for e in failed.value.errors}
    assert "应为整数" in messages[(3, "数值")] and "系统根据业务记录计算" in messages[(4, "指标")]
    assert before == (TaskProgress.objects.count(), IndicatorEntry.objects.count(), ChangeLog.objects.count())
