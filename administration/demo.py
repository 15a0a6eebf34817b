"""A year of a street's lawful-administration work, generated through the services and workflow tables."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from core.audit.context import recorded_at
from core.clocks.engine import add_months
from core.db import atomic
from core.models import Person, Region, Unit, User
from core.personal import uscc_check_char
from core.workflow import transition

from . import services

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ASPECTS = ["authority", "procedure", "content", "legal_basis"]


def _uscc(rng: random.Random) -> str:
    body = "91" + "990100" + "".join(rng.choice(USCC_CHARS[:10]) for _ in range(9))
    return body + uscc_check_char(body)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


def generate_administration_year(
    street: Region, *, seed: int, contracts: int = 260, enforcement: int = 100, today: dt.date | None = None
) -> None:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    justice = User.objects.filter(
        memberships__role="justice_coordinator", memberships__unit__region=street
    ).first()
    reviewer = User.objects.filter(memberships__role="reviewer", memberships__unit__region=street).first()
    leader = User.objects.filter(memberships__role="street_leader", memberships__unit__region=street).first()
    if not (justice and reviewer and leader):
        raise ValueError(f"{street.name}缺少司法所、审查人员或街镇领导账号")
    lawyers = list(Person.objects.filter(kind="public_lawyer", region=street, legal_qualification=True))
    units = list(
        Unit.objects.filter(region=street, kind__in=("department", "leadership", "enforcement_team"))
    )
    enforcement_team = Unit.objects.filter(region=street, kind="enforcement_team").first() or units[0]

    def review(kind: str, title: str, unit: Unit, day: dt.date, **contract: Any) -> None:
        with atomic(), recorded_at(_at(day)):
            if contract:
                item = services.contract_submit(
                    by=justice, title=title, unit_id=unit.pk, submitted_on=day, **contract
                )
            else:
                item = services.review_submit(
                    by=justice,
                    kind=kind,
                    title=title,
                    unit_id=unit.pk,
                    submitted_on=day,
                    materials="送审文本及说明（示例）",
                )
            opinion_on = day + dt.timedelta(days=rng.randint(2, 9))
            if opinion_on > today:
                return
            item = transition(item, "assign", by=justice, data={"reviewer": str(rng.choice(lawyers).pk)})
            with_issues = rng.random() < 0.35
            for _ in range(rng.randint(1, 3) if with_issues else 0):
                services.issue_add(
                    item=item,
                    aspect=rng.choice(ASPECTS),
                    finding="条款表述不严谨（示例）",
                    suggestion="修改相关条款（示例）",
                    by=reviewer,
                )
            item = transition(
                item,
                "give_opinion",
                by=reviewer,
                data={
                    "conclusion": "lawful_with_changes" if with_issues else "lawful",
                    "opinion_on": opinion_on,
                },
            )
            for issue in item.issues.all():
                adoption = rng.choices(["adopted", "partly", "not_adopted"], [85, 10, 5])[0]
                services.issue_respond(
                    issue=issue,
                    adoption=adoption,
                    response="" if adoption == "adopted" else "结合实际部分保留（示例）",
                    by=justice,
                )
            transition(item, "close", by=justice, data={})

    for n in range(contracts):
        day = today - dt.timedelta(days=rng.randrange(3, 360))
        start = day + dt.timedelta(days=15)
        review(
            "contract",
            f"{rng.choice(['物业服务', '工程施工', '设备采购', '委托服务', '租赁'])}合同第{n + 1}号（示例）",
            rng.choice(units),
            day,
            counterparty=f"示例{rng.choice(['建设', '物业', '科技', '服务'])}有限公司",
            counterparty_uscc=_uscc(rng),
            amount=rng.choice([8000, 30000, 120000, 450000, 1200000]),
            contract_type=rng.choice(["服务合同", "施工合同", "采购合同", "租赁合同"]),
            term_start=start,
            term_end=add_months(start, 12)[0],
        )
    for n in range(enforcement):
        day = today - dt.timedelta(days=rng.randrange(3, 360))
        review("enforcement_decision", f"重大行政执法决定第{n + 1}号（示例）", enforcement_team, day)

    # Major decisions of the year's catalogue, left at different steps.
    for step, title in enumerate(
        [
            "老旧小区加装电梯实施办法",
            "社区养老服务设施布局规划",
            "菜场改造方案",
            "停车资源共享方案",
            "街区更新三年计划",
        ]
    ):
        with atomic():
            d = services.decision_create(
                by=justice, year=today.year, title=f"{title}（示例）", unit_id=units[0].pk
            )
            if step == 0:
                continue
            opened = today - dt.timedelta(days=200 - step * 10)
            d = transition(d, "open_comment", by=justice, data={"published_on": opened, "days": 30})
            if step == 1:
                continue
            d = transition(
                d,
                "close_comment",
                by=justice,
                data={
                    "closed_on": opened + dt.timedelta(days=31),
                    "expert_review": "已组织专家论证（示例）",
                    "risk_assessment": "已开展，风险可控（示例）",
                },
            )
            item = transition(d.review, "assign", by=justice, data={"reviewer": str(lawyers[0].pk)})
            transition(
                item,
                "give_opinion",
                by=reviewer,
                data={"conclusion": "lawful", "opinion_on": opened + dt.timedelta(days=40)},
            )
            if step == 2:
                continue
            d = transition(
                d,
                "record_discussion",
                by=justice,
                data={
                    "meeting": "党工委会议",
                    "held_on": opened + dt.timedelta(days=50),
                    "speakers": "书记、主任、司法所所长",
                },
            )
            d = transition(d, "decide", by=leader, data={"decided_on": opened + dt.timedelta(days=51)})
            if step == 4:
                d = transition(
                    d,
                    "publish",
                    by=justice,
                    data={"published_on": opened + dt.timedelta(days=55), "where": "街道门户网站"},
                )
                d = transition(d, "archive", by=justice, data={})
                transition(
                    d,
                    "post_evaluate",
                    by=justice,
                    data={
                        "evaluated_on": today - dt.timedelta(days=5),
                        "evaluation": "实施效果良好，建议继续实施并细化分片区安排（示例）",
                    },
                )
    catalogue = services.catalogue_for(region=units[0].region, year=today.year, by=justice)
    catalogue = transition(
        catalogue,
        "approve",
        by=leader,
        data={"meeting": "党工委会议", "approved_on": min(dt.date(today.year, 1, 20), today)},
    )
    transition(
        catalogue,
        "publish",
        by=justice,
        data={
            "published_on": min(dt.date(today.year, 1, 25), today),
            "where": "街道门户网站“重大行政决策”专栏",
        },
    )

    # Normative documents: in force, two trial ones near expiry, one expired.
    for n in range(20):
        trial = n < 3
        effective = add_months(today, -(22 if n < 2 else 25 if n == 2 else rng.randint(2, 40)))[0]
        with atomic():
            doc = services.normative_create(
                by=justice,
                title=f"示例街道管理规定第{n + 1}号（{'试行' if trial else '示例'}）",
                unit_id=units[0].pk,
                trial=trial,
            )
            doc = transition(
                doc,
                "open_comment",
                by=justice,
                data={"published_on": effective - dt.timedelta(days=60), "days": 15},
            )
            doc = transition(
                doc, "close_comment", by=justice, data={"closed_on": effective - dt.timedelta(days=44)}
            )
            item = transition(doc.review, "assign", by=justice, data={"reviewer": str(lawyers[0].pk)})
            transition(
                item,
                "give_opinion",
                by=reviewer,
                data={"conclusion": "lawful", "opinion_on": effective - dt.timedelta(days=35)},
            )
            doc = transition(
                doc,
                "deliberate",
                by=justice,
                data={"meeting": "主任办公会", "held_on": effective - dt.timedelta(days=30)},
            )
            doc = transition(
                doc,
                "publish",
                by=leader,
                data={
                    "doc_number": f"示街规〔{effective.year}〕{n + 1}号",
                    "published_on": effective - dt.timedelta(days=20),
                    "effective_on": effective,
                },
            )
            services.normative_file(
                doc=doc, filed_on=effective - dt.timedelta(days=rng.randint(5, 18)), by=justice
            )

    for n in range(15):
        held = today - dt.timedelta(days=rng.randrange(5, 360))
        services.meeting_record(
            by=justice,
            region=street,
            held_on=held,
            attendee="司法所所长（示例）",
            topics=f"主任办公会议题第{n + 1}项（示例）",
            suggestions=[f"法律建议{k + 1}（示例）" for k in range(rng.randint(1, 3))],
        )
