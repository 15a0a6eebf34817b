"""Legality review pages: list and counts, submit, the item page (issues, responses, opinion letter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.audit.timeline import timeline_of
from core.clocks.services import clocks_of
from core.documents import as_attachment
from core.forms import field_errors
from core.ledger import ledger_context
from core.models import Region, Unit
from core.pagination import page_of
from core.permissions import authorize

from . import selectors, services
from .choices import Adoption, Aspect, ReviewKind
from .documents import opinion_letter
from .exports import CONTRACTS, MEETINGS, NORMATIVE, REVIEWS
from .models import ReviewIssue, ReviewItem

DECIDING_UNITS = ("leadership", "department", "justice_office")


class UnitForm(forms.Form):
    """A form with a ``unit_id`` choice of the units the user sees: of ``unit_kinds`` when set, else every
    unit but law firms and residents' committees."""

    unit_kinds: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user)
        if self.unit_kinds:
            units = units.filter(kind__in=self.unit_kinds)
        else:
            units = units.exclude(kind__in=("law_firm", "neighbourhood_committee"))
        self.fields["unit_id"].choices = [(u.pk, u.name) for u in units.order_by("region__path", "name")]  # type: ignore[attr-defined]


class SubmitForm(UnitForm):
    kind = forms.ChoiceField(label="事项类别", choices=ReviewKind.choices)
    title = forms.CharField(label="事项名称", max_length=200)
    unit_id = forms.TypedChoiceField(label="送审单位", coerce=int, choices=())
    submitted_on = forms.DateField(label="送审日期", widget=forms.DateInput(attrs={"type": "date"}))
    materials = forms.CharField(label="送审材料说明", widget=forms.Textarea(attrs={"rows": 3}))


class IssueForm(forms.Form):
    aspect = forms.ChoiceField(label="方面", choices=Aspect.choices)
    finding = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 2}))
    suggestion = forms.CharField(label="修改建议", widget=forms.Textarea(attrs={"rows": 2}))


def _visible(user: Any) -> Any:
    return ReviewItem.objects.visible_to(user).select_related("submitting_unit", "reviewer", "region")


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    region = Region.objects.visible_to(request.user).order_by("path").first()
    counts = selectors.review_counts(request.user, region, dt.date(today.year, 1, 1), today) if region else []
    kinds = dict(ReviewKind.choices)
    return render(
        request,
        "administration/reviews.html",
        {
            **ledger_context(request, REVIEWS),
            "counts": [{**c, "kind_label": kinds[c["kind"]]} for c in counts],
            "region": region,
            "year": today.year,
        },
    )


@login_required
def submit(request: HttpRequest) -> HttpResponse:
    authorize(request.user, "administration.review.submit")
    form = SubmitForm(request.POST or None, user=request.user)
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            item = services.review_submit(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, f"已送审：{item.number}")
            return HttpResponseRedirect(item.get_absolute_url())
    return render(
        request,
        "administration/submit.html",
        {"form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(_visible(request.user), pk=pk)
    return render(
        request,
        "administration/detail.html",
        {
            "item": item,
            "issues": list(item.issues.all()),
            "issue_form": IssueForm(),
            "adoptions": Adoption.choices,
            "clocks": clocks_of(item),
            "timeline": list(timeline_of(item)),
        },
    )


@login_required
@require_POST
def add_issue(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(_visible(request.user), pk=pk)
    authorize(request.user, "administration.review.finding", item)
    form = IssueForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        services.issue_add(item=item, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return HttpResponseRedirect(item.get_absolute_url())


@login_required
@require_POST
def respond(request: HttpRequest, pk: int, issue_id: int) -> HttpResponse:
    item = get_object_or_404(_visible(request.user), pk=pk)
    issue = get_object_or_404(ReviewIssue, pk=issue_id, item=item)
    authorize(request.user, "administration.review.respond", item)
    try:
        services.issue_respond(
            issue=issue,
            adoption=request.POST.get("adoption", ""),
            response=request.POST.get("response", ""),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return HttpResponseRedirect(item.get_absolute_url())


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(_visible(request.user), pk=pk)
    if not item.opinion_number:
        raise Http404
    street = item.region.ancestor_at("street") or item.region
    return as_attachment(opinion_letter(item, f"{street.name}司法所"), f"合法性审查意见书-{item.number}.docx")


class DecisionForm(UnitForm):
    year = forms.IntegerField(label="目录年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="决策事项", max_length=200)
    unit_id = forms.TypedChoiceField(label="承办单位", coerce=int, choices=())
    adjustment_reason = forms.CharField(
        label="目录调整理由（目录审定后增补时必填）", max_length=200, required=False
    )

    unit_kinds = DECIDING_UNITS


@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    from .models import DecisionCatalogue, MajorDecision

    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    if request.method == "POST":
        authorize(request.user, "administration.decision.create")
    form = DecisionForm(request.POST or None, user=request.user, initial={"year": year})
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            d = services.decision_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            return HttpResponseRedirect(d.get_absolute_url())
    items = (
        MajorDecision.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("lead_unit", "review")
        .order_by("pk")
    )
    catalogues = DecisionCatalogue.objects.visible_to(request.user).filter(year=year).select_related("region")
    return render(
        request,
        "administration/decisions.html",
        {
            "items": page_of(request, items),
            "catalogues": catalogues,
            "year": year,
            "form": form,
            "errors": errors,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from .models import MajorDecision

    d = get_object_or_404(
        MajorDecision.objects.visible_to(request.user).select_related("lead_unit", "review"), pk=pk
    )
    return render(
        request,
        "administration/decision_detail.html",
        {
            "d": d,
            "clocks": clocks_of(d),
            "timeline": list(timeline_of(d)),
        },
    )


def public_normative(request: HttpRequest) -> HttpResponse:
    """No login: the normative documents in force today (an expired one leaves the list on its expiry)."""
    docs = services.documents_in_force(None, on=timezone.localdate()).select_related("region")
    return render(request, "administration/public_normative.html", {"docs": docs[:500]})


class NormativeForm(UnitForm):
    title = forms.CharField(label="文件名称", max_length=200)
    unit_id = forms.TypedChoiceField(label="起草单位", coerce=int, choices=())
    trial = forms.BooleanField(label="暂行或试行（有效期较短）", required=False)

    unit_kinds = DECIDING_UNITS


class CleanupForm(forms.Form):
    region = forms.ModelChoiceField(label="街镇", queryset=Region.objects.none())
    name = forms.CharField(label="清理名称", max_length=100, initial="规范性文件集中清理")
    started_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(level="street")  # type: ignore[attr-defined]


@login_required
def normative_list(request: HttpRequest) -> HttpResponse:
    from .models import CleanupCampaign

    today = timezone.localdate()
    region = Region.objects.visible_to(request.user).order_by("path").first()
    posted = request.POST.get("form") if request.method == "POST" else None
    if posted is not None:
        authorize(
            request.user,
            "administration.cleanup" if posted == "cleanup" else "administration.normative.create",
        )
    form = NormativeForm(request.POST if posted == "draft" else None, user=request.user)
    cleanup_form = CleanupForm(
        request.POST if posted == "cleanup" else None, user=request.user, initial={"started_on": today}
    )
    errors: dict[str, str] = {}
    if posted == "draft" and form.is_valid():
        try:
            doc = services.normative_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            return HttpResponseRedirect(doc.get_absolute_url())
    if posted == "cleanup" and cleanup_form.is_valid():
        try:
            campaign = services.cleanup_start(by=request.user, **cleanup_form.cleaned_data)
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            return HttpResponseRedirect(campaign.get_absolute_url())
    return render(
        request,
        "administration/normative.html",
        {
            **ledger_context(request, NORMATIVE),
            "expiring": services.documents_expiring(region, on=today, user=request.user) if region else [],
            "campaigns": page_of(
                request,
                CleanupCampaign.objects.visible_to(request.user).select_related("region"),
                param="campaigns",
            ),
            "form": form,
            "cleanup_form": cleanup_form,
            "errors": errors,
        },
        status=400 if posted else 200,
    )


@login_required
def cleanup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from .choices import CleanupDecision
    from .models import CleanupCampaign

    campaign = get_object_or_404(CleanupCampaign.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        authorize(request.user, "administration.cleanup", campaign)
        entry_id = request.POST.get("entry", "")
        if not entry_id.isdigit():
            raise Http404("未找到该文件")
        entry = get_object_or_404(campaign.entries.select_related("document", "campaign"), pk=int(entry_id))
        try:
            services.cleanup_decide(
                entry=entry,
                decision=request.POST.get("decision", ""),
                note=request.POST.get("note", ""),
                by=request.user,
            )
        except ValidationError as exc:
            labels = {"decision": "清理决定", "note": "理由"}
            for name, message in field_errors(exc).items():
                messages.error(request, f"{entry.document.title}：{labels.get(name, name)}：{message}")
        else:
            messages.success(request, f"已记录：{entry.document.title}")
        return HttpResponseRedirect(campaign.get_absolute_url())
    entries = list(campaign.entries.select_related("document").order_by("document__expires_on", "pk"))
    return render(
        request,
        "administration/cleanup.html",
        {
            "campaign": campaign,
            "entries": entries,
            "decided": sum(1 for e in entries if e.decision),
            "decisions": CleanupDecision.choices,
        },
    )


@login_required
def normative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from .models import NormativeDocument

    doc = get_object_or_404(
        NormativeDocument.objects.visible_to(request.user).select_related("review"), pk=pk
    )
    return render(
        request,
        "administration/normative_detail.html",
        {
            "doc": doc,
            "clocks": clocks_of(doc),
            "timeline": list(timeline_of(doc)),
        },
    )


class ContractForm(UnitForm):
    title = forms.CharField(label="合同名称", max_length=200)
    unit_id = forms.TypedChoiceField(label="送审单位", coerce=int, choices=())
    submitted_on = forms.DateField(label="送审日期", widget=forms.DateInput(attrs={"type": "date"}))
    counterparty = forms.CharField(label="合同相对方", max_length=100)
    counterparty_uscc = forms.CharField(label="相对方统一社会信用代码", max_length=18)
    amount = forms.DecimalField(label="合同金额（元）", max_digits=14, decimal_places=2)
    contract_type = forms.CharField(label="合同类型", max_length=50)
    term_start = forms.DateField(label="期限起", widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label="期限止", widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def contracts(request: HttpRequest) -> HttpResponse:

    if request.method == "POST":
        authorize(request.user, "administration.contract.submit")
    form = ContractForm(request.POST or None, user=request.user)
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            item = services.contract_submit(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            return HttpResponseRedirect(item.get_absolute_url())
    year = timezone.localdate().year
    region = Region.objects.visible_to(request.user).order_by("path").first()
    return render(
        request,
        "administration/contracts.html",
        {
            "form": form,
            "errors": errors,
            **ledger_context(request, CONTRACTS),
            "year": year,
            "totals": services.contract_totals(request.user, region, year) if region else None,
        },
        status=400 if request.method == "POST" else 200,
    )


class MeetingForm(forms.Form):
    region = forms.ModelChoiceField(label="街镇", queryset=Region.objects.none())
    meeting = forms.CharField(label="会议", max_length=100, initial="主任办公会")
    held_on = forms.DateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}))
    attendee = forms.CharField(label="列席人", max_length=50)
    topics = forms.CharField(label="议题", widget=forms.Textarea(attrs={"rows": 2}))
    suggestions = forms.CharField(
        label="法律建议（每行一条）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(level="street")  # type: ignore[attr-defined]


@login_required
def meetings(request: HttpRequest) -> HttpResponse:

    if request.method == "POST":
        authorize(request.user, "administration.meeting.record")
    form = MeetingForm(request.POST or None, user=request.user)
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_record(
                by=request.user,
                region=data["region"],
                meeting=data["meeting"],
                held_on=data["held_on"],
                attendee=data["attendee"],
                topics=data["topics"],
                suggestions=data["suggestions"].splitlines(),
            )
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            return HttpResponseRedirect(request.path)
    year = timezone.localdate().year
    region = Region.objects.visible_to(request.user).order_by("path").first()
    return render(
        request,
        "administration/meetings.html",
        {
            "form": form,
            "errors": errors,
            **ledger_context(request, MEETINGS),
            "year": year,
            "totals": services.meeting_totals(request.user, region, year) if region else None,
        },
        status=400 if request.method == "POST" else 200,
    )
