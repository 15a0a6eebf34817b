"""Batch import of disputes (all or nothing) and the district-editable taxonomy."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from core.tests.sheets import post_import, xlsx_upload
from disputes.models import Dispute, DisputeType

HEADERS = [
    "纠纷来源",
    "来源编号",
    "纠纷类型",
    "居村区划代码",
    "纠纷概要",
    "发生地址",
    "涉及金额（元）",
    "涉及人数",
    "受理时间",
    "申请人姓名",
    "申请人身份证号",
    "申请人电话",
    "被申请人姓名",
    "被申请人电话",
]


def sheet(rows):
    return xlsx_upload(HEADERS, rows, "disputes.xlsx")


GOOD = [
    "12345热线",
    "W-1",
    "邻里",
    "990100001001",
    "楼上漏水致楼下受损（示例）",
    "",
    "3000",
    "2",
    "2026-11-20 09:30",
    "张某（示例）",
    "",
    "13900000201",
    "李某（示例）",
    "",
]


def test_mediator_imports_disputes_but_not_the_directory(world, client, frozen_today):
    frozen_today(dt.date(2026, 11, 25))  # the rows are of this year (a past year goes to the history import)
    client.force_login(world.users["mediator_a"])
    page = client.get("/import/").content.decode()
    assert "矛盾纠纷导入模板" in page and "人员名册导入模板" not in page
    template = load_workbook(io.BytesIO(client.get("/import/disputes/template.xlsx").content))
    assert [c.value for c in template["数据"][1]] == HEADERS
    assert post_import(client, "disputes", sheet([GOOD, [*GOOD[:1], "W-2", *GOOD[2:]]])).succeeded
    assert Dispute.objects.count() == 2
    assert client.get("/import/people/template.xlsx").status_code == 403


def test_bad_rows_import_nothing(world, client, frozen_today):
    frozen_today(dt.date(2026, 11, 25))
    client.force_login(world.users["justice"])
    bad_type = [*GOOD[:2], "斗殴", *GOOD[3:]]
    other_street = [GOOD[0], "W-3", GOOD[2], "990100002001", *GOOD[4:]]
    bad_phone = [GOOD[0], "W-4", *GOOD[2:11], "123", *GOOD[12:]]
    done = post_import(client, "disputes", sheet([GOOD, bad_type, other_street, bad_phone]))
    assert done.failed
    page = done.page
    assert "<td>第3行</td><td>纠纷类型</td>" in page
    assert "<td>第4行</td><td>居村区划代码</td>" in page
    assert "<td>第5行</td><td>申请人电话</td>" in page
    assert Dispute.objects.count() == 0


def test_district_edits_the_taxonomy_others_cannot(world, client):
    client.force_login(world.users["district"])
    r = client.post(
        "/admin/disputes/disputetype/add/", {"code": "pets", "name": "宠物饲养", "sort": 20, "active": "on"}
    )
    assert r.status_code == 302
    assert DisputeType.objects.filter(code="pets").exists()
    client.force_login(world.users["justice"])
    assert client.get("/admin/disputes/disputetype/").status_code == 403
