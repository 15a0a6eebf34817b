"""Pages of the respondent module: the ledger, receiving a case, a case with its steps, hearings, rectification and
the reply pack."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.audit.timeline import timeline_of
from core.clocks.services import clocks_of
from core.forms import form_page, query_pk, record_post
from core.ledger import ledger_context
from core.models import Unit
from core.permissions import allowed, authorize

from . import services
from .choices import ADVERSE, ActKind, Appearance, Kind
from .exports import CASES
from .models import RespondentCase

DATE = forms.DateInput(attrs={"type": "date"})


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    return render(request, "respondent/cases.html", ledger_context(request, CASES))


class ReceiveForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Kind.choices)
    after_reconsideration = forms.BooleanField(label="经复议后起诉", required=False)
    body = forms.CharField(label="复议机关或人民法院", max_length=100)
    body_ref = forms.CharField(label="复议或诉讼案号", required=False, max_length=80)
    applicant = forms.CharField(label="申请人（原告）", max_length=100)
    unit = forms.ModelChoiceField(label="被申请人（被告）承办单位", queryset=Unit.objects.none())
    act_kind = forms.ChoiceField(label="被申请（被诉）行为类别", choices=ActKind.choices)
    act = forms.CharField(label="被申请（被诉）行为", max_length=300)
    enforcement_number = forms.CharField(
        label="关联的行政执法案件编号（处罚决定被申请复议或起诉的）", required=False
    )
    disclosure_number = forms.CharField(label="关联的政府信息公开申请编号", required=False)
    filed_on = forms.DateField(label="申请（起诉）日期", widget=DATE)
    received_on = forms.DateField(label="收到申请书（起诉状）副本日期", widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = (
            Unit.objects.visible_to(user).filter(active=True, region__level="street").order_by("name")
        )


@login_required
def receive(request: HttpRequest) -> HttpResponse:
    from disclosure.models import DisclosureRequest
    from enforcement.models import EnforcementCase

    authorize(request.user, "respondent.receive")
    initial: dict[str, Any] = {}
    from_case = (
        EnforcementCase.objects.visible_to(request.user)
        .filter(pk=query_pk(request.GET.get("enforcement")))
        .first()
    )
    if from_case is not None:
        initial = {
            "act_kind": ActKind.ENFORCEMENT,
            "act": f"{from_case.decision_number or from_case.number}（{from_case.item.name}）",
            "applicant": from_case.party_name,
            "enforcement_number": from_case.number,
        }
    form = ReceiveForm(request.POST or None, user=request.user, initial=initial)

    def save(data: dict[str, Any]) -> str:
        linked: dict[str, Any] = {"enforcement_case": None, "disclosure_request": None}
        for key, model, number, label in (
            ("enforcement_case", EnforcementCase, data["enforcement_number"], "行政执法案件"),
            ("disclosure_request", DisclosureRequest, data["disclosure_number"], "政府信息公开申请"),
        ):
            if number.strip():
                found = model.objects.visible_to(request.user).filter(number=number.strip()).first()
                if found is None:
                    field = "enforcement_number" if key == "enforcement_case" else "disclosure_number"
                    raise ValidationError({field: f"没有编号为“{number.strip()}”的{label}"})
                linked[key] = found
        case = services.case_receive(
            by=request.user,
            kind=data["kind"],
            after_reconsideration=data["after_reconsideration"],
            body=data["body"],
            body_ref=data["body_ref"],
            applicant=data["applicant"],
            unit=data["unit"],
            act_kind=data["act_kind"],
            act=data["act"],
            filed_on=data["filed_on"],
            received_on=data["received_on"],
            **linked,
        )
        messages.success(request, f"已登记{case.get_kind_display()}案件{case.number}。")
        return case.get_absolute_url()

    return form_page(
        request,
        code="respondent.receive",
        form=form,
        save=save,
        template="respondent/receive.html",
        context=dict,
    )


class HearingForm(forms.Form):
    held_on = forms.DateField(label="开庭日期", widget=DATE)
    appearance = forms.ChoiceField(label="出庭情况", choices=Appearance.choices)
    appeared = forms.CharField(label="出庭的机关人员及职务", max_length=100)
    reason = forms.CharField(label="负责人未出庭的理由", required=False, max_length=300)
    lawyer = forms.CharField(label="委托的律师（可不填）", required=False, max_length=100)


class LetterForm(forms.Form):
    received_on = forms.DateField(label="收到行政复议意见书日期", widget=DATE)


class RectifyForm(forms.Form):
    rectified_on = forms.DateField(label="整改完成日期", widget=DATE)
    report = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


RECORDS: dict[str, tuple[type[forms.Form], str, str]] = {
    "hearing": (HearingForm, "respondent.hearing", "登记庭审和出庭应诉"),
    "letter": (LetterForm, "respondent.rectify", "登记收到行政复议意见书"),
    "rectify": (RectifyForm, "respondent.rectify", "登记整改完成"),
}


def _records(case: RespondentCase, user: Any) -> list[tuple[str, str, forms.Form]]:
    today = {
        "held_on": timezone.localdate(),
        "received_on": timezone.localdate(),
        "rectified_on": timezone.localdate(),
    }
    shown = []
    if case.state in ("replied", "appealed", "received"):
        shown.append("hearing")
    if case.kind == Kind.RECONSIDERATION and not case.opinion_letter_on and case.state != "closed":
        shown.append("letter")
    if (case.outcome in ADVERSE or case.opinion_letter_on) and not case.rectified_on:
        shown.append("rectify")
    out = []
    for kind in shown:
        form_class, code, label = RECORDS[kind]
        if allowed(user, code, case):
            out.append((kind, label, form_class(initial=today)))
    return out


def _visible(user: Any) -> Any:
    return RespondentCase.objects.visible_to(user).select_related(
        "unit", "rectification_unit", "enforcement_case", "disclosure_request"
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(_visible(request.user), pk=pk)
    return render(
        request,
        "respondent/detail.html",
        {
            "case": case,
            "hearings": list(case.hearings.all()),
            "records": _records(case, request.user),
            "clocks": clocks_of(case),
            "timeline": list(timeline_of(case)),
        },
    )


@login_required
@require_POST
def record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in RECORDS:
        raise Http404
    case = get_object_or_404(_visible(request.user), pk=pk)
    form_class, code, label = RECORDS[kind]
    authorize(request.user, code, case)
    form = form_class(request.POST)

    def save(data: dict[str, Any]) -> None:
        if kind == "hearing":
            services.hearing_record(by=request.user, case=case, **data)
        elif kind == "letter":
            services.opinion_letter_record(by=request.user, case=case, **data)
        else:
            services.rectification_record(by=request.user, case=case, **data)

    return record_post(request, case, form=form, label=label, save=save)


@login_required
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply pack as one .zip; the party's ID number in the enforcement documents stays masked."""
    from core.documents import as_attachment

    from .documents import pack as build

    case = get_object_or_404(_visible(request.user), pk=pk)
    ident = ""
    if case.enforcement_case_id and case.enforcement_case.party_id_number:
        field: Any = type(case.enforcement_case)._meta.get_field("party_id_number")
        ident = field.masked(case.enforcement_case.party_id_number)
    return cast(HttpResponse, as_attachment(build(case, ident), f"答复答辩材料-{case.number}.zip"))
