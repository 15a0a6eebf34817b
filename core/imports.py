"""Spreadsheet and API import: templates, every row validated, all or nothing, idempotent.

An importer declares its columns and a row handler. The same handler serves the downloaded
template's spreadsheet (``run``, which a background job calls with progress) and the API
(``run_records``): what one refuses, the other refuses with the same words.

``run`` reads the workbook twice, streaming (openpyxl read-only, never the whole sheet in memory):

1. the package and the sheet are checked before any work (size, uncompressed size, the
   declared number of rows), then every row's cells (required, length) without writing;
2. every row is written inside one transaction, each in its own savepoint, collecting every
   error by row and column. If any row failed, the transaction is rolled back and
   ``ImportFailed`` lists them all, in Chinese; nothing is half-written.

A handler that finds its row's source reference already imported returns ``history.Existing``:
the row is counted as already there and nothing is written, so a retried import adds nothing.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from core import memo
from core.attachments import office_problem
from core.audit import chain
from core.db import rollback_point
from core.permissions import authorize

MAX_BYTES = 20 * 1024 * 1024  # the file as uploaded
MAX_PART_BYTES = 32 * 1024 * 1024  # any one part of the package, unpacked (a sheet, the shared strings)
MAX_ROWS = 20000
MAX_EMPTY_RUN = 1000  # this many empty rows in a row end the data (formatted but empty rows below it)
MAX_RECORDS_PER_CALL = 1000  # API: larger batches go through a spreadsheet job
BATCH = 200  # rows between two progress reports
# Rows read in pass 1 are kept for pass 2 when the file is small (a street's year): at most this many, with at
# most this much text (about 20 MB in all); a larger file is read again instead.
KEEP_ROWS, KEEP_CHARS = 5_000, 2_000_000
DEFAULT_MAX_CHARS = 2000  # a cell; shorter fields are held to their own length by the model checks

Progress = Callable[[int, int, int], None]  # rows done, rows in all, errors so far


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else ""
        where += f"“{self.column}”列" if self.column else ""
        return f"{where}：{self.message}" if where else self.message


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError], *, rows: int = 0) -> None:
        super().__init__("；".join(str(e) for e in errors[:5]))
        self.errors = errors
        self.rows = rows  # data rows read (0 when the file itself was refused)


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    example: str = ""
    help: str = ""
    max_chars: int = DEFAULT_MAX_CHARS


class RowInvalid(Exception):
    """Raised by a row handler: ``errors`` maps column key -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(str(errors))
        self.errors = errors


@dataclass
class ImportResult:
    rows: int
    created: int
    existing: int
    objects: list[Any] = field(default_factory=list, repr=False)

    def summary(self, title: str) -> str:
        text = f"{title}导入成功：共{self.rows}行，新增{self.created}条"
        if self.existing:
            text += f"，{self.existing}条此前已导入（按来源编号识别，未重复写入）"
        return text + "。"


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and hasattr(value, "hour"):  # a datetime cell
        return (
            value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
        )
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value).strip()


def _size_of(source: Any) -> int | None:
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    size = getattr(source, "size", None)
    if size is not None:
        return int(size)
    if hasattr(source, "seek") and hasattr(source, "tell"):
        here = source.tell()
        source.seek(0, os.SEEK_END)
        end = int(source.tell())
        source.seek(here)
        return end - here
    return None


def _file(source: Any) -> IO[bytes]:
    """A seekable binary file for ``source`` (a path, an upload, a file object or bytes)."""
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, str | os.PathLike):
        return open(source, "rb")
    if hasattr(source, "open") and hasattr(source, "chunks"):  # a Django File / FieldFile
        source.open("rb")
    source.seek(0)
    return source


def _too_large(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)}KB"


@dataclass
class Importer:
    kind: str
    title: str
    columns: list[Column]
    handle_row: Callable[[dict[str, str], Any], Any]
    notes: list[str] = field(default_factory=list)
    capability: str = "directory.manage"
    after_import: Callable[[], None] | None = None
    # Called inside the import's transaction once every row is written, with what the rows returned and the user
    # (e.g. the calendar recomputes the due dates its days change); an exception rolls the whole import back.
    finish: Callable[[list[Any], Any], None] | None = None
    group: str = "基础数据"  # the heading the import page lists it under
    description: str = ""  # one line on the import page: what a row is
    # The timeline and change-log entries of many rows written together (``chain.deferred``, flushed every
    # ``BATCH`` rows) instead of row by row: only for importers whose rows never read entries back.
    batch_audit: bool = False

    def filename(self) -> str:
        return f"{self.title}导入模板.xlsx"

    def template_bytes(self) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.title = "数据"
        bold = Font(bold=True)
        required_fill = PatternFill("solid", fgColor="FFF2CC")
        for i, col in enumerate(self.columns, start=1):
            cell = ws.cell(row=1, column=i, value=col.header)
            cell.font = bold
            if col.required:
                cell.fill = required_fill
            ws.column_dimensions[get_column_letter(i)].width = max(14, len(col.header) * 2 + 4)
        ws.freeze_panes = "A2"
        help_ws = wb.create_sheet("填写说明")
        help_ws.append(["列名", "是否必填", "说明", "示例", "字数上限"])
        for c in help_ws[1]:
            c.font = bold
        for col in self.columns:
            help_ws.append(
                [col.header, "必填" if col.required else "选填", col.help, col.example, col.max_chars]
            )
        help_ws.append([])
        help_ws.append(
            [
                "在“数据”表第2行起逐行填写（黄色表头为必填列）；表头不要改动。导入时先检查全部行，"
                f"任何一行有误则整批不导入，并列出每处错误的行和列。每次最多{MAX_ROWS}行。"
            ]
        )
        for note in self.notes:
            help_ws.append([note])
        for letter, width in zip("ABCDE", (18, 10, 50, 30, 10), strict=True):
            help_ws.column_dimensions[letter].width = width
        example = wb.create_sheet("示例")
        example.append([c.header for c in self.columns])
        example.append([c.example for c in self.columns])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    # --- reading -----------------------------------------------------------------------------

    def _check_package(self, fh: IO[bytes], size: int | None) -> None:
        if size is not None and size > MAX_BYTES:
            raise ImportFailed(
                [RowError(0, "", f"文件过大（{_too_large(size)}），上限为{MAX_BYTES // 1024 // 1024}MB")]
            )
        if problem := office_problem(fh, ".xlsx"):  # not any ZIP, and no zip bomb
            raise ImportFailed([RowError(0, "", f"导入文件{problem}，请使用下载的模板填写")])
        fh.seek(0)
        with zipfile.ZipFile(fh) as package:
            for member in package.infolist():
                if member.file_size > MAX_PART_BYTES:
                    raise ImportFailed(
                        [
                            RowError(
                                0,
                                "",
                                f"表格内容解压后过大（{_too_large(member.file_size)}，上限"
                                f"{MAX_PART_BYTES // 1024 // 1024}MB），可能含有超长单元格，请检查后分批导入",
                            )
                        ]
                    )
        fh.seek(0)

    def _rows(self, source: Any) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (row number, {column key: text}) for each non-empty data row, streaming.

        Raises ImportFailed for a file that is refused as a whole (size, package, headers, rows).
        """
        fh = _file(source)
        try:
            self._check_package(fh, _size_of(fh))
            try:
                wb = load_workbook(fh, read_only=True, data_only=True)
            except Exception:
                raise ImportFailed(
                    [RowError(0, "", "文件不是有效的 .xlsx 表格，请使用下载的模板填写")]
                ) from None
            try:
                ws = wb["数据"] if "数据" in wb.sheetnames else wb.worksheets[0]
                declared = ws.max_row or 0
                yield from self._sheet_rows(ws, declared)
            finally:
                wb.close()
        finally:
            if isinstance(source, str | os.PathLike):
                fh.close()

    def _sheet_rows(self, ws: Any, declared: int) -> Iterator[tuple[int, dict[str, str]]]:
        rows = ws.iter_rows(values_only=True)
        header = [cell_text(v)[:50] for v in next(rows, ())]
        index = {h: i for i, h in enumerate(header) if h}
        missing = [c.header for c in self.columns if c.header not in index]
        if missing:
            raise ImportFailed([RowError(1, h, "表头缺少此列，请使用下载的模板") for h in missing])
        count = empty_run = 0
        for number, values in enumerate(rows, start=2):
            record = {
                c.key: cell_text(values[index[c.header]]) if index[c.header] < len(values) else ""
                for c in self.columns
            }
            if not any(record.values()):
                empty_run += 1
                if empty_run >= MAX_EMPTY_RUN:
                    return  # formatted but empty rows below the data (declared: {declared})
                continue
            empty_run = 0
            count += 1
            if count > MAX_ROWS:
                raise ImportFailed(
                    [
                        RowError(
                            number, "", f"数据行数超过上限{MAX_ROWS}行，请分批导入（表格声明共{declared}行）"
                        )
                    ]
                )
            yield number, record

    def _cell_errors(self, number: int, record: dict[str, str]) -> list[RowError]:
        errors = []
        for c in self.columns:
            value = record[c.key]
            if c.required and not value:
                errors.append(RowError(number, c.header, "必填，不能为空"))
            elif len(value) > c.max_chars:
                errors.append(RowError(number, c.header, f"内容过长（{len(value)}字），上限{c.max_chars}字"))
        return errors

    def check(self, source: Any) -> tuple[int, list[RowError]]:
        """Pass 1, before any write: refuse the file as a whole, or return its number of data rows and
        the errors of its cells (required, length); the rows with such errors are not handed to the handler."""
        total, errors, _ = self._check(source)
        return total, errors

    def _check(self, source: Any) -> tuple[int, list[RowError], list[tuple[int, dict[str, str]]] | None]:
        """``check``, and the rows read, kept while they stay within ``KEEP_ROWS`` and ``KEEP_CHARS`` (else None:
        pass 2 reads the file again rather than hold a large one in memory)."""
        errors: list[RowError] = []
        total = chars = 0
        kept: list[tuple[int, dict[str, str]]] | None = []
        for number, record in self._rows(source):
            total += 1
            errors.extend(self._cell_errors(number, record))
            if kept is not None:
                chars += sum(len(v) for v in record.values())
                kept.append((number, record))
                if chars > KEEP_CHARS or len(kept) > KEEP_ROWS:
                    kept = None
        if not total:
            raise ImportFailed([RowError(2, "", "表中没有数据行")])
        return total, errors, kept

    # --- writing -----------------------------------------------------------------------------

    def run(self, source: Any, *, by: Any, progress: Progress | None = None) -> ImportResult:
        """Import a workbook: all rows or none. ``progress(done, total, errors)`` is called per batch."""
        authorize(by, self.capability)  # refused before the file is read
        total, errors, kept = self._check(source)
        if progress is not None:
            progress(0, total, len(errors))
        rows = iter(kept) if kept is not None else self._rows(source)
        return self._write(rows, total, by=by, progress=progress, errors=errors)

    def run_records(self, records: list[dict[str, Any]], *, by: Any) -> ImportResult:
        """Import records given as {column key: value} (the API): the same checks and handler as a sheet.

        Errors name the record as 第N条 (counting from 1) and the column by its template header.
        """
        authorize(by, self.capability)
        if not records:
            raise ImportFailed([RowError(0, "", "没有要导入的记录")])
        if len(records) > MAX_RECORDS_PER_CALL:
            raise ImportFailed(
                [RowError(0, "", f"每次最多{MAX_RECORDS_PER_CALL}条，更多请分批提交或使用电子表格导入")]
            )
        known = {c.key for c in self.columns}
        errors: list[RowError] = []
        rows: list[tuple[int, dict[str, str]]] = []
        for n, raw in enumerate(records, start=1):
            unknown = sorted(set(raw) - known)
            errors.extend(RowError(n, k[:40], "没有此字段") for k in unknown)
            record = {c.key: cell_text(raw.get(c.key)) for c in self.columns}
            errors.extend(self._cell_errors(n, record))
            rows.append((n, record))
        return self._write(iter(rows), len(rows), by=by, progress=None, errors=errors)

    def _write(
        self,
        rows: Iterator[tuple[int, dict[str, str]]],
        total: int,
        *,
        by: Any,
        progress: Progress | None,
        errors: list[RowError],
    ) -> ImportResult:
        """Pass 2: hand every row without a cell error to the handler, in one transaction; any error
        anywhere (of pass 1 or 2) rolls it all back and every error is listed, in row order."""
        from core.history import Existing

        headers = {c.key: c.header for c in self.columns}
        skip = {e.row for e in errors}
        errors = list(errors)
        written: list[Any] = []
        existing = done = 0
        audit_batch = chain.deferred() if self.batch_audit else contextlib.nullcontext()
        with (
            transaction.atomic(),
            memo.kept(),
            audit_batch,
        ):  # settings the rows consult, read once (core.memo)
            for number, record in rows:
                done += 1
                if number in skip:
                    continue
                try:
                    with rollback_point():  # the row's savepoint: its error is listed and the import goes on
                        result = self.handle_row(record, by)
                    if isinstance(result, Existing):
                        existing += 1
                    else:
                        written.append(result)
                except RowInvalid as exc:
                    errors.extend(RowError(number, headers.get(k, ""), m) for k, m in exc.errors.items())
                except PermissionDenied as exc:
                    errors.append(RowError(number, "", str(exc) or "没有权限"))
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for k, msgs in exc.message_dict.items():
                            errors.extend(RowError(number, headers.get(k, ""), m) for m in msgs)
                    else:
                        errors.extend(RowError(number, "", m) for m in exc.messages)
                if self.batch_audit and done % BATCH == 0:
                    chain.flush_deferred()
                if progress is not None and (done % BATCH == 0 or done == total):
                    progress(done, total, len(errors))
            if errors:
                transaction.set_rollback(True)
            elif self.finish is not None:
                self.finish(written, by)
        if errors:
            raise ImportFailed(sorted(errors, key=lambda e: e.row), rows=done)
        if self.after_import is not None:
            self.after_import()
        return ImportResult(rows=done, created=len(written), existing=existing, objects=written)


def error_report(errors: list[RowError]) -> bytes:
    """The errors as a workbook (行、列、原因), written streaming, for the user to fix the file by."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误清单")
    ws.append(["行号", "列", "原因"])
    for e in errors:
        ws.append([e.row or "", e.column, e.message])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    IMPORTERS[importer.kind] = importer
    return importer
