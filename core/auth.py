"""Who is asking, and the sign-in lock: the client address behind trusted proxies, axes' lockout answer.

Sign-in throttling (the login page, the admin login and ``POST /api/v1/auth/token``) is
django-axes: failures are counted per (user name, client address) pair in the database, so
nobody can lock another person out from elsewhere, and a success clears the pair. The public
pages are limited with django-ratelimit in ``core.limits``. Both read the client address from
``client_ip`` here, the one place that knows about the proxies in front of the platform
(``FAZHI_TRUSTED_PROXY_COUNT``, ``FAZHI_CLIENT_IP_HEADER``; see docs/limits.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from ipware import get_client_ip


def client_ip(request: Any) -> str:
    """The client's address: REMOTE_ADDR, or the hop before the trusted proxies when configured.

    Each of the ``FAZHI_TRUSTED_PROXY_COUNT`` proxies appends the address it saw to the header
    (``X-Forwarded-For`` by default). The chain header + REMOTE_ADDR therefore ends with those
    proxies; the address just before them is the client. Entries further left are whatever the
    client sent and are never trusted. django-ipware parses and validates the chain; a missing or
    malformed header falls back to REMOTE_ADDR (a request that did not come through the proxy).
    """
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR") or ""
    proxies = settings.FAZHI_TRUSTED_PROXY_COUNT
    header = meta.get(settings.FAZHI_CLIENT_IP_HEADER, "")
    if proxies <= 0 or not header or not remote or not _from_trusted_proxy(remote):
        return remote
    chain = {"FAZHI_CHAIN": f"{header}, {remote}"}
    try:
        ip, _ = get_client_ip(
            _Meta(chain),  # type: ignore[arg-type]
            proxy_order="left-most",  # client first, each proxy appended after it
            proxy_count=proxies,
            request_header_order=["FAZHI_CHAIN"],
            strict=False,
        )
    except ValueError:
        ip = None
    return ip or remote


def _from_trusted_proxy(remote: str) -> bool:
    """Whether the connection comes from a proxy listed in FAZHI_TRUSTED_PROXIES (addresses or networks)."""
    import ipaddress

    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    for entry in settings.FAZHI_TRUSTED_PROXIES:
        try:
            if address in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


class _Meta:
    """The minimal request ipware reads: its META."""

    def __init__(self, meta: dict[str, str]) -> None:
        self.META = meta


def token_login_succeeded(request: HttpRequest, username: str) -> None:
    """Clear the pair's failures after a sign-in that never calls ``login()`` (the token API).

    The pages clear it through axes' ``user_logged_in`` handler (AXES_RESET_ON_SUCCESS).
    """
    from axes.utils import reset

    reset(ip=client_ip(request), username=username)


def blocked_message() -> str:
    minutes = max(1, settings.FAZHI_LOGIN_LOCK_SECONDS // 60)
    return f"登录失败次数过多，请{minutes}分钟后再试"


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """axes' answer to a locked (user name, address) pair: 429, JSON for the API, a page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": blocked_message()}, status=429)
    return render(request, "core/locked_out.html", {"message": blocked_message()}, status=429)
