"""The enforcement world: three officers of 示例街道 (two with valid certificates, one whose certificate expired),
and the street's catalogue: a minor offence on the 首违不罚 list, an item whose decisions need legality review,
and one that needs it above 10,000 元."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from core import services as core_services
from core.models.people import PersonKind
from enforcement import services


@pytest.fixture
def enf(world: Any) -> Any:
    officer = world.users["officer"]
    people = {}
    for key, valid_to in (
        ("wang", dt.date(2028, 12, 31)),
        ("li", dt.date(2028, 12, 31)),
        ("zhao", dt.date(2025, 12, 31)),
    ):
        people[key] = core_services.person_create(
            by=None,
            name=f"执法队员{key}（示例）",
            kind=PersonKind.OFFICER,
            region=world.street,
            unit=world.units["enforcement"],
        )
        services.certificate_record(
            by=officer,
            person=people[key],
            number=f"SH-ZF-{key}",
            issuer="示例市人民政府",
            field="城市管理综合执法",
            valid_from=dt.date(2023, 1, 1),
            valid_to=valid_to,
        )
    items = {
        "stall": services.item_save(
            by=officer,
            region=world.street,
            code="CG-001",
            name="擅自占用道路设摊经营",
            basis="《上海市市容环境卫生管理条例》第二十二条",
            penalty_range="责令改正，可处五十元以上五百元以下罚款",
            fine_max=Decimal("500"),
            minor_exempt=True,
        ),
        "building": services.item_save(
            by=officer,
            region=world.street,
            code="CG-010",
            name="擅自搭建建筑物、构筑物",
            basis="《上海市拆除违法建筑若干规定》第十一条",
            penalty_range="责令限期拆除，可处违法建筑造价百分之五以上百分之十以下罚款",
            needs_review=True,
        ),
        "waste": services.item_save(
            by=officer,
            region=world.street,
            code="CG-020",
            name="单位未按规定分类投放生活垃圾",
            basis="《上海市生活垃圾管理条例》第五十八条",
            penalty_range="责令立即改正，处五千元以上五万元以下罚款",
            fine_max=Decimal("50000"),
            review_threshold=Decimal("10000"),
        ),
    }

    def file(**kw: Any) -> Any:
        values: dict[str, Any] = {
            "by": officer,
            "procedure": "ordinary",
            "source": "inspection",
            "item_id": items["stall"].pk,
            "community": world.community_a,
            "party_kind": "person",
            "party_name": "示例摊主甲",
            "party_id_number": "11010519491231002X",
            "facts": "在示例路口人行道上设摊经营水果（示例）",
            "offence_on": dt.date(2026, 9, 20),
            "filed_on": dt.date(2026, 9, 22),
            "officer_ids": [people["wang"].pk, people["li"].pk],
        }
        values.update(kw)
        return services.case_file(**values)

    return SimpleNamespace(officer=officer, people=people, items=items, file=file)
