"""政府信息公开工作年度报告 tables, from the records, in the layout of the 2019 State Council template.

Part 二 proactive disclosure; part 三 requests received and handled (by applicant type and outcome);
part 四 reconsideration and litigation about disclosure. Numbers come only from records; each table
row says which answer types it counts.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from core.clocks.services import clocks_by_case, state_of
from core.documents import GongwenDocument
from core.models import Region

from .choices import AnswerType, RequestState
from .models import Challenge, DisclosureRequest, ProactiveItem

# Part 三, rows of 本年度办理结果 and the answer types each counts.
OUTCOME_ROWS: list[tuple[str, tuple[str, ...]]] = [
    ("（一）予以公开", (AnswerType.DISCLOSED, AnswerType.ALREADY_PUBLIC)),
    ("（二）部分公开", (AnswerType.PARTLY,)),
    ("（三）不予公开", (AnswerType.NOT_DISCLOSED,)),
    ("（四）无法提供", (AnswerType.NOT_EXIST, AnswerType.NOT_OURS)),
    ("（五）不予处理", (AnswerType.REPEAT, AnswerType.NOT_A_REQUEST)),
    ("（六）其他处理", (AnswerType.SPECIAL_LAW, "withdrawn")),
]
APPLICANT_COLUMNS = [("person", "自然人"), ("organisation", "法人或其他组织")]


def challenge_cells(user: Any, region: Any, start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """Table 四 from the respondent records: every reconsideration or suit against a disclosure answer filed in the
    year, as (kind, result): 行政复议, 未经复议直接起诉 or 复议后起诉; 结果维持 (upheld, claim rejected), 结果纠正
    (changed, annulled, confirmed illegal, ordered to act, void), 其他结果, 尚未审结."""
    from respondent.choices import ADVERSE, UPHELD, Kind
    from respondent.models import RespondentCase

    cases = RespondentCase.objects.visible_to(user).filter(
        region__path__startswith=region.path, act_kind="disclosure", filed_on__gte=start, filed_on__lte=end
    )
    cells = []
    for c in cases:
        if c.kind == Kind.RECONSIDERATION:
            kind = Challenge.Kind.RECONSIDERATION
        else:
            kind = (
                Challenge.Kind.LITIGATION_AFTER
                if c.after_reconsideration
                else Challenge.Kind.LITIGATION_DIRECT
            )
        if not c.outcome:
            result = Challenge.Result.PENDING
        elif c.outcome in UPHELD:
            result = Challenge.Result.UPHELD
        elif c.outcome in ADVERSE:
            result = Challenge.Result.CORRECTED
        else:
            result = Challenge.Result.OTHER
        cells.append((str(kind), str(result)))
    return cells


def _outcome(req: DisclosureRequest) -> str:
    return "withdrawn" if req.state == RequestState.WITHDRAWN else req.answer_type


def annual_tables(user: Any, region: Region, year: int) -> dict[str, Any]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    requests = DisclosureRequest.objects.visible_to(user).filter(
        region__path__startswith=region.path, received_on__lte=end
    )
    relevant = [r for r in requests if r.concluded_on is None or r.concluded_on >= start]
    new = [r for r in relevant if r.received_on >= start]
    carried_in = [r for r in relevant if r.received_on < start]
    handled = [r for r in relevant if r.concluded_on is not None and r.concluded_on <= end]
    carried_out = [r for r in relevant if r.concluded_on is None or r.concluded_on > end]

    def by_kind(rows: list[DisclosureRequest]) -> dict[str, int]:
        c = Counter(r.applicant_kind for r in rows)
        return {**{k: c.get(k, 0) for k, _ in APPLICANT_COLUMNS}, "total": len(rows)}

    outcomes = []
    for label, types in OUTCOME_ROWS:
        rows = [r for r in handled if _outcome(r) in types]
        outcomes.append({"label": label, "types": list(types), **by_kind(rows)})
    outcomes.append({"label": "（七）总计", "types": [], **by_kind(handled)})

    items = ProactiveItem.objects.visible_to(user).filter(region__path__startswith=region.path)
    made = list(items.filter(made_on__gte=start, made_on__lte=end))
    categories = sorted({i.category or "其他" for i in made})
    clocks = clocks_by_case(made, "publish")
    proactive = []
    for cat in categories:
        rows = [i for i in made if (i.category or "其他") == cat]
        published = [i for i in rows if i.published_on]
        on_time = [i for i in published if i.pk in clocks and state_of(clocks[i.pk]) == "met"]
        proactive.append(
            {"category": cat, "made": len(rows), "published": len(published), "on_time": len(on_time)}
        )

    ch = Counter(challenge_cells(user, region, start, end))
    review = {
        kind: {res: ch.get((kind, res), 0) for res in Challenge.Result.values}
        for kind in Challenge.Kind.values
    }
    for kind in review:
        review[kind]["total"] = sum(review[kind].values())

    answer_clocks = clocks_by_case(handled, "answer")
    answered_in_time = [
        r
        for r in handled
        if r.answered_on and r.pk in answer_clocks and state_of(answer_clocks[r.pk]) == "met"
    ]
    return {
        "region": {"id": region.pk, "name": region.name},
        "year": year,
        "proactive": proactive,
        "requests": {
            "new": by_kind(new),
            "carried_in": by_kind(carried_in),
            "outcomes": outcomes,
            "carried_out": by_kind(carried_out),
            "answered_on_time": len(answered_in_time),
        },
        "review": review,
    }


def annual_docx(t: dict[str, Any]) -> bytes:
    doc = GongwenDocument(f"{t['region']['name']}{t['year']}年政府信息公开工作年度报告（统计表）")
    doc.heading(1, "主动公开政府信息情况")
    doc.table(
        ["类别", "本年形成或变更", "已公开", "按期公开"],
        [[r["category"], r["made"], r["published"], r["on_time"]] for r in t["proactive"]]
        or [["（无）", 0, 0, 0]],
    )
    doc.heading(1, "收到和处理政府信息公开申请情况")
    req = t["requests"]
    header = ["", *[label for _, label in APPLICANT_COLUMNS], "总计"]
    rows = [
        ["一、本年新收政府信息公开申请数量", *_cols(req["new"])],
        ["二、上年结转政府信息公开申请数量", *_cols(req["carried_in"])],
    ]
    rows += [[f"三、本年度办理结果 {o['label']}", *_cols(o)] for o in req["outcomes"]]
    rows.append(["四、结转下年度继续办理", *_cols(req["carried_out"])])
    doc.table(header, rows)
    doc.heading(1, "政府信息公开行政复议、行政诉讼情况")
    labels = dict(Challenge.Result.choices)
    doc.table(
        ["", *[str(labels[k]) for k in Challenge.Result.values], "总计"],
        [
            [str(dict(Challenge.Kind.choices)[kind]), *[v[k] for k in Challenge.Result.values], v["total"]]
            for kind, v in t["review"].items()
        ],
    )
    return doc.to_bytes()


def _cols(row: dict[str, int]) -> list[int]:
    return [row[k] for k, _ in APPLICANT_COLUMNS] + [row["total"]]


def annual_xlsx(t: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "主动公开"
    ws.append(["类别", "本年形成或变更", "已公开", "按期公开"])
    for r in t["proactive"]:
        ws.append([r["category"], r["made"], r["published"], r["on_time"]])
    ws2 = wb.create_sheet("依申请公开")
    ws2.append(["", *[label for _, label in APPLICANT_COLUMNS], "总计"])
    req = t["requests"]
    ws2.append(["一、本年新收政府信息公开申请数量", *_cols(req["new"])])
    ws2.append(["二、上年结转政府信息公开申请数量", *_cols(req["carried_in"])])
    for o in req["outcomes"]:
        ws2.append([f"三、本年度办理结果 {o['label']}", *_cols(o)])
    ws2.append(["四、结转下年度继续办理", *_cols(req["carried_out"])])
    ws3 = wb.create_sheet("复议诉讼")
    ws3.append(["", *[str(dict(Challenge.Result.choices)[k]) for k in Challenge.Result.values], "总计"])
    for kind, v in t["review"].items():
        ws3.append(
            [str(dict(Challenge.Kind.choices)[kind]), *[v[k] for k in Challenge.Result.values], v["total"]]
        )
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
