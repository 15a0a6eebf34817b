"""Every write route × every role × an object in scope and one out of scope, as the outside world meets them.

Generated from the declared tables: the permission table (core/permissions.py), the workflow tables, the URL
conf, the OpenAPI document and the admin registry. Pages are posted with CSRF enforced (a real CSRF cookie and
token), the API is called with each account's bearer token and no CSRF token, the admin through its forms.

What each request must do comes from the table itself, read independently of the code that enforces it: the
account's role must be in the row, the object's region inside the account's unit region (at district level for
the rows that ask for it), and — for the roles a row restricts to assigned objects — the object assigned to the
account's unit. Then: an object the account cannot see answers 404 (the admin redirects, saying it does not
exist); a visible object without the right answers 403 and writes nothing; with the right the request passes
the permission check, and where the test sends valid data it succeeds and leaves a trace in the change log,
the timeline or the reveal log. A write route that is not declared here fails the coverage tests below.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core import services
from core.models import ApiToken, ChangeLog, Region, RevealLog, TimelineEvent
from core.models.regions import UnitKind
from core.permissions import _LEVELS, PERMISSIONS, Permission, allowed
from core.roles import Role
from core.tests.fixtures import PASSWORD
from core.workflow import Workflow, registered, transition, workflow_for

ACCOUNTS = (
    "district",
    "leader",
    "justice",
    "reviewer",
    "mediator_a",
    "mediator_b",
    "officer",
    "auditor",
    "other",
    "hotline",
)
ROLE_OF = {
    "district": Role.DISTRICT_STAFF,
    "leader": Role.STREET_LEADER,
    "justice": Role.JUSTICE_COORDINATOR,
    "reviewer": Role.REVIEWER,
    "mediator_a": Role.MEDIATOR,
    "mediator_b": Role.MEDIATOR,
    "officer": Role.OFFICER,
    "auditor": Role.AUDITOR,
    "other": Role.JUSTICE_COORDINATOR,
    "hotline": Role.HOTLINE,
}
UNIT_OF = {
    "district": "district_office",
    "leader": "leadership",
    "justice": "justice",
    "reviewer": "justice",
    "mediator_a": "committee_a",
    "mediator_b": "committee_b",
    "officer": "enforcement",
    "auditor": "leadership",
    "other": "justice2",
    "hotline": "hotline",
}
CSRF_SECRET = "Fz" * 16  # a 32-character CSRF secret: the cookie and the token the page would send
SIDES = ("in", "out")  # objects of 示例街道 (in most accounts' scope) and of 示例二街道
TODAY = timezone.localdate()
PAST = TODAY - dt.timedelta(days=20)


# --- the world: every kind of object a write acts on, in both streets ------------------------------------


@dataclass
class Matrix:
    world: Any
    objs: dict[str, dict[str, Any]] = field(default_factory=lambda: {"in": {}, "out": {}})
    tokens: dict[str, str] = field(default_factory=dict)


def _dispute(world: Any, side: str, *, agreed: bool = False) -> Any:
    from disputes import services as ds

    o = world.matrix_side[side]
    j = o["justice"]
    d = ds.dispute_intake(
        by=j,
        source="walk_in",
        dispute_type="neighbour",
        community=o["community"].pk,
        description="楼上漏水导致楼下天花板受损（示例）",
        parties=[
            {"role": "applicant", "kind": "person", "name": "申请人（示例）"},
            {"role": "respondent", "kind": "person", "name": "被申请人（示例）"},
        ],
        received_at=timezone.now() - dt.timedelta(days=25),
    ).dispute
    d = transition(d, "triage", by=j, data={"route": "community"})
    d = transition(
        d, "assign", by=j, data={"committee": str(o["committee"].pk), "mediators": [str(o["person"].pk)]}
    )
    d = transition(d, "accept", by=j, data={"accepted_on": PAST})
    if agreed:
        ds.agreement_record(
            dispute=d,
            kind="written",
            facts="双方就漏水赔偿达成一致（示例）",
            terms="被申请人于协议生效后十日内赔偿修复费用（示例）",
            effective_on=PAST,
            schedule="",
            by=j,
        )
    return type(d).objects.get(pk=d.pk)


def build(world: Any) -> Matrix:
    from administration import services as ads
    from administration.models import CleanupEntry, ReviewIssue
    from core.tests.sample.models import SampleCase
    from disclosure import services as dcs
    from disputes.models import RiskSettings, VulnerablePerson
    from steering import services as sts

    committee_c = services.unit_create(
        name="示例丙居民区人民调解委员会",
        kind=UnitKind.MEDIATION_COMMITTEE,
        region=world.community_c,
        by=None,
    )
    world.matrix_side = {
        "in": {
            "street": world.street,
            "community": world.community_a,
            "committee": world.units["committee_a"],
            "person": world.people["a"],
            "justice": world.users["justice"],
            "unit": world.units["justice"],
            "task_unit": world.units["enforcement"],
        },
        "out": {
            "street": world.street2,
            "community": world.community_c,
            "committee": committee_c,
            "person": world.people["c"],
            "justice": world.users["other"],
            "unit": world.units["justice2"],
            "task_unit": world.units["justice2"],
        },
    }
    m = Matrix(world)
    for side in SIDES:
        o, objs = world.matrix_side[side], m.objs[side]
        j, street = o["justice"], o["street"]
        objs.update(street=street, community=o["community"], unit=o["unit"], person=o["person"])
        objs["dispute"] = _dispute(world, side)
        objs["agreed"] = _dispute(world, side, agreed=True)
        objs["follow_up"] = objs["agreed"].follow_ups.first()
        req = dict(
            by=j,
            region=street,
            channel="in_person",
            submitted_on=PAST,
            applicant_kind="person",
            applicant_name="申请人（示例）",
            content="2026年老旧小区加装电梯补贴发放情况（示例）",
        )
        objs["request"] = dcs.request_receive(**req)
        answered = dcs.request_receive(**req)
        objs["answered"] = transition(
            answered,
            "answer",
            by=j,
            data={"answer_type": "disclosed", "detail": "随文提供", "answered_on": TODAY},
        )
        objs["proactive"] = dcs.proactive_item_record(by=j, region=street, title="示例公开事项", made_on=PAST)
        review = ads.review_submit(
            by=j,
            kind="other",
            title="示例送审事项",
            unit_id=o["unit"].pk,
            submitted_on=PAST,
            materials="文本及起草说明",
        )
        objs["review"] = review
        type(review).objects.filter(pk=review.pk).update(state="reviewing")
        reviewing = ads.review_submit(
            by=j,
            kind="other",
            title="示例审查中事项",
            unit_id=o["unit"].pk,
            submitted_on=PAST,
            materials="文本及起草说明",
        )
        type(reviewing).objects.filter(pk=reviewing.pk).update(state="reviewing")
        reviewing.refresh_from_db()
        objs["issue"] = ads.issue_add(
            item=reviewing, aspect="content", finding="条款表述不清", suggestion="明确责任主体", by=None
        )
        type(reviewing).objects.filter(pk=reviewing.pk).update(state="opinion_given")
        objs["decision"] = ads.decision_create(
            by=j, year=TODAY.year, title="示例重大行政决策", unit_id=o["unit"].pk
        )
        objs["catalogue"] = ads.catalogue_for(region=street, year=TODAY.year, by=j)
        objs["normative"] = ads.normative_create(by=j, title="示例规范性文件", unit_id=o["unit"].pk)
        campaign = ads.cleanup_start(by=j, region=street, name="示例清理", started_on=PAST)
        objs["cleanup"] = campaign
        objs["cleanup_entry"] = CleanupEntry.objects.create(campaign=campaign, document=objs["normative"])
        objs["sample"] = SampleCase.objects.create(region=o["community"], state="draft", title="示例案件")
        objs["enforcement"] = _enforcement_case(street, o["community"], side)
        objs["officers"] = _officers(street, side)
        objs["plan"] = _inspection_plan(street, objs["enforcement"].item, side)
        objs["campaign"] = _campaign(street)
        objs["order"] = _work_order(street, o["community"], o["unit"], side)
        objs["duty"] = _duty(o["unit"])
        objs["petition"] = _petition(o["community"], side)
        objs["respondent"] = _respondent_case(o["unit"])
        plan = sts.plan_get_or_create(
            region=street, name="示例计划", start_year=TODAY.year, end_year=TODAY.year + 1, by=None
        )
        task = sts.task_create(
            plan=plan,
            number=1,
            title="示例重点任务",
            projects="示例项目",
            standards="示例标准",
            responsible="示例责任单位",
            due_on=TODAY + dt.timedelta(days=60),
            by=None,
        )
        task.units.set([o["task_unit"]])
        objs["task"] = task
        objs["risk"] = RiskSettings.objects.create(region=street)
        objs["vulnerable"] = VulnerablePerson.objects.create(
            region=o["community"], name="示例人员", category="独居老人"
        )
        objs["user"] = {"in": world.users["mediator_b"], "out": world.users["other"]}[side]
        services.personal_reveal(obj=o["person"], field="phone", by=j, reason="核实身份（示例）")
        assert ReviewIssue.objects.filter(pk=objs["issue"].pk).exists()
    for account in ACCOUNTS:
        m.tokens[account] = services.token_issue(user=world.users[account], name="写操作测试")
    return m


def _work_order(street: Region, community: Region, unit: Any, side: str) -> Any:
    """A 12345 order received (its clocks running) and dispatched to the side's justice office."""
    from demands import services as demands_services

    order, _ = demands_services.order_receive(
        by=None,
        number=f"12345-{side}-0001",
        kind="complaint",
        category="示例工单事项",
        content="示例路口占道经营（示例）",
        region=community,
        received_at=timezone.make_aware(dt.datetime.combine(PAST, dt.time(9, 0))),
        caller_phone="13900000999",
    )
    type(order).objects.filter(pk=order.pk).update(unit=unit, dispatched_on=PAST)
    order.refresh_from_db()
    return order


def _petition(community: Region, side: str) -> Any:
    """A petition received and accepted, its handling clock running."""
    from core.clocks.services import clock_start
    from demands import services as demands_services

    petition, _ = demands_services.petition_receive(
        by=None,
        channel="visit",
        petitioner="示例信访人",
        category="物业管理",
        content="反映物业长期不维修电梯（示例）",
        region=community,
        received_on=PAST,
    )
    clock_start(
        case=petition,
        name="handling",
        rule_id="petition.handling",
        started_on=PAST,
        by=None,
        title=f"{petition.number} 办理",
    )
    type(petition).objects.filter(pk=petition.pk).update(accepted_on=PAST, state="accepted")
    petition.refresh_from_db()
    return petition


def _respondent_case(unit: Any) -> Any:
    """A reconsideration against the side's street, its reply clock running."""
    from respondent import services as respondent_services

    return respondent_services.case_receive(
        by=None,
        kind="reconsideration",
        body="示例区人民政府",
        applicant="示例申请人",
        unit=unit,
        act_kind="other",
        act="示例行政行为",
        filed_on=PAST,
        received_on=PAST,
    )


def _duty(unit: Any) -> Any:
    from demands.models import Duty

    return Duty.objects.create(unit=unit, category="示例职责事项")


def _enforcement_case(street: Region, community: Region, side: str) -> Any:
    """A case of the street's catalogue, written directly (its own tests go through the services)."""
    from enforcement.models import EnforcementCase, EnforcementItem

    item = EnforcementItem.objects.create(
        region=street,
        code="CG-001",
        name="擅自占用道路设摊经营",
        basis="示例条例第二十二条",
        penalty_range="警告",
    )
    return EnforcementCase.objects.create(
        region=community,
        state="filed",
        number=f"ZF-{side}-0001",
        procedure="ordinary",
        source="inspection",
        item=item,
        party_kind="person",
        party_name="示例摊主",
        facts="占道设摊经营（示例）",
        offence_on=PAST,
        filed_on=PAST,
    )


def _inspection_plan(street: Region, item: Any, side: str) -> Any:
    """A random-inspection plan not yet drawn, over a register of three subjects."""
    from enforcement.models import InspectionPlan, Subject

    for n in range(3):
        Subject.objects.create(region=street, name=f"示例商铺{n}", kind="shop")
    return InspectionPlan.objects.create(
        region=street, number=f"SJ-{side}-001", title="示例抽查", item=item, sample_size=2, planned_on=TODAY
    )


def _campaign(street: Region) -> Any:
    from enforcement.evaluation import default_rubric
    from enforcement.models import EvaluationCampaign

    return EvaluationCampaign.objects.create(
        region=street,
        kind="campaign",
        title="示例评查",
        year=TODAY.year,
        started_on=PAST,
        rubric=default_rubric(street),
    )


def _officers(street: Region, side: str) -> list[Any]:
    """Two officers of the street, certified for the years around today."""
    from core.models.people import PersonKind
    from enforcement.models import Certificate

    people = []
    for n in (1, 2):
        person = services.person_create(
            by=None, name=f"执法队员{n}（示例）", kind=PersonKind.OFFICER, region=street
        )
        Certificate.objects.create(
            person=person,
            number=f"ZF-{side}-{n}",
            issuer="示例市人民政府",
            field="城市管理",
            valid_from=TODAY - dt.timedelta(days=700),
            valid_to=TODAY + dt.timedelta(days=700),
        )
        people.append(person)
    return people


# --- what the table says, read independently of core.permissions.allowed ------------------------------------


def _region(obj: Any) -> Region | None:
    if obj is None or isinstance(obj, Region):
        return obj
    for attr in ("dispute", "item", "campaign"):
        if hasattr(obj, attr) and not hasattr(obj, "region"):
            return _region(getattr(obj, attr))
    if hasattr(obj, "plan"):
        return obj.plan.region
    if hasattr(obj, "region"):
        return obj.region
    return None


def _assigned(obj: Any, account: str, unit_id: int) -> bool:
    if obj._meta.label_lower == "demands.workorder":  # dispatched to the account's unit
        return bool(obj.unit_id == unit_id)
    if obj._meta.label_lower == "respondent.respondentcase":  # the rectification the account's unit owns
        return bool(obj.rectification_unit_id == unit_id)
    case = obj.dispute if hasattr(obj, "dispute") else obj
    if hasattr(case, "committee_id"):
        return case.committee_id == unit_id
    if hasattr(case, "units"):
        return case.units.filter(pk=unit_id).exists()
    return True


def table_says(m: Matrix, account: str, perm: Permission, obj: Any) -> bool:
    role = ROLE_OF[account]
    unit = m.world.units[UNIT_OF[account]]
    if role not in perm.roles:
        return False
    if perm.min_level and _LEVELS.index(unit.region.level) > _LEVELS.index(perm.min_level):
        return False
    region = _region(obj)
    if region is not None and not region.path.startswith(unit.region.path):
        return False
    if role in perm.assigned_roles and obj is not None and not isinstance(obj, Region):
        return _assigned(obj, account, unit.pk)
    return True


def visible(m: Matrix, account: str, obj: Any) -> bool:
    """Reads are scoped by ``visible_to`` (tested on its own in test_permissions): which objects are hidden."""
    user = m.world.users[account]
    case = obj
    while not hasattr(type(case).objects, "visible_to"):
        case = next(getattr(case, a) for a in ("dispute", "item", "campaign", "plan") if hasattr(case, a))
    return type(case).objects.visible_to(user).filter(pk=case.pk).exists()


def traces() -> int:
    return ChangeLog.objects.count() + TimelineEvent.objects.count() + RevealLog.objects.count()


# --- the write routes ------------------------------------------------------------------------------------


@dataclass
class Call:
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)


@dataclass
class Route:
    name: str  # "page:<url name>…", "api:<operationId>" or "admin:<model>:<op>"
    code: str  # the permission table's row
    target: Callable[[Matrix, str], Any]  # the object the write acts on (its region decides)
    call: Callable[[Matrix, str], Call]
    valid: bool = True  # the data is valid for the object: allowed accounts must succeed and leave a trace
    creates: bool = False  # the target is a region chosen in the form (outside scope: refused, not 404)


def o(key: str) -> Callable[[Matrix, str], Any]:
    return lambda m, side: m.objs[side][key]


def _png() -> io.BytesIO:
    f = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    f.name = "扫描件.png"
    return f


def _geojson(m: Matrix, side: str) -> io.BytesIO:
    street = m.objs[side]["street"]
    names = list(Region.objects.filter(parent=street).values_list("name", flat=True))
    square = [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]
    features = [
        {"type": "Feature", "properties": {"name": n}, "geometry": {"type": "Polygon", "coordinates": square}}
        for n in names
    ]
    f = io.BytesIO(json.dumps({"type": "FeatureCollection", "features": features}).encode())
    f.name = "map.geojson"
    return f


def _day(d: dt.date) -> str:
    return d.isoformat()


def _record_call(m: Matrix, s: str, *, kind: str) -> Call:
    """A record on an enforcement case (publicity, payment, withdrawal, review), dated today."""
    return Call(
        reverse("enforcement:record", args=[m.objs[s]["enforcement"].pk, kind]),
        {
            "published_on": _day(TODAY),
            "where": "门户网站",
            "paid_on": _day(TODAY),
            "withdrawn_on": _day(TODAY),
            "submitted_on": _day(TODAY),
            "materials": "案卷及拟处罚决定",
            "kind": "recording",
            "title": "现场执法记录仪视频（示例）",
            "collected_on": _day(PAST),
            "external_ref": "记录仪-0001",
            "sha256": "ab" * 32,
            "preserved_on": _day(PAST),
            "items": "占道经营的货架一个（示例）",
            "decided_on": _day(TODAY),
            "decision": "解除先行登记保存",
            "what": "鉴定",
            "basis": "《示例行政处罚程序规定》第六十四条",
            "suspended_on": _day(PAST),
            "resumed_on": _day(TODAY),
            "requested_on": _day(PAST),
            "notice_on": _day(PAST),
            "hearing_on": _day(TODAY),
            "presider_id": "1",
        },
    )


PAGE_ROUTES: list[Route] = [
    Route(
        "page:enforcement:file",
        "enforcement.file",
        o("community"),
        lambda m, s: Call(
            reverse("enforcement:file"),
            {
                "procedure": "ordinary",
                "source": "inspection",
                "item": m.objs[s]["enforcement"].item_id,
                "community": m.objs[s]["community"].pk,
                "party_kind": "person",
                "party_name": "示例摊主",
                "facts": "在人行道上设摊经营（示例）",
                "offence_on": _day(PAST),
                "filed_on": _day(PAST),
                "officers": [p.pk for p in m.objs[s]["officers"]],
            },
        ),
        creates=True,
    ),
    Route(
        "page:enforcement:items",
        "enforcement.items",
        o("street"),
        lambda m, s: Call(
            reverse("enforcement:items"),
            {
                "region": m.objs[s]["street"].pk,
                "code": "CG-099",
                "name": "示例执法事项",
                "basis": "示例条例第一条",
                "penalty_range": "警告",
            },
        ),
        creates=True,
    ),
    Route(
        "page:enforcement:officers",
        "enforcement.officers",
        lambda m, s: m.objs[s]["officers"][0],
        lambda m, s: Call(
            reverse("enforcement:officers"),
            {
                "person": m.objs[s]["officers"][0].pk,
                "number": f"ZF-{s}-新证",
                "issuer": "示例市人民政府",
                "field": "城市管理",
                "valid_from": _day(PAST),
                "valid_to": _day(TODAY + dt.timedelta(days=365)),
            },
        ),
        creates=True,  # the officer is chosen in the form (another street's is not offered)
    ),
    Route(
        "page:enforcement:inspections",
        "enforcement.inspect",
        o("street"),
        lambda m, s: Call(
            reverse("enforcement:inspections"),
            {
                "region": m.objs[s]["street"].pk,
                "item": m.objs[s]["enforcement"].item_id,
                "title": "示例抽查",
                "sample_size": 1,
                "planned_on": _day(TODAY),
            },
        ),
        creates=True,
    ),
    Route(
        "page:enforcement:inspection",
        "enforcement.inspect",
        o("plan"),
        lambda m, s: Call(reverse("enforcement:inspection", args=[m.objs[s]["plan"].pk]), {"op": "draw"}),
    ),
    Route(
        "page:enforcement:evaluations",
        "enforcement.evaluate",
        o("street"),
        lambda m, s: Call(
            reverse("enforcement:evaluations"),
            {
                "region": m.objs[s]["street"].pk,
                "kind": "campaign",
                "title": "示例评查",
                "year": TODAY.year,
                "started_on": _day(PAST),
            },
        ),
        creates=True,
    ),
    Route(
        "page:enforcement:evaluation",
        "enforcement.evaluate",
        o("campaign"),
        lambda m, s: Call(
            reverse("enforcement:evaluation", args=[m.objs[s]["campaign"].pk]),
            {
                "case": m.objs[s]["enforcement"].pk,
                "evaluated_on": _day(TODAY),
                **{
                    f"score_{code}": "5"
                    for code in ("binding", "writing", "seals", "filing", "investigation")
                },
                **{f"score_{code}": "5" for code in ("notice", "review", "decision", "service")},
            },
        ),
    ),
    Route(
        "page:enforcement:subjects",
        "enforcement.subjects",
        o("street"),
        lambda m, s: Call(
            reverse("enforcement:subjects"),
            {"region": m.objs[s]["street"].pk, "name": "示例商铺", "kind": "shop"},
        ),
        creates=True,
    ),
    Route(
        "page:demands:receive",
        "demands.receive",
        o("community"),
        lambda m, s: Call(
            reverse("demands:receive"),
            {
                "number": f"12345-{s}-新",
                "kind": "complaint",
                "time_class": "ordinary",
                "category": "示例工单事项",
                "content": "示例路口占道经营（示例）",
                "community": m.objs[s]["community"].pk,
                "received_at": f"{_day(PAST)}T09:00",
            },
        ),
        creates=True,
    ),
    Route(
        "page:demands:duties",
        "demands.duties",
        o("street"),
        lambda m, s: Call(
            reverse("demands:duties"), {"unit": m.objs[s]["unit"].pk, "category": "示例新增职责"}
        ),
        creates=True,
    ),
    Route(
        "page:demands:duty_delete",
        "demands.duties",
        lambda m, s: m.objs[s]["duty"].unit.region,
        lambda m, s: Call(reverse("demands:duty_delete", args=[m.objs[s]["duty"].pk])),
    ),
    Route(
        "page:demands:petition_receive",
        "demands.petition_receive",
        o("community"),
        lambda m, s: Call(
            reverse("demands:petition_receive"),
            {
                "channel": "visit",
                "petitioner": "示例信访人",
                "people_count": "1",
                "category": "物业管理",
                "content": "反映物业长期不维修电梯（示例）",
                "community": m.objs[s]["community"].pk,
                "received_on": _day(PAST),
            },
        ),
        creates=True,
    ),
    *(
        Route(
            f"page:demands:petition_record:{kind}",
            code,
            o("petition"),
            partial(
                lambda m, s, kind: Call(
                    reverse("demands:petition_record", args=[m.objs[s]["petition"].pk, kind]),
                    {
                        "reason": "情况复杂（示例）",
                        "dispute_type": "property_mgmt",
                        "community": m.objs[s]["community"].pk,
                    },
                ),
                kind=kind,
            ),
        )
        for kind, code in (("extend", "demands.petition_extend"), ("dispute", "demands.petition_mediation"))
    ),
    Route(
        "page:respondent:receive",
        "respondent.receive",
        lambda m, s: m.objs[s]["unit"].region,
        lambda m, s: Call(
            reverse("respondent:receive"),
            {
                "kind": "litigation",
                "body": "示例区人民法院",
                "applicant": "示例原告",
                "unit": m.objs[s]["unit"].pk,
                "act_kind": "other",
                "act": "示例行政行为",
                "filed_on": _day(PAST),
                "received_on": _day(PAST),
            },
        ),
        creates=True,
    ),
    *(
        Route(
            f"page:respondent:record:{kind}",
            code,
            o("respondent"),
            partial(
                lambda m, s, kind: Call(
                    reverse("respondent:record", args=[m.objs[s]["respondent"].pk, kind]),
                    {
                        "held_on": _day(TODAY),
                        "appearance": "head",
                        "appeared": "示例主任",
                        "received_on": _day(TODAY),
                        "rectified_on": _day(TODAY),
                        "report": "已整改并报送情况（示例）",
                    },
                ),
                kind=kind,
            ),
            # a case with nothing to rectify: the rectification is refused for every account
            valid=kind != "rectify",
        )
        for kind, code in (
            ("hearing", "respondent.hearing"),
            ("letter", "respondent.rectify"),
            ("rectify", "respondent.rectify"),
        )
    ),
    Route(
        "page:demands:record:contact",
        "demands.handle",
        o("order"),
        lambda m, s: Call(
            reverse("demands:record", args=[m.objs[s]["order"].pk, "contact"]),
            {"contacted_on": _day(TODAY), "note": "已电话联系（示例）"},
        ),
    ),
    Route(
        "page:demands:record:complex",
        "demands.complex",
        o("order"),
        lambda m, s: Call(
            reverse("demands:record", args=[m.objs[s]["order"].pk, "complex"]),
            {"reason": "多部门联合处置（示例）"},
        ),
    ),
    Route(
        "page:demands:record:dispute",
        "demands.to_dispute",
        o("order"),
        lambda m, s: Call(
            reverse("demands:record", args=[m.objs[s]["order"].pk, "dispute"]),
            {"dispute_type": "neighbour", "community": m.objs[s]["community"].pk},
        ),
    ),
    *(
        Route(
            f"page:enforcement:record:{kind}",
            "enforcement.review" if kind == "review" else "enforcement.record",
            o("enforcement"),
            partial(_record_call, kind=kind),
            # a filed case may go to review, take evidence and preserve it; the others need a decision (or a
            # preservation) first
            valid=kind in ("review", "evidence", "preserve"),
        )
        for kind in (
            "publish",
            "pay",
            "withdraw",
            "review",
            "evidence",
            "preserve",
            "preservation",
            "hearing",
            "suspend",
            "resume",
        )
    ),
    Route(
        "page:disputes:vulnerable",
        "disputes.vulnerable",
        o("community"),
        lambda m, s: Call(
            reverse("disputes:vulnerable"),
            {
                "region": m.objs[s]["community"].pk,
                "name": "示例登记人员",
                "category": "残疾人",
                "phone": "021-61234567",
            },
        ),
        creates=True,
    ),
    Route(
        "page:disputes:vulnerable_detail",
        "disputes.vulnerable",
        o("vulnerable"),
        lambda m, s: Call(
            reverse("disputes:vulnerable_detail", args=[m.objs[s]["vulnerable"].pk]),
            {
                "region": m.objs[s]["vulnerable"].region_id,
                "name": "示例人员",
                "category": "孤老",
                "note": "更正类别",
            },
        ),
    ),
    Route(
        "page:disputes:vulnerable_reveal",
        "personal.reveal",
        o("vulnerable"),
        lambda m, s: Call(
            reverse("disputes:vulnerable_reveal", args=[m.objs[s]["vulnerable"].pk]),
            {"field": "phone", "reason": "核实身份"},
        ),
    ),
    Route(
        "page:core:person_reveal",
        "personal.reveal",
        o("person"),
        lambda m, s: Call(
            reverse("core:person_reveal", args=[m.objs[s]["person"].pk]),
            {"field": "phone", "reason": "核实身份"},
        ),
    ),
    Route(
        "page:disputes:intake",
        "disputes.intake",
        o("community"),
        lambda m, s: Call(
            reverse("disputes:intake"),
            {
                "dispute_type": "neighbour",
                "community": m.objs[s]["community"].pk,
                "description": "邻居装修噪音扰民（示例）",
                "people_count": 2,
                "party-0-role": "applicant",
                "party-0-kind": "person",
                "party-0-name": "申请人（示例）",
            },
        ),
        valid=False,  # the party sub-form is checked by disputes' own tests; here the permission matters
        creates=True,
    ),
    Route(
        "page:disputes:record:escalation",
        "disputes.escalation",
        o("dispute"),
        lambda m, s: Call(
            reverse("disputes:record", args=[m.objs[s]["dispute"].pk, "escalation"]),
            {"reported_to": "示例区司法局"},
        ),
    ),
    Route(
        "page:disputes:record:urge",
        "disputes.urge",
        o("dispute"),
        lambda m, s: Call(
            reverse("disputes:record", args=[m.objs[s]["dispute"].pk, "urge"]),
            {"note": "请三日内反馈进展（示例）"},
        ),
    ),
    Route(
        "page:disputes:record:session",
        "disputes.session",
        o("dispute"),
        lambda m, s: Call(
            reverse("disputes:record", args=[m.objs[s]["dispute"].pk, "session"]),
            {
                "held_at": f"{_day(PAST)}T10:00",
                "place": "居委会调解室",
                "participants": "双方当事人",
                "summary": "释法明理（示例）",
            },
        ),
    ),
    Route(
        "page:disputes:record:agreement",
        "disputes.agreement",
        o("dispute"),
        lambda m, s: Call(
            reverse("disputes:record", args=[m.objs[s]["dispute"].pk, "agreement"]),
            {
                "kind": "oral",
                "facts": "双方就赔偿达成一致（示例）",
                "terms": "当场赔偿修复费用（示例）",
                "effective_on": _day(PAST),
            },
        ),
    ),
    Route(
        "page:disputes:record:follow_up",
        "disputes.follow_up",
        o("follow_up"),
        lambda m, s: Call(
            reverse("disputes:record", args=[m.objs[s]["agreed"].pk, "follow_up"]),
            {"follow_up": m.objs[s]["follow_up"].pk, "visited_on": _day(TODAY), "fulfilment": "fulfilled"},
        ),
    ),
    Route(
        "page:disputes:record:confirmation",
        "disputes.confirmation",
        o("agreed"),
        lambda m, s: Call(
            reverse("disputes:record", args=[m.objs[s]["agreed"].pk, "confirmation"]),
            {"court": "示例区人民法院", "applied_on": _day(TODAY)},
        ),
    ),
    Route(
        "page:disputes:record:decision",
        "disputes.confirmation",
        o("agreed"),
        lambda m, s: Call(
            reverse("disputes:record", args=[m.objs[s]["agreed"].pk, "decision"]),
            {"accepted_on": _day(TODAY), "decision": "confirmed", "decided_on": _day(TODAY)},
        ),
        valid=False,  # no confirmation applied for yet
    ),
    Route(
        "page:disputes:record:satisfaction",
        "disputes.satisfaction",
        o("dispute"),
        lambda m, s: Call(
            reverse("disputes:record", args=[m.objs[s]["dispute"].pk, "satisfaction"]), {"score": 5}
        ),
        valid=False,  # rated only after mediation ends
    ),
    Route(
        "page:disputes:record:invitation",
        "disputes.invitation",
        o("dispute"),
        lambda m, s: Call(
            reverse("disputes:record", args=[m.objs[s]["dispute"].pk, "invitation"]),
            {"person": m.objs[s]["person"].pk, "purpose": "请专家释法"},
        ),
        valid=False,  # a mediator is not on the expert list
    ),
    Route(
        "page:disputes:scan",
        "disputes.agreement",
        o("agreed"),
        lambda m, s: Call(reverse("disputes:scan", args=[m.objs[s]["agreed"].pk]), files={"scan": _png()}),
    ),
    Route(
        "page:disclosure:receive",
        "disclosure.receive",
        o("street"),
        lambda m, s: Call(
            reverse("disclosure:receive"),
            {
                "region": m.objs[s]["street"].pk,
                "channel": "in_person",
                "submitted_on": _day(PAST),
                "applicant_kind": "person",
                "applicant_name": "申请人（示例）",
                "content": "2026年示例街道财政预算执行情况（示例）",
            },
        ),
        creates=True,
    ),
    Route(
        "page:disclosure:deliver",
        "disclosure.deliver",
        o("answered"),
        lambda m, s: Call(
            reverse("disclosure:deliver", args=[m.objs[s]["answered"].pk]),
            {"method": "in_person", "delivered_on": _day(TODAY)},
        ),
    ),
    Route(
        "page:disclosure:proactive",
        "disclosure.proactive",
        o("street"),
        lambda m, s: Call(
            reverse("disclosure:proactive"),
            {"region": m.objs[s]["street"].pk, "title": "示例公开事项二", "made_on": _day(PAST)},
        ),
        creates=True,
    ),
    Route(
        "page:administration:submit",
        "administration.review.submit",
        o("unit"),
        lambda m, s: Call(
            reverse("administration:submit"),
            {
                "kind": "other",
                "title": "示例送审",
                "unit_id": m.objs[s]["unit"].pk,
                "submitted_on": _day(PAST),
                "materials": "文本及起草说明",
            },
        ),
        creates=True,
    ),
    Route(
        "page:administration:add_issue",
        "administration.review.finding",
        o("review"),
        lambda m, s: Call(
            reverse("administration:add_issue", args=[m.objs[s]["review"].pk]),
            {"aspect": "content", "finding": "表述不清", "suggestion": "明确主体"},
        ),
    ),
    Route(
        "page:administration:respond",
        "administration.review.respond",
        o("issue"),
        lambda m, s: Call(
            reverse("administration:respond", args=[m.objs[s]["issue"].item_id, m.objs[s]["issue"].pk]),
            {"adoption": "adopted", "response": ""},
        ),
    ),
    Route(
        "page:administration:decisions",
        "administration.decision.create",
        o("unit"),
        lambda m, s: Call(
            reverse("administration:decisions"),
            {"year": TODAY.year, "title": "示例决策二", "unit_id": m.objs[s]["unit"].pk},
        ),
        creates=True,
    ),
    Route(
        "page:administration:normative:draft",
        "administration.normative.create",
        o("unit"),
        lambda m, s: Call(
            reverse("administration:normative"),
            {"form": "draft", "title": "示例规范性文件二", "unit_id": m.objs[s]["unit"].pk},
        ),
        creates=True,
    ),
    Route(
        "page:administration:normative:cleanup",
        "administration.cleanup",
        o("street"),
        lambda m, s: Call(
            reverse("administration:normative"),
            {
                "form": "cleanup",
                "region": m.objs[s]["street"].pk,
                "name": "示例清理二",
                "started_on": _day(PAST),
            },
        ),
        creates=True,
    ),
    Route(
        "page:administration:cleanup",
        "administration.cleanup",
        o("cleanup_entry"),
        lambda m, s: Call(
            reverse("administration:cleanup", args=[m.objs[s]["cleanup"].pk]),
            {"entry": m.objs[s]["cleanup_entry"].pk, "decision": "continue", "note": ""},
        ),
    ),
    Route(
        "page:administration:contracts",
        "administration.contract.submit",
        o("unit"),
        lambda m, s: Call(
            reverse("administration:contracts"),
            {
                "title": "示例物业服务合同",
                "unit_id": m.objs[s]["unit"].pk,
                "submitted_on": _day(PAST),
                "counterparty": "示例物业公司",
                "counterparty_uscc": "91310000MA1FL8LQ3J",
                "amount": "120000",
                "contract_type": "服务合同",
                "term_start": _day(TODAY),
                "term_end": _day(TODAY + dt.timedelta(days=365)),
            },
        ),
        valid=False,  # the credit code's check digit is the contracts tests' concern
        creates=True,
    ),
    Route(
        "page:administration:meetings",
        "administration.meeting.record",
        o("street"),
        lambda m, s: Call(
            reverse("administration:meetings"),
            {
                "region": m.objs[s]["street"].pk,
                "meeting": "主任办公会",
                "held_on": _day(PAST),
                "attendee": "法律顾问（示例）",
                "topics": "示例议题",
            },
        ),
        creates=True,
    ),
    Route(
        "page:steering:target_set",
        "indicators.manage",
        o("street"),
        lambda m, s: Call(
            reverse("steering:target_set", args=[_computed_indicator()]),
            {
                "region": m.objs[s]["street"].pk,
                "from": f"{TODAY.year}-01-01",
                "to": f"{TODAY.year}-12-31",
                "text": "100",
                "reason": "年度工作要点",
            },
        ),
        valid=False,  # the page redirects with its message either way; the indicator tests check the write
        creates=True,
    ),
    Route(
        "page:steering:entry_record",
        "indicators.manage",
        o("street"),
        lambda m, s: Call(
            reverse("steering:entry_record", args=[_manual_indicator()]),
            {
                "region": m.objs[s]["street"].pk,
                "from": f"{TODAY.year}-01-01",
                "to": f"{TODAY.year}-12-31",
                "value": "3",
                "evidence": "台账（示例）",
            },
        ),
        valid=False,
        creates=True,
    ),
    Route(
        "page:steering:task",
        "steering.task.report",
        o("task"),
        lambda m, s: Call(
            reverse("steering:task", args=[m.objs[s]["task"].pk]),
            {
                "reported_on": _day(TODAY),
                "percent": 50,
                "note": "已完成一半（示例）",
                "evidence_link": "示例台账",
            },
        ),
        valid=False,
    ),
    Route(
        "page:steering:dashboard",
        "steering.map",
        o("street"),
        lambda m, s: Call(
            f"{reverse('steering:dashboard')}?region={m.objs[s]['street'].pk}",
            {"region": m.objs[s]["street"].pk, "name_property": "name"},
            files={"geojson": _geojson(m, s)},
        ),
        valid=False,
        creates=True,
    ),
    Route(
        "page:steering:annual_report",
        "steering.report",
        o("street"),
        lambda m, s: Call(
            reverse("steering:annual_report"),
            {
                "region": m.objs[s]["street"].pk,
                "year": TODAY.year,
                "digest": "x",
                "action": "save",
                **{f"part{i}": "示例段落" for i in range(1, 5)},
            },
        ),
        creates=True,
    ),
]


def _computed_indicator() -> str:
    from core import indicators

    return next(i.code for i in indicators.all_indicators() if not i.manual)


def _manual_indicator() -> str:
    from core import indicators

    return next(i.code for i in indicators.all_indicators() if i.manual)


# Sample data each workflow action is tried on (the case forced into the action's first source state).
CASES = {
    "disputes.dispute": "dispute",
    "disclosure.disclosurerequest": "request",
    "administration.reviewitem": "review",
    "administration.majordecision": "decision",
    "administration.decisioncatalogue": "catalogue",
    "administration.normativedocument": "normative",
    "sample.samplecase": "sample",
    "enforcement.enforcementcase": "enforcement",
    "demands.workorder": "order",
    "demands.petition": "petition",
    "respondent.respondentcase": "respondent",
}
API_PREFIX = {
    "disputes.dispute": "/api/v1/disputes",
    "disclosure.disclosurerequest": "/api/v1/disclosure/requests",
    "administration.reviewitem": "/api/v1/administration/reviews",
    "administration.majordecision": "/api/v1/administration/decisions",
    "administration.normativedocument": "/api/v1/administration/normative-documents",
    "enforcement.enforcementcase": "/api/v1/enforcement/cases",
    "demands.workorder": "/api/v1/demands/orders",
    "demands.petition": "/api/v1/demands/petitions",
    "respondent.respondentcase": "/api/v1/respondent/cases",
}


def workflow_routes() -> list[tuple[Workflow, Any]]:
    return [(wf, a) for wf in registered() for a in wf.actions]


def _case_in_state(m: Matrix, side: str, wf: Workflow, act: Any) -> Any:
    case = m.objs[side][CASES[wf.model.lower()]]
    type(case).objects.filter(pk=case.pk).update(state=act.source[0])
    case.refresh_from_db()
    return case


# --- running one request ------------------------------------------------------------------------------


def page_client(user: Any) -> Client:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    c.cookies["csrftoken"] = CSRF_SECRET
    return c


def post_page(user: Any, call: Call) -> Any:
    return page_client(user).post(call.path, {**call.data, **call.files}, HTTP_X_CSRFTOKEN=CSRF_SECRET)


def post_api(token: str, path: str, body: dict[str, Any]) -> Any:
    c = Client(enforce_csrf_checks=True)
    return c.post(
        path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def judge(
    m: Matrix,
    account: str,
    route_name: str,
    perm: Permission,
    obj: Any,
    send: Callable[[], Any],
    *,
    valid: bool,
    creates: bool,
    api: bool,
) -> str | None:
    """Send the request in a savepoint that is rolled back; return what went wrong, or None."""
    sees = visible(m, account, obj)
    may = table_says(m, account, perm, obj)
    with transaction.atomic():
        before = traces()
        r = send()
        wrote = traces() - before
        transaction.set_rollback(True)
    where = f"{route_name} as {account}"
    text = r.content.decode(errors="replace")
    refused_by_table = r.status_code == 403 and ("不能" in text or "无权" in text)
    if not sees:
        if creates:
            if r.status_code < 400 and wrote:
                return f"{where}: wrote outside the account's scope ({r.status_code})"
        elif r.status_code != 404:
            return f"{where}: expected 404 outside scope, got {r.status_code}"
        return None
    if not may:
        if r.status_code != 403:
            return f"{where}: the table says no, got {r.status_code} {text[:200]}"
        if wrote:
            return f"{where}: refused but wrote {wrote} trace(s)"
        return None
    if r.status_code == 404 or refused_by_table or (api and r.status_code == 403 and "您的角色不能" in text):
        return f"{where}: the table says yes, got {r.status_code} {text[:300]}"
    if valid and (r.status_code >= 400 or not wrote):
        return f"{where}: valid write did not succeed ({r.status_code}, {wrote} traces) {text[:300]}"
    return None


@pytest.fixture
def matrix(world: Any) -> Matrix:
    return build(world)


def _sides_accounts() -> list[tuple[str, str]]:
    return [(side, account) for side in SIDES for account in ACCOUNTS]


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda r: r.name)
def test_page_writes_follow_the_table(matrix: Matrix, route: Route) -> None:
    perm = PERMISSIONS[route.code]
    problems = []
    for side, account in _sides_accounts():
        user = matrix.world.users[account]
        problems.append(
            judge(
                matrix,
                account,
                route.name,
                perm,
                route.target(matrix, side),
                partial(post_page, user, route.call(matrix, side)),
                valid=route.valid,
                creates=route.creates,
                api=False,
            )
        )
    assert [p for p in problems if p] == []


@pytest.mark.parametrize("wf_act", workflow_routes(), ids=lambda wa: f"{wa[0].model}.{wa[1].name}")
def test_workflow_actions_follow_the_table_on_pages_and_api(
    matrix: Matrix, wf_act: tuple[Workflow, Any]
) -> None:
    """Every action of every workflow table, through the page form (CSRF) and its own API operation (token)."""
    wf, act = wf_act
    perm = PERMISSIONS[wf.permission_code(act)]
    app_label, model = wf.model.lower().split(".")
    problems = []
    for side, account in _sides_accounts():
        user = matrix.world.users[account]
        with transaction.atomic():
            case = _case_in_state(matrix, side, wf, act)
            url = reverse("core:workflow_action", args=[app_label, model, case.pk, act.name])
            problems.append(
                judge(
                    matrix,
                    account,
                    f"page {wf.model}.{act.name}",
                    perm,
                    case,
                    partial(post_page, user, Call(url, {"version": case.version})),
                    valid=False,
                    creates=False,
                    api=False,
                )
            )
            prefix = API_PREFIX.get(wf.model.lower())
            if prefix:
                path = f"{prefix}/{case.pk}/actions/{act.name}"
                problems.append(
                    judge(
                        matrix,
                        account,
                        f"api {wf.model}.{act.name}",
                        perm,
                        case,
                        partial(
                            post_api, matrix.tokens[account], path, {"version": case.version, "data": {}}
                        ),
                        valid=False,
                        creates=False,
                        api=True,
                    )
                )
            transaction.set_rollback(True)
    assert [p for p in problems if p] == []


API_ROUTES: list[Route] = [
    Route(
        "api:respondent_api_case_create",
        "respondent.receive",
        lambda m, s: m.objs[s]["unit"].region,
        lambda m, s: Call(
            "/api/v1/respondent/cases",
            {
                "kind": "litigation",
                "body": "示例区人民法院",
                "applicant": "示例原告",
                "unit": m.objs[s]["unit"].pk,
                "act_kind": "other",
                "act": "示例行政行为",
                "filed_on": _day(PAST),
                "received_on": _day(PAST),
            },
        ),
        creates=True,
    ),
    Route(
        "api:demands_api_petition_create",
        "demands.petition_receive",
        o("community"),
        lambda m, s: Call(
            "/api/v1/demands/petitions",
            {
                "channel": "letter",
                "petitioner": "示例信访人",
                "category": "物业管理",
                "content": "反映物业长期不维修电梯（示例）",
                "region": m.objs[s]["community"].pk,
                "received_on": _day(PAST),
            },
        ),
        creates=True,
    ),
    Route(
        "api:demands_api_order_create",
        "demands.receive",
        o("community"),
        lambda m, s: Call(
            "/api/v1/demands/orders",
            {
                "number": f"12345-{s}-接口",
                "kind": "complaint",
                "category": "示例工单事项",
                "content": "示例路口占道经营（示例）",
                "region": m.objs[s]["community"].pk,
                "received_at": f"{_day(PAST)}T09:00:00+08:00",
            },
        ),
        creates=True,
    ),
    Route(
        "api:enforcement_api_case_create",
        "enforcement.file",
        o("community"),
        lambda m, s: Call(
            "/api/v1/enforcement/cases",
            {
                "procedure": "ordinary",
                "source": "hotline_12345",
                "source_ref": f"12345-{s}-执法",
                "item_code": "CG-001",
                "community": m.objs[s]["community"].pk,
                "party_kind": "person",
                "party_name": "示例摊主",
                "facts": "在人行道上设摊经营（示例）",
                "offence_on": _day(PAST),
                "filed_on": _day(PAST),
                "officers": [p.pk for p in m.objs[s]["officers"]],
            },
        ),
        creates=True,
    ),
    Route(
        "api:disputes_api_dispute_create",
        "disputes.intake",
        o("community"),
        lambda m, s: Call(
            "/api/v1/disputes",
            {
                "source": "hotline_12345",
                "external_ref": f"12345-{s}-写操作测试",
                "dispute_type": "neighbour",
                "community": m.objs[s]["community"].pk,
                "description": "邻居装修噪音扰民（示例）",
                "parties": [{"role": "applicant", "kind": "person", "name": "申请人（示例）"}],
            },
        ),
        creates=True,
    ),
    Route(
        "api:core_api_person_reveal",
        "personal.reveal",
        o("person"),
        lambda m, s: Call(
            f"/api/v1/people/{m.objs[s]['person'].pk}/reveal", {"field": "phone", "reason": "核实身份"}
        ),
    ),
]


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: r.name)
def test_api_writes_follow_the_table_with_a_bearer_token(matrix: Matrix, route: Route) -> None:
    perm = PERMISSIONS[route.code]
    problems = []
    for side, account in _sides_accounts():
        call = route.call(matrix, side)
        problems.append(
            judge(
                matrix,
                account,
                route.name,
                perm,
                route.target(matrix, side),
                partial(post_api, matrix.tokens[account], call.path, call.data),
                valid=route.valid,
                creates=route.creates,
                api=True,
            )
        )
    assert [p for p in problems if p] == []


# --- the admin ----------------------------------------------------------------------------------------

ADMIN_OBJECTS: dict[str, Callable[[Matrix, str], Any]] = {
    "core.region": o("community"),
    "core.unit": o("unit"),
    "core.person": o("person"),
    "core.user": o("user"),
    "core.calendaryear": lambda m, s: _calendar_year(),
    "core.calendarday": lambda m, s: _calendar_day(),
    "core.clockrulesetting": lambda m, s: _rule_setting(m, s),
    "core.changelog": lambda m, s: ChangeLog.objects.filter(
        region_path__startswith=m.objs[s]["street"].path
    ).first(),
    "core.reveallog": lambda m, s: RevealLog.objects.filter(
        region_path__startswith=m.objs[s]["street"].path
    ).first(),
    "disputes.disputetype": lambda m, s: _dispute_type(),
    "disputes.risksettings": o("risk"),
    "disputes.vulnerableperson": o("vulnerable"),
}


def _calendar_year() -> Any:
    from core.models import CalendarYear

    return CalendarYear.objects.get_or_create(year=2031, defaults={"notice": "示例通知"})[0]


def _calendar_day() -> Any:
    from core.models import CalendarDay

    return CalendarDay.objects.get_or_create(
        date=dt.date(2031, 1, 1), defaults={"is_working_day": False, "name": "元旦"}
    )[0]


def _rule_setting(m: Matrix, side: str) -> Any:
    from core.models import ClockRuleSetting

    region = m.world.district if side == "in" else m.objs[side]["street"]
    return ClockRuleSetting.objects.get_or_create(
        rule_id="mediation.period", region=region, defaults={"length": 30, "source": "示例依据"}
    )[0]


def _dispute_type() -> Any:
    from disputes.models import DisputeType

    return DisputeType.objects.get(code="neighbour")


# Written out here, not imported: who outranks whom when accounts are managed (docs/permissions.md).
RANK = {
    Role.ADMINISTRATOR: 100,
    Role.DISTRICT_STAFF: 80,
    Role.STREET_LEADER: 60,
    Role.JUSTICE_COORDINATOR: 50,
    Role.REVIEWER: 30,
    Role.MEDIATOR: 30,
    Role.OFFICER: 30,
    Role.UNIT_STAFF: 30,
    Role.HOTLINE: 30,
    Role.AUDITOR: 20,
}
# Rows the admin never deletes for a non-superuser: the directory is deactivated, the taxonomy retired, logs kept.
NEVER_DELETED = {"core.region", "core.unit", "core.person", "core.user", "disputes.disputetype"}


def _admin_expectations(m: Matrix, account: str, model_admin: Any, obj: Any) -> tuple[bool, bool]:
    """(may add, may change/delete this object) by the table, the admin's own declarations and account ranks."""
    if getattr(model_admin, "read_only", False):
        return False, False
    code = getattr(model_admin, "permission", "directory.manage")
    perm = PERMISSIONS[code]
    add = table_says(m, account, perm, None)
    change = table_says(m, account, perm, obj)
    if obj is not None and obj._meta.label_lower == "core.user":
        mine = RANK[ROLE_OF[account]]
        theirs = max(RANK[ms.role] for ms in obj.memberships.all())
        change = change and mine >= theirs
    return add, change


def _user_region(obj: Any) -> Any:
    return obj.memberships.first().unit.region if obj._meta.label_lower == "core.user" else _region(obj)


@pytest.mark.parametrize("label", sorted(ADMIN_OBJECTS), ids=str)
def test_admin_writes_follow_the_table(matrix: Matrix, label: str) -> None:
    from django.apps import apps

    model = apps.get_model(label)
    if model not in admin.site._registry:
        pytest.fail(f"{label} is declared here but not in the admin")
    model_admin = admin.site._registry[model]
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
    problems = []
    for side, account in _sides_accounts():
        user = matrix.world.users[account]
        obj = ADMIN_OBJECTS[label](matrix, side)
        add, change = _admin_expectations(matrix, account, model_admin, obj)
        if obj is not None and label == "core.user":
            region = _user_region(obj)
            change = change and table_says(matrix, account, PERMISSIONS["directory.manage"], region)
        with transaction.atomic():
            before = traces()
            r = page_client(user).get(f"{base}/add/")
            if r.status_code != (200 if add else 403):
                problems.append(f"{label} add as {account}: {r.status_code}, expected {200 if add else 403}")
            if obj is not None:
                sees = model_admin.get_queryset(_Request(user)).filter(pk=obj.pk).exists()
                for op, path, data in (
                    ("change", f"{base}/{obj.pk}/change/", {}),
                    ("delete", f"{base}/{obj.pk}/delete/", {"post": "yes"}),
                ):
                    may = change and not (op == "delete" and label in NEVER_DELETED)
                    r = post_page(user, Call(path, data))
                    if not sees:
                        ok = r.status_code in (302, 403)
                    elif may:
                        ok = r.status_code in (200, 302)
                    else:
                        ok = r.status_code == 403
                    if not ok:
                        problems.append(
                            f"{label} {op} ({side}) as {account}: {r.status_code} (sees={sees}, may={may})"
                        )
                    if op == "change" and not may and traces() != before:
                        problems.append(f"{label} change ({side}) as {account} wrote without the right")
            transaction.set_rollback(True)
    assert problems == []


def _Request(user: Any) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


# --- coverage: a new write route without a declaration fails here ------------------------------------------


# Pages whose POST writes nothing of the platform's records (or that act for the public / the session).
NOT_WRITES = {
    "core:login",  # signs in (throttled; core/tests/test_throttle.py)
    "core:logout",
    "core:tokens",  # the account's own tokens (test below)
    "core:workflow_action",  # every action, test above
    "disputes:record",  # one route per record kind, above
    "disputes:public_intake",  # the public page (rate limit and CAPTCHA: disputes/tests/test_public_limits.py)
    "disputes:public_track",  # the public page (a resident's rating)
    "core:import_upload",  # imports: test below
    "core:bulk_action",  # a workflow action on many rows, each through ``transition``: test below
    "core:saved_filter_save",  # the account's own saved list filters, not the platform's records: test below
    "core:saved_filter_delete",
}


def _url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, ns: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace in ("admin", "api") or "captcha" in str(p.pattern):
                    continue
                walk(p, f"{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{ns}{p.name}")

    walk(get_resolver(), "")
    return names


def test_every_declared_page_route_exists() -> None:
    declared = {":".join(r.name.split(":")[1:3]) for r in PAGE_ROUTES} | NOT_WRITES
    assert declared - _url_names() == set(), "a declared route no longer exists"


def _dummy_kwargs(name: str) -> dict[str, Any]:
    from django.urls import get_resolver as gr

    for pattern_list in gr().reverse_dict.getlist(name.split(":")[-1]):
        params = pattern_list[0][0][1]
        return {p: ("x" if p in ("kind", "code", "action", "app_label", "model") else 1) for p in params}
    return {}


def test_read_only_pages_write_nothing_when_posted(matrix: Matrix) -> None:
    """Every page not declared as a write, posted (with CSRF) by the account that may do most: no trace."""
    declared = {":".join(r.name.split(":")[1:3]) for r in PAGE_ROUTES} | NOT_WRITES
    user = matrix.world.users["justice"]
    problems = []
    for name in sorted(_url_names() - declared):
        kwargs = _dummy_kwargs(name)
        if "pk" in kwargs:
            kwargs["pk"] = matrix.objs["in"]["dispute"].pk
        try:
            path = reverse(name, kwargs=kwargs)
        except Exception:
            continue
        with transaction.atomic():
            before = traces()
            r = post_page(user, Call(path, {"x": "1"}))
            if traces() != before:
                problems.append(f"{name}: POST wrote a trace ({r.status_code})")
            transaction.set_rollback(True)
    assert problems == []


def test_every_api_write_operation_is_covered() -> None:
    from fazhi.api import api

    schema = api.get_openapi_schema()
    from core.imports import IMPORTERS

    covered = {r.name.split(":", 1)[1] for r in API_ROUTES} | {
        "core_api_token",
        "core_api_token_revoke",
    }  # public sign-in; own tokens (tested below)
    covered |= {f"import_{kind.replace('-', '_')}" for kind in IMPORTERS}  # test_imports_follow_the_table
    for wf, act in workflow_routes():
        if wf.model.lower() in API_PREFIX:
            covered.add(f"{wf.model.split('.')[-1].lower()}_action_{act.name}")
    writes = {
        op.get("operationId", f"{method} {path}")
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method in ("post", "put", "patch", "delete")
    }
    assert writes - covered == set(), "an API write operation without a row in this matrix"


def test_every_admin_model_is_covered() -> None:
    registered_models = {m._meta.label_lower for m in admin.site._registry}
    assert registered_models - set(ADMIN_OBJECTS) == set()


def test_every_write_permission_excludes_read_only_roles() -> None:
    for perm in PERMISSIONS.values():
        if perm.write:
            assert Role.AUDITOR not in perm.roles, perm.code


def test_imports_follow_the_table(matrix: Matrix) -> None:
    """Every importer, on the page and through its API operation: refused (403) exactly where the table says;
    a refused upload queues no job, an allowed one is queued (and, as tests run tasks, run) as a job."""
    from core.imports import IMPORTERS
    from core.models import Job

    problems: list[tuple[Any, ...]] = []
    for kind, importer in IMPORTERS.items():
        perm = PERMISSIONS[importer.capability]
        for account in ACCOUNTS:
            user = matrix.world.users[account]
            f = io.BytesIO(importer.template_bytes())
            f.name = "模板.xlsx"
            expected_refused = not table_says(matrix, account, perm, None)
            with transaction.atomic():
                jobs_before = Job.objects.count()
                r = post_page(user, Call(reverse("core:import_upload", args=[kind]), files={"file": f}))
                queued = Job.objects.count() - jobs_before
                api = post_api(matrix.tokens[account], f"/api/v1/imports/{kind}", {"records": [{}]})
                transaction.set_rollback(True)
            if queued != (0 if expected_refused else 1) or (not expected_refused and r.status_code != 302):
                problems.append((kind, "page job", account, r.status_code, queued))
            for where, status in (("page", r.status_code), ("api", api.status_code)):
                if (status == 403) != expected_refused:
                    problems.append((kind, where, account, status))
    assert problems == []


def test_tokens_are_each_accounts_own(matrix: Matrix) -> None:
    """Every account, the auditor included, manages only its own tokens: another's token is 404."""
    theirs = ApiToken.objects.get(user=matrix.world.users["justice"])
    for account in ACCOUNTS:
        user = matrix.world.users[account]
        r = post_page(
            user, Call(reverse("core:tokens"), {"op": "issue", "name": "示例系统", "password": "错"})
        )
        assert r.status_code == 400 and "密码不正确" in r.content.decode(), account
        r = post_page(
            user, Call(reverse("core:tokens"), {"op": "issue", "name": "示例系统", "password": PASSWORD})
        )
        assert r.status_code == 200 and "示例系统" in r.content.decode(), account
        if account != "justice":
            r = post_page(user, Call(reverse("core:tokens"), {"op": "revoke", "token": theirs.pk}))
            assert r.status_code == 404, account
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def _bulk_routes() -> list[tuple[Any, Workflow, Any]]:
    from core.exports import EXPORTERS

    return [
        (exporter, workflow_for(exporter.model), workflow_for(exporter.model).action(name))
        for exporter in EXPORTERS.values()
        if exporter.bulk
        for name in exporter.bulk
    ]


def _ready_for(case: Any, action: str) -> None:
    """What a bulk action's guard asks of the case besides its state (a closing needs its follow-ups done)."""
    if action == "close":
        from disputes.models import FollowUp

        day = timezone.localdate() - dt.timedelta(days=1)
        FollowUp.objects.create(
            dispute=case, term="履行完毕（示例）", due_on=day, visited_on=day, fulfilment="fulfilled"
        )


@pytest.mark.parametrize("route", _bulk_routes(), ids=lambda r: f"{r[0].kind}.{r[2].name}")
def test_bulk_actions_follow_the_table_row_by_row(matrix: Matrix, route: tuple[Any, Workflow, Any]) -> None:
    """A list's bulk action, posted with CSRF by every account on a case in its scope and one outside: the case
    moves exactly where the table lets the account take the action on it; an account the table never lets is
    refused (403); a case outside the scope is never touched."""
    exporter, wf, act = route
    perm = PERMISSIONS[wf.permission_code(act)]
    today = timezone.localdate().isoformat()
    problems = []
    moves = 0
    for account in ACCOUNTS:
        user = matrix.world.users[account]
        with transaction.atomic():
            cases = {side: _case_in_state(matrix, side, wf, act) for side in SIDES}
            for case in cases.values():
                _ready_for(case, act.name)
            data = {
                "action": act.name,
                "ids": [c.pk for c in cases.values()],
                **{f.name: today for f in act.fields if f.kind == "date"},
                # a choice (the unit dispatched to): the first the form offers the account
                **{
                    f.name: opts[0][0]
                    for f in act.fields
                    if f.kind == "choice" and (opts := f.options(None, user))
                },
            }
            r = post_page(user, Call(reverse("core:bulk_action", args=[exporter.kind]), data))
            anywhere = allowed(user, perm.code)
            if r.status_code != (302 if anywhere else 403):
                problems.append(f"{account}: {r.status_code}")
            said = " ".join(str(m) for m in get_messages(r.wsgi_request)) if anywhere else ""
            for side, case in cases.items():
                moved = type(case).objects.get(pk=case.pk).state == act.target
                moves += moved
                expected = (
                    anywhere and visible(matrix, account, case) and table_says(matrix, account, perm, case)
                )
                if moved and not expected:
                    problems.append(f"{account} {side}: moved where the table does not let it")
                if expected and not moved and case.number not in said:
                    problems.append(f"{account} {side}: not moved and no reason given ({said})")
            transaction.set_rollback(True)
    assert problems == []
    assert moves > 0  # some account took the action in bulk


def test_saved_filters_are_each_accounts_own(matrix: Matrix) -> None:
    """Every account, the auditor included, may save its own view of a list; another's is 404, and only the
    list's own parameters are kept."""
    from core.models import SavedFilter

    mine = matrix.world.users["justice"]
    r = post_page(
        mine,
        Call(
            reverse("core:saved_filter_save", args=["disputes"]),
            {"name": "高风险", "query": "risk=high&cols=number&cols=bogus&sort=-due&page=3"},
        ),
    )
    assert r.status_code == 302
    saved = SavedFilter.objects.get(user=mine)
    assert saved.query == "risk=high&cols=number&sort=-due"
    for account in ACCOUNTS:
        user = matrix.world.users[account]
        if user == mine:
            continue
        r = post_page(user, Call(reverse("core:saved_filter_delete", args=[saved.pk])))
        assert r.status_code == 404, account
        r = post_page(
            user, Call(reverse("core:saved_filter_save", args=["disputes"]), {"name": "我的", "query": ""})
        )
        assert r.status_code == 302, account
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    assert post_page(mine, Call(reverse("core:saved_filter_delete", args=[saved.pk]))).status_code == 302
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()
