"""Legality review: 送审 → 指定审查人员 → 审查（逐条意见）→ 出具意见 → 送审单位逐条反馈 → 办结."""

from __future__ import annotations

from typing import Any

from core.clocks.services import clock_meet_open, clock_of, clock_start
from core.documents import next_document_number
from core.models import Person
from core.roles import Role
from core.workflow import Action, Field, Workflow, register

from .choices import CatalogueState, Conclusion, NormativeState, ReviewKind
from .choices import DecisionState as DS
from .choices import ReviewState as S
from .models import ReviewItem
from .services import date_refusal

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
    if item.kind in CLOCKED and clock_of(item, "review") is None:
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


def guard_opinion(item: Any, data: dict[str, Any], by: Any) -> str | None:
    if data["conclusion"] != Conclusion.LAWFUL and not item.issues.exists():
        return "结论为“修改后合法”或“不合法”的，须先逐条列明发现的问题和修改建议"
    if data["opinion_on"] < item.submitted_on:
        return "出具意见日期不能早于送审日期"
    return date_refusal("出具意见日期", data["opinion_on"])


def effect_opinion(item: Any, data: dict[str, Any], by: Any) -> None:
    item.conclusion, item.opinion_on = data["conclusion"], data["opinion_on"]
    street = item.region.ancestor_at("street") or item.region
    item.opinion_number = next_document_number(prefix=f"{street.name[:4]}法审", year=item.opinion_on.year)
    clock_meet_open(case=item, name="review", met_on=item.opinion_on, by=by)


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


# --- major decisions -------------------------------------------------------------------------

DECISION_STAFF = frozenset({Role.JUSTICE_COORDINATOR, Role.UNIT_STAFF, Role.STREET_LEADER})
LEADERS = frozenset({Role.STREET_LEADER})


def guard_comment(d: Any, data: dict[str, Any], by: Any) -> str | None:
    if data["days"] < 30 and not data.get("short_reason"):
        return "征求意见期限一般不少于30日；缩短的，须说明理由（《重大行政决策程序暂行条例》第15条）"
    if data["days"] < 1:
        return "征求意见期限（日）应为正整数"
    return date_refusal("草案公布日期", data["published_on"])


def effect_comment(d: Any, data: dict[str, Any], by: Any) -> None:
    d.comment_from, d.comment_days = data["published_on"], data["days"]
    d.short_comment_reason = data.get("short_reason", "")
    clock_start(
        case=d,
        name="public_comment",
        rule_id="decision.public_comment",
        started_on=data["published_on"],
        by=by,
        title=f"{d.title[:40]} 公开征求意见",
        start_event="决策草案公布",
        assignee=by,
    )


def guard_close_comment(d: Any, data: dict[str, Any], by: Any) -> str | None:
    import datetime as dt

    end = d.comment_from + dt.timedelta(days=d.comment_days)
    if data["closed_on"] < end:
        return f"征求意见期限至{end}届满，不能提前结束"
    return date_refusal("结束日期", data["closed_on"])


def effect_close_comment(d: Any, data: dict[str, Any], by: Any) -> None:
    from .services import review_submit

    d.expert_review, d.risk_assessment = data["expert_review"], data["risk_assessment"]
    clock_meet_open(case=d, name="public_comment", met_on=data["closed_on"], by=by)
    d.review = review_submit(
        by=by,
        kind=ReviewKind.MAJOR_DECISION,
        title=d.title,
        unit_id=d.lead_unit_id,
        submitted_on=data["closed_on"],
        materials="决策草案、起草说明、公众意见采纳情况、"
        f"专家论证：{d.expert_review}；风险评估：{d.risk_assessment}",
    )


def _review_done(d: Any) -> str | None:
    review = ReviewItem.objects.filter(pk=d.review_id).first()
    if review is None or review.state not in (S.OPINION_GIVEN, S.CLOSED):
        return "合法性审查尚未完成：未经合法性审查的，不得提交集体讨论（《重大行政决策程序暂行条例》第25条）"
    if review.conclusion == Conclusion.UNLAWFUL:
        return "合法性审查结论为不合法，不得提交集体讨论"
    return None


def guard_discussion(d: Any, data: dict[str, Any], by: Any) -> str | None:
    return _review_done(d) or date_refusal(
        "会议日期", data["held_on"], ("合法性审查出具意见日期", _opinion_on(d))
    )


def _opinion_on(case: Any) -> Any:
    return ReviewItem.objects.filter(pk=case.review_id).values_list("opinion_on", flat=True).first()


def effect_discussion(d: Any, data: dict[str, Any], by: Any) -> None:
    d.meeting, d.meeting_on = data["meeting"], data["held_on"]
    d.speakers, d.dissent = data["speakers"], data.get("dissent", "")


def guard_decide(d: Any, data: dict[str, Any], by: Any) -> str | None:
    refusal = _review_done(d)
    if refusal:
        return refusal
    if not (d.meeting and d.meeting_on):
        return "未经集体讨论，不得作出决定（《重大行政决策程序暂行条例》第30条）"
    if data["decided_on"] < d.meeting_on:
        return "决定日期不能早于集体讨论日期"
    return date_refusal("决定日期", data["decided_on"])


def effect_decide(d: Any, data: dict[str, Any], by: Any) -> None:
    d.decided_on = data["decided_on"]


def guard_decision_publish(d: Any, data: dict[str, Any], by: Any) -> str | None:
    return date_refusal("公布日期", data["published_on"], ("决定日期", d.decided_on))


def effect_publish(d: Any, data: dict[str, Any], by: Any) -> None:
    d.published_on, d.published_where = data["published_on"], data["where"]


def effect_evaluate(d: Any, data: dict[str, Any], by: Any) -> None:
    d.evaluated_on, d.evaluation = data["evaluated_on"], data["evaluation"]


def evaluation_action(name: str, label: str, state: str, prompt: str, *, after: tuple[str, str]) -> Action:
    """Record an evaluation (date and conclusion) without changing the state; not dated before ``after``."""
    field_name, field_label = after

    def guard(case: Any, data: dict[str, Any], by: Any) -> str | None:
        earliest = getattr(case, field_name)
        if earliest and data["evaluated_on"] < earliest:
            return f"评估日期不能早于{field_label}"
        return date_refusal("评估日期", data["evaluated_on"])

    return Action(
        name,
        label,
        (state,),
        state,
        DECISION_STAFF,
        fields=(Field("evaluated_on", "评估日期", "date"), Field("evaluation", prompt, "textarea")),
        guard=guard,
        effect=effect_evaluate,
        style="secondary",
    )


DECISION_WORKFLOW = register(
    Workflow(
        model="administration.MajorDecision",
        states=DS,
        initial=DS.DRAFTING,
        actions=[
            Action(
                "open_comment",
                "公开征求意见",
                (DS.DRAFTING,),
                DS.PUBLIC_COMMENT,
                DECISION_STAFF,
                fields=(
                    Field("published_on", "草案公布日期", "date"),
                    Field("days", "征求意见期限（日）", "int"),
                    Field("short_reason", "缩短期限的理由（少于30日时必填）", "text", required=False),
                ),
                guard=guard_comment,
                effect=effect_comment,
            ),
            Action(
                "close_comment",
                "结束征求意见并送合法性审查",
                (DS.PUBLIC_COMMENT,),
                DS.LEGALITY_REVIEW,
                DECISION_STAFF,
                fields=(
                    Field("closed_on", "结束日期", "date"),
                    Field("expert_review", "专家论证（开展情况或不开展的理由）", "text"),
                    Field("risk_assessment", "风险评估（开展情况或不开展的理由）", "text"),
                ),
                guard=guard_close_comment,
                effect=effect_close_comment,
            ),
            Action(
                "record_discussion",
                "记录集体讨论",
                (DS.LEGALITY_REVIEW,),
                DS.DISCUSSED,
                DECISION_STAFF,
                fields=(
                    Field("meeting", "会议名称", "text"),
                    Field("held_on", "会议日期", "date"),
                    Field("speakers", "发言人员", "text"),
                    Field("dissent", "不同意见", "text", required=False),
                ),
                guard=guard_discussion,
                effect=effect_discussion,
            ),
            Action(
                "decide",
                "作出决定",
                (DS.DISCUSSED, DS.LEGALITY_REVIEW, DS.PUBLIC_COMMENT, DS.DRAFTING),
                DS.DECIDED,
                LEADERS,
                fields=(Field("decided_on", "决定日期", "date"),),
                guard=guard_decide,
                effect=effect_decide,
            ),
            Action(
                "publish",
                "公布",
                (DS.DECIDED,),
                DS.PUBLISHED,
                DECISION_STAFF,
                fields=(Field("published_on", "公布日期", "date"), Field("where", "公布载体", "text")),
                guard=guard_decision_publish,
                effect=effect_publish,
            ),
            Action("archive", "归档", (DS.PUBLISHED,), DS.ARCHIVED, DECISION_STAFF),
            evaluation_action(
                "post_evaluate",
                "记录决策后评估",
                DS.ARCHIVED,
                "评估结论（实施效果、存在问题、继续实施或调整的建议）",
                after=("decided_on", "决定日期"),
            ),
        ],
    )
)


# --- the yearly catalogue of major decisions ------------------------------------------------------


def guard_catalogue_approve(cat: Any, data: dict[str, Any], by: Any) -> str | None:
    from .models import MajorDecision

    if not MajorDecision.objects.filter(region__path__startswith=cat.region.path, year=cat.year).exists():
        return f"{cat.year}年度目录尚无决策事项，不能审定"
    return date_refusal("审定日期", data["approved_on"])


def effect_catalogue_approve(cat: Any, data: dict[str, Any], by: Any) -> None:
    cat.approval_meeting, cat.approved_on = data["meeting"], data["approved_on"]


def guard_catalogue_publish(cat: Any, data: dict[str, Any], by: Any) -> str | None:
    if data["published_on"] < cat.approved_on:
        return "公布日期不能早于审定日期"
    return date_refusal("公布日期", data["published_on"])


def effect_catalogue_publish(cat: Any, data: dict[str, Any], by: Any) -> None:
    cat.published_on, cat.published_where = data["published_on"], data["where"]


CATALOGUE_WORKFLOW = register(
    Workflow(
        model="administration.DecisionCatalogue",
        states=CatalogueState,
        initial=CatalogueState.DRAFTING,
        actions=[
            Action(
                "approve",
                "审定目录",
                (CatalogueState.DRAFTING,),
                CatalogueState.APPROVED,
                LEADERS | COORDINATORS,
                fields=(Field("meeting", "审定会议", "text"), Field("approved_on", "审定日期", "date")),
                guard=guard_catalogue_approve,
                effect=effect_catalogue_approve,
            ),
            Action(
                "publish",
                "向社会公布目录",
                (CatalogueState.APPROVED,),
                CatalogueState.PUBLISHED,
                DECISION_STAFF,
                fields=(Field("published_on", "公布日期", "date"), Field("where", "公布载体", "text")),
                guard=guard_catalogue_publish,
                effect=effect_catalogue_publish,
            ),
        ],
    )
)


# --- normative documents ------------------------------------------------------------------------

NS = NormativeState
PRE_PUBLICATION = (NS.DRAFTING, NS.PUBLIC_COMMENT, NS.LEGALITY_REVIEW, NS.DELIBERATED)


def guard_doc_comment(doc: Any, data: dict[str, Any], by: Any) -> str | None:
    if data["days"] < 1:
        return "征求意见期限（日）应为正整数"
    return date_refusal("征求意见稿公布日期", data["published_on"])


def guard_doc_close_comment(doc: Any, data: dict[str, Any], by: Any) -> str | None:
    return date_refusal("结束日期", data["closed_on"], ("征求意见稿公布日期", _comment_opened(doc)))


def _comment_opened(doc: Any) -> Any:
    """The day the draft was put out for comment (kept on the timeline entry of ``open_comment``)."""
    import datetime as dt

    from core.audit.timeline import timeline_of

    event = timeline_of(doc).filter(action="open_comment").order_by("-seq").first()
    value = (event.data or {}).get("published_on") if event is not None else None
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def effect_doc_comment(doc: Any, data: dict[str, Any], by: Any) -> None:
    from core.audit.timeline import timeline_record

    timeline_record(
        doc,
        kind="comment",
        action="comment",
        by=by,
        summary=f"公开征求意见：{data['published_on']}起{data['days']}日",
    )


def effect_doc_close_comment(doc: Any, data: dict[str, Any], by: Any) -> None:
    from .services import review_submit

    doc.review = review_submit(
        by=by,
        kind=ReviewKind.NORMATIVE_DOCUMENT,
        title=doc.title,
        unit_id=doc.drafting_unit_id,
        submitted_on=data["closed_on"],
        materials="文件送审稿、起草说明、征求意见及采纳情况、制定依据",
    )


def guard_deliberate(doc: Any, data: dict[str, Any], by: Any) -> str | None:
    return _review_done(doc) or date_refusal(
        "审议日期", data["held_on"], ("合法性审查出具意见日期", _opinion_on(doc))
    )


def effect_deliberate(doc: Any, data: dict[str, Any], by: Any) -> None:
    doc.meeting, doc.meeting_on = data["meeting"], data["held_on"]


def guard_publish(doc: Any, data: dict[str, Any], by: Any) -> str | None:
    refusal = _review_done(doc)
    if refusal:
        return refusal.replace("不得提交集体讨论", "不得公布（规范性文件未经合法性审查不得发布）")
    if not doc.meeting_on:
        return "未经集体审议，不得公布"
    if data["effective_on"] < data["published_on"]:
        return "施行日期不能早于公布日期"
    return date_refusal("公布日期", data["published_on"], ("审议日期", doc.meeting_on))


def effect_publish_doc(doc: Any, data: dict[str, Any], by: Any) -> None:
    doc.doc_number, doc.published_on, doc.effective_on = (
        data["doc_number"],
        data["published_on"],
        data["effective_on"],
    )
    clock_start(
        case=doc,
        name="filing",
        rule_id="normative.filing",
        started_on=doc.published_on,
        by=by,
        title=f"{doc.title[:40]} 报送备案",
        start_event="公布",
        assignee=by,
    )
    validity = clock_start(
        case=doc,
        name="validity",
        rule_id="normative.validity_trial" if doc.trial else "normative.validity",
        started_on=doc.effective_on,
        by=by,
        title=f"{doc.title[:40]} 有效期",
        start_event="施行",
        assignee=None,  # an expiry is not a task: it shows on "my work" only when due soon or overdue
    )
    doc.expires_on = validity.due_on


def guard_expire(doc: Any, data: dict[str, Any], by: Any) -> str | None:
    from django.utils import timezone

    if doc.expires_on is None or timezone.localdate() <= doc.expires_on:
        return f"有效期至{doc.expires_on}，尚未届满"
    return None


def end_guard(label: str) -> Any:
    def guard(doc: Any, data: dict[str, Any], by: Any) -> str | None:
        return date_refusal(label, data["ended_on"], ("公布日期", doc.published_on))

    return guard


def effect_end_doc(doc: Any, data: dict[str, Any], by: Any) -> None:
    from django.utils import timezone

    # Revised or abolished: the day it stopped; expired: the last day of its validity, whenever it is recorded.
    doc.ended_on = data.get("ended_on") or doc.expires_on or timezone.localdate()
    clock_meet_open(case=doc, name="validity", met_on=doc.ended_on, by=by)


NORMATIVE_WORKFLOW = register(
    Workflow(
        model="administration.NormativeDocument",
        states=NS,
        initial=NS.DRAFTING,
        actions=[
            Action(
                "open_comment",
                "公开征求意见",
                (NS.DRAFTING,),
                NS.PUBLIC_COMMENT,
                DECISION_STAFF,
                fields=(
                    Field("published_on", "征求意见稿公布日期", "date"),
                    Field("days", "征求意见期限（日）", "int"),
                ),
                guard=guard_doc_comment,
                effect=effect_doc_comment,
            ),
            Action(
                "close_comment",
                "结束征求意见并送合法性审查",
                (NS.PUBLIC_COMMENT,),
                NS.LEGALITY_REVIEW,
                DECISION_STAFF,
                fields=(Field("closed_on", "结束日期", "date"),),
                guard=guard_doc_close_comment,
                effect=effect_doc_close_comment,
            ),
            Action(
                "deliberate",
                "记录集体审议",
                (NS.LEGALITY_REVIEW,),
                NS.DELIBERATED,
                DECISION_STAFF,
                fields=(Field("meeting", "审议会议", "text"), Field("held_on", "审议日期", "date")),
                guard=guard_deliberate,
                effect=effect_deliberate,
            ),
            Action(
                "publish",
                "签发公布",
                PRE_PUBLICATION,
                NS.PUBLISHED,
                LEADERS,
                fields=(
                    Field("doc_number", "文号", "text"),
                    Field("published_on", "公布日期", "date"),
                    Field("effective_on", "施行日期", "date"),
                ),
                guard=guard_publish,
                effect=effect_publish_doc,
            ),
            evaluation_action(
                "evaluate",
                "记录实施后评估",
                NS.PUBLISHED,
                "评估意见（继续有效、修订或废止的建议及理由）",
                after=("published_on", "公布日期"),
            ),
            Action(
                "revise",
                "修订（以新文件替代）",
                (NS.PUBLISHED,),
                NS.REVISED,
                LEADERS,
                fields=(Field("ended_on", "停止施行日期", "date"), Field("reason", "理由", "text")),
                guard=end_guard("停止施行日期"),
                effect=effect_end_doc,
                style="secondary",
            ),
            Action(
                "abolish",
                "废止",
                (NS.PUBLISHED,),
                NS.ABOLISHED,
                LEADERS,
                fields=(Field("ended_on", "废止日期", "date"), Field("reason", "理由", "text")),
                guard=end_guard("废止日期"),
                effect=effect_end_doc,
                style="danger",
            ),
            Action(
                "expire",
                "有效期届满失效",
                (NS.PUBLISHED,),
                NS.EXPIRED,
                DECISION_STAFF,
                guard=guard_expire,
                effect=effect_end_doc,
                style="secondary",  # not a next step that waits: the date decides it
            ),
        ],
    )
)
