"""Sign-in throttling shared by the login page and the token endpoint."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, ip: str | None) -> str:
    raw = f"{username.strip().lower()}|{ip or ''}"
    return "fazhi-login-fail:" + hashlib.sha256(raw.encode()).hexdigest()


def login_blocked(username: str, ip: str | None) -> bool:
    return int(cache.get(_key(username, ip), 0)) >= settings.FAZHI_LOGIN_MAX_FAILURES


def login_failed(username: str, ip: str | None) -> None:
    key = _key(username, ip)
    count = int(cache.get(key, 0)) + 1
    cache.set(key, count, settings.FAZHI_LOGIN_LOCK_SECONDS)


def login_succeeded(username: str, ip: str | None) -> None:
    cache.delete(_key(username, ip))


def blocked_message() -> str:
    minutes = max(1, settings.FAZHI_LOGIN_LOCK_SECONDS // 60)
    return f"登录失败次数过多，请{minutes}分钟后再试"


def client_ip(request: object) -> str | None:
    meta = getattr(request, "META", {})
    return meta.get("REMOTE_ADDR")
