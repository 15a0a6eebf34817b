"""A fictional year of a street's enforcement, through the services (each step stamped with its own day, as an
import of past records is): the team's officers with their certificates, the catalogue of items, and about 120
cases — on-the-spot decisions, ordinary cases with advance notice, 首违不罚, legality reviews, service, payment and
publicity, most on time and some late."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core import services as core_services
from core.audit.context import recorded_at
from core.clocks import calendar as cal
from core.db import atomic
from core.models import Person, Region, Unit, User
from core.models.people import PersonKind
from core.workflow import transition

from . import services
from .models import EnforcementCase

# (code, name, basis, range, fine_max, minor_exempt, needs_review, review_threshold)
ITEMS = [
    (
        "CG-001",
        "擅自占用道路设摊经营",
        "《上海市市容环境卫生管理条例》第二十二条",
        "责令改正，可处五十元以上五百元以下罚款",
        500,
        True,
        False,
        None,
    ),
    (
        "CG-002",
        "乱张贴、乱涂写、乱刻画",
        "《上海市市容环境卫生管理条例》第二十四条",
        "责令清除，可处五十元以上二百元以下罚款",
        200,
        True,
        False,
        None,
    ),
    (
        "CG-003",
        "店招店牌设置不符合规范",
        "《上海市户外广告设施管理办法》第二十八条",
        "责令改正，可处五百元以上五千元以下罚款",
        5000,
        True,
        False,
        None,
    ),
    (
        "CG-004",
        "单位未按规定分类投放生活垃圾",
        "《上海市生活垃圾管理条例》第五十八条",
        "责令立即改正，处五千元以上五万元以下罚款",
        50000,
        False,
        False,
        10000,
    ),
    (
        "CG-005",
        "个人未按规定分类投放生活垃圾",
        "《上海市生活垃圾管理条例》第五十八条",
        "责令立即改正，拒不改正的处五十元以上二百元以下罚款",
        200,
        True,
        False,
        None,
    ),
    (
        "CG-006",
        "夜间施工噪声扰民",
        "《中华人民共和国噪声污染防治法》第七十七条",
        "责令改正，处一万元以上十万元以下罚款",
        100000,
        False,
        True,
        None,
    ),
    (
        "CG-007",
        "擅自搭建建筑物、构筑物",
        "《上海市拆除违法建筑若干规定》第十一条",
        "责令限期拆除，可处违法建筑造价百分之五以上百分之十以下罚款",
        None,
        False,
        True,
        None,
    ),
    (
        "CG-008",
        "建筑垃圾未按规定处置",
        "《上海市建筑垃圾处理管理规定》第四十条",
        "责令改正，处五千元以上五万元以下罚款",
        50000,
        False,
        False,
        20000,
    ),
    (
        "CG-009",
        "占用、损坏绿地",
        "《上海市绿化条例》第四十八条",
        "责令限期改正，可处绿化造价一倍以上五倍以下罚款",
        None,
        False,
        False,
        None,
    ),
    (
        "CG-010",
        "餐饮油烟直排",
        "《上海市大气污染防治条例》第九十五条",
        "责令改正，处五千元以上五万元以下罚款",
        50000,
        False,
        False,
        20000,
    ),
]
DISCRETION = (
    "初次违法且及时改正的，适用首违不罚；一年内再次违法的，按幅度中间值处罚；屡教不改的，按上限处罚（示例）。"
)
PLACES = [
    "示例路与示例街交叉口",
    "示例菜场门口",
    "示例小区北门",
    "示例商业街",
    "示例公园东侧",
    "示例地铁站出口",
]


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def generate_enforcement_year(
    street: Region, *, seed: int, cases: int = 120, today: dt.date | None = None
) -> dict[str, int]:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    team = Unit.objects.filter(region=street, kind="enforcement_team").first()
    officer = User.objects.filter(memberships__role="officer", memberships__unit=team).order_by("pk").first()
    coordinator = User.objects.filter(
        memberships__role="justice_coordinator", memberships__unit__region=street
    ).first()
    reviewer = User.objects.filter(memberships__role="reviewer", memberships__unit__region=street).first()
    if team is None or officer is None or coordinator is None or reviewer is None:
        raise ValueError(f"{street.name}缺少综合行政执法队、执法人员、司法所或公职律师账号")
    lawyer = Person.objects.filter(kind="public_lawyer", region=street, legal_qualification=True).first()
    if lawyer is None:
        raise ValueError(f"{street.name}的名册中没有具有法律职业资格的公职律师")
    start = today - dt.timedelta(days=360)
    people = _officers(rng, street, team, officer, start)
    items = _catalogue(street, officer)
    communities = list(Region.objects.filter(parent=street, level="community").order_by("code"))
    made = 0
    for n in range(cases):
        offence = start + dt.timedelta(days=rng.randrange(0, 340))
        filed = cal.working_days_after(offence, rng.randint(0, 3))
        if filed > today - dt.timedelta(days=3):
            continue
        item = rng.choice(items)
        organisation = item.code in ("CG-004", "CG-006", "CG-008", "CG-010") or rng.random() < 0.2
        simple = item.minor_exempt and rng.random() < 0.7 and not organisation
        pair = rng.sample(people, 2)
        with atomic(), recorded_at(_at(filed)):
            case = services.case_file(
                by=officer,
                procedure="simple" if simple else "ordinary",
                source=rng.choice(["inspection", "inspection", "complaint", "hotline_12345"]),
                item_id=item.pk,
                community=rng.choice(communities),
                party_kind="organisation" if organisation else "person",
                party_name=f"示例{'公司' if organisation else '当事人'}{n + 1}",
                facts=f"{offence:%Y年%-m月%-d日}在{rng.choice(PLACES)}{item.name}（示例）",
                offence_on=offence,
                filed_on=filed,
                officer_ids=[p.pk for p in pair],
            )
        made += 1
        if simple:
            _onsite(rng, case, officer, filed, today)
        else:
            _ordinary(rng, case, officer, coordinator, reviewer, lawyer, filed, today, n)
    plans = _inspections(rng, street, officer, items, start, today)
    evaluated = _self_check(rng, street, officer, today)
    return {
        "cases": made,
        "items": len(items),
        "officers": len(people),
        "plans": plans,
        "evaluated": evaluated,
    }


def _inspections(
    rng: random.Random, street: Region, by: Any, items: list[Any], start: dt.date, today: dt.date
) -> int:
    from . import inspections

    kinds = ["shop"] * 30 + ["firm"] * 6 + ["site"] * 4
    for n, kind in enumerate(kinds, start=1):
        label = {"shop": "商铺", "firm": "公司", "site": "工地"}[kind]
        inspections.subject_save(
            by=by, region=street, name=f"示例{label}{n}号", kind=kind, address=f"示例路{n}号"
        )
    made = 0
    for quarter in range(4):
        planned = cal.working_days_after(start + dt.timedelta(days=60 + 90 * quarter), 1)
        if planned > today:
            break
        with atomic(), recorded_at(_at(planned)):
            plan = inspections.plan_create(
                by=by,
                region=street,
                item_id=items[quarter % 3].pk,
                title=f"第{quarter + 1}季度{items[quarter % 3].name}双随机抽查（示例）",
                sample_size=6,
                planned_on=planned,
            )
            drawn = inspections.plan_draw(by=by, plan=plan, seed=rng.randrange(2**31))
        for inspection in drawn:
            day = cal.working_days_after(planned, rng.randint(0, 5))
            if day > today:
                continue
            result = rng.choice(["compliant"] * 4 + ["corrected"])
            with atomic(), recorded_at(_at(day)):
                inspections.inspection_record(
                    by=by,
                    inspection=inspection,
                    inspected_on=day,
                    result=result,
                    finding="跨门经营，已当场责令改正（示例）" if result == "corrected" else "",
                )
        published = cal.working_days_after(planned, 10)
        if published <= today and not plan.inspections.filter(result="pending").exists():
            with atomic(), recorded_at(_at(published)):
                inspections.plan_publish(by=by, plan=plan, published_on=published)
        made += 1
    return made


def _self_check(rng: random.Random, street: Region, by: Any, today: dt.date) -> int:
    from . import evaluation

    closed = list(
        EnforcementCase.objects.filter(region__path__startswith=street.path, state="closed").order_by("pk")
    )
    if not closed:
        return 0
    started = today - dt.timedelta(days=20)
    with atomic(), recorded_at(_at(started)):
        campaign = evaluation.campaign_start(
            by=by,
            region=street,
            kind="campaign",
            title=f"{today.year}年度行政执法案卷评查（示例）",
            year=today.year,
            started_on=started,
        )
    items = campaign.rubric.scored
    for n, case in enumerate(rng.sample(closed, min(20, len(closed)))):
        scores = {i["code"]: max(0, i["points"] - rng.choice([0, 0, 1, 2, 3])) for i in items}
        vetoes = ["evidence"] if n == 0 else []
        day = started + dt.timedelta(days=rng.randint(1, 15))
        with atomic(), recorded_at(_at(day)):
            evaluation.evaluate(
                by=by, campaign=campaign, case=case, scores=scores, vetoes=vetoes, evaluated_on=day
            )
    return min(20, len(closed))


def _officers(rng: random.Random, street: Region, team: Unit, by: Any, start: dt.date) -> list[Person]:
    people = []
    for n in range(8):
        person = core_services.person_create(
            by=None, name=f"执法队员{n + 1}（示例）", kind=PersonKind.OFFICER, region=street, unit=team
        )
        valid_from = start - dt.timedelta(days=rng.randrange(200, 1200))
        # One certificate runs out within the next two months: a reminder the list shows
        valid_to = start + dt.timedelta(days=395) if n == 7 else valid_from + dt.timedelta(days=5 * 365)
        services.certificate_record(
            by=by,
            person=person,
            number=f"沪执{street.code[-3:]}{n + 1:04d}（示例）",
            issuer="示例市人民政府",
            field="城市管理综合执法",
            valid_from=valid_from,
            valid_to=valid_to,
        )
        for quarter in range(4):
            services.training_record(
                by=by,
                person=person,
                held_on=start + dt.timedelta(days=30 + 90 * quarter),
                topic=rng.choice(["行政处罚法", "执法全过程记录", "案卷制作规范", "轻微违法免罚清单"]),
                hours=Decimal(rng.choice([4, 6, 8])),
            )
        people.append(person)
    return people


def _catalogue(street: Region, by: Any) -> list[Any]:
    return [
        services.item_save(
            by=by,
            region=street,
            code=code,
            name=name,
            basis=basis,
            penalty_range=rng_range,
            fine_max=Decimal(fine_max) if fine_max is not None else None,
            discretion=DISCRETION,
            minor_exempt=exempt,
            needs_review=review,
            review_threshold=Decimal(threshold) if threshold is not None else None,
        )
        for code, name, basis, rng_range, fine_max, exempt, review, threshold in ITEMS
    ]


def _step(case: Any, action: str, by: Any, day: dt.date, **data: Any) -> Any:
    with atomic(), recorded_at(_at(day)):
        return transition(case, action, by=by, data=data)


def _publish_and_pay(
    rng: random.Random, case: EnforcementCase, by: Any, decided: dt.date, today: dt.date
) -> None:
    published = cal.working_days_after(decided, rng.choice([1, 2, 3, 5, 6, 9]))  # a few late
    if published <= today:
        with atomic(), recorded_at(_at(published)):
            case = services.case_publish(by=by, case=case, published_on=published, where="街道门户网站")
    if case.fine and case.served_on:
        paid = case.served_on + dt.timedelta(days=rng.choice([2, 5, 10, 14, 14, 18]))
        if paid <= today:
            with atomic(), recorded_at(_at(paid)):
                case = services.case_pay(by=by, case=case, paid_on=paid)
    steps = [decided, case.served_on or decided, case.paid_on or decided, case.published_on or decided]
    closed = cal.working_days_after(max(steps), 3)
    if case.published_on and (case.paid_on or not case.fine) and closed <= today:
        _step(case, "close", by, closed, closed_on=closed)


def _onsite(rng: random.Random, case: EnforcementCase, by: Any, day: dt.date, today: dt.date) -> None:
    fine = rng.choice([None, 50, 100, 150, 200])
    data: dict[str, Any] = {"decided_on": day, "outcome": "warning" if fine is None else "fine"}
    if fine is not None:
        data["fine"] = Decimal(fine)
    case = _step(case, "decide_onsite", by, day, **data)
    _publish_and_pay(rng, case, by, day, today)


def _ordinary(
    rng: random.Random,
    case: EnforcementCase,
    by: Any,
    coordinator: Any,
    reviewer: Any,
    lawyer: Person,
    filed: dt.date,
    today: dt.date,
    n: int,
) -> None:
    notified = cal.working_days_after(filed, rng.randint(5, 20))
    if notified > today:
        return
    case = _step(
        case,
        "notify",
        by,
        notified,
        notified_on=notified,
        proposed="拟依法作出处理（示例）",
        hearing_right="no",
    )
    decided = cal.working_days_after(notified, rng.randint(6, 12))
    if decided > today:
        return
    item = case.item
    if item.minor_exempt and n % 3 == 0:
        outcome, fine = "first_offence", None
    else:
        outcome = "fine"
        low = int((item.fine_max or Decimal(20000)) / 10)
        fine = Decimal(rng.choice([low, low * 2, low * 3]))
    if item.review_required(fine):
        submitted = cal.working_days_after(notified, 1)
        with atomic(), recorded_at(_at(submitted)):
            review = services.case_request_review(
                by=by, case=case, submitted_on=submitted, materials="案卷、拟作出的处罚决定及其依据（示例）"
            )
        review = _step(review, "assign", coordinator, submitted, reviewer=str(lawyer.pk))
        opinion = cal.working_days_after(submitted, rng.randint(2, 5))
        _step(review, "give_opinion", reviewer, opinion, conclusion="lawful", opinion_on=opinion)
        case.refresh_from_db()
        decided = max(decided, cal.working_days_after(opinion, 1))
        if decided > today:
            return
    data: dict[str, Any] = {"decided_on": decided, "outcome": outcome}
    if fine is not None:
        data["fine"] = fine
    else:
        data["education"] = "当场宣讲相关规定，当事人认识到违法行为并立即改正（示例）"
    case = _step(case, "decide", by, decided, **data)
    served = cal.working_days_after(decided, rng.choice([1, 2, 3, 8]))
    if served > today:
        return
    case = _step(case, "serve", by, served, served_on=served, method=rng.choice(["direct", "post"]))
    _publish_and_pay(rng, case, by, decided, today)
