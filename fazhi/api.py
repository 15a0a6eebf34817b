"""The one NinjaAPI instance at /api/v1: session auth for pages, bearer tokens for other systems.

Errors answer in Chinese and name the field: 400 for bad input, 401 unauthenticated,
403 refused, 404 not found (also for objects outside the caller's scope), 409 stale version,
429 throttled.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from core.services import token_authenticate
from core.workflow import Conflict, TransitionNotAllowed


class BearerToken(HttpBearer):
    openapi_description = "先调用 POST /api/v1/auth/token 取得令牌，再以 Authorization: Bearer <token> 调用"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            request.auth_user = user  # type: ignore[attr-defined]
        return user


api = NinjaAPI(
    title="法治街镇工作平台 API",
    version="1",
    description="所有接口均按调用者的区域范围过滤；范围外的对象一律返回 404。",
    urls_namespace="api",
    auth=[django_auth, BearerToken()],
    docs_url="/docs",
)

_PYDANTIC_MESSAGES = {
    "missing": "缺少必填参数",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "string_type": "应为文本",
    "bool_parsing": "应为 true 或 false",
    "decimal_parsing": "应为数字",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "请求体格式不正确",
    "string_too_long": "内容过长",
}


def error(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(NinjaValidationError)
def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    items = []
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("query", "body", "path", "payload")]
        name = ".".join(loc) or "请求"
        items.append(
            {
                "field": name,
                "message": f"参数 {name}：{_PYDANTIC_MESSAGES.get(e.get('type', ''), e.get('msg', '无效'))}",
            }
        )
    return error(request, 400, items)


@api.exception_handler(DjangoValidationError)
def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        items = [{"field": k, "message": f"{k}：{'；'.join(v)}"} for k, v in exc.message_dict.items()]
    else:
        items = [{"field": "", "message": m} for m in exc.messages]
    return error(request, 400, items)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "未找到")


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, str(exc) or "无权执行此操作")


@api.exception_handler(TransitionNotAllowed)
def _not_allowed(request: HttpRequest, exc: TransitionNotAllowed) -> HttpResponse:
    return error(request, 403, str(exc))


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return error(request, 409, str(exc))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "未登录或令牌无效")


api.add_router("/", "core.api.router")
api.add_router("/", "disputes.api.router")
api.add_router("/", "disclosure.api.router")
api.add_router("/", "administration.api.router")
api.add_router("/", "steering.api.router")
