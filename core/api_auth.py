"""How the API knows its caller: a bearer token (other systems) first, then the browser session (the pages).

Shared by the one NinjaAPI (``fazhi.api``) and by the generated workflow-action operations
(``core.api_workflow``), which wrap these to check the permission table before the request body is read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from core.services import token_authenticate


class BearerToken(HttpBearer):
    """Other systems: ``Authorization: Bearer <token>``. Checked first, and not subject to CSRF (no cookie)."""

    openapi_description = "先调用 POST /api/v1/auth/token 取得令牌，再以 Authorization: Bearer <token> 调用"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            request.auth_user = user  # type: ignore[attr-defined]
        return user


class BrowserSession(APIKeyCookie):
    """The pages' own calls: the signed-in session, with Django's CSRF check on every unsafe method.

    A request without a signed-in session is not a session request: it is left to answer 401, never a CSRF
    refusal, so another system that forgot its token learns what it is missing.
    """

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "浏览器会话（登录后由页面调用；写操作须带 X-CSRFToken 请求头）"

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(
                403, "跨站请求校验（CSRF）未通过：请刷新页面后重试；其他系统请使用接口令牌（Bearer）"
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


API_AUTH = [BearerToken(), BrowserSession()]
