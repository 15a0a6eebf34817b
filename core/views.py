"""Pages of the core: sign-in, my work, region/unit/people browser, calendar, import, workflow actions.

Views validate input and delegate to one service or selector; scoping answers 404 outside scope.
"""

from __future__ import annotations

from typing import Any, cast

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from core import selectors, services
from core.auth import client_ip
from core.clocks import calendar as cal
from core.clocks.engine import ClockState
from core.clocks.rules import RULES, UnknownRule
from core.clocks.services import deadline_preview, state_of
from core.clocks.services import today as clock_today
from core.forms import DeadlineForm, ImportForm, LoginForm, PeopleFilterForm, RevealForm, field_errors
from core.imports import IMPORTERS, ImportFailed
from core.models import User
from core.pagination import page_of
from core.permissions import authorize
from core.roles import Capability, Role
from core.scoping import active_memberships, has_capability
from core.templatetags.fazhi import action_fields
from core.workflow import ActionRefused, Conflict, TransitionNotAllowed, transition, workflow_for


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


HOME_PAGE = 20  # rows of each list on the home page; the count beside its title is the whole


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from core.inbox import waiting_for

    work = selectors.my_work(request.user)
    sections = []
    for key, title, clocks in (
        ("mine", "我承办的", work.mine),
        ("due_soon", "临近到期", work.due_soon),
        ("overdue", "已逾期", work.overdue),
    ):
        page = page_of(request, clocks, per_page=HOME_PAGE, param=key)
        sections.append((key, title, page, [(c, state_of(c, on=work.today)) for c in page]))
    waiting = []
    for w in waiting_for(request.user):
        page = page_of(request, w.cases, per_page=HOME_PAGE, param=w.key)
        for case in page:
            case.waiting_step = w.step_of(case)
        waiting.append((w, page))
    return render(
        request,
        "core/home.html",
        {
            "sections": sections,
            "waiting": [(w, page) for w, page in waiting if page.paginator.count],
            "today": work.today,
            "states": ClockState,
        },
    )


@login_required
def regions(request: HttpRequest) -> HttpResponse:
    tree = selectors.region_tree(request.user, max_level="community")
    return render(request, "core/regions.html", {"tree": tree})


@login_required
def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_object_or_404(selectors.regions_visible(request.user).select_related("parent"), pk=pk)
    visible = selectors.regions_visible(request.user)
    ancestors = list(
        visible.filter(path__in=_ancestor_paths(region.path)).exclude(pk=region.pk).order_by("path")
    )
    return render(
        request,
        "core/region_detail.html",
        {
            "region": region,
            "ancestors": ancestors,
            "children": visible.filter(parent=region).order_by("code"),
            "units": selectors.units_visible(request.user).filter(region=region),
            "people_count": selectors.people_visible(request.user, region=region).count(),
            "staff": page_of(request, selectors.staff_visible(request.user).filter(unit__region=region)),
        },
    )


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(selectors.units_visible(request.user), pk=pk)
    return render(
        request,
        "core/unit_detail.html",
        {
            "unit": unit,
            "staff": selectors.staff_visible(request.user).filter(unit=unit),
            "people": selectors.people_visible(request.user).filter(unit=unit)[:500],
        },
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    region = None
    if form.is_valid():
        filters = {"kind": form.cleaned_data["kind"], "q": form.cleaned_data["q"]}
        if form.cleaned_data["region"]:
            region = get_object_or_404(
                selectors.regions_visible(request.user), pk=form.cleaned_data["region"]
            )
    qs = selectors.people_visible(request.user, region=region, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/people.html",
        {"form": form, "page": page, "region": region, "query": query.urlencode()},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(selectors.people_visible(request.user), pk=pk)
    can_reveal = has_capability(request.user, Capability.PERSONAL_REVEAL, person.region)
    return render(request, "core/person_detail.html", {"person": person, "can_reveal": can_reveal})


@login_required
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    return reveal_response(request, get_object_or_404(selectors.people_visible(request.user), pk=pk))


def reveal_response(request: HttpRequest, obj: Any) -> HttpResponse:
    """The full value of one protected field of ``obj`` (already found in the user's scope) for the reason the
    user gave, logged (``services.personal_reveal``); the htmx fragment ``core/_reveal.html``."""
    form = RevealForm(request.POST)
    ctx: dict[str, Any] = {"field": request.POST.get("field", "")}
    if not form.is_valid():
        ctx["error"] = "；".join(str(e) for errs in form.errors.values() for e in errs)
        return render(request, "core/_reveal.html", ctx, status=400)
    try:
        ctx["value"] = services.personal_reveal(
            obj=obj,
            field=form.cleaned_data["field"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except PermissionDenied as exc:
        ctx["error"] = str(exc)
        return render(request, "core/_reveal.html", ctx, status=403)
    except ValidationError as exc:
        ctx["error"] = "；".join(exc.messages)
        return render(request, "core/_reveal.html", ctx, status=400)
    return render(request, "core/_reveal.html", ctx)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    today = clock_today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2004), 2100)
    months = []
    for month in range(1, 13):
        days = cal.month_days(year, month)
        lead = [None] * days[0].date.weekday()
        months.append((month, lead + days))
    form = DeadlineForm(initial={"rule": "disclosure.answer", "start": today})
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "months": months,
            "source": cal.year_source(year),
            "form": form,
            "rules": RULES.values(),
            "weekdays": cal.WEEKDAYS,
        },
    )


@login_required
@require_GET
def calendar_deadline(request: HttpRequest) -> HttpResponse:
    form = DeadlineForm(request.GET)
    if not form.is_valid():
        return render(request, "core/_deadline.html", {"errors": form.errors}, status=400)
    try:
        result = deadline_preview(
            rule_id=form.cleaned_data["rule"], started_on=form.cleaned_data["start"], user=request.user
        )
    except UnknownRule as exc:
        return render(request, "core/_deadline.html", {"errors": {"rule": [str(exc)]}}, status=400)
    return render(request, "core/_deadline.html", {"result": result})


def _importers_for(request: HttpRequest) -> list[Any]:
    allowed = [imp for imp in IMPORTERS.values() if has_capability(request.user, imp.capability)]
    if not allowed:
        raise Http404
    return allowed


def _importer(request: HttpRequest, kind: str) -> Any:
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise Http404
    authorize(request.user, importer.capability)  # 403 with the reason when the table says no
    return importer


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    return render(request, "core/import.html", _import_context(request, ImportForm()))


def _import_context(request: HttpRequest, form: ImportForm, **extra: Any) -> dict[str, Any]:
    from core.models import Job, JobKind

    recent = Job.objects.filter(owner_id=request.user.pk, kind=JobKind.IMPORT).order_by("-created_at", "-pk")[
        :5
    ]
    return {"importers": _importers_for(request), "form": form, "recent": recent, **extra}


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    importer = _importer(request, kind)
    from core.documents import as_attachment

    return as_attachment(importer.template_bytes(), importer.filename())


@login_required
@require_POST
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    """Store the upload and queue its import as a job (core/jobs.py); the job page shows progress and result."""
    from core import jobs

    importer = _importer(request, kind)  # 403 before the upload is read or anything is queued
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "core/import.html", _import_context(request, form, current=importer), status=400
        )
    try:
        job = jobs.import_enqueue(importer=importer, upload=form.cleaned_data["file"], by=request.user)
    except ImportFailed as exc:  # refused before it is stored (too large)
        ctx = _import_context(request, form, current=importer, import_errors=exc.errors)
        return render(request, "core/import.html", ctx, status=400)
    return HttpResponseRedirect(job.get_absolute_url())


@login_required
@require_POST
def workflow_action(request: HttpRequest, app_label: str, model: str, pk: int, action: str) -> HttpResponse:
    """The generic form target of every workflow button (see ``workflow_actions`` tag)."""
    try:
        model_cls = apps.get_model(app_label, model)
        wf = workflow_for(model_cls)
    except (LookupError, KeyError):
        raise Http404 from None
    case = get_object_or_404(model_cls.objects.visible_to(request.user), pk=pk)
    act = wf.action(action)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        case = transition(case, action, by=request.user, version=version, data=request.POST)
    except ActionRefused:
        raise  # the permission table refuses: 403, as for every other write
    except (ValidationError, TransitionNotAllowed, Conflict) as exc:
        field_errors: dict[str, str] = {}
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            labels = {f.name: f.label for f in act.fields}
            field_errors = {k: "，".join(v) for k, v in exc.message_dict.items() if k in labels}
            error = "；".join(f"{labels.get(k, k)}：{'，'.join(v)}" for k, v in exc.message_dict.items())
        else:
            error = "；".join(str(m) for m in exc.messages) if isinstance(exc, ValidationError) else str(exc)
        status = 409 if isinstance(exc, Conflict) else 400
        return render(
            request,
            "core/workflow_action.html",
            {
                "case": case,
                "action": act,
                "error": error,
                "fields": action_fields(act, case, request.user, request.POST, field_errors),
                "current_version": case.version,
            },
            status=status,
        )
    messages.success(request, f"已{act.label}。")
    return HttpResponseRedirect(case.get_absolute_url())


@login_required
@require_GET
def download(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    """An uploaded file: 404 outside the user's scope, 403 without the right, logged, then streamed."""
    from core import downloads

    spec = downloads.downloads().get(kind)
    if spec is None:
        raise Http404
    obj = get_object_or_404(spec.visible(request.user), pk=pk)
    if not getattr(obj, spec.field):
        raise Http404
    if not downloads.may_download(request.user, spec, obj):
        raise PermissionDenied("您的角色不能下载此文件")
    try:
        return downloads.file_download(spec=spec, obj=obj, by=request.user)
    except FileNotFoundError:
        raise Http404 from None


@login_required
def permission_table(request: HttpRequest) -> HttpResponse:
    """The permission table in Chinese: who may do what, on which kind of object, in which region."""
    from core.permissions import PERMISSIONS, allowed, table_rows

    my_roles = sorted({str(Role(m.role).label) for m in active_memberships(request.user)})
    mine = {code for code in PERMISSIONS if allowed(request.user, code)}
    return render(
        request, "core/permissions.html", {"rows": table_rows(), "mine": mine, "my_roles": my_roles}
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: issue (shown once), revoke, delete."""
    from core.models import ApiToken

    me = cast(User, request.user)
    ctx: dict[str, Any] = {"form_name": ""}
    status = 200
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "issue":
                ctx["form_name"] = request.POST.get("name", "")
                # A token outlives the session: issuing one asks for the password again.
                if not me.check_password(request.POST.get("password", "")):
                    raise ValidationError({"password": "密码不正确：签发令牌须再次输入本人登录密码"})
                ctx["new_key"] = services.token_issue(user=me, name=ctx["form_name"])
                ctx["new_name"] = services.token_name_clean(ctx["form_name"])
                ctx["form_name"] = ""
            elif op in ("revoke", "delete"):
                pk = request.POST.get("token", "")
                if not pk.isdigit():
                    raise Http404("未找到该令牌")
                token = get_object_or_404(ApiToken.objects.filter(user=me), pk=int(pk))
                if op == "revoke":
                    services.token_revoke(token=token, by=request.user)
                    messages.success(request, f"已吊销“{token.name}”的令牌。")
                else:
                    services.token_delete(token=token, by=request.user)
                    messages.success(request, f"已删除“{token.name}”的令牌。")
                return HttpResponseRedirect(request.path)
            else:
                raise ValidationError({"op": "未知的操作"})
        except ValidationError as exc:
            ctx["error"] = "；".join(field_errors(exc).values())
            status = 400
    ctx["tokens"] = list(ApiToken.objects.filter(user=me).select_related("user").order_by("name"))
    return render(request, "core/tokens.html", ctx, status=status)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, a page at a time; each opens its case and is then read."""
    from core.models import Notification

    items = Notification.objects.filter(recipient_id=request.user.pk).select_related("sender")
    return render(
        request,
        "core/notifications.html",
        {"page": page_of(request, items), "unread": items.filter(read_at__isnull=True).count()},
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    from django.utils import timezone

    from core.models import Notification

    note = get_object_or_404(Notification.objects.filter(recipient_id=request.user.pk), pk=pk)
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    return HttpResponseRedirect(note.url if note.url.startswith("/") else "/")


@login_required
@require_GET
def notification_count(request: HttpRequest) -> HttpResponse:
    """The bell's count, loaded after the page (htmx): no page pays a query for it."""
    from core.notifications import unread_count

    n = unread_count(request.user.pk)
    return HttpResponse(f'通知<span class="badge" data-testid="unread">{n}</span>' if n else "通知")
