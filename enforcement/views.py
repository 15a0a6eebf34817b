"""Pages of the enforcement module: the case ledger, 立案, a case with its steps and records, the catalogue of
enforcement items (and its public page), and the officers with their certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

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
from core.forms import field_errors, form_page, query_pk, record_post
from core.ledger import ledger_context
from core.models import Person, Region
from core.models.people import PersonKind
from core.permissions import authorize

from . import rules, services
from .choices import EvidenceKind, InspectionResult, PartyKind, Procedure, Source, SubjectKind
from .exports import CASES, ITEMS
from .models import EnforcementCase, EnforcementItem

DATE = forms.DateInput(attrs={"type": "date"})


def _today() -> dt.date:
    return timezone.localdate()


class FileForm(forms.Form):
    procedure = forms.ChoiceField(label="程序", choices=Procedure.choices)
    source = forms.ChoiceField(label="案件来源", choices=Source.choices)
    source_ref = forms.CharField(label="来源编号（工单号等）", required=False, max_length=80)
    item = forms.TypedChoiceField(label="执法事项", coerce=int, choices=())
    community = forms.ModelChoiceField(label="违法行为发生地（居村）", queryset=Region.objects.none())
    party_kind = forms.ChoiceField(label="当事人类别", choices=PartyKind.choices)
    party_name = forms.CharField(label="当事人姓名或名称", max_length=100)
    party_id_number = forms.CharField(label="身份证号", required=False, max_length=18)
    party_uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    party_address = forms.CharField(label="地址", required=False, max_length=200)
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    offence_on = forms.DateField(label="违法行为发生日期", widget=DATE)
    harms_safety = forms.BooleanField(
        label="涉及公民生命健康安全、金融安全且有危害后果（追责期限5年）", required=False
    )
    filed_on = forms.DateField(label="立案（登记）日期", widget=DATE)
    officers = forms.TypedMultipleChoiceField(
        label="执法人员（至少两名持有效执法证）", coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )
    dispute = forms.IntegerField(required=False, widget=forms.HiddenInput)
    order = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = _today()
        self.fields["filed_on"].initial = today
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = Region.objects.visible_to(
            user
        ).filter(level="community")
        items = EnforcementItem.objects.visible_to(user).filter(active=True).order_by("code")
        cast(forms.ChoiceField, self.fields["item"]).choices = [(i.pk, f"{i.code} {i.name}") for i in items]
        officers = (
            Person.objects.visible_to(user)
            .filter(kind=PersonKind.OFFICER, active=True)
            .prefetch_related("certificates")
            .order_by("name")
        )
        cast(forms.ChoiceField, self.fields["officers"]).choices = [
            (p.pk, p.name if rules.certified(p, today) else f"{p.name}（执法证不在有效期内）")
            for p in officers
        ]


def _visible(user: Any) -> Any:
    return EnforcementCase.objects.visible_to(user).select_related("item", "region", "review", "dispute")


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    return render(request, "enforcement/cases.html", ledger_context(request, CASES))


@login_required
def file_case(request: HttpRequest) -> HttpResponse:
    from disputes.models import Dispute

    authorize(request.user, "enforcement.file")
    initial: dict[str, Any] = {}
    from_dispute = (
        Dispute.objects.visible_to(request.user).filter(pk=query_pk(request.GET.get("dispute"))).first()
    )
    if from_dispute is not None:  # a dispute that turned out to be a violation: its particulars carried over
        initial = {
            "dispute": from_dispute.pk,
            "source": Source.DISPUTE,
            "source_ref": from_dispute.number,
            "community": from_dispute.region_id,
            "facts": from_dispute.description[:2000],
        }
    from demands.models import WorkOrder

    from_order = (
        WorkOrder.objects.visible_to(request.user).filter(pk=query_pk(request.GET.get("order"))).first()
    )
    if from_order is not None:  # a 12345 order that calls for enforcement
        initial = {
            "order": from_order.pk,
            "source": Source.HOTLINE,
            "source_ref": from_order.number,
            "community": from_order.region_id if from_order.region.level == "community" else None,
            "facts": from_order.content[:2000],
        }
    form = FileForm(request.POST or None, user=request.user, initial=initial)
    errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dispute = work_order = None
        if data.get("dispute"):
            dispute = Dispute.objects.visible_to(request.user).filter(pk=data["dispute"]).first()
        if data.get("order"):
            work_order = WorkOrder.objects.visible_to(request.user).filter(pk=data["order"]).first()
        try:
            case = services.case_file(
                by=request.user,
                procedure=data["procedure"],
                source=data["source"],
                source_ref=data["source_ref"],
                item_id=data["item"],
                community=data["community"],
                party_kind=data["party_kind"],
                party_name=data["party_name"],
                party_id_number=data["party_id_number"],
                party_uscc=data["party_uscc"],
                party_address=data["party_address"],
                facts=data["facts"],
                offence_on=data["offence_on"],
                harms_safety=data["harms_safety"],
                filed_on=data["filed_on"],
                officer_ids=data["officers"],
                dispute=dispute,
                work_order=work_order,
            )
        except ValidationError as exc:
            errors = field_errors(exc)
        else:
            messages.success(
                request, f"已{'立案' if case.procedure == Procedure.ORDINARY else '登记'}：{case.number}。"
            )
            return HttpResponseRedirect(case.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enforcement/file.html",
        {"form": form, "errors": errors, "from_dispute": from_dispute, "from_order": from_order},
        status=status,
    )


class PublishForm(forms.Form):
    published_on = forms.DateField(label="公示日期", widget=DATE)
    where = forms.CharField(label="公示载体", max_length=100, initial="街道门户网站")


class PayForm(forms.Form):
    paid_on = forms.DateField(label="缴款日期", widget=DATE)


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label="撤回公示日期", widget=DATE)


class ReviewForm(forms.Form):
    submitted_on = forms.DateField(label="送审日期", widget=DATE)
    materials = forms.CharField(
        label="送审材料", widget=forms.Textarea(attrs={"rows": 2}), initial="案卷、拟作出的处罚决定及其依据"
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="证据种类", choices=EvidenceKind.choices)
    title = forms.CharField(label="证据名称", max_length=200)
    collected_on = forms.DateField(label="取得日期", widget=DATE)
    upload = forms.FileField(label="文件（PDF、JPG、PNG、Word、Excel，10MB以内）", required=False)
    external_ref = forms.CharField(label="或：执法记录仪等存储的文件编号", required=False, max_length=100)
    sha256 = forms.CharField(label="该文件的SHA-256摘要", required=False, max_length=64)


class HearingForm(forms.Form):
    requested_on = forms.DateField(label="当事人申请听证日期", widget=DATE)
    notice_on = forms.DateField(label="通知当事人日期", widget=DATE)
    hearing_on = forms.DateField(label="听证日期", widget=DATE)
    presider_id = forms.IntegerField(label="听证主持人（名册人员编号）", widget=forms.Select)

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            people = Person.objects.filter(
                region__path__startswith=(case.region.ancestor_at("street") or case.region).path,
                kind__in=(PersonKind.OFFICER, PersonKind.PUBLIC_LAWYER, PersonKind.STAFF),
                active=True,
            ).exclude(pk__in=case.officers.values("pk"))
            self.fields["presider_id"].widget.choices = [(p.pk, p.name) for p in people.order_by("name")]
            self.fields["presider_id"].label = "听证主持人（非本案调查人员）"


class SuspendForm(forms.Form):
    suspended_on = forms.DateField(label="中止日期", widget=DATE)
    what = forms.ChoiceField(label="事由", choices=[(w, w) for w in services.SUSPENSIONS])
    basis = forms.CharField(label="不计入办案期限的依据", max_length=200)


class ResumeForm(forms.Form):
    resumed_on = forms.DateField(label="恢复日期", widget=DATE)


class PreserveForm(forms.Form):
    preserved_on = forms.DateField(label="先行登记保存日期", widget=DATE)
    items = forms.CharField(label="保存的物品或证据", widget=forms.Textarea(attrs={"rows": 2}))


class PreservationForm(forms.Form):
    decided_on = forms.DateField(label="处理日期", widget=DATE)
    decision = forms.CharField(label="处理决定", max_length=200, initial="解除先行登记保存")


RECORDS: dict[str, tuple[type[forms.Form], str, str]] = {
    # kind: (form, permission, label)
    "publish": (PublishForm, "enforcement.record", "登记公示"),
    "pay": (PayForm, "enforcement.record", "登记缴款"),
    "withdraw": (WithdrawForm, "enforcement.record", "登记撤回公示"),
    "review": (ReviewForm, "enforcement.review", "送法制审核"),
    "evidence": (EvidenceForm, "enforcement.record", "登记证据"),
    "preserve": (PreserveForm, "enforcement.record", "先行登记保存"),
    "preservation": (PreservationForm, "enforcement.record", "登记先行登记保存的处理"),
    "hearing": (HearingForm, "enforcement.record", "登记听证"),
    "suspend": (SuspendForm, "enforcement.record", "中止计算办案期限"),
    "resume": (ResumeForm, "enforcement.record", "恢复计算办案期限"),
}


def _record_forms(case: EnforcementCase) -> list[tuple[str, str, forms.Form]]:
    """The records the case can take now (each a small form on its page), dates starting at today."""
    day = _today()
    dates = (
        "published_on",
        "paid_on",
        "withdrawn_on",
        "submitted_on",
        "collected_on",
        "preserved_on",
        "decided_on",
        "suspended_on",
        "resumed_on",
    )
    today = dict.fromkeys(dates, day) | {"requested_on": day, "notice_on": day}
    shown = []
    if case.state not in ("closed", "dropped"):
        shown.append("evidence")
    undecided = case.procedure == Procedure.ORDINARY and case.state in ("filed", "notified")
    if undecided and not case.preserved_on:
        shown.append("preserve")
    if case.preserved_on and not case.preservation_decided_on:
        shown.append("preservation")
    if case.state == "notified" and not case.hearing_requested:
        shown.append("hearing")
    if undecided:
        shown.append("resume" if _decision_paused(case) else "suspend")
    if undecided and (case.review is None or case.review.state == "withdrawn"):
        shown.append("review")
    if case.decided_on and not case.published_on and not case.revoked_on:
        shown.append("publish")
    if case.fine and case.served_on and not case.paid_on and not case.revoked_on:
        shown.append("pay")
    if case.revoked_on and case.published_on and not case.publicity_withdrawn_on:
        shown.append("withdraw")
    forms_: list[tuple[str, str, forms.Form]] = []
    for kind in shown:
        form_class, _code, label = RECORDS[kind]
        form = HearingForm(case=case, initial=today) if kind == "hearing" else form_class(initial=today)
        forms_.append((kind, label, form))
    return forms_


def _decision_paused(case: EnforcementCase) -> bool:
    from core.clocks.services import clock_of

    clock = clock_of(case, "decision")
    return bool(clock is not None and clock.pauses.filter(resumed_on__isnull=True).exists())


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(_visible(request.user), pk=pk)
    officers = list(case.officers.prefetch_related("certificates"))
    day = case.decided_on or _today()
    return render(
        request,
        "enforcement/detail.html",
        {
            "case": case,
            "officers": [(p, rules.certified(p, day)) for p in officers],
            "prior": list(rules.prior_offences(case)[:10]) if case.offence_on else [],
            "limitation_end": rules.limitation_end(case.offence_on, case.harms_safety),
            "review_required": case.item.review_required(case.fine, case.hearing_requested),
            "records": _record_forms(case),
            "documents": _documents(case),
            "evidence": list(case.evidence.all()),
            "clocks": clocks_of(case),
            "timeline": list(timeline_of(case)),
        },
    )


def _documents(case: EnforcementCase) -> list[tuple[str, str]]:
    from .documents import DOCUMENTS, title_of

    return [
        (kind, title_of(kind, case)) for kind, (_t, _b, available) in DOCUMENTS.items() if available(case)
    ]


@login_required
@require_POST
def record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in RECORDS:
        raise Http404
    case = get_object_or_404(_visible(request.user), pk=pk)
    form_class, code, label = RECORDS[kind]
    authorize(request.user, code, case)
    form = form_class(request.POST, request.FILES)

    def save(data: dict[str, Any]) -> None:
        if kind == "publish":
            services.case_publish(by=request.user, case=case, **data)
        elif kind == "pay":
            services.case_pay(by=request.user, case=case, **data)
        elif kind == "withdraw":
            services.case_withdraw_publicity(by=request.user, case=case, **data)
        elif kind == "evidence":
            services.evidence_add(by=request.user, case=case, **data)
        elif kind == "preserve":
            services.evidence_preserve(by=request.user, case=case, **data)
        elif kind == "preservation":
            services.preservation_decide(by=request.user, case=case, **data)
        elif kind == "hearing":
            services.case_hearing(by=request.user, case=case, **data)
        elif kind == "suspend":
            services.decision_clock_suspend(by=request.user, case=case, **data)
        elif kind == "resume":
            services.decision_clock_resume(by=request.user, case=case, **data)
        else:
            services.case_request_review(by=request.user, case=case, **data)

    return record_post(request, case, form=form, label=label, save=save)


@login_required
def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A 执法文书 of the case as .docx. The party's ID number is printed in clear only for whoever may reveal it,
    and the printing is logged as a reveal; everyone else gets it masked."""
    from core.documents import as_attachment
    from core.models import RevealLog
    from core.roles import Capability
    from core.scoping import has_capability

    from .documents import DOCUMENTS, title_of

    case = get_object_or_404(_visible(request.user), pk=pk)
    if kind not in DOCUMENTS or not DOCUMENTS[kind][2](case):
        raise Http404
    title, build = title_of(kind, case), DOCUMENTS[kind][1]
    ident = ""
    user: Any = request.user
    if case.party_id_number:
        if has_capability(user, Capability.PERSONAL_REVEAL, case):
            ident = case.party_id_number
            from django.contrib.contenttypes.models import ContentType

            RevealLog.objects.create(
                user=user,
                content_type=ContentType.objects.get_for_model(EnforcementCase),
                object_id=case.pk,
                field="party_id_number",
                region_path=case.region.path,
                reason=f"生成{title}",
            )
        else:
            field: Any = EnforcementCase._meta.get_field("party_id_number")
            ident = field.masked(case.party_id_number)
    return as_attachment(build(case, ident), f"{title}-{case.number}.docx")


class ItemForm(forms.Form):
    region = forms.ModelChoiceField(label="街镇", queryset=Region.objects.none())
    code = forms.CharField(label="事项编码", max_length=40)
    name = forms.CharField(label="事项名称", max_length=200)
    basis = forms.CharField(label="法律依据", max_length=300)
    penalty_range = forms.CharField(label="处罚种类和幅度", max_length=300)
    fine_max = forms.DecimalField(
        label="罚款上限（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    discretion = forms.CharField(label="裁量基准", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minor_exempt = forms.BooleanField(label="列入轻微违法免罚或首违不罚清单", required=False)
    needs_review = forms.BooleanField(label="作出决定前须法制审核", required=False)
    review_threshold = forms.DecimalField(
        label="罚款达到此金额须法制审核（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = Region.objects.visible_to(user).filter(level="street").order_by("path")
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = streets
        self.fields["region"].initial = streets.first()


def _street_of(user: Any) -> Region | None:
    return Region.objects.visible_to(user).filter(level="street").order_by("path").first()


@login_required
def items(request: HttpRequest) -> HttpResponse:
    def save(data: dict[str, Any]) -> str:
        data = dict(data)
        item = services.item_save(by=request.user, region=data.pop("region"), code=data.pop("code"), **data)
        messages.success(request, f"已保存执法事项：{item.code} {item.name}。")
        return request.path

    return form_page(
        request,
        code="enforcement.items",
        form=ItemForm(request.POST or None, user=request.user),
        save=save,
        template="enforcement/items.html",
        context=lambda: {"street": _street_of(request.user), **ledger_context(request, ITEMS)},
    )


def public_items(request: HttpRequest, street_code: str) -> HttpResponse:
    """The public catalogue of a street's enforcement items, with the 首违不罚 list (no sign-in)."""
    street = get_object_or_404(Region, code=street_code, level="street")
    rows = EnforcementItem._base_manager.filter(region=street, active=True).order_by("code")
    return render(request, "enforcement/public_items.html", {"street": street, "items": rows})


class CertificateForm(forms.Form):
    person = forms.TypedChoiceField(label="执法人员", coerce=int, choices=())
    number = forms.CharField(label="执法证号", max_length=40)
    issuer = forms.CharField(label="发证机关", max_length=100)
    field = forms.CharField(label="执法领域", max_length=100, initial="城市管理综合执法")
    valid_from = forms.DateField(label="有效期起", widget=DATE)
    valid_to = forms.DateField(label="有效期至", widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.visible_to(user).filter(kind=PersonKind.OFFICER, active=True).order_by("name")
        cast(forms.ChoiceField, self.fields["person"]).choices = [(p.pk, p.name) for p in people]


@login_required
def officers(request: HttpRequest) -> HttpResponse:
    from .exports import OFFICERS

    def save(data: dict[str, Any]) -> str:
        data = dict(data)
        person = get_object_or_404(Person.objects.visible_to(request.user), pk=data.pop("person"))
        services.certificate_record(by=request.user, person=person, **data)
        messages.success(request, f"已登记{person.name}的执法证{data['number']}。")
        return request.path

    return form_page(
        request,
        code="enforcement.officers",
        form=CertificateForm(request.POST or None, user=request.user),
        save=save,
        template="enforcement/officers.html",
        context=lambda: ledger_context(request, OFFICERS),
    )


# --- random inspections (双随机一公开) ---------------------------------------------------------------------


class PlanForm(forms.Form):
    region = forms.ModelChoiceField(label="街镇", queryset=Region.objects.none())
    item = forms.TypedChoiceField(label="执法事项", coerce=int, choices=())
    title = forms.CharField(label="抽查事项", max_length=200)
    sample_size = forms.IntegerField(label="抽取对象数", min_value=1, max_value=10000)
    planned_on = forms.DateField(label="计划检查日期", widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = Region.objects.visible_to(user).filter(level="street").order_by("path")
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = streets
        self.fields["region"].initial = streets.first()
        items = EnforcementItem.objects.visible_to(user).filter(active=True).order_by("code")
        cast(forms.ChoiceField, self.fields["item"]).choices = [(i.pk, f"{i.code} {i.name}") for i in items]


@login_required
def inspection_plans(request: HttpRequest) -> HttpResponse:
    from core.pagination import page_of

    from . import inspections
    from .models import InspectionPlan

    def save(data: dict[str, Any]) -> str:
        plan = inspections.plan_create(
            by=request.user,
            region=data["region"],
            item_id=data["item"],
            title=data["title"],
            sample_size=data["sample_size"],
            planned_on=data["planned_on"],
        )
        return plan.get_absolute_url()

    return form_page(
        request,
        code="enforcement.inspect",
        form=PlanForm(request.POST or None, user=request.user),
        save=save,
        template="enforcement/inspections.html",
        context=lambda: {
            "page": page_of(request, InspectionPlan.objects.visible_to(request.user).select_related("item"))
        },
    )


class ResultForm(forms.Form):
    inspection = forms.IntegerField(widget=forms.HiddenInput)
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    result = forms.ChoiceField(
        label="检查结果", choices=[c for c in InspectionResult.choices if c[0] != "pending"]
    )
    finding = forms.CharField(label="检查情况", required=False, max_length=300)


@login_required
def inspection_plan(request: HttpRequest, pk: int) -> HttpResponse:
    from . import inspections
    from .models import InspectionPlan

    plan = get_object_or_404(
        InspectionPlan.objects.visible_to(request.user).select_related("item", "region"), pk=pk
    )
    if request.method == "POST":
        authorize(request.user, "enforcement.inspect", plan.region)
        op = request.POST.get("op", "")
        try:
            if op == "draw":
                inspections.plan_draw(by=request.user, plan=plan)
                messages.success(request, "已随机抽取检查对象和执法人员。")
            elif op == "record":
                form = ResultForm(request.POST)
                if not form.is_valid():
                    raise ValidationError({k: "；".join(str(e) for e in v) for k, v in form.errors.items()})
                data = form.cleaned_data
                inspection = get_object_or_404(plan.inspections.all(), pk=data["inspection"])
                inspections.inspection_record(
                    by=request.user,
                    inspection=inspection,
                    inspected_on=data["inspected_on"],
                    result=data["result"],
                    finding=data["finding"],
                )
                messages.success(request, f"已登记{inspection.subject.name}的检查结果。")
            elif op == "publish":
                day = forms.DateField().clean(request.POST.get("published_on"))
                inspections.plan_publish(by=request.user, plan=plan, published_on=day)
                messages.success(request, "已公开抽查结果。")
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return HttpResponseRedirect(plan.get_absolute_url())
    rows = plan.inspections.select_related("subject").prefetch_related("officers")
    return render(
        request,
        "enforcement/inspection_plan.html",
        {
            "plan": plan,
            "rows": [(i, ResultForm(initial={"inspection": i.pk, "inspected_on": _today()})) for i in rows],
            "timeline": list(timeline_of(plan)),
            "today": _today(),
        },
    )


class SubjectForm(forms.Form):
    region = forms.ModelChoiceField(label="街镇", queryset=Region.objects.none())
    name = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=SubjectKind.choices)
    uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    address = forms.CharField(label="地址", required=False, max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = Region.objects.visible_to(user).filter(level="street").order_by("path")
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = streets
        self.fields["region"].initial = streets.first()


@login_required
def subjects(request: HttpRequest) -> HttpResponse:
    from core.pagination import page_of

    from . import inspections
    from .models import Subject

    def save(data: dict[str, Any]) -> str:
        subject = inspections.subject_save(by=request.user, **data)
        messages.success(request, f"已登记检查对象：{subject.name}。")
        return request.path

    def context() -> dict[str, Any]:
        q = request.GET.get("q", "").strip()[:100]
        rows = Subject.objects.visible_to(request.user)
        return {"page": page_of(request, rows.filter(name__icontains=q) if q else rows), "q": q}

    return form_page(
        request,
        code="enforcement.subjects",
        form=SubjectForm(request.POST or None, user=request.user),
        save=save,
        template="enforcement/subjects.html",
        context=context,
    )


@login_required
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from . import inspections
    from .models import Subject

    subject = get_object_or_404(Subject.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "enforcement/subject.html",
        {
            "subject": subject,
            "inspections": subject.inspections.select_related("unit", "plan", "case").order_by(
                "-inspected_on", "-pk"
            ),
            "warnings": inspections.repeat_warnings(subject),
        },
    )


# --- case-file evaluation (案卷评查) --------------------------------------------------------------------------


class CampaignForm(forms.Form):
    region = forms.ModelChoiceField(label="评查范围", queryset=Region.objects.none())
    kind = forms.ChoiceField(label="类别", choices=())
    title = forms.CharField(label="名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    started_on = forms.DateField(label="开始日期", widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from .models import EvaluationCampaign

        super().__init__(*args, **kwargs)
        regions = Region.objects.visible_to(user).filter(level__in=("district", "street")).order_by("path")
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions
        cast(forms.ChoiceField, self.fields["kind"]).choices = EvaluationCampaign.Kind.choices
        self.fields["year"].initial = _today().year
        self.fields["started_on"].initial = _today()


@login_required
def evaluations(request: HttpRequest) -> HttpResponse:
    from core.pagination import page_of

    from . import evaluation
    from .models import EvaluationCampaign

    def save(data: dict[str, Any]) -> str:
        return evaluation.campaign_start(by=request.user, **data).get_absolute_url()

    return form_page(
        request,
        code="enforcement.evaluate",
        form=CampaignForm(request.POST or None, user=request.user),
        save=save,
        template="enforcement/evaluations.html",
        context=lambda: {
            "page": page_of(
                request, EvaluationCampaign.objects.visible_to(request.user).select_related("region")
            )
        },
    )


@login_required
def evaluation_campaign(request: HttpRequest, pk: int) -> HttpResponse:
    from core.pagination import page_of

    from . import evaluation
    from .models import EvaluationCampaign

    campaign = get_object_or_404(
        EvaluationCampaign.objects.visible_to(request.user).select_related("rubric", "region"), pk=pk
    )
    rubric = campaign.rubric
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        authorize(request.user, "enforcement.evaluate", campaign.region)
        typed = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        case = (
            EnforcementCase.objects.visible_to(request.user).filter(pk=request.POST.get("case") or 0).first()
        )
        try:
            day = forms.DateField().clean(request.POST.get("evaluated_on"))
        except ValidationError:
            day = None
        if case is None:
            errors["case"] = "请选择案卷"
        elif day is None:
            errors["evaluated_on"] = "评查日期：请填写有效日期"
        else:
            try:
                done = evaluation.evaluate(
                    by=request.user,
                    campaign=campaign,
                    case=case,
                    scores={i["code"]: request.POST.get(f"score_{i['code']}", "") for i in rubric.scored},
                    vetoes=request.POST.getlist("vetoes"),
                    evaluated_on=day,
                    note=request.POST.get("note", ""),
                )
            except ValidationError as exc:
                errors = field_errors(exc)
            else:
                verdict = "合格" if done.passed else "不合格"
                messages.success(request, f"已评查{case.number}：{done.total}分，{verdict}。")
                return HttpResponseRedirect(campaign.get_absolute_url())
    cases = EnforcementCase.objects.visible_to(request.user).filter(
        region__path__startswith=campaign.region.path
    )
    if campaign.kind == EvaluationCampaign.Kind.SELF_CHECK:
        cases = cases.filter(state="closed", closed_on__year=campaign.year)
    done_ids = set(campaign.evaluations.values_list("case_id", flat=True))
    evaluated = campaign.evaluations.select_related("case", "evaluator").order_by("case__number")
    return render(
        request,
        "enforcement/evaluation.html",
        {
            "campaign": campaign,
            "rubric": rubric,
            "summary": evaluation.summary(campaign),
            "page": page_of(request, evaluated),
            "candidates": [c for c in cases.order_by("number")[:500] if c.pk not in done_ids],
            "candidates_total": cases.exclude(pk__in=done_ids).count(),
            "typed": typed,
            "errors": errors,
            "today": _today(),
        },
        status=400 if errors else 200,
    )
