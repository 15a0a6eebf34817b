"""Spreadsheet import: templates, all-or-nothing, errors by row and column in Chinese."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from core.clocks import calendar as cal
from core.models import ChangeLog, Person, Region, Unit
from core.tests.sheets import post_import
from core.tests.sheets import xlsx_upload as sheet

REGION_HEADERS = ["区划代码", "名称", "层级", "上级区划代码"]
PEOPLE_HEADERS = [
    "姓名",
    "名册类别",
    "所属区划代码",
    "所属单位",
    "身份证号",
    "联系电话",
    "专长",
    "法律职业资格",
    "结对居村区划代码",
    "备注",
]


def test_template_downloads_with_headers_and_help(world, client):
    client.force_login(world.users["justice"])
    r = client.get("/import/people/template.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert [c.value for c in wb["数据"][1]] == PEOPLE_HEADERS
    assert wb["填写说明"]["A1"].value == "列名"


def test_region_import_creates_subtree_in_order(world, client):
    client.force_login(world.users["justice"])
    upload = sheet(
        REGION_HEADERS,
        [
            ["990100001003", "示例丁居民区", "居村", "990100001"],
            ["990100001003001", "示例丁第1网格", "网格", "990100001003"],
        ],
    )
    done = post_import(client, "regions", upload)
    assert done.succeeded and "区域导入成功：共2行，新增2条" in done.page, done.job.summary
    grid = Region.objects.get(code="990100001003001")
    assert grid.path == world.street.path + "990100001003/990100001003001/"


def test_bad_rows_write_nothing_and_are_listed_by_row_and_column(world, client):
    client.force_login(world.users["justice"])
    people_before, log_before = Person.objects.count(), ChangeLog.objects.count()
    upload = sheet(
        PEOPLE_HEADERS,
        [
            [
                "好人（示例）",
                "人民调解员",
                "990100001001",
                "示例甲居民区人民调解委员会",
                "",
                "13900000011",
                "",
                "否",
                "",
                "",
            ],
            ["", "人民调解员", "990100001001", "", "", "", "", "", "", ""],
            ["坏号（示例）", "人民调解员", "990100001001", "", "110105194912310021", "", "", "", "", ""],
            ["越界（示例）", "人民调解员", "990100002001", "", "", "", "", "", "", ""],
            ["错类（示例）", "跳舞者", "990100001001", "", "", "", "", "可能", "", ""],
        ],
    )
    done = post_import(client, "people", upload)
    assert done.failed
    page = done.page
    assert "未导入任何数据" in page
    for row, column, text in [
        ("第3行", "姓名", "必填"),
        ("第4行", "身份证号", "校验位错误"),
        ("第5行", "所属区划代码", "不存在或不在您的管理范围内"),
        ("第6行", "名册类别", "不是可选值"),
    ]:
        assert f"<td>{row}</td><td>{column}</td><td>" in page and text in page, (row, column)
    assert Person.objects.count() == people_before
    assert ChangeLog.objects.count() == log_before


def test_wrong_file_and_wrong_headers(world, client):
    client.force_login(world.users["justice"])
    junk = io.BytesIO(b"not a spreadsheet")
    junk.name = "x.xlsx"
    assert "不是有效的 .xlsx 表格" in post_import(client, "units", junk).page
    body = post_import(client, "units", sheet(["名称"], [["x"]])).page
    assert "表头缺少此列" in body and "单位类型" in body
    assert not Unit.objects.filter(name="x").exists()


def test_unit_import_checks_uscc(world, client):
    client.force_login(world.users["justice"])
    headers = ["单位名称", "单位类型", "所在区划代码", "统一社会信用代码", "办公电话", "地址"]
    bad = post_import(
        client,
        "units",
        sheet(headers, [["示例律所（示例）", "律师事务所", "990100001", "91350100M000100Y44", "", ""]]),
    )
    assert bad.failed and "校验位错误（GB 32100）" in bad.page
    good = post_import(
        client,
        "units",
        sheet(headers, [["示例律所（示例）", "律师事务所", "990100001", "91350100M000100Y43", "", ""]]),
    )
    assert good.succeeded
    assert Unit.objects.get(name="示例律所（示例）").uscc == "91350100M000100Y43"


def test_calendar_import_loads_a_later_year(world, client):
    cal.clear_cache()
    client.force_login(world.users["district"])
    headers = ["年份", "依据通知", "日期", "类型", "节日名称"]
    rows = [[2027, "示例通知", f"2027-10-0{d}", "休", "国庆节"] for d in range(1, 8)]
    rows.append([2027, "", "2027-09-26", "班", ""])
    assert post_import(client, "calendar", sheet(headers, rows)).succeeded
    assert not cal.day_info(dt_date(2027, 10, 4)).is_working_day
    assert cal.day_info(dt_date(2027, 9, 26)).is_working_day
    assert not cal.day_info(dt_date(2027, 10, 4)).provisional
    # a justice coordinator cannot load the calendar
    client.force_login(world.users["justice"])
    assert client.post("/import/calendar/", {"file": sheet(headers, rows)}).status_code == 403


def dt_date(y, m, d):
    import datetime as dt

    return dt.date(y, m, d)


@pytest.mark.parametrize("kind", ["regions", "units", "people"])
def test_mediator_cannot_import(world, client, kind):
    client.force_login(world.users["mediator_a"])
    assert client.get(f"/import/{kind}/template.xlsx").status_code == 403


def test_a_retried_directory_import_adds_nothing(world):
    """Regions, units and people imported twice: the second run finds every row and writes nothing."""
    from core.importers import PEOPLE, REGIONS, UNITS

    justice = world.users["justice"]
    regions = sheet(REGION_HEADERS, [["990100001009", "示例庚居民区", "居村", "990100001"]])
    units = sheet(
        ["单位名称", "单位类型", "所在区划代码", "统一社会信用代码", "办公电话", "地址"],
        [["示例庚居民区人民调解委员会", "人民调解委员会", "990100001009", "", "", ""]],
    )
    people = sheet(
        PEOPLE_HEADERS,
        [
            ["李某（示例）", "人民调解员", "990100001009", "", "", "", "", "否", "", ""],
            ["李某（示例）", "人民调解员", "990100001009", "", "11010519491231002X", "", "", "否", "", ""],
        ],
    )
    first = [imp.run(f, by=justice) for imp, f in ((REGIONS, regions), (UNITS, units), (PEOPLE, people))]
    assert [(r.created, r.existing) for r in first] == [(1, 0), (1, 0), (2, 0)]
    counts = (Region.objects.count(), Unit.objects.count(), Person.objects.count(), ChangeLog.objects.count())
    again = [imp.run(f, by=justice) for imp, f in ((REGIONS, regions), (UNITS, units), (PEOPLE, people))]
    assert [(r.created, r.existing) for r in again] == [(0, 1), (0, 1), (0, 2)]
    assert (
        Region.objects.count(),
        Unit.objects.count(),
        Person.objects.count(),
        ChangeLog.objects.count(),
    ) == counts
    assert "2条此前已导入" in again[2].summary("人员名册")
