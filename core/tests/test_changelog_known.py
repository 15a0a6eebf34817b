"""The state before a save, known without reading the row again (core.audit.changelog): taken from the row as this
instance last saved it, or read under lock, in the same unbroken transaction — and read again whenever that is
not certain (another instance wrote the row, a savepoint was rolled back, no transaction)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import services
from core.audit import changelog
from core.models import ChangeLog, Unit


def last_update(unit):
    return ChangeLog.objects.filter(object_id=str(unit.pk), action="update").order_by("-seq").first()


def reads_of_units(queries):
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "core_unit"' in q["sql"]]


@pytest.fixture
def unit(world):
    return services.unit_create(name="示例调解工作室", kind="department", region=world.street, by=None)


def test_a_second_save_in_the_same_transaction_is_logged_from_the_first_without_a_read(unit):
    with transaction.atomic():
        unit.name = "示例调解工作室（一）"
        unit.save()
        unit.name = "示例调解工作室（二）"
        with CaptureQueriesContext(connection) as ctx:
            unit.save()
        assert reads_of_units(ctx.captured_queries) == []
    entry = last_update(unit)
    assert (entry.before["name"], entry.after["name"]) == ("示例调解工作室（一）", "示例调解工作室（二）")


def test_a_row_read_under_lock_is_logged_from_that_read(unit):
    with transaction.atomic():
        locked = changelog.hold(Unit.objects.select_for_update().get(pk=unit.pk))
        locked.name = "示例调解工作室（锁定后修改）"
        with CaptureQueriesContext(connection) as ctx:
            locked.save()
        assert reads_of_units(ctx.captured_queries) == []
    entry = last_update(unit)
    assert (entry.before["name"], entry.after["name"]) == ("示例调解工作室", "示例调解工作室（锁定后修改）")


def test_a_write_by_another_instance_of_the_row_makes_the_next_save_read_it_again(unit):
    with transaction.atomic():
        unit.name = "示例甲"
        unit.save()
        other = Unit.objects.get(pk=unit.pk)
        other.name = "示例乙"
        other.save()
        unit.name = "示例丙"
        with CaptureQueriesContext(connection) as ctx:
            unit.save()
        assert len(reads_of_units(ctx.captured_queries)) == 1
    assert (last_update(unit).before["name"], last_update(unit).after["name"]) == ("示例乙", "示例丙")


def test_after_a_savepoint_rolled_back_the_state_before_is_read_from_the_database(unit):
    with transaction.atomic():
        unit.name = "示例已保存"
        unit.save()
        with pytest.raises(RuntimeError), transaction.atomic():
            unit.name = "示例已撤销"
            unit.save()
            raise RuntimeError
        unit.name = "示例最后"
        unit.save()
    names = [
        (e.before["name"], e.after["name"])
        for e in ChangeLog.objects.filter(object_id=str(unit.pk), action="update").order_by("seq")
    ]
    # The undone write left no entry, and the last save names the state the database really had before it.
    assert names == [("示例调解工作室", "示例已保存"), ("示例已保存", "示例最后")]


def test_outside_a_transaction_every_save_reads_the_row(transactional_db, world):
    unit = services.unit_create(name="示例调解工作室", kind="department", region=world.street, by=None)
    assert not connection.in_atomic_block  # autocommit: each statement its own transaction
    unit.name = "示例自动提交一"
    unit.save()
    unit.name = "示例自动提交二"
    with CaptureQueriesContext(connection) as ctx:
        unit.save()
    assert len(reads_of_units(ctx.captured_queries)) == 1
    assert last_update(unit).before["name"] == "示例自动提交一"
    assert changelog.current_copy(unit) is None


def test_a_remembered_row_is_recalled_only_while_it_is_certain(unit):
    with transaction.atomic():
        unit.name = "示例记住"
        unit.save()
        changelog.remember(("unit", unit.pk), unit)
        assert changelog.recall(("unit", unit.pk)) is unit
        other = Unit.objects.get(pk=unit.pk)
        other.name = "示例另一实例写入"
        other.save()
        assert changelog.recall(("unit", unit.pk)) is None  # another instance wrote the row
        other.name = "示例再写"
        other.save()
        changelog.remember(("unit", unit.pk), other)
        with pytest.raises(RuntimeError), transaction.atomic():
            Unit.objects.filter(pk=unit.pk).exists()
            raise RuntimeError
        assert changelog.recall(("unit", unit.pk)) is None  # a savepoint was rolled back since
    assert changelog.recall(("unit", unit.pk)) is None  # and outside the transaction, never
