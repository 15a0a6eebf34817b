"""The demo street: its shape, its accounts, determinism, and that ./run demo serves its login page."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import transaction

from core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from core.models import Membership, Person, Region, Unit, User
from core.roles import Role

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_demo_street_shape_and_accounts(client):
    result = load_demo(seed=7)
    street = Region.objects.get(name="示例街道")
    assert street.children.filter(level="community").count() == 39
    assert Region.objects.filter(level="grid", path__startswith=street.path).count() >= 39
    assert Region.objects.get(name="示例二街道").children.count() == 3
    names = set(Unit.objects.filter(region=street).values_list("name", flat=True))
    for key in (
        "司法所",
        "党政办",
        "平安办",
        "信访办",
        "营商办",
        "综合行政执法队",
        "派出所",
        "人民调解委员会",
        "公共法律服务站",
    ):
        assert f"示例街道{key}" in names
    assert {"示例春晖调解工作室", "示例明理律师事务所", "示例公正律师事务所"} <= names
    assert 55 <= User.objects.count() <= 70
    advisors = Person.objects.filter(kind="legal_advisor")
    assert advisors.count() == 39 and advisors.values("paired_region").distinct().count() == 39
    assert Person.objects.filter(kind="expert").exclude(specialties="").count() >= 10
    assert all("示例" in p.name for p in Person.objects.all())
    assert all("示例" in r.name for r in Region.objects.all())
    assert all("示例" in u.name for u in Unit.objects.all())
    assert all("示例" in u.full_name for u in User.objects.all())
    for username, _, _, role in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert Membership.objects.get(user=user).role == role
    m1 = Membership.objects.get(user__username="demo-mediator").unit.region
    m2 = Membership.objects.get(user__username="demo-mediator2").unit.region
    assert m1 != m2 and m1.level == m2.level == "community"
    assert Membership.objects.get(user__username="demo-district").role == Role.DISTRICT_STAFF
    assert result.accounts[0][0] == "demo-district"


@pytest.mark.django_db
def test_demo_is_deterministic_from_its_seed():
    def names(seed: int) -> list[str]:
        with transaction.atomic():
            load_demo(seed=seed)
            out = list(Person.objects.order_by("pk").values_list("name", flat=True))
            transaction.set_rollback(True)
        return out

    assert names(11) == names(11)
    assert names(11) != names(12)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.demo_smoke
def test_run_demo_serves_login_page(tmp_path):
    """`./run demo` on a fresh SQLite file migrates, loads the demo and serves the login page."""
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "FAZHI_SQLITE_PATH": str(tmp_path / "demo.sqlite3")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [str(ROOT / "run"), "demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 480
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                    body = r.read().decode()
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        assert "登录" in body, proc.stdout.read() if proc.poll() is not None else "timed out"
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/vendor/htmx/htmx.min.js", timeout=5
        ) as r:
            assert r.status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert "demo-mediator2" in output and DEMO_PASSWORD in output
