"""Major decisions of a past year in their final state: the five steps, the decision, publication, archiving
and post-evaluation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.history import Existing, already, entering_history
from core.imports import Column, Importer

from .. import services
from ..permissions import HISTORY_IMPORT
from .rows import (
    GROUP,
    STREET_COLUMN,
    Checked,
    find_unit,
    finish,
    on_day,
    read_choice,
    read_date,
    read_whole,
    ref_column,
    review_columns,
    review_parts,
    review_steps,
    step,
    street_of_row,
)

DECISION_ENDS = {"已决定": "decided", "已公布": "published", "已归档": "archived"}


DECISIONS = "major-decisions"


def _decision_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = street_of_row(check, row, by)
    if street is not None and (found := already(DECISIONS, street, row["ref"])) is not None:
        return Existing(found)
    year = check(read_whole, row["year"], "year", "目录年度", low=2000, high=timezone.localdate().year + 1)
    unit = check(find_unit, row["unit"], street, by, "unit", "承办单位")
    comment_from = check(read_date, row["comment_from"], "comment_from", "草案公布日期", required=True)
    days = check(read_whole, row["comment_days"], "comment_days", "征求意见期限（日）", low=1, high=365)
    if days is not None and days < 30 and not row["short_comment_reason"]:
        check.errors.setdefault(
            "short_comment_reason",
            "征求意见期限少于30日的，须填写缩短期限的理由（《重大行政决策程序暂行条例》第15条）",
        )
    comment_closed = check(
        read_date, row["comment_closed_on"], "comment_closed_on", "征求意见结束日期", required=True
    )
    if comment_from and days and comment_closed and comment_closed < comment_from + dt.timedelta(days=days):
        end = comment_from + dt.timedelta(days=days)
        check.errors.setdefault("comment_closed_on", f"征求意见期限至{end}届满，结束日期不能早于此日")
    reviewer, conclusion, opinions, opinion_on = review_parts(check, row, street, by, unlawful_allowed=False)
    meeting_on = check(read_date, row["meeting_on"], "meeting_on", "会议日期", required=True)
    decided = check(read_date, row["decided_on"], "decided_on", "决定日期", required=True)
    end_state = check(read_choice, row["final_state"], DECISION_ENDS, "final_state", "最终状态")
    published = check(read_date, row["published_on"], "published_on", "公布日期")
    evaluated = check(read_date, row["evaluated_on"], "evaluated_on", "决策后评估日期")
    if end_state in ("published", "archived"):
        if not row["published_on"]:
            check.errors.setdefault("published_on", f"最终状态为{row['final_state']}的，须填写公布日期")
        if not row["published_where"]:
            check.errors.setdefault("published_where", f"最终状态为{row['final_state']}的，须填写公布载体")
    elif end_state == "decided" and row["published_on"]:
        check.errors.setdefault("final_state", "已填写公布日期的，最终状态应为已公布或已归档")
    if bool(row["evaluated_on"]) != bool(row["evaluation"]):
        check.errors.setdefault("evaluation", "决策后评估日期和评估结论须同时填写")
    elif row["evaluated_on"] and end_state != "archived":
        check.errors.setdefault("evaluated_on", "决策后评估在归档之后记录，最终状态应为已归档")
    check.dates(
        [
            ("comment_from", "草案公布日期", comment_from),
            ("comment_closed_on", "征求意见结束日期", comment_closed),
            ("opinion_on", "出具意见日期", opinion_on),
            ("meeting_on", "会议日期", meeting_on),
            ("decided_on", "决定日期", decided),
            ("published_on", "公布日期", published),
            ("evaluated_on", "决策后评估日期", evaluated),
        ]
    )
    check.done()
    assert street and unit and year and comment_from and days and comment_closed and opinion_on
    assert meeting_on and decided
    with entering_history(by=by, capability=HISTORY_IMPORT, region=unit.region):
        keys = {"title": "title", "unit": "unit", "adjustment_reason": "adjustment_reason"}
        with on_day(comment_from, 8, keys, "title"):
            decision = services.decision_create(
                by=by,
                year=year,
                title=row["title"],
                unit_id=unit.pk,
                adjustment_reason=row["adjustment_reason"],
            )
        data: dict[str, Any] = {
            "published_on": comment_from,
            "days": days,
            "short_reason": row["short_comment_reason"],
        }
        decision = step(
            decision,
            "open_comment",
            comment_from,
            9,
            data,
            by,
            days="comment_days",
            short_reason="short_comment_reason",
            column="comment_from",
        )
        data = {
            "closed_on": comment_closed,
            "expert_review": row["expert_review"],
            "risk_assessment": row["risk_assessment"],
        }
        decision = step(
            decision,
            "close_comment",
            comment_closed,
            9,
            data,
            by,
            expert_review="expert_review",
            risk_assessment="risk_assessment",
            column="comment_closed_on",
        )
        review = review_steps(
            decision.review,
            by=by,
            reviewer=reviewer,
            conclusion=conclusion,
            opinions=opinions,
            opinion_on=opinion_on,
            closed_on=opinion_on,
        )
        data = {
            "meeting": row["meeting"],
            "held_on": meeting_on,
            "speakers": row["speakers"],
            "dissent": row["dissent"],
        }
        decision = step(
            decision,
            "record_discussion",
            meeting_on,
            9,
            data,
            by,
            meeting="meeting",
            speakers="speakers",
            dissent="dissent",
            column="meeting_on",
        )
        decision = step(decision, "decide", decided, 16, {"decided_on": decided}, by, column="decided_on")
        ended = decided
        if published is not None:
            data = {"published_on": published, "where": row["published_where"]}
            decision = step(
                decision, "publish", published, 10, data, by, where="published_where", column="published_on"
            )
            ended = published
        if end_state == "archived":
            decision = step(decision, "archive", published or decided, 17, {}, by, column="final_state")
        if evaluated is not None:
            data = {"evaluated_on": evaluated, "evaluation": row["evaluation"]}
            decision = step(
                decision,
                "post_evaluate",
                evaluated,
                10,
                data,
                by,
                evaluation="evaluation",
                column="evaluated_on",
            )
            ended = evaluated
        finish(DECISIONS, street, row["ref"], [(decision, ended), (review, opinion_on)], by)
    return decision


DECISION_IMPORTER = Importer(
    DECISIONS,
    "重大行政决策（往年台账）",
    [
        ref_column("JC-2025-01"),
        STREET_COLUMN,
        Column("目录年度", "year", True, "2025", "列入的重大行政决策事项目录的年度"),
        Column("决策事项", "title", True, "示例街道老旧小区加装电梯实施办法（示例）", "", 200),
        Column("承办单位", "unit", True, "示例街道办事处", "本街镇单位名册中的单位全称", 100),
        Column("目录调整理由", "adjustment_reason", False, "", "该年度目录已审定的，增补事项须说明调整理由"),
        Column("草案公布日期", "comment_from", True, "2025-03-01", "公开征求意见的起始日期"),
        Column("征求意见期限（日）", "comment_days", True, "30", "一般不少于30日"),
        Column("缩短期限的理由", "short_comment_reason", False, "", "期限少于30日的必填", 200),
        Column(
            "征求意见结束日期",
            "comment_closed_on",
            True,
            "2025-04-01",
            "不早于起始日期加期限；同日送合法性审查",
        ),
        Column("专家论证", "expert_review", True, "已组织3名专家论证（示例）", "开展情况或不开展的理由", 200),
        Column(
            "风险评估", "risk_assessment", True, "已开展，风险可控（示例）", "开展情况或不开展的理由", 200
        ),
        *review_columns(closed=False),
        Column("集体讨论会议", "meeting", True, "党工委会议", "", 100),
        Column("会议日期", "meeting_on", True, "2025-04-20", "不早于合法性审查出具意见日期"),
        Column("发言人员", "speakers", True, "书记、主任、司法所所长（示例）", "", 300),
        Column("不同意见", "dissent", False, "", "", 300),
        Column("决定日期", "decided_on", True, "2025-04-21", "不早于会议日期"),
        Column("最终状态", "final_state", True, "已归档", "可选：已决定、已公布、已归档"),
        Column("公布日期", "published_on", False, "2025-04-25", "已公布、已归档的必填"),
        Column("公布载体", "published_where", False, "街道门户网站", "已公布、已归档的必填", 100),
        Column("决策后评估日期", "evaluated_on", False, "", "已归档的可填，须与评估结论同时填写"),
        Column("评估结论", "evaluation", False, "", "实施效果、存在问题、继续实施或调整的建议"),
    ],
    _decision_row,
    notes=[
        "每行一项往年重大行政决策，按最终状态导入：列入目录、公开征求意见、专家论证和风险评估、合法性审查"
        "（审查意见及采纳情况）、集体讨论、决定、公布、归档、决策后评估；各环节按所填日期记入时间线。",
        "日期须依次不早于前一环节，且不能晚于今天；审查结论为不合法的决策不能导入为已决定。",
    ],
    capability=HISTORY_IMPORT,
    group=GROUP,
    description="往年重大行政决策：五个法定程序、决定、公布、归档与决策后评估",
)
