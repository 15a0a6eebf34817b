from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from .context import reset_request, set_request

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class AuditContextMiddleware:
    """Gives every request an id (or keeps a sane X-Request-ID) and records who acts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        # Lazy: token-authenticated API calls set request.user later; resolve at write time.
        actor = SimpleLazyObject(lambda: _authenticated(request))
        tokens = set_request(actor, request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request(tokens)
        response["X-Request-ID"] = request_id
        return response


def _authenticated(request: HttpRequest) -> object | None:
    user = getattr(request, "auth_user", None) or getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
