"""The 特殊群体档案 has pages of its own: its roles enter and correct people (encrypted, shown masked), a full value
is shown only for a logged reason, the list pages through all, and everyone else learns nothing of it."""

from __future__ import annotations

import pytest
from django.test import Client

from core.models import RevealLog
from disputes.models import VulnerablePerson

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_enter_correct_reveal_and_log(world):
    justice = signed_in(world.users["justice"])
    r = justice.post(
        "/disputes/vulnerable/",
        {
            "region": world.community_a.pk,
            "name": "独居老人甲（示例）",
            "category": "孤老",
            "id_number": "11010519491231002x",
            "phone": "021-61234567",
        },
    )
    assert r.status_code == 302
    person = VulnerablePerson.objects.get(name="独居老人甲（示例）")
    assert person.id_number == "11010519491231002X" and person.phone_hash
    page = justice.get("/disputes/vulnerable/").content.decode()
    assert "独居老人甲（示例）" in page and "11010519491231002X" not in page and "021-61234567" not in page

    # A correction that leaves the protected fields blank keeps them.
    r = justice.post(
        f"/disputes/vulnerable/{person.pk}/",
        {
            "region": world.community_a.pk,
            "name": "独居老人甲（示例）",
            "category": "孤老（低保）",
            "note": "每月走访",
        },
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.category == "孤老（低保）" and person.phone == "021-61234567"

    r = justice.post(f"/disputes/vulnerable/{person.pk}/reveal/", {"field": "phone", "reason": "联系调解"})
    assert r.status_code == 200 and "021-61234567" in r.content.decode()
    log = RevealLog.objects.get(object_id=person.pk, field="phone")
    assert log.reason == "联系调解" and log.user == world.users["justice"]
    detail = justice.get(f"/disputes/vulnerable/{person.pk}/").content.decode()
    assert "联系调解" in detail and world.users["justice"].display_name in detail


def test_a_bad_entry_says_why_beside_the_field_and_writes_nothing(world):
    justice = signed_in(world.users["justice"])
    r = justice.post(
        "/disputes/vulnerable/",
        {
            "region": world.community_a.pk,
            "name": "示例",
            "category": "残疾",
            "id_number": "110105194912310021",
        },
    )
    assert r.status_code == 400 and "校验位错误" in r.content.decode()
    assert not VulnerablePerson.objects.exists()


@pytest.mark.parametrize("account", ["mediator_a", "reviewer", "officer", "auditor", "district"])
def test_other_roles_learn_nothing_of_the_register(world, account):
    person = VulnerablePerson.objects.create(region=world.community_a, name="示例人员", category="残疾")
    client = signed_in(world.users[account])
    for url in ("/disputes/vulnerable/", f"/disputes/vulnerable/{person.pk}/"):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            f"/disputes/vulnerable/{person.pk}/reveal/", {"field": "phone", "reason": "看看"}
        ).status_code
        == 404
    )


def test_the_register_pages_through_everyone(world):
    VulnerablePerson.objects.bulk_create(
        VulnerablePerson(region=world.community_a, name=f"示例人员{n:02d}", category="孤老")
        for n in range(45)
    )
    justice = signed_in(world.users["justice"])
    first = justice.get("/disputes/vulnerable/").content.decode()
    assert 'data-testid="result-count">45<' in first and "示例人员29" in first and "示例人员30" not in first
    second = justice.get("/disputes/vulnerable/?page=2").content.decode()
    assert "示例人员30" in second and "示例人员44" in second
