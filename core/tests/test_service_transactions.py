"""The services' transactions (``core.db``): a service called by a service takes no savepoint of its own, yet a
refusal anywhere undoes the whole block it joined, a caller that recovers still can, and a caller that swallows a
refusal and writes on is stopped rather than left with half a service."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from core import services
from core.db import rollback_point
from core.documents import next_sequence
from core.models import DocumentNumber, Unit


def savepoints(ctx: CaptureQueriesContext) -> int:
    return sum(1 for q in ctx.captured_queries if q["sql"].startswith("SAVEPOINT"))


def unit(world, name):
    return services.unit_create(name=name, kind="department", region=world.street, by=None)


def test_services_inside_a_rollback_point_take_no_savepoint_of_their_own(world):
    DocumentNumber.objects.create(prefix="示例", year=2026)  # get_or_create's own savepoint is not at issue
    with CaptureQueriesContext(connection) as ctx, rollback_point():
        unit(world, "示例甲科")
        next_sequence(prefix="示例", year=2026)
        next_sequence(prefix="示例", year=2026)
    assert savepoints(ctx) == 1  # the rollback point's
    assert Unit.objects.filter(name="示例甲科").exists()
    assert DocumentNumber.objects.get(prefix="示例", year=2026).last_number == 2


def test_a_service_in_a_block_of_someone_else_keeps_its_savepoint_so_the_caller_can_go_on(world):
    with transaction.atomic():  # e.g. a view that shows a refusal and then writes something else
        with CaptureQueriesContext(connection) as ctx, pytest.raises(ValidationError):
            unit(world, "")
        assert savepoints(ctx) == 1
        unit(world, "示例乙科")
    assert Unit.objects.filter(name="示例乙科").exists()


def test_a_savepoint_opened_inside_a_service_block_gives_the_services_within_it_their_own(world):
    with rollback_point(), transaction.atomic():
        with pytest.raises(ValidationError):
            unit(world, "")
        unit(world, "示例丙科")  # the refusal was undone by its own savepoint: the block goes on
    assert Unit.objects.filter(name="示例丙科").exists()


def test_a_refusal_of_a_joined_service_undoes_the_whole_block_and_its_caller_goes_on(world):
    with transaction.atomic():
        with pytest.raises(ValidationError), rollback_point():  # one row of an import
            unit(world, "示例丁科")
            next_sequence(prefix="示例", year=2026)
            unit(world, "")  # refused: the row's writes go with it
        assert not Unit.objects.filter(name="示例丁科").exists()
        assert not DocumentNumber.objects.filter(prefix="示例").exists()
        unit(world, "示例戊科")  # the next row
    assert Unit.objects.filter(name="示例戊科").exists()


def test_swallowing_a_joined_services_refusal_and_writing_on_is_stopped(world):
    with transaction.atomic():
        with pytest.raises(TransactionManagementError), rollback_point():
            unit(world, "示例己科")
            with contextlib.suppress(
                ValidationError
            ):  # against the rule: the refused service joined this block
                unit(world, "")
            unit(world, "示例庚科")
        assert not Unit.objects.filter(name__in=["示例己科", "示例庚科"]).exists()


@pytest.mark.django_db(transaction=True)
def test_outside_any_transaction_a_service_is_its_own_transaction(world):
    with pytest.raises(ValidationError):
        unit(world, "")
    with CaptureQueriesContext(connection) as ctx:
        unit(world, "示例辛科")
    assert savepoints(ctx) == 0
    assert Unit.objects.filter(name="示例辛科").exists()
