"""The demands world: the enforcement team's duty list holds 占道经营, the street's hotline desk receives orders."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from demands import services

CATEGORY = "市容环境-占道经营"


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def hot(world: Any) -> Any:
    desk = world.users["hotline"]
    services.duty_save(
        by=desk,
        unit=world.units["enforcement"],
        category=CATEGORY,
        basis="《示例街道综合行政执法队职责清单》第3项",
    )
    numbers = iter(range(1, 10_000))

    def receive(**kw: Any) -> Any:
        values: dict[str, Any] = {
            "by": desk,
            "number": f"12345-2026-{next(numbers):05d}",
            "kind": "complaint",
            "category": CATEGORY,
            "content": "示例路口有人占道经营水果，影响通行（示例）",
            "region": world.community_a,
            "received_at": at(dt.date(2026, 9, 30)),
            "address": "示例路1号",
            "caller_name": "示例来电人",
            "caller_phone": "13900000111",
        }
        values.update(kw)
        order, _created = services.order_receive(**values)
        return order

    return SimpleNamespace(desk=desk, receive=receive)
