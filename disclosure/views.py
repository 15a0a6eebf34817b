"""Pages for requests on application: list, receive, detail (clocks, actions, letter)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from core.audit.timeline import timeline_of
from core.clocks.services import clock_of, clocks_of
from core.documents import as_attachment
from core.forms import field_errors
from core.models import Region
from core.permissions import authorize

from . import services
from .choices import ApplicantKind, Channel, Delivery
from .documents import answer_letter, correction_notice, extension_notice
from .models import DisclosureRequest


class ReceiveForm(forms.Form):
    region = forms.ModelChoiceField(label="受理机关所在区域", queryset=Region.objects.none())
    channel = forms.ChoiceField(label="提交方式", choices=Channel.choices)
    submitted_on = forms.DateField(label="提交日期", widget=forms.DateInput(attrs={"type": "date"}))
    signed_on = forms.DateField(
        label="签收日期（邮寄）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    confirmed_on = forms.DateField(
        label="双方确认日期（互联网、传真）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    applicant_kind = forms.ChoiceField(label="申请人类别", choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label="申请人姓名/名称", max_length=100)
    applicant_id_number = forms.CharField(label="身份证号", required=False, max_length=18)
    applicant_uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    applicant_phone = forms.CharField(label="联系电话", required=False, max_length=20)
    applicant_address = forms.CharField(label="通信地址", required=False, max_length=200)
    content = forms.CharField(label="申请公开的政府信息", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = Region.objects.visible_to(user).filter(
            level__in=("street", "district")
        )


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=Delivery.choices)
    delivered_on = forms.DateField(label="送达日期", widget=forms.DateInput(attrs={"type": "date"}))


def _visible(user: Any) -> Any:
    return DisclosureRequest.objects.visible_to(user).select_related("region")


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone

    from core.ledger import ledger_context

    from .exports import REQUESTS

    regions = Region.objects.visible_to(request.user).filter(level="street").order_by("path")
    return render(
        request,
        "disclosure/list.html",
        {
            **ledger_context(request, REQUESTS),
            "regions": regions,
            "year": timezone.localdate().year,
        },
    )


@login_required
def receive(request: HttpRequest) -> HttpResponse:
    authorize(request.user, "disclosure.receive")
    form = ReceiveForm(request.POST or None, user=request.user)
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_receive(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, f"已登记：{req.number}，答复期限已开始计算。")
            return HttpResponseRedirect(req.get_absolute_url())
    return render(
        request,
        "disclosure/receive.html",
        {"form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(_visible(request.user), pk=pk)
    return render(
        request,
        "disclosure/detail.html",
        {
            "req": req,
            "clocks": clocks_of(req),
            "timeline": list(timeline_of(req)),
            "delivery_form": DeliveryForm(),
            "extended": timeline_of(req).filter(kind="transition", action="extend").exists(),
        },
    )


@login_required
@require_POST
def deliver(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(_visible(request.user), pk=pk)
    authorize(request.user, "disclosure.deliver", req)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.delivery_record(
                request=req,
                method=form.cleaned_data["method"],
                delivered_on=form.cleaned_data["delivered_on"],
                by=request.user,
            )
            messages.success(request, "已登记送达。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "请填写送达方式和日期")
    return HttpResponseRedirect(req.get_absolute_url())


def _issuer(req: Any) -> str:
    street = req.region.ancestor_at("street") or req.region
    return f"{street.name}办事处"


def _step(req: Any, action: str) -> dict[str, Any] | None:
    """What the user entered at the latest ``action`` on the request (its timeline keeps it)."""
    event = timeline_of(req).filter(kind="transition", action=action).order_by("-seq").first()
    return event.data if event is not None else None


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(_visible(request.user), pk=pk)
    if not req.answer_type:
        raise Http404
    return as_attachment(answer_letter(req, _issuer(req)), f"政府信息公开申请答复书-{req.number}.docx")


@login_required
def correction_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """补正告知书, once the correction was asked for."""
    req = get_object_or_404(_visible(request.user), pk=pk)
    step = _step(req, "request_correction")
    if not req.correction_items or step is None:
        raise Http404
    body = correction_notice(req, _issuer(req), _day(step["sent_on"]))
    return as_attachment(body, f"政府信息公开申请补正告知书-{req.number}.docx")


@login_required
def extension_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """延期答复告知书, once the time limit was extended."""
    req = get_object_or_404(_visible(request.user), pk=pk)
    step = _step(req, "extend")
    answer = clock_of(req, "answer")
    if step is None or answer is None:
        raise Http404
    body = extension_notice(req, _issuer(req), int(step["days"]), _day(step["notified_on"]), answer.due_on)
    return as_attachment(body, f"政府信息公开申请延期答复告知书-{req.number}.docx")


class ProactiveForm(forms.Form):
    region = forms.ModelChoiceField(label="公开主体所在区域", queryset=Region.objects.none())
    title = forms.CharField(label="信息名称", max_length=200)
    category = forms.CharField(label="类别", max_length=50, required=False)
    made_on = forms.DateField(label="形成或变更日期", widget=forms.DateInput(attrs={"type": "date"}))
    published_on = forms.DateField(
        label="公开日期（已公开的）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    where = forms.CharField(label="公开载体", max_length=100, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = Region.objects.visible_to(user).filter(
            level__in=("street", "district")
        )


@login_required
def proactive(request: HttpRequest) -> HttpResponse:

    if request.method == "POST":
        authorize(request.user, "disclosure.proactive")
    form = ProactiveForm(request.POST or None, user=request.user)
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.proactive_item_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(request, "已登记主动公开事项。")
            return HttpResponseRedirect(request.path)
    from core.ledger import ledger_context

    from .exports import PROACTIVE

    return render(
        request,
        "disclosure/proactive.html",
        {"form": form, "errors": errors, **ledger_context(request, PROACTIVE)},
        status=400 if request.method == "POST" else 200,
    )
