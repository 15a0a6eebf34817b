from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from core.clocks.rules import RULES
from core.models.people import PersonKind


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误",
        "inactive": "该账号已停用",
    }
    # Failed sign-ins are counted and locked by django-axes (core/auth.py), through authenticate().


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="姓名/专长/单位", required=False)
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别"), *PersonKind.choices])
    region = forms.IntegerField(label="区域", required=False, widget=forms.HiddenInput)


class DeadlineForm(forms.Form):
    rule = forms.ChoiceField(
        label="时限规则", choices=[(r.id, f"{r.name}（{r.length_text}）") for r in RULES.values()]
    )
    start = forms.DateField(
        label="起算事件日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "起算日期格式应为 YYYY-MM-DD", "required": "请填写起算日期"},
    )


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", "身份证号"), ("phone", "联系电话")])
    reason = forms.CharField(
        label="查看事由",
        min_length=2,
        max_length=200,
        error_messages={"required": "请填写查看事由", "min_length": "查看事由至少2个字"},
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="填好的模板（.xlsx）", error_messages={"required": "请选择要导入的文件"})


def field_errors(exc: ValidationError) -> dict[str, str]:
    """A service's ValidationError as {field: message} for a page (``__all__`` when it names no field)."""
    if hasattr(exc, "error_dict"):
        return {k: "；".join(v) for k, v in exc.message_dict.items()}
    return {"__all__": "；".join(exc.messages)}
