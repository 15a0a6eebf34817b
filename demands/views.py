"""Pages of the 12345 work orders: the ledger, receiving an order by hand, an order with its steps, records and
hand-offs, the units' duty lists, and the figures by unit, category and community."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.audit.timeline import timeline_of
from core.clocks.services import clocks_of
from core.forms import form_page, record_post
from core.ledger import ledger_context
from core.models import Region, Unit
from core.permissions import authorize

from . import services
from .choices import SATISFIED, Channel, OrderKind, Resolution, TimeClass
from .exports import ORDERS, PETITIONS
from .models import Duty, Petition, WorkOrder

DATE = forms.DateInput(attrs={"type": "date"})


def _visible(user: Any) -> Any:
    return WorkOrder.objects.visible_to(user).select_related(
        "region", "unit", "dispute", "enforcement_case", "enforcement_case__item"
    )


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    return render(request, "demands/orders.html", ledger_context(request, ORDERS))


class ReceiveForm(forms.Form):
    number = forms.CharField(label="工单编号", max_length=40)
    kind = forms.ChoiceField(label="诉求类型", choices=OrderKind.choices)
    time_class = forms.ChoiceField(label="时限类别", choices=TimeClass.choices)
    category = forms.CharField(label="事项类别", max_length=60)
    content = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    community = forms.ModelChoiceField(label="所在街镇或居村", queryset=Region.objects.none())
    address = forms.CharField(label="地址", required=False, max_length=200)
    caller_name = forms.CharField(label="来电人", required=False, max_length=50)
    caller_phone = forms.CharField(label="来电号码", required=False, max_length=20)
    received_at = forms.DateTimeField(
        label="接收时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = (
            Region.objects.visible_to(user).filter(level__in=("street", "community")).order_by("path")
        )


@login_required
def receive(request: HttpRequest) -> HttpResponse:
    authorize(request.user, "demands.receive")
    form = ReceiveForm(request.POST or None, user=request.user)

    def save(data: dict[str, Any]) -> str:
        order, created = services.order_receive(
            by=request.user,
            number=data["number"],
            kind=data["kind"],
            time_class=data["time_class"],
            category=data["category"],
            content=data["content"],
            region=data["community"],
            address=data["address"],
            caller_name=data["caller_name"],
            caller_phone=data["caller_phone"],
            received_at=data["received_at"],
        )
        if created:
            messages.success(request, f"已接收工单{order.number}。")
        else:
            messages.info(request, f"工单{order.number}此前已接收，未重复登记。")
        return order.get_absolute_url()

    return form_page(
        request, code="demands.receive", form=form, save=save, template="demands/receive.html", context=dict
    )


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label="联系日期", widget=DATE)
    note = forms.CharField(label="联系情况", required=False, max_length=200)


class ComplexForm(forms.Form):
    reason = forms.CharField(label="列为复杂工单的理由", max_length=200)


class DisputeForm(forms.Form):
    dispute_type = forms.ChoiceField(label="纠纷类型", choices=())
    community = forms.ModelChoiceField(label="纠纷发生地（居村）", queryset=Region.objects.none())
    respondent = forms.CharField(label="被申请人（可不填）", required=False, max_length=50)

    def __init__(self, *args: Any, order: Any = None, **kwargs: Any) -> None:
        from disputes.models import DisputeType

        super().__init__(*args, **kwargs)
        types = DisputeType.objects.filter(active=True).order_by("code")
        cast(forms.ChoiceField, self.fields["dispute_type"]).choices = [(t.code, t.name) for t in types]
        if order is not None:
            street = order.region.ancestor_at("street") or order.region
            cast(forms.ModelChoiceField, self.fields["community"]).queryset = Region.objects.filter(
                path__startswith=street.path, level="community"
            ).order_by("path")
            if order.region.level == "community":
                self.fields["community"].initial = order.region_id


RECORDS: dict[str, tuple[type[forms.Form], str, str]] = {
    "contact": (ContactForm, "demands.handle", "登记首次联系来电人"),
    "complex": (ComplexForm, "demands.complex", "批准列为复杂工单"),
    "dispute": (DisputeForm, "demands.to_dispute", "转人民调解"),
}
OPEN = ("received", "dispatched", "handling")


def _records(order: WorkOrder, user: Any) -> list[tuple[str, str, forms.Form]]:
    from core.permissions import allowed

    shown = []
    if order.state in OPEN and not order.first_contact_on:
        shown.append("contact")
    if order.state in OPEN and order.time_class == TimeClass.ORDINARY and not order.complex_reason:
        shown.append("complex")
    if order.state in ("dispatched", "handling") and not order.dispute_id:
        shown.append("dispute")
    out: list[tuple[str, str, forms.Form]] = []
    for kind in shown:
        form_class, code, label = RECORDS[kind]
        if not allowed(user, code, order):
            continue
        if kind == "dispute":
            out.append((kind, label, DisputeForm(order=order)))
        else:
            out.append((kind, label, form_class(initial={"contacted_on": timezone.localdate()})))
    return out


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    from core.permissions import allowed

    order = get_object_or_404(_visible(request.user), pk=pk)
    may_enforce = (
        order.state in ("dispatched", "handling")
        and not order.enforcement_case_id
        and allowed(request.user, "demands.handle", order)
        and allowed(request.user, "enforcement.file")
    )
    return render(
        request,
        "demands/detail.html",
        {
            "order": order,
            "returns": list(order.return_records.select_related("unit")),
            "related": list(services.related_orders(order, request.user).select_related("unit")[:20]),
            "related_count": services.related_orders(order, request.user).count(),
            "risks": services.risk_reasons(order),
            "records": _records(order, request.user),
            "may_enforce": may_enforce,
            "clocks": clocks_of(order),
            "timeline": list(timeline_of(order)),
        },
    )


@login_required
@require_POST
def record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in RECORDS:
        raise Http404
    order = get_object_or_404(_visible(request.user), pk=pk)
    form_class, code, label = RECORDS[kind]
    authorize(request.user, code, order)
    form = DisputeForm(request.POST, order=order) if kind == "dispute" else form_class(request.POST)

    def save(data: dict[str, Any]) -> str | None:
        if kind == "contact":
            services.order_contact(by=request.user, order=order, **data)
        elif kind == "complex":
            services.order_make_complex(by=request.user, order=order, **data)
        else:
            return f"已转人民调解：{services.order_to_dispute(by=request.user, order=order, **data).number}。"
        return None

    return record_post(request, order, form=form, label=label, save=save)


class DutyForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    category = forms.CharField(label="事项类别（与工单的事项类别一致）", max_length=60)
    basis = forms.CharField(label="职责依据（三定方案、职责清单条目）", required=False, max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = (
            Unit.objects.visible_to(user).filter(active=True, region__level="street").order_by("name")
        )


@login_required
def duties(request: HttpRequest) -> HttpResponse:
    from core.pagination import page_of

    form = DutyForm(request.POST or None, user=request.user)

    def save(data: dict[str, Any]) -> str:
        duty = services.duty_save(by=request.user, **data)
        messages.success(request, f"已将“{duty.category}”列入{duty.unit.name}的职责清单。")
        return reverse("demands:duties")

    def context() -> dict[str, Any]:
        rows = Duty.objects.visible_to(request.user).select_related("unit__region")
        return {"page": page_of(request, rows, per_page=50)}

    return form_page(
        request, code="demands.duties", form=form, save=save, template="demands/duties.html", context=context
    )


@login_required
@require_POST
def duty_delete(request: HttpRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(Duty.objects.visible_to(request.user).select_related("unit"), pk=pk)
    services.duty_remove(by=request.user, duty=duty)
    messages.success(request, f"已从{duty.unit.name}的职责清单移除“{duty.category}”。")
    return HttpResponseRedirect(reverse("demands:duties"))


GROUPS = {
    "unit": ("承办单位", "unit__name", "unit_id", "unit"),
    "category": ("事项类别", "category", "category", "category"),
    "community": ("居村", "region__name", "region_id", "community"),
}


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The year's figures by unit, category or community: each count a link to the ledger's rows."""
    from core.clocks.services import met_on_time

    group = request.GET.get("by", "unit")
    if group not in GROUPS:
        group = "unit"
    label, name_field, key_field, param = GROUPS[group]
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    start = timezone.make_aware(dt.datetime.combine(dt.date(year, 1, 1), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(dt.date(year + 1, 1, 1), dt.time.min))
    qs = WorkOrder.objects.visible_to(request.user).filter(received_at__gte=start, received_at__lt=end)
    on_time = met_on_time(WorkOrder, "handling")
    rows = (
        qs.values(name_field, key_field)
        .annotate(
            received=Count("pk"),
            replied=Count("pk", filter=Q(replied_on__isnull=False)),
            on_time=Count("pk", filter=Q(pk__in=on_time)),
            resolved=Count("pk", filter=Q(resolution=Resolution.RESOLVED)),
            called=Count("pk", filter=~Q(callback="")),
            satisfied=Count("pk", filter=Q(callback__in=SATISFIED, reopened=0)),
            returned=Count("pk", filter=Q(returns__gt=0)),
            enforcement=Count("pk", filter=Q(enforcement_case__isnull=False)),
        )
        .order_by("-received", name_field)
    )

    def rate(n: int, d: int) -> str:
        return f"{n * 100 / d:.1f}%" if d else "—"

    table = [
        {
            "name": r[name_field] or "（未派单）",
            "key": r[key_field],
            "received": r["received"],
            "on_time": rate(r["on_time"], r["replied"]),
            "resolved": rate(r["resolved"], r["replied"]),
            "satisfied": rate(r["satisfied"], r["called"]),
            "returned": r["returned"],
            "return_rate": rate(r["returned"], r["received"]),
            "enforcement": r["enforcement"],
        }
        for r in rows
    ]
    return render(
        request,
        "demands/figures.html",
        {"table": table, "group": group, "label": label, "param": param, "year": year, "groups": GROUPS},
    )


# --- petitions (信访) ---------------------------------------------------------------------------------------


@login_required
def petitions(request: HttpRequest) -> HttpResponse:
    return render(request, "demands/petitions.html", ledger_context(request, PETITIONS))


class PetitionForm(forms.Form):
    channel = forms.ChoiceField(label="信访形式", choices=Channel.choices)
    external_ref = forms.CharField(label="信访信息系统编号（有则填）", required=False, max_length=60)
    petitioner = forms.CharField(label="信访人（集体访填代表）", max_length=100)
    id_number = forms.CharField(label="身份证号", required=False, max_length=18)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    people_count = forms.IntegerField(label="人数", min_value=1, max_value=10000, initial=1)
    category = forms.CharField(label="事项类别", max_length=60)
    content = forms.CharField(label="信访事项", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    community = forms.ModelChoiceField(label="所在街镇或居村", queryset=Region.objects.none())
    received_on = forms.DateField(label="收到日期", widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = (
            Region.objects.visible_to(user).filter(level__in=("street", "community")).order_by("path")
        )


@login_required
def petition_receive(request: HttpRequest) -> HttpResponse:
    authorize(request.user, "demands.petition_receive")
    form = PetitionForm(request.POST or None, user=request.user)

    def save(data: dict[str, Any]) -> str:
        petition, created = services.petition_receive(
            by=request.user,
            channel=data["channel"],
            external_ref=data["external_ref"],
            petitioner=data["petitioner"],
            id_number=data["id_number"],
            phone=data["phone"],
            people_count=data["people_count"],
            category=data["category"],
            content=data["content"],
            region=data["community"],
            received_on=data["received_on"],
        )
        if created:
            messages.success(request, f"已登记信访事项{petition.number}。")
        else:
            messages.info(request, f"该信访件此前已登记为{petition.number}，未重复登记。")
        return petition.get_absolute_url()

    return form_page(
        request,
        code="demands.petition_receive",
        form=form,
        save=save,
        template="demands/petition_receive.html",
        context=dict,
    )


class ExtendForm(forms.Form):
    reason = forms.CharField(label="延长理由（情况复杂）", max_length=200)


PETITION_RECORDS: dict[str, tuple[type[forms.Form], str, str]] = {
    "extend": (ExtendForm, "demands.petition_extend", "批准延长办理期限30日"),
    "dispute": (DisputeForm, "demands.petition_mediation", "访调联动，转人民调解"),
}


def _petition_records(petition: Petition, user: Any) -> list[tuple[str, str, forms.Form]]:
    from core.clocks.services import clock_of
    from core.permissions import allowed

    out: list[tuple[str, str, forms.Form]] = []
    if petition.state != "accepted":
        return out
    handling = clock_of(petition, "handling")
    if allowed(user, "demands.petition_extend", petition) and handling and not handling.extensions.exists():
        out.append(("extend", PETITION_RECORDS["extend"][2], ExtendForm()))
    if not petition.dispute_id and allowed(user, "demands.petition_mediation", petition):
        out.append(("dispute", PETITION_RECORDS["dispute"][2], DisputeForm(order=petition)))
    return out


def _visible_petitions(user: Any) -> Any:
    return Petition.objects.visible_to(user).select_related("region", "unit", "dispute")


@login_required
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = get_object_or_404(_visible_petitions(request.user), pk=pk)
    from .documents import DOCUMENTS

    return render(
        request,
        "demands/petition_detail.html",
        {
            "petition": petition,
            "documents": [
                (k, title) for k, (title, _b, available) in DOCUMENTS.items() if available(petition)
            ],
            "records": _petition_records(petition, request.user),
            "clocks": clocks_of(petition),
            "timeline": list(timeline_of(petition)),
        },
    )


@login_required
@require_POST
def petition_record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in PETITION_RECORDS:
        raise Http404
    petition = get_object_or_404(_visible_petitions(request.user), pk=pk)
    form_class, code, label = PETITION_RECORDS[kind]
    authorize(request.user, code, petition)
    form = DisputeForm(request.POST, order=petition) if kind == "dispute" else form_class(request.POST)

    def save(data: dict[str, Any]) -> None:
        if kind == "extend":
            services.petition_extend(by=request.user, petition=petition, **data)
        else:
            services.petition_to_dispute(by=request.user, petition=petition, **data)

    return record_post(request, petition, form=form, label=label, save=save)


@login_required
def petition_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A petition's notice or written opinion as .docx (the petitioner's ID number is never printed)."""
    from core.documents import as_attachment

    from .documents import DOCUMENTS

    petition = get_object_or_404(_visible_petitions(request.user), pk=pk)
    if kind not in DOCUMENTS or not DOCUMENTS[kind][2](petition):
        raise Http404
    title, build, _available = DOCUMENTS[kind]
    return cast(HttpResponse, as_attachment(build(petition), f"{title}-{petition.number}.docx"))
