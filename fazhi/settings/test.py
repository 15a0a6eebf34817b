"""Test settings: SQLite in memory unless DATABASE_URL points at PostgreSQL."""

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, database_from_env

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["*"]
FAZHI_FIELD_KEYS = ["dGVzdC1vbmx5LWZpZWxkLWtleS0wMTIzNDU2Nzg5YWI="]
DATABASES = {"default": database_from_env(BASE_DIR / ".local" / "test.sqlite3")}
# A sample case type used only by the tests of the core mechanisms; not shipped in the product.
INSTALLED_APPS = [*INSTALLED_APPS, "core.tests.sample"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
