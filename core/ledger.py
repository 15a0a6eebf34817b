"""Ledgers (台账): one list mechanism for every kind of record.

A list page declares its ledger once, as the ``Exporter`` of its rows (core/exports.py): the columns (which
are shown by default, which sort, which hold personal data and never leave in an export), the filters, and the
workflow actions that may be taken on many rows at once. ``ledger_context`` then gives the page everything the
shared template ``core/_ledger.html`` draws: the filter form, the column chooser, the user's saved filters,
sortable headers, one page of rows with the pager, the bulk-action form, and the "导出Excel" button that
exports exactly the list as filtered, sorted and with the chosen columns.

``ledger_context(request, exporter)``; the views ``saved_filter_save``, ``saved_filter_delete`` and
``bulk_action`` below are the ledger's writes (each a row of the write matrix).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.exports import EXPORTERS, ExportColumn, Exporter
from core.pagination import page_of
from core.permissions import allowed
from core.workflow import Conflict, TransitionNotAllowed, transition, workflow_for

SAVED_MAX = 20  # saved filters per user and list
BULK_MAX = 100  # rows one bulk action takes at once (a page of the list at most)
LEDGER_KEYS = ("cols", "sort", "page")  # the ledger's own parameters, beside the list's filters


@dataclass
class Cell:
    column: ExportColumn
    text: str
    url: str = ""


def display(value: Any, fmt: str = "") -> str:
    """A cell's value as the page shows it: dates as 2026-03-05, amounts with separators (in 万元 for a ``wan``
    column, as its export writes them), nothing as blank."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if fmt == "wan" and isinstance(value, Decimal | float | int):
        return f"{float(value) / 10000:,.2f}"
    if isinstance(value, dt.datetime):
        return (
            f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
            if timezone.is_aware(value)
            else f"{value:%Y-%m-%d %H:%M}"
        )
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}"
    return str(value)


def bulk_actions(exporter: Exporter, user: Any) -> list[Any]:
    """The bulk actions of the list that the permission table lets the user take somewhere in their scope."""
    if not exporter.bulk or not exporter.model:
        return []
    wf = workflow_for(exporter.model)
    return [a for a in (wf.action(n) for n in exporter.bulk) if allowed(user, wf.permission_code(a))]


def ledger_context(
    request: HttpRequest, exporter: Exporter, *, queryset: Any = None, per_page: int = 30
) -> dict[str, Any]:
    """Everything ``core/_ledger_*.html`` draw for ``exporter``'s list as ``request`` asks for it; a page that
    filters its rows itself (a statistic's drill-down) passes them as ``queryset``, and they are only sorted."""
    from core.models import SavedFilter
    from core.templatetags.fazhi import action_fields

    user: Any = request.user
    params = exporter.params_of(user, request.GET)
    columns = exporter.chosen(params)
    rows_qs = exporter.queryset(user, params) if queryset is None else exporter.sorted(queryset, params)
    page = page_of(request, rows_qs, per_page)
    rows = []
    for obj in page:
        if exporter.row_url is not None:
            url = exporter.row_url(obj)
        else:
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        rows.append((obj, [Cell(c, display(c.value(obj), c.fmt), url if c.link else "") for c in columns]))
    sort = params.get("_sort", "")
    query = request.GET.copy()
    for key in ("page", "sort"):
        query.pop(key, None)
    headers = []
    for c in columns:
        if not c.sort:
            headers.append((c, "", ""))
            continue
        nxt = f"-{c.name}" if sort == c.name else c.name
        mark = "↑" if sort == c.name else "↓" if sort == f"-{c.name}" else ""
        q = query.copy()
        q["sort"] = nxt
        headers.append((c, f"?{q.urlencode()}", mark))
    filter_query = request.GET.copy()
    filter_query.pop("page", None)
    bulk = [(a, action_fields(a, None, user)) for a in bulk_actions(exporter, user)]
    return {
        "ledger": exporter,
        "columns": columns,
        "all_columns": [(c, c in columns) for c in exporter.columns],
        "headers": headers,
        "rows": rows,
        "page": page,
        "params": params,
        "sort": sort,
        "filters": [
            (f, f.options(user) if f.options else None, params.get(f.name, "")) for f in exporter.filters
        ],
        "query": filter_query.urlencode(),
        "saved": SavedFilter.objects.filter(user_id=user.pk, kind=exporter.kind),
        "bulk": bulk,
        "next_url": request.get_full_path(),
    }


def _exporter(kind: str) -> Exporter:
    exporter = EXPORTERS.get(kind)
    if exporter is None or not exporter.list_url:
        raise Http404
    return exporter


def _back(exporter: Exporter, query: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(exporter.list_url) + (f"?{query}" if query else ""))


def _clean_query(exporter: Exporter, user: Any, raw: str) -> str:
    """Only the list's own parameters, validated: a saved filter never stores anything else."""
    params = exporter.params_of(user, QueryDict(raw))
    pairs: list[tuple[str, str]] = []
    original = QueryDict(raw)
    for key, values in original.lists():
        if key == "page":
            continue
        if key == "cols":
            pairs += [("cols", v) for v in params.get("_cols", [])]
        elif key == "sort":
            if params.get("_sort"):
                pairs.append(("sort", params["_sort"]))
        else:
            pairs += [(key, v) for v in values if v]
    return urlencode(pairs)[:2000]


@login_required
@require_POST
def saved_filter_save(request: HttpRequest, kind: str) -> HttpResponse:
    """Save the list's current filters, columns and sort under a name (the same name replaces the old one)."""
    from core.models import SavedFilter

    exporter = _exporter(kind)
    query = _clean_query(exporter, request.user, request.POST.get("query", ""))
    name = request.POST.get("name", "").strip()
    if not name:
        messages.error(request, "常用筛选的名称：请填写名称，例如“本月高风险”。")
        return _back(exporter, query)
    if len(name) > 40:
        messages.error(request, f"常用筛选的名称：最多40个字，现为{len(name)}个字。")
        return _back(exporter, query)
    user: Any = request.user
    mine = SavedFilter.objects.filter(user_id=user.pk, kind=kind)
    if not mine.filter(name=name).exists() and mine.count() >= SAVED_MAX:
        messages.error(request, f"常用筛选：每个列表最多保存{SAVED_MAX}个，请先删除不再使用的。")
        return _back(exporter, query)
    SavedFilter.objects.update_or_create(user=user, kind=kind, name=name, defaults={"query": query})
    messages.success(request, f"已保存常用筛选“{name}”。")
    return _back(exporter, query)


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    from core.models import SavedFilter

    try:
        user: Any = request.user
        saved = SavedFilter.objects.get(pk=pk, user_id=user.pk)  # another user's: 404
    except SavedFilter.DoesNotExist:
        raise Http404 from None
    exporter = _exporter(saved.kind)
    saved.delete()
    messages.success(request, f"已删除常用筛选“{saved.name}”。")
    return _back(exporter, "")


@login_required
@require_POST
def bulk_action(request: HttpRequest, kind: str) -> HttpResponse:
    """Take one workflow action on the rows ticked in a list: each row on its own, through ``transition`` (the
    same checks as on its page); the rows it could not take are named with the reason, the others are done."""
    exporter = _exporter(kind)
    back = request.POST.get("next", "")
    if not back.startswith(reverse(exporter.list_url)):
        back = reverse(exporter.list_url)
    name = request.POST.get("action", "")
    if name not in exporter.bulk:
        raise Http404
    wf = workflow_for(exporter.model)
    act = wf.action(name)
    if not allowed(request.user, wf.permission_code(act)):
        raise PermissionDenied(f"您没有“{act.label}”的权限")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isascii() and i.isdecimal() and len(i) < 16]
    if not ids:
        messages.error(request, f"批量{act.label}：请先勾选要办理的事项。")
        return HttpResponseRedirect(back)
    if len(ids) > BULK_MAX:
        messages.error(request, f"批量{act.label}：一次最多{BULK_MAX}件，已勾选{len(ids)}件。")
        return HttpResponseRedirect(back)
    model = apps.get_model(exporter.model)
    cases = model.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk")
    done: list[str] = []
    refused: list[str] = []
    found = 0
    for case in cases:
        found += 1
        label = getattr(case, "number", "") or str(case)
        try:
            transition(case, name, by=request.user, data=request.POST)
        except ValidationError as exc:
            refused.append(f"{label}（{'；'.join(_messages(exc, act))}）")
        except (TransitionNotAllowed, Conflict, PermissionDenied) as exc:
            refused.append(f"{label}（{exc}）")
        else:
            done.append(label)
    missing = len(set(ids)) - found
    if done:
        messages.success(request, f"已批量{act.label}{len(done)}件：{'、'.join(done)}。")
    if refused or missing:
        text = f"未能{act.label}{len(refused) + missing}件"
        if refused:
            text += "：" + "；".join(refused)
        if missing:
            text += f"；另有{missing}件不在您的范围内或已不存在"
        messages.error(request, text + "。")
    return HttpResponseRedirect(back)


def _messages(exc: ValidationError, act: Any) -> list[str]:
    if hasattr(exc, "error_dict"):
        labels = {f.name: f.label for f in act.fields}
        return [f"{labels.get(k, k)}：{'，'.join(v)}" for k, v in exc.message_dict.items()]
    return list(exc.messages)


def masked_names(names: list[str]) -> str:
    """Parties' names as a list shows them: the family name and stars (张**), never the whole name."""
    from core.personal import mask_generic

    return "、".join(mask_generic(n) for n in names if n)


def with_next_due(qs: Any) -> Any:
    """``qs`` with ``next_due``: the earliest due date of each row's open time limits (core clocks), for the
    ledger's 下一期限 and 逾期天数 columns and their sort, in the list's own query."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import OuterRef, Subquery

    from core.models import Clock

    open_clocks = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(qs.model),
        object_id=OuterRef("pk"),
        met_on__isnull=True,
    ).order_by("due_on")
    return qs.annotate(next_due=Subquery(open_clocks.values("due_on")[:1]))


def days_overdue(obj: Any) -> int | None:
    """Days since the row's next due date passed (calendar days), or nothing while it is not overdue."""
    from core.clocks.services import today

    due = getattr(obj, "next_due", None)
    if due is None:
        return None
    days = (today() - due).days
    return days if days > 0 else None


def due_columns() -> list[ExportColumn]:
    """The two columns of a timed list: the next due date and the days overdue (with ``with_next_due``)."""
    return [
        ExportColumn(
            "下一期限", lambda o: getattr(o, "next_due", None), 12, "date", key="due", sort="next_due"
        ),
        ExportColumn("逾期天数", days_overdue, 10, "int", key="overdue"),
    ]
