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
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from core.personal import EncryptedCharField

from . import chain
from .context import audit_now, current_actor, current_request_id

CHAIN = "changelog"
# Logs themselves, framework bookkeeping and sessions are not change-logged.
EXCLUDED = {
    "core.changelog",
    "core.timelineevent",
    "core.chainhead",
    "core.apitoken",
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


def snapshot(instance: models.Model) -> dict[str, Any]:
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
        data[field.attname] = value
    return json_safe(data)


def _label(sender: type[models.Model]) -> str:
    """The model label, or one in EXCLUDED for models outside the platform's own apps."""
    config = getattr(sender._meta, "app_config", None)
    if config is None or config.name.startswith("django.") or not sender._meta.managed:
        return "core.changelog"
    return sender._meta.label_lower


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or _label(sender) in EXCLUDED or instance.pk is None or instance._state.adding:
        instance._fazhi_before = None  # type: ignore[attr-defined]
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._fazhi_before = snapshot(old) if old is not None else None  # type: ignore[attr-defined]


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or _label(sender) in EXCLUDED:
        return
    before = None if created else getattr(instance, "_fazhi_before", None)
    after = snapshot(instance)
    if before is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        if not changed or changed <= NOISE_FIELDS:
            return
    record(instance, ChangeLogAction.CREATE if created else ChangeLogAction.UPDATE, before, after)


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _label(sender) in EXCLUDED:
        return
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
