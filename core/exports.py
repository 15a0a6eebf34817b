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
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CHUNK = 2000
PROGRESS_EVERY = 1000  # rows between two progress reports
MAX_EXPORT_ROWS = 1_048_575  # one sheet of Excel, below its header row


@dataclass(frozen=True)
class ExportColumn:
    header: str
    value: Callable[[Any], Any]  # the row object -> a cell value (str, number, date, datetime or None)
    width: int = 14


@dataclass
class Exporter:
    kind: str
    title: str
    columns: list[ExportColumn]
    rows: Callable[[Any, dict[str, Any]], QuerySet]  # (user, params) -> the rows the user sees, ordered
    clean: Callable[[Any, Any], dict[str, Any]] = field(default=lambda user, query: {})
    # clean(user, QueryDict of the list page) -> JSON-safe params for ``rows``; it drops what is invalid
    capability: str | None = None  # None: whoever may see the list may export it
    chunk_size: int = CHUNK
    list_url: str = ""  # the URL name of the list page, for the job page's link back

    def filename(self, day: dt.date) -> str:
        return f"{self.title}导出-{day:%Y%m%d}.xlsx"


EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    EXPORTERS[exporter.kind] = exporter
    return exporter


def cell_value(value: Any) -> Any:
    """A value openpyxl writes as the user expects: local times without a zone, Decimal as a number."""
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
    bold = Font(bold=True)
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font = bold
        header.append(cell)
    ws.append(header)
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
        ws.append([cell_value(col.value(obj)) for col in columns])
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total, 0)
    if progress is not None:
        progress(done, max(total, done), 0)
    wb.save(target)
    return done
