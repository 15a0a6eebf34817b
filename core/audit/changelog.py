"""The change log: every write to any model lands here, admin edits included (NetBox-style).

Signals capture the row before and after each save or delete; the entry is appended to the
``changelog`` hash chain in the same transaction. Encrypted personal-data fields are logged
masked, never in clear. ``QuerySet.update()`` and bulk writes bypass signals: the project
does not use them on audited models (see docs/audit.md).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models
from django.db.models.signals import post_delete, post_save, pre_save

from core.personal import EncryptedCharField

from . import chain
from .context import audit_now, current_actor, current_request_id

CHAIN = "changelog"
M = TypeVar("M", bound=models.Model)
# Logs themselves, framework bookkeeping and sessions are not change-logged.
EXCLUDED = {
    "core.changelog",
    "core.timelineevent",
    "core.chainhead",
    "core.apitoken",
    # A notification delivers a step that the case's timeline already records.
    "core.notification",
    # A user's own saved view of a list, not a record of the work.
    "core.savedfilter",
    "sessions.session",
    "contenttypes.contenttype",
    "admin.logentry",
    "auth.permission",
    # Sign-in attempts (django-axes keeps its own log of them) and CAPTCHA challenges.
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accessfailurelog",
    "axes.accesslog",
    "captcha.captchastore",
    # Background jobs are the platform's bookkeeping of its own work (docs/jobs.md): what a job writes is
    # logged row by row, with the job's owner as actor and ``job-<id>`` as request id.
    "core.job",
    "django_tasks_database.dbtaskresult",
}
# An update that touches only these fields is bookkeeping, not a change worth logging.
NOISE_FIELDS = {"last_login"}


def json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


_PLAIN = (str, int, float, bool, type(None))


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The row's fields as JSON values (a copy: later changes to the instance do not reach it)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, EncryptedCharField):
            value = field.masked(value)
        elif isinstance(value, dt.datetime | dt.date | dt.time | Decimal):
            value = str(value)
        elif isinstance(value, memoryview | bytes):
            value = "<二进制>"
        elif field.get_internal_type() == "FileField" or hasattr(value, "url"):
            value = str(value)
        # Plain values are JSON as they are; anything else (a JSON field's lists and dicts, a UUID …) is
        # passed through JSON, which also copies it.
        data[field.attname] = value if type(value) in _PLAIN else json_safe(value)
    return data


def _label(sender: type[models.Model]) -> str:
    """The model label, or one in EXCLUDED for models outside the platform's own apps."""
    config = getattr(sender._meta, "app_config", None)
    if config is None or config.name.startswith("django.") or not sender._meta.managed:
        return "core.changelog"
    return sender._meta.label_lower


# --- the state before a save, known without reading the row again ------------------------------------------
#
# An update's entry needs the row as it was in the database. It is read just before the save, unless this very
# instance holds the row's state from inside the same transaction: read under lock (``hold``) or written by its
# own last save. That knowledge is kept only while it is certain:
# - the transaction is the same and nothing in it was rolled back since. Django replaces the connection's list
#   of commit callbacks (``run_on_commit``) with a new list at every commit, rollback and savepoint rollback, so
#   that list's identity marks an unbroken stretch of one transaction;
# - no other write reached the row since: every save and delete of a logged row counts, per row, on the
#   connection, and the count taken with the state must still be the count;
# - inside a transaction the row cannot change under us: it is locked (``select_for_update``, or the update
#   itself) on PostgreSQL, and SQLite transactions begin IMMEDIATE (the database's write lock).
# Writes that bypass signals (``QuerySet.update()``, raw SQL) are not used on logged models (docs/audit.md).


Writes = tuple[Any, dict[tuple[str, Any], int], dict[Any, models.Model]]


def _writes(using: str | None) -> Writes | None:
    """(the transaction's mark, writes per row in it, instances remembered in it), or None outside a
    transaction."""
    conn = connections[using or "default"]
    if not conn.in_atomic_block:
        return None
    mark = conn.run_on_commit
    state: Writes | None = getattr(conn, "_fazhi_row_writes", None)
    if state is None or state[0] is not mark:
        state = (mark, {}, {})
        conn._fazhi_row_writes = state  # type: ignore[attr-defined]
    return state


def remember(key: Any, instance: models.Model) -> None:
    """Keep ``instance`` under ``key`` for ``recall`` in this transaction (e.g. a clock as it was started)."""
    writes = _writes(instance._state.db)
    if writes is not None:
        writes[2][key] = instance


def recall(key: Any, using: str | None = None) -> Any:
    """The instance remembered under ``key``, while it certainly holds its row as the database has it (written
    or read under lock in this unbroken transaction, and not written by another instance since); else None."""
    writes = _writes(using)
    instance = writes[2].get(key) if writes is not None else None
    if instance is None or _held(instance, instance._state.db) is None:
        return None
    return instance


def _known(instance: models.Model, state: dict[str, Any], using: str | None) -> None:
    writes = _writes(using)
    if writes is None:
        instance._fazhi_held = None  # type: ignore[attr-defined]
        return
    count = writes[1].get((instance._meta.label_lower, instance.pk), 0)
    instance._fazhi_held = (writes[0], count, state)  # type: ignore[attr-defined]


def hold(instance: M) -> M:
    """Remember ``instance``'s fields as its row's state in the database. Call right after reading the row under
    lock (``select_for_update``) inside the transaction that saves it: the save's change-log entry then takes
    this state as the state before, without reading the row again."""
    if _label(type(instance)) not in EXCLUDED:
        _known(instance, snapshot(instance), instance._state.db)
    return instance


def _held(instance: models.Model, using: str | None) -> dict[str, Any] | None:
    """The row's state as ``instance`` holds it, when that is certain (see above); else None."""
    held = getattr(instance, "_fazhi_held", None)
    if held is None:
        return None
    writes = _writes(using)
    if writes is None or held[0] is not writes[0]:
        return None
    if writes[1].get((instance._meta.label_lower, instance.pk), 0) != held[1]:
        return None
    state: dict[str, Any] = held[2]
    return state


def current_copy(instance: models.Model) -> models.Model | None:
    """A copy of ``instance`` when it certainly holds its row as the database has it, locked for this
    transaction (read under lock, or written, in the same unbroken transaction): a change can start from it
    without reading the row again. None when that is not certain."""
    state = _held(instance, instance._state.db)
    if state is None:
        return None
    names = [f.attname for f in instance._meta.concrete_fields]
    copy = type(instance).from_db(instance._state.db, names, [getattr(instance, n) for n in names])
    copy._fazhi_held = instance._fazhi_held  # type: ignore[attr-defined]
    return copy


def _counted(instance: models.Model, using: str | None) -> None:
    writes = _writes(using)
    if writes is not None:
        key = (instance._meta.label_lower, instance.pk)
        writes[1][key] = writes[1].get(key, 0) + 1


def _pre_save(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool = False,
    using: str | None = None,
    **kwargs: Any,
) -> None:
    if raw or _label(sender) in EXCLUDED or instance.pk is None or instance._state.adding:
        instance._fazhi_held = None  # type: ignore[attr-defined]
        instance._fazhi_before = None  # type: ignore[attr-defined]
        return
    held = _held(instance, using)
    instance._fazhi_held = None  # type: ignore[attr-defined]
    if held is not None:
        instance._fazhi_before = held  # type: ignore[attr-defined]
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._fazhi_before = snapshot(old) if old is not None else None  # type: ignore[attr-defined]


def _post_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool = False,
    using: str | None = None,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    if raw or _label(sender) in EXCLUDED:
        return
    _counted(instance, using)
    before = None if created else getattr(instance, "_fazhi_before", None)
    after = snapshot(instance)
    if update_fields is None:  # the row now holds exactly these fields (a partial save may not)
        _known(instance, after, using)
    if before is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        if not changed or changed <= NOISE_FIELDS:
            return
    record(instance, ChangeLogAction.CREATE if created else ChangeLogAction.UPDATE, before, after)


def _post_delete(
    sender: type[models.Model], instance: models.Model, using: str | None = None, **kwargs: Any
) -> None:
    if _label(sender) in EXCLUDED:
        return
    _counted(instance, using)
    record(instance, ChangeLogAction.DELETE, snapshot(instance), None)


class ChangeLogAction:
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


def content_of(entry: Any) -> dict[str, Any]:
    """The hashed content of a change-log entry (shared by writing and verifying)."""
    return {
        "at": entry.at.astimezone(dt.UTC).isoformat(),
        "actor": entry.actor_id,
        "request_id": entry.request_id,
        "ct": entry.content_type_id,
        "obj": str(entry.object_id),
        "repr": entry.object_repr,
        "region": entry.region_path,
        "action": entry.action,
        "before": entry.before,
        "after": entry.after,
    }


def region_path_of(instance: models.Model) -> str:
    """The region path a row belongs to (its model's ``scope_path``), or '' when it has none."""
    lookup = getattr(type(instance), "scope_path", None)
    value: Any = instance
    if not lookup:
        return ""
    try:
        for part in lookup.split("__"):
            value = getattr(value, part)
            if value is None:
                return ""
    except Exception:  # a dangling relation on delete: no scope rather than no log
        return ""
    return str(value)


def record(instance: models.Model, action: str, before: Any, after: Any) -> None:
    from core.models import ChangeLog

    actor = current_actor()
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    entry = ChangeLog(
        at=audit_now(),
        actor_id=actor_id,
        request_id=current_request_id(),
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        region_path=region_path_of(instance),
        action=action,
        before=before,
        after=after,
    )
    chain.append(entry, CHAIN, content_of)


def connect_signals() -> None:
    pre_save.connect(_pre_save, dispatch_uid="fazhi_changelog_pre_save")
    post_save.connect(_post_save, dispatch_uid="fazhi_changelog_post_save")
    post_delete.connect(_post_delete, dispatch_uid="fazhi_changelog_post_delete")
