"""Records of a past period, entered as they ended (issue: a street's whole year in and out).

An importer or API call that brings a finished record (a closed dispute, an answered disclosure
request, a signed contract) builds it through the module's own services and workflow, each step
stamped with its real date (``recorded_at``), so its timeline, clocks and indicators are those of
the year it happened in. This module gives every such importer the same parts:

* ``parse_date`` / ``parse_moment``: a cell or JSON value as a date or an aware Asia/Shanghai time,
  with a Chinese reason naming the column when it is not one;
* ``dates_in_order``: received ≤ accepted ≤ agreed ≤ closed, none in the future, each plausible;
* ``already`` / ``remember``: idempotency on a source reference (``ImportedRecord``), so a retried
  import or call finds the record and writes nothing;
* ``mark_historical``: the 历史数据导入 entry on the record's timeline;
* ``entering_history``: the importing user, checked once against the importer's row at the record's
  street, enters every step of the record (a leader's decision, a reviewer's opinion) as the ledger has it;
* ``settle_clocks``: every clock the record still has open is met on the day the record ended
  (met, or met late when that day is after its due date): a past record never shows as overdue.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from core.audit.context import recorded_at
from core.audit.timeline import timeline_record
from core.imports import RowInvalid
from core.models import Clock, ImportedRecord, Region
from core.permissions import authorize, recording_history
from core.validation import date_problem

HISTORY = "历史数据导入"


@dataclass(frozen=True)
class Existing:
    """What a row handler returns when its source reference was imported before (nothing written)."""

    obj: Any


def parse_date(value: Any, key: str, label: str, *, required: bool = False) -> dt.date | None:
    """``value`` ('2025-03-01', '2025/3/1', a date or datetime) as a date; RowInvalid names the column."""
    if value in (None, ""):
        if required:
            raise RowInvalid({key: f"请填写{label}"})
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        y, m, d = (int(p) for p in text[:10].split(" ")[0].split("-"))
        return dt.date(y, m, d)
    except ValueError:
        raise RowInvalid({key: f"{label}“{_short(value)}”不是有效日期，格式应为 YYYY-MM-DD"}) from None


def parse_moment(value: Any, key: str, label: str, *, required: bool = False) -> dt.datetime | None:
    """``value`` ('2025-03-01 09:30', a date alone means 09:00) as an aware Asia/Shanghai time."""
    if value in (None, ""):
        if required:
            raise RowInvalid({key: f"请填写{label}"})
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    text = str(value).strip().replace("/", "-").replace("T", " ")
    day = parse_date(text, key, label)
    assert day is not None
    clock = dt.time(9, 0)
    if " " in text:
        try:
            parts = [int(p) for p in text.split(" ", 1)[1].strip().split(":")]
            clock = dt.time(parts[0], parts[1] if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else 0)
        except (ValueError, IndexError):
            raise RowInvalid(
                {key: f"{label}“{_short(value)}”不是有效时间，格式应为 YYYY-MM-DD HH:MM"}
            ) from None
    return timezone.make_aware(dt.datetime.combine(day, clock))


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def dates_in_order(steps: Iterable[tuple[str, str, dt.date | dt.datetime | None]]) -> None:
    """Check that the given (column key, label, date) steps are plausible, not in the future, and in order.

    Steps left empty (None) are skipped. Raises RowInvalid with every problem, each naming its column:
    e.g. “调解受理日期（2025-03-01）早于受理时间（2025-03-05），请核对”.
    """
    errors: dict[str, str] = {}
    previous: tuple[str, dt.date] | None = None
    for key, label, value in steps:
        if value is None:
            continue
        day = _day(value)
        problem = date_problem(day, not_in_future=True)
        if problem:
            errors[key] = f"{label}：{problem}"
            continue
        if previous is not None and day < previous[1]:
            errors[key] = (
                f"{label}（{day.isoformat()}）早于{previous[0]}（{previous[1].isoformat()}），请核对"
            )
            continue
        previous = (label, day)
    if errors:
        raise RowInvalid(errors)


def street_of(region: Region) -> Region:
    """The street a record's region belongs to (the region itself at street level or above)."""
    return region.ancestor_at("street") or region


def already(kind: str, region: Region, source_ref: str) -> Any:
    """The record imported before under ``source_ref`` for ``region``'s street, or None."""
    if not source_ref:
        return None
    found = ImportedRecord.objects.filter(kind=kind, region=street_of(region), source_ref=source_ref).first()
    if found is None:
        return None
    model = found.content_type.model_class()
    assert model is not None
    return model._default_manager.filter(pk=found.object_id).first()


def remember(kind: str, region: Region, source_ref: str, obj: models.Model) -> None:
    if source_ref:
        ImportedRecord.objects.create(
            kind=kind,
            region=street_of(region),
            source_ref=source_ref,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
        )


@contextlib.contextmanager
def entering_history(*, by: Any, capability: str, region: Region) -> Iterator[None]:
    """Let ``by`` — who holds ``capability`` (the importer's row) at ``region`` — take every step of a past
    record of ``region``'s street through the module's services and workflow, whichever role each step
    asks for today (``core.permissions.recording_history``). Each step still runs its guards and effects,
    writes its timeline entry as ``by`` and is refused outside that street."""
    street = street_of(region)
    authorize(by, capability, street)
    with recording_history(by, street):
        yield


def mark_historical(case: models.Model, *, by: Any, at: dt.datetime | dt.date, note: str = "") -> None:
    """Write the 历史数据导入 entry on ``case``'s timeline, stamped with the day the record ended."""
    moment = (
        at if isinstance(at, dt.datetime) else timezone.make_aware(dt.datetime.combine(at, dt.time(18, 0)))
    )
    with recorded_at(moment):
        timeline_record(
            case,
            kind="history",
            action="history.import",
            summary=f"{HISTORY}（{timezone.localdate().isoformat()}录入）" + (f"：{note}" if note else ""),
            by=by,
        )


def settle_clocks(case: models.Model, *, on: dt.date, by: Any) -> list[Clock]:
    """Meet every clock ``case`` still has open on ``on`` (or on its start, if later): met, or met late."""
    from core.clocks.services import clock_meet

    open_clocks = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(case), object_id=case.pk, met_on__isnull=True
    )
    met = []
    for clock in open_clocks:
        clock.case = case
        met.append(clock_meet(clock=clock, met_on=max(on, clock.started_on), by=by))
    return met


def _short(value: Any, limit: int = 30) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"
