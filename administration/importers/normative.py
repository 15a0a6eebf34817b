"""Normative documents of a past year in their final state: review, deliberation, number, publication, filing,
evaluation, and revised, abolished or expired."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.history import Existing, already, entering_history
from core.imports import Column, Importer, RowInvalid

from .. import services
from ..choices import NormativeState
from ..permissions import HISTORY_IMPORT
from .rows import (
    GROUP,
    STREET_COLUMN,
    YES_NO,
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

NORMATIVE_ENDS = {
    str(NormativeState.PUBLISHED.label): NormativeState.PUBLISHED,
    "已修订": NormativeState.REVISED,
    str(NormativeState.REVISED.label): NormativeState.REVISED,
    str(NormativeState.ABOLISHED.label): NormativeState.ABOLISHED,
    str(NormativeState.EXPIRED.label): NormativeState.EXPIRED,
}


NORMATIVE = "normative-documents"


def _normative_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = street_of_row(check, row, by)
    if street is not None and (found := already(NORMATIVE, street, row["ref"])) is not None:
        return Existing(found)
    unit = check(find_unit, row["unit"], street, by, "unit", "起草单位")
    trial = check(read_choice, row["trial"] or "否", YES_NO, "trial", "暂行或试行")
    comment_from = check(read_date, row["comment_from"], "comment_from", "征求意见稿公布日期", required=True)
    days = check(read_whole, row["comment_days"], "comment_days", "征求意见期限（日）", low=1, high=365)
    comment_closed = check(
        read_date, row["comment_closed_on"], "comment_closed_on", "征求意见结束日期", required=True
    )
    reviewer, conclusion, opinions, opinion_on = review_parts(check, row, street, by, unlawful_allowed=False)
    meeting_on = check(read_date, row["meeting_on"], "meeting_on", "审议日期", required=True)
    published = check(read_date, row["published_on"], "published_on", "公布日期", required=True)
    effective = check(read_date, row["effective_on"], "effective_on", "施行日期", required=True)
    filed = check(read_date, row["filed_on"], "filed_on", "报送备案日期", required=True)
    evaluated = check(read_date, row["evaluated_on"], "evaluated_on", "评估日期")
    end_state = check(read_choice, row["final_state"], NORMATIVE_ENDS, "final_state", "最终状态")
    ended = check(read_date, row["ended_on"], "ended_on", "停止施行日期")
    if published and effective and effective < published:
        check.errors.setdefault("effective_on", f"施行日期（{effective}）早于公布日期（{published}），请核对")
    if bool(row["evaluated_on"]) != bool(row["evaluation"]):
        check.errors.setdefault("evaluation", "评估日期和评估意见须同时填写")
    if end_state in (NormativeState.REVISED, NormativeState.ABOLISHED):
        if not row["ended_on"]:
            check.errors.setdefault("ended_on", f"最终状态为{row['final_state']}的，须填写停止施行日期")
        if not row["end_reason"]:
            check.errors.setdefault("end_reason", f"最终状态为{row['final_state']}的，须填写理由")
    elif row["ended_on"]:
        check.errors.setdefault("ended_on", "只有已修订或已废止的文件填写停止施行日期")
    check.dates(
        [
            ("comment_from", "征求意见稿公布日期", comment_from),
            ("comment_closed_on", "征求意见结束日期", comment_closed),
            ("opinion_on", "出具意见日期", opinion_on),
            ("meeting_on", "审议日期", meeting_on),
            ("published_on", "公布日期", published),
            ("filed_on", "报送备案日期", filed),
        ]
    )
    check.dates([("published_on", "公布日期", published), ("evaluated_on", "评估日期", evaluated)])
    check.dates([("published_on", "公布日期", published), ("ended_on", "停止施行日期", ended)])
    check.done()
    assert street and unit and comment_from and days and comment_closed and opinion_on and meeting_on
    assert published and effective and filed and trial is not None and end_state
    with entering_history(by=by, capability=HISTORY_IMPORT, region=unit.region):
        with on_day(comment_from, 8, {"title": "title", "unit": "unit"}, "title"):
            doc = services.normative_create(by=by, title=row["title"], unit_id=unit.pk, trial=trial)
        data: dict[str, Any] = {"published_on": comment_from, "days": days}
        doc = step(doc, "open_comment", comment_from, 9, data, by, days="comment_days", column="comment_from")
        doc = step(
            doc,
            "close_comment",
            comment_closed,
            9,
            {"closed_on": comment_closed},
            by,
            column="comment_closed_on",
        )
        review = review_steps(
            doc.review,
            by=by,
            reviewer=reviewer,
            conclusion=conclusion,
            opinions=opinions,
            opinion_on=opinion_on,
            closed_on=opinion_on,
        )
        data = {"meeting": row["meeting"], "held_on": meeting_on}
        doc = step(doc, "deliberate", meeting_on, 9, data, by, meeting="meeting", column="meeting_on")
        data = {"doc_number": row["doc_number"], "published_on": published, "effective_on": effective}
        doc = step(doc, "publish", published, 10, data, by, doc_number="doc_number", column="published_on")
        with on_day(filed, 10, {"filed_on": "filed_on"}, "filed_on"):
            doc = services.normative_file(doc=doc, filed_on=filed, by=by)
        last = filed
        if evaluated is not None:
            data = {"evaluated_on": evaluated, "evaluation": row["evaluation"]}
            doc = step(
                doc, "evaluate", evaluated, 10, data, by, evaluation="evaluation", column="evaluated_on"
            )
            last = max(last, evaluated)
        today = timezone.localdate()
        if end_state == NormativeState.PUBLISHED and doc.expires_on is not None and doc.expires_on < today:
            raise RowInvalid(
                {"final_state": f"有效期已于{doc.expires_on}届满，最终状态应为已失效（或已修订、已废止）"}
            )
        if end_state == NormativeState.EXPIRED:
            if doc.expires_on is None or doc.expires_on >= today:
                raise RowInvalid({"final_state": f"有效期至{doc.expires_on}，尚未届满，不能导入为已失效"})
            lapsed = doc.expires_on + dt.timedelta(days=1)
            doc = step(doc, "expire", lapsed, 9, {}, by, column="final_state")
            last = max(last, doc.ended_on or lapsed)
        elif end_state in (NormativeState.REVISED, NormativeState.ABOLISHED):
            assert ended is not None
            action = "revise" if end_state == NormativeState.REVISED else "abolish"
            data = {"ended_on": ended, "reason": row["end_reason"]}
            doc = step(doc, action, ended, 10, data, by, reason="end_reason", column="ended_on")
            last = max(last, ended)
        # A document still in force keeps its validity term running (not a task: it reminds 6 months before
        # expiry); every other clock is met by now, and an ended document's term was met when it ended.
        in_force = doc if end_state == NormativeState.PUBLISHED else None
        finish(NORMATIVE, street, row["ref"], [(doc, last), (review, opinion_on)], by, running=in_force)
    return doc


NORMATIVE_IMPORTER = Importer(
    NORMATIVE,
    "行政规范性文件（往年台账）",
    [
        ref_column("GF-2025-02"),
        STREET_COLUMN,
        Column("文件名称", "title", True, "示例街道文明养犬管理办法（示例）", "", 200),
        Column("起草单位", "unit", True, "示例街道办事处", "本街镇单位名册中的单位全称", 100),
        Column("暂行或试行", "trial", False, "否", "是或否（不填为否）；暂行、试行文件有效期一般为2年"),
        Column("征求意见稿公布日期", "comment_from", True, "2025-02-10"),
        Column("征求意见期限（日）", "comment_days", True, "30"),
        Column("征求意见结束日期", "comment_closed_on", True, "2025-03-12", "同日送合法性审查"),
        *review_columns(closed=False),
        Column("审议会议", "meeting", True, "主任办公会", "", 100),
        Column("审议日期", "meeting_on", True, "2025-03-28", "不早于合法性审查出具意见日期"),
        Column("文号", "doc_number", True, "示街规〔2025〕1号", "", 60),
        Column("公布日期", "published_on", True, "2025-04-02", "不早于审议日期"),
        Column("施行日期", "effective_on", True, "2025-05-01", "不早于公布日期（可以是将来的日期）"),
        Column("报送备案日期", "filed_on", True, "2025-04-15", "不早于公布日期"),
        Column("评估日期", "evaluated_on", False, "", "实施后评估的日期，须与评估意见同时填写"),
        Column("评估意见", "evaluation", False, "", "继续有效、修订或废止的建议及理由"),
        Column("最终状态", "final_state", True, "已公布施行", "可选：已公布施行、已修订、已废止、已失效"),
        Column("停止施行日期", "ended_on", False, "", "已修订、已废止的必填"),
        Column("停止理由", "end_reason", False, "", "已修订、已废止的必填", 200),
    ],
    _normative_row,
    notes=[
        "每行一件往年制定的行政规范性文件，按最终状态导入：起草、公开征求意见、合法性审查（审查意见及采纳情况）、"
        "集体审议、公布施行（有效期按施行日期自动计算）、报送备案，以及实施后评估、修订、废止或有效期届满失效。",
        "有效期已届满的文件，最终状态应填“已失效”（或已修订、已废止）；现行有效的文件有效期继续计算，届满前6个月提示评估。",
    ],
    capability=HISTORY_IMPORT,
    group=GROUP,
    description="往年行政规范性文件：审查、审议、文号、公布、备案与最终状态",
)
