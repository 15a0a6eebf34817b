"""Settings read once per unit of work: an import's transaction reads each setting it consults once.

A bulk write (an import of thousands of rows, in one transaction) consults the same settings for every row:
the local length of a statutory clock, a street's risk thresholds, the committees and mediators a case may be
assigned to. Inside ``kept()`` each such read is made once and remembered until the block ends; outside it,
``remembered`` simply reads. Only reads that the block's own writes cannot change belong here, and every key
names what the answer depends on (the user, for answers limited to what they may see).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_memo: contextvars.ContextVar[dict[Hashable, Any] | None] = contextvars.ContextVar("fazhi_memo", default=None)


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """Remember the settings read inside the block (an outer block's memory is used when there is one)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, once per ``key`` inside ``kept()``; every time outside it."""
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    value: T = memo[key]
    return value
