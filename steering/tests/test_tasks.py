"""Key tasks: the seed-000 annex imports as the sample plan; progress with evidence; by unit; scoping."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from core.imports import ImportFailed
from steering import services
from steering.importers import PLANS
from steering.models import KeyTask, Plan, TaskProgress
from steering.sample_plan import ANNEX, PLAN_NAME, write_sample_workbook

D = dt.date


@pytest.fixture
def plan(world):
    PLANS.run(io.BytesIO(write_sample_workbook(world.street.code)), by=world.users["justice"])
    return Plan.objects.get()


def test_the_seed_000_annex_imports_as_the_sample_plan(world, plan):
    assert plan.name == PLAN_NAME and (plan.start_year, plan.end_year) == (2024, 2026)
    tasks = list(plan.tasks.order_by("number"))
    assert [(t.number, t.title) for t in tasks] == [(n, title) for n, title, *_ in ANNEX]
    assert len(tasks) == 9 and all(t.due_on == D(2026, 12, 31) for t in tasks)
    second = tasks[1]
    assert second.title == "加强法治政府建设"
    assert "做好街道重大行政决策、合同、重大行政执法决定的法制审核" in second.standards
    # 责任主体 “司法所；公职律师和法律顾问；党政办、综合行政执法队等…” links the street's units by name.
    assert {u.name for u in second.units.all()} == {"示例街道司法所", "示例街道综合行政执法队"}
    # The spreadsheet is a real .xlsx made from the import template: 9 data rows under its headers.
    wb = load_workbook(io.BytesIO(write_sample_workbook(world.street.code)))
    assert wb["数据"].max_row == 10 and wb["数据"]["E1"].value == "工作任务"


def test_a_second_import_of_the_same_plan_is_refused_whole(world, plan):
    with pytest.raises(ImportFailed) as exc:
        PLANS.run(io.BytesIO(write_sample_workbook(world.street.code)), by=world.users["justice"])
    assert len(exc.value.errors) == 9 and "序号1在该计划中已存在" in str(exc.value.errors[0])
    assert str(exc.value.errors[0]).startswith("第2行“序号”列")
    assert KeyTask.objects.count() == 9


def test_rows_outside_scope_or_malformed_name_the_column_and_write_nothing(world):
    data = write_sample_workbook(world.street.code)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["数据"]
    ws["A3"] = world.street2.code  # another street
    ws["I5"] = "2030-01-01"  # after the plan
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportFailed) as exc:
        PLANS.run(io.BytesIO(buf.getvalue()), by=world.users["justice"])
    messages = [str(e) for e in exc.value.errors]
    assert any(m.startswith("第3行“区划代码”列") and "不在您的工作范围内" in m for m in messages)
    assert any(m.startswith("第5行“完成时限”列") and "计划期内" in m for m in messages)
    assert not Plan.objects.exists() and not KeyTask.objects.exists()
    with pytest.raises(PermissionDenied, match="不能导入和维护重点任务推进计划"):  # an officer may not
        PLANS.run(io.BytesIO(data), by=world.users["officer"])
    assert not Plan.objects.exists()


def test_progress_is_reported_by_the_responsible_unit_with_evidence(world, plan, client):
    task = plan.tasks.get(number=2)  # 司法所 and 综合行政执法队 are responsible
    officer, leader = world.users["officer"], world.users["leader"]
    with pytest.raises(PermissionDenied):
        services.task_report(task=task, reported_on=D(2026, 3, 31), percent=20, note="x", by=leader)
    services.task_report(
        task=task, reported_on=D(2026, 3, 31), percent=30, note="执法公示制度上墙（示例）", by=officer
    )
    with pytest.raises(ValidationError) as exc:
        services.task_report(task=task, reported_on=D(2026, 6, 30), percent=100, note="完成", by=officer)
    assert "须附佐证" in exc.value.message_dict["evidence_file"][0]
    with pytest.raises(ValidationError) as exc:
        services.task_report(
            task=task,
            reported_on=D(2026, 6, 30),
            percent=100,
            note="完成",
            evidence_link="/no/such/page/",
            by=officer,
        )
    assert "链接无效" in exc.value.message_dict["evidence_link"][0]
    services.task_report(
        task=task,
        reported_on=D(2026, 6, 30),
        percent=100,
        note="全部完成（示例）",
        evidence_file=SimpleUploadedFile("台账.pdf", b"%PDF-1.4", content_type="application/pdf"),
        by=officer,
    )
    task.refresh_from_db()
    assert task.progress == 100 and task.last_reported_on == D(2026, 6, 30)
    assert TaskProgress.objects.filter(task=task).count() == 2
    assert TaskProgress.objects.filter(task=task).first().unit == world.units["enforcement"]
    client.force_login(officer)
    page = client.get(task.get_absolute_url()).content.decode()
    assert '<span class="state met" data-testid="task-state">按期办结</span>' in page
    assert "全部完成（示例）" in page and "执法公示制度上墙（示例）" in page


def test_task_lists_by_unit_and_mine_and_scoping(world, plan, client):
    client.force_login(world.users["officer"])
    page = client.get("/steering/plans/?mine=1").content.decode()
    mine = [t.number for t in KeyTask.objects.filter(units=world.units["enforcement"])]
    assert mine == [2, 4]  # 综合行政执法队 is named in rows 2 and 4 of the annex
    assert page.count('<tr data-task="') == len(mine)
    page = client.get("/steering/plans/").content.decode()
    assert page.count('<tr data-task="') == 9
    assert 'data-testid="by-unit"' in page
    client.force_login(world.users["other"])
    assert client.get("/steering/plans/").content.decode().count('<tr data-task="') == 0
    assert client.get(plan.tasks.first().get_absolute_url()).status_code == 404


def test_overdue_when_the_due_date_passes_unfinished(world, plan):
    from steering.selectors import task_state

    task = plan.tasks.get(number=1)
    assert task_state(task, D(2026, 11, 23)) == "on_time"
    assert task_state(task, D(2027, 1, 1)) == "overdue"


@pytest.mark.django_db
def test_demo_imports_the_plan_and_enters_manual_indicators(client):
    from django.utils import timezone

    from core.demo import load_demo
    from core.models import Region, User
    from steering.demo import generate_steering

    load_demo()
    street = Region.objects.get(code="990100001")
    generate_steering(street, seed=1)
    assert KeyTask.objects.filter(plan__region=street).count() == 9
    assert TaskProgress.objects.exists() and KeyTask.objects.filter(progress__gt=0).count() == 9
    client.force_login(User.objects.get(username="demo-district"))
    year = timezone.localdate().year
    body = client.get(f"/api/v1/indicators?region={street.parent_id}&year={year}").json()
    manual = {i["code"]: i for i in body["indicators"] if i["source"] == "manual"}
    assert manual["district.09"]["value"] == "100.00" and manual["district.09"]["status"] == "met"
    assert manual["district.01"]["status"] == "missing"
