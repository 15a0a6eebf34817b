"""A past year's closed enforcement cases imported from the workbook the import page offers: each built through
the services and the workflow at its own dates, its clocks met then, counted by that year's indicators; a row the
law would have refused names its column and the whole workbook writes nothing; a retried workbook adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core import services as core_services
from core.models import Clock
from core.models.people import PersonKind
from core.tests.sheets import post_import, xlsx_upload
from enforcement import indicators
from enforcement.history import CASES_IMPORTER
from enforcement.models import EnforcementCase

D = dt.date
HEADERS = [c.header for c in CASES_IMPORTER.columns]
KEYS = [c.key for c in CASES_IMPORTER.columns]
WANG, LI, ZHAO = "执法队员wang（示例）", "执法队员li（示例）", "执法队员zhao（示例）"


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(D(2026, 11, 30))


def base(**kw: str) -> dict[str, str]:
    row = {
        "street": "990100001",
        "item": "CG-001",
        "procedure": "普通程序",
        "source": "日常巡查",
        "community": "990100001001",
        "party_kind": "公民",
        "party_name": "示例摊主（示例）",
        "facts": "在示例路口人行道上设摊经营水果（示例）",
        "offence_on": "2025-09-25",
        "filed_on": "2025-09-26",
        "officers": f"{WANG}、{LI}",
        "notified_on": "2025-09-29",
        "hearing_right": "否",
        "decided_on": "2025-10-13",
        "outcome": "罚款",
        "fine": "300",
        "served_on": "2025-10-14",
        "service_method": "直接送达",
        "paid_on": "2025-10-20",
        "published_on": "2025-10-15",
        "publicity_where": "街道门户网站",
        "closed_on": "2025-10-24",
    }
    row.update(kw)
    return row


def sheet(rows: list[dict[str, str]]) -> Any:
    return xlsx_upload(HEADERS, [[r.get(k, "") for k in KEYS] for r in rows], "往年执法案件.xlsx")


@pytest.fixture
def lawyer(world):
    return core_services.person_create(
        by=None,
        name="公职律师（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=world.street,
        legal_qualification=True,
    )


def year_rows() -> list[dict[str, str]]:
    return [
        base(ref="ZF-2025-001"),
        # Simple procedure: a warning on the spot by an officer whose certificate still ran in 2025
        base(
            ref="ZF-2025-002",
            procedure="简易程序",
            officers=f"{WANG}、{ZHAO}",
            party_name="示例摊主乙（示例）",
            notified_on="",
            decided_on="2025-09-26",
            outcome="警告",
            fine="",
            served_on="",
            service_method="",
            paid_on="",
            published_on="2025-09-30",
            closed_on="2025-10-09",
        ),
        # A building case: reviewed (第58条) before its decision, decided collectively
        base(
            ref="ZF-2025-003",
            item="CG-010",
            party_name="示例业主丙（示例）",
            facts="在示例小区屋顶擅自搭建彩钢板房（示例）",
            notified_on="2025-11-03",
            review_submitted_on="2025-11-05",
            reviewer="公职律师（示例）",
            conclusion="合法",
            opinion_on="2025-11-10",
            collective_on="2025-11-11",
            decided_on="2025-11-12",
            fine="3000",
            served_on="2025-11-13",
            paid_on="2025-11-20",
            published_on="2025-11-17",
            closed_on="2025-11-24",
        ),
        # First offence on the list: waived with its education
        base(
            ref="ZF-2025-004",
            party_name="示例摊主丁（示例）",
            outcome="首违不罚",
            fine="",
            paid_on="",
            education="向当事人宣讲《上海市市容环境卫生管理条例》，当事人当场改正（示例）",
        ),
    ]


def test_a_past_year_is_imported_through_the_workflow_and_counted_in_its_year(enf, world, lawyer, client_for):
    done = post_import(client_for(world.users["justice"]), "enforcement-cases-history", sheet(year_rows()))
    assert done.succeeded, done.job.errors
    cases = {c.party_name: c for c in EnforcementCase.objects.all()}
    assert len(cases) == 4 and {c.state for c in cases.values()} == {"closed"}
    ordinary = cases["示例摊主（示例）"]
    assert ordinary.number.startswith("ZF-990100001-2025-") and ordinary.decision_number
    assert (ordinary.notified_on, ordinary.served_on, ordinary.paid_on, ordinary.closed_on) == (
        D(2025, 9, 29),
        D(2025, 10, 14),
        D(2025, 10, 20),
        D(2025, 10, 24),
    )
    # Its timeline shows each step on its day, and the import itself
    from core.audit.timeline import timeline_of

    steps = {e.action: e for e in timeline_of(ordinary)}
    assert steps["file"].at.date() == D(2025, 9, 26) and steps["close"].at.date() == D(2025, 10, 24)
    assert "历史数据导入" in steps["history.import"].summary
    # The decision clock started at the filing and was met at the decision; nothing is left open or overdue
    decision = Clock.objects.get(
        object_id=ordinary.pk, name="decision", content_type__model="enforcementcase"
    )
    assert decision.started_on == D(2025, 9, 26) and decision.met_on == D(2025, 10, 13)
    assert not Clock.objects.filter(content_type__model="enforcementcase", met_on__isnull=True).exists()
    # The reviewed case has its review taken to 已办结 and linked
    building = cases["示例业主丙（示例）"]
    assert building.review is not None and building.review.state == "closed"
    assert building.collective_on == D(2025, 11, 11)
    assert cases["示例摊主乙（示例）"].service_method == "onsite"
    assert "当场改正" in cases["示例摊主丁（示例）"].education
    # That year's indicators count them
    user, street = world.users["leader"], world.street
    made = indicators.decisions(user, street, D(2025, 1, 1), D(2025, 12, 31))
    assert made.records is not None and made.value == 4 and set(made.records) == set(cases.values())
    waived = indicators.not_penalised(user, street, D(2025, 1, 1), D(2025, 12, 31))
    assert waived.records is not None and list(waived.records) == [cases["示例摊主丁（示例）"]]
    assert indicators.decisions(user, street, D(2026, 1, 1), D(2026, 11, 30)).value == 0
    # A retried workbook finds every case and writes nothing
    again = post_import(client_for(world.users["justice"]), "enforcement-cases-history", sheet(year_rows()))
    assert again.succeeded and EnforcementCase.objects.count() == 4


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"officers": WANG}, "执法人员", "执法人员不得少于两人"),
        ({"officers": f"{WANG}、示例无证人员"}, "执法人员", "不在示例街道的执法人员名册中"),
        (
            {
                "filed_on": "2026-01-05",
                "notified_on": "2026-01-06",
                "decided_on": "2026-01-12",
                "served_on": "2026-01-13",
                "published_on": "2026-01-14",
                "paid_on": "2026-01-15",
                "closed_on": "2026-01-16",
                "officers": f"{WANG}、{ZHAO}",
            },
            "执法人员",
            "在2026年1月5日没有有效的行政执法证",
        ),
        ({"procedure": "简易程序", "notified_on": "", "served_on": "", "fine": "300"}, "处理结果", "当场"),
        ({"fine": "800"}, "处理结果", "超过该事项的罚款上限"),
        ({"item": "CG-010"}, "送法制审核日期", "须经法制审核"),
        ({"offence_on": "2022-09-01"}, "违法行为发生日期", "第36条"),
        ({"closed_on": "2025-10-16"}, "结案日期", "早于送达、缴款或公示"),
        ({"outcome": "首违不罚", "paid_on": "", "fine": "", "education": ""}, "处理结果", "教育"),
        ({"published_on": "2027-01-01"}, "公示日期", ""),
    ],
)
def test_a_row_the_law_refuses_names_its_column_and_nothing_is_written(
    enf, world, client_for, change, column, words
):
    rows = [base(ref="ZF-2025-101", party_name="示例摊主戊（示例）"), base(ref="ZF-2025-102", **change)]
    done = post_import(client_for(world.users["justice"]), "enforcement-cases-history", sheet(rows))
    assert done.failed
    errors = " ".join(str(e) for e in done.job.errors) + done.page
    assert "第3行" in errors and column in errors and words in errors, errors
    assert EnforcementCase.objects.count() == 0


def test_a_second_offence_within_a_year_is_not_waived(enf, world, client_for):
    rows = [
        base(
            ref="ZF-2025-201",
            offence_on="2025-03-01",
            filed_on="2025-03-02",
            notified_on="2025-03-03",
            decided_on="2025-03-10",
            served_on="2025-03-11",
            published_on="2025-03-12",
            paid_on="2025-03-13",
            closed_on="2025-03-14",
            party_id_number="11010519491231002X",
        ),
        base(
            ref="ZF-2025-202",
            party_id_number="11010519491231002X",
            outcome="首违不罚",
            fine="",
            paid_on="",
            education="宣讲法规，当事人当场改正（示例）",
        ),
    ]
    done = post_import(client_for(world.users["justice"]), "enforcement-cases-history", sheet(rows))
    assert done.failed and EnforcementCase.objects.count() == 0
    assert [(e[0], e[1]) for e in done.job.errors] == [(3, "处理结果")]
    assert "不属于初次违法" in done.job.errors[0][2] and "第3行" in done.page


def test_the_import_is_refused_to_a_role_without_the_row(enf, world, client_for):
    r = client_for(world.users["mediator_a"]).post(
        "/import/enforcement-cases-history/", {"file": sheet([base(ref="ZF-2025-301")])}
    )
    assert r.status_code == 403 and EnforcementCase.objects.count() == 0
