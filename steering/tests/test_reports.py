"""Reports from the records: the annual report's numbers equal the indicator API's; editing; the quarterly
workbook and the 述法 material."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from docx import Document
from openpyxl import load_workbook

from disputes.tests.conftest import intake  # noqa: F401
from disputes.tests.test_stats import september  # noqa: F401
from steering.tests.test_indicators import administration_and_disclosure  # noqa: F401

NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _api_texts(client, region, year):
    body = client.get(f"/api/v1/indicators?region={region.pk}&year={year}").json()
    return {i["code"]: i for i in body["indicators"]}


def _docx(client, region, year):
    doc = Document(io.BytesIO(client.get(f"/reports/annual.docx?region={region.pk}&year={year}").content))
    table = doc.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows][1:]
    return doc, rows


def test_every_number_in_the_annual_report_equals_the_indicator_api(
    world,
    client,
    september,  # noqa: F811
    administration_and_disclosure,  # noqa: F811
):
    client.force_login(world.users["justice"])
    api = _api_texts(client, world.street, 2026)
    doc, rows = _docx(client, world.street, 2026)
    by_label = {row[0]: row[1] for row in rows}
    assert by_label["受理矛盾纠纷数"] == "5件"  # d1-d4 in September and d5 in August
    assert by_label["调解成功率"] == "66.67%"
    assert by_label["合同审核金额"] == "150000.50元"
    assert by_label["依申请公开及时答复率"] == "50%"
    # Each appendix figure equals the API's value for the same indicator, region and year.
    names = {i["name"]: i for i in api.values()}
    assert (
        by_label.pop("尚未填报的手工指标") == "16项"
    )  # the district rows no module computes (steering/tests/test_indicators.py)
    for label, text in by_label.items():
        item = names[label]
        if text == "无数据":
            assert item["value"] is None, label
        else:
            assert Decimal(NUMBER.search(text).group()) == Decimal(item["value"]), label
    # Every number in the narrative is one of those figures (or the report's years).
    allowed = {m.group() for t in by_label.values() if (m := NUMBER.search(t))} | {"2026", "2027", "16"}
    texts = [p.text for p in doc.paragraphs]
    narrative = "\n".join(
        texts[: texts.index("附件：数据来源")]
    )  # the four parts (the date follows the appendix)
    assert "二、推进法治政府建设的主要举措和成效" in narrative
    for number in NUMBER.findall(narrative):
        assert number in allowed, number
    # Manual indicators nobody entered are not printed as figures, and are named as a shortcoming.
    assert "“三重一大”事项提交区委常委会审议率" not in by_label
    assert "项指标尚无业务模块计算且未填报" in narrative


def test_narrative_follows_the_figures_and_editing_is_kept(world, client, september):  # noqa: F811
    client.force_login(world.users["justice"])
    page = client.get(f"/reports/annual/?region={world.street.pk}&year=2026").content.decode()
    assert "调解成功率为66.67%，未达到目标。" in page
    assert "着力改进“调解成功率”" in page
    # With a target the street meets, the shortcoming and the plan item disappear.
    client.post(
        "/indicators/disputes.success_rate/target/",
        {
            "region": world.street.pk,
            "from": "2026-01-01",
            "to": "2026-12-31",
            "text": "≥60%",
            "reason": "示例",
        },
    )
    page = client.get(f"/reports/annual/?region={world.street.pk}&year=2026").content.decode()
    assert "调解成功率为66.67%，未达到目标。" not in page and "着力改进“调解成功率”" not in page
    # Edit and save: the export uses the edited text.
    form = {
        "region": world.street.pk,
        "year": 2026,
        "digest": re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1),
        "part1": "主要负责人亲自部署（示例编辑）。",
        "part2": "主要举措（示例编辑）。",
        "part3": "不足（示例编辑）。",
        "part4": "",
        "action": "save",
    }
    r = client.post("/reports/annual/", form)
    assert (
        r.status_code == 400
        and "四、下一年度推进法治政府建设的主要安排：该部分不能为空" in r.content.decode()
    )
    form["part4"] = "下一年度安排（示例编辑）。"
    assert client.post("/reports/annual/", form).status_code == 302
    doc, _ = _docx(client, world.street, 2026)
    assert "主要负责人亲自部署（示例编辑）。" in [p.text for p in doc.paragraphs]
    # New records after saving: the page warns that the figures changed.
    from disputes import services as dispute_services
    from disputes.tests.conftest import at, party

    dispute_services.dispute_intake(
        by=world.users["justice"],
        source="walk_in",
        dispute_type="neighbour",
        community=world.community_a.pk,
        description="新受理（示例）",
        received_at=at(2026, 10, 8),
        parties=[party()],
    )
    page = client.get(f"/reports/annual/?region={world.street.pk}&year=2026").content.decode()
    assert 'data-testid="stale"' in page
    client.post("/reports/annual/", {"region": world.street.pk, "year": 2026, "action": "regenerate"})
    page = client.get(f"/reports/annual/?region={world.street.pk}&year=2026").content.decode()
    assert 'data-testid="drafted"' in page and "全年受理矛盾纠纷6件" in page
    # Read-only for a leader: no save button, and a post is refused.
    client.force_login(world.users["leader"])
    assert (
        "保存编辑稿</button>"
        not in client.get(f"/reports/annual/?region={world.street.pk}&year=2026").content.decode()
    )
    form["action"] = "save"
    assert "不能编辑和保存年度报告" in client.post("/reports/annual/", form).content.decode()


def test_quarterly_workbook_and_accountability_material(world, client, september):  # noqa: F811
    client.force_login(world.users["justice"])
    wb = load_workbook(
        io.BytesIO(client.get(f"/reports/quarterly.xlsx?region={world.street.pk}&year=2026").content)
    )
    assert wb.sheetnames == ["矛盾纠纷", "依法行政", "政务公开", "其他指标"]
    ws = wb["矛盾纠纷"]
    header = [c.value for c in ws[2]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    q3 = client.get(f"/api/v1/indicators?region={world.street.pk}&from=2026-07-01&to=2026-09-30").json()
    q3 = {i["name"]: i for i in q3["indicators"]}
    received = rows["受理矛盾纠纷数"]
    assert received[header.index("第3季度")] == float(q3["受理矛盾纠纷数"]["value"]) == 5
    assert received[header.index("第1季度")] == 0 and received[header.index("全年")] == 5
    assert rows["调解成功率"][header.index("第1季度")] == "无数据"
    other = {r[0]: r for r in wb["其他指标"].iter_rows(min_row=3, values_only=True)}
    assert other["“三重一大”事项提交区委常委会审议率"][-3] == "待填报"
    doc = Document(
        io.BytesIO(
            client.get(
                f"/reports/accountability.docx?region={world.street.pk}&year=2026&leader=张某（示例）"
            ).content
        )
    )
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "张某（示例）2026年度述法材料" in text and "受理矛盾纠纷：5件。" in text
