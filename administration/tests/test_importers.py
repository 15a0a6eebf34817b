"""A past year of lawful administration entered through the templates and the API, in its final state.

Time is frozen in 2026; the rows are a street's records of 2025 (and a few of the years around it, which the
2025 figures must leave out). Every indicator the module declares, computed for 2025, states exactly what the
rows imply; no clock of those records is open (but the validity term of a document still in force) or overdue;
every record carries the 历史数据导入 entry; a retried import adds nothing; a file with any bad row writes nothing
and lists every error by row and column.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import Workbook

from administration import services
from administration.importers import CONTRACTS, DECISIONS, MEETINGS, NORMATIVE, REVIEWS
from administration.models import (
    ContractDetails,
    MajorDecision,
    MeetingAttendance,
    MeetingSuggestion,
    NormativeDocument,
    ReviewIssue,
    ReviewItem,
)
from core import services as core_services
from core.audit.timeline import timeline_of
from core.clocks.engine import ClockState
from core.clocks.services import state_of
from core.history import HISTORY
from core.imports import IMPORTERS, ImportFailed
from core.indicators import all_indicators, evaluate
from core.models import ChangeLog, Clock, ImportedRecord, Person, TimelineEvent
from core.models.people import PersonKind
from core.workflow import ActionRefused, TransitionNotAllowed, transition

D = dt.date
TODAY = D(2026, 3, 15)
YEAR = 2025
STREET = "990100001"
LAWYER = "钱律师（示例）"

CONTRACT_ROWS: list[dict[str, str]] = [
    {
        "ref": "HT-2025-001",
        "title": "示例街道物业服务合同（示例）",
        "unit": "示例街道办事处",
        "submitted_on": "2025-03-03",
        "counterparty": "示例物业有限公司",
        "counterparty_uscc": "91350100M000100Y43",
        "amount": "120000",
        "contract_type": "服务合同",
        "term_start": "2025-04-01",
        "term_end": "2026-03-31",
        "conclusion": "合法",
        "opinion_on": "2025-03-10",
        "signed_on": "2025-03-20",
    },
    {
        "ref": "HT-2025-002",
        "title": "示例街道微更新工程施工合同（示例）",
        "unit": "示例街道办事处",
        "submitted_on": "2025-06-02",
        "counterparty": "示例建设有限公司",
        "counterparty_uscc": "91990100000000123B",
        "amount": "450,000.50",
        "contract_type": "施工合同",
        "term_start": "2025-07-01",
        "term_end": "2025-12-31",
        "risk_points": "付款节点与验收脱节（示例）",
        "conclusion": "修改后合法",
        "opinion_on": "2025-06-09",
        "opinions": "内容｜付款条款未与验收挂钩（示例）｜按验收节点分期付款（示例）｜采纳｜\n"
        "程序｜未载明争议解决方式（示例）｜补充争议解决条款（示例）｜部分采纳｜仅补充仲裁条款（示例）",
        "closed_on": "2025-06-12",
        "signed_on": "2025-06-20",
    },
    {  # submitted in 2024, reviewed in 2025: a contract of 2025
        "ref": "HT-2025-003",
        "title": "示例街道设备采购合同（示例）",
        "unit": "示例街道司法所",
        "submitted_on": "2024-12-26",
        "counterparty": "示例科技有限公司",
        "counterparty_uscc": "91350100M000100Y43",
        "amount": "8000",
        "contract_type": "采购合同",
        "term_start": "2025-01-10",
        "term_end": "2025-12-31",
        "conclusion": "合法",
        "opinion_on": "2025-01-05",
    },
    {  # reviewed in 2024: not a contract of 2025
        "ref": "HT-2024-031",
        "title": "示例街道租赁合同（示例）",
        "unit": "示例街道办事处",
        "submitted_on": "2024-11-01",
        "counterparty": "示例服务有限公司",
        "counterparty_uscc": "91350100M000100Y43",
        "amount": "99999",
        "contract_type": "租赁合同",
        "term_start": "2024-12-01",
        "term_end": "2025-11-30",
        "conclusion": "合法",
        "opinion_on": "2024-11-08",
        "signed_on": "2024-11-15",
    },
]

REVIEW_ROWS: list[dict[str, str]] = [
    {
        "ref": "SC-2025-018",
        "kind": "重大行政执法决定",
        "title": "对某公司违法建筑拆除决定的法制审核（示例）",
        "unit": "示例街道综合行政执法队",
        "submitted_on": "2025-05-06",
        "materials": "决定书草稿、调查终结报告、证据材料（示例）",
        "reviewer": LAWYER,
        "conclusion": "修改后合法",
        "opinion_on": "2025-05-12",
        "opinions": "法律依据｜未引用具体条款（示例）｜写明所依据的条款项（示例）｜采纳",
    },
    {  # submitted in 2025, opinion in 2026: in the 2025 review rate, not in the 2025 count
        "ref": "SC-2025-044",
        "kind": "重大行政执法决定",
        "title": "对某商户占道经营处罚决定的法制审核（示例）",
        "unit": "示例街道综合行政执法队",
        "submitted_on": "2025-12-29",
        "materials": "决定书草稿、证据材料（示例）",
        "reviewer": LAWYER,
        "conclusion": "修改后合法",
        "opinion_on": "2026-01-05",
        "opinions": "程序｜未告知听证权利（示例）｜补充告知听证权利（示例）｜采纳",
        "closed_on": "2026-01-08",
    },
    {
        "ref": "SC-2025-052",
        "kind": "其他",
        "title": "街道营商环境若干措施的合法性审查（示例）",
        "unit": "示例街道办事处",
        "submitted_on": "2025-08-01",
        "materials": "措施文本、起草说明（示例）",
        "reviewer": LAWYER,
        "conclusion": "合法",
        "opinion_on": "2025-08-05",
    },
]

DECISION_ROWS: list[dict[str, str]] = [
    {
        "ref": "JC-2025-01",
        "year": "2025",
        "title": "示例街道老旧小区加装电梯实施办法（示例）",
        "unit": "示例街道办事处",
        "comment_from": "2025-03-01",
        "comment_days": "30",
        "comment_closed_on": "2025-04-01",
        "expert_review": "已组织3名专家论证（示例）",
        "risk_assessment": "已开展，风险可控（示例）",
        "reviewer": LAWYER,
        "conclusion": "修改后合法",
        "opinion_on": "2025-04-10",
        "opinions": "主体权限｜个别条款超出街道职权（示例）｜删除相关条款（示例）｜采纳",
        "meeting": "党工委会议",
        "meeting_on": "2025-04-20",
        "speakers": "书记、主任、司法所所长（示例）",
        "decided_on": "2025-04-21",
        "final_state": "已归档",
        "published_on": "2025-04-25",
        "published_where": "街道门户网站",
        "evaluated_on": "2025-12-01",
        "evaluation": "实施效果良好，建议继续实施（示例）",
    },
    {
        "ref": "JC-2025-02",
        "year": "2025",
        "title": "示例街道停车资源共享方案（示例）",
        "unit": "示例街道办事处",
        "comment_from": "2025-08-01",
        "comment_days": "20",
        "short_comment_reason": "停车矛盾突出，需在开学前实施（示例）",
        "comment_closed_on": "2025-08-21",
        "expert_review": "不开展：非专业性事项（示例）",
        "risk_assessment": "已开展，风险可控（示例）",
        "reviewer": LAWYER,
        "conclusion": "合法",
        "opinion_on": "2025-08-28",
        "meeting": "主任办公会",
        "meeting_on": "2025-09-02",
        "speakers": "主任、副主任（示例）",
        "dissent": "建议先试点一个片区（示例）",
        "decided_on": "2025-09-03",
        "final_state": "已公布",
        "published_on": "2025-09-05",
        "published_where": "街道微信公众号",
    },
]

NORMATIVE_ROWS: list[dict[str, str]] = [
    {
        "ref": "GF-2025-01",
        "title": "示例街道文明养犬管理办法（示例）",
        "unit": "示例街道办事处",
        "comment_from": "2025-02-10",
        "comment_days": "30",
        "comment_closed_on": "2025-03-12",
        "reviewer": LAWYER,
        "conclusion": "修改后合法",
        "opinion_on": "2025-03-20",
        "opinions": "内容｜设定了罚款（示例）｜删除罚款条款（示例）｜未采纳｜已改为引用上位法规定（示例）",
        "meeting": "主任办公会",
        "meeting_on": "2025-03-28",
        "doc_number": "示街规〔2025〕1号",
        "published_on": "2025-04-02",
        "effective_on": "2025-05-01",
        "filed_on": "2025-04-15",
        "final_state": "已公布施行",
    },
    {
        "ref": "GF-2025-02",
        "title": "示例街道临时摊点管理规定（示例）",
        "unit": "示例街道办事处",
        "comment_from": "2025-05-06",
        "comment_days": "30",
        "comment_closed_on": "2025-06-05",
        "reviewer": LAWYER,
        "conclusion": "合法",
        "opinion_on": "2025-06-10",
        "meeting": "主任办公会",
        "meeting_on": "2025-06-16",
        "doc_number": "示街规〔2025〕2号",
        "published_on": "2025-06-20",
        "effective_on": "2025-07-01",
        "filed_on": "2025-07-10",
        "evaluated_on": "2025-11-10",
        "evaluation": "上位法已修改，建议废止（示例）",
        "final_state": "已废止",
        "ended_on": "2025-11-30",
        "end_reason": "上位法已修改（示例）",
    },
    {  # a trial document of 2023 whose two years ran out in 2025
        "ref": "GF-2023-03",
        "title": "示例街道共享单车停放管理办法（试行）（示例）",
        "unit": "示例街道办事处",
        "trial": "是",
        "comment_from": "2023-03-01",
        "comment_days": "30",
        "comment_closed_on": "2023-04-01",
        "reviewer": LAWYER,
        "conclusion": "修改后合法",
        "opinion_on": "2023-04-10",
        "opinions": "程序｜未征求相关企业意见（示例）｜补充征求意见（示例）｜采纳",
        "meeting": "主任办公会",
        "meeting_on": "2023-04-20",
        "doc_number": "示街规〔2023〕3号",
        "published_on": "2023-05-20",
        "effective_on": "2023-06-01",
        "filed_on": "2023-06-05",
        "final_state": "已失效",
    },
]

MEETING_ROWS: list[dict[str, str]] = [
    {
        "ref": "LX-2025-07",
        "meeting": "主任办公会",
        "held_on": "2025-06-18",
        "attendee": "司法所所长（示例）",
        "topics": "社区微更新项目合同签订（示例）",
        "suggestions": "建议补充违约责任条款（示例）｜是\n建议先行公开征求意见（示例）｜否",
    },
    {
        "ref": "LX-2025-11",
        "meeting": "党工委会议（学法）",
        "held_on": "2025-09-10",
        "attendee": "司法所所长（示例）",
        "topics": "学习《行政复议法》（示例）",
        "suggestions": "建议建立复议应诉台账（示例）｜是\n建议年内开展一次案卷评查（示例）",
    },
    {
        "ref": "LX-2024-12",
        "meeting": "主任办公会",
        "held_on": "2024-12-20",
        "attendee": "司法所所长（示例）",
        "topics": "年度工作总结（示例）",
        "suggestions": "建议完善合同管理制度（示例）｜是",
    },
]

SHEETS = {
    CONTRACTS: CONTRACT_ROWS,
    REVIEWS: REVIEW_ROWS,
    DECISIONS: DECISION_ROWS,
    NORMATIVE: NORMATIVE_ROWS,
}


def _rows(kind: str, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows with the street's code (and, for contracts, the reviewer every one of them had)."""
    return [{"street": STREET, **({"reviewer": LAWYER} if kind == CONTRACTS else {}), **r} for r in rows]


def workbook(kind: str, rows: list[dict[str, str]]) -> io.BytesIO:
    """The kind's template filled in: headers as the template has them, one line per row."""
    importer = IMPORTERS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append([c.header for c in importer.columns])
    for row in rows:
        ws.append([row.get(c.key, "") for c in importer.columns])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "台账.xlsx"
    return buf


def post_api(token: str, kind: str, records: list[dict[str, str]]) -> Any:
    return Client(enforce_csrf_checks=True).post(
        f"/api/v1/imports/{kind}",
        json.dumps({"records": records}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.fixture
def street_year(world, frozen_today):
    frozen_today(TODAY)
    core_services.person_create(
        by=None, name=LAWYER, kind=PersonKind.PUBLIC_LAWYER, region=world.street, legal_qualification=True
    )
    return world


def _import_year(world) -> dict[str, Any]:
    j = world.users["justice"]
    results: dict[str, Any] = {
        kind: IMPORTERS[kind].run(workbook(kind, _rows(kind, rows)), by=j) for kind, rows in SHEETS.items()
    }
    token = core_services.token_issue(user=j, name="台账系统")
    r = post_api(token, MEETINGS, _rows(MEETINGS, MEETING_ROWS))
    assert r.status_code == 200, r.content
    results[MEETINGS] = r.json()
    results["token"] = token
    return results


# --- what the rows imply, computed from the rows alone ---------------------------------------------


def _in_year(day: str) -> bool:
    return bool(day) and day.startswith(f"{YEAR}-")


def _opinions(rows: list[dict[str, str]]) -> list[str]:
    """The adoption of every review opinion whose review was given in the year."""
    return [
        line.split("｜")[3]
        for r in rows
        if _in_year(r["opinion_on"])
        for line in r.get("opinions", "").splitlines()
        if line.strip()
    ]


def _rate(num: int, den: int) -> Decimal | None:
    return (Decimal(num) * 100 / den).quantize(Decimal("0.01")) if den else None


def expected_indicators() -> dict[str, Decimal | None]:
    contracts = [r for r in CONTRACT_ROWS if _in_year(r["opinion_on"])]
    enforcement = [r for r in REVIEW_ROWS if r["kind"] == "重大行政执法决定"]
    decided = [r for r in DECISION_ROWS if _in_year(r["decided_on"])]
    published = [r for r in NORMATIVE_ROWS if _in_year(r["published_on"])]
    normative_reviews = [r for r in NORMATIVE_ROWS if _in_year(r["opinion_on"])]
    adoptions = _opinions(CONTRACT_ROWS + REVIEW_ROWS + DECISION_ROWS + NORMATIVE_ROWS)
    meetings = [r for r in MEETING_ROWS if _in_year(r["held_on"])]
    suggestions = [
        line.split("｜")[1] if "｜" in line else ""
        for m in meetings
        for line in m["suggestions"].splitlines()
    ]
    answered = [s for s in suggestions if s in ("是", "否")]
    return {
        "administration.decision_review_rate": _rate(len(decided), len(decided)),  # all reviewed first
        "administration.normative_review_rate": _rate(len(published), len(published)),
        "administration.normative_correction_rate": _rate(
            sum(r["conclusion"] != "合法" for r in normative_reviews), len(normative_reviews)
        ),
        "administration.enforcement_review_rate": _rate(
            sum(1 for r in enforcement if _in_year(r["submitted_on"])),  # every one imported is closed
            sum(1 for r in enforcement if _in_year(r["submitted_on"])),
        ),
        "administration.enforcement_reviewed": Decimal(sum(_in_year(r["opinion_on"]) for r in enforcement)),
        "administration.contracts_reviewed": Decimal(len(contracts)),
        "administration.contracts_amount": sum(
            (Decimal(r["amount"].replace(",", "")) for r in contracts), Decimal("0")
        ).quantize(Decimal("0.01")),
        "administration.review_suggestions": Decimal(len(adoptions)),
        "administration.review_adoption_rate": _rate(
            sum(a in ("采纳", "部分采纳") for a in adoptions), len(adoptions)
        ),
        "administration.meetings": Decimal(len(meetings)),
        "administration.meeting_suggestions": Decimal(len(suggestions)),
        "administration.meeting_adoption_rate": _rate(answered.count("是"), len(answered)),
    }


# --- the tests -----------------------------------------------------------------------------------


def test_a_past_year_through_templates_and_the_api_states_exactly_the_input(street_year):
    world = street_year
    results = _import_year(world)
    assert {
        k: (r.created if hasattr(r, "created") else r["created"]) for k, r in results.items() if k != "token"
    } == {
        CONTRACTS: 4,
        REVIEWS: 3,
        DECISIONS: 2,
        NORMATIVE: 3,
        MEETINGS: 3,
    }

    # every indicator the module declares, for 2025, states what the rows imply
    expected = expected_indicators()
    declared = {i.code for i in all_indicators() if i.app == "administration"}
    assert declared == set(expected)
    got = {
        r.indicator.code: r.value
        for r in evaluate(
            world.users["justice"], world.street, D(YEAR, 1, 1), D(YEAR, 12, 31), codes=declared
        )
    }
    assert got == expected
    # the figures themselves, as a reader of the rows would count them
    assert got["administration.contracts_amount"] == Decimal("578000.50")
    assert got["administration.review_adoption_rate"] == Decimal("80.00")  # 4 of 5 adopted (or partly)
    assert got["administration.meeting_adoption_rate"] == Decimal("66.67")

    # no clock of these records is overdue, or open but the term of the document still in force
    clocks = list(Clock.objects.filter(region__path__startswith=world.street.path))
    assert clocks
    states = {(c.name, c.object_id): state_of(c) for c in clocks}
    assert ClockState.OVERDUE not in states.values() and ClockState.DUE_SOON not in states.values()
    in_force = NormativeDocument.objects.get(doc_number="示街规〔2025〕1号")
    assert [(c.name, c.object_id) for c in clocks if c.met_on is None] == [("validity", in_force.pk)]
    assert in_force.expires_on == D(2030, 5, 1)

    # each record has the 历史数据导入 entry, and its steps are stamped with their own days
    records = [
        *ReviewItem.objects.all(),
        *MajorDecision.objects.all(),
        *NormativeDocument.objects.all(),
        *MeetingAttendance.objects.all(),
    ]
    assert (
        len(records) == (4 + 3 + 2 + 3) + 2 + 3 + 3
    )  # reviews: contracts, reviews, those of decisions and documents
    for record in records:
        entries = timeline_of(record)
        assert entries.filter(action="history.import", summary__startswith=HISTORY).count() == 1, record
        assert all(e.at.year <= 2026 and e.at.date() <= TODAY for e in entries), record

    archived = MajorDecision.objects.get(title__startswith="示例街道老旧小区")
    assert archived.state == "archived" and archived.evaluated_on == D(2025, 12, 1)
    assert archived.review.state == "closed" and "〔2025〕" in archived.review.opinion_number
    steps = {e.action: e.at.date() for e in timeline_of(archived)}
    assert steps["open_comment"] == D(2025, 3, 1) and steps["decide"] == D(2025, 4, 21)
    assert steps["publish"] == D(2025, 4, 25) and steps["history.import"] == D(2025, 12, 1)
    # the leader's decision was entered by the justice office's account, and says so on the timeline
    assert timeline_of(archived).get(action="decide").actor == world.users["justice"]

    contract = ReviewItem.objects.get(title="示例街道微更新工程施工合同（示例）")
    assert contract.state == "closed" and contract.number.startswith(f"SC-{STREET}-2025-")
    assert contract.contract.signed_on == D(2025, 6, 20) and contract.contract.amount == Decimal("450000.50")
    assert contract.contract.risk_points == "付款节点与验收脱节（示例）"
    assert list(contract.issues.values_list("adoption", flat=True)) == ["adopted", "partly"]

    expired = NormativeDocument.objects.get(doc_number="示街规〔2023〕3号")
    assert expired.state == "expired" and expired.ended_on == expired.expires_on == D(2025, 6, 1)
    abolished = NormativeDocument.objects.get(doc_number="示街规〔2025〕2号")
    assert abolished.state == "abolished" and abolished.ended_on == D(2025, 11, 30)
    assert abolished.filed_on == D(2025, 7, 10) and abolished.evaluated_on == D(2025, 11, 10)

    assert set(MeetingSuggestion.objects.values_list("adopted", flat=True)) == {True, False, None}

    # the grant to enter the steps ended with the import: the justice office still cannot decide
    j = world.users["justice"]
    d = services.decision_create(
        by=j, year=2026, title="新的决策（示例）", unit_id=world.units["leadership"].pk
    )
    with pytest.raises(ActionRefused):
        transition(d, "decide", by=j, data={"decided_on": "2026-03-01"})


def test_a_retried_import_adds_nothing(street_year):
    world = street_year
    results = _import_year(world)
    j = world.users["justice"]
    counts = (
        ReviewItem.objects.count(),
        ReviewIssue.objects.count(),
        ContractDetails.objects.count(),
        MajorDecision.objects.count(),
        NormativeDocument.objects.count(),
        MeetingAttendance.objects.count(),
        MeetingSuggestion.objects.count(),
        Clock.objects.count(),
        TimelineEvent.objects.count(),
        ImportedRecord.objects.count(),
    )
    for kind, rows in SHEETS.items():
        again = IMPORTERS[kind].run(workbook(kind, _rows(kind, rows)), by=j)
        assert (again.created, again.existing) == (0, len(rows)), kind
        assert "此前已导入" in again.summary(IMPORTERS[kind].title)
    r = post_api(results["token"], MEETINGS, _rows(MEETINGS, MEETING_ROWS))
    assert r.status_code == 200 and r.json()["created"] == 0 and r.json()["existing"] == len(MEETING_ROWS)
    assert (
        ReviewItem.objects.count(),
        ReviewIssue.objects.count(),
        ContractDetails.objects.count(),
        MajorDecision.objects.count(),
        NormativeDocument.objects.count(),
        MeetingAttendance.objects.count(),
        MeetingSuggestion.objects.count(),
        Clock.objects.count(),
        TimelineEvent.objects.count(),
        ImportedRecord.objects.count(),
    ) == counts


def test_a_mixed_file_writes_nothing_and_lists_every_error_by_row_and_column(street_year):
    world = street_year
    good = _rows(CONTRACTS, CONTRACT_ROWS[:2])
    bad = [
        {**good[0], "ref": "HT-X-1", "opinion_on": "2025-02-20"},  # opinion before submission
        {**good[0], "ref": "HT-X-2", "signed_on": "2026-05-01"},  # signed in the future (today 2026-03-15)
        {**good[0], "ref": "HT-X-3", "unit": "示例街道不存在办"},  # unknown unit
        {**good[0], "ref": "HT-X-4", "amount": "十二万"},  # not an amount
        {**good[0], "ref": "HT-X-5", "submitted_on": "2025-02-30", "counterparty_uscc": "91350100M000100Y44"},
        {
            **good[1],
            "ref": "HT-X-6",
            "opinions": "程序｜问题（示例）｜建议（示例）｜同意",
        },  # unknown adoption
        {**good[0], "ref": "HT-X-7", "street": "990100002"},  # a street the user does not work in
    ]
    before = (
        ReviewItem.objects.count(),
        TimelineEvent.objects.count(),
        ChangeLog.objects.count(),
        ImportedRecord.objects.count(),
    )
    with pytest.raises(ImportFailed) as exc:
        IMPORTERS[CONTRACTS].run(workbook(CONTRACTS, good + bad), by=world.users["justice"])
    found = {(e.row, e.column): e.message for e in exc.value.errors}
    assert set(found) == {
        (4, "出具意见日期"),
        (5, "签订日期"),
        (6, "送审单位"),
        (7, "合同金额（元）"),
        (8, "送审日期"),
        (8, "相对方统一社会信用代码"),
        (9, "审查意见"),
        (10, "街镇区划代码"),
    }
    assert "早于送审日期" in found[(4, "出具意见日期")]
    assert "晚于今天" in found[(5, "签订日期")]
    assert "示例街道不存在办" in found[(6, "送审单位")]
    assert "不是有效的金额" in found[(7, "合同金额（元）")]
    assert "不是有效日期" in found[(8, "送审日期")]
    assert "校验位" in found[(8, "相对方统一社会信用代码")]
    assert "第1条意见" in found[(9, "审查意见")]
    assert "不在您的工作范围内" in found[(10, "街镇区划代码")]
    assert all(str(e).startswith(f"第{e.row}行“{e.column}”列：") for e in exc.value.errors)
    assert (
        ReviewItem.objects.count(),
        TimelineEvent.objects.count(),
        ChangeLog.objects.count(),
        ImportedRecord.objects.count(),
    ) == before


def test_the_api_refuses_a_mixed_batch_with_every_error_by_record_and_field(street_year):
    world = street_year
    token = core_services.token_issue(user=world.users["justice"], name="台账系统")
    rows = [
        *_rows(MEETINGS, MEETING_ROWS[:1]),
        {
            "street": STREET,
            "ref": "LX-X",
            "meeting": "主任办公会",
            "held_on": "2027-01-01",
            "attendee": "某",
            "topics": "议题（示例）",
            "suggestions": "建议（示例）｜也许",
        },
    ]
    r = post_api(token, MEETINGS, rows)
    assert r.status_code == 400
    fields = {d["field"]: d["message"] for d in r.json()["detail"]}
    assert set(fields) == {"records[1].held_on", "records[1].suggestions"}
    assert "第2条" in fields["records[1].held_on"] and "晚于今天" in fields["records[1].held_on"]
    assert not MeetingAttendance.objects.exists()


def test_rows_check_the_steps_the_law_requires(street_year):
    world = street_year
    j = world.users["justice"]
    decision = _rows(DECISIONS, DECISION_ROWS)[1]
    document = _rows(NORMATIVE, NORMATIVE_ROWS)[0]
    bad = {
        DECISIONS: [
            {**decision, "short_comment_reason": ""},  # under 30 days without a reason
            {**decision, "ref": "JC-X-2", "comment_closed_on": "2025-08-10"},  # period not over
            {
                **decision,
                "ref": "JC-X-3",
                "conclusion": "不合法",
                "opinions": "内容｜问题（示例）｜建议（示例）｜未采纳｜理由",
            },
            {**decision, "ref": "JC-X-4", "final_state": "已公布", "published_on": ""},
            {
                **decision,
                "ref": "JC-X-5",
                "meeting_on": "2025-08-27",
            },  # discussed before the review's opinion
        ],
        NORMATIVE: [
            {**document, "final_state": "已失效"},  # in force until 2030
            {**document, "ref": "GF-X-2", "final_state": "已废止"},  # no end date, no reason
            {**document, "ref": "GF-X-3", "effective_on": "2025-03-01"},  # in force before publication
        ],
    }
    problems: dict[str, set[tuple[int, str]]] = {}
    for kind, rows in bad.items():
        with pytest.raises(ImportFailed) as exc:
            IMPORTERS[kind].run(workbook(kind, rows), by=j)
        problems[kind] = {(e.row, e.column) for e in exc.value.errors}
    assert problems[DECISIONS] == {
        (2, "缩短期限的理由"),
        (3, "征求意见结束日期"),
        (4, "审查结论"),
        (5, "公布日期"),
        (6, "会议日期"),
    }
    assert problems[NORMATIVE] == {(2, "最终状态"), (3, "停止施行日期"), (3, "停止理由"), (4, "施行日期")}
    assert not MajorDecision.objects.exists() and not NormativeDocument.objects.exists()


def test_only_the_justice_office_enters_a_past_year(street_year):
    world = street_year
    row = _rows(CONTRACTS, CONTRACT_ROWS[:1])
    for account in ("reviewer", "leader", "officer"):
        with pytest.raises(Exception) as exc:
            IMPORTERS[CONTRACTS].run(workbook(CONTRACTS, row), by=world.users[account])
        assert "不能导入往年依法行政台账" in str(exc.value)
    with pytest.raises(ImportFailed) as refused:  # the other street's justice office: not its street
        IMPORTERS[CONTRACTS].run(workbook(CONTRACTS, row), by=world.users["other"])
    assert refused.value.errors[0].column == "街镇区划代码"
    assert not ReviewItem.objects.exists()


# --- the services and the workflow refuse dates in the future or out of order -----------------------


def test_steps_refuse_dates_in_the_future_or_before_the_step_they_follow(street_year):
    world = street_year
    j, leader, reviewer = world.users["justice"], world.users["leader"], world.users["reviewer"]
    unit = world.units["leadership"].pk
    with pytest.raises(ValidationError) as exc:
        services.review_submit(
            by=j,
            kind="other",
            title="事项（示例）",
            unit_id=unit,
            submitted_on=D(2026, 4, 1),
            materials="文本（示例）",
        )
    assert (
        "送审日期" in exc.value.message_dict["submitted_on"][0]
        and "晚于今天" in exc.value.message_dict["submitted_on"][0]
    )
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            by=j, region=world.street, held_on=D(2026, 3, 16), attendee="所长", topics="议题", suggestions=[]
        )
    assert "会议日期" in exc.value.message_dict["held_on"][0]

    d = services.decision_create(by=j, year=2026, title="决策（示例）", unit_id=unit)
    with pytest.raises(TransitionNotAllowed, match="草案公布日期：日期2026-03-16晚于今天"):
        transition(d, "open_comment", by=j, data={"published_on": "2026-03-16", "days": 30})
    d = transition(d, "open_comment", by=j, data={"published_on": "2026-01-02", "days": 30})
    d = transition(
        d,
        "close_comment",
        by=j,
        data={
            "closed_on": "2026-02-02",
            "expert_review": "不开展（示例）",
            "risk_assessment": "已开展（示例）",
        },
    )
    person = Person.objects.get(name=LAWYER)
    review = transition(d.review, "assign", by=j, data={"reviewer": str(person.pk)})
    with pytest.raises(TransitionNotAllowed, match="出具意见日期：日期2026-03-20晚于今天"):
        transition(
            review, "give_opinion", by=reviewer, data={"conclusion": "lawful", "opinion_on": "2026-03-20"}
        )
    transition(review, "give_opinion", by=reviewer, data={"conclusion": "lawful", "opinion_on": "2026-02-10"})
    with pytest.raises(
        TransitionNotAllowed, match=r"会议日期（2026-02-05）不能早于合法性审查出具意见日期（2026-02-10）"
    ):
        transition(
            d,
            "record_discussion",
            by=j,
            data={"meeting": "主任办公会", "held_on": "2026-02-05", "speakers": "甲"},
        )
    d = transition(
        d,
        "record_discussion",
        by=j,
        data={"meeting": "主任办公会", "held_on": "2026-02-20", "speakers": "甲"},
    )
    with pytest.raises(TransitionNotAllowed, match="决定日期：日期2026-04-01晚于今天"):
        transition(d, "decide", by=leader, data={"decided_on": "2026-04-01"})
    d = transition(d, "decide", by=leader, data={"decided_on": "2026-02-21"})
    with pytest.raises(TransitionNotAllowed, match=r"公布日期（2026-02-20）不能早于决定日期（2026-02-21）"):
        transition(d, "publish", by=j, data={"published_on": "2026-02-20", "where": "网站"})


def test_the_grant_to_enter_a_past_record_is_the_importers_street_only_and_ends_with_the_block(street_year):
    from core.history import entering_history
    from core.permissions import allowed

    world = street_year
    j, other = world.users["justice"], world.users["other"]
    decide = "administration.majordecision.decide"
    assert not allowed(j, decide, world.street)
    with entering_history(by=j, capability="administration.history.import", region=world.community_a):
        assert allowed(j, decide, world.street) and allowed(j, decide, world.community_a)
        assert not allowed(j, decide, world.street2)  # another street
        assert not allowed(other, decide, world.street2)  # another user, even in their own street
        assert not allowed(world.users["auditor"], decide, world.street)
    assert not allowed(j, decide, world.street)
    reviewer = world.users["reviewer"]  # who does not hold the importer's row gets no grant
    with (
        pytest.raises(PermissionDenied),
        entering_history(by=reviewer, capability="administration.history.import", region=world.street),
    ):
        pass
