"""verify_audit --rows names a dispute's state, its amount and an agreement's terms edited in SQL."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from core.models import Person
from core.workflow import transition
from disputes import services


def verify_rows() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", "--rows", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue()
    return 0, out.getvalue()


def test_direct_sql_edits_of_a_dispute_and_its_agreement_are_named(world, intake):
    j = world.users["justice"]
    d = intake(amount=Decimal("3000"))
    person = Person.objects.get(name="调解员a（示例）")
    d = transition(d, "triage", by=j, data={"route": "community"})
    d = transition(
        d,
        "assign",
        by=j,
        data={"committee": str(world.units["committee_a"].pk), "mediators": [str(person.pk)]},
    )
    d = transition(d, "accept", by=j, data={"accepted_on": timezone.localdate().isoformat()})
    agreement = services.agreement_record(
        dispute=d,
        kind="written",
        facts="楼上漏水致楼下受损（示例）",
        terms="楼上支付维修费3000元（示例）",
        effective_on=timezone.localdate(),
        schedule="",
        by=j,
    )
    code, out = verify_rows()
    assert code == 0, out  # Decimal('3000') logged, 3000.00 stored: no false alarm
    with connection.cursor() as cursor:
        cursor.execute("UPDATE disputes_dispute SET state = 'closed', amount = 30 WHERE id = %s", [d.pk])
        cursor.execute(
            "UPDATE disputes_agreement SET terms = '楼上支付维修费30元（示例）' WHERE id = %s", [agreement.pk]
        )
    code, err = verify_rows()
    assert code == 1
    assert f"矛盾纠纷（disputes.dispute，id={d.pk}）：“状态”“涉及金额（元）”与变更日志最后记录" in err
    assert (
        f"调解协议（disputes.agreement，id={agreement.pk}）：“协议内容（履行方式、期限）”与变更日志最后记录"
        in err
    )
