"""A past year of disputes imported closed with their outcome (矛盾纠纷（已办结历史案件）), through the template
workbook and through ``POST /api/v1/imports/disputes-history``: the year's indicators state exactly what the rows
imply, no clock is open or overdue, every step is on the timeline at its real date."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from core import services as core_services
from core.audit.timeline import timeline_of
from core.clocks.services import state_of
from core.history import HISTORY
from core.indicators import evaluate
from core.models import ChangeLog, Clock, TimelineEvent
from core.tests.sheets import post_import, xlsx_upload
from disputes.history import HISTORY as IMPORTER
from disputes.models import Dispute

D = dt.date
TODAY = D(2026, 3, 16)  # the year is 2026; the rows are of 2025 (and one case received late in 2024)
HEADERS = [c.header for c in IMPORTER.columns]
KEYS = [c.key for c in IMPORTER.columns]
A, B = "990100001001", "990100001002"  # 示例甲居民区, 示例乙居民区 (示例街道)
COMMITTEE_A, COMMITTEE_B = "示例甲居民区人民调解委员会", "示例乙居民区人民调解委员会"


def case(**values: str) -> dict[str, str]:
    base = {
        "source": "来访",
        "type": "邻里",
        "community": A,
        "description": "楼上漏水致楼下天花板受损（示例）",
        "applicant": "申请人（示例）",
        "respondent": "被申请人（示例）",
    }
    return {**base, **values}


def mediated(community: str = A, **values: str) -> dict[str, str]:
    a = community == A
    return case(
        community=community,
        committee=COMMITTEE_A if a else COMMITTEE_B,
        mediators="调解员a（示例）" if a else "调解员b（示例）",
        **values,
    )


ROWS: list[dict[str, str]] = [
    # 1. written agreement, confirmed by the court, fulfilled, on time
    mediated(
        external_ref="H-01",
        amount="3000",
        received_at="2025-03-03 10:00",
        outcome="调解成功",
        accepted_on="2025-03-04",
        ended_on="2025-03-12",
        agreement_kind="书面",
        terms="楼上一次性支付维修费3000元（示例）",
        schedule="2025-03-20 支付维修费3000元",
        visited_on="2025-03-20",
        fulfilment="已履行",
        closed_on="2025-03-21",
        satisfaction="5",
        court="示例区人民法院",
        applied_on="2025-03-15",
        decision="确认有效",
        decided_on="2025-03-28",
    ),
    # 2. oral agreement after more than a month (met late), partly fulfilled, closed on the visit
    mediated(
        B,
        external_ref="H-02",
        type="物业",
        amount="1000",
        received_at="2025-05-06 15:30",
        outcome="调解成功",
        accepted_on="2025-05-06",
        ended_on="2025-06-20",
        agreement_kind="口头",
        terms="物业公司修复电梯并减免一个月物业费（示例）",
        visited_on="2025-06-25",
        fulfilment="部分履行",
    ),
    # 3. street-level joint resolution, two performance terms, the agreement's own number
    mediated(
        external_ref="H-03",
        type="合同",
        amount="20000",
        received_at="2025-09-01",
        outcome="调解成功",
        route="街镇",
        accepted_on="2025-09-02",
        ended_on="2025-09-05",
        agreement_kind="书面",
        agreement_number="示例街道调字〔2025〕7号",
        terms="分两期支付装修尾款20000元（示例）",
        schedule="2025-09-10 第一期10000元；2025-10-10 第二期10000元",
        visited_on="2025-09-10；2025-10-11",
        fulfilment="已履行",
        closed_on="2025-10-12",
        satisfaction="4",
    ),
    # 4. mediation failed: guided to litigation
    mediated(
        B,
        external_ref="H-04",
        type="劳动争议",
        amount="8000",
        received_at="2025-06-30 09:00",
        outcome="调解不成",
        accepted_on="2025-07-01",
        ended_on="2025-07-20",
        failure_path="引导诉讼",
        reason="双方分歧较大（示例）",
        satisfaction="3",
    ),
    # 5. terminated: a party refused mediation
    mediated(
        external_ref="H-05",
        received_at="2025-08-01 11:00",
        outcome="终止调解",
        accepted_on="2025-08-01",
        ended_on="2025-08-05",
        reason="一方明确拒绝继续调解（示例）",
    ),
    # 6. transferred to the court without mediation (escalated out)
    case(
        external_ref="H-06",
        source="12345热线",
        received_at="2025-04-01 14:00",
        outcome="已移交",
        transfer_body="人民法院",
        closed_on="2025-04-02",
        reason="当事人已起诉（示例）",
    ),
    # 7. not accepted
    case(
        external_ref="H-07",
        received_at="2025-02-10",
        outcome="不予受理",
        closed_on="2025-02-11",
        reason="双方已诉至法院，依法不予受理（示例）",
    ),
    # 8. a group dispute (high risk): reported upward and escalated out, then settled
    mediated(
        external_ref="H-08",
        people_count="8",
        amount="50000",
        received_at="2025-11-03 09:30",
        outcome="调解成功",
        reported_to="街道平安办",
        reported_on="2025-11-03",
        escalated_out="是",
        accepted_on="2025-11-04",
        ended_on="2025-11-20",
        agreement_kind="书面",
        terms="开发商按约维修公共部位并补偿（示例）",
        visited_on="2025-11-25",
        fulfilment="已履行",
        closed_on="2025-11-26",
    ),
    # 9. received in December 2024, settled in January 2025 (a success of 2025, received in 2024)
    mediated(
        B,
        external_ref="H-09",
        amount="500",
        received_at="2024-12-20 10:00",
        outcome="调解成功",
        accepted_on="2024-12-21",
        ended_on="2025-01-10",
        agreement_kind="口头",
        terms="赔礼道歉并清理楼道杂物（示例）",
        visited_on="2025-01-15",
        fulfilment="已履行",
    ),
]


def sheet(rows: list[dict[str, str]]) -> Any:
    return xlsx_upload(HEADERS, [[r.get(k, "") for k in KEYS] for r in rows], "历史案件.xlsx")


def post_api(token: str, records: list[dict[str, str]]) -> Any:
    return Client(enforce_csrf_checks=True).post(
        "/api/v1/imports/disputes-history",
        json.dumps({"records": records}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.fixture
def year_2026(frozen_today: Any) -> None:
    frozen_today(TODAY)


def import_rows(world: Any, client: Any, channel: str, rows: list[dict[str, str]]) -> Any:
    if channel == "sheet":
        client.force_login(world.users["justice"])
        done = post_import(client, "disputes-history", sheet(rows))
        assert done.succeeded, done.job.errors
        return done
    token = core_services.token_issue(user=world.users["justice"], name="台账系统")
    return post_api(token, rows)


def indicators_2025(world: Any) -> dict[str, Decimal | None]:
    results = evaluate(world.users["justice"], world.street, D(2025, 1, 1), D(2025, 12, 31))
    return {r.indicator.code: r.value for r in results if r.indicator.code.startswith("disputes.")}


@pytest.mark.parametrize("channel", ["sheet", "api"])
def test_a_past_year_imported_closed_states_its_figures(world, client, year_2026, channel):
    r = import_rows(world, client, channel, ROWS)  # a sheet's job is checked to have succeeded
    if channel == "api":
        assert r.status_code == 200, r.content.decode()[:2000]
        assert r.json()["created"] == len(ROWS) and r.json()["existing"] == 0
    disputes = {d.external_ref: d for d in Dispute.objects.all()}
    assert len(disputes) == len(ROWS)
    states = {ref: d.state for ref, d in disputes.items()}
    assert states == {
        "H-01": "closed",
        "H-02": "closed",
        "H-03": "closed",
        "H-04": "failed",
        "H-05": "terminated",
        "H-06": "transferred",
        "H-07": "not_accepted",
        "H-08": "closed",
        "H-09": "closed",
    }

    # Every indicator of 2025 is what the rows imply, counted by hand:
    # received in 2025: H-01..H-08 (H-09 was received in 2024); agreements effective in 2025: H-01, H-02, H-03,
    # H-08, H-09, of which written H-01, H-03, H-08; failed in 2025: H-04; escalated out: H-06 (transfer), H-08;
    # all five agreements visited, all fulfilled but H-02 (部分履行); mediation period met in 2025: H-01..H-05,
    # H-08, H-09, late only H-02 (accepted 05-06, due 06-06, agreement 06-20).
    assert indicators_2025(world) == {
        "disputes.received": 8,
        "disputes.success": 5,
        "disputes.written_agreements": 3,
        "disputes.success_rate": Decimal("83.33"),
        "disputes.escalation_rate": Decimal("25.00"),
        "disputes.fulfilment_rate": Decimal("80.00"),
        "disputes.on_time_rate": Decimal("85.71"),
        "disputes.amount": Decimal("82000.00"),
    }

    # No clock of these cases is open, none overdue; each was met on its real date, on time or late.
    ct = ContentType.objects.get_for_model(Dispute)
    clocks = Clock.objects.filter(content_type=ct)
    assert clocks.count() and not clocks.filter(met_on__isnull=True).exists()
    assert {state_of(c) for c in clocks} <= {"met", "met_late"}
    period = {c.object_id: c for c in clocks.filter(name="period")}
    h2 = period[disputes["H-02"].pk]
    assert (h2.started_on, h2.due_on, h2.met_on, state_of(h2)) == (
        D(2025, 5, 6),
        D(2025, 6, 6),
        D(2025, 6, 20),
        "met_late",
    )
    h9 = period[disputes["H-09"].pk]
    assert (h9.started_on, h9.met_on, state_of(h9)) == (D(2024, 12, 21), D(2025, 1, 10), "met")
    window = clocks.get(object_id=disputes["H-01"].pk, name="confirmation_window")
    assert (window.started_on, window.met_on) == (D(2025, 3, 12), D(2025, 3, 15))
    r = client.get("/disputes/?queue=overdue") if channel == "sheet" else None
    if r is not None:
        assert not any(ref in r.content.decode() for ref in (d.number for d in disputes.values()))

    # The records themselves carry the real dates.
    h1, h3, h7 = disputes["H-01"], disputes["H-03"], disputes["H-07"]
    assert (h1.accepted_on, h1.closed_on, h1.satisfaction) == (D(2025, 3, 4), D(2025, 3, 21), 5)
    assert h1.agreement.number == "示例街道调字〔2025〕1号" and h1.agreement.effective_on == D(2025, 3, 12)
    assert (h1.confirmation.applied_on, h1.confirmation.decided_on) == (D(2025, 3, 15), D(2025, 3, 28))
    assert h3.agreement.number == "示例街道调字〔2025〕7号" and h3.route == "street"
    assert h3.lead_unit == world.units["justice"]
    assert [(f.due_on, f.visited_on) for f in h3.follow_ups.order_by("pk")] == [
        (D(2025, 9, 10), D(2025, 9, 10)),
        (D(2025, 10, 10), D(2025, 10, 11)),
    ]
    assert h7.closed_on == D(2025, 2, 11) and disputes["H-02"].closed_on == D(2025, 6, 25)
    assert disputes["H-08"].escalations.get().reported_at.date() == D(2025, 11, 3)
    assert list(disputes["H-01"].mediators.values_list("name", flat=True)) == ["调解员a（示例）"]

    # Each timeline has its steps at their real dates and the 历史数据导入 entry on the day the case ended.
    days = [(timezone.localtime(e.at).date(), e.action) for e in timeline_of(h1).exclude(kind="clock")]
    assert days == [
        (D(2025, 3, 3), "intake"),
        (D(2025, 3, 3), "triage"),
        (D(2025, 3, 3), "assign"),
        (D(2025, 3, 4), "accept"),
        (D(2025, 3, 12), "agreement"),
        (D(2025, 3, 12), "succeed"),
        (D(2025, 3, 15), "confirmation.apply"),
        (D(2025, 3, 20), "follow_up"),
        (D(2025, 3, 21), "close"),
        (D(2025, 3, 21), "satisfaction"),
        (D(2025, 3, 28), "confirmation.decide"),
        (D(2025, 3, 28), "history.import"),
    ]
    for d in disputes.values():
        events = list(timeline_of(d))
        marks = [e for e in events if e.action == "history.import"]
        assert len(marks) == 1 and HISTORY in marks[0].summary and "2026-03-16录入" in marks[0].summary
        assert d.closed_on is not None and timezone.localtime(marks[0].at).date() >= d.closed_on
        stamped = [timezone.localtime(e.at) for e in events]
        assert stamped == sorted(stamped), d.external_ref  # in real order of the days
        assert all(s.year in (2024, 2025) for s in stamped), d.external_ref


def test_a_retried_import_adds_nothing(world, client, year_2026):
    token = core_services.token_issue(user=world.users["justice"], name="台账系统")
    assert post_api(token, ROWS[:3]).json()["created"] == 3
    before = (Dispute.objects.count(), TimelineEvent.objects.count(), ChangeLog.objects.count())
    r = post_api(token, ROWS[:3])
    assert r.status_code == 200 and r.json() == {"rows": 3, "created": 0, "existing": 3, "ids": []}
    client.force_login(world.users["justice"])
    done = post_import(client, "disputes-history", sheet(ROWS[:3]))
    assert done.succeeded and "3条此前已导入" in done.page
    assert (Dispute.objects.count(), TimelineEvent.objects.count(), ChangeLog.objects.count()) == before


def test_a_mixed_file_writes_nothing_and_lists_every_error(world, client, year_2026):
    good = ROWS[0]
    rows = [
        good,
        {**ROWS[1], "accepted_on": "2025-05-01"},  # accepted before received
        {
            **ROWS[2],
            "visited_on": "2025-09-10；2025-10-09",
            "closed_on": "2025-10-08",
        },  # closed before a visit
        {**ROWS[3], "external_ref": "H-10", "ended_on": "2026-04-01"},  # ended in the future
        {**ROWS[4], "community": "990100009999"},  # unknown community
        {**ROWS[7], "mediators": "不存在的调解员"},  # unknown mediator
        {**ROWS[8], "received_at": "2025-13-01", "applicant_phone": "123"},  # no such date, bad phone
        {**ROWS[5], "transfer_body": "", "closed_on": ""},  # transfer without body and date
        {**ROWS[0], "external_ref": "H-11", "outcome": "已和解"},  # unknown outcome
    ]
    before = (Dispute.objects.count(), TimelineEvent.objects.count(), ChangeLog.objects.count())
    client.force_login(world.users["justice"])
    done = post_import(client, "disputes-history", sheet(rows))
    assert done.failed and "未导入任何数据" in done.page
    page = done.page
    for row, column, words in (
        (3, "调解受理日期", "早于受理时间（2025-05-06）"),
        (4, "结案日期", "早于最后一次回访日期（2025-10-09）"),
        (5, "调解结束日期", "晚于今天"),
        (6, "居村区划代码", "不存在"),
        (7, "调解员", "“不存在的调解员”不在示例街道在册的调解员名册中"),
        (8, "受理时间", "不是有效日期"),
        (8, "申请人电话", ""),
        (9, "移交机关", "请填写移交机关"),
        (9, "结案日期", "请填写结案日期"),
        (10, "办理结果", "“已和解”不是可选值"),
    ):
        cell = f"<td>第{row}行</td><td>{column}</td>"
        assert cell in page, (row, column)
        assert words in page.split(cell, 1)[1].split("</tr>", 1)[0], (row, column, words)
    assert "<td>第2行</td>" not in page
    assert (Dispute.objects.count(), TimelineEvent.objects.count(), ChangeLog.objects.count()) == before

    token = core_services.token_issue(user=world.users["justice"], name="台账系统")
    r = post_api(token, rows)
    assert r.status_code == 400
    fields = {d["field"] for d in r.json()["detail"]}
    assert {
        "records[1].accepted_on",
        "records[3].ended_on",
        "records[4].community",
        "records[5].mediators",
    } <= fields
    assert Dispute.objects.count() == before[0]


def test_a_mediator_imports_the_cases_of_their_committee_only(world, client, year_2026):
    token = core_services.token_issue(user=world.users["mediator_a"], name="调委会台账")
    r = post_api(token, [ROWS[4], ROWS[5], ROWS[1]])
    assert r.status_code == 400
    detail = {d["field"]: d["message"] for d in r.json()["detail"]}
    assert "不能执行“移交”" in detail["records[1].outcome"]
    assert "不存在或不在您的工作范围内" in detail["records[2].community"]
    assert "records[0].outcome" not in detail and Dispute.objects.count() == 0
    r = post_api(token, [ROWS[4]])
    assert r.status_code == 200 and Dispute.objects.get().state == "terminated"


def test_an_open_case_with_the_same_reference_is_not_overwritten(world, year_2026):
    from disputes.importers import DISPUTES

    DISPUTES.run_records(
        [{**case(external_ref="H-01", received_at="2026-01-05 09:00")}], by=world.users["justice"]
    )
    token = core_services.token_issue(user=world.users["justice"], name="台账系统")
    r = post_api(token, [ROWS[0]])
    assert r.status_code == 400 and "已登记为尚未办结的纠纷" in r.json()["detail"][0]["message"]


def test_intake_import_refuses_a_past_year_and_adds_nothing_when_retried(world, year_2026):
    from core.imports import ImportFailed
    from disputes.importers import DISPUTES

    by = world.users["justice"]
    with pytest.raises(ImportFailed) as refused:
        DISPUTES.run_records([case(external_ref="W-1", received_at="2025-12-30 09:00")], by=by)
    error = refused.value.errors[0]
    assert error.column == "受理时间" and "矛盾纠纷（已办结历史案件）" in error.message
    rows = [
        case(external_ref="W-1", received_at="2026-01-05 09:00"),
        case(external_ref="W-2", received_at="2026-03-16 08:00"),
    ]
    assert DISPUTES.run_records(rows, by=by).created == 2
    again = DISPUTES.run_records(rows, by=by)
    assert (again.created, again.existing) == (0, 2) and Dispute.objects.count() == 2


def test_the_template_explains_outcomes_and_the_order_of_dates(world, client):
    import io

    from openpyxl import load_workbook

    client.force_login(world.users["justice"])
    assert "矛盾纠纷（已办结历史案件）导入模板" in client.get("/import/").content.decode()
    book = load_workbook(io.BytesIO(client.get("/import/disputes-history/template.xlsx").content))
    assert [c.value for c in book["数据"][1]] == HEADERS
    notes = " ".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value)
    assert "受理时间 ≤ 调解受理日期 ≤ 调解结束日期 ≤ 回访日期 ≤ 结案日期" in notes and "历史数据导入" in notes


def test_a_closed_case_is_imported_in_a_bounded_number_of_queries(world, year_2026):
    """The import's cost per case stays where it was measured (docs/disputes.md, benchmarks/import_disputes.py):
    a regression that reads again per step (a row, a setting, a clock) shows here as a count, not a timing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = []
    for n in range(30):
        day = 3 + n % 20
        rows.append(
            mediated(
                external_ref=f"Q-{n:02d}",
                received_at=f"2025-04-{day:02d} 10:00",
                outcome="调解成功",
                accepted_on=f"2025-04-{day:02d}",
                ended_on=f"2025-05-{day:02d}",
                agreement_kind="书面",
                terms="楼上一次性支付维修费3000元（示例）",
                visited_on=f"2025-05-{day + 2:02d}",
                fulfilment="已履行",
                satisfaction="5",
            )
        )
    with CaptureQueriesContext(connection) as ctx:
        result = IMPORTER.run_records(rows, by=world.users["justice"])
    assert result.created == 30
    per_case = len(ctx.captured_queries) / 30
    # 37.2 measured; 72.6 before services joined their caller's savepoint (core/db.py), 115 before the change
    # log knew rows
    assert per_case <= 42, f"{per_case:.1f} queries per case"
