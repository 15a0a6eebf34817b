"""Typed readers for environment variables that fail fast with a clear message.

Production settings collect every missing variable and refuse to start, naming each one.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_missing: list[str] = []


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            if name not in _missing:
                _missing.append(name)
            return ""
        return default or ""
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 应为 true/false，收到 {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数，收到 {value!r}") from exc


def env_list(name: str, *, required: bool = False) -> list[str]:
    raw = env_str(name, required=required)
    return [item.strip() for item in raw.split(",") if item.strip()]


def fail_if_missing() -> None:
    """Raise once, naming every required variable that is not set."""
    if _missing:
        names = "、".join(_missing)
        raise ImproperlyConfigured(f"生产环境缺少必需的环境变量：{names}。请设置后再启动。")
