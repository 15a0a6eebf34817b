"""Audit entries of many writes in one transaction: the head advanced with one checked update, and entries of a
block (an import row) written together — never an entry for a write a savepoint undid, never a broken chain."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from core import services
from core.audit import chain
from core.audit.timeline import timeline_record
from core.audit.verify import verify_chains
from core.models import ChainHead, ChangeLog, TimelineEvent, Unit


def summaries(region):
    return list(
        TimelineEvent.objects.filter(object_id=region.pk).order_by("seq").values_list("summary", flat=True)
    )


def test_entries_of_a_block_are_written_together_without_the_undone_ones(world):
    region = world.community_a
    before = ChangeLog.objects.count()
    with transaction.atomic():
        with chain.deferred():
            timeline_record(region, kind="test", summary="一", by=None)
            services.unit_create(name="示例保留单位", kind="department", region=world.street, by=None)
            with pytest.raises(RuntimeError), transaction.atomic():
                timeline_record(region, kind="test", summary="二（撤销）", by=None)
                services.unit_create(name="示例撤销单位", kind="department", region=world.street, by=None)
                raise RuntimeError
            timeline_record(region, kind="test", summary="三", by=None)
            assert summaries(region) == []  # not written until the block ends
        assert summaries(region) == ["一", "三"]
    assert Unit.objects.filter(name="示例撤销单位").count() == 0
    logged = ChangeLog.objects.order_by("seq")[before:]
    assert [e.object_repr for e in logged] == ["示例保留单位"]
    report = verify_chains(use_anchors=False)
    assert report.breaks == []


def test_a_block_that_fails_writes_nothing_and_a_refused_entry_is_refused_at_once(world):
    region = world.community_a
    with pytest.raises(RuntimeError), transaction.atomic(), chain.deferred():
        timeline_record(region, kind="test", summary="不会写入", by=None)
        raise RuntimeError
    assert summaries(region) == []
    with transaction.atomic(), chain.deferred(), pytest.raises(ValidationError):
        timeline_record(region, kind="test", summary="含控制字符\x01", by=None)
    timeline_record(region, kind="test", summary="之后照常写入", by=None)
    assert summaries(region) == ["之后照常写入"]
    assert verify_chains(use_anchors=False).breaks == []


def test_the_head_is_read_again_when_it_is_not_where_this_connection_left_it(world):
    region = world.community_a
    timeline_record(region, kind="test", summary="甲", by=None)
    head = ChainHead.objects.get(name="timeline")
    with transaction.atomic():
        timeline_record(region, kind="test", summary="乙（回滚）", by=None)
        transaction.set_rollback(True)
    chain._known_heads()["timeline"] = (head.last_seq + 5, "f" * 64)  # a stale guess
    timeline_record(region, kind="test", summary="丙", by=None)
    assert summaries(region) == ["甲", "丙"]
    assert verify_chains(use_anchors=False).breaks == []
