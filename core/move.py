"""Move the platform's data to another database (a pilot's SQLite to PostgreSQL), chain intact.

``dumpdata``/``loaddata`` is not a move: its JSON rounds datetimes to milliseconds (so every
hashed ``at`` changes and ``verify_audit`` fails) and a value SQLite accepted but PostgreSQL
refuses stops the load half-way. Here instead:

1. the target must be empty (no tables); the source must have every migration applied;
2. every row of the source is checked against the target's limits (lengths, NUL characters,
   integer ranges, decimal digits) and the move stops, naming each value, before anything is
   written;
3. the target is migrated, the rows ``migrate`` wrote there (content types, permissions, seeded
   types) are removed, and every table is copied model by model with its primary keys, in one
   transaction: Python values straight from the ORM (microseconds kept, JSON as stored) and
   personal data as the stored ciphertext (never decrypted); foreign keys are checked at commit;
4. sequences are reset, row counts compared, and ``verify_audit`` run on the target.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import dj_database_url
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.validators import DecimalValidator
from django.db import connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save, pre_save

from core.audit.changelog import connect_signals
from core.backup import BackupError, extra_database, refuse_unless_empty
from core.personal import EncryptedCharField, StoredCiphertext

TARGET = "fazhi_move_target"
BATCH = 1000
MAX_REPORTED = 50


@dataclass
class Misfit:
    """A stored value the target database would refuse or change."""

    model: type[models.Model]
    pk: Any
    field: models.Field
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.model._meta.verbose_name}（{self.model._meta.db_table}）id={self.pk} "
            f"的“{self.field.verbose_name}”（{self.field.name}）：{self.reason}"
        )


@dataclass
class MoveReport:
    target: str
    counts: dict[str, int] = field(default_factory=dict)
    verify_output: str = ""


class MoveRefused(BackupError):
    def __init__(self, message: str, misfits: list[Misfit] | None = None) -> None:
        super().__init__(message)
        self.misfits = misfits or []


def copied_models() -> list[type[models.Model]]:
    """Every model with its own table, many-to-many tables included, in a stable order."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def _source_rows(model: type[models.Model], using: str) -> Iterator[tuple[Any, ...]]:
    """Rows of ``model`` as stored: encrypted fields as ciphertext (a text cast skips decryption)."""
    fields = model._meta.concrete_fields
    qs = model._base_manager.using(using).order_by("pk")
    names = []
    for f in fields:
        if isinstance(f, EncryptedCharField):
            alias = f"_stored_{f.attname}"
            qs = qs.annotate(**{alias: Cast(f.attname, models.TextField())})
            names.append(alias)
        else:
            names.append(f.attname)
    yield from qs.values_list(*names).iterator(chunk_size=BATCH)


def _checker(f: models.Field, target: Any) -> Callable[[Any], str | None] | None:
    """A function naming why a value of ``f`` would not fit the target, or None when anything fits."""
    internal = f.get_internal_type()
    if isinstance(f, EncryptedCharField):
        return None  # ciphertext: base64, unlimited text
    if isinstance(f, models.CharField | models.TextField) and not isinstance(f, models.JSONField):
        limit = f.max_length if isinstance(f, models.CharField) else None

        def text(value: Any) -> str | None:
            if not isinstance(value, str):
                return None
            if limit is not None and len(value) > limit:
                return f"长度 {len(value)} 超过上限 {limit}"
            if "\x00" in value:
                return "含有空字符（\\x00），PostgreSQL 不接受"
            return None

        return text
    if isinstance(f, models.JSONField):

        def json_value(value: Any) -> str | None:
            if value is not None and "\\u0000" in json.dumps(value):
                return "JSON 中含有空字符（\\u0000），PostgreSQL 不接受"
            return None

        return json_value
    if isinstance(f, models.DecimalField):
        validator = DecimalValidator(f.max_digits, f.decimal_places)

        def decimal(value: Any) -> str | None:
            if not isinstance(value, Decimal):
                return None
            try:
                validator(value)
            except ValidationError:
                return f"数值 {value} 超出 {f.max_digits} 位、{f.decimal_places} 位小数的范围"
            return None

        return decimal
    if isinstance(f, models.IntegerField) and not isinstance(f, models.AutoField):
        low, high = target.ops.integer_field_range(internal)

        def integer(value: Any) -> str | None:
            if isinstance(value, int) and (
                (low is not None and value < low) or (high is not None and value > high)
            ):
                return f"整数 {value} 超出范围 [{low}, {high}]"
            return None

        return integer
    return None


def find_misfits(*, source: str, target: str) -> list[Misfit]:
    """Every stored value of ``source`` that ``target`` would refuse or change."""
    misfits: list[Misfit] = []
    target_conn = connections[target]
    for model in copied_models():
        fields = model._meta.concrete_fields
        checks = [(i, f, c) for i, f in enumerate(fields) if (c := _checker(f, target_conn))]
        if not checks:
            continue
        pk_index = fields.index(model._meta.pk)
        for row in _source_rows(model, source):
            for i, f, check in checks:
                reason = check(row[i])
                if reason:
                    misfits.append(Misfit(model, row[pk_index], f, reason))
    return misfits


def _copy_model(model: type[models.Model], *, source: str, target: str) -> int:
    fields = model._meta.concrete_fields
    encrypted = [i for i, f in enumerate(fields) if isinstance(f, EncryptedCharField)]
    attnames = [f.attname for f in fields]
    manager = model._base_manager.using(target)
    batch: list[models.Model] = []
    copied = 0

    def flush() -> None:
        # ``_insert(raw=True)`` is what loaddata's raw save does: values as given (auto_now fields
        # keep their stored times), no signals — a copy is not a new write to change-log.
        manager._insert(batch, fields=fields, raw=True, using=target)  # type: ignore[attr-defined]
        batch.clear()

    for row in _source_rows(model, source):
        values = list(row)
        for i in encrypted:
            if values[i]:
                values[i] = StoredCiphertext(values[i])
        batch.append(model(**dict(zip(attnames, values, strict=True))))
        copied += 1
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return copied


@contextmanager
def change_log_paused() -> Iterator[None]:
    """No change-log entries while ``migrate`` seeds the target: the log lives in the source's
    chain, and those seeded rows are replaced by the copy anyway."""
    for signal, uid in (
        (pre_save, "fazhi_changelog_pre_save"),
        (post_save, "fazhi_changelog_post_save"),
        (post_delete, "fazhi_changelog_post_delete"),
    ):
        signal.disconnect(dispatch_uid=uid)
    try:
        yield
    finally:
        connect_signals()


def _count(model: type[models.Model], using: str) -> int:
    return model._base_manager.using(using).count()


def verify_target(url: str) -> subprocess.CompletedProcess[str]:
    """``manage.py verify_audit`` run against ``url`` in a fresh process, with this process's settings."""
    env = {**os.environ, "DATABASE_URL": url}
    env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", "fazhi.settings.prod"))
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "verify_audit", "--skip-checks"],
        env=env,
        capture_output=True,
        text=True,
    )


def move_database(
    url: str, *, source: str = "default", progress: Callable[[str], None] = print
) -> MoveReport:
    """Copy every row of ``source`` into the empty database at ``url``; the audit chain verifies there."""
    target_dict = dict(dj_database_url.parse(url))
    with extra_database(TARGET, target_dict) as target:
        refuse_unless_empty(target)
        executor = MigrationExecutor(connections[source])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise MoveRefused("源数据库还有未执行的迁移：请先运行 manage.py migrate，再迁移。")
        with transaction.atomic(using=source):
            if connections[source].vendor == "postgresql":
                with connections[source].cursor() as c:
                    c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            progress("检查数据是否都能写入目标数据库……")
            misfits = find_misfits(source=source, target=target)
            if misfits:
                raise MoveRefused(
                    f"有 {len(misfits)} 个值不能原样写入目标数据库，未写入任何内容。"
                    "请先在源数据库中修正这些值，再重新迁移。",
                    misfits,
                )
            progress("在目标数据库建表（migrate）……")
            with change_log_paused():
                call_command("migrate", database=target, interactive=False, verbosity=0)
            report = MoveReport(target=str(target_dict.get("NAME", "")))
            tconn = connections[target]
            to_copy = copied_models()
            with transaction.atomic(using=target):
                tables = [m._meta.db_table for m in to_copy]
                tconn.ops.execute_sql_flush(
                    tconn.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=True)
                )
                for model in to_copy:
                    n = _copy_model(model, source=source, target=target)
                    report.counts[model._meta.db_table] = n
                    if n:
                        progress(f"  {model._meta.label}：{n} 行")
                with tconn.cursor() as c:
                    for statement in tconn.ops.sequence_reset_sql(no_style(), to_copy):
                        c.execute(statement)
            wrong = [
                f"{m._meta.db_table}：源 {_count(m, source)} 行，目标 {_count(m, target)} 行"
                for m in to_copy
                if _count(m, source) != _count(m, target)
            ]
        ContentType.objects.clear_cache()
        if wrong:
            raise MoveRefused("迁移后的行数不一致：" + "；".join(wrong))
    done = verify_target(url)
    report.verify_output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise MoveRefused(f"目标数据库的审计链校验未通过：{report.verify_output}")
    return report
