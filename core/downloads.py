"""Downloads of uploaded files (attachments, agreement scans, evidence): one view, one registry.

Each app declares its file fields in ``<app>/downloads.py`` with ``register(Download(...))``: how to
find the rows a user may see (``visible_to``), the region that decides the right to download, the
object whose timeline records the download, and the capability needed (None: anyone who sees the
row). ``core.views.download`` answers 404 outside scope, 403 without the right, and otherwise logs a
``file.download`` timeline event and streams the file as an attachment. A FileField that is not
registered here fails ``core/tests/test_downloads.py``.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import FileResponse
from django.urls import reverse

from core.audit.timeline import timeline_record
from core.db import atomic


@dataclass(frozen=True)
class Download:
    model: type[models.Model]
    field: str
    visible: Callable[[Any], models.QuerySet]  # the rows of ``model`` the user may see
    region: Callable[[Any], Any]  # the region whose roles decide the right to download
    logged_on: Callable[[Any], models.Model]  # the case whose timeline records the download
    capability: str | None = None  # needed at ``region``; None: everyone who sees the row

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"

    def label(self) -> str:
        return str(getattr(self.model._meta.get_field(self.field), "verbose_name", self.field))


DOWNLOADS: dict[str, Download] = {}
_discovered = False


def register(spec: Download) -> None:
    DOWNLOADS[spec.key] = spec


def downloads() -> dict[str, Download]:
    """Every registered file field, after each app's downloads.py has registered its own."""
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("downloads")
        _register_core()
        _discovered = True
    return DOWNLOADS


def download_url(obj: models.Model, field: str) -> str:
    return reverse("core:download", args=[f"{obj._meta.label_lower}.{field}", obj.pk])


def may_download(user: Any, spec: Download, obj: Any) -> bool:
    """The right to download, from the permission table, judged on the object (a case's file by its case, so
    a mediator's assignment applies)."""
    if spec.capability is None:
        return True
    from core.permissions import allowed

    return allowed(user, spec.capability, obj)


@atomic
def file_download(*, spec: Download, obj: Any, by: Any) -> FileResponse:
    """Log the download on the case's timeline, then open the file for streaming."""
    file = getattr(obj, spec.field)
    name = str(getattr(obj, "name", "") or file.name.rsplit("/", 1)[-1])
    timeline_record(
        spec.logged_on(obj),
        kind="file.download",
        summary=f"下载{spec.label()}：{name}"[:300],
        by=by,
        data={"model": obj._meta.label_lower, "pk": obj.pk, "field": spec.field, "file": file.name},
    )
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(file.open("rb"), as_attachment=True, filename=name, content_type=content_type)


def _register_core() -> None:
    from core.models import Job
    from core.models.indicators import IndicatorEntry

    register(
        Download(
            model=IndicatorEntry,
            field="evidence_file",
            visible=lambda user: IndicatorEntry.objects.visible_to(user),
            region=lambda e: e.region,
            logged_on=lambda e: e,
        )
    )
    # A job's files (core/jobs.py): the result and the error report to whoever sees the job (its owner and
    # the owner's scope); the uploaded workbook, which may hold personal data, to its owner alone.
    for field in ("result_file", "error_file"):
        register(
            Download(
                model=Job,
                field=field,
                visible=lambda user: Job.objects.visible_to(user),
                region=lambda j: j.region,
                logged_on=lambda j: j,
            )
        )
    register(
        Download(
            model=Job,
            field="input_file",
            visible=lambda user: (
                Job.objects.filter(owner=user) if user.is_authenticated else Job.objects.none()
            ),
            region=lambda j: j.region,
            logged_on=lambda j: j,
        )
    )
