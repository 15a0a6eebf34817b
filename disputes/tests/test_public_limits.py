"""The public pages' limits per client address behind the proxy: intake attempts, the
self-hosted CAPTCHA after a few of them, tracking look-ups, and atomic counting under threads."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from captcha.models import CaptchaStore
from django.db import connections
from django.test import Client

from disputes.models import Dispute
from disputes.tests.test_intake import PUBLIC_FORM

PROXY = "10.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.FAZHI_TRUSTED_PROXY_COUNT = 1
    settings.FAZHI_TRUSTED_PROXIES = [PROXY]
    settings.FAZHI_PUBLIC_CAPTCHA_AFTER = 3
    return settings


def via(address: str) -> dict[str, Any]:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def post(client, world, address, **extra):
    data = {**PUBLIC_FORM, "community": world.community_a.pk, **extra}
    return client.post("/public/disputes/new", data, **via(address))


def captcha_on(page: str) -> tuple[str, str]:
    """The CAPTCHA key in the page and its answer (what the person reads off the image)."""
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def test_captcha_after_three_attempts_from_one_address(world, behind_proxy):
    c = Client()
    assert (
        'data-testid="captcha"' not in c.get("/public/disputes/new", **via("198.51.100.7")).content.decode()
    )
    # Three attempts (failed validation counts too) pass without a CAPTCHA ...
    for n in range(1, 4):
        r = post(c, world, "198.51.100.7", p0_phone="")
        assert r.status_code == 400 and "联系电话" in r.content.decode()
        assert ('data-testid="captcha"' in r.content.decode()) == (n == 3)  # the next one will need it
    page = c.get("/public/disputes/new", **via("198.51.100.7")).content.decode()
    assert 'data-testid="captcha"' in page and "验证码" in page
    key, _ = captcha_on(page)
    image = c.get(f"/captcha/image/{key}/", **via("198.51.100.7"))  # drawn here, no outside service
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    # ... the fourth is refused without it, or with a wrong answer, even when everything else is right.
    r = post(c, world, "198.51.100.7")
    assert r.status_code == 400 and "请输入验证码" in r.content.decode()
    key, answer = captcha_on(r.content.decode())
    r = post(c, world, "198.51.100.7", captcha_0=key, captcha_1="wrong")
    assert r.status_code == 400 and "验证码错误" in r.content.decode()
    assert Dispute.objects.count() == 0
    key, answer = captcha_on(r.content.decode())
    r = post(c, world, "198.51.100.7", captcha_0=key, captcha_1=answer.upper())
    assert r.status_code == 200 and "查询码" in r.content.decode()
    assert Dispute.objects.count() == 1
    # Another resident behind the same proxy starts from zero.
    other = Client()
    assert (
        'data-testid="captcha"'
        not in other.get("/public/disputes/new", **via("198.51.100.8")).content.decode()
    )
    assert post(other, world, "198.51.100.8").status_code == 200
    assert Dispute.objects.count() == 2


def test_intake_limit_is_per_address_behind_the_proxy(world, behind_proxy):
    behind_proxy.FAZHI_PUBLIC_INTAKE_RATE = "2/h"
    behind_proxy.FAZHI_PUBLIC_CAPTCHA_AFTER = 10
    a, b = Client(), Client()
    assert [post(a, world, "198.51.100.7").status_code for _ in range(3)] == [200, 200, 429]
    r = post(a, world, "198.51.100.7")
    assert (
        r.status_code == 429 and "提交过于频繁" in r.content.decode() and "分钟后再试" in r.content.decode()
    )
    assert post(b, world, "198.51.100.8").status_code == 200  # not the whole city's quota
    assert Dispute.objects.count() == 3


def test_tracking_lookups_are_limited(world, behind_proxy):
    behind_proxy.FAZHI_PUBLIC_TRACK_RATE = "3/h"
    c = Client()
    assert [c.get(f"/public/track/GUESS{i}", **via("198.51.100.7")).status_code for i in range(4)] == [
        404,
        404,
        404,
        429,
    ]
    r = c.get("/public/track/GUESS9", **via("198.51.100.7"))
    assert r.status_code == 429 and "查询过于频繁" in r.content.decode()
    assert c.get("/public/track/GUESS9", **via("198.51.100.8")).status_code == 404


def test_concurrent_lookups_do_not_pass_the_limit(db, settings):
    """The counter is an atomic increment (LocMem's lock here, Redis INCR in production):
    of 24 simultaneous look-ups from one address exactly the rate's 5 get through."""
    settings.FAZHI_PUBLIC_TRACK_RATE = "5/h"
    statuses: list[int] = []
    start = threading.Barrier(24)

    def look() -> None:
        try:
            c = Client()
            start.wait()
            statuses.append(c.get("/public/track/NOSUCHCODE", REMOTE_ADDR="198.51.100.7").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=look) for _ in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [404] * 5 + [429] * 19
