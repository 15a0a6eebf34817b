"""The administration demo generator works through the services and leaves realistic states."""

from __future__ import annotations

import pytest
from django.utils import timezone

from administration import services
from administration.demo import generate_administration_year
from administration.models import MajorDecision, NormativeDocument, ReviewItem
from core.demo import load_demo
from core.models import Region, User
from disclosure.demo import generate_disclosure_year
from disclosure.models import DisclosureRequest


@pytest.mark.django_db
def test_generators_leave_every_step_and_an_expired_document():
    load_demo()
    street = Region.objects.get(code="990100001")
    generate_administration_year(street, seed=3, contracts=6, enforcement=4)
    generate_disclosure_year(street, seed=3, requests=12, items=8)
    assert set(MajorDecision.objects.values_list("state", flat=True)) == {
        "drafting",
        "public_comment",
        "legality_review",
        "decided",
        "archived",
    }
    assert MajorDecision.objects.get(state="archived").evaluation  # post-evaluated
    from administration.models import DecisionCatalogue

    catalogue = DecisionCatalogue.objects.get()
    assert catalogue.state == "published" and catalogue.approved_on and catalogue.published_where
    assert ReviewItem.objects.filter(kind="enforcement_decision").count() == 4
    user = User.objects.get(username="demo-justice")
    today = timezone.localdate()
    in_force = services.documents_in_force(street, on=today, user=user)
    assert NormativeDocument.objects.count() == 20 and in_force.count() == 19
    assert services.documents_expiring(street, on=today, user=user).count() == 2
    assert DisclosureRequest.objects.filter(state="withdrawn").exists()
    assert DisclosureRequest.objects.filter(third_party__gt="").exists()
