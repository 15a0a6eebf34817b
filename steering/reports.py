"""Reports written from the records: the annual 法治政府建设年度报告 (four parts, .docx), the quarterly
statistics workbook (.xlsx, one sheet per domain) and the leader's 述法 material (.docx).

Every figure comes from ``core.indicators.evaluate`` (the same call the indicator API makes) or from the
key-task records; the narrative paragraphs are drafted from those figures, so they change with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from core.documents import GongwenDocument, chinese_number
from core.indicators import Result, Source
from core.models import Region

from . import selectors

PARTS = [
    ("part1", "一、党政主要负责人履行推进法治建设第一责任人职责情况"),
    ("part2", "二、推进法治政府建设的主要举措和成效"),
    ("part3", "三、存在的不足和原因"),
    ("part4", "四、下一年度推进法治政府建设的主要安排"),
]


@dataclass
class Figure:
    key: str
    label: str
    text: str  # as printed: "66.67%", "4件"
    source: str  # 系统计算 / 手工填报（佐证） / 重点任务记录
    method: str
    status: str = ""
    url: str = ""
    items: tuple[str, ...] = ()


def _text(r: Result) -> str:
    if r.value is None:
        return "无数据" if r.source == Source.COMPUTED else "待填报"
    unit = r.indicator.unit
    return r.value_text if unit == "%" else f"{r.value_text}{unit if unit not in ('/', '') else ''}"


def annual_figures(user: Any, region: Region, year: int) -> dict[str, Figure]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    figures: dict[str, Figure] = {}
    results = selectors.results(user, region, start, end)
    missing = [r for r in results if r.source == Source.MANUAL and r.entry is None]
    for r in results:
        if r.source == Source.MANUAL and r.entry is None:
            continue  # a manual indicator nobody entered is counted below, never printed as a value
        ind = r.indicator
        source = "系统计算" if r.source == Source.COMPUTED else f"手工填报（佐证：{r.entry.evidence}）"
        figures[ind.code] = Figure(
            key=ind.code,
            label=ind.name,
            text=_text(r),
            source=source,
            method=ind.method,
            status=r.status,
            url=selectors.records_url(ind.code, region, start, end)
            if r.reading is not None
            else selectors.detail_url(ind.code, region, start, end),
        )
    if missing:
        figures["indicators.missing"] = Figure(
            "indicators.missing",
            "尚未填报的手工指标",
            f"{len(missing)}项",
            "指标库",
            "尚无业务模块计算、本年度也未填报数值的指标：" + "、".join(r.indicator.name for r in missing),
            url=selectors.detail_url(missing[0].indicator.code, region, start, end),
            items=tuple(r.indicator.name for r in missing),
        )
    tasks = task_rows(user, region, year)
    if tasks:
        done = sum(1 for t in tasks if t.percent >= 100)
        average = round(sum(t.percent for t in tasks) / len(tasks))
        figures["tasks.total"] = Figure(
            "tasks.total",
            "重点任务数",
            f"{len(tasks)}项",
            "重点任务记录",
            f"{year}年在推进期内的计划的重点任务数。",
        )
        figures["tasks.done"] = Figure(
            "tasks.done",
            "已完成重点任务",
            f"{done}项",
            "重点任务记录",
            f"截至{year}年最后一期报送进度为100%的任务数（以后年度的报送不计入）。",
        )
        figures["tasks.average"] = Figure(
            "tasks.average",
            "重点任务平均进度",
            f"{average}%",
            "重点任务记录",
            f"各任务截至{year}年最后一期报送进度的平均数（未报送的计0%；以后年度的报送不计入）。",
        )
    return figures


@dataclass
class TaskRow:
    """A key task with its progress as reported in the report's year."""

    plan: str
    number: int
    title: str
    percent: int
    period: str  # "2025年第四季度", or "" when nothing was reported by then
    reported_on: dt.date | None


def task_rows(user: Any, region: Region, year: int) -> list[TaskRow]:
    """The key tasks running in ``year`` with the progress reported in that year (never a later report)."""
    tasks = selectors.tasks_of_year(user, region, year)
    reported = selectors.progress_as_reported(tasks, year)
    rows = []
    for t in tasks:
        r = reported[t.pk]
        rows.append(
            TaskRow(
                plan=t.plan.name,
                number=t.number,
                title=t.title,
                percent=r.percent if r else 0,
                period=r.period_label if r else "",
                reported_on=r.reported_on if r else None,
            )
        )
    return rows


# --- the document date (落款日期) ------------------------------------------------------------------------


def default_document_date(year: int, on: dt.date) -> tuple[dt.date, str]:
    """The date a year's report is signed with unless the user sets another, and why (shown on the page).

    The current year's report: today. A past year's: the previous year's rule-of-law government work is
    reported in the first quarter of the next year (《法治政府建设与责任落实督察工作规定》), so today while
    that quarter lasts, else its last day — the report of a past year is never dated today silently.
    """
    if year >= on.year:
        day = max(on, dt.date(year, 1, 1))
        return day, "本年度的报告默认以今天为落款日期" if day == on else f"默认以{year}年1月1日为落款日期"
    deadline = dt.date(year + 1, 3, 31)
    if year == on.year - 1 and on <= deadline:
        return on, f"{year}年度的情况于{year + 1}年第一季度报告，今天仍在此期间内，默认以今天为落款日期"
    return deadline, (
        f"{year}年度的情况于{year + 1}年第一季度报告，默认以该季度最后一天（{year + 1}年3月31日）为落款日期；"
        "请改为实际成文日期"
    )


def document_date(value: str | None, year: int, on: dt.date) -> dt.date:
    """The date the user set for a year's report (``dated``), or the default; ValidationError names the field."""
    from django.core.exceptions import ValidationError

    if not value:
        return default_document_date(year, on)[0]
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({"dated": f"落款日期“{str(value)[:20]}”不是有效日期，应为YYYY-MM-DD"}) from None
    if day < dt.date(year, 1, 1):
        raise ValidationError({"dated": f"{year}年度报告的落款日期不能早于{year}年1月1日"})
    if day > dt.date(year + 1, 12, 31):
        raise ValidationError({"dated": f"{year}年度报告的落款日期不能晚于{year + 1}年12月31日"})
    return day


def digest(figures: dict[str, Figure]) -> str:
    return hashlib.sha256("|".join(f"{k}={f.text}" for k, f in sorted(figures.items())).encode()).hexdigest()[
        :16
    ]


def _f(figures: dict[str, Figure], key: str) -> str | None:
    fig = figures.get(key)
    return fig.text if fig and fig.text not in ("无数据", "待填报") else None


def draft(user: Any, region: Region, year: int, figures: dict[str, Figure] | None = None) -> dict[str, str]:
    """The four parts, drafted from the figures: which sentences appear and what they say follow the data."""
    figures = figures if figures is not None else annual_figures(user, region, year)
    f = lambda key: _f(figures, key)  # noqa: E731
    name = region.name
    p1: list[str] = []
    if f("administration.meetings"):
        p1.append(
            f"{year}年，{name}党政主要负责人认真履行推进法治建设第一责任人职责，落实司法所所长列席主任办公会制度，"
            f"全年列席{f('administration.meetings')}，提出法律建议{f('administration.meeting_suggestions') or '0条'}"
            + (
                f"，采纳率{f('administration.meeting_adoption_rate')}"
                if f("administration.meeting_adoption_rate")
                else ""
            )
            + "。"
        )
    if f("administration.decision_review_rate"):
        p1.append(
            f"坚持重大行政决策“应审必审”，重大行政决策合法性审查率{f('administration.decision_review_rate')}。"
        )
    if f("district.03"):
        p1.append(f"法治建设第一责任人履职情况年终述职率{f('district.03')}。")
    if not p1:
        p1.append(f"{year}年{name}尚无主要负责人履职的平台记录（列席会议、重大决策审查），请补充。")

    p2: list[str] = []

    def head(title: str) -> str:
        """The next numbered section of part 二: （一）, （二） … in the order the sections have content."""
        return f"（{chinese_number(len(p2) + 1)}）{title}。"

    decision = [
        s
        for s in (
            f"合法性审查重大行政决策，审查率{f('administration.decision_review_rate')}"
            if f("administration.decision_review_rate")
            else "",
            f"审核行政规范性文件，审核率{f('administration.normative_review_rate')}"
            if f("administration.normative_review_rate")
            else "",
            f"审核合同{f('administration.contracts_reviewed')}、涉及金额{f('administration.contracts_amount')}"
            if f("administration.contracts_reviewed") and f("administration.contracts_reviewed") != "0件"
            else "",
            f"法制审核重大执法决定{f('administration.enforcement_reviewed')}"
            if f("administration.enforcement_reviewed") and f("administration.enforcement_reviewed") != "0件"
            else "",
            f"合法性审查提出修改建议{f('administration.review_suggestions')}"
            if f("administration.review_suggestions") and f("administration.review_suggestions") != "0条"
            else "",
        )
        if s
    ]
    if decision:
        p2.append(head("依法决策和法制审核") + "；".join(decision) + "。")
    disclosure = [
        s
        for s in (
            f"收到政府信息公开申请{f('disclosure.requests')}" if f("disclosure.requests") else "",
            f"依申请公开及时答复率{f('disclosure.on_time_rate')}" if f("disclosure.on_time_rate") else "",
            f"主动公开政府信息{f('disclosure.proactive')}" if f("disclosure.proactive") else "",
        )
        if s
    ]
    if disclosure:
        p2.append(head("政务公开") + "，".join(disclosure) + "。")
    if f("enforcement.decisions") and f("enforcement.decisions") != "0件":
        parts = [f"作出行政执法决定{f('enforcement.decisions')}"]
        if f("enforcement.not_penalised") and f("enforcement.not_penalised") != "0件":
            parts.append(f"其中依法不予处罚和首违不罚{f('enforcement.not_penalised')}，均对当事人进行了教育")
        for code, label in (
            ("enforcement.publicity_rate", "行政执法决定按时公示率"),
            ("enforcement.review_rate", "重大执法决定法制审核制度执行率"),
            ("enforcement.certified_rate", "行政执法人员持证率"),
        ):
            if f(code):
                parts.append(f"{label}{f(code)}")
        p2.append(head("严格规范公正文明执法") + "，".join(parts) + "。")
    if f("respondent.received") and f("respondent.received") != "0件":
        parts = [f"本街镇作为被申请人、被告的行政复议、行政诉讼案件{f('respondent.received')}"]
        for code, label in (
            ("respondent.reply_rate", "按期答复答辩率"),
            ("respondent.correction_rate", "行政复议纠错率"),
            ("respondent.loss_rate", "行政诉讼败诉率"),
            ("respondent.appearance_rate", "行政机关负责人出庭率"),
        ):
            if f(code):
                parts.append(f"{label}{f(code)}")
        p2.append(head("行政复议和行政应诉") + "，".join(parts) + "。")
    if f("demands.received") and f("demands.received") != "0件":
        parts = [f"接收12345热线工单{f('demands.received')}"]
        for code, label in (
            ("demands.on_time_rate", "按时办结率"),
            ("demands.resolution_rate", "实际解决率"),
            ("demands.satisfaction_rate", "回访满意率"),
            ("demands.return_rate", "退单率"),
        ):
            if f(code):
                parts.append(f"{label}{f(code)}")
        if f("demands.to_enforcement") and f("demands.to_enforcement") != "0件":
            parts.append(f"其中有执法需求、转行政执法立案的{f('demands.to_enforcement')}")
        p2.append(head("群众诉求办理") + "，".join(parts) + "。")
    if f("demands.petitions") and f("demands.petitions") != "0件":
        parts = [f"登记信访事项{f('demands.petitions')}"]
        if f("demands.group_petitions") and f("demands.group_petitions") != "0件":
            parts.append(f"其中集体访{f('demands.group_petitions')}")
        for code, label in (
            ("demands.petition_acceptance_rate", "按期受理告知率"),
            ("demands.petition_on_time_rate", "按期办结率"),
        ):
            if f(code):
                parts.append(f"{label}{f(code)}")
        if f("demands.petitions_to_mediation") and f("demands.petitions_to_mediation") != "0件":
            parts.append(f"经访调联动转人民调解{f('demands.petitions_to_mediation')}")
        p2.append(head("信访工作法治化") + "，".join(parts) + "。")
    if f("disputes.received"):
        parts = [f"全年受理矛盾纠纷{f('disputes.received')}"]
        if f("disputes.success"):
            parts.append(
                f"调解成功{f('disputes.success')}，其中书面调解协议{f('disputes.written_agreements') or '0件'}"
            )
        if f("disputes.success_rate"):
            parts.append(f"调解成功率{f('disputes.success_rate')}")
        if f("disputes.amount"):
            parts.append(f"涉及金额{f('disputes.amount')}")
        if f("disputes.escalation_rate"):
            parts.append(f"矛盾纠纷出街镇率{f('disputes.escalation_rate')}")
        if f("disputes.fulfilment_rate"):
            parts.append(f"调解协议履行率{f('disputes.fulfilment_rate')}")
        p2.append(head("矛盾纠纷多元化解") + "，".join(parts) + "。")
    if f("tasks.total"):
        p2.append(
            head("重点任务推进")
            + f"推进计划共{f('tasks.total')}重点任务，已完成{f('tasks.done')}，平均进度{f('tasks.average')}。"
        )
    if not p2:
        p2.append(f"{year}年{name}在平台中尚无可统计的工作记录。")

    lagging = [fig for fig in figures.values() if fig.status == "not_met"]
    p3 = [f"{fig.label}为{fig.text}，未达到目标。" for fig in lagging]
    missing = list(figures["indicators.missing"].items) if "indicators.missing" in figures else []
    if missing:
        p3.append(
            f"{len(missing)}项指标尚无业务模块计算且未填报，数据来源有待健全：{'、'.join(missing[:6])}{'等' if len(missing) > 6 else ''}。"
        )
    if f("tasks.total") and f("tasks.done") != f("tasks.total"):
        p3.append(f"重点任务尚有{_count(f('tasks.total')) - _count(f('tasks.done'))}项未完成。")
    if not p3:
        p3.append("各项有量化目标的指标均已达到目标，重点任务均已完成。")

    p4 = [f"{year + 1}年，{name}将继续落实党政主要负责人推进法治建设第一责任人职责。"]
    p4 += [f"着力改进“{fig.label}”，确保达到目标。" for fig in lagging]
    if missing:
        p4.append("健全指标数据来源，按季度填报手工指标并附佐证。")
    if f("tasks.total") and f("tasks.done") != f("tasks.total"):
        p4.append("对未完成的重点任务逐项明确责任单位和完成时限，按季度报送进度。")
    return {"part1": "\n".join(p1), "part2": "\n".join(p2), "part3": "\n".join(p3), "part4": "\n".join(p4)}


def _count(text: str | None) -> int:
    return int("".join(ch for ch in (text or "0") if ch.isdigit()) or 0)


def annual_docx(
    region: Region,
    year: int,
    sections: dict[str, str],
    figures: dict[str, Figure],
    *,
    dated: dt.date,
    tasks: list[TaskRow] | None = None,
) -> bytes:
    """The report as a 公文 .docx, signed with ``dated`` (the date the user set, never silently today)."""
    doc = GongwenDocument(f"{region.name}{year}年法治政府建设年度报告")
    for key, heading in PARTS:
        doc.heading(1, heading.split("、", 1)[1])  # the document numbers its own headings 一、二、…
        for line in (sections.get(key) or "").splitlines():
            if line.strip():
                doc.paragraph(line.strip())
    if tasks:
        doc.paragraph(f"附件：重点任务推进情况（按{year}年报送）", indent=False)
        doc.table(
            ["序号", "工作任务", "完成进度", "报送期次"],
            [[t.number, t.title, f"{t.percent}%", t.period or "未报送"] for t in tasks],
        )
    doc.paragraph("附件：数据来源", indent=False)
    doc.paragraph("本报告所列数据均取自平台业务记录或附佐证的手工填报，口径如下。", indent=True)
    doc.table(
        ["数据项", "数值", "来源", "口径（查询）"],
        [[fig.label, fig.text, fig.source, fig.method] for fig in figures.values()],
    )
    doc.signature(region.name, dated)
    return doc.to_bytes()


# --- quarterly statistics workbook ------------------------------------------------------------------

DOMAINS = [
    ("矛盾纠纷", "disputes"),
    ("依法行政", "administration"),
    ("政务公开", "disclosure"),
    ("其他指标", "steering"),
]


def quarters(year: int) -> list[tuple[str, dt.date, dt.date]]:
    ends = [(3, 31), (6, 30), (9, 30), (12, 31)]
    return [
        (f"第{i + 1}季度", dt.date(year, 3 * i + 1, 1), dt.date(year, m, d)) for i, (m, d) in enumerate(ends)
    ]


def annual_document(user: Any, region: Region, year: int, dated: dt.date) -> tuple[bytes, str]:
    """The annual report as the user sees it (their saved edit, else the draft) and its file name: what the
    page's download and the background job give."""
    from .models import AnnualReport

    figures = annual_figures(user, region, year)
    saved = AnnualReport.objects.filter(region=region, year=year).first()
    sections = {k: getattr(saved, k) for k, _ in PARTS} if saved else draft(user, region, year, figures)
    content = annual_docx(region, year, sections, figures, dated=dated, tasks=task_rows(user, region, year))
    return content, f"{region.name}{year}年法治政府建设年度报告.docx"


def quarterly_xlsx(user: Any, region: Region, year: int) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    by_quarter = [(label, selectors.results(user, region, a, b)) for label, a, b in quarters(year)]
    whole = selectors.results(user, region, dt.date(year, 1, 1), dt.date(year, 12, 31))
    for title, app in DOMAINS:
        ws = wb.create_sheet(title)
        ws.append([f"{region.name}{year}年{title}统计（按季度）"])
        ws["A1"].font = bold
        ws.append(["指标", "单位", *[label for label, _ in by_quarter], "全年", "来源", "口径"])
        for cell in ws[2]:
            cell.font = bold
        for i, r in enumerate(whole):
            if r.indicator.app != app:
                continue
            values = [_cell(q[i]) for _, q in by_quarter]
            ws.append(
                [
                    r.indicator.name,
                    r.indicator.unit,
                    *values,
                    _cell(r),
                    str(Source(r.source).label),
                    r.indicator.method,
                ]
            )
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["H"].width = 60
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(r: Result) -> Any:
    return float(r.value) if r.value is not None else ("待填报" if r.source == Source.MANUAL else "无数据")


# --- 述法 material -------------------------------------------------------------------------------


def accountability_docx(user: Any, region: Region, year: int, leader: str, *, dated: dt.date) -> bytes:
    figures = annual_figures(user, region, year)
    f = lambda key: _f(figures, key)  # noqa: E731
    doc = GongwenDocument(f"{leader}{year}年度述法材料")
    doc.heading(1, "履行法治建设职责情况")
    tasks = selectors.tasks_of_year(user, region, year)
    duty = next((t for t in tasks if "第一责任人" in t.standards or "领导体制" in t.title), None)
    if duty is not None:
        reported = selectors.progress_as_reported([duty], year)[duty.pk]
        doc.paragraph(
            f"职责依据：{duty.plan.name}第{duty.number}项“{duty.title}”，"
            + (
                f"{reported.period_label}报送进度{reported.percent}%。"
                if reported
                else f"截至{year}年末尚未报送进度。"
            )
        )
        for line in duty.standards.splitlines()[:5]:
            doc.paragraph(f"工作标准：{line}")
    else:
        doc.paragraph("本年度推进计划中未列明第一责任人职责任务。")
    doc.heading(1, "主要行动")
    actions = [
        ("列席主任办公会", f("administration.meetings")),
        ("提出法律建议", f("administration.meeting_suggestions")),
        ("重大行政决策合法性审查率", f("administration.decision_review_rate")),
        ("行政规范性文件合法性审核率", f("administration.normative_review_rate")),
        ("审核合同", f("administration.contracts_reviewed")),
        ("依申请公开及时答复率", f("disclosure.on_time_rate")),
        ("受理矛盾纠纷", f("disputes.received")),
        ("调解成功率", f("disputes.success_rate")),
    ]
    for label, value in actions:
        if value:
            doc.paragraph(f"{label}：{value}。")
    doc.heading(1, "数据")
    doc.table(["数据项", "数值", "来源"], [[fig.label, fig.text, fig.source] for fig in figures.values()])
    doc.signature(leader, dated)
    return doc.to_bytes()
