"""Normative documents: no publication without review; filing and validity clocks; the in-force list
(an expired document leaves it); expiry reminders; clean-up campaigns; the public page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from administration import services
from administration.choices import NormativeState
from core import services as core_services
from core.models import Clock
from core.models.people import PersonKind
from core.workflow import TransitionNotAllowed, transition

D = dt.date


def _through_review(world, doc, conclusion="lawful"):
    j = world.users["justice"]
    doc = transition(doc, "open_comment", by=j, data={"published_on": "2024-01-02", "days": 15})
    doc = transition(doc, "close_comment", by=j, data={"closed_on": "2024-01-20"})
    lawyer = core_services.person_create(
        by=None,
        name=f"律师{doc.pk}（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=world.street,
        legal_qualification=True,
    )
    review = transition(doc.review, "assign", by=j, data={"reviewer": str(lawyer.pk)})
    if conclusion != "lawful":
        services.issue_add(
            item=review,
            aspect="content",
            finding="设定了行政许可",
            suggestion="删除该条款",
            by=world.users["reviewer"],
        )
    transition(
        review,
        "give_opinion",
        by=world.users["reviewer"],
        data={"conclusion": conclusion, "opinion_on": "2024-01-25"},
    )
    return (
        transition(doc, "deliberate", by=j, data={"meeting": "主任办公会", "held_on": "2024-02-01"})
        if conclusion != "unlawful"
        else doc
    )


def _publish(world, doc, effective="2024-03-01"):
    return transition(
        doc,
        "publish",
        by=world.users["leader"],
        data={
            "doc_number": f"示街规〔2024〕{doc.pk}号",
            "published_on": "2024-02-20",
            "effective_on": effective,
        },
    )


def test_publication_without_review_is_refused(world):
    doc = services.normative_create(
        by=world.users["justice"], title="示例街道文明养犬管理办法", unit_id=world.units["leadership"].pk
    )
    with pytest.raises(TransitionNotAllowed, match="不得公布"):
        _publish(world, doc)
    doc = transition(
        doc, "open_comment", by=world.users["justice"], data={"published_on": "2024-01-02", "days": 15}
    )
    doc = transition(doc, "close_comment", by=world.users["justice"], data={"closed_on": "2024-01-20"})
    with pytest.raises(TransitionNotAllowed, match="合法性审查尚未完成"):
        _publish(world, doc)


def test_published_document_files_and_expires(world, client):
    doc = services.normative_create(
        by=world.users["justice"],
        title="示例街道文明养犬管理办法（试行）",
        unit_id=world.units["leadership"].pk,
        trial=True,
    )
    doc = _publish(world, _through_review(world, doc))
    assert doc.state == NormativeState.PUBLISHED
    assert doc.expires_on == D(2026, 3, 1)  # 暂行/试行: 2 years from 2024-03-01
    filing = Clock.objects.get(content_type__model="normativedocument", object_id=doc.pk, name="filing")
    validity = Clock.objects.get(content_type__model="normativedocument", object_id=doc.pk, name="validity")
    assert filing.assignee == world.users["leader"] and validity.assignee is None
    assert filing.due_on == D(2024, 3, 21)  # 30 days after publication
    services.normative_file(doc=doc, filed_on=D(2024, 3, 5), by=world.users["justice"])
    filing.refresh_from_db()
    assert filing.met_on == D(2024, 3, 5)
    in_force = services.documents_in_force(world.street, on=D(2025, 6, 1), user=world.users["justice"])
    assert list(in_force) == [doc]
    assert list(
        services.documents_expiring(world.street, on=D(2025, 10, 1), user=world.users["justice"])
    ) == [doc]
    assert not services.documents_expiring(
        world.street, on=D(2025, 6, 1), user=world.users["justice"]
    ).exists()
    assert not services.documents_in_force(
        world.street, on=D(2026, 3, 2), user=world.users["justice"]
    ).exists()
    # the public page (no login) lists documents in force today; this one expired on 2026-03-01
    page = client.get("/public/normative/")
    assert page.status_code == 200 and "现行有效的行政规范性文件" in page.content.decode()
    assert doc.title not in page.content.decode()
    doc = transition(doc, "expire", by=world.users["justice"], data={})
    assert doc.state == NormativeState.EXPIRED


def test_unlawful_review_blocks_publication(world):
    doc = services.normative_create(
        by=world.users["justice"], title="示例街道停车收费办法", unit_id=world.units["leadership"].pk
    )
    doc = _through_review(world, doc, conclusion="unlawful")
    with pytest.raises(TransitionNotAllowed, match="不合法"):
        _publish(world, doc)


def test_cleanup_campaign_lists_every_document_in_force(world, client):
    j = world.users["justice"]
    docs = []
    for title in ("示例街道甲办法", "示例街道乙办法"):
        d = services.normative_create(by=j, title=title, unit_id=world.units["leadership"].pk)
        docs.append(_publish(world, _through_review(world, d), effective="2025-01-01"))
    campaign = services.cleanup_start(
        by=j, region=world.street, name="2026年规范性文件清理", started_on=D(2026, 6, 1)
    )
    entries = list(campaign.entries.order_by("document__title"))
    assert [e.document for e in entries] == sorted(docs, key=lambda d: d.title)
    services.cleanup_decide(entry=entries[0], decision="continue", note="", by=j)
    with pytest.raises(ValidationError, match="说明理由"):
        services.cleanup_decide(entry=entries[1], decision="abolish", note="", by=j)
    services.cleanup_decide(entry=entries[1], decision="abolish", note="上位法已修改", by=j)
    # Only the justice office or a street leader organises a clean-up.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.cleanup_decide(entry=entries[1], decision="continue", note="", by=world.users["officer"])
    with pytest.raises(PermissionDenied):
        services.cleanup_start(
            by=world.users["officer"], region=world.street, name="x", started_on=D(2026, 6, 2)
        )
    client.force_login(j)
    listing = client.get(campaign.get_absolute_url()).content.decode()
    assert listing.count('data-testid="decision"') == 2 and "上位法已修改" in listing
    client.force_login(world.users["other"])
    assert client.get(campaign.get_absolute_url()).status_code == 404
    client.logout()
    page = client.get("/public/normative/").content.decode()
    assert "示例街道甲办法" in page and "示例街道乙办法" in page


def test_normative_pages_show_reminders_and_are_scoped(world, client):
    from django.utils import timezone

    from core.clocks.engine import add_months

    today = timezone.localdate()
    effective, _ = add_months(today, -20)  # a 2-year trial document expiring in about 4 months
    doc = services.normative_create(
        by=world.users["justice"],
        title="示例街道临时停车管理办法（试行）",
        unit_id=world.units["leadership"].pk,
        trial=True,
    )
    doc = _through_review(world, doc)
    doc = transition(
        doc,
        "publish",
        by=world.users["leader"],
        data={
            "doc_number": "示街规〔2025〕1号",
            "published_on": effective.isoformat(),
            "effective_on": effective.isoformat(),
        },
    )
    client.force_login(world.users["justice"])
    listing = client.get("/administration/normative/").content.decode()
    assert "6个月内到期" in listing and doc.title in listing
    assert doc.title in client.get("/public/normative/").content.decode()
    assert client.get(doc.get_absolute_url()).status_code == 200
    client.force_login(world.users["other"])
    assert client.get(doc.get_absolute_url()).status_code == 404
