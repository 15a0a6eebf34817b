"""Pages of the disputes module: queues and search, intake (staff and public), the dispute page
with its actions and records, documents, statistics with drill-down, the weekly report."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import limits
from core.attachments import validate_attachment
from core.audit.timeline import timeline_of
from core.clocks.services import clocks_of
from core.documents import as_attachment
from core.forms import field_errors
from core.models import Region, RevealLog
from core.pagination import page_of
from core.permissions import allowed, authorize
from core.roles import Capability
from core.scoping import has_capability
from core.workflow import workflow_for

from . import reports, selectors, services
from .choices import OPEN_STATES, DisputeState
from .documents import agreement_docx, case_record_docx, confirmation_docx
from .forms import (
    AgreementForm,
    ConfirmationDecisionForm,
    ConfirmationForm,
    EscalationForm,
    FilterForm,
    FollowUpForm,
    IntakeForm,
    InvitationForm,
    SatisfactionForm,
    SessionForm,
    UploadScanForm,
    UrgeForm,
    community_choices_for,
    intake_field_errors,
)
from .models import Dispute, FollowUp, VulnerablePerson

QUEUES = [("mine", "我的待办"), ("unit", "本单位"), ("overdue", "已逾期"), ("", "全部")]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, user=request.user)
    filters = selectors.Filters()
    if form.is_valid():
        filters = selectors.Filters(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    qs = selectors.dispute_list(request.user)
    stat = request.GET.get("stat", "")
    stat_title = ""
    if stat:
        region, start, end = _stat_scope(request)
        querysets = selectors.stat_querysets(request.user, region, start, end)
        if stat not in querysets:
            raise Http404
        qs = querysets[stat].select_related("dispute_type", "region").order_by("-received_at", "-pk")
        stat_title = f"{region.name} {start}至{end} · {selectors.STAT_LABELS[stat]}"
    dimension = request.GET.get("by", "")
    if dimension and stat:
        value = request.GET.get("value", "")
        field = {
            "type": "dispute_type__code",
            "source": "source",
            "community": "region_id",
            "state": "state",
        }.get(dimension)
        if field is None:
            raise Http404
        qs = qs.filter(**{field: value})
    qs = selectors.apply_filters(qs, filters, request.user)
    from core.ledger import ledger_context

    from .exports import DISPUTES, ledger_rows

    return render(
        request,
        "disputes/queue.html",
        {
            "form": form,
            "queues": QUEUES,
            "current_queue": filters.queue,
            "stat_title": stat_title,
            **ledger_context(request, DISPUTES, queryset=ledger_rows(qs)),
        },
    )


def _stat_scope(request: HttpRequest) -> tuple[Region, dt.date, dt.date]:
    """The region and period of a statistic's page (core ``region_and_period``; a bad parameter is 404)."""
    from core.selectors import region_and_period

    g = request.GET
    try:
        return region_and_period(
            request.user, region=g.get("region"), year=None, start=g.get("from"), end=g.get("to")
        )
    except ValidationError:
        raise Http404 from None


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    authorize(request.user, "disputes.intake")
    communities = community_choices_for(request.user)
    form = IntakeForm(request.POST or None, request.FILES or None, communities=communities)
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            result = services.dispute_intake(by=request.user, **form.intake_values())
        except ValidationError as exc:
            errors = intake_field_errors(exc)
        else:
            d = result.dispute
            messages.success(
                request, f"已受理登记：{d.number}，查询码 {d.tracking_code}。请打印受理回执交给当事人。"
            )
            return HttpResponseRedirect(d.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "disputes/intake.html", {"form": form, "errors": errors, "public": False}, status=status
    )


def public_intake(request: HttpRequest) -> HttpResponse:
    """No login. Every attempt (valid or not) counts per client address (core.limits): after
    FAZHI_PUBLIC_CAPTCHA_AFTER of them the form asks for a CAPTCHA, past the rate it answers 429."""
    communities = community_choices_for(None)
    if request.method == "POST":
        usage = limits.count_attempt(request, limits.PUBLIC_INTAKE)
        if usage.exceeded:
            return limits.too_many(request, usage, "提交")
        captcha = limits.captcha_needed(usage.count)
    else:
        captcha = limits.captcha_needed(limits.peek(request, limits.PUBLIC_INTAKE).count + 1)
    form = IntakeForm(
        request.POST or None, request.FILES or None, communities=communities, public=True, captcha=captcha
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.dispute_intake(by=None, public=True, **form.intake_values())
            except ValidationError as exc:
                errors = intake_field_errors(exc)
            else:
                return render(request, "disputes/public_done.html", {"dispute": result.dispute})
        if "captcha" not in form.fields and limits.captcha_needed(usage.count + 1):
            form.add_captcha()  # the next attempt will need it
    status = 400 if request.method == "POST" else 200
    return render(request, "disputes/public_intake.html", {"form": form, "errors": errors}, status=status)


NEXT_STEP = {
    DisputeState.RECEIVED: "已登记，工作人员将在1个工作日内研判并联系您。",
    DisputeState.TRIAGED: "已研判，正在安排调解组织。",
    DisputeState.ASSIGNED: "已分派调解组织，调解员将与您联系。",
    DisputeState.MEDIATING: "调解进行中。",
    DisputeState.AGREED: "已达成调解协议，我们将回访协议履行情况。",
    DisputeState.CLOSED: "已结案。欢迎对本次调解评价。",
    DisputeState.FAILED: "调解未能达成协议，可依法通过诉讼、仲裁或行政途径解决。",
    DisputeState.TERMINATED: "调解已终止。",
    DisputeState.TRANSFERRED: "已移交有关机关处理。",
    DisputeState.NOT_ACCEPTED: "不予受理，工作人员已告知理由。",
}


# The steps a resident sees on the progress page: the transition, in the words of the public page. Only the date
# is shown, never who took the step or the case's personal data.
PUBLIC_STEPS = {
    "triage": "研判完成",
    "assign": "已安排调解组织",
    "reassign": "已调整调解组织",
    "accept": "受理调解",
    "succeed": "达成调解协议",
    "fail": "调解未能达成协议",
    "terminate": "终止调解",
    "transfer": "移交有关机关",
    "reject": "不予受理",
    "close": "结案",
}


def public_track_form(request: HttpRequest) -> HttpResponse:
    """No login: the resident types the code given on submission, at the desk or by phone."""
    code = "".join(request.GET.get("code", "").split()).upper()
    if not code:
        return render(request, "disputes/public_track_form.html", {"code": ""})
    if len(code) > 20:
        return render(
            request,
            "disputes/public_track_form.html",
            {"code": code[:20], "error": "查询码为10位字母和数字，请核对后重新输入"},
            status=400,
        )
    return public_track(request, code)


def public_track(request: HttpRequest, code: str) -> HttpResponse:
    usage = limits.count_attempt(request, limits.PUBLIC_TRACK)  # against guessing codes
    if usage.exceeded:
        return limits.too_many(request, usage, "查询")
    code = code.strip().upper()
    dispute = (
        Dispute.objects.select_related("dispute_type", "region").filter(tracking_code=code).first()
        if code
        else None
    )
    if dispute is None:
        return render(
            request,
            "disputes/public_track_form.html",
            {"code": code, "error": f"未找到查询码“{code}”：请核对后重新输入（字母不区分大小写）"},
            status=404,
        )
    if request.path != f"/public/track/{code}":
        return HttpResponseRedirect(f"/public/track/{code}")
    form = SatisfactionForm(request.POST or None)
    can_rate = (
        dispute.state in (DisputeState.CLOSED, DisputeState.FAILED, DisputeState.TERMINATED)
        and not dispute.satisfaction
    )
    if request.method == "POST" and can_rate and form.is_valid():
        services.satisfaction_record(dispute=dispute, score=form.cleaned_data["score"], by=None)
        return HttpResponseRedirect(request.path)
    steps = [("提交申请，登记受理", timezone.localtime(dispute.received_at).date())]
    for action, at in timeline_of(dispute).filter(kind="transition").values_list("action", "at"):
        if action in PUBLIC_STEPS:
            steps.append((PUBLIC_STEPS[action], timezone.localtime(at).date()))
    return render(
        request,
        "disputes/public_track.html",
        {
            "dispute": dispute,
            "next_step": NEXT_STEP[DisputeState(dispute.state)],
            "steps": steps,
            "office": selectors.office_of(dispute),
            "form": form,
            "can_rate": can_rate,
        },
    )


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """受理回执: printed for a resident who came to the desk or phoned, with the code to follow the case by."""
    dispute = selectors.dispute_detail(request.user, pk)
    return render(
        request,
        "disputes/receipt.html",
        {
            "dispute": dispute,
            "office": selectors.office_of(dispute),
            "track_url": request.build_absolute_uri("/public/track/"),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_detail(request.user, pk)
    wf = workflow_for(Dispute)
    ctx = {
        "dispute": dispute,
        "parties": list(dispute.parties.all()),
        "repeats": list(dispute.repeat_links.select_related("earlier", "earlier__dispute_type")),
        "clocks": clocks_of(dispute),
        "timeline": list(timeline_of(dispute)),
        "sessions": list(dispute.sessions.all()),
        "escalations": list(dispute.escalations.all()),
        "follow_ups": list(dispute.follow_ups.all()),
        "agreement": getattr(dispute, "agreement", None),
        "confirmation": getattr(dispute, "confirmation", None),
        "attachments": list(dispute.attachments.all()),
        "mediators": list(dispute.mediators.all()),
        "cooperating": list(dispute.cooperating_units.all()),
        "invitations": list(dispute.invitations.select_related("person")),
        "invitable": list(services.invitable_people(dispute, request.user)[:60])
        if dispute.state in OPEN_STATES
        else [],
        "suggestions": selectors.suggest_mediators(dispute, request.user)
        if dispute.state == DisputeState.TRIAGED
        else [],
        "can_reveal": has_capability(request.user, Capability.PERSONAL_REVEAL, dispute),
        "can_act": bool(wf.available(dispute, request.user)) or dispute.state in OPEN_STATES,
        # What the permission table lets this user record on this case: the page shows only these forms.
        "may": {
            kind: allowed(request.user, f"disputes.{kind}", dispute)
            for kind in (
                "escalation",
                "invitation",
                "session",
                "agreement",
                "follow_up",
                "confirmation",
                "satisfaction",
                "urge",
            )
        },
        "forms": {
            "urge": UrgeForm(),
            "escalation": EscalationForm(),
            "session": SessionForm(),
            "agreement": AgreementForm(),
            "confirmation": ConfirmationForm(),
            "decision": ConfirmationDecisionForm(),
            "scan": UploadScanForm(),
            "satisfaction": SatisfactionForm(),
        },
        "follow_up_form": FollowUpForm,
        "is_open": dispute.state in OPEN_STATES,
    }
    return render(request, "disputes/detail.html", ctx)


# Each kind of side record and its row in the permission table (disputes/permissions.py).
RECORD_PERMISSIONS = {
    "escalation": "disputes.escalation",
    "session": "disputes.session",
    "agreement": "disputes.agreement",
    "follow_up": "disputes.follow_up",
    "confirmation": "disputes.confirmation",
    "decision": "disputes.confirmation",
    "satisfaction": "disputes.satisfaction",
    "invitation": "disputes.invitation",
    "urge": "disputes.urge",
}
RECORDS = {
    "escalation": EscalationForm,
    "session": SessionForm,
    "agreement": AgreementForm,
    "follow_up": FollowUpForm,
    "confirmation": ConfirmationForm,
    "decision": ConfirmationDecisionForm,
    "satisfaction": SatisfactionForm,
    "invitation": InvitationForm,
    "urge": UrgeForm,
}


@login_required
@require_POST
def record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Side records of a dispute (report upward, session, agreement, follow-up, confirmation, satisfaction)."""
    dispute = selectors.dispute_detail(request.user, pk)
    if kind not in RECORDS:
        raise Http404
    authorize(request.user, RECORD_PERMISSIONS[kind], dispute)  # refused before the form is read
    form = RECORDS[kind](request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        d = form.cleaned_data
        if kind == "escalation":
            services.escalation_record(
                dispute=dispute,
                reported_to=d["reported_to"],
                note=d["note"],
                by=request.user,
                escalated_out=d["escalated_out"],
            )
        elif kind == "urge":
            services.urge_record(dispute=dispute, note=d["note"], by=request.user)
        elif kind == "session":
            services.session_record(
                dispute=dispute,
                held_at=d["held_at"],
                place=d["place"],
                participants=d["participants"],
                summary=d["summary"],
                by=request.user,
            )
        elif kind == "agreement":
            services.agreement_record(
                dispute=dispute,
                kind=d["kind"],
                facts=d["facts"],
                terms=d["terms"],
                effective_on=d["effective_on"],
                schedule=d["schedule"],
                by=request.user,
            )
        elif kind == "follow_up":
            fu = get_object_or_404(FollowUp, pk=d["follow_up"], dispute=dispute)
            services.follow_up_record(
                follow_up=fu,
                visited_on=d["visited_on"],
                fulfilment=d["fulfilment"],
                note=d["note"],
                by=request.user,
            )
        elif kind == "confirmation":
            services.confirmation_apply(
                dispute=dispute, court=d["court"], applied_on=d["applied_on"], by=request.user
            )
        elif kind == "decision":
            services.confirmation_decide(
                dispute=dispute,
                accepted_on=d["accepted_on"],
                decision=d["decision"],
                decided_on=d["decided_on"],
                by=request.user,
            )
        elif kind == "satisfaction":
            services.satisfaction_record(dispute=dispute, score=d["score"], by=request.user)
        elif kind == "invitation":
            services.invitation_record(
                dispute=dispute, person_id=d["person"], purpose=d["purpose"], by=request.user
            )
    except ValidationError as exc:
        for message in field_errors(exc).values():
            messages.error(request, message)
    else:
        messages.success(request, "已登记。")
    return HttpResponseRedirect(dispute.get_absolute_url())


@login_required
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_detail(request.user, pk)
    if not hasattr(dispute, "agreement") or dispute.agreement.kind != "written":
        raise Http404
    parties = services.parties_reveal_for_document(
        dispute=dispute, by=request.user, purpose="生成人民调解协议书"
    )
    return as_attachment(agreement_docx(dispute, parties), f"人民调解协议书-{dispute.number}.docx")


@login_required
def confirmation_document(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_detail(request.user, pk)
    if not hasattr(dispute, "confirmation"):
        raise Http404
    parties = services.parties_reveal_for_document(
        dispute=dispute, by=request.user, purpose="生成司法确认申请书"
    )
    return as_attachment(
        confirmation_docx(dispute, parties, dispute.confirmation.court),
        f"司法确认申请书-{dispute.number}.docx",
    )


@login_required
def case_record_document(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_detail(request.user, pk)
    parties = services.parties_reveal_for_document(
        dispute=dispute, by=request.user, purpose="生成案件材料（诉调对接）"
    )
    return as_attachment(case_record_docx(dispute, parties), f"人民调解案件材料-{dispute.number}.docx")


@login_required
@require_POST
def upload_scan(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_detail(request.user, pk)
    agreement = getattr(dispute, "agreement", None)
    form = UploadScanForm(request.POST, request.FILES)
    if agreement is None:
        raise Http404
    authorize(request.user, "disputes.agreement", dispute)
    if form.is_valid():
        problem = validate_attachment(form.cleaned_data["scan"], label="签字盖章扫描件")
        if problem:
            messages.error(request, problem)
        else:
            services.agreement_scan_upload(
                agreement=agreement, scan=form.cleaned_data["scan"], by=request.user
            )
            messages.success(request, "已上传签字盖章的协议书扫描件。")
    else:
        messages.error(request, "请选择扫描件文件")
    return HttpResponseRedirect(dispute.get_absolute_url())


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    region, start, end = _stat_scope(request)
    s = selectors.stats(request.user, region, start, end)
    monday = end - dt.timedelta(days=end.weekday())
    week = f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}"
    report = reports.weekly_report(request.user, region, week)
    drill = f"region={region.pk}&from={start}&to={end}"
    regions = Region.objects.visible_to(request.user).exclude(level="grid").order_by("path")[:300]
    return render(
        request,
        "disputes/stats.html",
        {
            "s": s,
            "region": region,
            "start": start,
            "end": end,
            "drill": drill,
            "week": week,
            "report": report,
            "rates": [(reports.RATE_LABELS[k], reports.pct(v)) for k, v in s.rates.items()],
            "labels": selectors.STAT_LABELS,
            "regions": regions,
            "chart": {
                "types": [[n, k] for _, n, k in s.by_type],
                "communities": [[n, k] for _, n, k in s.by_community[:20]],
            },
        },
    )


@login_required
def weekly_page(request: HttpRequest) -> HttpResponse:
    region, _, end = _stat_scope(request)
    week = request.GET.get("week") or f"{end.isocalendar().year}-W{end.isocalendar().week:02d}"
    try:
        report = reports.weekly_report(request.user, region, week)
    except ValueError as exc:
        return render(request, "disputes/weekly.html", {"error": str(exc), "region": region}, status=400)
    return render(
        request,
        "disputes/weekly.html",
        {"report": report, "region": region, "week": week, "rates": reports.RATE_LABELS, "pct": reports.pct},
    )


class VulnerableForm(forms.Form):
    region = forms.ChoiceField(label="所属居村", choices=())
    name = forms.CharField(label="姓名", max_length=50)
    category = forms.CharField(label="类别", max_length=50, help_text="如孤老、残疾、精神障碍、重点帮扶对象")
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communities = Region.objects.visible_to(user).filter(level="community").order_by("path")
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", "请选择")] + [
            (str(c.pk), c.name) for c in communities
        ]
        if editing:
            for name in ("id_number", "phone"):
                self.fields[name].help_text = "加密保存；不填则保持原值"


def _register_user(request: HttpRequest) -> None:
    """Strict access: only the register's roles; everyone else learns nothing about it (404)."""
    from core.scoping import active_memberships

    allowed = VulnerablePerson.scope_roles
    if not request.user.is_superuser and not any(m.role in allowed for m in active_memberships(request.user)):
        raise Http404


def _vulnerable_values(form: forms.Form) -> dict[str, Any]:
    return {k: form.cleaned_data[k] for k in ("region", "name", "category", "id_number", "phone", "note")}


@login_required
def vulnerable_register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":  # a write attempt is refused with its reason (403), as every write is
        authorize(request.user, "disputes.vulnerable")
    _register_user(request)
    form = VulnerableForm(request.POST or None, user=request.user)
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            person = services.vulnerable_save(by=request.user, **_vulnerable_values(form))
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, f"已登记：{person.name}")
            return HttpResponseRedirect(reverse("disputes:vulnerable"))
    people = VulnerablePerson.objects.visible_to(request.user).select_related("region")
    return render(
        request,
        "disputes/vulnerable.html",
        {
            "people": page_of(request, people),
            "form": form,
            "errors": errors,
            "may_edit": allowed(request.user, "disputes.vulnerable"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def vulnerable_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _register_user(request)
    person = get_object_or_404(
        VulnerablePerson.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    initial = {
        "region": str(person.region_id),
        "name": person.name,
        "category": person.category,
        "note": person.note,
    }
    form = VulnerableForm(request.POST or None, user=request.user, editing=True, initial=initial)
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.vulnerable_save(by=request.user, person=person, **_vulnerable_values(form))
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, "已保存。")
            return HttpResponseRedirect(reverse("disputes:vulnerable_detail", args=[person.pk]))
    ct = ContentType.objects.get_for_model(VulnerablePerson)
    reveals = (
        RevealLog.objects.filter(content_type=ct, object_id=person.pk).select_related("user").order_by("-at")
    )
    return render(
        request,
        "disputes/vulnerable_detail.html",
        {
            "person": person,
            "form": form,
            "errors": errors,
            "may_edit": allowed(request.user, "disputes.vulnerable", person),
            "can_reveal": has_capability(request.user, Capability.PERSONAL_REVEAL, person.region),
            "reveals": page_of(request, reveals, per_page=20),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def vulnerable_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The full ID number or phone of a person of the register, for a reason that is logged."""
    from core.views import reveal_response

    _register_user(request)
    return reveal_response(
        request, get_object_or_404(VulnerablePerson.objects.visible_to(request.user), pk=pk)
    )
