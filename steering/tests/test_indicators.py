"""The indicator registry: values against hand counts, drill-downs, targets, manual entries, scoping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from administration import services as admin_services
from core import indicators
from core import services as core_services
from core.models import IndicatorEntry, IndicatorTarget
from core.models.people import PersonKind
from core.workflow import transition
from disclosure import services as disclosure_services
from disputes.tests.conftest import intake  # noqa: F401  (fixtures of the hand-counted September)
from disputes.tests.test_stats import september  # noqa: F401

D = dt.date
SEPT = "from=2026-09-01&to=2026-09-30"

# disputes in 示例街道, 2026-09 (see disputes/tests/test_stats.py HAND_COUNTED for each record)
EXPECTED_DISPUTES = {
    "disputes.received": ("4", None, None, "no_target"),
    "disputes.success": ("2", None, None, "no_target"),
    "disputes.success_rate": ("66.67", 2, 3, "not_met"),  # ≥98%
    "disputes.escalation_rate": ("25.00", 1, 4, "not_met"),  # 不高于1%
    "disputes.fulfilment_rate": ("100.00", 1, 1, "met"),  # 100%
    "disputes.on_time_rate": ("66.67", 2, 3, "no_target"),
    "disputes.amount": ("3000.00", None, None, "no_target"),
}


def _by_code(body):
    return {i["code"]: i for i in body["indicators"]}


def test_api_values_equal_hand_counts(world, client, september):  # noqa: F811
    client.force_login(world.users["justice"])
    r = client.get(f"/api/v1/indicators?region={world.street.pk}&{SEPT}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["region"]["name"] == "示例街道" and (body["from"], body["to"]) == ("2026-09-01", "2026-09-30")
    got = _by_code(body)
    for code, (value, num, den, status) in EXPECTED_DISPUTES.items():
        item = got[code]
        assert Decimal(item["value"]) == Decimal(value), code
        assert item["status"] == status, code
        assert item["source"] == "computed"
        if den is not None:
            assert (item["numerator"], item["denominator"]) == (num, den), code
            assert item["base_url"]
        assert item["records_url"].startswith(f"/indicators/{code}/records/?region={world.street.pk}")
    # Every registered indicator is there, computed or manual, and none is silently zero.
    assert set(got) == {i.code for i in indicators.all_indicators()}
    manual = [i for i in got.values() if i["source"] == "manual"]
    assert len(manual) == 16  # rows 7, 8 (出庭率、败诉率) and 11 (执法案卷评查合格率) are computed by modules
    assert all(i["value"] is None and i["status"] == "missing" for i in manual)
    # No records at all in the period: a rate is "no data", never 0.
    empty = _by_code(client.get(f"/api/v1/indicators?region={world.street.pk}&year=2025").json())
    assert empty["disputes.success_rate"]["value"] is None
    assert empty["disputes.success_rate"]["status"] == "no_data"
    assert Decimal(empty["disputes.received"]["value"]) == 0


@pytest.mark.parametrize("code", [c for c, v in EXPECTED_DISPUTES.items()])
def test_each_drill_down_lists_exactly_the_figure(world, client, september, code):  # noqa: F811
    client.force_login(world.users["justice"])
    item = _by_code(client.get(f"/api/v1/indicators?region={world.street.pk}&{SEPT}").json())[code]
    page = client.get(item["records_url"])
    assert page.status_code == 200
    n = item["numerator"] if item["denominator"] is not None else int(Decimal(item["value"]))
    if code == "disputes.amount":
        n = 4  # the amount is summed over the 4 disputes received
    assert f'<strong data-testid="record-count">{n}</strong>' in page.content.decode()
    api = client.get(f"/api/v1/indicators/{code}/records?region={world.street.pk}&{SEPT}").json()
    assert api["count"] == n and len(api["items"]) == n
    if item["base_url"]:
        base = client.get(item["base_url"]).content.decode()
        assert f'<strong data-testid="record-count">{item["denominator"]}</strong>' in base


def test_the_table_page_colours_values_and_links_records(world, client, september):  # noqa: F811
    client.force_login(world.users["justice"])
    page = client.get(f"/indicators/?region={world.street.pk}&{SEPT}").content.decode().replace("&amp;", "&")
    assert '<span class="ind ind-not_met" data-testid="status">未达标</span>' in page
    assert '<span class="ind ind-met" data-testid="status">达标</span>' in page
    assert (
        f'href="/indicators/disputes.success_rate/records/?region={world.street.pk}&{SEPT}&part=records"'
        in page
    )
    assert page.count('data-testid="manual">手工填报') == 16
    assert page.count("待填报") >= 16


def test_scoping(world, client, september):  # noqa: F811
    client.force_login(world.users["other"])
    assert client.get(f"/api/v1/indicators?region={world.street.pk}&{SEPT}").status_code == 404
    assert (
        client.get(f"/indicators/disputes.received/records/?region={world.street.pk}&{SEPT}").status_code
        == 404
    )
    own = _by_code(client.get(f"/api/v1/indicators?{SEPT}").json())
    assert Decimal(own["disputes.received"]["value"]) == 1  # d6 only
    client.force_login(world.users["district"])
    district = _by_code(client.get(f"/api/v1/indicators?region={world.district.pk}&{SEPT}").json())
    assert Decimal(district["disputes.received"]["value"]) == 5


def test_bad_parameters_name_the_field(world, client):
    client.force_login(world.users["justice"])
    r = client.get("/api/v1/indicators?year=abc")
    assert r.status_code == 400 and "year" in r.content.decode()
    r = client.get("/api/v1/indicators?from=2026-13-01")
    assert r.status_code == 400 and "起始日期" in r.json()["detail"][0]["message"]
    r = client.get("/api/v1/indicators?from=2026-09-30&to=2026-09-01")
    assert r.status_code == 400 and "截止日期早于起始日期" in r.json()["detail"][0]["message"]
    assert client.get("/api/v1/indicators/no.such/records").status_code == 404
    # Pages show the error and fall back to this year at the top of the user's scope.
    page = client.get("/indicators/?region=abc&year=2026")
    assert page.status_code == 400 and "区域参数应为区域编号" in page.content.decode()
    page = client.get("/indicators/?from=2026-02-30")
    assert page.status_code == 400 and "不是有效日期" in page.content.decode()
    assert client.get("/reports/annual/?region=abc&year=x").status_code == 200


def test_targets_per_region_and_year_inherit_and_keep_history(world, client, september):  # noqa: F811
    client.force_login(world.users["district"])
    r = client.post(
        "/indicators/disputes.success_rate/target/",
        {
            "region": world.district.pk,
            "from": "2026-01-01",
            "to": "2026-12-31",
            "text": "≥60%",
            "reason": "区级下达（示例）",
        },
    )
    assert r.status_code == 302
    client.force_login(world.users["justice"])
    item = _by_code(client.get(f"/api/v1/indicators?region={world.street.pk}&{SEPT}").json())[
        "disputes.success_rate"
    ]
    assert (
        item["target"] == "≥60%" and item["target_origin"] == "上级设定：示例区" and item["status"] == "met"
    )
    client.post(
        "/indicators/disputes.success_rate/target/",
        {
            "region": world.street.pk,
            "from": "2026-01-01",
            "to": "2026-12-31",
            "text": "≥70%",
            "reason": "街道自我加压（示例）",
        },
    )
    item = _by_code(client.get(f"/api/v1/indicators?region={world.street.pk}&{SEPT}").json())[
        "disputes.success_rate"
    ]
    assert item["target"] == "≥70%" and item["target_origin"] == "本级设定" and item["status"] == "not_met"
    # 2025 is untouched: the policy default applies.
    item = _by_code(client.get(f"/api/v1/indicators?region={world.street.pk}&year=2025").json())[
        "disputes.success_rate"
    ]
    assert item["target"] == "≥98%"
    page = client.get(f"/indicators/disputes.success_rate/?region={world.street.pk}&{SEPT}").content.decode()
    assert "街道自我加压（示例）" in page and "区级下达（示例）" in page
    assert IndicatorTarget.objects.count() == 2
    # A street cannot set the district's target; a leader cannot set targets at all.
    r = client.post(
        "/indicators/disputes.success_rate/target/",
        {
            "region": world.district.pk,
            "from": "2026-01-01",
            "to": "2026-12-31",
            "text": "≥10%",
            "reason": "x",
        },
    )
    assert r.status_code == 404
    client.force_login(world.users["leader"])
    r = client.post(
        "/indicators/disputes.success_rate/target/",
        {"region": world.street.pk, "from": "2026-01-01", "to": "2026-12-31", "text": "≥10%", "reason": "x"},
        follow=True,
    )
    assert "不能设定指标目标、填报手工指标" in r.content.decode()
    assert IndicatorTarget.objects.count() == 2


def test_manual_indicator_takes_an_entry_with_evidence(world, client):
    client.force_login(world.users["justice"])
    url = "/indicators/district.09/entry/"
    period = {"region": world.street.pk, "from": "2026-01-01", "to": "2026-12-31"}
    r = client.post(url, {**period, "value": "150", "evidence": "台账（示例）"}, follow=True)
    assert "数值：百分比数值不能超过100" in r.content.decode()
    r = client.post(url, {**period, "value": "96", "evidence": ""}, follow=True)
    assert "佐证说明：" in r.content.decode()
    assert not IndicatorEntry.objects.exists()
    evidence = SimpleUploadedFile("台账.pdf", b"%PDF-1.4 sample", content_type="application/pdf")
    r = client.post(
        url,
        {**period, "value": "96.5", "evidence": "区复议局年度台账（示例）", "evidence_file": evidence},
        follow=True,
    )
    assert "已填报" in r.content.decode()
    item = _by_code(client.get(f"/api/v1/indicators?region={world.street.pk}&year=2026").json())[
        "district.09"
    ]
    assert item["source"] == "manual" and Decimal(item["value"]) == Decimal("96.5")
    assert item["status"] == "not_met"  # target 100
    assert (
        item["manual_entry"]["evidence"] == "区复议局年度台账（示例）"
        and item["manual_entry"]["evidence_file"]
    )
    # A correction is a new entry; the newest counts and the old one stays in the history.
    client.post(url, {**period, "value": "100", "evidence": "更正：含年末结案2件（示例）"})
    item = _by_code(client.get(f"/api/v1/indicators?region={world.street.pk}&year=2026").json())[
        "district.09"
    ]
    assert Decimal(item["value"]) == 100 and item["status"] == "met"
    page = client.get(f"/indicators/district.09/?region={world.street.pk}&year=2026").content.decode()
    assert "更正：含年末结案2件（示例）" in page and "区复议局年度台账（示例）" in page
    # Another period has no entry: still 待填报, not zero.
    item = _by_code(client.get(f"/api/v1/indicators?region={world.street.pk}&year=2025").json())[
        "district.09"
    ]
    assert item["value"] is None and item["status"] == "missing"
    # A computed indicator takes no manual entry.
    r = client.post(
        "/indicators/disputes.received/entry/", {**period, "value": "9", "evidence": "x"}, follow=True
    )
    assert "由系统根据业务记录计算" in r.content.decode()
    assert IndicatorEntry.objects.count() == 2


def test_target_text_is_read_as_the_policy_writes_it():
    cases = {
        "100": (">=", "100"),
        "≥98%": (">=", "98"),
        "不高于1%": ("<=", "1"),
        "50以上": (">=", "50"),
        "0.1以上": (">=", "0.1"),
        "低于全市平均值": (">=", None),
    }
    for text, (op, value) in cases.items():
        t = indicators.parse_target(text)
        assert (t.op if value else ">=", None if t.value is None else str(t.value)) == (op, value), text
    assert indicators.parse_target("不高于1%").met(Decimal("1.00")) is True
    assert indicators.parse_target("不高于1%").met(Decimal("1.01")) is False
    assert indicators.parse_target("全市前列").met(Decimal("99")) is None


@pytest.fixture
def administration_and_disclosure(world):
    """Hand-counted 2026 records of 示例街道: three contracts (two reviewed), two disclosure answers (one late)."""
    j, reviewer = world.users["justice"], world.users["reviewer"]
    lawyer = core_services.person_create(
        by=None,
        name="律师（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=world.street,
        legal_qualification=True,
    )
    contract: dict[str, Any] = {
        "title": "物业服务合同（示例）",
        "submitted_on": D(2026, 3, 2),
        "counterparty": "示例物业有限公司",
        "counterparty_uscc": "91350100M000100Y43",
        "contract_type": "服务合同",
        "term_start": D(2026, 4, 1),
        "term_end": D(2027, 3, 31),
    }
    for amount, reviewed in (("120000", True), ("30000.50", True), ("5000", False)):
        item = admin_services.contract_submit(
            by=j, unit_id=world.units["leadership"].pk, **contract, amount=amount
        )
        if reviewed:
            item = transition(item, "assign", by=j, data={"reviewer": str(lawyer.pk)})
            transition(
                item, "give_opinion", by=reviewer, data={"conclusion": "lawful", "opinion_on": "2026-03-10"}
            )
    base = {
        "by": j,
        "region": world.street,
        "channel": "in_person",
        "applicant_kind": "person",
        "applicant_name": "申请人（示例）",
        "content": "示例街道加装电梯补贴发放情况",
    }
    on_time = disclosure_services.request_receive(**base, submitted_on=D(2026, 9, 25))
    transition(
        on_time,
        "answer",
        by=j,
        data={"answer_type": "disclosed", "detail": "予以公开（示例）", "answered_on": "2026-10-20"},
    )
    late = disclosure_services.request_receive(**base, submitted_on=D(2026, 8, 3))
    transition(
        late,
        "answer",
        by=j,
        data={"answer_type": "not_exist", "detail": "信息不存在（示例）", "answered_on": "2026-10-20"},
    )
    disclosure_services.request_receive(**base, submitted_on=D(2026, 10, 9))  # open: not counted as answered


def test_administration_and_disclosure_indicators_equal_hand_counts(
    world, client, administration_and_disclosure
):
    client.force_login(world.users["justice"])
    got = _by_code(client.get(f"/api/v1/indicators?region={world.street.pk}&year=2026").json())
    assert Decimal(got["administration.contracts_reviewed"]["value"]) == 2
    assert Decimal(got["administration.contracts_amount"]["value"]) == Decimal("150000.50")
    rate = got["disclosure.on_time_rate"]
    assert (rate["numerator"], rate["denominator"], rate["value"], rate["status"]) == (
        1,
        2,
        "50.00",
        "not_met",
    )
    assert Decimal(got["disclosure.requests"]["value"]) == 3
    assert Decimal(got["disclosure.outcome.1"]["value"]) == 1  # （一）予以公开
    assert Decimal(got["disclosure.outcome.4"]["value"]) == 1  # （四）无法提供
    assert got["administration.decision_review_rate"]["status"] == "no_data"
    for code, n in (("administration.contracts_reviewed", 2), ("disclosure.on_time_rate", 1)):
        page = client.get(got[code]["records_url"]).content.decode()
        assert f'<strong data-testid="record-count">{n}</strong>' in page, code


def test_query_counts_do_not_grow_with_the_records(world, client, intake):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from disputes.tests.conftest import at

    client.force_login(world.users["justice"])
    urls = [
        f"/api/v1/indicators?region={world.street.pk}&year=2026",
        f"/api/v1/dashboard?region={world.street.pk}&year=2026",
        f"/reports/annual/?region={world.street.pk}&year=2026",
    ]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    intake(received_at=at(2026, 3, 2))
    counts()  # warm the per-process caches (content types)
    few = counts()
    for day in range(3, 9):
        intake(received_at=at(2026, 3, day), amount="100")
    assert counts() == few
