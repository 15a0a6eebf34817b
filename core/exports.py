"""Spreadsheet export that streams: a list of any size into an .xlsx with bounded memory.

``write_xlsx`` reads the queryset with ``.iterator(chunk_size=...)`` (no result cache) and writes rows into
an openpyxl write-only workbook (each row goes to a temporary file as it is appended; nothing holds the
whole sheet). An app declares the export of one of its lists with ``register(Exporter(...))``: the
columns in Chinese, the rows the user sees with the list's filters, and how the list's query string
becomes those filters. The page's "导出Excel" button posts to ``core:export``, which queues a job
(core/jobs.py); the job page offers the file when it is ready.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

CHUNK = 2000
PROGRESS_EVERY = 1000  # rows between two progress reports
MAX_EXPORT_ROWS = 1_048_575  # one sheet of Excel, below its header row
WRAP = Alignment(wrap_text=True, vertical="top")


FORMATS = {
    # fmt -> the cell's Excel number format
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "percent": "0.0%",
    "wan": "#,##0.00",  # an amount in yuan, written in 万元
    "money": "#,##0.00",
    "int": "#,##0",
}


@dataclass(frozen=True)
class ExportColumn:
    """A column of a list (a ledger, core/ledger.py): shown on its page and written into its export."""

    header: str
    value: Callable[[Any], Any]  # the row object -> a cell value (str, number, date, datetime or None)
    width: int = 14
    fmt: str = ""  # one of FORMATS: how the cell is written (a date, a rate, an amount in 万元 …)
    key: str = ""  # the column's name in the list's ``cols`` parameter (default: its header)
    sort: str = ""  # the ORM ordering that sorts the list by this column ("" = not sortable)
    default: bool = True  # shown while the user has not chosen columns
    export: bool = True  # False for personal data: shown masked on the page, never exported
    link: bool = False  # the page's cell links to the row's own page

    @property
    def name(self) -> str:
        return self.key or self.header

    @property
    def sheet_header(self) -> str:
        return f"{self.header}（万元）" if self.fmt == "wan" and "万元" not in self.header else self.header


def choice_options(choices: Any) -> Callable[[Any], list[tuple[str, str]]]:
    """A ``ListFilter``'s options from a model's choices (the same for every user)."""
    return lambda user: [(str(v), str(label)) for v, label in choices]


@dataclass(frozen=True)
class ListFilter:
    """A filter of a ledger: a choice (``options(user)``) or free text, applied by ``apply(queryset, value)``."""

    name: str
    label: str
    apply: Callable[[QuerySet, str], QuerySet]
    options: Callable[[Any], list[tuple[str, str]]] | None = None  # None: a text box

    def clean(self, user: Any, raw: Any) -> str | None:
        value = (raw or "").strip()
        if not value:
            return None
        if self.options is not None and value not in {str(k) for k, _ in self.options(user)}:
            return None  # an unknown choice filters nothing (a stale link or a hand-made URL)
        return value[:100]


@dataclass
class Exporter:
    kind: str
    title: str
    columns: list[ExportColumn]
    rows: Callable[[Any, dict[str, Any]], QuerySet]  # (user, params) -> the rows the user sees, ordered
    clean: Callable[[Any, Any], dict[str, Any]] | None = None
    # clean(user, QueryDict of the list page) -> JSON-safe params for ``rows``; it drops what is invalid.
    # None: the declared ``filters`` clean the query.
    capability: str | None = None  # None: whoever may see the list may export it
    chunk_size: int = CHUNK
    list_url: str = ""  # the URL name of the list page, for the job page's link back
    filters: tuple[ListFilter, ...] = ()  # applied to ``rows`` by ``queryset`` (both page and export)
    bulk: tuple[str, ...] = ()  # workflow actions that may be taken on many rows at once (core/ledger.py)
    model: str = ""  # "app_label.Model" of the rows, for bulk actions
    row_url: Callable[[Any], str] | None = None  # a row's own page (default: its get_absolute_url)

    def filename(self, day: dt.date) -> str:
        return f"{self.title}导出-{day:%Y%m%d}.xlsx"

    def params_of(self, user: Any, query: Any) -> dict[str, Any]:
        """The list page's query string as JSON-safe params: its filters, chosen columns and sort."""
        params = dict(self.clean(user, query)) if self.clean is not None else {}
        for f in self.filters:
            value = f.clean(user, query.get(f.name) if query is not None else None)
            if value is not None:
                params[f.name] = value
        if query is not None:
            keys = {c.name for c in self.columns}
            cols = [c for c in query.getlist("cols") if c in keys] if hasattr(query, "getlist") else []
            if cols:
                params["_cols"] = cols
            sort = query.get("sort", "")
            if sort.lstrip("-") in {c.name for c in self.columns if c.sort}:
                params["_sort"] = sort
        return params

    def queryset(self, user: Any, params: dict[str, Any]) -> QuerySet:
        """The rows of the list as the page shows them and the export writes them: filtered, then sorted."""
        qs = self.rows(user, params)
        for f in self.filters:
            if params.get(f.name):
                qs = f.apply(qs, params[f.name])
        return self.sorted(qs, params)

    def sorted(self, qs: QuerySet, params: dict[str, Any]) -> QuerySet:
        """``qs`` in the order the user chose by a column's header (``_sort``), else as it came."""
        sort = params.get("_sort", "")
        if sort:
            col = next((c for c in self.columns if c.name == sort.lstrip("-") and c.sort), None)
            if col is None:  # a job queued before the column went away: as the list comes
                return qs
            desc = "-" if sort.startswith("-") else ""
            qs = qs.order_by(f"{desc}{col.sort}", f"{desc}pk")
        return qs

    def chosen(self, params: dict[str, Any]) -> list[ExportColumn]:
        """The columns the user chose (in the declared order), or the default ones."""
        keys = set(params.get("_cols") or ())
        if keys:
            return [c for c in self.columns if c.name in keys]
        return [c for c in self.columns if c.default]

    def sheet_columns(self, params: dict[str, Any]) -> list[ExportColumn]:
        """What the export writes: the chosen columns that may leave the platform (no personal data)."""
        return [c for c in self.chosen(params) if c.export]


EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    EXPORTERS[exporter.kind] = exporter
    return exporter


def cell_value(value: Any, fmt: str = "") -> Any:
    """A value openpyxl writes as the user expects: local times without a zone, Decimal as a number, an
    amount in 万元 for a ``wan`` column."""
    if fmt == "wan" and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return round(float(value) / 10000, 2)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def write_xlsx(
    target: str | Path | IO[bytes],
    title: str,
    columns: list[ExportColumn],
    rows: QuerySet | Iterable[Any],
    *,
    chunk_size: int = CHUNK,
    progress: Callable[[int, int, int], None] | None = None,
    total: int | None = None,
) -> int:
    """Write ``rows`` into a one-sheet workbook at ``target``, streaming; returns the number of rows.

    ``rows`` is a queryset (read with ``.iterator(chunk_size)``) or any iterable; ``progress(done, total, 0)``
    is called every PROGRESS_EVERY rows when the total is known (a queryset's count).
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31] or "数据")
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    # Printed on A4 landscape, the columns fitted to the page's width, the header repeated on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    bold = Font(bold=True)
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.sheet_header)
        cell.font = bold
        cell.alignment = WRAP
        header.append(cell)
    ws.append(header)
    formats = [FORMATS.get(col.fmt, "") for col in columns]
    if isinstance(rows, QuerySet):
        if total is None and progress is not None:
            total = rows.count()
        iterator: Iterable[Any] = rows.iterator(chunk_size=chunk_size)
    else:
        iterator = rows
    total = total or 0
    done = 0
    for obj in iterator:
        if done >= MAX_EXPORT_ROWS:
            raise ValueError(f"导出超过单个工作表的上限{MAX_EXPORT_ROWS}行")
        row: list[Any] = []
        for col, number_format in zip(columns, formats, strict=True):
            value = cell_value(col.value(obj), col.fmt)
            if number_format and value is not None and value != "":
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = number_format
                row.append(cell)
            else:
                row.append(value)
        ws.append(row)
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total, 0)
    if progress is not None:
        progress(done, max(total, done), 0)
    wb.save(target)
    return done
