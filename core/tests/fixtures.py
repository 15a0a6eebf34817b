"""A small world for the core tests: a district with two streets, three communities, one unit
and one account per role, and three roster people. Built through the services like real data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from core import services
from core.models import Person, Region, Unit, User
from core.models.people import PersonKind
from core.models.regions import RegionLevel, UnitKind
from core.roles import Role

PASSWORD = "correct-horse-示例-1"


@dataclass
class World:
    district: Region
    street: Region
    street2: Region
    community_a: Region
    community_b: Region
    community_c: Region
    grid_a: Region
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)


def build_world() -> World:
    # Seed data from data migrations (the dispute taxonomy) is emptied by any earlier transactional test on
    # the same database: put it back, so no test depends on the order tests run in.
    from disputes.taxonomy import seed_dispute_types

    seed_dispute_types()

    def region(code: str, name: str, level: str, parent: Region | None) -> Region:
        return services.region_create(code=code, name=name, level=level, parent=parent, by=None)

    city = region("990000", "示例市", RegionLevel.CITY, None)
    district = region("990100", "示例区", RegionLevel.DISTRICT, city)
    street = region("990100001", "示例街道", RegionLevel.STREET, district)
    street2 = region("990100002", "示例二街道", RegionLevel.STREET, district)
    a = region("990100001001", "示例甲居民区", RegionLevel.COMMUNITY, street)
    b = region("990100001002", "示例乙居民区", RegionLevel.COMMUNITY, street)
    c = region("990100002001", "示例丙居民区", RegionLevel.COMMUNITY, street2)
    grid_a = region("990100001001001", "示例甲第1网格", RegionLevel.GRID, a)
    w = World(district, street, street2, a, b, c, grid_a)

    def unit(key: str, name: str, kind: str, where: Region) -> None:
        w.units[key] = services.unit_create(name=name, kind=kind, region=where, by=None)

    unit("district_office", "示例区司法局", UnitKind.DISTRICT_OFFICE, district)
    unit("leadership", "示例街道办事处", UnitKind.LEADERSHIP, street)
    unit("justice", "示例街道司法所", UnitKind.JUSTICE_OFFICE, street)
    unit("enforcement", "示例街道综合行政执法队", UnitKind.ENFORCEMENT_TEAM, street)
    unit("committee_a", "示例甲居民区人民调解委员会", UnitKind.MEDIATION_COMMITTEE, a)
    unit("committee_b", "示例乙居民区人民调解委员会", UnitKind.MEDIATION_COMMITTEE, b)
    unit("justice2", "示例二街道司法所", UnitKind.JUSTICE_OFFICE, street2)
    unit("hotline", "示例街道城运中心", UnitKind.DEPARTMENT, street)

    for key, unit_key, role in [
        ("district", "district_office", Role.DISTRICT_STAFF),
        ("leader", "leadership", Role.STREET_LEADER),
        ("justice", "justice", Role.JUSTICE_COORDINATOR),
        ("reviewer", "justice", Role.REVIEWER),
        ("mediator_a", "committee_a", Role.MEDIATOR),
        ("mediator_b", "committee_b", Role.MEDIATOR),
        ("officer", "enforcement", Role.OFFICER),
        ("auditor", "leadership", Role.AUDITOR),
        ("other", "justice2", Role.JUSTICE_COORDINATOR),
        ("hotline", "hotline", Role.HOTLINE),
    ]:
        user = services.user_create(
            username=f"t-{key}", full_name=f"{key}（示例）", password=PASSWORD, by=None, is_staff=True
        )
        services.membership_grant(user=user, unit=w.units[unit_key], role=role, by=None)
        w.users[key] = user

    people_spec: list[tuple[str, Region, str | None, str, str]] = [
        ("a", a, "committee_a", "11010519491231002X", "13900000001"),
        ("b", b, "committee_b", "110105194912310038", "13900000002"),
        ("c", c, None, "110105194912310046", "13900000003"),
    ]
    for key, where, person_unit, id_number, phone in people_spec:
        w.people[key] = services.person_create(
            by=None,
            name=f"调解员{key}（示例）",
            kind=PersonKind.MEDIATOR,
            region=where,
            unit=w.units[person_unit] if person_unit else None,
            id_number=id_number,
            phone=phone,
            specialties="邻里",
        )
    return w


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def client_for(client: Any) -> Any:
    def login(user: User) -> Any:
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Any:
    """The calendar caches years per process; a test's rolled-back calendar rows must not linger."""
    from core.clocks import calendar as cal

    cal.clear_cache()
    yield
    cal.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_limits() -> Any:
    """The public pages' counters (core.limits) live in a per-process cache: start every test at zero."""
    from django.core.cache import caches

    caches["limits"].clear()
    yield
    caches["limits"].clear()


@pytest.fixture
def frozen_today(monkeypatch: Any) -> Any:
    """``frozen_today(day)``: from then on the platform's local date is ``day`` (clock states and the overdue
    queues read it through ``timezone.localdate``); deadlines are local dates, so tests fix the one they mean."""
    import datetime as dt

    from django.utils import timezone

    real = timezone.localdate

    def freeze(day: dt.date) -> None:
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: day if value is None else real(value, tz)
        )

    return freeze


@pytest.fixture(autouse=True)
def _own_anchor_dir(settings: Any, tmp_path_factory: Any) -> Any:
    """Every test anchors the audit chains into a directory of its own (FAZHI_AUDIT_ANCHOR_DIR)."""
    settings.FAZHI_AUDIT_ANCHOR_DIR = tmp_path_factory.mktemp("anchors")
    return settings.FAZHI_AUDIT_ANCHOR_DIR
