"""Timeline and change log: hash chains that catch an edited, an inserted and a deleted row."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.models import ChangeLog, Person, TimelineEvent
from core.tests.sample.models import SampleCase
from core.workflow import transition


def verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def trail(world):
    case = SampleCase.objects.create(title="示例", region=world.community_a, state="draft")
    for _ in range(2):
        case = transition(case, "submit", by=world.users["mediator_a"])
        case = transition(case, "return", by=world.users["justice"], data={"reason": "补充"})
    return case


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_chains_verify(trail):
    code, out = verify()
    assert code == 0
    assert "审计链完整：时间线 4 条" in out


def test_edited_timeline_row_is_caught(trail):
    victim = TimelineEvent.objects.order_by("seq")[1]
    raw("UPDATE core_timelineevent SET summary = %s WHERE id = %s", ["退回：已受理", victim.pk])
    code, err = verify()
    assert code == 1
    assert f"[timeline] 第 {victim.seq} 号记录" in err and "记录被修改" in err


def test_inserted_timeline_row_is_caught(trail):
    last = TimelineEvent.objects.order_by("-seq").first()
    raw(
        "INSERT INTO core_timelineevent (seq, content_type_id, object_id, at, actor_id, kind, action, summary, data,"
        " prev_hash, hash) VALUES (%s, %s, %s, %s, NULL, 'transition', 'submit', '伪造', '{}', %s, %s)",
        [last.seq + 1, last.content_type_id, last.object_id, last.at, last.hash, "f" * 64],
    )
    code, err = verify()
    assert code == 1
    assert f"第 {last.seq + 1} 号记录" in err


def test_deleted_middle_row_is_caught(trail):
    victim = TimelineEvent.objects.order_by("seq")[1]
    raw("DELETE FROM core_timelineevent WHERE id = %s", [victim.pk])
    code, err = verify()
    assert code == 1
    assert f"第 {victim.seq} 至 {victim.seq} 号记录缺失" in err


def test_deleted_newest_row_is_caught_by_the_head(trail):
    last = TimelineEvent.objects.order_by("-seq").first()
    raw("DELETE FROM core_timelineevent WHERE id = %s", [last.pk])
    code, err = verify()
    assert code == 1
    assert "末尾记录被删除" in err


def test_edited_changelog_row_is_caught(world):
    entry = ChangeLog.objects.filter(action="create").order_by("seq")[3]
    raw("UPDATE core_changelog SET object_repr = %s WHERE id = %s", ["篡改", entry.pk])
    code, err = verify()
    assert code == 1
    assert f"[changelog] 第 {entry.seq} 号记录" in err


def test_change_log_records_actor_request_and_masks_personal_data(world, client_for):
    person = world.people["a"]
    client = client_for(world.users["justice"])
    response = client.post(
        f"/admin/core/person/{person.pk}/change/",
        {
            "name": "调解员甲（示例）",
            "kind": "mediator",
            "region": world.community_a.pk,
            "unit": world.units["committee_a"].pk,
            "id_number": "",
            "phone": "13900000009",
            "specialties": "邻里、物业",
            "active": "on",
            "note": "",
        },
        HTTP_X_REQUEST_ID="req-test-123",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = ChangeLog.objects.filter(object_id=str(person.pk), action="update").order_by("-seq").first()
    assert entry is not None
    assert entry.actor == world.users["justice"]
    assert entry.request_id == "req-test-123"
    assert entry.before["phone"] == "139****0001"
    assert entry.after["phone"] == "139****0009"
    assert entry.after["name"] == "调解员甲（示例）"
    # The ID number left blank is kept, not erased.
    person = Person.objects.get(pk=person.pk)
    assert person.id_number == "11010519491231002X"
    assert entry.region_path == world.community_a.path
    code, _ = verify()
    assert code == 0
