"""The chain against an administrator with database access: anchors outside the database catch a
wipe, a truncation and a rolled-back head; accounts cannot be deleted; verify_audit reads one
snapshot while people work; the audit secret is not the field keys, which rotate in any order."""

from __future__ import annotations

import base64
import io
import os
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.models import ProtectedError

from core import services
from core.audit import changelog, timeline
from core.audit.reseal import reseal_chain
from core.audit.verify import verify_chains
from core.models import ChainHead, ChangeLog, Person, TimelineEvent, User
from core.personal import UndecryptableError, keyed_hash, legacy_derived_key
from core.tests.sample.models import SampleCase
from core.workflow import transition


def run(command: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def work(world, rounds: int = 2) -> SampleCase:
    case = SampleCase.objects.create(title="示例", region=world.community_a, state="draft")
    for _ in range(rounds):
        case = transition(case, "submit", by=world.users["mediator_a"])
        case = transition(case, "return", by=world.users["justice"], data={"reason": "补充"})
    return case


# --- anchors ----------------------------------------------------------------------------------


def test_anchor_then_verify_names_the_anchor(world, _own_anchor_dir):
    work(world)
    code, out, _ = run("anchor_audit")
    assert code == 0
    assert "已锚定 [changelog]" in out and "已锚定 [timeline]：4 条" in out
    assert (_own_anchor_dir / "anchors.jsonl").read_text().count("\n") == 2
    code, out, _ = run("verify_audit")
    assert code == 0 and "与库外锚点一致" in out


def test_without_anchors_verify_says_what_it_cannot_see(world):
    code, out, _ = run("verify_audit")
    assert code == 0
    assert "还没有锚点，无法发现整链清空或链头回滚" in out


def test_wipe_of_the_change_log_with_its_head_is_caught(world):
    work(world)
    assert run("anchor_audit")[0] == 0
    raw("DELETE FROM core_changelog")
    raw("DELETE FROM core_chainhead WHERE name = %s", [changelog.CHAIN])
    code, _, err = run("verify_audit")
    assert code == 1
    assert "[changelog] 链头：整条链连同链头被清空" in err
    assert "数据库中没有任何记录" in err


def test_truncation_is_caught(world):
    work(world)
    assert run("anchor_audit")[0] == 0
    last = TimelineEvent.objects.order_by("-seq")[:2]
    raw("DELETE FROM core_timelineevent WHERE seq >= %s", [min(e.seq for e in last)])
    code, _, err = run("verify_audit")
    assert code == 1
    assert "[timeline] 第 3 号记录（id=None）：链被截断" in err


def test_rolled_back_head_is_caught(world):
    work(world, rounds=1)
    old = ChainHead.objects.get(name=timeline.CHAIN)
    work(world, rounds=2)
    assert run("anchor_audit")[0] == 0
    # Delete the newer entries and put the older head back: the chain agrees with itself again ...
    raw("DELETE FROM core_timelineevent WHERE seq > %s", [old.last_seq])
    raw(
        "UPDATE core_chainhead SET last_seq = %s, last_hash = %s, mac = %s WHERE name = %s",
        [old.last_seq, old.last_hash, old.mac, timeline.CHAIN],
    )
    assert not verify_chains(use_anchors=False).breaks
    # ... but not with the anchor kept outside the database.
    code, _, err = run("verify_audit")
    assert code == 1
    assert "链头被回滚到旧状态：锚点" in err
    assert f"数据库链头只到第 {old.last_seq} 号" in err


def test_an_edited_anchor_line_is_named(world, _own_anchor_dir):
    work(world)
    run("anchor_audit")
    path = _own_anchor_dir / "anchors.jsonl"
    path.write_text(path.read_text().replace('"count": 4', '"count": 3'))
    code, _, err = run("verify_audit")
    assert code == 1
    assert "签名不符（锚点被篡改" in err


def test_anchor_refuses_a_broken_chain(world, _own_anchor_dir):
    work(world)
    raw("UPDATE core_timelineevent SET summary = '篡改' WHERE seq = 2")
    code, _, err = run("anchor_audit")
    assert code == 1
    assert "不写入锚点" in err
    assert not (_own_anchor_dir / "anchors.jsonl").exists()


# --- row drift --------------------------------------------------------------------------------


def test_rows_match_their_change_log_in_a_world_built_through_the_services(world):
    work(world)
    code, out, err = run("verify_audit", "--rows")
    assert code == 0, err
    assert "业务数据与变更日志一致：已核对" in out


def test_rows_changed_inserted_or_deleted_behind_the_platform_are_named(world):
    case = work(world)
    raw("UPDATE sample_samplecase SET state = 'closed' WHERE id = %s", [case.pk])
    person = world.people["b"]
    raw("DELETE FROM core_person WHERE id = %s", [person.pk])
    code, _, err = run("verify_audit", "--rows")
    assert code == 1
    assert f"id={case.pk}）：“状态”与变更日志最后记录" in err and "被绕过平台直接修改" in err
    assert f"id={person.pk}）：此行已不在数据库中" in err


# --- accounts are deactivated, never deleted --------------------------------------------------


def test_an_account_cannot_be_deleted_in_the_admin_or_the_orm(world, client_for):
    admin = User.objects.create_superuser("t-root", password="x-示例-long-password")
    victim = world.users["mediator_a"]
    work(world)
    client = client_for(admin)
    r = client.post(f"/admin/core/user/{victim.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403
    assert "账号不能删除" in r.content.decode() and "停用" in r.content.decode()
    r = client.get(f"/admin/core/user/{victim.pk}/change/")
    assert f"/admin/core/user/{victim.pk}/delete/" not in r.content.decode()  # no delete link offered
    with pytest.raises(PermissionDenied, match="账号不能删除"):
        victim.delete()
    with pytest.raises(ProtectedError):
        User.objects.filter(pk=victim.pk).delete()
    assert User.objects.filter(pk=victim.pk).exists()
    assert run("verify_audit")[0] == 0


# --- one snapshot while people work ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_verify_while_another_thread_writes_reports_no_false_break(world):
    stop = threading.Event()
    errors: list[BaseException] = []
    rounds = {"n": 0}

    def writer() -> None:
        try:
            while not stop.is_set():
                work(world, rounds=1)
                rounds["n"] += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    reports: list = []
    try:
        while rounds["n"] < 2 and thread.is_alive():
            threading.Event().wait(0.05)
        start = rounds["n"]
        # Verify over and over while the writer keeps committing (at least 8 more rounds).
        while (rounds["n"] < start + 8 or len(reports) < 4) and len(reports) < 200 and thread.is_alive():
            reports.append(verify_chains())
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors, errors
    assert all(r.intact for r in reports), [str(b) for r in reports for b in r.breaks]
    counts = [r.counts["timeline"] for r in reports]
    assert counts[-1] > counts[0] > 0  # the verifications saw the chain grow under them
    assert run("verify_audit", "--rows")[0] == 0


# --- keys ------------------------------------------------------------------------------------


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.mark.parametrize("order", ["new_first", "new_last"])
def test_field_keys_rotate_in_either_order(world, settings, order):
    old = settings.FAZHI_FIELD_KEYS[0]
    fresh = new_key()
    settings.FAZHI_FIELD_KEYS = [fresh, old] if order == "new_first" else [old, fresh]
    work(world)
    # Chains and look-ups do not depend on which key is listed last.
    assert verify_chains().intact
    assert list(services.find_people_by(id_number="11010519491231002X")) == [world.people["a"]]
    code, out, _ = run("rotate_keys")
    assert code == 0 and "现在可以从 FAZHI_FIELD_KEY 中移除旧密钥" in out
    first = settings.FAZHI_FIELD_KEYS[0]
    settings.FAZHI_FIELD_KEYS = [first]  # the other key retired
    person = Person.objects.get(pk=world.people["a"].pk)
    assert person.id_number == "11010519491231002X"
    assert list(services.find_people_by(phone="13900000001")) == [person]
    code, _, err = run("verify_audit", "--rows")
    assert code == 0, err


def test_a_value_no_key_decrypts_stops_the_save_and_is_never_overwritten(world, settings, client_for):
    person = world.people["a"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM core_person WHERE id = %s", [person.pk])
        (cipher,) = cursor.fetchone()
    settings.FAZHI_FIELD_KEYS = [new_key()]  # the key that wrote it was removed too early
    stranger = Person.objects.get(pk=person.pk)
    assert stranger.id_number != "【无法解密】"
    stranger.note = "改备注"
    with (
        pytest.raises(UndecryptableError, match="无法用 FAZHI_FIELD_KEY 中的任何密钥解密"),
        transaction.atomic(),
    ):
        stranger.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM core_person WHERE id = %s", [person.pk])
        assert cursor.fetchone()[0] == cipher
    code, _, err = run("rotate_keys")
    assert code == 1 and "请把写入它的旧密钥加回 FAZHI_FIELD_KEY" in err


def test_history_keyed_by_the_last_field_key_is_resealed_by_the_migration(world, settings):
    """A database written before the audit secret existed: its chains were keyed by the last field key."""
    work(world)
    legacy = legacy_derived_key(settings.FAZHI_FIELD_KEYS[-1], "fazhi-audit-chain")
    import hashlib
    import hmac

    from core.audit.chain import GENESIS, canonical

    for name, model, content_of in (
        (timeline.CHAIN, TimelineEvent, timeline.content_of),
        (changelog.CHAIN, ChangeLog, changelog.content_of),
    ):
        prev = GENESIS
        for entry in model.objects.order_by("seq"):
            digest = hmac.new(
                legacy, prev.encode() + canonical({**content_of(entry), "seq": entry.seq}), hashlib.sha256
            ).hexdigest()
            raw(
                f"UPDATE {model._meta.db_table} SET prev_hash = %s, hash = %s WHERE id = %s",
                [prev, digest, entry.pk],
            )
            prev = digest
        raw("UPDATE core_chainhead SET last_hash = %s WHERE name = %s", [prev, name])
    assert not verify_chains(use_anchors=False).intact  # the new code alone cannot read it ...
    reseal_chain(timeline.CHAIN, TimelineEvent, ChainHead, timeline.content_of)
    reseal_chain(changelog.CHAIN, ChangeLog, ChainHead, changelog.content_of)
    assert verify_chains(use_anchors=False).intact  # ... the migration's re-seal can.


def test_keyed_hash_is_not_derived_from_the_field_keys(settings):
    before = keyed_hash("11010519491231002X")
    settings.FAZHI_FIELD_KEYS = [new_key(), *settings.FAZHI_FIELD_KEYS]
    assert keyed_hash("11010519491231002X") == before
    settings.FAZHI_AUDIT_KEY = "another-audit-key-for-this-test-only-0123456789"
    assert keyed_hash("11010519491231002X") != before


def test_the_admin_refuses_a_row_no_key_decrypts_with_a_field_error(world, settings, client):
    """The vulnerable-people register in the admin: the form comes back naming the field, nothing is saved."""
    from disputes.models import VulnerablePerson

    v = VulnerablePerson(
        region=world.community_a, name="示例人员", category="独居老人", id_number="11010519491231002X"
    )
    v.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM disputes_vulnerableperson WHERE id = %s", [v.pk])
        (cipher,) = cursor.fetchone()
    settings.FAZHI_FIELD_KEYS = [new_key()]
    client.force_login(world.users["justice"])
    r = client.post(
        f"/admin/disputes/vulnerableperson/{v.pk}/change/",
        {
            "region": world.community_a.pk,
            "name": "改名",
            "category": "独居老人",
            "id_number": "",
            "phone": "",
            "note": "",
        },
    )
    assert r.status_code == 200 and "无法用现有密钥解密" in r.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, name FROM disputes_vulnerableperson WHERE id = %s", [v.pk])
        assert cursor.fetchone() == (cipher, "示例人员")


def test_the_person_admin_refuses_a_row_no_key_decrypts(world, settings, client):
    person = world.people["a"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, name FROM core_person WHERE id = %s", [person.pk])
        before = cursor.fetchone()
    settings.FAZHI_FIELD_KEYS = [new_key()]
    client.force_login(world.users["justice"])
    r = client.post(
        f"/admin/core/person/{person.pk}/change/",
        {
            "name": "改名",
            "kind": person.kind,
            "region": person.region_id,
            "unit": person.unit_id or "",
            "id_number": "",
            "phone": "",
            "specialties": "",
            "active": "on",
            "note": "",
        },
    )
    assert r.status_code == 200 and "无法用现有密钥解密" in r.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, name FROM core_person WHERE id = %s", [person.pk])
        assert cursor.fetchone() == before
