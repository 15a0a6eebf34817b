"""Meetings the justice-office head (or a legal advisor) attended in a past year, with the suggestions given."""

from __future__ import annotations

from typing import Any

from core.history import Existing, already
from core.imports import Column, Importer

from .. import services
from .rows import (
    GROUP,
    STREET_COLUMN,
    Checked,
    finish,
    on_day,
    read_date,
    read_suggestions,
    ref_column,
    street_of_row,
)

MEETINGS = "meeting-attendance"


def _meeting_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = street_of_row(check, row, by)
    if street is not None and (found := already(MEETINGS, street, row["ref"])) is not None:
        return Existing(found)
    held = check(read_date, row["held_on"], "held_on", "会议日期", required=True)
    suggestions = check(read_suggestions, row["suggestions"]) or []
    check.dates([("held_on", "会议日期", held)])
    check.done()
    assert street and held
    keys = {
        "meeting": "meeting",
        "held_on": "held_on",
        "attendee": "attendee",
        "topics": "topics",
        "region": "street",
    }
    with on_day(held, 9, keys, "topics"):
        attendance = services.meeting_record(
            by=by,
            region=street,
            held_on=held,
            attendee=row["attendee"],
            topics=row["topics"],
            suggestions=suggestions,
            meeting=row["meeting"],
        )
    finish(MEETINGS, street, row["ref"], [(attendance, held)], by)
    return attendance


MEETING_IMPORTER = Importer(
    MEETINGS,
    "列席会议（往年台账）",
    [
        ref_column("LX-2025-07"),
        STREET_COLUMN,
        Column("会议名称", "meeting", True, "主任办公会", "如主任办公会、党工委会议", 100),
        Column("会议日期", "held_on", True, "2025-06-18", "YYYY-MM-DD，不能晚于今天"),
        Column("列席人", "attendee", True, "司法所所长（示例）", "", 50),
        Column("议题", "topics", True, "社区微更新项目合同签订（示例）"),
        Column(
            "法律建议",
            "suggestions",
            False,
            "建议补充违约责任条款（示例）｜是",
            "每行一条：建议内容｜是否被采纳（是、否或待反馈，不填为待反馈）",
            5000,
        ),
    ],
    _meeting_row,
    notes=["每行一次司法所所长（或法律顾问）列席的会议，连同提出的法律建议及其采纳情况；记“历史数据导入”。"],
    capability="administration.meeting.record",
    group=GROUP,
    description="列席主任办公会、党工委会议等，提出的法律建议及采纳情况",
)
