"""Background jobs (DESIGN.md mechanism 10): imports, exports and the nightly work, run by a worker.

A page that starts long work creates a ``Job`` and enqueues the one task ``core.tasks.run_job`` on
Django's task API (django-tasks, database backend) in the same transaction, then sends the user to the
job page. The worker (``manage.py fazhi_worker``) runs the task, which hands the job to the runner
of its kind (``RUNNERS``):

* while it runs, progress goes to ``MEDIA_ROOT/jobs/<key>/progress.json`` (written atomically with
  ``os.replace``), with a heartbeat every few seconds: an import holds one transaction from its first
  row to its last, and on SQLite no other connection can write meanwhile, so the job row cannot carry
  the progress; the same file serves PostgreSQL;
* an import's records and the job's final figures are committed in one transaction: a worker killed
  mid-job leaves nothing written and the job still "进行中" with a heartbeat that stops; the job page
  shows such a job as interrupted after ``FAZHI_JOB_STALE_SECONDS``, and the next worker marks it failed.

docs/jobs.md describes the whole, with the limits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from core.models import Job, JobKind, JobState, Region
from core.models.jobs import FINISHED

logger = logging.getLogger("fazhi.jobs")

ERRORS_KEPT = 200  # errors kept on the job row and listed on its page; all of them are in the error report
HEARTBEAT_SECONDS = 5
ERROR_REPORT_NAME = "错误清单.xlsx"

Runner = Callable[[Job, "Reporter"], None]
RUNNERS: dict[str, Runner] = {}  # JobKind -> what runs a job of that kind


class JobFailed(Exception):
    """Raised by a runner for an expected failure: ``message`` (Chinese) becomes the job's result text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- progress --------------------------------------------------------------------------------------


def _media(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def progress_path(job: Job) -> Path:
    return _media(job.directory) / "progress.json"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)  # readers see the old file or the new one, never half of one


def read_progress(job: Job) -> dict[str, Any] | None:
    try:
        data = json.loads(progress_path(job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class Reporter:
    """The running job's progress file: ``reporter(done, total, errors)`` (the import engine's ``progress``)
    rewrites it; a thread rewrites it every HEARTBEAT_SECONDS with the time, so a reader can tell a job that
    is working (or waiting for the database) from one whose worker is gone."""

    def __init__(self, job: Job) -> None:
        self.path = progress_path(job)
        self.state: dict[str, Any] = {"phase": "checking", "done": 0, "total": 0, "errors": 0}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, done: int, total: int, errors: int) -> None:
        self.update(phase="writing", done=done, total=total, errors=errors)

    def update(self, **values: Any) -> None:
        with self._lock:
            self.state.update(values)
            self._write()

    def _write(self) -> None:
        _write_json(self.path, {**self.state, "at": time.time(), "pid": os.getpid()})

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            with self._lock, contextlib.suppress(OSError):
                self._write()

    @contextlib.contextmanager
    def running(self) -> Iterator[Reporter]:
        with self._lock:
            self._write()
        self._thread = threading.Thread(target=self._beat, name="fazhi-job-heartbeat", daemon=True)
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join(timeout=HEARTBEAT_SECONDS + 1)


def heartbeat_age(job: Job, progress: dict[str, Any] | None = None) -> float | None:
    """Seconds since the running job's worker last wrote its progress file (None: no file yet)."""
    progress = progress if progress is not None else read_progress(job)
    if not progress or not isinstance(progress.get("at"), int | float):
        return None
    return max(0.0, time.time() - float(progress["at"]))


def is_interrupted(job: Job, progress: dict[str, Any] | None = None) -> bool:
    """A job still "进行中" whose worker stopped writing its heartbeat (killed, or the machine restarted)."""
    if job.state != JobState.RUNNING:
        return False
    stale = settings.FAZHI_JOB_STALE_SECONDS
    age = heartbeat_age(job, progress)
    if age is None:
        started = job.started_at or job.created_at
        return bool(started and (timezone.now() - started).total_seconds() > stale)
    return age > stale


# --- the worker's own heartbeat (for the "no worker is running" notice of a queued job) ----------------

WORKERS_DIR = "jobs/workers"


def worker_beat(worker_id: str) -> None:
    _write_json(_media(WORKERS_DIR) / f"{worker_id}.json", {"at": time.time(), "pid": os.getpid()})


def worker_gone(worker_id: str) -> None:
    with contextlib.suppress(OSError):
        (_media(WORKERS_DIR) / f"{worker_id}.json").unlink()


def worker_running() -> bool:
    """Whether a worker has written its heartbeat recently (on this machine's MEDIA_ROOT)."""
    limit = time.time() - settings.FAZHI_JOB_STALE_SECONDS
    try:
        return any(p.stat().st_mtime >= limit for p in _media(WORKERS_DIR).glob("*.json"))
    except OSError:
        return False


# --- what the job page shows -----------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    state: str  # a JobState value, or "interrupted"
    label: str
    done: int
    total: int
    error_count: int
    phase: str  # checking | writing | "" (finished)
    note: str

    @property
    def running(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        return min(100, int(self.done * 100 / self.total)) if self.total else 0


INTERRUPTED_NOTE = {
    JobKind.IMPORT: "后台任务进程在导入中途停止（如被终止或服务器重启）。导入在同一事务中进行，已整体撤销，未写入任何数据；请重新提交该文件。",
}
INTERRUPTED_DEFAULT = "后台任务进程在执行中途停止（如被终止或服务器重启），任务未完成；请重新提交。"


def status_of(job: Job) -> Status:
    """The job as its page shows it: from the progress file while it runs, from the row once it ended."""
    if job.state == JobState.QUEUED:
        note = "等待后台任务进程处理。"
        if not worker_running():
            note = (
                "后台任务进程目前没有运行：任务会在它启动后执行（./run demo 与 ./run serve 会自动启动它）。"
            )
        return Status(job.state, str(JobState.QUEUED.label), 0, job.total, 0, "", note)
    if job.state == JobState.RUNNING:
        progress = read_progress(job) or {}
        done, total = int(progress.get("done", 0)), int(progress.get("total", 0))
        errors = int(progress.get("errors", 0))
        if is_interrupted(job, progress or None):
            note = INTERRUPTED_NOTE.get(JobKind(job.kind), INTERRUPTED_DEFAULT)
            return Status("interrupted", "已中断", done, total, errors, "", note)
        phase = str(progress.get("phase", "checking"))
        return Status(job.state, str(JobState.RUNNING.label), done, total, errors, phase, "")
    label = str(JobState(job.state).label)
    return Status(job.state, label, job.done, job.total, job.error_count, "", "")


# --- creating and enqueuing ------------------------------------------------------------------------


def owner_region(user: Any, capability: str | None = None) -> Region | None:
    """Where a job of ``user`` stands for scoping: the highest region of the memberships that grant
    ``capability`` (any membership when None); None for an account without one (a superuser)."""
    from core.permissions import _level_ok, permission
    from core.scoping import active_memberships

    perm = permission(capability) if capability else None
    regions = [
        m.unit.region
        for m in active_memberships(user)
        if perm is None or (m.role in perm.roles and _level_ok(m.unit.region.level, perm.min_level))
    ]
    return min(regions, key=lambda r: (len(r.path), r.path), default=None)


def _enqueue(job: Job) -> Job:
    """Save the job and put its task on the queue, in one transaction (no job without its task)."""
    from core.tasks import run_job

    with transaction.atomic():
        job.save()
        result = run_job.enqueue(job.pk)
        # The immediate backend (tests) has already run the job: write the task id alone.
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def import_enqueue(*, importer: Any, upload: Any, by: Any) -> Job:
    """Queue the import of an uploaded workbook by ``by`` (refused first, before anything is stored)."""
    from core.imports import MAX_BYTES, ImportFailed, RowError, _too_large
    from core.permissions import authorize

    authorize(by, importer.capability)
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:  # not stored at all
        raise ImportFailed(
            [RowError(0, "", f"文件过大（{_too_large(size)}），上限为{MAX_BYTES // 1024 // 1024}MB")]
        )
    name = os.path.basename(str(getattr(upload, "name", "") or "upload.xlsx"))[:200]
    job = Job(
        kind=JobKind.IMPORT,
        subject=importer.kind,
        title=f"{importer.title}导入"[:120],
        owner=by,
        region=owner_region(by, importer.capability),
        input_name=name,
    )
    job.input_file.save(name, File(upload), save=False)
    return _enqueue(job)


def export_enqueue(*, exporter: Any, params: dict[str, Any], by: Any) -> Job:
    """Queue the export of a list as ``by`` sees it (the list's filters in ``params``)."""
    from core.permissions import authorize

    if exporter.capability:
        authorize(by, exporter.capability)
    job = Job(
        kind=JobKind.EXPORT,
        subject=exporter.kind,
        title=f"{exporter.title}导出"[:120],
        owner=by,
        region=owner_region(by, exporter.capability),
        params=params,
    )
    return _enqueue(job)


# --- running ---------------------------------------------------------------------------------------


def execute(job_id: int) -> str:
    """Run a queued job (the body of the ``run_job`` task). Returns the job's final state."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.state != JobState.QUEUED:
        return job.state if job is not None else "missing"  # ran already, or swept as failed
    runner = RUNNERS.get(job.kind)
    reporter = Reporter(job)
    with reporter.running():
        job.state = JobState.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["state", "started_at"])
        try:
            if runner is None:
                raise JobFailed("无法执行此类任务")
            runner(job, reporter)
        except JobFailed as exc:
            _finish(job, JobState.FAILED, exc.message)
        except Exception:
            logger.exception("job %s failed", job.pk)
            _finish(job, JobState.FAILED, "任务执行时出错，未完成（详情已记入服务器日志）。")
        except (
            BaseException
        ):  # the worker is told to stop at once (a second TERM, Ctrl-C): its work rolled back
            with contextlib.suppress(Exception):
                job.done, job.total = int(reporter.state["done"]), int(reporter.state["total"])
                _finish(job, JobState.FAILED, INTERRUPTED_NOTE.get(JobKind(job.kind), INTERRUPTED_DEFAULT))
            raise
        else:
            if job.state == JobState.RUNNING:
                _finish(job, JobState.SUCCEEDED, job.summary)
    return job.state


def _finish(job: Job, state: str, summary: str) -> None:
    job.state = state
    job.summary = summary
    job.finished_at = timezone.now()
    job.save()


def run_import(job: Job, reporter: Reporter) -> None:
    """An import job: the engine's two passes, and the job's final figures committed with its records."""
    from core.audit.context import acting_as
    from core.imports import IMPORTERS, ImportFailed, error_report

    importer = IMPORTERS.get(job.subject)
    if importer is None:
        raise JobFailed("此类数据的导入已不再提供")
    failed: ImportFailed | None = None
    with acting_as(job.owner, f"job-{job.pk}"), transaction.atomic():
        # The import's own transaction is a savepoint inside this one: the job row's final state commits
        # with the records, so a worker killed before the commit leaves neither behind.
        try:
            with job.input_file.open("rb") as fh:
                result = importer.run(fh, by=job.owner, progress=reporter)
        except ImportFailed as exc:
            failed = exc
        except FileNotFoundError:
            raise JobFailed("找不到上传的文件，请重新提交") from None
        except (zipfile.BadZipFile, zlib.error, EOFError):
            # A package whose parts do not unpack as they declare (a forged size, a damaged file).
            raise JobFailed(
                f"{importer.title}导入未完成：文件已损坏或不是有效的 .xlsx 表格，未导入任何数据。"
            ) from None
        except (PermissionDenied, Http404) as exc:
            # The owner's right changed between the upload and the run.
            raise JobFailed(f"{importer.title}导入未完成：{exc or '您的角色不能导入此类数据'}。") from None
        if failed is None:
            job.total = job.done = result.rows
            job.error_count = 0
            job.summary = result.summary(importer.title)
            _finish(job, JobState.SUCCEEDED, job.summary)
    if failed is not None:
        errors = failed.errors
        job.done = failed.rows
        job.total = max(int(reporter.state.get("total", 0)), failed.rows)
        job.error_count = len(errors)
        job.errors = [[e.row, e.column, e.message] for e in errors[:ERRORS_KEPT]]
        job.error_file.save(ERROR_REPORT_NAME, ContentFile(error_report(errors)), save=False)
        whole_file = len(errors) == 1 and not errors[0].row
        if whole_file:
            text = f"{importer.title}导入未完成：{errors[0].message}。未导入任何数据。"
        else:
            text = f"{importer.title}导入未完成：发现{len(errors)}处错误，未导入任何数据。请按错误清单修改后重新导入。"
        _finish(job, JobState.FAILED, text)


def run_export(job: Job, reporter: Reporter) -> None:
    """An export job: the rows the owner sees (with the list's filters) streamed into a write-only workbook."""
    from core.exports import EXPORTERS, MAX_EXPORT_ROWS, write_xlsx

    exporter = EXPORTERS.get(job.subject)
    if exporter is None:
        raise JobFailed("此类数据的导出已不再提供")
    queryset = exporter.queryset(job.owner, job.params)
    total = queryset.count()
    if total > MAX_EXPORT_ROWS:
        raise JobFailed(
            f"共{total}条，超过一个 Excel 工作表的上限{MAX_EXPORT_ROWS}行：请在列表中加筛选条件（如受理日期）分批导出。"
        )
    reporter.update(phase="writing", done=0, total=total, errors=0)
    tmp = _media(job.directory) / ".export.xlsx"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    try:
        written = write_xlsx(
            tmp,
            exporter.title,
            exporter.sheet_columns(job.params),
            queryset,
            chunk_size=exporter.chunk_size,
            progress=reporter,
            total=total,
        )
        with tmp.open("rb") as fh:
            job.result_file.save(exporter.filename(timezone.localdate()), File(fh), save=False)
    finally:
        tmp.unlink(missing_ok=True)
    job.total = job.done = written
    job.summary = f"{exporter.title}导出完成：共{written}条。"


RUNNERS[JobKind.IMPORT] = run_import
RUNNERS[JobKind.EXPORT] = run_export


# --- nightly work and housekeeping -----------------------------------------------------------------


@dataclass(frozen=True)
class Nightly:
    name: str
    title: str
    run: Callable[[], str]  # returns the result text; raises JobFailed or CommandError on failure


NIGHTLY: dict[str, Nightly] = {}


def register_nightly(item: Nightly) -> None:
    NIGHTLY[item.name] = item


def run_nightly(job: Job, reporter: Reporter) -> None:
    from django.core.management.base import CommandError

    item = NIGHTLY.get(job.subject)
    if item is None:
        raise JobFailed("此例行任务已不再提供")
    try:
        job.summary = item.run()
    except CommandError as exc:
        raise JobFailed(str(exc)) from None
    job.total = job.done = 1


RUNNERS[JobKind.NIGHTLY] = run_nightly


def _command(name: str, *args: str) -> Callable[[], str]:
    def run() -> str:
        import io

        from django.core.management import call_command

        out = io.StringIO()
        call_command(name, *args, stdout=out, stderr=out)
        return out.getvalue().strip()[:4000]

    return run


def prune_jobs() -> str:
    """Remove finished task results and the files of jobs finished more than FAZHI_JOB_KEEP_DAYS ago
    (the job rows stay, so the history of who ran what remains)."""
    import shutil

    from django_tasks_db.models import DBTaskResult

    before = timezone.now() - dt.timedelta(days=settings.FAZHI_JOB_KEEP_DAYS)
    tasks = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()[0]
    files = 0
    for job in (
        Job.objects.filter(state__in=FINISHED, finished_at__lt=before)
        .exclude(input_file="", result_file="", error_file="")
        .iterator()
    ):
        shutil.rmtree(_media(job.directory), ignore_errors=True)
        job.input_file = job.result_file = job.error_file = ""
        job.save(update_fields=["input_file", "result_file", "error_file"])
        files += 1
    return f"清理{settings.FAZHI_JOB_KEEP_DAYS}天前的任务：队列记录{tasks}条，任务文件{files}组。"


register_nightly(Nightly("anchor_audit", "审计链锚定", _command("anchor_audit")))
register_nightly(Nightly("prune_jobs", "清理过期任务文件", prune_jobs))


def nightly_due(now: dt.datetime | None = None) -> list[Job]:
    """Enqueue today's nightly work once, when the local hour has reached FAZHI_NIGHTLY_HOUR. Several workers
    may ask at once: ``once_key`` lets only one job per item and day be created."""
    local = timezone.localtime(now)
    if local.hour < settings.FAZHI_NIGHTLY_HOUR:
        return []
    created = []
    for item in NIGHTLY.values():
        key = f"nightly:{item.name}:{local.date().isoformat()}"
        if Job.objects.filter(once_key=key).exists():
            continue
        job = Job(kind=JobKind.NIGHTLY, subject=item.name, title=item.title, once_key=key)
        try:
            created.append(_enqueue(job))
        except IntegrityError:
            continue  # another worker enqueued it first
    return created


def sweep_interrupted() -> int:
    """Mark failed every running job whose worker is gone (its transaction was rolled back with it)."""
    count = 0
    for job in Job.objects.filter(state=JobState.RUNNING):
        if is_interrupted(job):
            job.summary = INTERRUPTED_NOTE.get(JobKind(job.kind), INTERRUPTED_DEFAULT)
            job.state = JobState.FAILED
            job.finished_at = timezone.now()
            progress = read_progress(job) or {}
            job.done, job.total = int(progress.get("done", 0)), int(progress.get("total", 0))
            job.save()
            count += 1
    return count


def housekeeping(*, schedule: bool) -> None:
    """One round of the worker's housekeeping thread; a database that is busy now is tried next round."""
    try:
        sweep_interrupted()
        if schedule:
            nightly_due()
    except DatabaseError:
        logger.warning("后台任务例行检查暂时无法访问数据库，稍后重试", exc_info=True)


# --- reports ---------------------------------------------------------------------------------------------
# A report generated in the background (DESIGN.md mechanism 10): the yearly report of a district or a city, the
# quarterly statistics, the weekly analysis. Each module registers what it builds (``register_report``); the
# page's 后台生成 button posts its query to ``/jobs/report/<kind>/`` and the user follows the job to its file.


@dataclass(frozen=True)
class ReportKind:
    kind: str
    title: str  # e.g. 法治政府建设年度报告
    # The user and the page's query -> JSON-safe params and a title for the job (ValidationError: a clear reason).
    clean: Callable[[Any, Any], tuple[dict[str, Any], str]]
    # The owner and the params -> the file's content and its name (the same function the page's download uses).
    build: Callable[[Any, dict[str, Any]], tuple[bytes, str]]
    capability: str | None = None  # None: whoever may open the report's page


REPORTS: dict[str, ReportKind] = {}


def register_report(report: ReportKind) -> ReportKind:
    REPORTS[report.kind] = report
    return report


def report_enqueue(*, report: ReportKind, params: dict[str, Any], title: str, by: Any) -> Job:
    """Queue the generation of ``report`` for ``by`` (what they see decides its figures, as on the page)."""
    from core.permissions import authorize

    if report.capability:
        authorize(by, report.capability)
    job = Job(
        kind=JobKind.REPORT,
        subject=report.kind,
        title=title[:120],
        owner=by,
        region=owner_region(by, report.capability),
        params=params,
    )
    return _enqueue(job)


def run_report(job: Job, reporter: Reporter) -> None:
    report = REPORTS.get(job.subject)
    if report is None:
        raise JobFailed("此类报告已不再提供")
    reporter.update(phase="writing", done=0, total=1, errors=0)
    content, filename = report.build(job.owner, job.params)
    job.result_file.save(filename, ContentFile(content), save=False)
    job.total = job.done = 1
    job.summary = f"{job.title}已生成，可下载。"


RUNNERS[JobKind.REPORT] = run_report
