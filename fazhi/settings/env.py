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


# Secrets that ship in this repository (dev, demo and test settings). Production refuses them.
DEMO_SECRETS = {
    "DJANGO_SECRET_KEY": {
        "dev-only-insecure-secret-key-do-not-use-in-production-0123456789",
        "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    },
    "FAZHI_FIELD_KEY": {
        "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZDA=",
        "dGVzdC1vbmx5LWZpZWxkLWtleS0wMTIzNDU2Nzg5YWI=",
    },
    "FAZHI_AUDIT_KEY": {
        "dev-only-audit-key-not-for-production-0123456789abcdef",
        "test-only-audit-key-0123456789abcdefghijklmnopqrstuv",
    },
}


def refuse_demo_secrets(**values: str | list[str]) -> None:
    """Refuse to start with a secret from the repository (by variable name), or a short audit key."""
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        if any(item in DEMO_SECRETS.get(name, set()) for item in items):
            raise ImproperlyConfigured(
                f"环境变量 {name} 使用了代码仓库中公开的开发/演示/测试密钥，生产环境拒绝启动。请生成新的密钥。"
            )
    audit = values.get("FAZHI_AUDIT_KEY")
    if isinstance(audit, str) and audit and len(audit) < 32:
        raise ImproperlyConfigured("环境变量 FAZHI_AUDIT_KEY 太短：审计密钥至少32个字符。")


def fail_if_missing() -> None:
    """Raise once, naming every required variable that is not set."""
    if _missing:
        names = "、".join(_missing)
        raise ImproperlyConfigured(f"生产环境缺少必需的环境变量：{names}。请设置后再启动。")
