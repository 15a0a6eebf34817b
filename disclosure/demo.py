"""A year of a street's open-government work through the services: requests on application across
every outcome (some with 补正, consultation or extension; one treated as withdrawn) and proactive items.
Each step is stamped with its own day (``recorded_at``), as an import of past records does."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from core.audit.context import recorded_at
from core.clocks import calendar as cal
from core.db import atomic
from core.models import Region, User
from core.workflow import transition

from . import services
from .choices import AnswerType

CONTENTS = [
    "老旧小区加装电梯补贴发放情况",
    "街道年度财政预算执行情况",
    "某路段道路改造工程招标文件",
    "社区养老服务设施建设规划",
    "垃圾分类收运点设置依据",
    "违法建筑拆除决定书",
    "辖区菜场改造补偿方案",
    "公共停车场收费标准批复",
]
TOPICS = ["财政预决算", "重大行政决策", "行政执法", "社会救助", "公共服务", "规划建设", "人事信息"]


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def generate_disclosure_year(
    street: Region, *, seed: int, requests: int = 50, items: int = 100, today: dt.date | None = None
) -> None:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    staff = User.objects.filter(
        memberships__role="justice_coordinator", memberships__unit__region=street
    ).first()
    head = User.objects.filter(memberships__role="street_leader", memberships__unit__region=street).first()
    if staff is None or head is None:
        raise ValueError(f"{street.name}缺少司法所或街镇领导账号")
    answer_types = list(AnswerType.values)
    for n in range(requests):
        day = today - dt.timedelta(days=rng.randrange(5, 360))
        with atomic(), recorded_at(_at(day)):
            req = services.request_receive(
                by=staff,
                region=street,
                channel=rng.choice(["in_person", "online", "post"]),
                submitted_on=day,
                signed_on=day + dt.timedelta(days=1),
                confirmed_on=day + dt.timedelta(days=1),
                applicant_kind=rng.choice(["person", "person", "organisation"]),
                applicant_name=f"申请人{n + 1}（示例）",
                content=f"{rng.choice(CONTENTS)}（示例）",
            )
            _progress(rng, req, staff, head, today, n, answer_types)
    for n in range(items):
        made = today - dt.timedelta(days=rng.randrange(0, 360))
        published = (
            cal.working_days_after(made, rng.choice([2, 5, 10, 15, 19, 25])) if rng.random() < 0.95 else None
        )
        if published and published > today:
            published = None
        with atomic(), recorded_at(_at(made)):
            services.proactive_item_record(
                by=staff,
                region=street,
                title=f"{rng.choice(TOPICS)}信息第{n + 1}号（示例）",
                category=rng.choice(TOPICS),
                made_on=made,
                published_on=published,
                where="街道门户网站" if published else "",
            )


def _ask_correction(req: Any, staff: Any, sent: dt.date, items: str) -> Any:
    """补正: the office asks the applicant to complete the request, with the 15 days the applicant has."""
    with recorded_at(_at(sent)):
        return transition(
            req,
            "request_correction",
            by=staff,
            data={"items": items, "sent_on": sent, "deadline": sent + dt.timedelta(days=15)},
        )


def _progress(
    rng: random.Random, req: Any, staff: Any, head: Any, today: dt.date, n: int, types: list[str]
) -> None:
    start = req.received_on
    kind = n % 10
    if kind == 0:  # 补正, completed
        sent = cal.working_days_after(start, 3)
        req = _ask_correction(req, staff, sent, "请写明所需信息的文号或形成时间")
        completed = sent + dt.timedelta(days=rng.randint(3, 12))
        if completed > today:
            return
        with recorded_at(_at(completed)):
            req = transition(req, "complete_correction", by=staff, data={"completed_on": completed})
        start = completed
    elif kind == 1:  # 补正, never completed
        sent = cal.working_days_after(start, 2)
        req = _ask_correction(req, staff, sent, "请提供申请人身份证明")
        withdrawn = sent + dt.timedelta(days=16)  # the day after the deadline
        if withdrawn <= today:
            with recorded_at(_at(withdrawn)):  # withdrawn on its own day, not on the day the demo is loaded
                transition(req, "treat_withdrawn", by=staff, data={})
        return
    elif kind == 2:  # third-party consultation
        sent = cal.working_days_after(start, 4)
        with recorded_at(_at(sent)):
            req = transition(
                req,
                "consult",
                by=staff,
                data={
                    "third_party": "示例有限公司",
                    "sent_on": sent,
                    "received_on": sent + dt.timedelta(days=1),
                },
            )
        replied = cal.working_days_after(sent, rng.randint(5, 14))
        if replied > today:
            return
        with recorded_at(_at(replied)):
            req = transition(
                req,
                "third_party_reply",
                by=staff,
                data={"replied_on": replied, "opinion": rng.choice(["agree", "object"])},
            )
    elif kind == 3:  # approved extension
        notified = cal.working_days_after(start, 18)
        if notified > today:
            return
        with recorded_at(_at(notified)):  # approved on the day the applicant was told
            req = transition(
                req,
                "extend",
                by=staff,
                data={
                    "days": 15,
                    "approver": str(head.pk),
                    "reason": "需向多个部门调取信息",
                    "notified_on": notified,
                },
            )
    answered = cal.working_days_after(start, rng.choice([5, 10, 15, 18, 19] + ([22] if kind == 4 else [])))
    if answered > today:
        return
    answer_type = types[n % len(types)]
    with recorded_at(_at(answered)):
        req = transition(
            req,
            "answer",
            by=staff,
            data={"answer_type": answer_type, "detail": "详见答复书（示例）", "answered_on": answered},
        )
    delivered = answered + dt.timedelta(days=rng.randint(0, 3))
    if delivered <= today:
        with recorded_at(_at(delivered)):
            services.delivery_record(
                request=req,
                method=rng.choice(["post", "online", "in_person"]),
                delivered_on=delivered,
                by=staff,
            )
