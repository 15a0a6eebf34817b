"""Workflow: each case type declares its states and actions in one table.

The only way to change a case's state is ``transition(case, action, by=user, ...)``: it checks
visibility, the table (from-states, roles at the case's region, required data, the guard) and
the version the user saw, then saves, runs the action's effect (clocks, related records) and
writes the timeline event, all in one transaction. Pages and API derive their buttons and
endpoints from the same table, and ``Workflow.mermaid()`` draws the state diagram.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

from core.audit import changelog
from core.audit.timeline import timeline_record
from core.db import atomic
from core.permissions import Permission, allowed, declare, visible
from core.permissions import refusal as permission_refusal
from core.scoping import ScopedManager

Guard = Callable[[Any, dict[str, Any], Any], str | None]
Effect = Callable[[Any, dict[str, Any], Any], None]


class WorkflowCase(models.Model):
    """Abstract base of every case that moves through a workflow table (状态、版本、所属区域)."""

    state = models.CharField("状态", max_length=40, db_index=True)
    version = models.PositiveIntegerField("版本", default=1)
    region = models.ForeignKey(
        "core.Region",
        verbose_name="所属区域",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
    )

    scope_path = "region__path"
    objects = ScopedManager()

    class Meta:
        abstract = True

    @property
    def state_label(self) -> str:
        return workflow_for(type(self)).state_label(self.state)


@dataclass(frozen=True)
class Field:
    """A piece of data an action asks for (rendered in its form, checked by ``transition``)."""

    name: str
    label: str
    kind: str = "text"  # text | textarea | date | int | decimal | choice | multichoice
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    # Choices that depend on the case and the user (e.g. the committees and mediators in scope).
    choices_for: Callable[[Any, Any], list[tuple[str, str]]] | None = None

    def options(self, case: Any, user: Any) -> list[tuple[str, str]]:
        return self.choices_for(case, user) if self.choices_for else list(self.choices)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    source: tuple[str, ...]
    target: str
    roles: frozenset[str]
    fields: tuple[Field, ...] = ()
    guard: Guard | None = None
    effect: Effect | None = (
        None  # sets fields on the case (saved by ``transition``) and writes related records
    )
    style: str = "primary"  # primary | secondary | danger (for buttons)
    # The workflow's ``assigned_roles`` may take this action only on cases assigned to them or their unit.
    assigned: bool = False
    # Whether the action belongs to this kind of case at all (a simple-procedure case is never notified in
    # advance): not offered otherwise, and its guard refuses it. None: every case.
    when: Callable[[Any], bool] | None = None


@dataclass
class Workflow:
    model: str  # "app_label.ModelName"
    states: type[models.TextChoices]
    initial: str
    actions: list[Action] = field(default_factory=list)
    # Roles that act only on the cases assigned to them (for the actions marked ``assigned``).
    assigned_roles: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        names = [a.name for a in self.actions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.model}: duplicate action names")
        valid = set(self.states.values)
        for a in self.actions:
            unknown = (set(a.source) | {a.target}) - valid
            if unknown:
                raise ValueError(f"{self.model}.{a.name}: unknown states {sorted(unknown)}")

    def action(self, name: str) -> Action:
        for a in self.actions:
            if a.name == name:
                return a
        raise Http404(f"没有名为“{name}”的操作")

    def state_label(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except ValueError:
            return state

    def permission_code(self, action: Action) -> str:
        """The action's row in the permission table: ``<app>.<model>.<action>``."""
        return f"{self.model.lower()}.{action.name}"

    def available(self, case: Any, user: Any) -> list[Action]:
        """Actions the user may start on the case now (state and the permission table; guards run on submit)."""
        return [
            a
            for a in self.actions
            if case.state in a.source
            and (a.when is None or a.when(case))
            and allowed(user, self.permission_code(a), case)
        ]

    def main_path(self) -> list[str]:
        """The states a case passes through when every step goes forward: from the initial state, each time
        the first *primary* action to a state not yet on the path (for the step indicator of case pages)."""
        path = [self.initial]
        while True:
            step = next(
                (
                    a
                    for a in self.actions
                    if a.style == "primary" and path[-1] in a.source and a.target not in path
                ),
                None,
            )
            if step is None:
                return path
            path.append(step.target)

    def steps(self, state: str, came_from: str | None = None) -> list[tuple[str, str]]:
        """The step indicator of a case in ``state``: (label, done | current | todo) along the main path. A
        state off the path (调解不成, 不予受理 …) ends the steps after the one the case left the path from
        (``came_from``, read from its timeline; unknown: the first)."""
        path = self.main_path()
        if state in path:
            at = path.index(state)
            return [
                (self.state_label(s), "done" if i < at else "current" if i == at else "todo")
                for i, s in enumerate(path)
            ]
        reached = path.index(came_from) if came_from in path else 0
        return [(self.state_label(s), "done") for s in path[: reached + 1]] + [
            (self.state_label(state), "current")
        ]

    def mermaid(self) -> str:
        lines = ["stateDiagram-v2"]
        for value, label in self.states.choices:
            lines.append(f'    state "{label}" as {value}')
        lines.append(f"    [*] --> {self.initial}")
        for a in self.actions:
            for src in a.source:
                lines.append(f"    {src} --> {a.target}: {a.label}")
        return "\n".join(lines) + "\n"


_REGISTRY: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    """Register a workflow table; each of its actions joins the permission table."""
    _REGISTRY[workflow.model.lower()] = workflow
    meta = apps.get_model(workflow.model)._meta
    declare(
        *(
            Permission(
                workflow.permission_code(a),
                f"执行“{a.label}”",
                str(meta.verbose_name),
                a.roles,
                assigned_roles=workflow.assigned_roles if a.assigned else frozenset(),
                group=str(meta.app_config.verbose_name) if meta.app_config else "",
            )
            for a in workflow.actions
        )
    )
    return workflow


def workflow_for(model: type[models.Model] | str) -> Workflow:
    key = model if isinstance(model, str) else model._meta.label
    return _REGISTRY[key.lower()]


def registered() -> list[Workflow]:
    return list(_REGISTRY.values())


def model_of(workflow: Workflow) -> type[models.Model]:
    return apps.get_model(workflow.model)


class TransitionNotAllowed(Exception):
    """The action is not open to this user or in this state (message in Chinese)."""


class ActionRefused(TransitionNotAllowed, PermissionDenied):
    """The permission table does not let this user take the action on this case (403 on pages and API)."""


class Conflict(Exception):
    """The case changed since the user loaded it (stale version)."""

    def __init__(self, current: int, seen: int) -> None:
        super().__init__(
            f"该事项已被他人更新（您看到的是第{seen}版，当前为第{current}版）。"
            "您填写的内容已保留，请核对最新情况后重新提交。"
        )
        self.current, self.seen = current, seen


def clean_data(action: Action, raw: Mapping[str, Any], case: Any = None, user: Any = None) -> dict[str, Any]:
    """Check and convert the action's data; errors name the field in Chinese."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    for f in action.fields:
        if f.kind == "multichoice":
            values = raw.getlist(f.name) if hasattr(raw, "getlist") else raw.get(f.name) or []
            if isinstance(values, str):
                values = [v for v in values.split(",") if v.strip()]
            values = [str(v).strip() for v in values]
            if not values:
                if f.required:
                    errors[f.name] = f"请选择“{f.label}”"
                continue
            allowed = {c for c, _ in f.options(case, user)}
            if any(v not in allowed for v in values):
                errors[f.name] = f"“{f.label}”的取值不在可选范围内"
                continue
            data[f.name] = values
            continue
        value = raw.get(f.name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if f.required:
                errors[f.name] = f"请填写“{f.label}”"
            continue
        if f.kind == "choice" and f.choices_for is not None:
            if str(value) not in {c for c, _ in f.options(case, user)}:
                errors[f.name] = f"“{f.label}”的取值不在可选范围内"
                continue
            data[f.name] = str(value)
            continue
        try:
            data[f.name] = _convert(f, value)
        except ValueError as exc:
            errors[f.name] = f"“{f.label}”{exc}"
    if errors:
        raise ValidationError(errors)
    return data


def _convert(f: Field, value: Any) -> Any:
    if f.kind == "date":
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError("应为日期，格式为 YYYY-MM-DD") from None
    if f.kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValueError("应为整数") from None
    if f.kind == "decimal":
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError("应为数字") from None
    if f.kind == "choice":
        allowed = {c for c, _ in f.choices}
        if value not in allowed:
            raise ValueError("的取值不在可选范围内")
    return str(value) if f.kind in {"text", "textarea", "choice"} else value


def transition(
    case: Any,
    action: str,
    *,
    by: Any,
    version: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> Any:
    """Run ``action`` on ``case`` as ``by``; return the updated case."""
    model = type(case)
    wf = workflow_for(model)
    act = wf.action(action)
    with atomic():
        # The caller's case, when it holds the row as locked and written in this transaction
        fresh: Any = changelog.current_copy(case)
        if fresh is not None:
            if not visible(by, fresh):
                raise Http404("未找到该事项")
        else:  # visible to the user, read and locked (the row only: its region is not)
            try:
                fresh = model.objects.visible_to(by).select_for_update(of=("self",)).get(pk=case.pk)
            except model.DoesNotExist:
                raise Http404("未找到该事项") from None
            changelog.hold(fresh)
        _keep_related(case, fresh)
        if version is not None and fresh.version != version:
            raise Conflict(fresh.version, version)
        if fresh.state not in act.source:
            raise TransitionNotAllowed(f"当前状态为“{wf.state_label(fresh.state)}”，不能执行“{act.label}”")
        if not allowed(by, wf.permission_code(act), fresh):
            raise ActionRefused(permission_refusal(wf.permission_code(act)))
        cleaned = clean_data(act, data or {}, fresh, by)
        if act.guard is not None:
            refusal = act.guard(fresh, cleaned, by)
            if refusal:
                raise TransitionNotAllowed(refusal)
        before = fresh.state
        fresh.state = act.target
        fresh.version += 1
        if act.effect is not None:
            # The effect sets fields and writes related records; the case is saved once, below.
            act.effect(fresh, cleaned, by)
        fresh.save()
        timeline_record(
            fresh,
            kind="transition",
            action=act.name,
            summary=f"{act.label}：{wf.state_label(before)} → {wf.state_label(act.target)}",
            by=by,
            data={"from": before, "to": act.target, **cleaned},
        )
    return fresh


def _keep_related(case: Any, fresh: Any) -> None:
    """Give the freshly locked row the objects its foreign keys point to that the caller's instance already
    holds (its region, its type …), where the key is unchanged, and the one-to-one records that point to it
    which the caller holds (a dispute's agreement): they are not read again for its checks, its change-log
    entry and its timeline. A one-to-one record the caller found missing, and the reverse relations to many,
    are not copied: the row may have gained them since."""
    cached = case._state.fields_cache
    if not cached:
        return
    meta = type(case)._meta
    for f in meta.concrete_fields:
        if f.many_to_one and f.name in cached and getattr(fresh, f.attname) == getattr(case, f.attname):
            fresh._state.fields_cache.setdefault(f.name, cached[f.name])
    for rel in meta.related_objects:
        name = rel.get_accessor_name()
        if rel.one_to_one and name and cached.get(name) is not None:
            fresh._state.fields_cache.setdefault(name, cached[name])


def initial_state(model: type[models.Model]) -> str:
    return workflow_for(model).initial


def role_labels(roles: Iterable[str]) -> str:
    from core.roles import Role

    return "、".join(str(Role(r).label) for r in roles)
