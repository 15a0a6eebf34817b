"""Test settings: SQLite in memory unless DATABASE_URL points at PostgreSQL."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, database_from_env
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["*"]
FAZHI_FIELD_KEYS = ["dGVzdC1vbmx5LWZpZWxkLWtleS0wMTIzNDU2Nzg5YWI="]
# Test-only audit secret (production refuses it); anchors go to a per-test directory (conftest).
FAZHI_AUDIT_KEY = "test-only-audit-key-0123456789abcdefghijklmnopqrstuv"
FAZHI_AUDIT_ANCHOR_DIR = BASE_DIR / ".local" / "test-audit-anchors"
# Uploads made by tests stay out of the demo's media directory; a subprocess may name its own.
MEDIA_ROOT = Path(env_str("FAZHI_MEDIA_ROOT", str(BASE_DIR / ".local" / "test-media")))
DATABASES = {"default": database_from_env(BASE_DIR / ".local" / "test.sqlite3")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A WAL file, as the platform runs, not Django's shared-cache in-memory database, whose table
    # locks make a reader fail a concurrent writer: tests of verify_audit under load need real WAL.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".local" / "test-db.sqlite3")}
# A sample case type used only by the tests of the core mechanisms; not shipped in the product.
INSTALLED_APPS = [*INSTALLED_APPS, "core.tests.sample"]
# Tasks run inside the request that enqueues them; a test of the real worker (core/tests/test_jobs_worker.py)
# switches to the database backend, and its worker process is started with FAZHI_TASKS=database.
if env_str("FAZHI_TASKS", "immediate") == "immediate":
    TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
