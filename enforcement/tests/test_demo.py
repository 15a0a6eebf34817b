"""The enforcement demo generator works through the services and leaves realistic states: every step of the
table, on-the-spot and ordinary cases, 首违不罚 with its education, reviews before the decisions that need them,
and publicity mostly on time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from core.demo import load_demo
from core.models import Region, User
from enforcement import indicators
from enforcement.demo import generate_enforcement_year
from enforcement.models import EnforcementCase


@pytest.mark.django_db
def test_a_year_of_enforcement_through_the_services(frozen_today):
    frozen_today(dt.date(2026, 11, 30))
    load_demo()
    street = Region.objects.get(code="990100001")
    made = generate_enforcement_year(street, seed=5, cases=60)
    assert made["items"] == 10 and made["officers"] == 8 and made["plans"] == 4 and made["evaluated"] > 5
    cases = EnforcementCase.objects.all()
    assert cases.count() == made["cases"] > 40
    states = set(cases.values_list("state", flat=True))
    assert {"served", "closed"} <= states and {"simple", "ordinary"} == set(
        cases.values_list("procedure", flat=True)
    )
    assert cases.filter(outcome="first_offence").exclude(education="").exists()
    assert not cases.filter(outcome="first_offence", education="").exists()
    reviewed = cases.filter(review__isnull=False)
    assert reviewed.exists() and not reviewed.filter(decided_on__lt=F("review__opinion_on")).exists()
    leader = User.objects.get(username="demo-leader")
    start, end = dt.date(2025, 12, 1), dt.date(2026, 11, 30)
    assert indicators.review_rate(leader, street, start, end).value == 100
    publicity = indicators.publicity_rate(leader, street, start, end)
    assert publicity.value is not None and 50 < publicity.value < 100  # most on time, some late
    assert indicators.certified_rate(leader, street, start, end).value == 100
    passed = indicators.evaluation_pass_rate(leader, street, start, end)
    assert passed.denominator == made["evaluated"] and passed.numerator == made["evaluated"] - 1  # one vetoed
    from enforcement.models import InspectionPlan

    assert InspectionPlan.objects.filter(seed__isnull=False, published_on__isnull=False).count() >= 3
