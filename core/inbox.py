"""What waits for a user: every case, of every registered workflow, that stands where the user can take its next
step — whether or not a clock runs on it yet.

A case waits for the user when it is in their scope and in a state from which the workflow table gives them a
*primary* action (the expected next step: 研判, 分派, 接受分派, 结案 …; not 退回 or 终止, which are styled as secondary
or dangerous). For an action the user may take only on cases assigned to them (a mediator accepting), only those
cases count (``register_assignment``'s filter). The cases are sorted by urgency: the earliest due date among their
open clocks first, then the oldest; a case with no clock comes after those with one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from core.models import Clock
from core.permissions import assigned_cases, granting_roles, permission
from core.workflow import Action, Workflow, model_of, registered


@dataclass
class Waiting:
    """The cases of one kind that wait for the user, and the step each state waits for."""

    key: str
    title: str
    actions: dict[str, list[Action]]  # state -> the user's primary actions from it
    state_labels: dict[str, str]
    cases: QuerySet[Any]

    def step_of(self, case: Any) -> str:
        """The step ``case`` waits for, in Chinese ("待研判、分派（已登记）"): only the actions that belong to this
        case (``Action.when``: a simple-procedure case waits for 当场作出决定, not for 事先告知)."""
        labels = []
        for action in self.actions.get(case.state, []):
            if (action.when is None or action.when(case)) and action.label not in labels:
                labels.append(action.label)
        state = self.state_labels.get(case.state, case.state)
        return f"待{'、'.join(labels)}（{state}）" if labels else state


def _next_steps(user: Any, wf: Workflow) -> tuple[dict[str, list[Action]], set[str]]:
    """The user's primary actions by source state, and the states open to them only on cases assigned to them."""
    steps: dict[str, list[Action]] = {}
    everywhere: set[str] = set()
    assigned_only: set[str] = set()
    for action in wf.actions:
        if action.style != "primary":
            continue
        perm = permission(wf.permission_code(action))
        roles = granting_roles(user, perm, None)
        if not roles and not getattr(user, "is_superuser", False):
            continue
        restricted = bool(roles) and roles <= perm.assigned_roles
        for state in action.source:
            steps.setdefault(state, []).append(action)
            (assigned_only if restricted else everywhere).add(state)
    return steps, assigned_only - everywhere


def waiting_for(user: Any) -> list[Waiting]:
    """Per kind of case, what waits for ``user`` (kinds with nothing waiting are left out)."""
    out = []
    workflows = registered()
    types = ContentType.objects.get_for_models(*(model_of(wf) for wf in workflows))
    for wf in workflows:
        model: Any = model_of(wf)
        steps, assigned_only = _next_steps(user, wf)
        if not steps:
            continue
        states = Q(state__in=[s for s in steps if s not in assigned_only])
        mine = assigned_cases(model._meta.label, user) if assigned_only else None
        if mine is not None:
            states |= Q(state__in=sorted(assigned_only)) & mine
        elif assigned_only:  # no filter declared: the per-case check decides when the user opens the case
            states |= Q(state__in=sorted(assigned_only))
        first_due = (
            Clock.objects.filter(
                content_type=types[model],
                object_id=OuterRef("pk"),
                met_on__isnull=True,
            )
            .order_by("due_on")
            .values("due_on")[:1]
        )
        cases = (
            model.objects.visible_to(user)
            .filter(states)
            .distinct()
            .annotate(first_due=Subquery(first_due))
            .order_by(F("first_due").asc(nulls_last=True), "pk")
        )
        out.append(
            Waiting(
                key=model._meta.label_lower.replace(".", "-"),
                title=str(model._meta.verbose_name),
                actions=steps,
                state_labels={str(k): str(v) for k, v in wf.states.choices},
                cases=cases,
            )
        )
    return out
