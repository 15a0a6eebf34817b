"""Legality review: 送审 → 指定审查人员 → 审查（逐条意见）→ 出具意见 → 送审单位逐条反馈 → 办结."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from core.clocks.services import clock_meet, clock_start
from core.documents import next_document_number
from core.models import Clock, Person
from core.roles import Role
from core.workflow import Action, Field, Workflow, register

from .choices import Conclusion, ReviewKind
from .choices import ReviewState as S

COORDINATORS = frozenset({Role.JUSTICE_COORDINATOR})
REVIEWERS = frozenset({Role.REVIEWER, Role.JUSTICE_COORDINATOR})
UNITS = frozenset({Role.UNIT_STAFF, Role.JUSTICE_COORDINATOR, Role.STREET_LEADER, Role.OFFICER})
REVIEWER_KINDS = ("public_lawyer", "legal_advisor", "staff")
CLOCKED = (ReviewKind.MAJOR_DECISION, ReviewKind.NORMATIVE_DOCUMENT)


def reviewer_choices(item: Any, user: Any) -> list[tuple[str, str]]:
    street = item.region.ancestor_at("street") or item.region
    people = Person.objects.visible_to(user).filter(
        kind__in=REVIEWER_KINDS, active=True, region__path__startswith=street.path
    )
    rows = people.order_by("kind", "name").values_list("pk", "name", "kind", "legal_qualification")
    return [(str(pk), f"{name}（{'有' if q else '无'}法律职业资格）") for pk, name, kind, q in rows]


def guard_assign(item: Any, data: dict[str, Any], by: Any) -> str | None:
    person = Person.objects.get(pk=int(data["reviewer"]))
    if item.kind == ReviewKind.ENFORCEMENT_DECISION and not person.legal_qualification:
        done_before = person.reviews.filter(
            kind=ReviewKind.ENFORCEMENT_DECISION, state__in=(S.OPINION_GIVEN, S.CLOSED)
        ).exists()
        if not done_before:
            return (
                f"{person.name}未取得法律职业资格：初次从事行政处罚决定法制审核的人员，"
                "应当通过国家统一法律职业资格考试取得法律职业资格（《行政处罚法》第58条）"
            )
    return None


def effect_assign(item: Any, data: dict[str, Any], by: Any) -> None:
    item.reviewer_id = int(data["reviewer"])
    if item.kind in CLOCKED and _clock(item) is None:
        clock_start(
            case=item,
            name="review",
            rule_id="decision.legality_review",
            started_on=item.submitted_on,
            by=by,
            title=f"{item.number} {item.title[:40]}",
            start_event="送请合法性审查",
            assignee=by,
        )


def _clock(item: Any) -> Clock | None:
    return Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk, name="review"
    ).first()


def guard_opinion(item: Any, data: dict[str, Any], by: Any) -> str | None:
    if data["conclusion"] != Conclusion.LAWFUL and not item.issues.exists():
        return "结论为“修改后合法”或“不合法”的，须先逐条列明发现的问题和修改建议"
    if data["opinion_on"] < item.submitted_on:
        return "出具意见日期不能早于送审日期"
    return None


def effect_opinion(item: Any, data: dict[str, Any], by: Any) -> None:
    item.conclusion, item.opinion_on = data["conclusion"], data["opinion_on"]
    street = item.region.ancestor_at("street") or item.region
    item.opinion_number = next_document_number(prefix=f"{street.name[:4]}法审", year=item.opinion_on.year)
    clock = _clock(item)
    if clock is not None and clock.met_on is None:
        clock_meet(clock=clock, met_on=item.opinion_on, by=by)


def guard_close(item: Any, data: dict[str, Any], by: Any) -> str | None:
    pending = item.issues.filter(adoption="").count()
    return f"还有{pending}条审查意见未反馈采纳情况" if pending else None


REVIEW_WORKFLOW = register(
    Workflow(
        model="administration.ReviewItem",
        states=S,
        initial=S.SUBMITTED,
        actions=[
            Action(
                "assign",
                "指定审查人员",
                (S.SUBMITTED,),
                S.REVIEWING,
                COORDINATORS,
                fields=(Field("reviewer", "审查人员", "choice", choices_for=reviewer_choices),),
                guard=guard_assign,
                effect=effect_assign,
            ),
            Action(
                "give_opinion",
                "出具审查意见",
                (S.REVIEWING,),
                S.OPINION_GIVEN,
                REVIEWERS,
                fields=(
                    Field("conclusion", "审查结论", "choice", choices=tuple(Conclusion.choices)),
                    Field("opinion_on", "出具意见日期", "date"),
                ),
                guard=guard_opinion,
                effect=effect_opinion,
            ),
            Action("close", "办结", (S.OPINION_GIVEN,), S.CLOSED, UNITS, guard=guard_close),
            Action(
                "withdraw",
                "撤回送审",
                (S.SUBMITTED, S.REVIEWING),
                S.WITHDRAWN,
                UNITS,
                fields=(Field("reason", "撤回理由", "text"),),
                style="danger",
            ),
        ],
    )
)
