"""Shared pieces for case APIs: one endpoint per workflow action, each with its own request schema.

``action_routes`` adds ``POST <prefix>/{case_id}/actions/<action>`` for every action of a case type's workflow
table. Each operation's request body is generated from the action's declared fields (types, required, Chinese
descriptions, the allowed values), so the OpenAPI document says exactly what each action takes. The handler
finds the case in the caller's scope (404 outside), runs ``transition`` (403 refused, 400 bad data, 409 stale
version) and returns the fresh case with the actions the caller may take next (``actions``).
"""

# No ``from __future__ import annotations`` here: the generated endpoints' annotations must be real objects.

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import create_model

from core.api_auth import API_AUTH
from core.permissions import allowed, refusal
from core.workflow import Action, ActionRefused, Workflow, role_labels, transition, workflow_for
from core.workflow import Field as ActionField

TEXT_MAX = {"text": 500, "textarea": 5000}


class Detail(Schema):
    detail: Any


def with_actions(case: Model, user: Any) -> Model:
    """Attach the names of the actions ``user`` may take now (serialised as ``actions``)."""
    case.actions = [a.name for a in workflow_for(type(case)).available(case, user)]  # type: ignore[attr-defined]
    return case


def run_action(
    queryset: QuerySet, pk: int, action: str, *, version: int | None, data: dict[str, Any], user: Any
) -> Model:
    case = get_object_or_404(queryset, pk=pk)
    case = transition(case, action, by=user, version=version, data=data)
    return with_actions(type(case).objects.get(pk=case.pk), user)


def _field_type(f: ActionField) -> tuple[Any, dict[str, Any]]:
    """The Python type and the pydantic constraints of one action field."""
    if f.kind == "date":
        return dt.date, {}
    if f.kind == "int":
        return int, {"ge": 0, "le": 10**9}
    if f.kind == "decimal":
        return Decimal, {"ge": 0, "le": Decimal(10) ** 12, "max_digits": 16, "decimal_places": 2}
    if f.kind == "multichoice":
        return list[str], {"max_length": 50}
    if f.kind == "choice" and f.choices and f.choices_for is None:
        return Literal[tuple(value for value, _ in f.choices)], {}
    return str, {"max_length": TEXT_MAX.get(f.kind, 200)}


def _description(f: ActionField) -> str:
    text = f.label
    if f.kind == "choice" and f.choices and f.choices_for is None:
        text += "。可选：" + "；".join(f"{value}（{label}）" for value, label in f.choices)
    elif f.choices_for is not None:
        text += "。取值为编号，可选范围随事项和调用者的工作范围而定" + (
            "（可多选）" if f.kind == "multichoice" else ""
        )
    elif f.kind == "date":
        text += "，格式 YYYY-MM-DD"
    return text


def action_schema(wf: Workflow, act: Action) -> type[Schema]:
    """The request body of one action: ``{"version": …, "data": {…the action's fields…}}``."""
    base = wf.model.split(".")[-1] + act.name.title().replace("_", "")
    fields: dict[str, Any] = {}
    for f in act.fields:
        typ, constraints = _field_type(f)
        if f.required:
            fields[f.name] = (typ, Field(..., description=_description(f), **constraints))
        else:
            fields[f.name] = (typ | None, Field(None, description=_description(f), **constraints))
    data_model = create_model(f"{base}Data", __base__=Schema, **fields)
    data_default = ... if any(f.required for f in act.fields) else Field(default_factory=data_model)
    return create_model(
        f"{base}In",
        __base__=Schema,
        version=(
            int | None,
            Field(None, ge=1, le=2**31 - 1, description="您看到的版本；与当前版本不一致时返回409"),
        ),
        data=(data_model, data_default),
    )


def action_routes(
    router: Router,
    *,
    model: type[Model],
    prefix: str,
    response: type[Schema],
    queryset: Callable[[HttpRequest], QuerySet] | None = None,
    tags: list[str] | None = None,
) -> None:
    """Add ``POST {prefix}/{case_id}/actions/<action>`` for every action of ``model``'s workflow table.

    The cases are looked up in ``queryset(request)``: by default ``model.objects.visible_to(request.user)``."""
    if queryset is None:
        queryset = lambda request: model.objects.visible_to(request.user)  # type: ignore[attr-defined]  # noqa: E731
    wf = workflow_for(model)
    state_labels = dict(wf.states.choices)
    for act in wf.actions:
        schema = action_schema(wf, act)
        sources = "、".join(str(state_labels[s]) for s in act.source)
        description = (
            f"“{act.label}”：事项处于{sources}时，由{role_labels(sorted(act.roles))}在其工作范围内办理，"
            f"办理后为“{state_labels[act.target]}”。范围外的事项返回404；无权办理或状态不符返回403；"
            "数据有误返回400（逐项说明）；版本已变返回409。"
        )
        router.add_api_operation(
            f"{prefix}/{{case_id}}/actions/{act.name}",
            ["POST"],
            _endpoint(act.name, schema, queryset),
            response={200: response, 400: Detail, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
            summary=f"{act.label}",
            description=description,
            operation_id=f"{model._meta.model_name}_action_{act.name}",
            tags=tags,
            auth=_guards(queryset, wf.permission_code(act)),
        )


class _ActionGuard:
    """One of the API's authenticators, followed by the action's checks before the request body is read: the
    case must be in the caller's scope (404) and the permission table must allow the action on it (403)."""

    def __init__(self, base: Any, queryset: Callable[[HttpRequest], QuerySet], code: str) -> None:
        self.base, self.queryset, self.code = base, queryset, code
        self.openapi_security_schema = base.openapi_security_schema

    def __call__(self, request: HttpRequest) -> Any:
        user = self.base(request)
        if not user:
            return user
        pk = str((request.resolver_match.kwargs if request.resolver_match else {}).get("case_id", ""))
        if pk.isdigit():
            case = get_object_or_404(self.queryset(request), pk=int(pk))
            if not allowed(user, self.code, case):
                raise ActionRefused(refusal(self.code))
        return user


def _guards(queryset: Callable[[HttpRequest], QuerySet], code: str) -> list[Any]:
    # Named like the authenticators they wrap, so the OpenAPI document keeps the same security schemes.
    return [type(type(base).__name__, (_ActionGuard,), {})(base, queryset, code) for base in API_AUTH]


def _endpoint(action: str, schema: type[Schema], queryset: Callable[[HttpRequest], QuerySet]) -> Callable:
    def endpoint(request, case_id, payload):
        data = payload.data.model_dump(exclude_none=True)
        case = run_action(
            queryset(request), case_id, action, version=payload.version, data=data, user=request.user
        )
        return Status(200, case)

    endpoint.__annotations__ = {"request": HttpRequest, "case_id": int, "payload": schema, "return": Any}
    endpoint.__name__ = f"action_{action}"
    return endpoint
