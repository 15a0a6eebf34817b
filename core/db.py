"""The transactions of services: all or nothing, with a savepoint only where someone can recover from a refusal.

A service is atomic: its writes stand together or not at all. Django's ``transaction.atomic`` gives a nested block
its own savepoint, so that a caller can catch the nested block's error and go on. But a service called by
another service (a transition starting a clock, an intake numbering its case) is never recovered from inside
its caller: its refusal ends the caller too. Its savepoint costs two statements (``SAVEPOINT``, ``RELEASE``) and
buys nothing; in a row of an import that is half the statements (34 of 69 a closed dispute).

``atomic`` is the services' block. Outside a transaction it opens one; inside a block opened by ``atomic`` or
``rollback_point`` — with no other savepoint opened since — it joins that block (``atomic(savepoint=False)``):
when it raises, Django marks the transaction for rollback, and the enclosing savepoint undoes it all as the
error passes. Inside any other block, such as a view's ``transaction.atomic()`` whose code catches an error and
goes on, it opens its own savepoint as before.

The one rule for code in a service: do not catch a nested service's error and go on writing. Re-raising it
(as an import turns a refusal into a row error) is fine; to recover and go on, call the nested service inside
``transaction.atomic()`` (a savepoint of its own). Were the rule broken, the next query would fail with
Django's "An error occurred in the current transaction" rather than commit half a service.

``rollback_point`` is a savepoint that is always taken, for a block whose caller recovers from its error and goes
on: one row of an import.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, overload

from django.db import transaction

F = TypeVar("F", bound=Callable[..., Any])

_COVER = "_fazhi_cover"  # on the connection: the depth of savepoints at the innermost covering block


def _covered(conn: Any) -> bool:
    """Inside a covering block, with no savepoint of anyone else's opened since."""
    depth = getattr(conn, _COVER, None)
    return (
        conn.in_atomic_block
        and depth is not None
        and depth <= len(conn.savepoint_ids)
        and not any(conn.savepoint_ids[depth:])
    )


@contextlib.contextmanager
def _cover(block: Any) -> Iterator[None]:
    conn = transaction.get_connection()
    with block:
        outer = getattr(conn, _COVER, None)
        setattr(conn, _COVER, len(conn.savepoint_ids))
        try:
            yield
        finally:
            setattr(conn, _COVER, outer)


@contextlib.contextmanager
def _service_block() -> Iterator[None]:
    if _covered(transaction.get_connection()):
        with transaction.atomic(savepoint=False):
            yield
    else:
        with _cover(transaction.atomic()):
            yield


@overload
def atomic(func: F) -> F: ...
@overload
def atomic(func: None = None) -> contextlib.AbstractContextManager[None]: ...
def atomic(func: F | None = None) -> F | contextlib.AbstractContextManager[None]:
    """``@atomic`` on a service, or ``with atomic():`` around a service's writes."""
    if func is None:
        return _service_block()
    return _service_block()(func)  # a fresh block for every call


def rollback_point() -> contextlib.AbstractContextManager[None]:
    """A savepoint (or a transaction) that is always taken, whose services join it."""
    return _cover(transaction.atomic())
