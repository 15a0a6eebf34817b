"""The weekly dispute analysis report (民情分析周报) as data, .docx and .xlsx — one source of figures."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from core.documents import GongwenDocument, chinese_date
from core.models import Region

from . import selectors

RATE_LABELS = {
    "success_rate": "调解成功率",
    "on_time_rate": "按期调结率",
    "fulfilment_rate": "协议履行率",
    "escalation_rate": "出街镇率",
}


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def stats_dict(s: selectors.Stats) -> dict[str, Any]:
    return {
        "region": {"id": s.region.pk, "name": s.region.name, "code": s.region.code},
        "from": s.start.isoformat(),
        "to": s.end.isoformat(),
        "counts": s.counts,
        "links": {
            key: f"/disputes/?stat={key}&region={s.region.pk}&from={s.start.isoformat()}&to={s.end.isoformat()}"
            for key in s.counts
        },
        "rates": s.rates,
        "average_days_to_close": s.average_days_to_close,
        "total_amount": str(s.total_amount),
        "by_type": [{"code": c, "name": n, "count": k} for c, n, k in s.by_type],
        "by_source": [{"code": c, "name": n, "count": k} for c, n, k in s.by_source],
        "by_community": [{"id": i, "name": n, "count": k} for i, n, k in s.by_community],
        "by_state": [{"code": c, "name": n, "count": k} for c, n, k in s.by_state],
    }


WARNING_NUMBERS = 200  # case numbers listed in one cell of the workbook; the page lists them all


def weekly_report(user: Any, region: Region, week: str) -> dict[str, Any]:
    monday, sunday = selectors.week_bounds(week)
    this = selectors.stats(user, region, monday, sunday)
    last = selectors.stats(user, region, monday - dt.timedelta(days=7), sunday - dt.timedelta(days=7))
    warnings = selectors.early_warnings(user, region, monday)
    received, previous = this.counts["received"], last.counts["received"]
    return {
        "week": week,
        "region": {"id": region.pk, "name": region.name, "code": region.code},
        "from": monday.isoformat(),
        "to": sunday.isoformat(),
        "this_week": stats_dict(this),
        "last_week": stats_dict(last),
        "week_over_week": {
            "received": received - previous,
            "received_change": None if previous == 0 else round((received - previous) / previous, 4),
        },
        "warnings": [
            {
                "kind": w.kind,
                "title": w.title,
                "why": w.why,
                "dispute_ids": w.dispute_ids,
                "cases": [{"id": pk, "number": number} for pk, number in w.cases],
            }
            for w in warnings
        ],
    }


def weekly_docx(report: dict[str, Any]) -> bytes:
    this, last = report["this_week"], report["last_week"]
    c = this["counts"]
    doc = GongwenDocument(f"{report['region']['name']}矛盾纠纷民情分析周报")
    doc.paragraph(
        f"（{report['week']}：{chinese_date(dt.date.fromisoformat(report['from']))}至"
        f"{chinese_date(dt.date.fromisoformat(report['to']))}）",
        indent=False,
        align="center",
    )
    doc.heading(1, "总体情况")
    change = report["week_over_week"]["received"]
    trend = "持平" if change == 0 else (f"增加{change}起" if change > 0 else f"减少{-change}起")
    doc.paragraph(
        f"本周受理矛盾纠纷{c['received']}起，较上周（{last['counts']['received']}起）{trend}；办结{c['closed']}起，"
        f"调解成功{c['success']}起、调解不成{c['failure']}起，调解成功率{pct(this['rates']['success_rate'])}；"
        f"按期调结率{pct(this['rates']['on_time_rate'])}，协议履行率{pct(this['rates']['fulfilment_rate'])}，"
        f"出街镇{c['escalated']}起（出街镇率{pct(this['rates']['escalation_rate'])}）；"
        f"目前在办{c['open']}起，其中逾期{c['overdue']}起；涉及金额{this['total_amount']}元。"
    )
    doc.heading(1, "分类统计")
    doc.table(["纠纷类型", "起数"], [[r["name"], r["count"]] for r in this["by_type"]] or [["（无）", 0]])
    doc.table(["纠纷来源", "起数"], [[r["name"], r["count"]] for r in this["by_source"]] or [["（无）", 0]])
    doc.table(["居村", "起数"], [[r["name"], r["count"]] for r in this["by_community"]] or [["（无）", 0]])
    doc.heading(1, "苗头性、倾向性、趋势性问题")
    if report["warnings"]:
        for w in report["warnings"]:
            doc.paragraph(f"{w['title']}：{w['why']}（涉及{len(w['dispute_ids'])}起）。")
    else:
        doc.paragraph("本周未发现需要预警的苗头性、倾向性、趋势性问题。")
    doc.heading(1, "指标一览")
    rows = [[label, pct(this["rates"][key]), pct(last["rates"][key])] for key, label in RATE_LABELS.items()]
    doc.table(["指标", "本周", "上周"], rows)
    return doc.to_bytes()


def weekly_xlsx(report: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "总体"
    bold = Font(bold=True)
    ws.append(
        [f"{report['region']['name']}矛盾纠纷民情分析周报", report["week"], report["from"], report["to"]]
    )
    ws["A1"].font = bold
    ws.append(["指标", "本周", "上周"])
    labels = selectors.STAT_LABELS
    for key in ("received", "closed", "success", "failure", "escalated"):
        ws.append([labels[key], report["this_week"]["counts"][key], report["last_week"]["counts"][key]])
    for key in ("open", "overdue"):  # the state of the cases now, not a count of either week
        ws.append([f"{labels[key]}（截至生成时）", report["this_week"]["counts"][key], None])
    for key, label in RATE_LABELS.items():
        ws.append([label, report["this_week"]["rates"][key], report["last_week"]["rates"][key]])
    ws.append(
        [
            "平均办结天数",
            report["this_week"]["average_days_to_close"],
            report["last_week"]["average_days_to_close"],
        ]
    )
    ws.append(
        [
            "涉及金额（元）",
            float(report["this_week"]["total_amount"]),
            float(report["last_week"]["total_amount"]),
        ]
    )
    for title, key in (("按类型", "by_type"), ("按来源", "by_source"), ("按居村", "by_community")):
        sheet = wb.create_sheet(title)
        sheet.append(["名称", "起数"])
        for row in report["this_week"][key]:
            sheet.append([row["name"], row["count"]])
    sheet = wb.create_sheet("预警")
    sheet.append(["预警", "原因", "涉及起数", "纠纷编号"])
    for w in report["warnings"]:
        numbers = [c["number"] for c in w["cases"]]
        listed = "、".join(numbers[:WARNING_NUMBERS])
        if len(numbers) > WARNING_NUMBERS:
            listed += f"等，共{len(numbers)}起（全部见平台“民情周报”页）"
        sheet.append([w["title"], w["why"], len(numbers), listed])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
