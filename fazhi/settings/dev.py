"""Local development and the demo: SQLite by default, insecure keys that are marked as such."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_env
from .env import env_list, env_str

DEBUG = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-secret-key-do-not-use-in-production-0123456789")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "testserver"]
# Dev/demo only: a fixed Fernet key so the demo database stays readable between runs.
FAZHI_FIELD_KEYS = env_list("FAZHI_FIELD_KEY") or ["ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZDA="]
# Dev/demo only: the audit secret (chain MACs, keyed hashes, anchors); production refuses it.
FAZHI_AUDIT_KEY = env_str("FAZHI_AUDIT_KEY", "dev-only-audit-key-not-for-production-0123456789abcdef")
FAZHI_AUDIT_ANCHOR_DIR = Path(env_str("FAZHI_AUDIT_ANCHOR_DIR", str(BASE_DIR / ".local" / "audit-anchors")))
DATABASES = {"default": database_from_env(BASE_DIR / ".local" / "fazhi.sqlite3")}
