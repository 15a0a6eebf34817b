"""Settings shared by every environment. Environment-specific modules import from here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import dj_database_url

from .env import env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "captcha",
    "django_tasks",
    "django_tasks_db",
    "core",
    "disputes",
    "disclosure",
    "administration",
    "enforcement",
    "demands",
    "respondent",
    "steering",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL and unpaired surrogates anywhere in the input: a 400 naming the parameter (core/validation.py).
    "core.validation.InputCheckMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.audit.middleware.AuditContextMiddleware",
    # Last, as django-axes asks: turns a locked sign-in into core.auth.lockout_response.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks the lock before any other backend sees the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "fazhi.urls"
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"  # in Chinese; the API answers its own CSRF failures
WSGI_APPLICATION = "fazhi.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]


def database_from_env(default_sqlite: Path) -> dict[str, Any]:
    """DATABASE_URL if set (PostgreSQL in production), else a local SQLite file in WAL mode."""
    url = env_str("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60)))
    name = Path(env_str("FAZHI_SQLITE_PATH", str(default_sqlite)))
    name.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(name),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # WAL lets the platform be read (and backed up) while one writer commits. synchronous=FULL
            # syncs the WAL at every commit, so a committed record survives a power cut or an OS
            # crash, not only a crash of the process (NORMAL may lose the last commits then, and a
            # chain head already written to an anchor outside the database would look rolled back).
            # A street commits a few writes a minute: one fsync each costs nothing. docs/backup.md.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        },
    }


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["fazhi.formats"]  # ISO dates first, as date inputs need them (fazhi/formats/zh_Hans)
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = None  # production sets it (collectstatic); dev and tests serve from the finders
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from the npm registry (package.json) and are served locally.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("FAZHI_MEDIA_ROOT", str(BASE_DIR / ".local" / "media")))


def caches_from_env(default_backend: dict[str, Any]) -> dict[str, Any]:
    """Django's Redis cache for everything when FAZHI_REDIS_URL is set, else ``default_backend``.

    The ``limits`` alias holds the public pages' counters (django-ratelimit): Redis INCR is atomic
    and shared by every process; without Redis it is this process's memory, atomic within the
    process but counted per process (docs/limits.md).
    """
    redis_url = env_str("FAZHI_REDIS_URL")
    if redis_url:
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
        return {"default": redis, "limits": {**redis, "KEY_PREFIX": "limits"}}
    return {
        "default": default_backend,
        "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fazhi-limits"},
    }


CACHES = caches_from_env({"BACKEND": "django.core.cache.backends.locmem.LocMemCache"})

# --- limits (docs/limits.md) ---------------------------------------------------------------
# The client address: the number of proxies in front of the platform that each append the
# address they saw to FAZHI_CLIENT_IP_HEADER (0: none, REMOTE_ADDR is the client).
FAZHI_TRUSTED_PROXY_COUNT = env_int("FAZHI_TRUSTED_PROXY_COUNT", 0)
FAZHI_CLIENT_IP_HEADER = "HTTP_" + env_str("FAZHI_CLIENT_IP_HEADER", "X-Forwarded-For").upper().replace(
    "-", "_"
)
# The addresses (or networks, e.g. 10.0.0.0/8) the proxy connects from: the header is believed only on a
# request that came from one of them, so a client that reaches the app directly cannot choose its address.
FAZHI_TRUSTED_PROXIES = env_list("FAZHI_TRUSTED_PROXIES")

# Failed sign-ins (login page, admin login, token API) per user name and address before a
# pause, and the pause: django-axes, counted in the database.
FAZHI_LOGIN_MAX_FAILURES = env_int("FAZHI_LOGIN_MAX_FAILURES", 5)
FAZHI_LOGIN_LOCK_SECONDS = env_int("FAZHI_LOGIN_LOCK_SECONDS", 900)
AXES_FAILURE_LIMIT = FAZHI_LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = dt.timedelta(seconds=FAZHI_LOGIN_LOCK_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.auth.client_ip"
AXES_LOCKOUT_CALLABLE = "core.auth.lockout_response"
AXES_ENABLE_ADMIN = False  # unlock with `manage.py axes_reset_username <name>`
AXES_VERBOSE = False

# Public pages (no login), per client address, counted with django-ratelimit in CACHES["limits"]:
# intake attempts (valid or not) per hour, after how many of them a CAPTCHA is asked, and
# tracking-code look-ups per hour.
RATELIMIT_USE_CACHE = "limits"
RATELIMIT_IP_META_KEY = "core.auth.client_ip"
FAZHI_PUBLIC_INTAKE_RATE = env_str("FAZHI_PUBLIC_INTAKE_RATE", "20/h")
FAZHI_PUBLIC_CAPTCHA_AFTER = env_int("FAZHI_PUBLIC_CAPTCHA_AFTER", 3)
FAZHI_PUBLIC_TRACK_RATE = env_str("FAZHI_PUBLIC_TRACK_RATE", "60/h")
# django-ratelimit rejects caches it does not list (E003: LocMem, not shared between processes;
# W001: Django's own RedisCache, whose INCR is atomic). Both choices are explained in docs/limits.md.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# The self-hosted CAPTCHA (django-simple-captcha): images drawn here with Pillow and its own font.
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_FONT_SIZE = 30
# --- background jobs (docs/jobs.md) -----------------------------------------------------------
# Django's task API (django-tasks) on the database backend: ``manage.py fazhi_worker`` runs the queued
# tasks (./run demo and ./run serve start and supervise it). Tests run tasks in the request
# (ImmediateBackend) except where a test starts a real worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job whose worker has written no heartbeat for this long is shown as interrupted (its import was
# rolled back with the worker's transaction) and marked failed by the next worker that starts.
FAZHI_JOB_STALE_SECONDS = env_int("FAZHI_JOB_STALE_SECONDS", 120)
# The local hour (0-23) at which the worker enqueues the nightly work (audit anchor, pruning) once a day.
FAZHI_NIGHTLY_HOUR = env_int("FAZHI_NIGHTLY_HOUR", 2)
# Days that finished task results and jobs' files are kept before the nightly pruning removes them.
FAZHI_JOB_KEEP_DAYS = env_int("FAZHI_JOB_KEEP_DAYS", 90)

# Days before a due date when a clock counts as "due soon" (临近到期).
FAZHI_DUE_SOON_DAYS = env_int("FAZHI_DUE_SOON_DAYS", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
