"""Module navigation. Each app registers its entries with the roles whose daily work they are; the base template
shows a user the entries of their roles (a mediator: their work, disputes, the calendar; a leader: the dashboard,
indicators, tasks, the report), the system administrator and superusers everything. Entries marked ``more`` (the
permission table, API tokens and documentation, the admin) sit in a folded 更多 list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    visible: Callable[[Any], bool] = lambda user: True
    roles: frozenset[str] | None = None  # None: every role
    more: bool = False  # in the folded 更多 list

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(i.url_name != item.url_name for i in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def items_for(user: Any) -> list[NavItem]:
    from core.roles import Role
    from core.scoping import active_memberships

    everything = getattr(user, "is_superuser", False)
    mine = {m.role for m in active_memberships(user)}
    if Role.ADMINISTRATOR in mine:
        everything = True
    return [i for i in _ITEMS if (everything or i.roles is None or i.roles & mine) and i.visible(user)]
