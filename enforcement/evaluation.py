"""Case-file evaluation (案卷评查): a configurable rubric — veto items that zero a file, scored items with their
points (卷面 20 + 内容 80 by default) — used for the team's yearly self-check of closed files and for evaluation
campaigns by the justice office or the district; a live case may be pre-scored. Scores by unit, officer and item
show where the weak points are, for training."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from administration.services import date_refusal
from core.audit.context import acting_as
from core.db import atomic
from core.models import Region
from core.permissions import authorize

from . import rules
from .choices import CaseState
from .models import EnforcementCase, Evaluation, EvaluationCampaign, Rubric

DEFAULT_RUBRIC = [
    # veto items: any one fails the file (0 points)
    {"code": "subject", "label": "执法主体不合法", "kind": "veto", "points": 0, "group": "否决项"},
    {
        "code": "qualification",
        "label": "执法人员不具备执法资格",
        "kind": "veto",
        "points": 0,
        "group": "否决项",
    },
    {"code": "two_officers", "label": "执法人员少于两人", "kind": "veto", "points": 0, "group": "否决项"},
    {"code": "evidence", "label": "主要证据不足", "kind": "veto", "points": 0, "group": "否决项"},
    {"code": "facts", "label": "认定事实不清", "kind": "veto", "points": 0, "group": "否决项"},
    {"code": "characterisation", "label": "定性错误", "kind": "veto", "points": 0, "group": "否决项"},
    {"code": "law", "label": "适用法律错误", "kind": "veto", "points": 0, "group": "否决项"},
    {"code": "procedure", "label": "违反法定程序", "kind": "veto", "points": 0, "group": "否决项"},
    # scored items: 卷面 20 + 内容 80
    {"code": "binding", "label": "卷宗装订、目录和页码", "kind": "score", "points": 5, "group": "卷面"},
    {"code": "writing", "label": "文书填写规范、字迹清楚", "kind": "score", "points": 10, "group": "卷面"},
    {"code": "seals", "label": "签名、盖章齐全", "kind": "score", "points": 5, "group": "卷面"},
    {"code": "filing", "label": "立案审批", "kind": "score", "points": 10, "group": "内容"},
    {
        "code": "investigation",
        "label": "调查取证和全过程记录",
        "kind": "score",
        "points": 20,
        "group": "内容",
    },
    {"code": "notice", "label": "告知陈述、申辩、听证权利", "kind": "score", "points": 10, "group": "内容"},
    {"code": "review", "label": "法制审核和集体讨论", "kind": "score", "points": 10, "group": "内容"},
    {"code": "decision", "label": "决定书内容和裁量", "kind": "score", "points": 15, "group": "内容"},
    {"code": "service", "label": "送达、执行和公示", "kind": "score", "points": 15, "group": "内容"},
]


def default_rubric(region: Region) -> Rubric:
    """The rubric in use for ``region``: the nearest one set for it or an ancestor, else the default (created for
    the region's district, where there is one)."""
    for path in _ancestors(region.path):
        found = Rubric.objects.filter(region__path=path).order_by("pk").first()
        if found is not None:
            return found
    owner = region.ancestor_at("district") or region
    return Rubric.objects.create(
        region=owner, name="行政执法案卷评查标准", items=DEFAULT_RUBRIC, pass_mark=60
    )


def _ancestors(path: str) -> list[str]:
    """``path`` and its ancestors' paths, nearest first (paths are slash-separated codes ending in '/')."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]


@atomic
def campaign_start(
    *, by: Any, region: Region, kind: str, title: str, year: int, started_on: dt.date
) -> EvaluationCampaign:
    authorize(by, "enforcement.evaluate", region)
    errors: dict[str, str] = {}
    if kind not in EvaluationCampaign.Kind.values:
        errors["kind"] = "类别应为案卷自查或案卷评查"
    if not title.strip():
        errors["title"] = "请填写名称"
    if not 2000 <= year <= 2100:
        errors["year"] = "年度应为四位年份"
    if refusal := date_refusal("开始日期", started_on):
        errors["started_on"] = refusal
    if errors:
        raise ValidationError(errors)
    with acting_as(by):
        return EvaluationCampaign.objects.create(
            region=region,
            kind=kind,
            title=title.strip(),
            year=year,
            started_on=started_on,
            rubric=default_rubric(region),
        )


def suggested_vetoes(case: EnforcementCase) -> list[str]:
    """What the record itself shows: fewer than two officers, or an officer without a valid certificate on the
    day of the decision (or of filing)."""
    officers = list(case.officers.prefetch_related("certificates"))
    found = []
    if len(officers) < rules.MIN_OFFICERS:
        found.append("two_officers")
    day = case.decided_on or case.filed_on
    if any(not rules.certified(p, day) for p in officers):
        found.append("qualification")
    return found


@atomic
def evaluate(
    *,
    by: Any,
    campaign: EvaluationCampaign,
    case: EnforcementCase,
    scores: dict[str, Any],
    vetoes: list[str],
    evaluated_on: dt.date,
    note: str = "",
) -> Evaluation:
    """Score one file against the campaign's rubric: every scored item between 0 and its points, the veto items
    found (with those the record itself shows), the total (0 when vetoed) and whether it passes."""
    authorize(by, "enforcement.evaluate", campaign.region)
    rubric = campaign.rubric
    errors: dict[str, str] = {}
    if not EnforcementCase.objects.filter(pk=case.pk, region__path__startswith=campaign.region.path).exists():
        errors["case"] = "案卷不在本次评查的范围内"
    if campaign.kind == EvaluationCampaign.Kind.SELF_CHECK and case.state != CaseState.CLOSED:
        errors["case"] = "案卷自查针对已结案归档的案卷"
    clean: dict[str, str] = {}
    for item in rubric.scored:
        raw = scores.get(item["code"], "")
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            value = Decimal(-1)
        if (
            raw in ("", None)
            or not Decimal(0) <= value <= Decimal(item["points"])
            or value != value.quantize(Decimal("0.5"))
        ):
            errors[item["code"]] = f"{item['label']}：应为0到{item['points']}之间的分数（可以有0.5分）"
        else:
            clean[item["code"]] = str(value)
    known = {i["code"] for i in rubric.vetoes}
    found = sorted(set(vetoes) | set(suggested_vetoes(case)))
    if set(found) - known:
        errors["vetoes"] = "否决项不在评查标准中"
    if refusal := date_refusal("评查日期", evaluated_on):
        errors["evaluated_on"] = refusal
    if errors:
        raise ValidationError(errors)
    total = Decimal(0) if found else sum((Decimal(v) for v in clean.values()), Decimal(0))
    with acting_as(by):
        evaluation, _ = Evaluation.objects.update_or_create(
            campaign=campaign,
            case=case,
            defaults={
                "scores": clean,
                "vetoes": found,
                "total": total,
                "passed": not found and total >= rubric.pass_mark,
                "note": note.strip()[:500],
                "preliminary": case.state != CaseState.CLOSED,
                "evaluated_on": evaluated_on,
                "evaluator": by,
            },
        )
    return evaluation


def summary(campaign: EvaluationCampaign) -> dict[str, Any]:
    """Scores by item (the average share of its points: the weak items first), by officer and by unit."""
    evaluations = list(campaign.evaluations.select_related("case").prefetch_related("case__officers__unit"))
    items = []
    for item in campaign.rubric.scored:
        got = [Decimal(e.scores.get(item["code"], 0)) for e in evaluations if not e.vetoes]
        share = (sum(got, Decimal(0)) / (len(got) * item["points"]) * 100) if got else None
        items.append({"label": item["label"], "points": item["points"], "share": share})
    items.sort(key=lambda i: (i["share"] is None, i["share"] or 0))
    vetoed: dict[str, int] = defaultdict(int)
    labels = {i["code"]: i["label"] for i in campaign.rubric.vetoes}
    by_officer: dict[str, list[Decimal]] = defaultdict(list)
    by_unit: dict[str, list[Decimal]] = defaultdict(list)
    for e in evaluations:
        for code in e.vetoes:
            vetoed[labels.get(code, code)] += 1
        for person in e.case.officers.all():
            by_officer[person.name].append(e.total)
            by_unit[person.unit.name if person.unit else "（未登记单位）"].append(e.total)

    def average(values: list[Decimal]) -> Decimal:
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))

    return {
        "count": len(evaluations),
        "passed": sum(1 for e in evaluations if e.passed),
        "average": average([e.total for e in evaluations]) if evaluations else None,
        "items": items,
        "vetoed": sorted(vetoed.items(), key=lambda kv: -kv[1]),
        "officers": sorted(((n, average(v), len(v)) for n, v in by_officer.items()), key=lambda r: r[1]),
        "units": sorted(((n, average(v), len(v)) for n, v in by_unit.items()), key=lambda r: r[1]),
    }
