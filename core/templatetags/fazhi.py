from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from core.personal import EncryptedCharField, Undecryptable
from core.workflow import workflow_for

register = template.Library()


@register.filter
def masked(obj: Any, field: str) -> str:
    """The masked value of an encrypted personal-data field (what pages and exports show)."""
    model_field = obj._meta.get_field(field)
    value = getattr(obj, field)
    if isinstance(model_field, EncryptedCharField):
        return model_field.masked(value) if value or isinstance(value, Undecryptable) else "—"
    return value or "—"


@register.inclusion_tag("core/_workflow_actions.html", takes_context=True)
def workflow_actions(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """Buttons (with their small forms) for every action the user may take on ``case`` now."""
    user = context["request"].user
    wf = workflow_for(type(case))
    meta = case._meta
    actions = [
        (
            a,
            reverse("core:workflow_action", args=[meta.app_label, meta.model_name, case.pk, a.name]),
            action_fields(a, case, user),
        )
        for a in wf.available(case, user)
    ]
    primary = [x for x in actions if x[0].style == "primary"]
    return {
        "case": case,
        "actions": actions,
        "primary": primary,
        "single": len(primary) == 1,  # one next step: its form stands open
        "others": [x for x in actions if x[0].style != "primary"],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("core/_workflow_steps.html")
def workflow_steps(case: Any) -> dict[str, Any]:
    """The case's step indicator: the workflow's main path, done, current and to come."""
    from core.audit.timeline import timeline_of

    wf = workflow_for(type(case))
    came_from = None
    if case.state not in wf.main_path():  # off the path: from where it left it (one query)
        last = timeline_of(case).filter(kind="transition").select_related(None).order_by("-seq").first()
        came_from = (last.data or {}).get("from") if last is not None else None
    return {"steps": wf.steps(case.state, came_from)}


def action_fields(
    action: Any, case: Any, user: Any, data: Any = None, errors: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The fields of ``action``'s form (``core/_action_fields.html``): options, the values to show — what the
    user typed when the form comes back with an error (every choice of a multiple choice), else today for a
    date — and each field's own error."""
    from django.utils import timezone

    fields = []
    for f in action.fields:
        if data is not None:
            values = [
                str(v) for v in (data.getlist(f.name) if hasattr(data, "getlist") else [data.get(f.name, "")])
            ]
        else:
            values = [timezone.localdate().isoformat()] if f.kind == "date" else []
        fields.append(
            {
                "field": f,
                "options": f.options(case, user) if f.kind in ("choice", "multichoice") else [],
                "values": values,
                "value": values[0] if values else "",
                "error": (errors or {}).get(f.name, ""),
            }
        )
    return fields


STATE_CLASS = {
    "on_time": "ok",
    "due_soon": "warn",
    "overdue": "late",
    "met": "done",
    "met_late": "done-late",
}


@register.filter
def wan(amount: Any) -> str:
    """An amount in yuan as people read it: 2,040.80万元 from ten thousand up, else 3,500元."""
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return ""
    if abs(value) >= 10000:
        return f"{value / 10000:,.2f}万元"
    return f"{value:,.0f}元" if value == value.to_integral() else f"{value:,.2f}元"


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASS.get(str(state), "")


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``{{ data|get_item:name }}``: keep what the user typed when a form comes back with an error."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def download_url(obj: Any, field: str) -> str:
    """``{{ attachment|download_url:"file" }}``: the one download view for an uploaded file (core/downloads.py)."""
    from core.downloads import download_url as url

    return url(obj, field)


@register.simple_tag(takes_context=True)
def download_link(context: Any, obj: Any, field: str, text: str = "") -> str:
    """A link to the uploaded file when the user may download it, else just its name."""
    from django.utils.html import format_html

    from core.downloads import download_url as url
    from core.downloads import downloads, may_download

    spec = downloads()[f"{obj._meta.label_lower}.{field}"]
    file = getattr(obj, field)
    label = text or str(getattr(obj, "name", "") or file.name.rsplit("/", 1)[-1])
    user = context["request"].user
    if file and may_download(user, spec, obj):
        return format_html('<a href="{}" data-testid="download">{}</a>', url(obj, field), label)
    return format_html("{}", label)


@register.filter
def may(user: Any, code: str) -> bool:
    """``{% if request.user|may:"disputes.intake" %}``: whether the permission table lets the user do it
    somewhere in their scope (links and forms are shown only then)."""
    from core.permissions import allowed

    return allowed(user, code)


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], code: str, target: Any = None) -> bool:
    """``{% can "administration.review.respond" item as may_respond %}``: the permission table on an object."""
    from core.permissions import allowed

    return allowed(context["request"].user, code, target)
