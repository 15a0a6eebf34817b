"""Pages of background jobs: the list (mine and my scope's), a job with its progress, and the export button's
target. A job outside the user's scope is 404 like every other record; job pages write nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core import jobs
from core.models import Job, JobKind, JobState

POLL_SECONDS = 2


def _job(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user).select_related("owner", "region"), pk=pk)


def _context(request: HttpRequest, job: Job) -> dict[str, Any]:
    from core.exports import EXPORTERS
    from core.imports import IMPORTERS

    status = jobs.status_of(job)
    back = ""
    if job.kind == JobKind.IMPORT and job.subject in IMPORTERS:
        back = reverse("core:import")
    elif job.kind == JobKind.EXPORT and job.subject in EXPORTERS and EXPORTERS[job.subject].list_url:
        back = reverse(EXPORTERS[job.subject].list_url)
    return {
        "job": job,
        "status": status,
        "poll": POLL_SECONDS,
        "errors_shown": job.errors,
        "errors_more": max(0, job.error_count - len(job.errors)),
        "mine": job.owner_id == request.user.pk,
        "back": back,
    }


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    qs = Job.objects.visible_to(request.user).select_related("owner", "region").order_by("-created_at", "-pk")
    show = request.GET.get("show", "")
    if show == "mine":
        qs = qs.filter(owner=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = [(job, jobs.status_of(job)) for job in page.object_list]
    return render(
        request,
        "core/jobs.html",
        {
            "page": page,
            "rows": rows,
            "show": show,
            "states": JobState,
            "query": f"show={show}" if show else "",
        },
    )


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "core/job.html", _context(request, job))


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the job page that changes, polled by htmx while the job is queued or running."""
    job = _job(request, pk)
    return render(request, "core/_job_progress.html", _context(request, job))


@login_required
@require_POST
def export(request: HttpRequest, kind: str) -> HttpResponse:
    """Queue the export of a list (its filters in the query string) and go to the job's page."""
    from core.exports import EXPORTERS

    exporter = EXPORTERS.get(kind)
    if exporter is None:
        raise Http404
    params = exporter.params_of(request.user, request.GET)
    job = jobs.export_enqueue(exporter=exporter, params=params, by=request.user)
    return HttpResponseRedirect(job.get_absolute_url())


@login_required
@require_POST
def report(request: HttpRequest, kind: str) -> HttpResponse:
    """Queue a report's generation (the page's form says which region, year, date…) and go to the job's page."""
    from django.core.exceptions import ValidationError

    spec = jobs.REPORTS.get(kind)
    if spec is None:
        raise Http404
    query = request.GET.copy()
    query.update(request.POST)  # the page's form (region, year, date…), or the same in the query string
    try:
        params, title = spec.clean(request.user, query)
    except ValidationError as exc:
        reasons = "；".join(exc.messages)
        return HttpResponse(
            f"无法生成{spec.title}：{reasons}", status=400, content_type="text/plain; charset=utf-8"
        )
    job = jobs.report_enqueue(report=spec, params=params, title=title, by=request.user)
    return HttpResponseRedirect(job.get_absolute_url())
