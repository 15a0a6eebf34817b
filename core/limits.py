"""Limits on the public pages (no login), per client address, with django-ratelimit.

Each call counts one attempt with an atomic increment in ``CACHES["limits"]`` (Redis INCR when
FAZHI_REDIS_URL is set; this process's locked memory otherwise) and compares the new count with
the rate, so two simultaneous requests can never both take the last place. The client address
comes from ``core.auth.client_ip`` (RATELIMIT_IP_META_KEY), the one place that knows the proxies.
See docs/limits.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

PUBLIC_INTAKE = "public-intake"
PUBLIC_TRACK = "public-track"


@dataclass(frozen=True)
class Usage:
    count: int
    limit: int
    exceeded: bool
    seconds_left: int


def _rate(group: str) -> str:
    return {
        PUBLIC_INTAKE: settings.FAZHI_PUBLIC_INTAKE_RATE,
        PUBLIC_TRACK: settings.FAZHI_PUBLIC_TRACK_RATE,
    }[group]


def _usage(request: HttpRequest, group: str, *, increment: bool) -> Usage:
    raw = get_usage(request, group=group, key="ip", rate=_rate(group), increment=increment)
    if raw is None:  # RATELIMIT_ENABLE = False
        return Usage(count=0, limit=0, exceeded=False, seconds_left=0)
    return Usage(
        count=int(raw["count"]),
        limit=int(raw["limit"]),
        exceeded=bool(raw["should_limit"]),
        seconds_left=max(0, int(raw["time_left"])),
    )


def count_attempt(request: HttpRequest, group: str) -> Usage:
    """Count this request against the address's limit (valid or not) and say whether it is over."""
    return _usage(request, group, increment=True)


def peek(request: HttpRequest, group: str) -> Usage:
    """The address's count so far, without counting this request."""
    return _usage(request, group, increment=False)


def captcha_needed(count: int) -> bool:
    """A public intake attempt numbered ``count`` (1-based) from one address must carry a CAPTCHA."""
    return count > settings.FAZHI_PUBLIC_CAPTCHA_AFTER


def too_many(request: HttpRequest, usage: Usage, what: str) -> HttpResponse:
    """The 429 page of a public limit, in Chinese, saying when to come back."""
    minutes = max(1, (usage.seconds_left + 59) // 60)
    return render(
        request,
        "core/too_many.html",
        {"message": f"{what}过于频繁，请{minutes}分钟后再试，或拨打街道司法所电话。"},
        status=429,
    )
