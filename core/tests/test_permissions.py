"""The permission matrix: every role against objects inside and outside its scope, pages and API.

Expected visibility is written out by hand (not derived from the code under test).
"""

from __future__ import annotations

import pytest

# Which objects each account may see. Keys of objects: region/unit/person fixtures in the world.
SEES = {
    "district": {
        "community_a",
        "community_b",
        "community_c",
        "committee_a",
        "committee_b",
        "justice2",
        "person_a",
        "person_b",
        "person_c",
    },
    "leader": {"community_a", "community_b", "committee_a", "committee_b", "person_a", "person_b"},
    "justice": {"community_a", "community_b", "committee_a", "committee_b", "person_a", "person_b"},
    "reviewer": {"community_a", "community_b", "committee_a", "committee_b", "person_a", "person_b"},
    "officer": {"community_a", "community_b", "committee_a", "committee_b", "person_a", "person_b"},
    "auditor": {"community_a", "community_b", "committee_a", "committee_b", "person_a", "person_b"},
    "mediator_a": {"community_a", "committee_a", "person_a"},
    "mediator_b": {"community_b", "committee_b", "person_b"},
    "other": {"community_c", "justice2", "person_c"},
}
OBJECTS = [
    "community_a",
    "community_b",
    "community_c",
    "committee_a",
    "committee_b",
    "justice2",
    "person_a",
    "person_b",
    "person_c",
]


def _resolve(world, key):
    if key.startswith("community"):
        return getattr(world, key), "/regions/{}/", "/api/v1/regions/{}"
    if key.startswith("person"):
        return world.people[key[-1]], "/people/{}/", "/api/v1/people/{}"
    return world.units[key], "/units/{}/", "/api/v1/units/{}"


@pytest.mark.parametrize("account", sorted(SEES))
def test_matrix_pages_and_api(world, client, account):
    client.force_login(world.users[account])
    for key in OBJECTS:
        obj, page, api = _resolve(world, key)
        expected = 200 if key in SEES[account] else 404
        assert client.get(page.format(obj.pk)).status_code == expected, (account, key, "page")
        assert client.get(api.format(obj.pk)).status_code == expected, (account, key, "api")


@pytest.mark.parametrize("account", sorted(SEES))
def test_lists_hold_nothing_outside_scope(world, client, account):
    client.force_login(world.users[account])
    names = {p["name"] for p in client.get("/api/v1/people").json()["items"]}
    expected = {world.people[k[-1]].name for k in SEES[account] if k.startswith("person")}
    assert names == expected
    page = client.get("/people/").content.decode()
    for key in ("a", "b", "c"):
        assert (world.people[key].name in page) == (f"person_{key}" in SEES[account])
    region_codes = {r["code"] for r in client.get("/api/v1/regions?level=community").json()["items"]}
    assert region_codes == {getattr(world, k).code for k in SEES[account] if k.startswith("community")}
    tree = client.get("/regions/").content.decode()
    assert ("示例丙居民区" in tree) == ("community_c" in SEES[account])


def test_anonymous_gets_login_and_401(world, client):
    assert client.get("/people/").status_code == 302
    assert client.get(f"/regions/{world.community_a.pk}/").url.startswith("/login/")
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/people").json() == {"detail": "未登录或令牌无效"}


@pytest.mark.parametrize(
    ("account", "import_page", "admin_changelog", "admin_person_change"),
    [
        ("district", 200, 200, 200),
        ("justice", 200, 200, 200),
        ("auditor", 404, 200, 403),
        ("mediator_a", 200, 403, 403),  # may import disputes only (see disputes tests)
        (
            "leader",
            200,
            403,
            403,
        ),  # may import key-task progress of the tasks they report on (steering tests)
        ("officer", 200, 403, 403),  # likewise
        ("reviewer", 200, 403, 403),  # may import the meetings attended only (administration tests)
    ],
)
def test_capabilities(world, client, account, import_page, admin_changelog, admin_person_change):
    client.force_login(world.users[account])
    assert client.get("/import/").status_code == import_page
    assert client.get("/admin/core/changelog/").status_code == admin_changelog
    assert client.get(f"/admin/core/person/{world.people['a'].pk}/change/").status_code == admin_person_change


def test_admin_is_scoped(world, client):
    client.force_login(world.users["justice"])
    listing = client.get("/admin/core/person/").content.decode()
    assert world.people["a"].name in listing and world.people["c"].name not in listing
    # Outside scope: the admin says the object does not exist (redirect with message), never shows it.
    r = client.get(f"/admin/core/person/{world.people['c'].pk}/change/")
    assert r.status_code == 302
    client.force_login(world.users["other"])
    changes = client.get("/admin/core/changelog/").content.decode()
    assert world.people["c"].name in changes and world.people["a"].name not in changes


def test_auditor_cannot_change_anything_via_admin(world, client):
    client.force_login(world.users["auditor"])
    r = client.post("/admin/core/changelog/1/delete/", {"post": "yes"})
    assert r.status_code == 403


def test_not_found_page_is_in_chinese(world, client):
    client.force_login(world.users["mediator_a"])
    r = client.get(f"/people/{world.people['b'].pk}/")
    assert r.status_code == 404
    assert "未找到该页面或事项" in r.content.decode()
    assert world.people["b"].name not in r.content.decode()


def test_only_an_administrator_creates_a_top_level_region(world):
    from django.core.exceptions import ValidationError

    from core import services

    with pytest.raises(ValidationError) as exc:
        services.region_create(
            code="880000", name="示例外市", level="city", parent=None, by=world.users["district"]
        )
    assert "只有系统管理员" in exc.value.message_dict["parent"][0]
