"""Who is acting and under which request id, for the change log (set by middleware or commands)."""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from typing import Any

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("fazhi_actor", default=None)
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("fazhi_request_id", default="")
_recorded_at: contextvars.ContextVar[Any] = contextvars.ContextVar("fazhi_recorded_at", default=None)


def current_actor() -> Any:
    return _actor.get()


def current_request_id() -> str:
    return _request_id.get()


@contextlib.contextmanager
def acting_as(actor: Any, request_id: str | None = None) -> Iterator[None]:
    """Attribute every write inside the block to ``actor`` (commands, imports, demo loading)."""
    t1 = _actor.set(actor)
    t2 = _request_id.set(request_id or _request_id.get() or f"cmd-{uuid.uuid4().hex[:16]}")
    try:
        yield
    finally:
        _actor.reset(t1)
        _request_id.reset(t2)


def set_request(actor: Any, request_id: str) -> tuple[contextvars.Token, contextvars.Token]:
    return _actor.set(actor), _request_id.set(request_id)


def reset_request(tokens: tuple[contextvars.Token, contextvars.Token]) -> None:
    _actor.reset(tokens[0])
    _request_id.reset(tokens[1])


def audit_now() -> Any:
    """The time to stamp on timeline and change-log entries: now, unless a generator set one."""
    from django.utils import timezone

    return _recorded_at.get() or timezone.now()


def recorded_moment() -> Any:
    """The moment a replay stamps on what it writes (``recorded_at``), or None for live work."""
    return _recorded_at.get()


@contextlib.contextmanager
def recorded_at(moment: Any) -> Iterator[None]:
    """Stamp entries written inside the block with ``moment`` (demo and benchmark generators, and imports of
    past records, which replay work on its real dates; the hash chain still records the real order of writing)."""
    token = _recorded_at.set(moment)
    try:
        yield
    finally:
        _recorded_at.reset(token)
