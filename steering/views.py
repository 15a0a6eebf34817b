"""Pages of the indicator registry: the table for a region and period, one indicator, the records behind it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.clocks.engine import ClockState
from core.documents import as_attachment
from core.forms import field_errors
from core.indicators import IndicatorKind, Source
from core.models import Region
from core.permissions import allowed, authorize
from core.selectors import region_and_period

from . import selectors, services
from .models import ReportPeriod


class TargetForm(forms.Form):
    text = forms.CharField(label="目标", max_length=60, help_text="如：100、≥98%、不高于1%、低于全市平均值")
    reason = forms.CharField(label="依据或理由", max_length=200)


class EntryForm(forms.Form):
    value = forms.DecimalField(label="数值", max_digits=14, decimal_places=2, min_value=0)
    evidence = forms.CharField(label="佐证说明", widget=forms.Textarea(attrs={"rows": 2}))
    evidence_file = forms.FileField(label="佐证材料（可选）", required=False)


def _scope(request: HttpRequest) -> tuple[Region, Any, Any, dict[str, str]]:
    """Region and period from the query (a POST's form for a write); a bad parameter falls back to the top of
    the user's scope and this year to date, with its error returned for the page to show."""
    g = request.GET if request.method == "GET" else request.POST
    try:
        region, start, end = region_and_period(
            request.user, region=g.get("region"), year=g.get("year"), start=g.get("from"), end=g.get("to")
        )
        return region, start, end, {}
    except ValidationError as exc:
        errors = field_errors(exc)
        keep = None if "region" in errors else g.get("region")
        region, start, end = region_and_period(request.user, region=keep, year=None, start=None, end=None)
        return region, start, end, errors


def _rotation(raw: str | None) -> int:
    """The wall screen's seconds per panel when it rotates (5 to 600), or 0: all six panels at once."""
    try:
        seconds = int(raw or 0)
    except ValueError:
        return 0
    return min(max(seconds, 5), 600) if seconds > 0 else 0  # the panel follows the clock across reloads


def _regions(user: Any) -> Any:
    return Region.objects.visible_to(user).filter(level__in=("city", "district", "street")).order_by("path")


@login_required
def indicator_table(request: HttpRequest) -> HttpResponse:
    region, start, end, errors = _scope(request)
    rows = selectors.results(request.user, region, start, end)
    qs = selectors.query_string(region, start, end)
    return render(
        request,
        "steering/indicators.html",
        {
            "region": region,
            "start": start,
            "end": end,
            "errors": errors,
            "rows": rows,
            "qs": qs,
            "regions": _regions(request.user),
            "computed": sum(1 for r in rows if r.source == Source.COMPUTED),
            "manual": sum(1 for r in rows if r.source == Source.MANUAL),
            "not_met": sum(1 for r in rows if r.status == "not_met"),
            "kinds": dict(IndicatorKind.choices),
        },
        status=400 if errors else 200,
    )


def _may(request: HttpRequest, code: str, region: Region) -> bool:
    return allowed(request.user, code, region)


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    region, start, end, errors = _scope(request)
    result = selectors.result_of(request.user, code, region, start, end)
    return render(
        request,
        "steering/indicator.html",
        {
            "r": result,
            "ind": result.indicator,
            "region": region,
            "start": start,
            "end": end,
            "qs": selectors.query_string(region, start, end),
            "errors": errors,
            "targets": selectors.target_history(region, start.year, code),
            "entries": selectors.entry_history(region, code, start, end) if result.indicator.manual else [],
            "may_manage": _may(request, "indicators.manage", region),
            "target_form": TargetForm(),
            "entry_form": EntryForm(),
            "kinds": dict(IndicatorKind.choices),
        },
        status=400 if errors else 200,
    )


@login_required
def indicator_records(request: HttpRequest, code: str) -> HttpResponse:
    region, start, end, errors = _scope(request)
    result = selectors.result_of(request.user, code, region, start, end)
    part = request.GET.get("part", "records")
    qs = selectors.records_of(result, part)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    columns = result.indicator.columns
    rows = [
        (
            obj,
            obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            [fn(obj) for _, fn in columns],
        )
        for obj in page
    ]
    return render(
        request,
        "steering/records.html",
        {
            "r": result,
            "ind": result.indicator,
            "region": region,
            "start": start,
            "end": end,
            "part": part,
            "part_label": selectors.PARTS[part],
            "page": page,
            "rows": rows,
            "headings": [h for h, _ in columns],
            "qs": selectors.query_string(region, start, end, part=part),
            "detail_qs": selectors.query_string(region, start, end),
            "errors": errors,
        },
    )


def _post(
    request: HttpRequest, code: str, form_class: type[forms.Form], write: Any, done: str
) -> HttpResponse:
    """Validate a form posted from an indicator's page, run the service, report the outcome in Chinese."""
    authorize(request.user, "indicators.manage")
    region, start, end = region_and_period(
        request.user,
        region=request.POST.get("region"),
        year=None,
        start=request.POST.get("from"),
        end=request.POST.get("to"),
    )
    form = form_class(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        write(region=region, start=start, end=end, **form.cleaned_data)
    except ValidationError as exc:
        for name, message in field_errors(exc).items():
            field = form_class.base_fields.get(name)
            messages.error(request, f"{field.label if field else name}：{message}")
    else:
        messages.success(request, done)
    return HttpResponseRedirect(selectors.detail_url(code, region, start, end))


@login_required
@require_POST
def target_set(request: HttpRequest, code: str) -> HttpResponse:
    def write(*, region: Region, start: Any, end: Any, **data: Any) -> None:
        services.indicator_target_set(region=region, year=start.year, code=code, by=request.user, **data)

    return _post(request, code, TargetForm, write, "已设定年度目标，原目标保留在历史中。")


@login_required
@require_POST
def entry_record(request: HttpRequest, code: str) -> HttpResponse:
    def write(*, region: Region, start: Any, end: Any, **data: Any) -> None:
        services.indicator_entry_record(
            region=region, code=code, period_start=start, period_end=end, by=request.user, **data
        )

    return _post(request, code, EntryForm, write, "已填报，并记录了佐证。")


# --- key tasks -----------------------------------------------------------------------------------


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label="报送日期", widget=forms.DateInput(attrs={"type": "date"}))
    year = forms.IntegerField(
        label="所属年度", required=False, min_value=2000, max_value=2100, help_text="不填为报送日期所在年度"
    )
    period = forms.ChoiceField(
        label="报送期次",
        required=False,
        choices=[("", "报送日期所在季度"), *ReportPeriod.choices],
        help_text="年初报送上年第四季度或全年进度的，请选所属年度和期次",
    )
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    note = forms.CharField(label="进展说明", widget=forms.Textarea(attrs={"rows": 3}))
    evidence_file = forms.FileField(label="佐证材料", required=False)
    evidence_link = forms.CharField(
        label="平台内记录链接",
        required=False,
        max_length=300,
        help_text="如某件合法性审查、某次会议的页面地址",
    )


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    from core.models import Unit
    from core.scoping import active_memberships

    from .models import Plan

    today = timezone.localdate()
    tasks = list(selectors.tasks_visible(request.user).order_by("plan", "number"))
    own_units = {m.unit_id for m in active_memberships(request.user)}
    unit_id = request.GET.get("unit")
    mine = request.GET.get("mine") == "1"
    if unit_id:
        tasks = [t for t in tasks if any(str(u.pk) == unit_id for u in t.units.all())]
    elif mine:
        tasks = [t for t in tasks if any(u.pk in own_units for u in t.units.all())]
    rows = [(t, selectors.task_state(t, today)) for t in tasks]
    by_unit: dict[int, dict[str, Any]] = {}
    for t, state in rows:
        for u in t.units.all():
            entry = by_unit.setdefault(u.pk, {"unit": u, "tasks": 0, "overdue": 0, "progress": 0})
            entry["tasks"] += 1
            entry["overdue"] += state == "overdue"
            entry["progress"] += t.progress
    for entry in by_unit.values():
        entry["average"] = round(entry["progress"] / entry["tasks"])
    units = Unit.objects.filter(pk__in=list(by_unit)).order_by("name") if not unit_id else []
    return render(
        request,
        "steering/plans.html",
        {
            "plans": Plan.objects.visible_to(request.user).select_related("region"),
            "rows": rows,
            "by_unit": sorted(by_unit.values(), key=lambda e: (-e["overdue"], e["unit"].name)),
            "units": units,
            "unit_id": unit_id,
            "mine": mine,
            "states": dict(ClockState.choices),
        },
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    task = get_object_or_404(selectors.tasks_visible(request.user), pk=pk)
    if request.method == "POST":
        authorize(request.user, "steering.task.report", task)
    form = ProgressForm(
        request.POST or None, request.FILES or None, initial={"reported_on": timezone.localdate()}
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
            services.task_report(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = {
                str(ProgressForm.base_fields[k].label if k in ProgressForm.base_fields else k): v
                for k, v in field_errors(exc).items()
            }
        else:
            messages.success(request, "已报送进度。")
            return HttpResponseRedirect(task.get_absolute_url())
    state = selectors.task_state(task, timezone.localdate())
    return render(
        request,
        "steering/task.html",
        {
            "task": task,
            "state": state,
            "state_label": ClockState(state).label,
            "updates": task.updates.select_related("unit", "reported_by"),
            "form": form,
            "errors": errors,
            "may_report": services.may_report(request.user, task),
        },
        status=400 if errors else 200,
    )


# --- dashboard -----------------------------------------------------------------------------------


class MapForm(forms.Form):
    geojson = forms.FileField(label="GeoJSON 底图文件")
    name_property = forms.CharField(label="要素名称属性", max_length=40, initial="name")


def _rank_code(request: HttpRequest) -> str:
    from core import indicators

    code = request.GET.get("rank") or "disputes.success_rate"
    return code if indicators.get(code) else "disputes.success_rate"


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    from core import indicators

    from .dashboard import dashboard

    region, start, end, errors = _scope(request)
    rank_code = _rank_code(request)
    if request.method == "POST":
        authorize(request.user, "steering.map")
        form = MapForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                _, missing = services.region_map_upload(
                    region=region,
                    upload=form.cleaned_data["geojson"],
                    name_property=form.cleaned_data["name_property"],
                    by=request.user,
                )
            except ValidationError as exc:
                for name, message in field_errors(exc).items():
                    label = MapForm.base_fields[name].label if name in MapForm.base_fields else name
                    messages.error(request, f"{label}：{message}")
            else:
                note = f"；底图未绘出：{'、'.join(missing)}" if missing else ""
                messages.success(request, f"已上传底图{note}")
        else:
            messages.error(request, "GeoJSON 底图文件：请选择文件")
        return HttpResponseRedirect(request.get_full_path())
    data = dashboard(request.user, region, start, end, rank_code)
    return render(
        request,
        "steering/dashboard.html",
        {
            "data": data,
            "region": region,
            "start": start,
            "end": end,
            "errors": errors,
            "regions": _regions(request.user),
            "qs": selectors.query_string(region, start, end),
            "wall": request.GET.get("wall") == "1",
            "rotate": _rotation(request.GET.get("rotate")),
            "rankable": [i for i in indicators.all_indicators() if not i.manual and i.unit == "%"],
            "rank_code": rank_code,
            "may_manage": _may(request, "steering.map", region),
            "map_form": MapForm(),
        },
        status=400 if errors else 200,
    )


# --- reports -------------------------------------------------------------------------------------


def _year_scope(request: HttpRequest) -> tuple[Region, int]:
    """Region and year of a report (default and fallback: this year)."""
    region, start, _, _ = _scope(request)
    return region, start.year


def _dated(request: HttpRequest, year: int) -> tuple[Any, str, dict[str, str]]:
    """The report's document date (落款日期) from ``dated``, its default and why, and an error to show."""
    from .reports import default_document_date, document_date

    on = timezone.localdate()
    default, why = default_document_date(year, on)
    try:
        return document_date(request.GET.get("dated"), year, on), why, {}
    except ValidationError as exc:
        return default, why, {"落款日期": field_errors(exc)["dated"]}


@login_required
def annual_report(request: HttpRequest) -> HttpResponse:
    from .models import AnnualReport
    from .reports import PARTS, annual_figures, digest, draft, task_rows

    region, year = _year_scope(request)
    dated, dated_why, dated_errors = _dated(request, year)
    figures = annual_figures(request.user, region, year)
    current = digest(figures)
    errors: dict[str, str] = {}
    if request.method == "POST":
        authorize(request.user, "steering.report")
        try:
            if request.POST.get("action") == "regenerate":
                services.annual_report_discard(region=region, year=year, by=request.user)
                messages.success(request, "已按最新数据重新起草。")
            else:
                services.annual_report_save(
                    region=region,
                    year=year,
                    sections={k: request.POST.get(k, "") for k, _ in PARTS},
                    figures_digest=request.POST.get("digest", ""),
                    by=request.user,
                )
                messages.success(request, "已保存编辑稿；导出时使用编辑稿文字。")
        except ValidationError as exc:
            labels = dict(PARTS)
            errors = {labels.get(k, k): v for k, v in field_errors(exc).items()}
        if not errors:
            return HttpResponseRedirect(f"{request.path}?region={region.pk}&year={year}")
    saved = AnnualReport.objects.filter(region=region, year=year).first()
    sections = (
        {k: request.POST.get(k, "") for k, _ in PARTS}
        if errors
        else {k: getattr(saved, k) for k, _ in PARTS}
        if saved
        else draft(request.user, region, year, figures)
    )
    return render(
        request,
        "steering/annual_report.html",
        {
            "region": region,
            "year": year,
            "parts": [(k, label, sections[k]) for k, label in PARTS],
            "figures": figures.values(),
            "tasks": task_rows(request.user, region, year),
            "dated": dated,
            "dated_why": dated_why,
            "dated_errors": dated_errors,
            "saved": saved,
            "stale": saved is not None and saved.figures_digest != current,
            "digest": current,
            "errors": errors,
            "regions": _regions(request.user),
            "may_manage": _may(request, "steering.report", region),
        },
        status=400 if errors or dated_errors else 200,
    )


def _dated_refused(errors: dict[str, str]) -> HttpResponse:
    """A document date that cannot be (before the report's year, or long after it): 400, saying why."""
    return HttpResponse(
        "；".join(f"{k}：{v}" for k, v in errors.items()),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@login_required
def annual_report_docx(request: HttpRequest) -> HttpResponse:
    from .reports import annual_document

    region, year = _year_scope(request)
    dated, _, dated_errors = _dated(request, year)
    if dated_errors:
        return _dated_refused(dated_errors)
    content, filename = annual_document(request.user, region, year, dated)
    return as_attachment(content, filename)


@login_required
def quarterly_xlsx(request: HttpRequest) -> HttpResponse:
    from .reports import quarterly_xlsx as build

    region, year = _year_scope(request)
    return as_attachment(build(request.user, region, year), f"{region.name}{year}年法治建设季度统计.xlsx")


@login_required
def accountability_docx(request: HttpRequest) -> HttpResponse:
    from .reports import accountability_docx as build

    region, year = _year_scope(request)
    dated, _, dated_errors = _dated(request, year)
    if dated_errors:
        return _dated_refused(dated_errors)
    leader = (request.GET.get("leader") or f"{region.name}党政主要负责人").strip()[:40]
    return as_attachment(
        build(request.user, region, year, leader, dated=dated), f"{leader}{year}年度述法材料.docx"
    )
