"""Random inspections (双随机一公开): the register of subjects, plans, the draw of subjects and officers — random,
reproducible from its recorded seed and auditable on the plan's timeline — the results, and their publication.
Each subject keeps one register of every inspection by every unit; a subject inspected again by another unit
within 30 days is flagged (不得重复检查、多头检查)."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from administration.services import date_refusal
from core.audit.context import acting_as
from core.audit.timeline import timeline_record
from core.db import atomic
from core.documents import next_sequence
from core.models import Person, Region, Unit
from core.models.people import PersonKind
from core.models.regions import UnitKind
from core.permissions import authorize

from . import rules
from .choices import InspectionResult, SubjectKind
from .models import EnforcementItem, Inspection, InspectionPlan, Subject

OFFICERS_PER_TARGET = 2  # 第42条
REPEAT_DAYS = 30


def draw(subject_ids: list[int], officer_ids: list[int], k: int, seed: int) -> list[tuple[int, list[int]]]:
    """The draw itself, a pure function of its inputs: ``k`` subjects, and two officers for each, from the
    candidates in ascending order, with ``random.Random(seed)`` — anyone holding the seed and the lists gets the
    same result."""
    rng = random.Random(seed)
    subjects = rng.sample(sorted(subject_ids), k)
    officers = sorted(officer_ids)
    return [(s, sorted(rng.sample(officers, OFFICERS_PER_TARGET))) for s in subjects]


@atomic
def subject_save(
    *, by: Any, region: Region, name: str, kind: str, uscc: str = "", address: str = "", pk: int | None = None
) -> Subject:
    authorize(by, "enforcement.subjects", region)
    errors: dict[str, str] = {}
    if region.level != "street":
        errors["region"] = "检查对象名录按街镇维护，请选择街镇"
    if not name.strip():
        errors["name"] = "请填写名称"
    if kind not in SubjectKind.values:
        errors["kind"] = "类别应为沿街商铺、企业、建设工地、市场或其他"
    if errors:
        raise ValidationError(errors)
    with acting_as(by):
        return Subject.objects.create(
            region=region, name=name.strip(), kind=kind, uscc=uscc.strip().upper(), address=address.strip()
        )


@atomic
def plan_create(
    *, by: Any, region: Region, item_id: int, title: str, sample_size: int, planned_on: dt.date
) -> InspectionPlan:
    authorize(by, "enforcement.inspect", region)
    errors: dict[str, str] = {}
    item = EnforcementItem.objects.filter(pk=item_id, region=region).first()
    if item is None:
        errors["item"] = "所选执法事项不在本街镇的执法事项目录中"
    if not title.strip():
        errors["title"] = "请填写抽查事项"
    if sample_size < 1:
        errors["sample_size"] = "抽取对象数至少为1"
    pool = Subject.objects.filter(region=region, active=True).count()
    if sample_size > pool:
        errors["sample_size"] = f"抽取对象数不能超过名录中在册的检查对象数（{pool}个）"
    if errors:
        raise ValidationError(errors)
    assert item is not None
    seq = next_sequence(prefix=f"SJ-{region.code}", year=planned_on.year)
    with acting_as(by):
        plan = InspectionPlan.objects.create(
            region=region,
            number=f"SJ-{region.code}-{planned_on.year}-{seq:03d}",
            title=title.strip(),
            item=item,
            sample_size=sample_size,
            planned_on=planned_on,
        )
    timeline_record(
        plan,
        kind="intake",
        action="plan",
        by=by,
        summary=f"制定抽查计划：{plan.title}，抽取{sample_size}个对象",
    )
    return plan


def _candidates(plan: InspectionPlan) -> tuple[list[int], list[int]]:
    subjects = list(Subject.objects.filter(region=plan.region, active=True).values_list("pk", flat=True))
    officers = [
        p.pk
        for p in Person.objects.filter(
            kind=PersonKind.OFFICER, active=True, region__path__startswith=plan.region.path
        ).prefetch_related("certificates")
        if rules.certified(p, plan.planned_on)
    ]
    return subjects, officers


@atomic
def plan_draw(*, by: Any, plan: InspectionPlan, seed: int | None = None) -> list[Inspection]:
    """Draw the plan's subjects and officers (once). The seed, the candidate lists and the result are written on
    the plan's timeline, so the draw can be checked by running ``draw`` again."""
    authorize(by, "enforcement.inspect", plan.region)
    if plan.seed is not None:
        raise ValidationError(
            {"seed": f"该计划已于{timezone.localtime(plan.drawn_at):%Y-%m-%d %H:%M}抽取，不能重新抽取"}
        )
    subjects, officers = _candidates(plan)
    if len(officers) < OFFICERS_PER_TARGET:
        raise ValidationError(
            {"seed": f"计划检查日持有有效执法证的执法人员不足{OFFICERS_PER_TARGET}人，无法抽取"}
        )
    if plan.sample_size > len(subjects):
        raise ValidationError({"seed": f"名录中在册的检查对象只有{len(subjects)}个，少于抽取数"})
    seed = secrets.randbelow(2**31) if seed is None else seed
    result = draw(subjects, officers, plan.sample_size, seed)
    team = Unit.objects.filter(region=plan.region, kind=UnitKind.ENFORCEMENT_TEAM).order_by("pk").first()
    if team is None:
        raise ValidationError({"seed": "本街镇尚未登记综合行政执法队（单位）"})
    plan.seed, plan.drawn_at, plan.drawn_by = seed, timezone.now(), by
    made = []
    with acting_as(by):
        plan.save()
        for subject_id, officer_ids in result:
            inspection = Inspection.objects.create(plan=plan, subject_id=subject_id, unit=team)
            inspection.officers.set(officer_ids)
            made.append(inspection)
    timeline_record(
        plan,
        kind="record",
        action="draw",
        by=by,
        summary=f"随机抽取：随机种子{seed}，自{len(subjects)}个检查对象中抽取{len(result)}个，自{len(officers)}名执法人员中每个对象抽取2名",
        data={"seed": seed, "subjects": sorted(subjects), "officers": sorted(officers), "result": result},
    )
    return made


@atomic
def inspection_record(
    *, by: Any, inspection: Inspection, inspected_on: dt.date, result: str, finding: str = ""
) -> Inspection:
    authorize(by, "enforcement.inspect", inspection.subject.region)
    errors: dict[str, str] = {}
    if result not in InspectionResult.values or result == InspectionResult.PENDING:
        errors["result"] = "请选择检查结果"
    if refusal := date_refusal("检查日期", inspected_on):
        errors["inspected_on"] = refusal
    if result in (InspectionResult.CORRECTED, InspectionResult.CASE) and not finding.strip():
        errors["finding"] = "发现问题的，请写明检查情况"
    if errors:
        raise ValidationError(errors)
    inspection.inspected_on, inspection.result, inspection.finding = inspected_on, result, finding.strip()
    with acting_as(by):
        inspection.save()
    if inspection.plan is not None:
        timeline_record(
            inspection.plan,
            kind="record",
            action="inspect",
            by=by,
            summary=f"{inspection.subject.name}：{InspectionResult(result).label}（{inspected_on:%Y-%m-%d}）",
        )
    return inspection


@atomic
def plan_publish(*, by: Any, plan: InspectionPlan, published_on: dt.date) -> InspectionPlan:
    """抽查结果公开: once every drawn subject has its result."""
    authorize(by, "enforcement.inspect", plan.region)
    if plan.seed is None:
        raise ValidationError({"published_on": "尚未抽取检查对象"})
    pending = plan.inspections.filter(result=InspectionResult.PENDING).count()
    if pending:
        raise ValidationError({"published_on": f"还有{pending}个检查对象未登记检查结果"})
    last = max(i.inspected_on for i in plan.inspections.all() if i.inspected_on)
    if refusal := date_refusal("公开日期", published_on, ("最后一次检查日期", last)):
        raise ValidationError({"published_on": refusal})
    plan.published_on = published_on
    with acting_as(by):
        plan.save()
    timeline_record(
        plan, kind="record", action="publish", by=by, summary=f"抽查结果已公开：{published_on:%Y-%m-%d}"
    )
    return plan


def repeat_warnings(subject: Subject) -> list[str]:
    """Inspections of the subject by different units within 30 days of each other (重复检查、多头检查)."""
    done = list(
        subject.inspections.filter(inspected_on__isnull=False).select_related("unit").order_by("inspected_on")
    )
    warnings = []
    for earlier, later in pairwise(done):
        assert earlier.inspected_on is not None and later.inspected_on is not None
        gap = (later.inspected_on - earlier.inspected_on).days
        if later.unit_id != earlier.unit_id and gap <= REPEAT_DAYS:
            warnings.append(
                f"{later.inspected_on:%Y-%m-%d}{later.unit.name}的检查距{earlier.unit.name}"
                f"{earlier.inspected_on:%Y-%m-%d}的检查仅{gap}日：同一对象30日内被多个单位检查，请统筹，避免重复检查"
            )
    return warnings
