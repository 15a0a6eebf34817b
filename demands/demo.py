"""A fictional year of a street's 12345 work orders, through the services and the workflow (each step stamped
with its own day): the units' duty lists, about 240 orders received, dispatched (a few returned), handled and
answered — most in time, some late — and called back, a few dissatisfied and re-handled; the last days' orders
still open, so the desk and the units have work waiting."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from core.audit.context import recorded_at
from core.clocks import calendar as cal
from core.db import atomic
from core.models import Region, Unit, User
from core.workflow import transition

from . import services
from .choices import Resolution

# unit name suffix -> the categories on its duty list
DUTIES = {
    "综合行政执法队": ["市容环境-占道经营", "市容环境-违法搭建", "市容环境-乱张贴", "环境保护-餐饮油烟"],
    "社工办": ["社会保障-养老服务", "社会救助-困难帮扶"],
    "平安办": ["治安秩序-噪声扰民", "邻里关系-邻里纠纷"],
    "市场监管所": ["市场监管-消费纠纷", "市场监管-食品安全"],
    "司法所": ["法律服务-法律咨询"],
    "党政办": ["物业管理-物业服务", "物业管理-维修资金"],
}
CONTENT = {
    "市容环境-占道经营": "早高峰有人占道卖早点，影响行人通行",
    "市容环境-违法搭建": "邻居在屋顶搭建彩钢板房",
    "市容环境-乱张贴": "小区门口电线杆上小广告屡清屡贴",
    "环境保护-餐饮油烟": "楼下饭店油烟直排，影响开窗",
    "社会保障-养老服务": "咨询老人助餐点的申请条件",
    "社会救助-困难帮扶": "家中老人重病，生活困难，希望得到帮扶",
    "治安秩序-噪声扰民": "楼上夜间经常有噪声",
    "邻里关系-邻里纠纷": "与邻居因楼道堆物发生矛盾",
    "市场监管-消费纠纷": "预付卡商家关门，无法退款",
    "市场监管-食品安全": "在小区超市买到过期食品",
    "法律服务-法律咨询": "咨询房屋租赁合同纠纷如何处理",
    "物业管理-物业服务": "小区电梯经常故障，物业不及时维修",
    "物业管理-维修资金": "咨询使用维修资金更换水泵的程序",
}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _step(order: Any, action: str, day: dt.date, hour: int, by: Any, **data: Any) -> Any:
    with recorded_at(_at(day, hour)):
        return transition(order, action, by=by, data=data)


def generate_demands_year(
    street: Region, *, seed: int, orders: int = 240, today: dt.date | None = None
) -> dict[str, int]:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    desk = User.objects.filter(memberships__role="hotline", memberships__unit__region=street).first()
    leader = User.objects.filter(memberships__role="street_leader", memberships__unit__region=street).first()
    if desk is None or leader is None:
        raise ValueError(f"{street.name}缺少热线工作人员或街镇领导账号")
    units: dict[str, Unit] = {}
    handlers: dict[int, Any] = {}
    for suffix, categories in DUTIES.items():
        unit = Unit.objects.filter(region=street, name__endswith=suffix).first()
        if unit is None:
            continue
        units[suffix] = unit
        handlers[unit.pk] = (
            User.objects.filter(
                memberships__unit=unit, memberships__role__in=("officer", "unit_staff", "justice_coordinator")
            )
            .order_by("pk")
            .first()
            or desk
        )
        for category in categories:
            services.duty_save(
                by=desk, unit=unit, category=category, basis=f"《{street.name}{suffix}职责清单》（示例）"
            )
    category_unit = {c: u for s, u in units.items() for c in DUTIES[s]}
    communities = list(Region.objects.filter(parent=street, level="community").order_by("code"))
    callers = [f"139{rng.randrange(10_000_000, 99_999_999)}" for _ in range(orders * 2)]
    start = today - dt.timedelta(days=360)
    counts = {"orders": 0, "closed": 0, "open": 0}
    for n in range(orders):
        # the last dozen in the last week: work still waiting for the desk and the units
        recent = n >= orders - 12
        received = (
            today - dt.timedelta(days=rng.randrange(0, 7))
            if recent
            else start + dt.timedelta(days=rng.randrange(0, 350))
        )
        if received >= today:
            continue
        category = rng.choice(list(category_unit))
        unit = category_unit[category]
        consultation = category.endswith(("法律咨询", "维修资金", "养老服务"))
        with atomic():
            with recorded_at(_at(received, rng.randint(8, 17))):
                order, _ = services.order_receive(
                    by=desk,
                    number=f"12345-{received:%Y%m%d}-{n + 1:04d}",
                    kind="consultation" if consultation else rng.choice(["complaint", "help", "complaint"]),
                    category=category,
                    content=f"{CONTENT[category]}（示例）",
                    region=rng.choice(communities),
                    received_at=_at(received, 9),
                    address=f"示例路{rng.randint(1, 400)}号",
                    caller_phone=rng.choice(callers),
                )
            counts["orders"] += 1
            _handle(rng, order, unit, units, desk, leader, handlers, received, today, counts)
    return counts


def _handle(
    rng: random.Random,
    order: Any,
    unit: Unit,
    units: dict[str, Unit],
    desk: Any,
    leader: Any,
    handlers: dict[int, Any],
    received: dt.date,
    today: dt.date,
    counts: dict[str, int],
) -> None:
    age = (today - received).days
    if age < 2 and rng.random() < 0.6:  # still waiting for the desk
        counts["open"] += 1
        return
    day = received
    if rng.random() < 0.05 and len(units) > 1:  # dispatched to the wrong unit first, and returned
        wrong = rng.choice([u for u in units.values() if u.pk != unit.pk])
        order = _step(order, "dispatch", day, 10, desk, unit=str(wrong.pk), dispatched_on=day)
        order = _step(
            order,
            "return_order",
            day,
            15,
            handlers[wrong.pk],
            reason="not_duty",
            note=f"“{order.category}”不在本单位职责清单内（示例）",
            returned_on=day,
        )
        day = cal.working_days_after(day, 1)
    if day > today:
        counts["open"] += 1
        return
    order = _step(order, "dispatch", day, 11, desk, unit=str(unit.pk), dispatched_on=day)
    handler = handlers[unit.pk]
    if age < 4 and rng.random() < 0.5:
        counts["open"] += 1
        return
    order = _step(order, "accept", day, 14, handler, accepted_on=day)
    if order.time_class == "ordinary" and rng.random() < 0.06:
        with recorded_at(_at(day, 15)):
            services.order_make_complex(by=leader, order=order, reason="涉及多个部门，需联合处置（示例）")
    limit = 1 if order.time_class == "consultation" else (15 if order.complex_reason else 5)
    late = rng.random() < 0.07
    replied = cal.working_days_after(received, limit + rng.randint(1, 3) if late else rng.randint(1, limit))
    if replied >= today:
        counts["open"] += 1
        return
    if rng.random() < 0.9:
        contact = min(cal.working_days_after(received, 1), replied)
        with recorded_at(_at(contact, 9)):
            services.order_contact(
                by=handler, order=order, contacted_on=contact, note="已电话联系来电人（示例）"
            )
    resolution = rng.choices(
        [Resolution.RESOLVED, Resolution.EXPLAINED, Resolution.UNRESOLVED], weights=[75, 20, 5]
    )[0]
    reply = "已现场核实并处理，结果已告知来电人（示例）"
    order = _step(
        order, "reply", replied, 16, handler, replied_on=replied, resolution=resolution, reply=reply
    )
    callback = cal.working_days_after(replied, 1)
    if callback >= today:
        counts["open"] += 1
        return
    if rng.random() < 0.08:  # dissatisfied: re-handled within 3 working days
        order = _step(
            order, "reopen", callback, 10, desk, callback_on=callback, note="来电人认为问题未解决（示例）"
        )
        again = cal.working_days_after(callback, rng.randint(1, 3))
        if again >= today:
            counts["open"] += 1
            return
        reply = "重新处理，已联合相关部门解决（示例）"
        order = _step(
            order, "reply", again, 16, handler, replied_on=again, resolution=Resolution.RESOLVED, reply=reply
        )
        callback = cal.working_days_after(again, 1)
        if callback >= today:
            counts["open"] += 1
            return
    result = rng.choices(["satisfied", "basic"], weights=[80, 20])[0]
    _step(order, "close", callback, 10, desk, callback_on=callback, result=result)
    counts["closed"] += 1


PETITION_MATTERS = [
    ("物业管理", "反映小区物业长期不维修电梯"),
    ("征收补偿", "对房屋征收补偿方案有异议"),
    ("劳动保障", "反映单位拖欠工资"),
    ("城市管理", "反映小区周边违法建筑长期未拆除"),
    ("社会保障", "反映低保申请未获批准"),
    ("邻里纠纷", "与邻居因漏水赔偿长期协商不成"),
]


def generate_petitions_year(
    street: Region, *, seed: int, count: int = 36, today: dt.date | None = None
) -> int:
    """About three petitions a month through the workflow: most accepted and answered within 60 days, a few not
    accepted or transferred, one extended, a few reviewed and one rechecked, two group petitions, two handed to
    mediation (访调联动), the last weeks' still open."""
    rng = random.Random(seed + 1)
    today = today or timezone.localdate()
    desk = User.objects.filter(memberships__role="hotline", memberships__unit__region=street).first()
    leader = User.objects.filter(memberships__role="street_leader", memberships__unit__region=street).first()
    justice = User.objects.filter(
        memberships__role="justice_coordinator", memberships__unit__region=street
    ).first()
    office = Unit.objects.filter(region=street, name__endswith="信访办").first()
    if desk is None or leader is None or justice is None or office is None:
        raise ValueError(f"{street.name}缺少信访办、热线和信访工作人员、街镇领导或司法所账号")
    communities = list(Region.objects.filter(parent=street, level="community").order_by("code"))
    start = today - dt.timedelta(days=355)
    made = 0
    for n in range(count):
        received = start + dt.timedelta(days=n * 350 // count + rng.randint(0, 5))
        if received >= today:
            continue
        category, content = rng.choice(PETITION_MATTERS)
        with atomic():
            petition, _ = services.petition_receive(
                by=desk,
                channel=rng.choice(["visit", "letter", "online", "online", "phone"]),
                petitioner=f"示例信访人{n + 1}",
                people_count=rng.choice([6, 8]) if n in (5, 20) else 1,
                category=category,
                content=f"{content}（示例）",
                region=rng.choice(communities),
                received_on=received,
            )
            made += 1
            _petition_steps(rng, n, petition, desk, leader, justice, office, received, today)
    return made


def _petition_steps(
    rng: random.Random,
    n: int,
    petition: Any,
    desk: Any,
    leader: Any,
    justice: Any,
    office: Unit,
    received: dt.date,
    today: dt.date,
) -> None:
    decided = received + dt.timedelta(days=rng.randint(2, 12))
    if decided >= today:
        return
    if n % 9 == 4:
        reason = "该诉求应当通过劳动仲裁途径解决，已告知信访人向劳动人事争议仲裁委员会申请仲裁（《信访工作条例》第31条）（示例）"
        _step(petition, "reject", decided, 10, desk, decided_on=decided, reason=reason)
        return
    if n % 9 == 7:
        _step(
            petition,
            "transfer",
            decided,
            10,
            desk,
            decided_on=decided,
            body="示例区人力资源和社会保障局",
            reason="属于区人社局职责（示例）",
        )
        return
    petition = _step(petition, "accept", decided, 10, desk, accepted_on=decided, unit=str(office.pk))
    if n in (11, 29):  # 访调联动
        with recorded_at(_at(decided, 14)):
            services.petition_to_dispute(
                by=justice, petition=petition, dispute_type="neighbour", community=petition.region
            )
        return
    days = rng.randint(20, 55)
    if n == 14:
        with recorded_at(_at(decided + dt.timedelta(days=50), 10)):
            services.petition_extend(by=leader, petition=petition, reason="涉及多个部门，需联合调查（示例）")
        days = 75
    answered = decided + dt.timedelta(days=days)
    if answered >= today:
        return
    opinion = rng.choices(["support", "explain", "not_support"], weights=[40, 40, 20])[0]
    text = "经调查核实，依据有关规定作出处理，并书面答复信访人（示例）。"
    served = answered + dt.timedelta(days=rng.randint(0, 3))
    if served >= today:
        return
    petition = _step(
        petition,
        "answer",
        served,
        15,
        desk,
        opinion_on=answered,
        opinion=opinion,
        text=text,
        served_on=served,
    )
    if n % 7 == 3:  # asked for review
        asked = served + dt.timedelta(days=rng.randint(5, 25))
        if asked >= today:
            return
        petition = _step(petition, "request_review", asked, 10, desk, requested_on=asked)
        reviewed = asked + dt.timedelta(days=rng.randint(10, 28))
        if reviewed >= today:
            return
        petition = _step(petition, "review_done", reviewed, 10, desk, reviewed_on=reviewed, result="upheld")
        if n == 10:
            asked = reviewed + dt.timedelta(days=10)
            if asked >= today:
                return
            petition = _step(petition, "request_recheck", asked, 10, desk, requested_on=asked)
            done = asked + dt.timedelta(days=20)
            if done < today:
                _step(petition, "recheck_done", done, 10, desk, rechecked_on=done, result="upheld")
            return
        closed = reviewed + dt.timedelta(days=35)
    else:
        closed = served + dt.timedelta(days=35)
    if closed < today:
        _step(petition, "close", closed, 10, desk, closed_on=closed)
