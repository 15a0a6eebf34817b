"""Contract review (counterparty USCC checked; counts and amounts per year) and meeting attendance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from administration import services
from administration.models import ReviewItem
from core import services as core_services
from core.models.people import PersonKind
from core.workflow import transition

D = dt.date
CONTRACT: dict[str, Any] = {
    "title": "物业服务合同（示例）",
    "submitted_on": D(2026, 3, 2),
    "counterparty": "示例物业有限公司",
    "counterparty_uscc": "91350100M000100Y43",
    "amount": "120000",
    "contract_type": "服务合同",
    "term_start": D(2026, 4, 1),
    "term_end": D(2027, 3, 31),
}


def test_contract_review_checks_the_counterparty_and_writes_nothing_on_error(world):
    with pytest.raises(ValidationError) as exc:
        services.contract_submit(
            by=world.users["justice"],
            unit_id=world.units["leadership"].pk,
            **{**CONTRACT, "counterparty_uscc": "91350100M000100Y44", "term_end": D(2026, 1, 1)},
        )
    assert "校验位错误" in exc.value.message_dict["counterparty_uscc"][0]
    assert "期限止" in exc.value.message_dict["term_end"][0]
    assert not ReviewItem.objects.exists()


def test_contract_totals_count_reviewed_contracts_and_amounts(world):
    j = world.users["justice"]
    lawyer = core_services.person_create(
        by=None,
        name="律师（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=world.street,
        legal_qualification=True,
    )
    for amount, reviewed in (("120000", True), ("30000.50", True), ("5000", False)):
        item = services.contract_submit(
            by=j, unit_id=world.units["leadership"].pk, **{**CONTRACT, "amount": amount}
        )
        if reviewed:
            item = transition(item, "assign", by=j, data={"reviewer": str(lawyer.pk)})
            transition(
                item,
                "give_opinion",
                by=world.users["reviewer"],
                data={"conclusion": "lawful", "opinion_on": "2026-03-10"},
            )
    totals = services.contract_totals(j, world.street, 2026)
    assert totals["count"] == 2 and Decimal(totals["amount"]) == Decimal("150000.50")
    assert services.contract_totals(world.users["other"], world.street2, 2026)["count"] == 0


def test_meetings_attended_and_suggestions_counted_per_year(world):
    j = world.users["justice"]
    m = services.meeting_record(
        by=j,
        region=world.street,
        held_on=D(2026, 5, 12),
        attendee="司法所所长（示例）",
        topics="老旧小区改造资金使用",
        suggestions=["资金拨付须经合法性审查", "签订书面协议明确责任", ""],
    )
    services.meeting_record(
        by=j,
        region=world.street,
        held_on=D(2025, 12, 1),
        attendee="司法所所长（示例）",
        topics="年度预算",
        suggestions=["预算调整履行法定程序"],
    )
    s = m.suggestions.first()
    s.adopted = True
    s.save()
    assert services.meeting_totals(j, world.street, 2026) == {"meetings": 1, "suggestions": 2, "adopted": 1}
    with pytest.raises(ValidationError):
        services.meeting_record(
            by=world.users["other"],
            region=world.street,
            held_on=D(2026, 5, 12),
            attendee="x",
            topics="y",
            suggestions=[],
        )


def test_contract_and_meeting_pages(world, client):
    client.force_login(world.users["justice"])
    r = client.post(
        "/administration/contracts/",
        {
            **{k: str(v) for k, v in CONTRACT.items()},
            "unit_id": world.units["leadership"].pk,
            "counterparty_uscc": "123",
        },
    )
    assert r.status_code == 400 and "统一社会信用代码应为18位" in r.content.decode()
    r = client.post(
        "/administration/contracts/",
        {**{k: str(v) for k, v in CONTRACT.items()}, "unit_id": world.units["leadership"].pk},
    )
    assert r.status_code == 302
    assert "示例物业有限公司" in client.get(r.url).content.decode()
    r = client.post(
        "/administration/meetings/",
        {
            "region": world.street.pk,
            "meeting": "主任办公会",
            "held_on": "2026-05-12",
            "attendee": "所长（示例）",
            "topics": "议题（示例）",
            "suggestions": "建议一\n建议二",
        },
    )
    assert r.status_code == 302
    page = client.get("/administration/meetings/").content.decode()
    assert "建议一；建议二" in page
