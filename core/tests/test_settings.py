"""Production settings refuse to start without their secrets and pass `check --deploy` with them."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FAZHI_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_naming_each_missing_variable():
    r = manage("check", env={"DJANGO_SETTINGS_MODULE": "fazhi.settings.prod"})
    assert r.returncode != 0
    assert (
        "DJANGO_SECRET_KEY、DJANGO_ALLOWED_HOSTS、FAZHI_FIELD_KEY、FAZHI_AUDIT_KEY、FAZHI_AUDIT_ANCHOR_DIR"
        in r.stderr
    )
    r = manage("check", env={"DJANGO_SETTINGS_MODULE": "fazhi.settings.prod", "DJANGO_SECRET_KEY": "x" * 60})
    assert (
        "生产环境缺少必需的环境变量：DJANGO_ALLOWED_HOSTS、FAZHI_FIELD_KEY、FAZHI_AUDIT_KEY、FAZHI_AUDIT_ANCHOR_DIR。"
        in r.stderr
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "fazhi.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "fazhi.example.internal",
        "FAZHI_FIELD_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "FAZHI_AUDIT_KEY": secrets.token_urlsafe(48),
        "FAZHI_AUDIT_ANCHOR_DIR": str(tmp_path / "anchors"),
        "FAZHI_SQLITE_PATH": str(tmp_path / "p.sqlite3"),
    }


def test_production_refuses_the_keys_from_the_repository(tmp_path):
    from fazhi.settings import dev, test

    for name, demo in [
        ("FAZHI_FIELD_KEY", dev.FAZHI_FIELD_KEYS[0]),
        (
            "FAZHI_FIELD_KEY",
            f"{base64.urlsafe_b64encode(os.urandom(32)).decode()},{test.FAZHI_FIELD_KEYS[0]}",
        ),
        ("FAZHI_AUDIT_KEY", dev.FAZHI_AUDIT_KEY),
        ("DJANGO_SECRET_KEY", dev.SECRET_KEY),
    ]:
        r = manage("check", env={**production_env(tmp_path), name: demo})
        assert r.returncode != 0
        assert f"环境变量 {name} 使用了代码仓库中公开的开发/演示/测试密钥，生产环境拒绝启动" in r.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = production_env(tmp_path)
    r = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert r.returncode == 0, r.stderr
    assert "no issues" in r.stdout
