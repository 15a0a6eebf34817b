"""Indicators computed from the enforcement records: 持证率, the three systems (公示、法制审核) from the decisions
themselves, the cases decided and those not penalised (seed plans: the district plan's row 10, the street plan's
任务7、9、10)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from core.indicators import Indicator, IndicatorKind, Reading, count_reading, rate_reading, register
from core.models import Clock, Person
from core.models.people import PersonKind

from .choices import CaseState, Outcome, Procedure
from .models import EnforcementCase

DISTRICT_PLAN = "《徐汇区全面依法治区第十四个五年规划》主要指标"
STREET_PLAN = "《东明路街道“法治东明”建设三年行动计划（2024-2026年）》"
DONE_REVIEW = ("opinion_given", "closed")

CASE_COLUMNS = (
    ("案件编号", lambda c: c.number),
    ("执法事项", lambda c: c.item.name),
    ("当事人", lambda c: c.party_name),
    ("决定日期", lambda c: c.decided_on),
    ("处理结果", lambda c: c.get_outcome_display()),
    ("公示日期", lambda c: c.published_on),
)
OFFICER_COLUMNS = (
    ("姓名", lambda p: p.name),
    ("所在单位", lambda p: p.unit.name if p.unit else ""),
    ("执法证", lambda p: "、".join(f"{c.number}（至{c.valid_to}）" for c in p.certificates.all())),
)


def decided(user: Any, region: Any, start: dt.date, end: dt.date) -> QuerySet:
    """Decisions made in the period in the region (a decision later revoked still was made)."""
    return (
        EnforcementCase.objects.visible_to(user)
        .filter(region__path__startswith=region.path, decided_on__gte=start, decided_on__lte=end)
        .exclude(state=CaseState.DROPPED)
        .select_related("item")
        .order_by("decided_on", "pk")
    )


def review_required_q() -> Q:
    """第58条 and the street's list, as a filter: the item's own rule, a fine at its threshold, a hearing held."""
    return (
        Q(item__needs_review=True)
        | Q(item__review_threshold__isnull=False, fine__gte=F("item__review_threshold"))
        | Q(hearing_requested=True)
    )


def certified_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    officers = (
        Person.objects.visible_to(user)
        .filter(kind=PersonKind.OFFICER, active=True, region__path__startswith=region.path)
        .select_related("unit")
        .prefetch_related("certificates")
        .order_by("name", "pk")
    )
    holding = officers.filter(certificates__valid_from__lte=end, certificates__valid_to__gte=end).distinct()
    return rate_reading(holding, officers)


def publicity_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    """Decisions published within their publicity time limit ÷ decisions made."""
    made = decided(user, region, start, end)
    due = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(EnforcementCase),
        object_id=OuterRef("pk"),
        name="publicity",
    ).values("due_on")[:1]
    on_time = made.annotate(publicity_due=Subquery(due)).filter(published_on__lte=F("publicity_due"))
    return rate_reading(on_time, made)


def review_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    """Decisions that needed legality review and had its opinion first ÷ decisions that needed it."""
    needing = decided(user, region, start, end).filter(review_required_q())
    return rate_reading(
        needing.filter(review__state__in=DONE_REVIEW, review__opinion_on__lte=F("decided_on")), needing
    )


def record_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    """Ordinary-procedure decisions whose file holds the whole-process record (evidence registered with its digest
    before the decision) ÷ ordinary-procedure decisions."""
    from django.db.models import Exists

    from .models import Evidence

    made = decided(user, region, start, end).filter(procedure=Procedure.ORDINARY)
    recorded = Evidence.objects.filter(case=OuterRef("pk"), collected_on__lte=OuterRef("decided_on"))
    return rate_reading(made.filter(Exists(recorded)), made)


def _evaluations(user: Any, region: Any, start: dt.date, end: dt.date) -> QuerySet:
    from .models import Evaluation

    return (
        Evaluation.objects.visible_to(user)
        .filter(
            case__region__path__startswith=region.path,
            evaluated_on__gte=start,
            evaluated_on__lte=end,
            preliminary=False,
        )
        .select_related("case", "campaign")
        .order_by("evaluated_on", "pk")
    )


def evaluation_pass_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    evaluated = _evaluations(user, region, start, end)
    return rate_reading(evaluated.filter(passed=True), evaluated)


def self_checked(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_evaluations(user, region, start, end).filter(campaign__kind="self_check"))


def decisions(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(decided(user, region, start, end))


def not_penalised(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(
        decided(user, region, start, end).filter(outcome__in=(Outcome.NO_PENALTY, Outcome.FIRST_OFFENCE))
    )


enforcement_indicator = partial(Indicator, app="enforcement", kind=IndicatorKind.EXPECTED, target="")

EVALUATION_COLUMNS = (
    ("案卷", lambda e: e.case.number),
    ("评查活动", lambda e: e.campaign.title),
    ("总分", lambda e: e.total),
    ("合格", lambda e: "是" if e.passed else "否"),
    ("评查日期", lambda e: e.evaluated_on),
)

register(
    enforcement_indicator(
        code="enforcement.evaluation_pass_rate",
        name="执法案卷评查合格率",
        unit="%",
        target="100",
        source=f"{DISTRICT_PLAN} 第11项（依法行政）",
        method="期间内评查（含自查）的已结案案卷中，无否决项且得分达到合格分数线的案卷数 ÷ 评查的案卷数；在办案件的预评不计入。",
        order=306,
        compute=evaluation_pass_rate,
        columns=EVALUATION_COLUMNS,
    ),
    enforcement_indicator(
        code="enforcement.self_checked",
        name="自查执法案卷数",
        unit="件",
        source=f"{STREET_PLAN} 任务9",
        method="期间内执法队年度案卷自查评查的已结案案卷数。",
        order=307,
        compute=self_checked,
        columns=EVALUATION_COLUMNS,
    ),
    enforcement_indicator(
        code="enforcement.certified_rate",
        name="行政执法人员持证率",
        unit="%",
        target="100",
        source=f"{STREET_PLAN} 任务9",
        method="期末在册的行政执法人员中，持有当日有效行政执法证的人数 ÷ 在册执法人员人数。",
        order=301,
        compute=certified_rate,
        columns=OFFICER_COLUMNS,
    ),
    enforcement_indicator(
        code="enforcement.publicity_rate",
        name="行政执法决定按时公示率",
        unit="%",
        target="100",
        source=f"{STREET_PLAN} 任务9（行政执法“三项制度”）",
        method="期间内作出的行政执法决定中，在公示期限（作出决定之日起7个工作日）内公示的件数 ÷ 作出决定的件数。",
        order=302,
        compute=publicity_rate,
        columns=CASE_COLUMNS,
    ),
    enforcement_indicator(
        code="enforcement.review_rate",
        name="重大执法决定法制审核制度执行率",
        unit="%",
        target="100",
        source=f"{DISTRICT_PLAN} 第10项",
        method="期间内作出的行政处罚决定中，依《行政处罚法》第58条和本街镇清单须法制审核的（事项须审核、罚款达到审核金额"
        "或经听证），在决定前取得法制审核意见的件数 ÷ 须法制审核的件数。",
        order=303,
        compute=review_rate,
        columns=CASE_COLUMNS,
    ),
    enforcement_indicator(
        code="enforcement.record_rate",
        name="执法全过程记录执行率",
        unit="%",
        target="100",
        source=f"{STREET_PLAN} 任务9（行政执法“三项制度”）",
        method="期间内按普通程序作出的行政处罚决定中，决定前已登记证据或执法记录（含SHA-256摘要）的件数 ÷ 按普通程序"
        "作出决定的件数（《行政处罚法》第47条）。",
        order=303,
        compute=record_rate,
        columns=CASE_COLUMNS,
    ),
    enforcement_indicator(
        code="enforcement.decisions",
        name="作出行政执法决定件数",
        unit="件",
        source=f"{STREET_PLAN} 任务9",
        method="期间内作出行政执法决定（含当场处罚、不予处罚）的件数。",
        order=304,
        compute=decisions,
        columns=CASE_COLUMNS,
    ),
    enforcement_indicator(
        code="enforcement.not_penalised",
        name="不予处罚和首违不罚件数",
        unit="件",
        source=f"{STREET_PLAN} 任务9（包容审慎监管）",
        method="期间内决定不予行政处罚（含首违不罚）的件数，每件记录了对当事人的教育情况（《行政处罚法》第33条）。",
        order=305,
        compute=not_penalised,
        columns=CASE_COLUMNS,
    ),
)
