from __future__ import annotations

from typing import Any

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


def form_page(
    request: Any,
    *,
    code: str,
    form: Any,
    save: Any,
    template: str,
    context: Any,
) -> Any:
    """A page that lists records with a form that adds one: the form is posted only by whoever the permission
    table allows (``code``; 403 otherwise), a refusal of the service stands beside the form (status 400), and
    once saved the page redirects to what ``save(cleaned_data)`` returns. ``context()`` gives the page's own
    context (a callable: nothing is read for a redirect)."""
    from django.http import HttpResponseRedirect
    from django.shortcuts import render

    from core.permissions import authorize

    errors: dict[str, str] = {}
    if request.method == "POST":
        authorize(request.user, code)
        if form.is_valid():
            try:
                target = save(form.cleaned_data)
            except ValidationError as exc:
                errors = field_errors(exc)
            else:
                return HttpResponseRedirect(target)
    return render(
        request,
        template,
        {"form": form, "errors": errors, **context()},
        status=400 if request.method == "POST" else 200,
    )


def record_post(request: Any, obj: Any, *, form: Any, label: str, save: Any) -> Any:
    """A record posted from a case page (a small form in its own fold): the form's problems as one message naming
    each field, the service's refusal as another, else ``save(cleaned_data)``'s message (or 已<label>。); always
    back to the case's page, where the message stands above the steps."""
    from django.contrib import messages
    from django.http import HttpResponseRedirect

    if not form.is_valid():
        problems = "；".join(
            f"{form.fields[k].label}：{'，'.join(str(e) for e in v)}" if k in form.fields else "，".join(v)
            for k, v in form.errors.items()
        )
        messages.error(request, f"{label}：{problems}")
        return HttpResponseRedirect(obj.get_absolute_url())
    try:
        said = save(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, f"{label}：" + "；".join(exc.messages))
    else:
        messages.success(request, said if isinstance(said, str) else f"已{label}。")
    return HttpResponseRedirect(obj.get_absolute_url())


def query_pk(value: Any) -> int:
    """A record id from the query string (``?dispute=12``); 0 for anything else, so that nothing is found."""
    return int(value) if value and str(value).isdigit() else 0
