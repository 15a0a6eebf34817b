"""Enforcement cases against 《行政处罚法》（2021）: the officers (第42条), the limitation period (第36条), on-the-spot
limits (第51条), 首违不罚 (第33条), legality review first (第58条), and the clocks on worked examples across
国庆 and 春节 (第85条: its 5- and 7-day periods are working days, its 15 and 90 days calendar days)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.clocks.services import clock_of
from core.workflow import TransitionNotAllowed, transition
from enforcement import services
from enforcement.models import EnforcementCase

D = dt.date


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(D(2026, 11, 30))


def refusal(exc: pytest.ExceptionInfo) -> str:
    return " ".join(str(m) for m in exc.value.messages) if hasattr(exc.value, "messages") else str(exc.value)


def test_a_case_needs_two_officers_each_with_a_valid_certificate(enf):
    with pytest.raises(ValidationError) as exc:
        enf.file(officer_ids=[enf.people["wang"].pk])
    assert "执法人员不得少于两人（《行政处罚法》第42条），现为1人" in exc.value.message_dict["officers"][0]
    with pytest.raises(ValidationError) as exc:
        enf.file(officer_ids=[enf.people["wang"].pk, enf.people["zhao"].pk])
    assert "执法队员zhao（示例）在2026年9月22日没有有效的行政执法证" in exc.value.message_dict["officers"][0]
    assert not EnforcementCase.objects.exists()
    case = enf.file()
    assert case.number.startswith("ZF-990100001-2026-") and case.officers.count() == 2
    # A certificate that expires before the decision stops the decision
    cert = enf.people["li"].certificates.get()
    cert.valid_to = D(2026, 10, 31)
    cert.save()
    case = transition(
        case,
        "notify",
        by=enf.officer,
        data={"notified_on": "2026-10-09", "proposed": "拟罚款100元", "hearing_right": "no"},
    )
    with pytest.raises(TransitionNotAllowed) as refused:
        transition(
            case,
            "decide",
            by=enf.officer,
            data={"decided_on": "2026-11-02", "outcome": "fine", "fine": "100"},
        )
    assert "执法队员li（示例）在2026年11月2日没有有效的行政执法证" in str(refused.value)


def test_an_offence_found_after_the_limitation_period_is_not_filed(enf):
    with pytest.raises(ValidationError) as exc:
        enf.file(offence_on=D(2024, 9, 21), filed_on=D(2026, 9, 22))
    assert (
        "2年内未被发现" in exc.value.message_dict["offence_on"][0]
        and "第36条" in exc.value.message_dict["offence_on"][0]
    )
    assert enf.file(offence_on=D(2024, 9, 22), filed_on=D(2026, 9, 22))  # the last day still counts
    # Five years where life, health or financial safety was harmed
    assert enf.file(offence_on=D(2022, 1, 10), filed_on=D(2026, 9, 22), harms_safety=True)


@pytest.mark.parametrize(
    ("kind", "fine", "ok"),
    [
        ("person", "200", True),
        ("person", "200.01", False),
        ("organisation", "3000", True),
        ("organisation", "3001", False),
    ],
)
def test_on_the_spot_fines_stay_within_article_51(enf, kind, fine, ok):
    case = enf.file(
        procedure="simple", party_kind=kind, party_id_number="" if kind != "person" else "11010519491231002X"
    )
    data = {"decided_on": "2026-09-22", "outcome": "fine", "fine": fine}
    if ok:
        case = transition(case, "decide_onsite", by=enf.officer, data=data)
        assert case.state == "served" and case.service_method == "onsite" and case.served_on == D(2026, 9, 22)
        assert clock_of(case, "payment").due_on == D(2026, 10, 8)  # 15 days end on 10-07, a holiday
    else:
        with pytest.raises(TransitionNotAllowed) as exc:
            transition(case, "decide_onsite", by=enf.officer, data=data)
        assert "第51条" in str(exc.value) and "普通程序" in str(exc.value)


def test_a_warning_on_the_spot_and_no_advance_notice_in_the_simple_procedure(enf):
    case = enf.file(procedure="simple")
    assert [a.name for a in case_actions(case, enf.officer)] == ["decide_onsite"]
    case = transition(
        case, "decide_onsite", by=enf.officer, data={"decided_on": "2026-09-22", "outcome": "warning"}
    )
    assert case.fine is None and clock_of(case, "payment") is None


def case_actions(case, user):
    from core.workflow import workflow_for

    return [a for a in workflow_for(type(case)).available(case, user) if a.style == "primary"]


def notified(enf, notified_on="2026-09-29", **kw):
    case = enf.file(**kw)
    return transition(
        case,
        "notify",
        by=enf.officer,
        data={"notified_on": notified_on, "proposed": "拟作出处理", "hearing_right": "no"},
    )


def test_a_first_offence_is_waived_with_its_education_and_a_second_within_12_months_is_not(enf):
    first = notified(enf)
    with pytest.raises(TransitionNotAllowed) as exc:
        transition(
            first, "decide", by=enf.officer, data={"decided_on": "2026-10-09", "outcome": "first_offence"}
        )
    assert "应当对当事人进行教育" in str(exc.value)
    first = transition(
        first,
        "decide",
        by=enf.officer,
        data={
            "decided_on": "2026-10-09",
            "outcome": "first_offence",
            "education": "现场宣讲市容条例，当事人当即撤摊",
        },
    )
    assert first.outcome == "first_offence" and first.education.startswith("现场宣讲")
    # The same person, the same item, eight months later: not a first offence
    again = notified(enf, "2026-11-21", offence_on=D(2026, 11, 20), filed_on=D(2026, 11, 20))
    from enforcement.rules import prior_offences

    assert list(prior_offences(again)) == [first]
    with pytest.raises(TransitionNotAllowed) as exc:
        transition(
            again,
            "decide",
            by=enf.officer,
            data={"decided_on": "2026-11-25", "outcome": "first_offence", "education": "再次教育"},
        )
    assert f"已有同类违法行为（{first.number}" in str(exc.value) and "第33条" in str(exc.value)
    # Another person may be waived; an item not on the list may not
    other = notified(
        enf, party_name="示例摊主乙", party_id_number="110105194912310038", filed_on=D(2026, 9, 22)
    )
    assert (
        transition(
            other,
            "decide",
            by=enf.officer,
            data={"decided_on": "2026-10-09", "outcome": "first_offence", "education": "现场宣讲条例并教育"},
        ).state
        == "decided"
    )
    waste = notified(
        enf,
        item_id=enf.items["waste"].pk,
        party_kind="organisation",
        party_name="示例餐饮公司",
        party_id_number="",
    )
    with pytest.raises(TransitionNotAllowed) as exc:
        transition(
            waste,
            "decide",
            by=enf.officer,
            data={"decided_on": "2026-10-09", "outcome": "first_offence", "education": "现场宣讲条例并教育"},
        )
    assert "不在本街镇轻微违法免罚、首违不罚清单内" in str(exc.value)


def test_a_decision_that_needs_legality_review_waits_for_the_opinion(enf, world):
    case = notified(
        enf, item_id=enf.items["building"].pk, party_name="示例业主丙", party_id_number="110105194912310046"
    )
    decide = {"decided_on": "2026-10-20", "outcome": "fine", "fine": "3000"}
    with pytest.raises(TransitionNotAllowed) as exc:
        transition(case, "decide", by=enf.officer, data=decide)
    assert "须经法制审核（《行政处罚法》第58条）" in str(exc.value) and "尚未送审" in str(exc.value)
    review = services.case_request_review(
        by=enf.officer, case=case, submitted_on=D(2026, 10, 9), materials="案卷及拟处罚决定"
    )
    assert review.kind == "enforcement_decision" and review.submitting_unit == world.units["enforcement"]
    with pytest.raises(TransitionNotAllowed) as exc:
        transition(case, "decide", by=enf.officer, data=decide)
    assert "现为“已送审”" in str(exc.value)
    # The justice office assigns a qualified reviewer, who gives the opinion; then the decision may be made
    from core import services as core_services
    from core.models.people import PersonKind

    lawyer = core_services.person_create(
        by=None,
        name="公职律师（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=world.street,
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
    case = transition(case, "decide", by=enf.officer, data=decide)
    assert case.state == "decided" and case.decision_number.startswith("示例街道罚决字〔2026〕第")
    # Above the threshold of an item, review is needed too
    waste = notified(
        enf,
        item_id=enf.items["waste"].pk,
        party_kind="organisation",
        party_name="示例餐饮公司",
        party_id_number="",
    )
    with pytest.raises(TransitionNotAllowed):
        transition(
            waste,
            "decide",
            by=enf.officer,
            data={"decided_on": "2026-10-20", "outcome": "fine", "fine": "10000"},
        )
    assert (
        transition(
            waste,
            "decide",
            by=enf.officer,
            data={"decided_on": "2026-10-20", "outcome": "fine", "fine": "9999"},
        ).state
        == "decided"
    )


def test_the_clocks_across_national_day(enf):
    """Filed 2026-07-04: 90 calendar days end on 10-02, inside the holiday: due 10-08. Notified Tue 09-29 with the
    right to a hearing: 5 working days are 09-30, 10-08, 10-09, Saturday 10-10 (a working day) and 10-12.
    Decided Fri 10-09: service and publicity in 7 working days, 10-10 (Saturday), 10-12 … 10-16 and 10-19."""
    case = enf.file(offence_on=D(2026, 7, 1), filed_on=D(2026, 7, 4))
    assert clock_of(case, "decision").due_on == D(2026, 10, 8)
    case = transition(
        case,
        "notify",
        by=enf.officer,
        data={"notified_on": "2026-09-29", "proposed": "拟罚款300元", "hearing_right": "yes"},
    )
    assert clock_of(case, "hearing_request").due_on == D(2026, 10, 12)
    case = transition(
        case, "decide", by=enf.officer, data={"decided_on": "2026-10-09", "outcome": "fine", "fine": "300"}
    )
    assert clock_of(case, "decision").met_on == D(2026, 10, 9)
    for name in ("service", "publicity"):
        assert clock_of(case, name).due_on == D(2026, 10, 19), name


def test_the_clocks_across_the_spring_festival(enf):
    """Decided Fri 2026-02-13: 7 working days are Saturday 02-14 (a working day), 02-24 … 02-28 (Saturday, a
    working day) and 03-02; served 02-26, the fine falls due 15 calendar days later, 03-13."""
    case = enf.file(offence_on=D(2026, 1, 20), filed_on=D(2026, 1, 26))
    case = transition(
        case,
        "notify",
        by=enf.officer,
        data={"notified_on": "2026-02-02", "proposed": "拟罚款200元", "hearing_right": "no"},
    )
    case = transition(
        case, "decide", by=enf.officer, data={"decided_on": "2026-02-13", "outcome": "fine", "fine": "200"}
    )
    assert clock_of(case, "service").due_on == D(2026, 3, 2)
    case = transition(case, "serve", by=enf.officer, data={"served_on": "2026-02-26", "method": "direct"})
    assert clock_of(case, "service").met_on == D(2026, 2, 26)
    assert clock_of(case, "payment").due_on == D(2026, 3, 13)
    # Paid five days late: 3% a day of 200 元
    case = services.case_pay(by=enf.officer, case=case, paid_on=D(2026, 3, 18))
    assert case.surcharge == Decimal("30.00")


def test_the_late_surcharge_never_exceeds_the_fine(enf):
    case = enf.file(procedure="simple")
    case = transition(
        case,
        "decide_onsite",
        by=enf.officer,
        data={"decided_on": "2026-09-22", "outcome": "fine", "fine": "100"},
    )
    case = services.case_pay(by=enf.officer, case=case, paid_on=D(2026, 11, 30))
    assert case.surcharge == Decimal("100.00")


def test_electronic_service_needs_the_partys_consent(enf):
    case = notified(enf)
    case = transition(case, "decide", by=enf.officer, data={"decided_on": "2026-10-09", "outcome": "warning"})
    with pytest.raises(TransitionNotAllowed) as exc:
        transition(case, "serve", by=enf.officer, data={"served_on": "2026-10-10", "method": "electronic"})
    assert "电子送达须经当事人同意" in str(exc.value)
    case = transition(
        case,
        "serve",
        by=enf.officer,
        data={"served_on": "2026-10-10", "method": "electronic", "consent": "yes"},
    )
    assert case.state == "served" and clock_of(case, "payment") is None


def test_a_revoked_decision_is_withdrawn_from_publicity_within_three_working_days(enf):
    case = enf.file(procedure="simple")
    case = transition(
        case,
        "decide_onsite",
        by=enf.officer,
        data={"decided_on": "2026-09-22", "outcome": "fine", "fine": "150"},
    )
    case = services.case_publish(by=enf.officer, case=case, published_on=D(2026, 9, 28), where="街道门户网站")
    assert clock_of(case, "publicity").met_on == D(2026, 9, 28)
    case = services.case_pay(by=enf.officer, case=case, paid_on=D(2026, 9, 30))
    with pytest.raises(TransitionNotAllowed):
        transition(case, "close", by=enf.officer, data={"closed_on": "2026-09-21"})
    case = transition(case, "close", by=enf.officer, data={"closed_on": "2026-10-09"})
    # Annulled on reconsideration on Fri 10-09: the withdrawal is due in 3 working days
    case = transition(
        case, "revoke", by=enf.officer, data={"revoked_on": "2026-10-09", "reason": "区政府行政复议决定撤销"}
    )
    withdrawal = clock_of(case, "publicity_withdrawal")
    assert withdrawal.due_on == D(2026, 10, 13)  # 10-10 (Saturday, working), 10-12, 10-13
    case = services.case_withdraw_publicity(by=enf.officer, case=case, withdrawn_on=D(2026, 10, 12))
    assert clock_of(case, "publicity_withdrawal").met_on == D(2026, 10, 12)


def test_closing_needs_the_fine_paid_and_the_decision_published(enf):
    case = enf.file(procedure="simple")
    case = transition(
        case,
        "decide_onsite",
        by=enf.officer,
        data={"decided_on": "2026-09-22", "outcome": "fine", "fine": "50"},
    )
    with pytest.raises(TransitionNotAllowed) as exc:
        transition(case, "close", by=enf.officer, data={"closed_on": "2026-10-09"})
    assert "罚款尚未缴纳" in str(exc.value)
    services.case_pay(by=enf.officer, case=case, paid_on=D(2026, 9, 25))
    with pytest.raises(TransitionNotAllowed) as exc:
        transition(case, "close", by=enf.officer, data={"closed_on": "2026-10-09"})
    assert "决定尚未公示" in str(exc.value)


def test_only_officers_file_and_other_streets_see_nothing(enf, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        enf.file(by=world.users["mediator_a"])
    case = enf.file()
    assert not EnforcementCase.objects.visible_to(world.users["other"]).filter(pk=case.pk).exists()
    assert EnforcementCase.objects.visible_to(world.users["auditor"]).filter(pk=case.pk).exists()


def test_an_appraisal_is_not_counted_in_the_90_days_where_a_rule_so_provides(enf):
    from enforcement.models import EnforcementCase

    case = enf.file(offence_on=D(2026, 7, 1), filed_on=D(2026, 7, 4))
    assert clock_of(case, "decision").due_on == D(2026, 10, 8)
    with pytest.raises(ValidationError) as exc:
        services.decision_clock_suspend(
            by=enf.officer, case=case, suspended_on=D(2026, 9, 1), what="鉴定", basis=""
        )
    assert "请写明依据" in exc.value.message_dict["basis"][0]
    services.decision_clock_suspend(
        by=enf.officer,
        case=case,
        suspended_on=D(2026, 9, 1),
        what="鉴定",
        basis="《市场监督管理行政处罚程序规定》第六十四条",
    )
    services.decision_clock_resume(
        by=enf.officer, case=EnforcementCase.objects.get(pk=case.pk), resumed_on=D(2026, 9, 15)
    )
    # 09-02 … 09-15 (14 days) not counted: 90 days end on 10-16 instead of 10-02
    clock = clock_of(case, "decision")
    assert clock.due_on == D(2026, 10, 16)
    assert "鉴定期间不计入办案期限（《市场监督管理行政处罚程序规定》第六十四条）" in clock.pauses.get().reason
