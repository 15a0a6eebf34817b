"""A year of a street's disputes, generated through the services so timelines and clocks are real.

Deterministic from the seed and from ``today``: the year ends on ``today`` so that some cases are
still open, some overdue and some follow-ups are due. All names are marked 示例.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.audit.context import recorded_at
from core.db import atomic
from core.demo import GIVEN, SURNAMES
from core.models import Person, Region, Unit, User
from core.personal import id_number_check_char
from core.workflow import transition

from . import services
from .models import Dispute

TYPE_WEIGHTS = {
    "neighbour": 25,
    "property_mgmt": 18,
    "marriage_family": 12,
    "housing_land": 8,
    "contract": 8,
    "damages": 8,
    "labour": 6,
    "traffic": 5,
    "consumer": 4,
    "medical": 2,
    "other": 2,
    "environment": 1,
    "demolition": 1,
}
SOURCE_WEIGHTS = {
    "walk_in": 20,
    "phone": 10,
    "grid_patrol": 18,
    "block_report": 12,
    "hotline_12345": 16,
    "police_110": 8,
    "city_operations": 6,
    "department": 3,
    "petition_office": 3,
    "court_referral": 2,
    "online": 2,
}
STORIES = {
    "neighbour": [
        "楼上卫生间漏水，楼下天花板发霉",
        "邻居在楼道堆放杂物影响通行",
        "深夜噪音扰民多次协商未果",
        "空调外机噪音和滴水",
    ],
    "property_mgmt": [
        "物业费收取标准争议",
        "电梯长期故障物业处置不力",
        "小区停车位分配争议",
        "公共部位维修基金使用争议",
    ],
    "marriage_family": [
        "老人赡养费用分担争议",
        "离婚后子女探视安排",
        "家庭财产分割矛盾",
        "婆媳矛盾引发家庭纠纷",
    ],
    "housing_land": ["房屋租赁押金退还纠纷", "房屋买卖过户争议", "违章搭建影响采光"],
    "contract": ["装修合同质量与付款争议", "小额借款到期未还", "家政服务合同纠纷"],
    "damages": ["宠物咬伤赔偿", "高空坠物致车辆受损", "装修损坏相邻墙体"],
    "labour": ["小微企业拖欠工资", "工伤待遇争议", "解除劳动合同补偿争议"],
    "traffic": ["非机动车碰撞赔偿", "小区内车辆剐蹭"],
    "consumer": ["预付卡退费纠纷", "网购商品质量争议"],
    "medical": ["诊所服务收费争议"],
    "other": ["其他民间纠纷"],
    "environment": ["餐饮油烟扰民"],
    "demolition": ["旧改补偿安置争议"],
}


@dataclass
class Actors:
    justice: User
    mediators: dict[int, User]  # community region id -> mediator account (where one exists)
    committees: dict[int, Unit]
    roster: dict[int, list[Person]]
    studio: Unit


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59))))


class PartyPool:
    def __init__(self, rng: random.Random, area: str) -> None:
        self.rng, self.area, self.serial = rng, area, 0
        self.frequent = [self._new() for _ in range(40)]

    def _new(self) -> dict[str, str]:
        self.serial += 1
        born = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randrange(365 * 55))
        first17 = f"{self.area}{born:%Y%m%d}{self.serial % 1000:03d}"
        name = self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
        )
        return {
            "name": f"{name}（示例）",
            "id_number": first17 + id_number_check_char(first17),
            "phone": f"1980{self.serial:07d}",
        }

    def person(self, role: str) -> dict[str, Any]:
        base = self.rng.choice(self.frequent) if self.rng.random() < 0.08 else self._new()
        values = dict(base)
        if self.rng.random() < 0.4:
            values.pop("id_number")
        return {"role": role, "kind": "person", **values}


def actors_for(street: Region) -> Actors:
    justice = (
        User.objects.filter(
            memberships__role="justice_coordinator", memberships__unit__region=street, is_active=True
        )
        .order_by("pk")
        .first()
    )
    if justice is None:
        raise ValueError(f"{street.name}没有司法所账号，无法生成示例纠纷")
    committees = {
        u.region_id: u
        for u in Unit.objects.filter(
            kind="mediation_committee", region__path__startswith=street.path, region__level="community"
        )
    }
    mediators: dict[int, User] = {}
    for user in User.objects.filter(
        memberships__role="mediator", memberships__unit__in=committees.values()
    ).distinct():
        unit = user.memberships.filter(role="mediator").first().unit  # type: ignore[union-attr]
        mediators.setdefault(unit.region_id, user)
    roster: dict[int, list[Person]] = {}
    for p in Person.objects.filter(kind="mediator", region__path__startswith=street.path).order_by("pk"):
        roster.setdefault(p.region_id, []).append(p)
    studio = Unit.objects.filter(kind="mediation_studio", region=street).first() or next(
        iter(committees.values())
    )
    return Actors(justice, mediators, committees, roster, studio)


def generate_street_year(
    street: Region, *, seed: int, count: int, today: dt.date | None = None, progress: Any = None
) -> int:
    """Generate ``count`` disputes received over the year before ``today`` in ``street``."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    actors = actors_for(street)
    communities = list(Region.objects.filter(parent=street, level="community").order_by("code"))
    pool = PartyPool(rng, street.code[:6])
    days = sorted(today - dt.timedelta(days=rng.randrange(0, 365)) for _ in range(count))
    for n, day in enumerate(days):
        with atomic():
            _one(rng, actors, rng.choice(communities), day, today, pool, n)
        if progress is not None and (n + 1) % 250 == 0:
            progress(n + 1)
    return count


def _one(
    rng: random.Random, a: Actors, community: Region, day: dt.date, today: dt.date, pool: PartyPool, n: int
) -> None:
    dtype = _pick(rng, TYPE_WEIGHTS)
    received = _moment(day, rng)
    group = rng.random() < 0.02
    parties = [pool.person("applicant"), pool.person("respondent")]
    j = a.justice
    with recorded_at(received):
        d = services.dispute_intake(
            by=j,
            source=_pick(rng, SOURCE_WEIGHTS),
            dispute_type=dtype,
            community=community.pk,
            description=f"{rng.choice(STORIES[dtype])}（示例）",
            address=f"示例{community.name[2:4]}路{rng.randint(1, 40)}号",
            amount=Decimal(rng.choice([0, 500, 1000, 3000, 8000, 20000, 150000]))
            if rng.random() < 0.6
            else None,
            people_count=rng.randint(5, 30) if group else rng.choice([1, 2, 2, 3]),
            threat=rng.random() < 0.003,
            received_at=received,
            parties=parties,
            external_ref=f"DEMO-{community.code}-{today:%Y%m%d}-{n:05d}",
        ).dispute
    age = (today - day).days
    if age < 2 and rng.random() < 0.7:
        return
    t = received + dt.timedelta(hours=2)
    if rng.random() < 0.015:
        with recorded_at(t):
            transition(
                d,
                "reject",
                by=j,
                data={"reason": "双方已诉至法院，依法不予受理（示例）", "rejected_on": day.isoformat()},
            )
        return
    if d.risk_level in ("high", "major"):
        with recorded_at(t):
            services.escalation_record(
                dispute=d, reported_to="街道平安办", note="高风险纠纷按规定报告（示例）", by=j, reported_at=t
            )
    if rng.random() < 0.008:
        with recorded_at(t):
            transition(
                d,
                "transfer",
                by=j,
                data={
                    "body": rng.choice(["court", "labour_arbitration", "petition"]),
                    "transferred_on": day.isoformat(),
                    "reason": "依法移交（示例）",
                },
            )
        return
    route = "street" if d.risk_level in ("high", "major") else "community"
    lead = a.justice.memberships.first().unit_id  # type: ignore[union-attr]
    with recorded_at(t):
        d = transition(
            d, "triage", by=j, data={"route": route, "lead_unit": str(lead) if route == "street" else ""}
        )
    if age < 3 and rng.random() < 0.5:
        return
    hard = route == "street" or rng.random() < 0.1
    committee = a.studio if hard else a.committees[community.pk]
    people = a.roster.get(community.pk) or next(iter(a.roster.values()))
    with recorded_at(t + dt.timedelta(hours=3)):
        d = transition(
            d,
            "assign",
            by=j,
            data={"committee": str(committee.pk), "mediators": [str(p.pk) for p in rng.sample(people, 1)]},
        )
    accepted = day + dt.timedelta(days=rng.choice([0, 1, 1, 2]))
    if accepted > today:
        return
    actor = a.mediators.get(community.pk, j) if not hard else j
    with recorded_at(_moment(accepted, rng)):
        d = transition(d, "accept", by=actor, data={"accepted_on": accepted.isoformat()})
    took = rng.choice([3, 5, 7, 10, 14, 20, 25]) + (rng.randint(8, 20) if rng.random() < 0.04 else 0)
    ended = accepted + dt.timedelta(days=took)
    if ended > today - dt.timedelta(days=1):
        return  # still mediating; some of these are past the month and show as overdue
    roll = rng.random()
    with recorded_at(_moment(ended, rng)):
        if roll < 0.02:
            transition(
                d,
                "fail",
                by=actor,
                data={
                    "failure_path": rng.choice(["litigation", "arbitration"]),
                    "ended_on": ended.isoformat(),
                    "reason": "双方分歧较大（示例）",
                },
            )
            return
        if roll < 0.025:
            transition(
                d,
                "terminate",
                by=actor,
                data={"ended_on": ended.isoformat(), "reason": "一方明确拒绝继续调解（示例）"},
            )
            return
        services.session_record(
            dispute=d,
            held_at=_moment(ended, rng),
            place=f"{committee.name}调解室",
            participants="双方当事人、调解员",
            summary="释法析理，促成和解（示例）",
            by=actor,
        )
        written = rng.random() < 0.7
        terms = rng.choice([[], [5], [10, 40]])
        schedule = "\n".join(
            f"{ended + dt.timedelta(days=k)} 第{i + 1}期履行（示例）" for i, k in enumerate(terms)
        )
        services.agreement_record(
            dispute=d,
            kind="written" if written else "oral",
            facts="双方就争议事实和责任达成一致认识（示例）",
            terms="按约定履行并互不追究（示例）",
            effective_on=ended,
            schedule=schedule,
            by=actor,
        )
        confirm = written and rng.random() < 0.15
        d = transition(
            Dispute.objects.get(pk=d.pk),
            "succeed",
            by=actor,
            data={"confirmation": "yes" if confirm else "no"},
        )
    if confirm:
        applied = ended + dt.timedelta(days=rng.randint(3, 20))
        if applied <= today and rng.random() < 0.9:
            with recorded_at(_moment(applied, rng)):
                services.confirmation_apply(dispute=d, court="示例区人民法院", applied_on=applied, by=actor)
            decided = applied + dt.timedelta(days=rng.randint(7, 25))
            if decided <= today:
                with recorded_at(_moment(decided, rng)):
                    services.confirmation_decide(
                        dispute=d,
                        accepted_on=applied + dt.timedelta(days=2),
                        decision="confirmed",
                        decided_on=decided,
                        by=actor,
                    )
    for fu in d.follow_ups.all():
        if fu.due_on > today - dt.timedelta(days=2) or rng.random() < 0.03:
            return  # follow-up still to do
        visited = min(fu.due_on + dt.timedelta(days=rng.choice([0, 0, 1, 3])), today)  # never a future visit
        with recorded_at(_moment(visited, rng)):
            services.follow_up_record(
                follow_up=fu,
                visited_on=visited,
                fulfilment=rng.choices(["fulfilled", "partly", "not"], [97, 2, 1])[0],
                note="回访核实（示例）",
                by=actor,
            )
    last = max(fu.visited_on for fu in d.follow_ups.all() if fu.visited_on)
    with recorded_at(_moment(last, rng)):
        d = transition(Dispute.objects.get(pk=d.pk), "close", by=actor, data={"closed_on": last.isoformat()})
        if rng.random() < 0.3:
            services.satisfaction_record(
                dispute=d, score=rng.choices([5, 4, 3, 2], [70, 22, 6, 2])[0], by=actor
            )
