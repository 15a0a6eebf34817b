"""Spreadsheet import: downloadable templates; every row validated; all or nothing.

An importer declares its columns. ``run`` reads the sheet, checks the headers, then validates
and writes every row inside one transaction, collecting every error by row and column; if
any row failed, the transaction is rolled back and ``ImportFailed`` lists them all (in Chinese).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from core.attachments import office_problem
from core.permissions import authorize

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f"“{self.column}”列" if self.column else "")
        return f"{where}：{self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("；".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    example: str = ""
    help: str = ""


class RowInvalid(Exception):
    """Raised by a row handler: ``errors`` maps column key -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(str(errors))
        self.errors = errors


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


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
        help_ws.append(["列名", "是否必填", "说明", "示例"])
        for c in help_ws[1]:
            c.font = bold
        for col in self.columns:
            help_ws.append([col.header, "必填" if col.required else "选填", col.help, col.example])
        help_ws.append([])
        help_ws.append(
            ["在“数据”表第2行起逐行填写；表头不要改动。导入时先检查全部行，任何一行有误则整批不导入。"]
        )
        for note in self.notes:
            help_ws.append([note])
        for letter, width in zip("ABCD", (18, 10, 50, 30), strict=True):
            help_ws.column_dimensions[letter].width = width
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def read(self, upload: Any) -> list[tuple[int, dict[str, str]]]:
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_BYTES:
            raise ImportFailed([RowError(0, "", f"文件过大（{size // 1024}KB），上限为5MB")])
        try:
            data = upload.read() if hasattr(upload, "read") else open(upload, "rb").read()  # noqa: SIM115
        except OSError:
            raise ImportFailed([RowError(0, "", "文件无法读取，请重新选择")]) from None
        if problem := office_problem(io.BytesIO(data), ".xlsx"):  # not any ZIP, and no zip bomb
            raise ImportFailed([RowError(0, "", f"导入文件{problem}，请使用下载的模板填写")])
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise ImportFailed([RowError(0, "", "文件不是有效的 .xlsx 表格，请使用下载的模板填写")]) from None
        ws = wb["数据"] if "数据" in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [cell_text(v) for v in next(rows, ())]
        index = {h: i for i, h in enumerate(header) if h}
        missing = [c.header for c in self.columns if c.header not in index]
        if missing:
            raise ImportFailed([RowError(1, h, "表头缺少此列，请使用下载的模板") for h in missing])
        out: list[tuple[int, dict[str, str]]] = []
        for number, values in enumerate(rows, start=2):
            record = {
                c.key: cell_text(values[index[c.header]]) if index[c.header] < len(values) else ""
                for c in self.columns
            }
            if not any(record.values()):
                continue
            out.append((number, record))
            if len(out) > MAX_ROWS:
                raise ImportFailed([RowError(number, "", f"行数超过上限{MAX_ROWS}，请分批导入")])
        if not out:
            raise ImportFailed([RowError(2, "", "表中没有数据行")])
        return out

    def run(self, upload: Any, *, by: Any) -> int:
        authorize(by, self.capability)  # refused before the file is read
        rows = self.read(upload)
        headers = {c.key: c.header for c in self.columns}
        errors: list[RowError] = []
        written: list[Any] = []
        with transaction.atomic():
            for number, record in rows:
                missing = [c for c in self.columns if c.required and not record[c.key]]
                if missing:
                    errors.extend(RowError(number, c.header, "必填，不能为空") for c in missing)
                    continue
                try:
                    with transaction.atomic():
                        written.append(self.handle_row(record, by))
                except RowInvalid as exc:
                    errors.extend(RowError(number, headers.get(k, ""), m) for k, m in exc.errors.items())
                except PermissionDenied as exc:
                    errors.append(RowError(number, "", str(exc) or "没有权限"))
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for k, msgs in exc.message_dict.items():
                            errors.extend(RowError(number, headers.get(k, k), m) for m in msgs)
                    else:
                        errors.extend(RowError(number, "", m) for m in exc.messages)
            if errors:
                transaction.set_rollback(True)
            elif self.finish is not None:
                self.finish(written, by)
        if errors:
            raise ImportFailed(errors)
        if self.after_import is not None:
            self.after_import()
        return len(rows)


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    IMPORTERS[importer.kind] = importer
    return importer
