"""Writes for legality review. State changes go through the workflow table (workflow.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from core.audit.context import acting_as
from core.audit.timeline import timeline_record
from core.db import atomic
from core.documents import next_sequence
from core.models import Unit
from core.permissions import authorize
from core.validation import date_problem

from .choices import Adoption, Aspect, ReviewKind, ReviewState
from .models import ReviewIssue, ReviewItem


def date_refusal(label: str, day: dt.date, *earlier: tuple[str, dt.date | None]) -> str | None:
    """Why the date ``day`` (of the step called ``label``) cannot be recorded, naming it: implausible, in the
    future (a step is recorded once it has happened), or before one of the ``earlier`` steps (label, date)."""
    problem = date_problem(day, not_in_future=True)
    if problem:
        return f"{label}：{problem}"
    for other_label, other in earlier:
        if other is not None and day < other:
            return f"{label}（{day.isoformat()}）不能早于{other_label}（{other.isoformat()}），请核对"
    return None


def _check_date(key: str, label: str, day: dt.date, *earlier: tuple[str, dt.date | None]) -> None:
    refusal = date_refusal(label, day, *earlier)
    if refusal:
        raise ValidationError({key: refusal})


@atomic
def review_submit(
    *, by: Any, kind: str, title: str, unit_id: int, submitted_on: dt.date, materials: str
) -> ReviewItem:
    authorize(by, "administration.review.submit")
    errors: dict[str, str] = {}
    if kind not in ReviewKind.values:
        errors["kind"] = "事项类别应为重大行政决策、行政规范性文件、合同、重大行政执法决定或其他"
    if not title.strip():
        errors["title"] = "请填写事项名称"
    if len(materials.strip()) < 4:
        errors["materials"] = "请说明送审材料（文本、起草说明、依据等）"
    if refusal := date_refusal("送审日期", submitted_on):
        errors["submitted_on"] = refusal
    unit = Unit.objects.visible_to(by).filter(pk=unit_id).first()
    if unit is None:
        errors["unit"] = "送审单位不存在或不在您的工作范围内"
    if errors:
        raise ValidationError(errors)
    assert unit is not None
    authorize(by, "administration.review.submit", unit)
    street = unit.region.ancestor_at("street") or unit.region
    with acting_as(by):
        item = ReviewItem.objects.create(
            region=unit.region,
            state=ReviewState.SUBMITTED,
            kind=kind,
            title=title.strip(),
            submitting_unit=unit,
            submitted_on=submitted_on,
            materials=materials.strip(),
            created_by=by,
            number=f"SC-{street.code}-{submitted_on.year}-{next_sequence(prefix=f'SC-{street.code}', year=submitted_on.year):04d}",
        )
    timeline_record(
        item,
        kind="intake",
        action="submit",
        by=by,
        summary=f"{unit.name}送审{ReviewKind(kind).label}：{item.title}",
    )
    return item


@atomic
def issue_add(*, item: ReviewItem, aspect: str, finding: str, suggestion: str, by: Any) -> ReviewIssue:
    authorize(by, "administration.review.finding", item)
    errors: dict[str, str] = {}
    if item.state != ReviewState.REVIEWING:
        errors["state"] = "只有审查中的事项可以提出审查意见"
    if aspect not in Aspect.values:
        errors["aspect"] = "方面应为主体权限、程序、内容或法律依据"
    if len(finding.strip()) < 2:
        errors["finding"] = "请写明发现的问题"
    if len(suggestion.strip()) < 2:
        errors["suggestion"] = "请写明修改建议"
    if errors:
        raise ValidationError(errors)
    with acting_as(by):
        issue = ReviewIssue.objects.create(
            item=item, aspect=aspect, finding=finding.strip(), suggestion=suggestion.strip()
        )
    timeline_record(
        item,
        kind="issue",
        action="issue",
        by=by,
        summary=f"审查意见（{Aspect(aspect).label}）：{suggestion.strip()[:80]}",
    )
    return issue


@atomic
def issue_respond(*, issue: ReviewIssue, adoption: str, response: str, by: Any) -> ReviewIssue:
    authorize(by, "administration.review.respond", issue)
    if ReviewItem.objects.values_list("state", flat=True).get(pk=issue.item_id) != ReviewState.OPINION_GIVEN:
        raise ValidationError({"adoption": "出具审查意见后，送审单位才能逐条反馈"})
    if adoption not in Adoption.values:
        raise ValidationError({"adoption": "采纳情况应为采纳、部分采纳或未采纳"})
    if adoption != Adoption.ADOPTED and len(response.strip()) < 2:
        raise ValidationError({"response": "部分采纳或未采纳的，须说明理由"})
    with acting_as(by):
        issue.adoption, issue.response = adoption, response.strip()
        issue.save()
    timeline_record(
        issue.item,
        kind="response",
        action="respond",
        by=by,
        summary=f"送审单位反馈：{Adoption(adoption).label}（{issue.suggestion[:40]}）",
    )
    return issue


@atomic
def catalogue_for(*, region: Any, year: int, by: Any) -> Any:
    """The street's catalogue of major decisions for ``year`` (created, in 编制中, when first needed)."""
    from .choices import CatalogueState
    from .models import DecisionCatalogue

    street = region.ancestor_at("street") or region
    cat = DecisionCatalogue.objects.filter(region=street, year=year).first()
    if cat is None:
        with acting_as(by):
            cat = DecisionCatalogue.objects.create(region=street, year=year, state=CatalogueState.DRAFTING)
        timeline_record(
            cat, kind="intake", action="create", by=by, summary=f"编制{year}年度重大行政决策事项目录"
        )
    return cat


@atomic
def decision_create(*, by: Any, year: int, title: str, unit_id: int, adjustment_reason: str = "") -> Any:
    """Put a decision on its street's yearly catalogue; once the catalogue is approved, only with a reason."""
    authorize(by, "administration.decision.create")
    from .choices import CatalogueState, DecisionState
    from .models import MajorDecision

    unit = Unit.objects.visible_to(by).filter(pk=unit_id).first()
    if unit is not None:
        authorize(by, "administration.decision.create", unit)
    errors: dict[str, str] = {}
    if unit is None:
        errors["unit"] = "承办单位不存在或不在您的工作范围内"
    if not title.strip():
        errors["title"] = "请填写决策事项"
    if errors:
        raise ValidationError(errors)
    assert unit is not None
    cat = catalogue_for(region=unit.region, year=year, by=by)
    if cat.state != CatalogueState.DRAFTING and not adjustment_reason.strip():
        raise ValidationError(
            {"adjustment_reason": f"{year}年度目录已{cat.get_state_display()}，增补事项须说明目录调整理由"}
        )
    with acting_as(by):
        decision = MajorDecision.objects.create(
            region=unit.region, state=DecisionState.DRAFTING, year=year, title=title.strip(), lead_unit=unit
        )
    timeline_record(
        decision, kind="intake", action="create", by=by, summary=f"列入{year}年重大行政决策目录：{title}"
    )
    if cat.state != CatalogueState.DRAFTING:
        timeline_record(
            cat,
            kind="note",
            action="adjust",
            by=by,
            summary=f"目录调整：增补“{title.strip()}”，理由：{adjustment_reason.strip()}",
        )
    return decision


@atomic
def normative_create(*, by: Any, title: str, unit_id: int, trial: bool = False) -> Any:
    authorize(by, "administration.normative.create")
    from .choices import NormativeState
    from .models import NormativeDocument

    unit = Unit.objects.visible_to(by).filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({"unit": "起草单位不存在或不在您的工作范围内"})
    authorize(by, "administration.normative.create", unit)
    if not title.strip():
        raise ValidationError({"title": "请填写文件名称"})
    with acting_as(by):
        doc = NormativeDocument.objects.create(
            region=unit.region,
            state=NormativeState.DRAFTING,
            title=title.strip(),
            drafting_unit=unit,
            trial=trial,
        )
    timeline_record(doc, kind="intake", action="create", by=by, summary=f"{unit.name}起草：{doc.title}")
    return doc


@atomic
def normative_file(*, doc: Any, filed_on: dt.date, by: Any) -> Any:
    authorize(by, "administration.normative.file", doc)
    from core.clocks.services import clock_meet_open

    if doc.published_on is None:
        raise ValidationError({"filed_on": "文件公布后才能报送备案"})
    _check_date("filed_on", "报送备案日期", filed_on, ("公布日期", doc.published_on))
    with acting_as(by):
        doc.filed_on = filed_on
        doc.save()
    clock_meet_open(case=doc, name="filing", met_on=filed_on, by=by)
    return doc


def documents_in_force(region: Any, *, on: dt.date, user: Any = None) -> Any:
    """Published documents whose validity has not ended on ``on`` (expired ones leave the list at once)."""
    from django.db.models import Q

    from .choices import NormativeState
    from .models import NormativeDocument

    qs = NormativeDocument.objects.visible_to(user) if user is not None else NormativeDocument.objects.all()
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return (
        qs.filter(state=NormativeState.PUBLISHED, effective_on__lte=on)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .order_by("-effective_on")
    )


def documents_expiring(region: Any, *, on: dt.date, user: Any) -> Any:
    """In force and expiring within 6 months: evaluate them now (RULES.md: review 6 months before expiry)."""
    from core.clocks.engine import add_months

    limit, _ = add_months(on, 6)
    return documents_in_force(region, on=on, user=user).filter(expires_on__lte=limit).order_by("expires_on")


def _may_clean_up(by: Any, region: Any) -> None:
    authorize(by, "administration.cleanup", region)


@atomic
def cleanup_start(*, by: Any, region: Any, name: str, started_on: dt.date) -> Any:
    """List every document in force in ``region`` on ``started_on`` for a continue/revise/abolish decision."""
    from .models import CleanupCampaign, CleanupEntry

    _may_clean_up(by, region)
    if not name.strip():
        raise ValidationError({"name": "请填写清理名称"})
    _check_date("started_on", "开始日期", started_on)
    with acting_as(by):
        campaign = CleanupCampaign.objects.create(region=region, name=name, started_on=started_on)
        for doc in documents_in_force(region, on=started_on, user=by):
            CleanupEntry.objects.create(campaign=campaign, document=doc)
    return campaign


@atomic
def cleanup_decide(*, entry: Any, decision: str, note: str, by: Any) -> Any:
    from .choices import CleanupDecision

    _may_clean_up(by, entry.campaign.region)
    if decision not in CleanupDecision.values:
        raise ValidationError({"decision": "清理决定应为继续有效、修订或废止"})
    if decision != CleanupDecision.CONTINUE and not note.strip():
        raise ValidationError({"note": "决定修订或废止的，请说明理由"})
    with acting_as(by):
        entry.decision, entry.note = decision, note.strip()
        entry.save()
    timeline_record(
        entry.document,
        kind="cleanup",
        action="cleanup",
        by=by,
        summary=f"{entry.campaign.name}：{CleanupDecision(decision).label}",
    )
    return entry


@atomic
def contract_submit(
    *,
    by: Any,
    title: str,
    unit_id: int,
    submitted_on: dt.date,
    counterparty: str,
    counterparty_uscc: str,
    amount: Any,
    contract_type: str,
    term_start: dt.date,
    term_end: dt.date,
    materials: str = "合同文本及附件",
    risk_points: str = "",
) -> ReviewItem:
    """A contract review request: the review item plus the contract's particulars, validated together."""
    authorize(by, "administration.contract.submit")
    from decimal import Decimal, InvalidOperation

    from core.personal import validate_uscc

    from .models import ContractDetails

    errors: dict[str, str] = {}
    if not counterparty.strip():
        errors["counterparty"] = "请填写合同相对方"
    try:
        validate_uscc(counterparty_uscc)
    except ValidationError as exc:
        errors["counterparty_uscc"] = exc.messages[0]
    try:
        money = Decimal(str(amount))
        if money < 0:
            raise InvalidOperation
    except InvalidOperation:
        errors["amount"] = "合同金额应为不小于0的数字"
        money = Decimal("0")
    if term_end < term_start:
        errors["term_end"] = "合同期限止不能早于期限起"
    if not contract_type.strip():
        errors["contract_type"] = "请填写合同类型"
    if errors:
        raise ValidationError(errors)
    unit = Unit.objects.visible_to(by).filter(pk=unit_id).first()
    if unit is not None:
        authorize(by, "administration.contract.submit", unit)
    item = review_submit(
        by=by,
        kind=ReviewKind.CONTRACT,
        title=title,
        unit_id=unit_id,
        submitted_on=submitted_on,
        materials=materials,
    )
    with acting_as(by):
        ContractDetails.objects.create(
            review=item,
            counterparty=counterparty.strip(),
            counterparty_uscc=counterparty_uscc.upper(),
            amount=money,
            contract_type=contract_type.strip(),
            term_start=term_start,
            term_end=term_end,
            risk_points=risk_points.strip(),
        )
    return item


@atomic
def contract_sign(*, item: ReviewItem, signed_on: dt.date, by: Any) -> ReviewItem:
    """Record the day the reviewed contract was signed: after the review opinion, not in the future, and
    never for a contract the review found unlawful."""
    from .choices import Conclusion
    from .models import ContractDetails

    authorize(by, "administration.contract.sign", item)
    details = ContractDetails.objects.filter(review=item).first()
    if details is None:
        raise ValidationError({"signed_on": "该事项不是合同审查，不能登记签订"})
    if item.state not in (ReviewState.OPINION_GIVEN, ReviewState.CLOSED) or item.opinion_on is None:
        raise ValidationError({"signed_on": "合同经合法性审查出具意见后，才能登记签订"})
    if item.conclusion == Conclusion.UNLAWFUL:
        raise ValidationError({"signed_on": "审查结论为不合法的合同，不得签订"})
    _check_date("signed_on", "签订日期", signed_on, ("出具意见日期", item.opinion_on))
    with acting_as(by):
        details.signed_on = signed_on
        details.save()
    timeline_record(item, kind="note", action="sign", by=by, summary=f"合同签订：{signed_on.isoformat()}")
    return item


def contract_totals(user: Any, region: Any, year: int) -> dict[str, Any]:
    """Contracts reviewed in ``year`` (opinion given): count and total amount."""
    from django.db.models import Count, Sum

    from .models import ContractDetails

    qs = ContractDetails.objects.filter(
        review__in=ReviewItem.objects.visible_to(user).filter(region__path__startswith=region.path),
        review__opinion_on__year=year,
    )
    row = qs.aggregate(count=Count("pk"), amount=Sum("amount"))
    return {"count": row["count"], "amount": row["amount"] or 0}


@atomic
def meeting_record(
    *,
    by: Any,
    region: Any,
    held_on: dt.date,
    attendee: str,
    topics: str,
    suggestions: list[str] | list[tuple[str, bool | None]],
    meeting: str = "主任办公会",
) -> Any:
    """A meeting the justice-office head attended, with the legal suggestions given there: each a text, or
    (text, adopted) where adopted is True, False or None (not known yet)."""
    authorize(by, "administration.meeting.record")
    from core.models import Region as RegionModel

    from .models import MeetingAttendance, MeetingSuggestion

    errors: dict[str, str] = {}
    if not RegionModel.objects.visible_to(by).filter(pk=region.pk).exists():
        errors["region"] = "所选街镇不在您的工作范围内"
    if not attendee.strip():
        errors["attendee"] = "请填写列席人"
    if not topics.strip():
        errors["topics"] = "请填写议题"
    if not meeting.strip():
        errors["meeting"] = "请填写会议名称"
    if refusal := date_refusal("会议日期", held_on):
        errors["held_on"] = refusal
    if errors:
        raise ValidationError(errors)
    authorize(by, "administration.meeting.record", region)
    with acting_as(by):
        attendance = MeetingAttendance.objects.create(
            region=region,
            meeting=meeting.strip(),
            held_on=held_on,
            attendee=attendee.strip(),
            topics=topics.strip(),
            created_by=by,
        )
        for suggestion in suggestions:
            text, adopted = suggestion if isinstance(suggestion, tuple) else (suggestion, None)
            if text.strip():
                MeetingSuggestion.objects.create(
                    attendance=attendance, text=text.strip()[:300], adopted=adopted
                )
    return attendance


def meeting_totals(user: Any, region: Any, year: int) -> dict[str, int]:
    from .models import MeetingAttendance, MeetingSuggestion

    meetings = MeetingAttendance.objects.visible_to(user).filter(
        region__path__startswith=region.path, held_on__year=year
    )
    suggestions = MeetingSuggestion.objects.filter(attendance__in=meetings)
    return {
        "meetings": meetings.count(),
        "suggestions": suggestions.count(),
        "adopted": suggestions.filter(adopted=True).count(),
    }
