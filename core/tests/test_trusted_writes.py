"""Writes as the outside world makes them: another system through the real HTTP stack with a bearer token, a
browser session with and without its CSRF token, an admin user trying to climb, a mediator on a colleague's case.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from typing import Any

import pytest
from django.utils import timezone

from core import services
from core.models import ApiToken, Membership, User
from core.roles import Role
from core.tests.fixtures import PASSWORD
from core.workflow import transition
from disputes.models import Dispute, MediationSession


def _http(
    method: str, url: str, body: Any = None, headers: dict[str, str] | None = None, opener: Any = None
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with (opener or urllib.request.build_opener()).open(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def _intake(community_pk: int, ref: str) -> dict[str, Any]:
    return {
        "source": "hotline_12345",
        "external_ref": ref,
        "dispute_type": "neighbour",
        "community": community_pk,
        "description": "楼上漏水导致楼下天花板受损（示例）",
        "parties": [{"role": "applicant", "kind": "person", "name": "申请人（示例）"}],
    }


@pytest.mark.django_db(transaction=True)
def test_another_system_writes_with_a_token_over_http(world: Any, live_server: Any) -> None:
    """12345 signs in for a named token and files a work order; no CSRF token is needed, nor accepted instead."""
    api = f"{live_server.url}/api/v1"
    status, body = _http(
        "POST", f"{api}/auth/token", {"username": "t-justice", "password": PASSWORD, "name": "12345热线"}
    )
    assert status == 200 and body["name"] == "12345热线"
    token = body["token"]
    auth = {"Authorization": f"Bearer {token}"}

    status, body = _http("POST", f"{api}/disputes", _intake(world.community_a.pk, "12345-0001"), auth)
    assert status == 201 and body["created"] is True
    number = body["dispute"]["number"]
    status, body = _http("POST", f"{api}/disputes", _intake(world.community_a.pk, "12345-0001"), auth)
    assert (
        status == 200 and body["created"] is False and body["dispute"]["number"] == number
    )  # retried: no twin

    # A workflow action with its own schema, through the token.
    pk = body["dispute"]["id"]
    status, body = _http(
        "POST", f"{api}/disputes/{pk}/actions/triage", {"version": 1, "data": {"route": "community"}}, auth
    )
    assert status == 200 and body["state"] == "triaged"

    # Anonymous: 401 in Chinese, nothing written.
    status, body = _http("POST", f"{api}/disputes", _intake(world.community_a.pk, "12345-0002"))
    assert status == 401 and body["detail"] == "未登录或令牌无效"
    # The same name again replaces the token: the old one stops working, rows do not pile up.
    status, body = _http(
        "POST", f"{api}/auth/token", {"username": "t-justice", "password": PASSWORD, "name": "12345热线"}
    )
    assert status == 200
    assert _http("GET", f"{api}/me", headers=auth)[0] == 401
    assert ApiToken.objects.filter(user=world.users["justice"]).count() == 1
    auth = {"Authorization": f"Bearer {body['token']}"}
    status, tokens = _http("GET", f"{api}/auth/tokens", headers=auth)
    assert status == 200 and [t["name"] for t in tokens["items"]] == ["12345热线"]
    # The owner revokes it: it stops at once.
    status, body = _http("POST", f"{api}/auth/tokens/{tokens['items'][0]['id']}/revoke", headers=auth)
    assert status == 200 and body["status"] == "已吊销"
    assert _http("GET", f"{api}/me", headers=auth)[0] == 401
    assert Dispute.objects.filter(external_ref="12345-0002").count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_browser_session_needs_its_csrf_token_over_http(world: Any, live_server: Any) -> None:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{live_server.url}/login/", timeout=60) as r:
        page = r.read().decode()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": "t-justice", "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    ).encode()
    login = urllib.request.Request(f"{live_server.url}/login/", data=form, method="POST")
    login.add_header("Referer", f"{live_server.url}/login/")
    opener.open(login, timeout=60).read()
    assert any(c.name == "sessionid" for c in jar) and "csrfmiddlewaretoken" in page

    api = f"{live_server.url}/api/v1"
    status, body = _http("POST", f"{api}/disputes", _intake(world.community_a.pk, "S-1"), opener=opener)
    assert status == 403 and "CSRF" in body["detail"] and "请刷新页面" in body["detail"]
    assert not Dispute.objects.filter(external_ref="S-1").exists()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    status, body = _http(
        "POST",
        f"{api}/disputes",
        _intake(world.community_a.pk, "S-1"),
        {"X-CSRFToken": str(csrf), "Referer": f"{live_server.url}/"},
        opener=opener,
    )
    assert status == 201, body


def test_a_password_change_invalidates_tokens(world: Any, client: Any) -> None:
    user = world.users["justice"]
    key = services.token_issue(user=user, name="一网统管")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/me", **auth).status_code == 200
    user.set_password("another-示例-password-2")
    user.save()
    assert client.get("/api/v1/me", **auth).status_code == 401
    token = ApiToken.objects.get(user=user)
    assert token.status == "已失效（密码已修改）"


def test_an_account_holds_a_bounded_number_of_tokens(world: Any) -> None:
    from django.core.exceptions import ValidationError

    user = world.users["officer"]
    for i in range(services.TOKEN_LIMIT):
        services.token_issue(user=user, name=f"系统{i}")
    services.token_issue(user=user, name="系统0")  # re-issuing under a known name is always possible
    with pytest.raises(ValidationError, match="最多20个"):
        services.token_issue(user=user, name="再一个系统")
    assert ApiToken.objects.filter(user=user).count() == services.TOKEN_LIMIT


def _receive(world: Any, by: Any, community: Any = None, **extra: Any) -> Any:
    """A neighbours' dispute received through the intake service (the parties' details can be added)."""
    from disputes import services as ds

    party = {"role": "applicant", "kind": "person", "name": "申请人（示例）", **extra.pop("party", {})}
    return ds.dispute_intake(
        by=by,
        source=extra.pop("source", "walk_in"),
        dispute_type="neighbour",
        community=(community or world.community_a).pk,
        description="楼上漏水导致楼下天花板受损（示例）",
        parties=[party],
        **extra,
    ).dispute


# --- the admin cannot be used to climb -------------------------------------------------------------------


def _membership_form(user: User, rows: list[tuple[int, str]]) -> dict[str, Any]:
    """The user change form as the admin posts it, with the given (unit, role) membership rows."""
    existing = list(Membership.objects.filter(user=user))
    data: dict[str, Any] = {
        "username": user.username,
        "full_name": user.full_name,
        "email": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(existing) + len(rows)),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(existing):
        data.update(
            {
                f"memberships-{i}-id": m.pk,
                f"memberships-{i}-user": user.pk,
                f"memberships-{i}-unit": m.unit_id,
                f"memberships-{i}-role": m.role,
                f"memberships-{i}-title": m.title,
                f"memberships-{i}-active": "on",
            }
        )
    for j, (unit, role) in enumerate(rows, start=len(existing)):
        data.update(
            {
                f"memberships-{j}-user": user.pk,
                f"memberships-{j}-unit": unit,
                f"memberships-{j}-role": role,
                f"memberships-{j}-active": "on",
            }
        )
    return data


def test_the_coordinator_cannot_grant_itself_administrator_or_a_higher_role(world: Any, client: Any) -> None:
    justice = world.users["justice"]
    client.force_login(justice)
    url = f"/admin/core/user/{justice.pk}/change/"
    for role in (Role.ADMINISTRATOR, Role.DISTRICT_STAFF, Role.STREET_LEADER):
        r = client.post(url, _membership_form(justice, [(world.units["justice"].pk, role)]))
        assert r.status_code == 200, role  # the form comes back with the refusal
        assert not Membership.objects.filter(user=justice, role=role).exists()
    page = client.get(url).content.decode()
    assert "系统管理员" not in page.split("memberships-0-role")[1].split("</select>")[0]
    # A role at or below its own, in its own street: granted.
    r = client.post(url, _membership_form(justice, [(world.units["committee_a"].pk, Role.MEDIATOR)]))
    assert r.status_code == 302
    assert Membership.objects.filter(user=justice, role=Role.MEDIATOR).exists()
    # Outside its street: the unit is not even a choice.
    r = client.post(url, _membership_form(justice, [(world.units["justice2"].pk, Role.MEDIATOR)]))
    assert (
        r.status_code == 200
        and not Membership.objects.filter(unit=world.units["justice2"], user=justice).exists()
    )


def test_only_administrators_reset_passwords_and_set_flags(world: Any, client: Any) -> None:
    justice, leader = world.users["justice"], world.users["leader"]
    client.force_login(justice)
    before = User.objects.get(pk=leader.pk).password
    r = client.post(
        f"/admin/core/user/{leader.pk}/password/",
        {"password1": "x-示例-9876543", "password2": "x-示例-9876543"},
    )
    assert r.status_code == 403
    assert User.objects.get(pk=leader.pk).password == before
    # The leader outranks the coordinator: their account is not the coordinator's to change.
    assert (
        client.post(f"/admin/core/user/{leader.pk}/change/", _membership_form(leader, [])).status_code == 403
    )
    # A mediator's account is, but not its staff flag.
    mediator = world.users["mediator_a"]
    Membership.objects.filter(user=mediator).update(active=True)
    User.objects.filter(pk=mediator.pk).update(is_staff=False)
    form = _membership_form(mediator, [])
    form["is_staff"] = "on"
    client.post(f"/admin/core/user/{mediator.pk}/change/", form)
    assert not User.objects.get(pk=mediator.pk).is_staff
    # An administrator may.
    admin_user = services.user_create(
        username="t-admin", full_name="管理员（示例）", password=PASSWORD, by=None
    )
    services.membership_grant(
        user=admin_user, unit=world.units["district_office"], role=Role.ADMINISTRATOR, by=None
    )
    User.objects.filter(pk=admin_user.pk).update(is_staff=True)
    client.force_login(admin_user)
    r = client.post(
        f"/admin/core/user/{leader.pk}/password/",
        {"password1": "x-示例-9876543", "password2": "x-示例-9876543"},
    )
    assert r.status_code == 302 and User.objects.get(pk=leader.pk).password != before


def test_shared_calendar_is_changed_only_at_district_level(world: Any, client: Any) -> None:
    from core.models import CalendarDay

    day = {"date": "2031-01-01", "is_working_day": "", "name": "元旦"}
    client.force_login(world.users["justice"])
    assert client.post("/admin/core/calendarday/add/", day).status_code == 403
    # Even a street-level administrator role (if one were granted) does not reach the district's shared calendar.
    services.membership_grant(
        user=world.users["justice"], unit=world.units["justice"], role=Role.ADMINISTRATOR, by=None
    )
    client.force_login(User.objects.get(pk=world.users["justice"].pk))
    assert client.post("/admin/core/calendarday/add/", day).status_code == 403
    assert not CalendarDay.objects.exists()
    client.force_login(world.users["district"])
    assert client.post("/admin/core/calendarday/add/", day).status_code == 302
    assert CalendarDay.objects.filter(date=dt.date(2031, 1, 1)).exists()


# --- a mediator acts on the cases assigned to them ----------------------------------------------------------


def test_a_mediator_cannot_work_on_a_colleagues_case(world: Any, client: Any) -> None:
    """Mediator A sees every case of 示例甲居民区, but records sessions only on those assigned to committee A."""

    colleague_committee = services.unit_create(
        name="示例甲居民区第二调解小组", kind="mediation_committee", region=world.community_a, by=None
    )
    j = world.users["justice"]
    d = _receive(world, j, received_at=timezone.now() - dt.timedelta(days=3))
    d = transition(d, "triage", by=j, data={"route": "community"})
    d = transition(
        d,
        "assign",
        by=j,
        data={"committee": str(colleague_committee.pk), "mediators": [str(world.people["b"].pk)]},
    )
    d = transition(d, "accept", by=j, data={"accepted_on": timezone.localdate()})
    client.force_login(world.users["mediator_a"])
    page = client.get(f"/disputes/{d.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "记录调解" not in html and "调解成功" not in html  # no forms or buttons they may not use
    r = client.post(
        f"/disputes/{d.pk}/record/session/",
        {"held_at": "2026-11-20T10:00", "place": "调解室", "participants": "双方", "summary": "示例"},
    )
    assert r.status_code == 403 and "仅限分派给本人或本单位的事项" in r.content.decode()
    r = client.post(
        f"/api/v1/disputes/{d.pk}/actions/fail",
        {"version": d.version, "data": {}},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert not MediationSession.objects.filter(dispute=d).exists()
    # The justice office may.
    client.force_login(j)
    assert "记录调解" in client.get(f"/disputes/{d.pk}/").content.decode()


def test_the_auditor_sees_no_write_forms(world: Any, client: Any, intake: Any = None) -> None:
    client.force_login(world.users["auditor"])
    for url in ("/disputes/new/", "/disclosure/new/", "/administration/reviews/new/"):
        assert client.get(url).status_code == 403, url
    assert "签发" in client.get("/account/tokens/").content.decode()  # their own API token, to read


def test_the_permission_table_is_published(world: Any, client: Any) -> None:
    client.force_login(world.users["mediator_a"])
    rows = client.get("/api/v1/permissions").json()
    by_code = {r["code"]: r for r in rows}
    assert {r["label"] for r in by_code["disputes.session"]["roles"]} == {
        "司法所工作人员",
        "调解员",
        "系统管理员",
    }
    assert "调解员仅限分派给本人或本单位的事项" in by_code["disputes.session"]["region_rule"]
    assert by_code["calendar.manage"]["region_rule"] == "仅限区级及以上任职"
    assert all("审计人员（只读）" not in [x["label"] for x in r["roles"]] for r in rows if r["write"])
    assert "disputes.dispute.triage" in by_code  # workflow actions are rows of the same table
    page = client.get("/permissions/").content.decode()
    assert "记录调解过程" in page and "表中未列出的操作，任何角色都不能做" in page
    me = client.get("/api/v1/me").json()
    assert "disputes.session" in me["capabilities"] and "calendar.manage" not in me["capabilities"]


# --- regressions found by the independent review ---------------------------------------------------------


def test_an_account_that_also_works_in_another_street_is_not_the_coordinators_to_change(
    world: Any, client: Any
) -> None:
    dual = services.user_create(username="t-dual", full_name="双重任职（示例）", password=PASSWORD, by=None)
    services.membership_grant(user=dual, unit=world.units["committee_a"], role=Role.MEDIATOR, by=None)
    services.membership_grant(user=dual, unit=world.units["justice2"], role=Role.MEDIATOR, by=None)
    client.force_login(world.users["justice"])
    r = client.post(f"/admin/core/user/{dual.pk}/change/", {"username": "renamed", "full_name": "x"})
    assert r.status_code == 403
    dual.refresh_from_db()
    assert dual.username == "t-dual" and dual.is_active


def test_another_streets_source_reference_is_a_field_error_not_a_false_success(
    world: Any, client: Any
) -> None:

    _receive(world, world.users["other"], world.community_c, source="hotline_12345", external_ref="REF-B")
    client.force_login(world.users["justice"])
    r = client.post(
        "/api/v1/disputes",
        json.dumps(_intake(world.community_a.pk, "REF-B")),
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["detail"][0]["field"] == "external_ref" and "TJ-990100002" not in r.content.decode()


def test_a_mediator_assigns_only_to_their_own_committee(world: Any) -> None:
    from core.workflow import TransitionNotAllowed

    m = world.users["mediator_a"]
    d = _receive(world, m)
    d = transition(d, "triage", by=m, data={"route": "community"})
    other = services.unit_create(
        name="示例甲居民区第二调解小组", kind="mediation_committee", region=world.community_a, by=None
    )
    with pytest.raises(TransitionNotAllowed, match="只能分派给本人所在的调解组织"):
        transition(
            d, "assign", by=m, data={"committee": str(other.pk), "mediators": [str(world.people["a"].pk)]}
        )
    d = transition(
        d,
        "assign",
        by=m,
        data={"committee": str(world.units["committee_a"].pk), "mediators": [str(world.people["a"].pk)]},
    )
    assert d.state == "assigned"


def test_a_colleagues_case_file_is_not_a_mediators_to_print(world: Any, client: Any) -> None:

    j = world.users["justice"]
    colleague = services.unit_create(
        name="示例甲居民区第二调解小组", kind="mediation_committee", region=world.community_a, by=None
    )
    d = _receive(world, j, party={"id_number": "11010519491231002X"})
    d = transition(d, "triage", by=j, data={"route": "community"})
    d = transition(
        d, "assign", by=j, data={"committee": str(colleague.pk), "mediators": [str(world.people["b"].pk)]}
    )
    d = transition(
        d, "transfer", by=j, data={"body": "court", "transferred_on": timezone.localdate(), "reason": "示例"}
    )
    client.force_login(world.users["mediator_a"])
    assert client.get(f"/disputes/{d.pk}/record.docx").status_code == 403
    client.force_login(j)
    assert client.get(f"/disputes/{d.pk}/record.docx").status_code == 200


def test_a_bad_value_in_the_admin_is_a_field_error(world: Any, client: Any) -> None:
    from core.models import Unit

    client.force_login(world.users["justice"])
    r = client.post(
        "/admin/core/unit/add/",
        {"name": "bad\x01name", "kind": "department", "region": world.street.pk, "active": "on", "uscc": ""},
    )
    assert r.status_code == 200 and "控制字符" in r.content.decode()
    assert not Unit.objects.filter(name__startswith="bad").exists()


def test_a_malformed_cleanup_entry_is_not_found(world: Any, client: Any) -> None:
    from administration import services as ads

    campaign = ads.cleanup_start(
        by=world.users["justice"], region=world.street, name="示例清理", started_on=timezone.localdate()
    )
    client.force_login(world.users["justice"])
    r = client.post(
        f"/administration/normative/cleanups/{campaign.pk}/", {"entry": "abc", "decision": "continue"}
    )
    assert r.status_code == 404
