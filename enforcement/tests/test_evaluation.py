"""Case-file evaluation (案卷评查): a rubric's veto item zeroes a file, scores are checked against their points, the
record itself shows a missing second officer, and the pass rate is the share of files that passed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.workflow import transition
from enforcement import evaluation, indicators, services
from enforcement.models import EnforcementCase

D = dt.date
FULL = {
    "binding": 5,
    "writing": 9,
    "seals": 5,
    "filing": 10,
    "investigation": 18,
    "notice": 10,
    "review": 8,
    "decision": 13,
    "service": 14,
}


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(D(2026, 11, 30))


def closed_case(enf, party: str, id_number: str) -> EnforcementCase:
    case = enf.file(procedure="simple", party_name=party, party_id_number=id_number)
    case = transition(
        case, "decide_onsite", by=enf.officer, data={"decided_on": "2026-09-22", "outcome": "warning"}
    )
    services.case_publish(by=enf.officer, case=case, published_on=D(2026, 9, 28), where="街道门户网站")
    case.refresh_from_db()
    return transition(case, "close", by=enf.officer, data={"closed_on": "2026-10-09"})


def test_a_self_check_scores_vetoes_and_the_pass_rate(enf, world):
    good = closed_case(enf, "示例摊主甲", "11010519491231002X")
    bad = closed_case(enf, "示例摊主乙", "110105194912310038")
    campaign = evaluation.campaign_start(
        by=enf.officer,
        region=world.street,
        kind="self_check",
        title="2026年度执法案卷自查",
        year=2026,
        started_on=D(2026, 11, 20),
    )
    assert campaign.rubric.full_marks == 100 and len(campaign.rubric.vetoes) == 8
    first = evaluation.evaluate(
        by=enf.officer, campaign=campaign, case=good, scores=FULL, vetoes=[], evaluated_on=D(2026, 11, 25)
    )
    assert first.total == Decimal("92") and first.passed
    with pytest.raises(ValidationError) as exc:
        evaluation.evaluate(
            by=enf.officer,
            campaign=campaign,
            case=bad,
            scores={**FULL, "investigation": 21},
            vetoes=[],
            evaluated_on=D(2026, 11, 25),
        )
    assert "调查取证和全过程记录：应为0到20之间的分数" in exc.value.message_dict["investigation"][0]
    second = evaluation.evaluate(
        by=enf.officer,
        campaign=campaign,
        case=bad,
        scores=FULL,
        vetoes=["evidence"],
        evaluated_on=D(2026, 11, 25),
    )
    assert second.total == 0 and not second.passed and second.vetoes == ["evidence"]
    rate = indicators.evaluation_pass_rate(
        world.users["leader"], world.street, D(2026, 1, 1), D(2026, 11, 30)
    )
    assert (rate.numerator, rate.denominator) == (1, 2) and rate.value == Decimal("50.00")
    assert (
        indicators.self_checked(world.users["leader"], world.street, D(2026, 1, 1), D(2026, 11, 30)).value
        == 2
    )
    summary = evaluation.summary(campaign)
    assert (
        summary["vetoed"] == [("主要证据不足", 1)] and summary["items"][0]["label"] == "法制审核和集体讨论"
    )  # 8 of 10


def test_the_record_itself_vetoes_a_file_with_one_officer_and_a_live_case_is_pre_scored(enf, world):
    case = enf.file()
    EnforcementCase.officers.through.objects.filter(
        enforcementcase_id=case.pk, person_id=enf.people["li"].pk
    ).delete()
    campaign = evaluation.campaign_start(
        by=world.users["justice"],
        region=world.street,
        kind="campaign",
        title="2026年案卷评查",
        year=2026,
        started_on=D(2026, 11, 20),
    )
    result = evaluation.evaluate(
        by=world.users["justice"],
        campaign=campaign,
        case=case,
        scores=FULL,
        vetoes=[],
        evaluated_on=D(2026, 11, 25),
    )
    assert result.vetoes == ["two_officers"] and result.total == 0 and result.preliminary
    # A self-check takes closed files only; another street's files are outside the campaign
    self_check = evaluation.campaign_start(
        by=enf.officer,
        region=world.street,
        kind="self_check",
        title="自查",
        year=2026,
        started_on=D(2026, 11, 20),
    )
    with pytest.raises(ValidationError) as exc:
        evaluation.evaluate(
            by=enf.officer,
            campaign=self_check,
            case=case,
            scores=FULL,
            vetoes=[],
            evaluated_on=D(2026, 11, 25),
        )
    assert "案卷自查针对已结案归档的案卷" in exc.value.message_dict["case"][0]
    from django.http import Http404

    with pytest.raises(Http404):  # the street is outside a community mediator's scope
        evaluation.campaign_start(
            by=world.users["mediator_a"],
            region=world.street,
            kind="campaign",
            title="x",
            year=2026,
            started_on=D(2026, 11, 20),
        )
