"""The enforcement indicators are counted from the records, and each figure is its own drill-down list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.workflow import transition
from enforcement import indicators, services

D = dt.date


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(D(2026, 11, 30))


def test_certified_publicity_and_review_rates_from_the_decisions(enf, world):
    user, street = world.users["leader"], world.street
    start, end = D(2026, 1, 1), D(2026, 11, 30)
    # Three officers, one whose certificate ended in 2025: 2 of 3
    held = indicators.certified_rate(user, street, start, end)
    assert held.value == Decimal("66.67") and {p.name for p in held.records} == {
        "执法队员wang（示例）",
        "执法队员li（示例）",
    }

    def onsite(fine: str, published: D | None) -> object:
        case = enf.file(procedure="simple", party_name=f"摊主{fine}", party_id_number="")
        case = transition(
            case,
            "decide_onsite",
            by=enf.officer,
            data={"decided_on": "2026-09-22", "outcome": "fine", "fine": fine},
        )
        if published:
            case = services.case_publish(
                by=enf.officer, case=case, published_on=published, where="街道门户网站"
            )
        return case

    on_time = onsite("100", D(2026, 9, 28))  # due 7 WD after 09-22: 10-09 (中秋 09-25 and 国庆 are holidays)
    late = onsite("150", D(2026, 10, 12))
    onsite("180", None)
    rate = indicators.publicity_rate(user, street, start, end)
    assert rate.records is not None
    assert (rate.numerator, rate.denominator) == (1, 3) and list(rate.records) == [on_time]
    assert late not in list(rate.records)

    # A building case needs review; decided after the opinion it counts as done
    case = enf.file(item_id=enf.items["building"].pk, party_name="示例业主丙", party_id_number="")
    case = transition(
        case,
        "notify",
        by=enf.officer,
        data={"notified_on": "2026-10-09", "proposed": "拟罚款", "hearing_right": "no"},
    )
    review = services.case_request_review(
        by=enf.officer, case=case, submitted_on=D(2026, 10, 12), materials="案卷及拟处罚决定"
    )
    from core import services as core_services
    from core.models.people import PersonKind

    lawyer = core_services.person_create(
        by=None,
        name="公职律师（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=street,
        legal_qualification=True,
    )
    review = transition(review, "assign", by=world.users["justice"], data={"reviewer": str(lawyer.pk)})
    transition(
        review,
        "give_opinion",
        by=world.users["reviewer"],
        data={"conclusion": "lawful", "opinion_on": "2026-10-16"},
    )
    case.refresh_from_db()
    transition(
        case, "decide", by=enf.officer, data={"decided_on": "2026-10-20", "outcome": "fine", "fine": "2000"}
    )
    needed = indicators.review_rate(user, street, start, end)
    assert (needed.numerator, needed.denominator) == (1, 1)
    assert indicators.decisions(user, street, start, end).value == 4
    # Another street sees none of it
    other = indicators.decisions(world.users["other"], world.street2, start, end)
    assert other.value == 0


def test_the_annual_report_states_the_enforcement_figures(enf, world):
    from steering.reports import draft

    case = enf.file(procedure="simple")
    case = transition(
        case,
        "decide_onsite",
        by=enf.officer,
        data={"decided_on": "2026-09-22", "outcome": "fine", "fine": "100"},
    )
    services.case_publish(by=enf.officer, case=case, published_on=D(2026, 9, 28), where="街道门户网站")
    waived = enf.file(party_name="示例摊主乙", party_id_number="110105194912310038")
    waived = transition(
        waived,
        "notify",
        by=enf.officer,
        data={"notified_on": "2026-09-29", "proposed": "拟不予处罚", "hearing_right": "no"},
    )
    transition(
        waived,
        "decide",
        by=enf.officer,
        data={
            "decided_on": "2026-10-09",
            "outcome": "first_offence",
            "education": "宣讲市容条例，当事人当场改正",
        },
    )
    text = draft(world.users["leader"], world.street, 2026)["part2"]
    assert "严格规范公正文明执法。作出行政执法决定2件，其中依法不予处罚和首违不罚1件" in text
    assert (
        "行政执法决定按时公示率50%，行政执法人员持证率66.67%。" in text
    )  # one of two published on time; 2 of 3
    assert "法制审核制度执行率" not in text  # no decision needed review: not stated as a rate of nothing
