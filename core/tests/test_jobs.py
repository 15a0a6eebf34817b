"""Background jobs in the request (ImmediateBackend, as the test settings run tasks): what a user sees of an
import, an export and the nightly work, and who may see a job. The real worker process is tested in
test_jobs_worker.py, the pages in Chromium in test_jobs_browser.py."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from core import jobs
from core.models import Job, JobState, Person
from core.tests.sheets import post_import, xlsx_upload
from core.tests.test_imports import PEOPLE_HEADERS
from disputes.models import Dispute
from disputes.tests.test_import_admin import GOOD, HEADERS


def person(name: str, region: str = "990100001001", **cells: str) -> list[str]:
    row = dict.fromkeys(PEOPLE_HEADERS, "") | {"姓名": name, "名册类别": "人民调解员", "所属区划代码": region}
    return [(cells.get(h) or row[h]) for h in PEOPLE_HEADERS]


def dispute_row(ref: str, **changes: str) -> list[str]:
    row = dict(zip(HEADERS, GOOD, strict=True)) | {"来源编号": ref} | changes
    return [row[h] for h in HEADERS]


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_import_becomes_a_job_with_its_owner_progress_and_result(world, client):
    client.force_login(world.users["justice"])
    done = post_import(
        client, "people", xlsx_upload(PEOPLE_HEADERS, [person(f"导入{i}（示例）") for i in range(450)])
    )
    job = done.job
    assert job.state == JobState.SUCCEEDED and job.kind == "import" and job.subject == "people"
    assert job.owner == world.users["justice"] and job.region == world.street  # stands in the owner's street
    assert (job.done, job.total, job.error_count) == (450, 450, 0)
    assert "人员名册导入成功：共450行，新增450条" in done.page
    assert "justice（示例）" in done.page and "t-justice" not in done.page  # the owner's name, not the login
    assert 'value="100"' in done.page and "hx-trigger" not in done.page  # a finished job is not polled
    assert Person.objects.filter(name__startswith="导入").count() == 450
    # The engine reported its batches to the progress file while the rows were written.
    progress = json.loads(jobs.progress_path(job).read_text(encoding="utf-8"))
    assert progress["done"] == 450 and progress["total"] == 450 and progress["phase"] == "writing"
    # Listed under 后台任务 and on the import page, linked from the navigation.
    listing = client.get("/jobs/").content.decode()
    assert "人员名册导入" in listing and job.get_absolute_url() in listing
    assert 'href="/jobs/"' in client.get("/").content.decode()
    assert job.get_absolute_url() in client.get("/import/").content.decode()


def test_a_retried_import_adds_nothing(world, client):
    """Disputes carry their source reference (来源编号): the second run finds every row already imported."""
    client.force_login(world.users["justice"])
    rows = [dispute_row(f"W-{i}") for i in range(1, 4)]
    first = post_import(client, "disputes", xlsx_upload(HEADERS, rows))
    assert first.succeeded and Dispute.objects.count() == 3
    again = post_import(client, "disputes", xlsx_upload(HEADERS, rows))
    assert again.succeeded and Dispute.objects.count() == 3
    assert "共3行，新增0条，3条此前已导入（按来源编号识别，未重复写入）" in again.page


def test_a_mixed_file_writes_nothing_lists_every_error_and_the_report_downloads(world, client):
    client.force_login(world.users["justice"])
    rows = [person(f"好{i}（示例）") for i in range(300)]
    bad = {
        5: person("", 名册类别="人民调解员"),  # name missing
        120: person("坏号（示例）", 身份证号="110105194912310021"),
        250: person("越界（示例）", region="990100002001"),
        299: person("错类（示例）", 名册类别="跳舞者"),
    }
    for i, bad_row in bad.items():
        rows[i] = bad_row
    before = Person.objects.count()
    done = post_import(client, "people", xlsx_upload(PEOPLE_HEADERS, rows))
    assert done.failed and Person.objects.count() == before
    assert done.job.error_count == 4 and done.job.done == 300
    assert "发现4处错误，未导入任何数据" in done.page
    expected = [(7, "姓名"), (122, "身份证号"), (252, "所属区划代码"), (301, "名册类别")]
    for row, column in expected:
        assert f"<td>第{row}行</td><td>{column}</td>" in done.page
    link = f"/files/core.job.error_file/{done.job.pk}/"
    assert link in done.page
    r = client.get(link)
    assert (
        r.status_code == 200 and "%E9%94%99%E8%AF%AF%E6%B8%85%E5%8D%95.xlsx" in r["Content-Disposition"]
    )  # 错误清单.xlsx
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content)))["错误清单"]
    listed = [(row, column) for row, column, _ in sheet.iter_rows(min_row=2, values_only=True)]
    assert listed == expected


def test_every_error_is_listed_or_counted_never_silently_capped(world, client):
    client.force_login(world.users["justice"])
    rows = [person("", 备注="缺姓名") for _ in range(260)]
    done = post_import(client, "people", xlsx_upload(PEOPLE_HEADERS, rows))
    assert done.job.error_count == 260 and len(done.job.errors) == jobs.ERRORS_KEPT
    assert "共 260 处，此处列出前 200 处，其余 60 处见错误清单文件" in done.page
    report = client.get(f"/files/core.job.error_file/{done.job.pk}/")
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content)))["错误清单"]
    assert sheet.max_row == 261  # the header and all 260


def test_a_file_of_a_million_formatted_empty_rows_ends_with_no_data(world, client, tmp_path):
    client.force_login(world.users["justice"])
    path = empty_rows_workbook(tmp_path / "empty.xlsx", PEOPLE_HEADERS, 1_000_000)
    assert path.stat().st_size < 512 * 1024  # small compressed
    with path.open("rb") as fh:
        done = post_import(client, "people", fh)
    assert done.failed and "表中没有数据行" in done.page and done.job.error_count == 1


def test_a_file_too_large_is_refused_before_it_is_stored(world, client, settings):
    from core import imports

    client.force_login(world.users["justice"])
    big = io.BytesIO(b"0" * (imports.MAX_BYTES + 1))
    big.name = "big.xlsx"
    r = client.post("/import/people/", {"file": big})
    assert r.status_code == 400 and "文件过大（20.0MB），上限为20MB" in r.content.decode()
    assert not Job.objects.exists()


def test_jobs_are_seen_by_their_owner_and_their_scope_only(world, client):
    """Another street's coordinator gets 404 on the job, its progress and its files; the street's auditor sees
    it read-only; the uploaded workbook (personal data) goes to its owner alone."""
    client.force_login(world.users["justice"])
    job = post_import(client, "people", xlsx_upload(PEOPLE_HEADERS, [person("", 备注="x")])).job
    urls = [
        f"/jobs/{job.pk}/",
        f"/jobs/{job.pk}/progress/",
        f"/files/core.job.error_file/{job.pk}/",
        f"/files/core.job.input_file/{job.pk}/",
    ]
    assert client.get(urls[3]).status_code == 200  # the owner fetches their upload back

    client.force_login(world.users["other"])  # 示例二街道's coordinator
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert job.get_absolute_url() not in client.get("/jobs/").content.decode()

    client.force_login(world.users["mediator_a"])  # a community below: not the street's jobs
    assert client.get(urls[0]).status_code == 404

    client.force_login(world.users["auditor"])  # the street's auditor: reads, never writes
    page = client.get(urls[0]).content.decode()
    assert "人员名册导入" in page and "justice（示例）" in page
    content = page.split("<main>", 1)[1]
    assert "<form" not in content and "<button" not in content  # nothing to do on a job page
    assert job.get_absolute_url() in client.get("/jobs/").content.decode()
    assert client.get(urls[2]).status_code == 200  # the error report
    assert client.get(urls[3]).status_code == 404  # not the upload
    assert client.post(urls[0]).status_code == 405  # job pages take no writes

    client.force_login(world.users["district"])  # the district above sees its streets' jobs
    assert client.get(urls[0]).status_code == 200


def test_a_refused_role_queues_nothing(world, client):
    client.force_login(world.users["mediator_a"])
    r = client.post("/import/people/", {"file": xlsx_upload(PEOPLE_HEADERS, [person("某（示例）")])})
    assert r.status_code == 403 and not Job.objects.exists()


def test_disputes_export_streams_what_the_user_sees_with_the_filters(world, client):
    client.force_login(world.users["justice"])
    rows = [dispute_row(f"E-{i}", 纠纷类型="邻里" if i % 2 else "物业") for i in range(1, 8)]
    rows.append(dispute_row("E-other", 居村区划代码="990100001002"))
    assert post_import(client, "disputes", xlsx_upload(HEADERS, rows)).succeeded
    queue = client.get("/disputes/?dispute_type=neighbour").content.decode()
    assert "导出Excel" in queue and "/jobs/export/disputes/?" in queue
    r = client.post("/jobs/export/disputes/?dispute_type=neighbour&bogus=1&date_from=not-a-date")
    assert r.status_code == 302
    job = Job.objects.get(pk=int(r["Location"].split("/")[2]))
    assert job.state == JobState.SUCCEEDED and job.params == {"dispute_type": "neighbour"}
    expected = Dispute.objects.filter(dispute_type__code="neighbour").count()
    page = client.get(r["Location"]).content.decode()
    assert f"矛盾纠纷导出完成：共{expected}条" in page
    link = f"/files/core.job.result_file/{job.pk}/"
    assert link in page
    got = client.get(link)
    wb = load_workbook(io.BytesIO(b"".join(got.streaming_content)), read_only=True)
    data = list(wb.worksheets[0].iter_rows(values_only=True))
    assert data[0][:3] == ("案件编号", "受理时间", "纠纷类型")  # the columns the list shows by default
    assert len(data) == expected + 1
    text = json.dumps([list(map(str, row)) for row in data], ensure_ascii=False)
    assert "张某" not in text and "13900000201" not in text and "漏水" not in text  # no personal data
    # The other street's coordinator sees the disputes of their own street only, so an empty export.
    client.force_login(world.users["other"])
    r = client.post("/jobs/export/disputes/")
    assert "矛盾纠纷导出完成：共0条" in client.get(r["Location"]).content.decode()


def test_the_nightly_work_is_queued_once_a_day_after_its_hour(world, settings):
    import datetime as dt

    from django.utils import timezone

    settings.FAZHI_NIGHTLY_HOUR = 2
    tz = timezone.get_current_timezone()
    assert jobs.nightly_due(dt.datetime(2026, 11, 23, 1, 30, tzinfo=tz)) == []
    created = jobs.nightly_due(dt.datetime(2026, 11, 23, 2, 5, tzinfo=tz))
    assert {j.subject for j in created} == {"anchor_audit", "prune_jobs", "certificate_reminders"}
    assert all(j.state == JobState.SUCCEEDED for j in created), [j.summary for j in created]
    anchor = next(j for j in created if j.subject == "anchor_audit")
    assert "已锚定" in anchor.summary
    assert jobs.nightly_due(dt.datetime(2026, 11, 23, 23, 0, tzinfo=tz)) == []  # once a day
    assert len(jobs.nightly_due(dt.datetime(2026, 11, 24, 3, 0, tzinfo=tz))) == 3


def test_a_running_job_whose_heartbeat_stopped_shows_as_interrupted(world, client, settings):
    client.force_login(world.users["justice"])
    job = Job.objects.create(
        kind="import",
        subject="people",
        title="人员名册导入",
        owner=world.users["justice"],
        region=world.street,
    )
    job.state = JobState.RUNNING
    job.save()
    reporter = jobs.Reporter(job)
    reporter(400, 1000, 0)
    page = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "已处理 <b>400</b> / 1000 行（40%）" in page and "hx-trigger" in page
    settings.FAZHI_JOB_STALE_SECONDS = 60
    data = json.loads(jobs.progress_path(job).read_text(encoding="utf-8"))
    data["at"] -= 61  # the worker wrote its last heartbeat a minute ago
    jobs.progress_path(job).write_text(json.dumps(data), encoding="utf-8")
    page = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "已中断" in page and "已整体撤销，未写入任何数据" in page and "hx-trigger" not in page
    assert jobs.sweep_interrupted() == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and (job.done, job.total) == (400, 1000)


def test_a_queued_job_says_when_no_worker_runs(world, client, settings):
    client.force_login(world.users["justice"])
    job = Job.objects.create(
        kind="export",
        subject="disputes",
        title="矛盾纠纷导出",
        owner=world.users["justice"],
        region=world.street,
    )
    assert "后台任务进程目前没有运行" in client.get(f"/jobs/{job.pk}/").content.decode()
    jobs.worker_beat("test-worker")
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "等待后台任务进程处理" in page and "hx-trigger" in page


def test_import_sheet_shows_progress_in_the_terminal(world, tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx_upload(PEOPLE_HEADERS, [person(f"终端{i}（示例）") for i in range(450)]).getvalue())
    out = io.StringIO()
    call_command("import_sheet", "people", str(path), "--as", "t-justice", stdout=out)
    text = out.getvalue()
    assert "表格检查完毕：共450行；开始写入" in text
    assert "已处理 200/450 行（44%）" in text and "已处理 450/450 行（100%）" in text
    assert "人员名册导入成功：共450行，新增450条" in text


# --- files built by hand: what a spreadsheet program would not write --------------------------------------

NS = "http://schemas.openxmlformats.org"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHEET_OPEN = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}/spreadsheetml/2006/main">'


def _package(path, sheet: Iterable[bytes], shared: Iterable[bytes] | None = None):
    """A minimal .xlsx (content types, workbook, styles, one sheet named 数据, optional shared strings) whose
    sheet and shared strings are written from chunks, so a test never holds a huge part in memory."""
    import zipfile

    shared_type = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
    shared_rel = f'<Relationship Id="rId3" Type="{NS}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{NS}/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>'
            + (shared_type if shared is not None else "")
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}/spreadsheetml/2006/main" '
            f'xmlns:r="{NS}/officeDocument/2006/relationships">'
            '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{NS}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            + (shared_rel if shared is not None else "")
            + "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}/spreadsheetml/2006/main">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="solid"><fgColor rgb="FFFFFF00"/></patternFill></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf/><xf fillId="1" applyFill="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        for name, chunks in (("xl/sharedStrings.xml", shared), ("xl/worksheets/sheet1.xml", sheet)):
            if chunks is None:
                continue
            with z.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return path


def _header_row(headers: list[str]) -> str:
    from openpyxl.utils import get_column_letter

    cells = "".join(
        f'<c r="{get_column_letter(i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(headers, 1)
    )
    return f'<row r="1">{cells}</row>'


def _repeat(text: bytes, times: int, per_chunk: int = 65536) -> Iterator[bytes]:
    block = text * per_chunk
    for _ in range(times // per_chunk):
        yield block
    yield text * (times % per_chunk)


def empty_rows_workbook(path, headers: list[str], rows: int):
    """A header row, then ``rows`` empty rows that carry a fill (as a whole formatted column would)."""
    head = f'{SHEET_OPEN}<dimension ref="A1:J{rows + 1}"/><sheetData>{_header_row(headers)}'.encode()
    return _package(
        path, [head, *_repeat(b'<row s="1" customFormat="1"/>', rows), b"</sheetData></worksheet>"]
    )


def huge_cell_workbook(path, headers: list[str], chars: int):
    """One data row whose 姓名 cell is a shared string of ``chars`` characters (compresses to almost nothing)."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>'
    ).encode()
    sheet = (
        f'{SHEET_OPEN}<dimension ref="A1:J2"/><sheetData>{_header_row(headers)}'
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>人民调解员</t></is></c>'
        '<c r="C2" t="inlineStr"><is><t>990100001001</t></is></c></row></sheetData></worksheet>'
    ).encode()
    return _package(path, [sheet], [head, *_repeat(b"A", chars, 1 << 20), b"</t></si></sst>"])


def zip_bomb_workbook(path, headers: list[str], megabytes: int):
    """A sheet that unpacks to ``megabytes`` MB (of whitespace between its rows) and packs to a few hundred KB."""
    head = f"{SHEET_OPEN}<sheetData>{_header_row(headers)}".encode()
    return _package(path, [head, *_repeat(b" ", megabytes << 20, 1 << 20), b"</sheetData></worksheet>"])


def test_jobs_by_api_follow_the_same_scope(world, client):
    client.force_login(world.users["justice"])
    job = post_import(client, "people", xlsx_upload(PEOPLE_HEADERS, [person("", 备注="x")])).job
    listed = client.get("/api/v1/jobs").json()
    assert listed["count"] == 1
    item = client.get(f"/api/v1/jobs/{job.pk}").json()
    assert item["state"] == "failed" and item["owner"] == "justice（示例）" and item["error_count"] == 1
    assert item["errors"] == [[2, "姓名", "必填，不能为空"]]
    assert item["error_report_url"] == f"/files/core.job.error_file/{job.pk}/" and item["result_url"] is None
    client.force_login(world.users["other"])
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 404
    assert client.get("/api/v1/jobs").json()["count"] == 0


def test_the_job_list_keeps_its_number_of_queries(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["justice"])

    def make(n: int) -> None:
        for i in range(n):
            Job.objects.create(
                kind="export",
                subject="disputes",
                title=f"导出{i}",
                owner=world.users["justice"],
                region=world.street,
            )

    make(1)
    client.get("/jobs/")  # warm the session and the user's memberships
    with CaptureQueriesContext(connection) as one:
        assert client.get("/jobs/").status_code == 200
    make(40)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/jobs/").content.decode()
    assert "第 1 / 2 页" in page
    assert len(many) == len(one)
