"""What ``manage.py verify_audit`` checks, on one consistent snapshot of the database.

* ``verify_chains``: both hash chains, entry by entry, against their heads and against the latest
  anchor kept outside the database (``core.audit.anchors``).
* ``row_drift`` (``--rows``): the current row of every audited model against the ``after`` of its
  last change-log entry, to name rows changed, inserted or deleted behind the platform's back
  (raw SQL, ``QuerySet.update()``, a restored table).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Max
from django.utils.dateparse import parse_date, parse_datetime

from core.personal import EncryptedCharField

from . import changelog, timeline
from .anchors import Anchor, latest_anchors
from .chain import Break, read_snapshot, verify


@dataclass
class Report:
    """The outcome of a verification: breaks, anchor problems, and what each chain holds."""

    breaks: list[Break] = field(default_factory=list)
    anchor_problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    anchors: dict[str, Anchor] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return not self.breaks and not self.anchor_problems


def chains() -> list[tuple[str, type[models.Model], Any]]:
    from core.models import ChangeLog, TimelineEvent

    return [
        (timeline.CHAIN, TimelineEvent, timeline.content_of),
        (changelog.CHAIN, ChangeLog, changelog.content_of),
    ]


def verify_chains(*, use_anchors: bool = True) -> Report:
    """Verify every chain on one snapshot; with ``use_anchors``, against the latest anchors too.

    The anchors are read before the snapshot is taken, so the database can only be ahead of them.
    """
    report = Report()
    if use_anchors:
        report.anchors, report.anchor_problems = latest_anchors()
    with read_snapshot():
        for name, model, content in chains():
            state: dict[str, Any] = {"n": 0, "last": ""}

            def entries(model: Any = model, content: Any = content, state: dict = state) -> Iterator[Any]:
                for row in model.objects.order_by("seq").iterator(chunk_size=2000):
                    state["n"] += 1
                    state["last"] = row.hash
                    yield row.pk, row.seq, row.prev_hash, row.hash, content(row)

            anchor = report.anchors.get(name)
            found = verify(name, entries(), anchor.expected() if anchor else None)
            report.counts[name] = state["n"]
            report.heads[name] = (int(state["n"]), str(state["last"]))
            if found:
                report.breaks.append(found)
    return report


# --- row drift ------------------------------------------------------------------------------


@dataclass
class Drift:
    """A row whose current content is not what the change log last recorded for it."""

    label: str
    name: str
    pk: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}（{self.label}，id={self.pk}）：{self.reason}"


def audited_models() -> list[type[models.Model]]:
    """Every concrete model whose writes the change log records."""
    return [
        m for m in apps.get_models() if not m._meta.proxy and changelog._label(m) not in changelog.EXCLUDED
    ]


def _ignored(model: type[models.Model]) -> set[str]:
    """Fields not compared: bookkeeping updates that are not logged (``NOISE_FIELDS``) and the keyed-hash
    twins ``<field>_hash``, derived data that the re-keying migration and ``rotate_keys`` recompute
    without a log entry (the value they derive from is compared; encrypted values masked)."""
    names = set(changelog.NOISE_FIELDS)
    attnames = {f.attname for f in model._meta.concrete_fields}
    for f in model._meta.concrete_fields:
        if isinstance(f, EncryptedCharField) or f"{f.attname}_hash" in attnames:
            names.add(f"{f.attname}_hash")
    return names


def _same(f: models.Field, logged: Any, current: Any) -> bool:
    """Equal as values of ``f``: the log keeps what the instance held (``Decimal('5')``, a local-time
    datetime), the database gives it back normalised (``5.00``, UTC)."""
    if logged == current:
        return True
    if logged is None or current is None:
        return False
    try:
        if isinstance(f, models.DecimalField):
            return Decimal(str(logged)) == Decimal(str(current))
        if isinstance(f, models.DateTimeField):
            a, b = parse_datetime(str(logged)), parse_datetime(str(current))
            return a is not None and b is not None and a == b
        if isinstance(f, models.DateField):
            return parse_date(str(logged)[:10]) == parse_date(str(current)[:10])
        if isinstance(f, models.FloatField):
            return float(logged) == float(current)
    except (InvalidOperation, ValueError, TypeError):
        return False
    if isinstance(f, models.JSONField):
        return False
    return str(logged) == str(current)


def _differences(model: type[models.Model], logged: dict[str, Any], current: dict[str, Any]) -> list[str]:
    ignored = _ignored(model)
    names = []
    for f in model._meta.concrete_fields:
        if f.attname in ignored or f.attname not in logged:
            continue
        if not _same(f, logged.get(f.attname), current.get(f.attname)):
            names.append(str(f.verbose_name))
    return names


def _fmt_time(value: Any) -> str:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def row_drift(*, batch: int = 2000) -> tuple[list[Drift], int]:
    """Compare every audited row with its last change-log entry; return the drifts and rows checked."""
    from core.models import ChangeLog

    drifts: list[Drift] = []
    checked = 0
    with read_snapshot():
        for model in audited_models():
            label, name = model._meta.label_lower, str(model._meta.verbose_name)
            ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
            last_seq = dict(
                ChangeLog.objects.filter(content_type=ct)
                .values_list("object_id")
                .annotate(m=Max("seq"))
                .values_list("object_id", "m")
            )
            seen: set[str] = set()
            rows = model._base_manager.order_by("pk").iterator(chunk_size=batch)
            pending: list[models.Model] = []

            def check(
                pending: list[models.Model],
                last_seq: dict = last_seq,
                model: Any = model,
                label: str = label,
                name: str = name,
            ) -> None:
                seqs = [last_seq[str(r.pk)] for r in pending if str(r.pk) in last_seq]
                logged = {
                    object_id: (action, after, at, seq)
                    for object_id, action, after, at, seq in ChangeLog.objects.filter(
                        seq__in=seqs
                    ).values_list("object_id", "action", "after", "at", "seq")
                }
                for row in pending:
                    key = str(row.pk)
                    entry = logged.get(key)
                    if entry is None:
                        drifts.append(Drift(label, name, key, "没有任何变更记录（绕过平台直接写入数据库）"))
                        continue
                    action, after, at, seq = entry
                    if action == changelog.ChangeLogAction.DELETE:
                        drifts.append(
                            Drift(
                                label,
                                name,
                                key,
                                f"变更日志第 {seq} 号记录已删除此行，但它仍在数据库中（被直接恢复）",
                            )
                        )
                        continue
                    fields = _differences(model, after or {}, changelog.snapshot(row))
                    if fields:
                        drifts.append(
                            Drift(
                                label,
                                name,
                                key,
                                f"“{'”“'.join(fields)}”与变更日志最后记录（第 {seq} 号，{_fmt_time(at)}）不符"
                                "（被绕过平台直接修改）",
                            )
                        )

            for row in rows:
                checked += 1
                seen.add(str(row.pk))
                pending.append(row)
                if len(pending) >= batch:
                    check(pending)
                    pending = []
            if pending:
                check(pending)
            gone = [object_id for object_id in last_seq if object_id not in seen]
            for start in range(0, len(gone), batch):
                part = gone[start : start + batch]
                for object_id, action, seq in ChangeLog.objects.filter(
                    seq__in=[last_seq[o] for o in part]
                ).values_list("object_id", "action", "seq"):
                    if action != changelog.ChangeLogAction.DELETE:
                        drifts.append(
                            Drift(
                                label,
                                name,
                                object_id,
                                f"此行已不在数据库中，但变更日志（第 {seq} 号）没有删除记录（被直接删除）",
                            )
                        )
    return drifts, checked
