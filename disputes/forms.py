from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from core.forms import field_errors
from core.models import Region

from .choices import AgreementKind, DisputeState, Fulfilment, PartyKind, PartyRole, RiskLevel, Source
from .models import DESCRIPTION_MAX, DisputeType

PARTY_SLOTS = 3


def _types() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in DisputeType.objects.filter(active=True)]


def intake_field_errors(exc: ValidationError) -> dict[str, str]:
    """The intake service's refusal keyed by the form's fields (``parties[1].phone`` is ``p1_phone``), so each
    message can stand next to its field."""
    return {re.sub(r"^parties\[(\d+)\]\.", r"p\1_", k): v for k, v in field_errors(exc).items()}


class FollowingSelect(forms.Select):
    """A select whose options belong to a choice made in another field (a grid to its community): the page shows
    only the options of the chosen one."""

    def __init__(self, *, follows: str, parents: dict[str, str]) -> None:
        super().__init__(attrs={"data-follows": follows})
        self.parents = parents

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        parent = self.parents.get(str(value))
        if parent:
            option["attrs"]["data-parent"] = parent
        return option


class IntakeForm(forms.Form):
    """Staff and public intake share this form; parties come in numbered slots (p0_, p1_, p2_)."""

    dispute_type = forms.ChoiceField(label="纠纷类型", choices=())
    community = forms.ChoiceField(label="所在居村", choices=())
    address = forms.CharField(label="纠纷发生地址", max_length=200, required=False)
    description = forms.CharField(
        label="纠纷概要",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "data-counter": ""}),
        error_messages={"max_length": f"纠纷概要至多{DESCRIPTION_MAX}字，请精简，详细材料可作为附件上传"},
    )
    amount = forms.DecimalField(
        label="涉及金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    people_count = forms.IntegerField(label="涉及人数", min_value=1, initial=1)
    threat = forms.BooleanField(label="有扬言极端行为等过激言行", required=False)
    attachment = forms.FileField(label="附件（PDF、图片、Word、Excel，≤10MB）", required=False)
    grid = forms.ChoiceField(label="网格", required=False, choices=())

    def __init__(
        self, *args: Any, communities: Any, public: bool = False, captcha: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.public = public
        if captcha:
            self.add_captcha()
        cast(forms.ChoiceField, self.fields["dispute_type"]).choices = [("", "请选择"), *_types()]
        grids = (
            Region.objects.filter(level="grid", parent__in=communities)
            .select_related("parent")
            .order_by("path")
        )
        cast(forms.ChoiceField, self.fields["grid"]).choices = [
            ("", "不确定"),
            *[(str(g.pk), f"{g.parent.name if g.parent else ''} {g.name}") for g in grids],
        ]
        # The grid list follows the chosen community (static/js/fazhi.js): each option names its community.
        self.fields["grid"].widget = FollowingSelect(
            follows="community", parents={str(g.pk): str(g.parent_id) for g in grids}
        )
        self.fields["grid"].widget.choices = self.fields["grid"].choices  # type: ignore[attr-defined]
        cast(forms.ChoiceField, self.fields["community"]).choices = [
            ("", "请选择"),
            *[(str(c.pk), c.name) for c in communities],
        ]
        if not public:
            self.fields["source"] = forms.ChoiceField(
                label="纠纷来源", choices=[("", "请选择"), *Source.choices]
            )
            self.fields["external_ref"] = forms.CharField(label="来源编号（如12345工单号）", required=False)
        for i in range(PARTY_SLOTS):
            required = i == 0
            roles = (
                PartyRole.choices if not (public and i == 0) else [(PartyRole.APPLICANT, "申请人（本人）")]
            )
            self.fields[f"p{i}_role"] = forms.ChoiceField(
                label="身份",
                choices=roles,
                required=required,
                initial=PartyRole.APPLICANT if i == 0 else PartyRole.RESPONDENT,
            )
            self.fields[f"p{i}_kind"] = forms.ChoiceField(
                label="类别", choices=PartyKind.choices, required=False
            )
            self.fields[f"p{i}_name"] = forms.CharField(label="姓名/名称", required=required, max_length=100)
            self.fields[f"p{i}_id_number"] = forms.CharField(label="身份证号", required=False, max_length=18)
            self.fields[f"p{i}_phone"] = forms.CharField(
                label="联系电话",
                required=public and i == 0,
                max_length=20,
                widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
                help_text="手机或固定电话（如 021-61234567）",
            )
            self.fields[f"p{i}_address"] = forms.CharField(label="住址", required=False, max_length=200)
            self.fields[f"p{i}_uscc"] = forms.CharField(
                label="统一社会信用代码", required=False, max_length=18
            )

    def add_captcha(self) -> None:
        """The public page asks for the self-hosted CAPTCHA after a few attempts from one address."""
        from captcha.fields import CaptchaField

        self.fields["captcha"] = CaptchaField(
            label="验证码（请输入图片中的字符）",
            error_messages={"invalid": "验证码错误，请重新输入图片中的字符", "required": "请输入验证码"},
        )

    def party_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"p{i}_{k}"] for k in ("role", "kind", "name", "id_number", "phone", "address", "uscc")]
            for i in range(PARTY_SLOTS)
        ]

    def intake_values(self) -> dict[str, Any]:
        """The cleaned form as ``services.dispute_intake`` keyword arguments (public intake is 网上申请)."""
        d = self.cleaned_data
        return {
            "source": "online" if self.public else d["source"],
            "external_ref": "" if self.public else d.get("external_ref", ""),
            "dispute_type": d["dispute_type"],
            "community": int(d["community"]),
            "grid": int(d["grid"]) if d.get("grid") else None,
            "description": d["description"],
            "address": d["address"],
            "amount": d["amount"],
            "people_count": d["people_count"],
            "threat": d["threat"],
            "parties": self.parties(),
            "attachments": [d["attachment"]] if d.get("attachment") else [],
        }

    def parties(self) -> list[dict[str, Any]]:
        out = []
        for i in range(PARTY_SLOTS):
            name = self.cleaned_data.get(f"p{i}_name")
            if not name:
                continue
            out.append(
                {
                    k: self.cleaned_data.get(f"p{i}_{k}") or ""
                    for k in ("role", "kind", "name", "id_number", "phone", "address", "uscc")
                }
            )
        return out


class FilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False)
    party = forms.CharField(label="当事人（姓名/证件/电话）", required=False)
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *DisputeState.choices])
    dispute_type = forms.ChoiceField(label="类型", required=False, choices=())
    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部来源"), *Source.choices])
    community = forms.TypedChoiceField(label="居村", required=False, coerce=int, empty_value=None, choices=())
    risk = forms.ChoiceField(label="风险", required=False, choices=[("", "全部风险"), *RiskLevel.choices])
    date_from = forms.DateField(
        label="受理自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    queue = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["dispute_type"]).choices = [("", "全部类型"), *_types()]
        regions = community_choices_for(user).values_list("pk", "name") if user is not None else []
        cast(forms.ChoiceField, self.fields["community"]).choices = [
            ("", "全部居村"),
            *[(str(pk), n) for pk, n in regions],
        ]


class EscalationForm(forms.Form):
    reported_to = forms.CharField(label="报告对象", max_length=100)
    note = forms.CharField(label="说明", max_length=300, required=False)
    escalated_out = forms.BooleanField(label="纠纷移出街镇处理（出街镇）", required=False)


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(
        label="调解时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label="地点", max_length=100)
    participants = forms.CharField(label="参加人员", max_length=300)
    summary = forms.CharField(label="调解经过", widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label="协议形式", choices=AgreementKind.choices)
    facts = forms.CharField(label="主要事实、争议事项及各方责任", widget=forms.Textarea(attrs={"rows": 3}))
    terms = forms.CharField(label="协议内容", widget=forms.Textarea(attrs={"rows": 3}))
    effective_on = forms.DateField(
        label="生效日期（各方签字之日）", widget=forms.DateInput(attrs={"type": "date"})
    )
    schedule = forms.CharField(
        label="履行期限（每行：日期 事项）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-12-01 支付赔偿款5000元"}),
    )


class FollowUpForm(forms.Form):
    follow_up = forms.IntegerField(widget=forms.HiddenInput)
    visited_on = forms.DateField(label="回访日期", widget=forms.DateInput(attrs={"type": "date"}))
    fulfilment = forms.ChoiceField(label="履行情况", choices=Fulfilment.choices)
    note = forms.CharField(label="回访情况", max_length=300, required=False)


class ConfirmationForm(forms.Form):
    court = forms.CharField(label="受理法院", max_length=100)
    applied_on = forms.DateField(label="申请日期", widget=forms.DateInput(attrs={"type": "date"}))


class ConfirmationDecisionForm(forms.Form):
    accepted_on = forms.DateField(label="法院受理日期", widget=forms.DateInput(attrs={"type": "date"}))
    decision = forms.ChoiceField(
        label="裁定结果", choices=[("confirmed", "确认有效"), ("rejected", "驳回申请")]
    )
    decided_on = forms.DateField(label="裁定日期", widget=forms.DateInput(attrs={"type": "date"}))


class SatisfactionForm(forms.Form):
    score = forms.TypedChoiceField(
        label="满意度", coerce=int, choices=[(i, f"{i}分") for i in range(5, 0, -1)]
    )


class InvitationForm(forms.Form):
    person = forms.IntegerField(label="受邀人员")
    purpose = forms.CharField(label="邀请事由", max_length=200)


class UploadScanForm(forms.Form):
    scan = forms.FileField(label="签字盖章的协议书扫描件（PDF/JPG/PNG）")


class StatsForm(forms.Form):
    region = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date_from = forms.DateField(label="自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))


def community_choices_for(user: Any | None) -> Any:
    qs = (
        Region.objects.filter(level="community")
        if user is None
        else Region.objects.visible_to(user).filter(level="community")
    )
    return qs.order_by("path")


class UrgeForm(forms.Form):
    note = forms.CharField(
        label="催办督办要求", max_length=300, widget=forms.Textarea(attrs={"rows": 2, "data-counter": ""})
    )
