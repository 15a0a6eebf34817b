"""Reports generated in the background: the annual report, the quarterly statistics and the weekly analysis are
queued from their pages (a form posted with CSRF), run as jobs and end in the same file the page's download gives."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from docx import Document

from core.models import Job, JobState

TODAY = dt.date(2026, 3, 16)


def _csrf_client(user) -> Client:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    return c


def _post_from_page(c: Client, page_url: str, action: str, data: dict[str, str]):
    page = c.get(page_url).content.decode()
    assert f'formaction="{action}"' in page or f'action="{action}"' in page, action
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return c.post(action, {**data, "csrfmiddlewaretoken": token})


def _result(c: Client, location: str) -> tuple[Job, bytes]:
    job = Job.objects.get(pk=int(location.split("/")[2]))
    page = c.get(location).content.decode()
    link = f"/files/core.job.result_file/{job.pk}/"
    assert job.state == JobState.SUCCEEDED and link in page, (job.state, job.summary)
    download: Any = c.get(link)
    return job, b"".join(download.streaming_content)


@pytest.fixture
def in_2026(frozen_today):
    frozen_today(TODAY)


def test_the_annual_report_is_generated_in_the_background_as_the_page_downloads_it(world, in_2026):
    c = _csrf_client(world.users["leader"])
    page = f"/reports/annual/?region={world.street.pk}&year=2025&dated=2026-01-20"
    data = {"region": str(world.street.pk), "year": "2025", "dated": "2026-01-20"}
    r = _post_from_page(c, page, "/jobs/report/annual/", data)
    assert r.status_code == 302 and r["Location"].startswith("/jobs/")
    job, content = _result(c, r["Location"])
    assert job.title == "示例街道2025年法治政府建设年度报告" and job.owner == world.users["leader"]
    doc = Document(io.BytesIO(content))
    assert [p.text for p in doc.paragraphs][-2:] == ["示例街道", "2026年1月20日"]
    direct = c.get(f"/reports/annual.docx?region={world.street.pk}&year=2025&dated=2026-01-20").content
    assert [p.text for p in Document(io.BytesIO(direct)).paragraphs] == [p.text for p in doc.paragraphs]
    # Without the page's token the post is refused; a date before the report's year is refused in Chinese.
    before = Job.objects.count()
    assert c.post("/jobs/report/annual/", data).status_code == 403  # no CSRF token
    bad = _post_from_page(c, page, "/jobs/report/annual/", {**data, "dated": "2024-12-31"})
    assert bad.status_code == 400 and "2025年1月1日" in bad.content.decode()
    assert Job.objects.count() == before
    # Another street's coordinator cannot see the job or its file.
    other = _csrf_client(world.users["other"])
    assert other.get(r["Location"]).status_code == 404
    assert other.get(f"/files/core.job.result_file/{job.pk}/").status_code == 404


def test_the_weekly_report_and_the_quarterly_statistics_too(world, in_2026):
    c = _csrf_client(world.users["justice"])
    r = _post_from_page(
        c,
        f"/disputes/weekly/?region={world.street.pk}&week=2026-W10",
        "/jobs/report/weekly/",
        {"region": str(world.street.pk), "week": "2026-W10"},
    )
    job, content = _result(c, r["Location"])
    assert "民情分析周报（2026-W10）" in job.title
    assert any("2026" in p.text for p in Document(io.BytesIO(content)).paragraphs)
    r = _post_from_page(
        c,
        f"/reports/annual/?region={world.street.pk}&year=2025",
        "/jobs/report/quarterly/",
        {"region": str(world.street.pk), "year": "2025"},
    )
    job, content = _result(c, r["Location"])
    assert content[:2] == b"PK" and job.result_file.name.endswith(".xlsx")
    bad = _post_from_page(
        c,
        f"/disputes/weekly/?region={world.street.pk}&week=2026-W10",
        "/jobs/report/weekly/",
        {"region": str(world.street.pk), "week": "2026-W99"},
    )
    assert bad.status_code == 400 and "不是有效的周" in bad.content.decode()
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', c.get("/disputes/weekly/").content.decode()
    )
    assert c.post("/jobs/report/nonsense/", {"csrfmiddlewaretoken": token.group(1)}).status_code == 404
