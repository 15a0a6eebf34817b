"""Build an in-memory .xlsx upload with a 数据 sheet, as staff fill the downloaded templates, and upload it."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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


@dataclass
class Imported:
    """What a user sees after uploading on the import page: the job it became and the job page."""

    job: Any
    page: str

    @property
    def failed(self) -> bool:
        return bool(self.job.state == "failed")

    @property
    def succeeded(self) -> bool:
        return bool(self.job.state == "succeeded")


def post_import(client: Any, kind: str, upload: Any) -> Imported:
    """Upload on the import page as ``client``'s user: the page answers with a redirect to the job's page
    (tests run the job in the request: ImmediateBackend), whose content is returned with the job."""
    from core.models import Job

    r = client.post(f"/import/{kind}/", {"file": upload})
    assert r.status_code == 302 and r["Location"].startswith("/jobs/"), (r.status_code, r.content[:500])
    job = Job.objects.get(pk=int(r["Location"].split("/")[2]))
    page = client.get(r["Location"])
    assert page.status_code == 200
    return Imported(job, page.content.decode())
