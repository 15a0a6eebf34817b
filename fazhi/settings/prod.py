"""Production: every secret from the environment; refuses to start naming what is missing."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, caches_from_env, database_from_env
from .env import env_bool, env_int, env_list, env_str, fail_if_missing, refuse_demo_secrets

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", required=True)
# One or more Fernet keys, comma-separated; the first encrypts, all decrypt (key rotation).
FAZHI_FIELD_KEYS = env_list("FAZHI_FIELD_KEY", required=True)
# Behind proxies (FAZHI_TRUSTED_PROXY_COUNT > 0) the header is believed only from the proxies' own addresses.
if env_int("FAZHI_TRUSTED_PROXY_COUNT", 0) > 0:
    FAZHI_TRUSTED_PROXIES = env_list("FAZHI_TRUSTED_PROXIES", required=True)
# The audit secret: chain MACs, keyed hashes and anchor signatures (never derived from the field keys).
FAZHI_AUDIT_KEY = env_str("FAZHI_AUDIT_KEY", required=True)
# Where `manage.py anchor_audit` appends the signed chain heads: outside the database's machine
# or at least outside its backups, append-only (docs/audit.md).
FAZHI_AUDIT_ANCHOR_DIR = Path(env_str("FAZHI_AUDIT_ANCHOR_DIR", required=True))
fail_if_missing()
refuse_demo_secrets(
    DJANGO_SECRET_KEY=SECRET_KEY, FAZHI_FIELD_KEY=FAZHI_FIELD_KEYS, FAZHI_AUDIT_KEY=FAZHI_AUDIT_KEY
)

DATABASES = {"default": database_from_env(BASE_DIR / ".local" / "fazhi.sqlite3")}
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = False
MEDIA_ROOT = Path(env_str("FAZHI_MEDIA_ROOT", str(BASE_DIR / ".local" / "media")))
# Shared across app processes. Redis (FAZHI_REDIS_URL) also makes the public pages' limits
# shared and atomic; without it they count per process (docs/limits.md).
CACHES = caches_from_env(
    {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "fazhi_cache"}
)

# Behind a TLS-terminating proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("FAZHI_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("FAZHI_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("FAZHI_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
