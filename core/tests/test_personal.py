"""Personal data: check digits, encryption at rest, keyed-hash look-ups, masking, reveals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from core import services
from core.models import RevealLog
from core.personal import mask_id_number, mask_phone, validate_id_number, validate_phone, validate_uscc


@pytest.mark.parametrize("value", ["11010519491231002X", "11010519491231002x", "110105194912310038"])
def test_valid_id_numbers(value):
    validate_id_number(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("110105194912310021", "校验位错误"),
        ("1101051949123100", "应为18位，当前为16位"),
        ("11010519491331002X", "出生日期 19491331 不存在"),
        ("1101051949123100A1", "前17位应为数字"),
    ],
)
def test_invalid_id_numbers_explain_in_chinese(value, message):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert message in exc.value.messages[0]


def test_uscc_check_digit():
    validate_uscc("91350100M000100Y43")  # a published sample code with a valid check character
    with pytest.raises(ValidationError, match="校验位错误"):
        validate_uscc("91350100M000100Y44")
    with pytest.raises(ValidationError, match="不允许的字符：I"):
        validate_uscc("91350100I000100Y43")


def test_masks():
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_phone("13900000001") == "139****0001"


def test_encrypted_at_rest_and_found_by_keyed_hash(world):
    person = world.people["a"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_number_hash FROM core_person WHERE id = %s", [person.pk])
        id_cipher, phone_cipher, id_hash = cursor.fetchone()
    assert "11010519491231002X" not in id_cipher and "13900000001" not in phone_cipher
    assert len(id_hash) == 64
    assert list(services.find_people_by(id_number="11010519491231002x")) == [person]
    assert list(services.find_people_by(phone="139 0000 0002")) == [world.people["b"]]


def test_person_create_rejects_bad_id_and_writes_nothing(world):
    from core.models import Person

    before = Person.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            by=None,
            name="坏号码（示例）",
            kind="mediator",
            region=world.community_a,
            id_number="110105194912310021",
            phone="12345",
        )
    assert "校验位错误" in exc.value.message_dict["id_number"][0]
    assert "手机号码应为11位" in exc.value.message_dict["phone"][0]
    assert Person.objects.count() == before


def test_reveal_is_logged_for_allowed_roles_and_refused_for_others(world):
    person = world.people["a"]
    value = services.personal_reveal(
        obj=person, field="id_number", by=world.users["mediator_a"], reason="联系当事人"
    )
    assert value == "11010519491231002X"
    log = RevealLog.objects.get()
    assert (log.user, log.field, log.reason) == (world.users["mediator_a"], "id_number", "联系当事人")
    for key in ("auditor", "leader", "district", "reviewer"):
        with pytest.raises(PermissionDenied):
            services.personal_reveal(obj=person, field="phone", by=world.users[key], reason="查看")
    with pytest.raises(ValidationError, match="查看事由"):
        services.personal_reveal(obj=person, field="phone", by=world.users["justice"], reason=" ")
    assert RevealLog.objects.count() == 1


def test_reveal_page_and_api(world, client_for):
    person = world.people["a"]
    client = client_for(world.users["mediator_a"])
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "110***********002X" in page and "11010519491231002X" not in page
    r = client.post(f"/people/{person.pk}/reveal/", {"field": "phone", "reason": "电话通知调解"})
    assert r.status_code == 200 and "13900000001" in r.content.decode()
    r = client.post(
        f"/api/v1/people/{person.pk}/reveal",
        {"field": "id_number", "reason": "核对身份"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["value"] == "11010519491231002X"
    auditor = client_for(world.users["auditor"])
    r = auditor.post(
        f"/api/v1/people/{person.pk}/reveal",
        {"field": "id_number", "reason": "核对身份"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert "11010519491231002X" not in r.content.decode()
    assert RevealLog.objects.count() == 2


def test_repeat_detection_by_keyed_hash_across_many_people(world):
    from core.tests.factories import PersonFactory

    people = PersonFactory.create_batch(20, region=world.community_b)
    target = people[7]
    found = list(services.find_people_by(id_number=target.id_number.lower()))
    assert found == [target]


@pytest.mark.parametrize(
    "phone",
    [
        "13900000321",
        "139 0000 0321",
        "+86 139-0000-0321",
        "021-61234567",
        "0571-87654321",
        "(021)61234567",
        "61234567",
    ],
)
def test_mobiles_and_landlines_are_accepted(phone):
    validate_phone(phone)


@pytest.mark.parametrize(
    ("phone", "reason"),
    [
        ("612345", "位数不对"),
        ("1390000032", "手机号码应为11位"),
        ("021-6123", "带区号的固定电话应为10至12位"),
        ("139O0000321", "只能包含数字"),
    ],
)
def test_a_wrong_phone_says_what_is_wrong_in_chinese(phone, reason):
    with pytest.raises(ValidationError) as exc:
        validate_phone(phone)
    assert reason in exc.value.messages[0]
