"""Build an in-memory .xlsx upload with a 数据 sheet, as staff fill the downloaded templates."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook


def xlsx_upload(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], name: str = "upload.xlsx"
) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = name
    return buf
