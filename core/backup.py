"""Backup and restore (docs/backup.md): a consistent copy of the database with a manifest.

* SQLite: Python's ``sqlite3`` backup API copies every page in one step (a read transaction:
  safe while the platform runs; in WAL mode writers are not blocked).
* PostgreSQL: ``pg_dump --format=custom`` of a snapshot exported by a repeatable-read
  transaction, in which the manifest's row counts and chain heads are read too — the counts
  describe exactly the rows in the dump.

A backup is a directory ``fazhi-<time>/`` holding the database file, ``media.tar`` (uploaded
files) when there are any, and ``manifest.json``: time, database kind, applied migrations, row
counts per table, chain heads, sha256 of every file and the platform's version and commit.
Personal data stays as it is stored — Fernet ciphertext; nothing here decrypts it (the field key
is never in a backup: keep it apart). ``restore`` writes into an empty database only, then checks
the counts and chain heads against the manifest and that a sample of personal data decrypts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models, transaction
from django.db.models.functions import Cast
from django.db.utils import load_backend
from django.utils import timezone

from core.personal import EncryptedCharField, fernet

FORMAT = "fazhi-backup/1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_FILE = "media.tar"
DECRYPT_SAMPLE = 5  # values checked per encrypted column after a restore


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (in Chinese) says why and what to do."""


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    tables: int = 0
    rows: int = 0
    decrypted: int = 0
    media_files: int = 0
    notes: list[str] = field(default_factory=list)


# --- what a database holds --------------------------------------------------------------------


def database_kind(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"不支持备份 {vendor} 数据库（只支持 SQLite 与 PostgreSQL）")
    return vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _describe(cursor: Any, tables: list[str]) -> dict[str, Any]:
    """Row counts per table, chain heads and applied migrations, read through ``cursor``."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    from core.models import ChainHead

    heads: dict[str, Any] = {}
    if ChainHead._meta.db_table in tables:
        cursor.execute(
            f"SELECT name, last_seq, last_hash FROM {_quote(ChainHead._meta.db_table)} ORDER BY name"
        )
        heads = {name: {"last_seq": int(seq), "last_hash": h} for name, seq, h in cursor.fetchall()}
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return {"tables": counts, "chain_heads": heads, "migrations": migrations}


def platform_version() -> dict[str, str]:
    """The platform's version (pyproject.toml) and git commit (``FAZHI_COMMIT`` where there is no git)."""
    base = Path(settings.BASE_DIR)
    try:
        version = tomllib.loads((base / "pyproject.toml").read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        version = ""
    commit = os.environ.get("FAZHI_COMMIT", "")
    if not commit:
        try:
            commit = subprocess.run(
                ["git", "-C", str(base), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            commit = ""
    return {"version": version, "commit": commit}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def encrypted_columns() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) stored encrypted."""
    return [
        (m, f.name)
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy
        for f in m._meta.concrete_fields
        if isinstance(f, EncryptedCharField)
    ]


def stored_values(model: type[models.Model], name: str, *, using: str, limit: int) -> list[str]:
    """Up to ``limit`` stored (encrypted) values of ``model.name``, read without decrypting them."""
    qs = (
        model._base_manager.using(using)
        .exclude(**{name: ""})
        .exclude(**{f"{name}__isnull": True})
        .annotate(_stored=Cast(name, models.TextField()))
        .order_by("pk")
        .values_list("_stored", flat=True)
    )
    return list(qs[:limit])


# --- tools -------------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: from ``FAZHI_PG_BIN``, else Debian's newest postgresql, else PATH."""
    configured = os.environ.get("FAZHI_PG_BIN")
    if configured:
        return str(Path(configured) / name)
    debian = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if debian:
        return str(debian[-1])
    found = shutil.which(name)
    if not found:
        raise BackupError(f"找不到 {name}：请安装 Debian 的 postgresql-client（或设置 FAZHI_PG_BIN）")
    return found


def pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq environment for a Django database (the password never appears on a command line)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = settings_dict["NAME"]
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            f"{what}失败（{Path(cmd[0]).name} 退出码 {done.returncode}）：{done.stderr.strip()[-800:]}"
        )


# --- backup ------------------------------------------------------------------------------------


def backup(to_dir: Path, *, alias: str = "default") -> Path:
    """Write a backup of ``alias`` into a new directory under ``to_dir``; return that directory.

    The directory is written as ``<name>.partial`` and renamed when complete, so a backup cut
    short is never taken for a whole one.
    """
    kind = database_kind(alias)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
    final = Path(to_dir) / f"fazhi-{stamp}"
    work = final.with_name(final.name + ".partial")
    work.mkdir(parents=True)
    try:
        described = _backup_sqlite(work, alias) if kind == "sqlite" else _backup_postgres(work, alias)
        media = _backup_media(work)
        files = {p.name: {"sha256": sha256_of(p), "bytes": p.stat().st_size} for p in sorted(work.iterdir())}
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"kind": kind, "name": str(connections[alias].settings_dict["NAME"])},
            "platform": platform_version(),
            **described,
            "media_files": media,
            "encrypted_fields": [f"{m._meta.db_table}.{name}" for m, name in encrypted_columns()],
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _backup_sqlite(work: Path, alias: str) -> dict[str, Any]:
    conn = connections[alias]
    if conn.in_atomic_block:
        raise BackupError("备份不能在事务中进行")
    conn.ensure_connection()
    target = work / SQLITE_FILE
    dest = sqlite3.connect(target)
    try:
        conn.connection.backup(dest)  # all pages in one step: one consistent read transaction
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"备份文件完整性检查未通过：{ok}")
        tables = [
            r[0]
            for r in dest.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        described = _describe(dest.cursor(), tables)
    finally:
        dest.close()
    return described


def _backup_postgres(work: Path, alias: str) -> dict[str, Any]:
    conn = connections[alias]
    if conn.in_atomic_block:
        raise BackupError("备份不能在事务中进行")
    with transaction.atomic(using=alias), conn.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-password",
                f"--file={work / PG_FILE}",
            ],
            pg_env(conn.settings_dict),
            "pg_dump 备份",
        )
        tables = conn.introspection.table_names(cursor)
        return _describe(cursor, tables)


def _backup_media(work: Path) -> int:
    """Uploaded files (MEDIA_ROOT) into ``media.tar``; returns how many files."""
    root = Path(settings.MEDIA_ROOT)
    files = [p for p in sorted(root.rglob("*")) if p.is_file()] if root.is_dir() else []
    if not files:
        return 0
    with tarfile.open(work / MEDIA_FILE, "w") as tar:
        for p in files:
            tar.add(p, arcname=str(p.relative_to(root)))
    return len(files)


# --- restore -----------------------------------------------------------------------------------


def read_manifest(backup_dir: Path) -> dict[str, Any]:
    """The manifest of ``backup_dir`` after checking every file against its sha256."""
    path = Path(backup_dir) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{backup_dir} 不是平台的备份：缺少 {MANIFEST}")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')!r} 无法识别（应为 {FORMAT}）")
    for name, meta in manifest["files"].items():
        file = Path(backup_dir) / name
        if not file.is_file():
            raise BackupError(f"备份缺少文件 {name}")
        if sha256_of(file) != meta["sha256"]:
            raise BackupError(f"备份文件 {name} 已损坏或被改动（sha256 与清单不符），不能恢复")
    return manifest


def existing_tables(alias: str) -> list[str]:
    conn = connections[alias]
    with conn.cursor() as cursor:
        return conn.introspection.table_names(cursor)


def refuse_unless_empty(alias: str) -> None:
    tables = existing_tables(alias)
    if tables:
        name = connections[alias].settings_dict["NAME"]
        raise BackupError(
            f"目标数据库 {name} 不是空的（已有 {len(tables)} 张表），只能恢复到空数据库："
            "请新建一个空数据库（SQLite：一个不存在的文件；PostgreSQL：createdb）后重试。"
        )


def restore(backup_dir: Path, *, alias: str = "default") -> RestoreReport:
    """Restore ``backup_dir`` into the empty database ``alias`` and check it against the manifest."""
    backup_dir = Path(backup_dir)
    manifest = read_manifest(backup_dir)
    kind = database_kind(alias)
    if manifest["database"]["kind"] != kind:
        raise BackupError(
            f"备份来自 {manifest['database']['kind']} 数据库，当前数据库是 {kind}："
            "请恢复到同类数据库，再用 manage.py move_database 迁移。"
        )
    refuse_unless_empty(alias)
    media_root = Path(settings.MEDIA_ROOT)
    if (
        manifest.get("media_files")
        and media_root.is_dir()
        and any(p.is_file() for p in media_root.rglob("*"))
    ):
        raise BackupError(f"上传文件目录 {media_root} 不是空的，只能把备份的文件恢复到空目录。")
    conn = connections[alias]
    if kind == "sqlite":
        _restore_sqlite(backup_dir / SQLITE_FILE, conn)
    else:
        _run(
            [
                pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={conn.settings_dict['NAME']}",
                str(backup_dir / PG_FILE),
            ],
            pg_env(conn.settings_dict),
            "pg_restore 恢复",
        )
    conn.close()
    report = RestoreReport(manifest=manifest)
    check_against_manifest(manifest, alias=alias, report=report)
    report.decrypted = check_decryption(alias=alias)
    if manifest.get("media_files"):
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(backup_dir / MEDIA_FILE) as tar:
            tar.extractall(media_root, filter="data")
        report.media_files = manifest["media_files"]
    return report


def _restore_sqlite(source: Path, conn: Any) -> None:
    name = conn.settings_dict["NAME"]
    if conn.is_in_memory_db():
        raise BackupError("不能恢复到内存数据库：请用 FAZHI_SQLITE_PATH 指定一个数据库文件")
    conn.close()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dest = sqlite3.connect(name)
    try:
        src.backup(dest)
        dest.execute("PRAGMA journal_mode=WAL")
    finally:
        src.close()
        dest.close()


def check_against_manifest(manifest: dict[str, Any], *, alias: str, report: RestoreReport) -> None:
    """Row counts per table and chain heads of ``alias`` equal the manifest's, or BackupError."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        now = _describe(cursor, conn.introspection.table_names(cursor))
    wrong = [
        f"{table}：清单 {count} 行，恢复后 {now['tables'].get(table)} 行"
        for table, count in manifest["tables"].items()
        if now["tables"].get(table) != count
    ]
    if wrong:
        raise BackupError("恢复后的行数与备份清单不符：" + "；".join(wrong))
    if now["chain_heads"] != manifest["chain_heads"]:
        raise BackupError("恢复后的审计链头与备份清单不符")
    if now["migrations"] != manifest["migrations"]:
        raise BackupError("恢复后的迁移记录与备份清单不符")
    report.tables = len(manifest["tables"])
    report.rows = sum(manifest["tables"].values())


def check_decryption(*, alias: str) -> int:
    """Decrypt a sample of every encrypted column with the configured keys; return how many."""
    checked = 0
    for model, name in encrypted_columns():
        for value in stored_values(model, name, using=alias, limit=DECRYPT_SAMPLE):
            try:
                fernet().decrypt(value.encode())
            except Exception:
                label = getattr(model._meta.get_field(name), "verbose_name", name)
                raise BackupError(
                    f"{model._meta.verbose_name}的“{label}”"
                    "无法用当前密钥解密：请设置备份时使用的 FAZHI_FIELD_KEY"
                ) from None
            checked += 1
    return checked


@contextmanager
def extra_database(alias: str, settings_dict: dict[str, Any]) -> Iterator[str]:
    """Make ``settings_dict`` reachable as ``connections[alias]`` for the duration.

    The connection is created directly, not added to the configured databases: it is the
    dynamically created kind of connection that Django's test isolation lets through.
    """
    configured = connections.configure_settings(
        {"default": connections.settings["default"], alias: dict(settings_dict)}
    )
    wrapper = load_backend(configured[alias]["ENGINE"]).DatabaseWrapper(configured[alias], alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        wrapper.close()
        del connections[alias]
