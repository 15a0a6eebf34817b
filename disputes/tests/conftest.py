"""Disputes tests reuse the core world (two streets, three communities, one account per role)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from disputes import services

SH = dt.timezone(dt.timedelta(hours=8))


def at(y: int, m: int, d: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, hour, tzinfo=SH)


def party(role: str = "applicant", name: str = "申请人（示例）", **extra: Any) -> dict[str, Any]:
    return {"role": role, "kind": "person", "name": name, **extra}


@pytest.fixture
def intake(world: Any) -> Any:
    def make(**kw: Any) -> Any:
        values: dict[str, Any] = {
            "by": world.users["justice"],
            "source": "walk_in",
            "dispute_type": "neighbour",
            "community": world.community_a.pk,
            "description": "楼上漏水导致楼下天花板受损（示例）",
            "parties": [party(), party("respondent", "被申请人（示例）")],
            "received_at": timezone.now(),
        }
        values.update(kw)
        return services.dispute_intake(**values).dispute

    return make
