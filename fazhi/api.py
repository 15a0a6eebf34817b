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
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from core.api_auth import API_AUTH
from core.workflow import Conflict, TransitionNotAllowed

_ERROR_SCHEMA = {
    "title": "错误",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "description": "原因（中文）：一句话，或逐个字段的列表",
            "anyOf": [
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            ],
        }
    },
}
_ERROR_STATUSES = {
    "400": "请求参数有误（逐个字段说明原因）",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作",
    "404": "未找到（范围外的对象同样返回404）",
    "413": "请求体过大",
}


class FazhiAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI also declares the error answers every operation can give."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
        for operations in schema.get("paths", {}).values():
            for op in operations.values():
                has_input = bool(op.get("parameters") or op.get("requestBody"))
                wanted = ["400"] if has_input else []
                if op.get("security"):
                    wanted += ["401", "403", "404"]
                if op.get("requestBody"):
                    wanted.append("413")
                responses = op.setdefault("responses", {})
                for status in wanted:
                    responses.setdefault(
                        status,
                        {
                            "description": _ERROR_STATUSES[status],
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                            },
                        },
                    )
        return schema


api = FazhiAPI(
    title="法治街镇工作平台 API",
    version="1",
    description="所有接口均按调用者的区域范围过滤；范围外的对象一律返回 404。",
    urls_namespace="api",
    auth=API_AUTH,
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
    "string_too_short": "内容过短",
    "string_pattern_mismatch": "格式不正确",
    "int_from_float": "应为整数",
    "int_parsing_size": "数值过大",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "decimal_whole_digits": "整数位数过多",
    "bool_type": "应为 true 或 false",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_type": "时间格式应为 YYYY-MM-DDTHH:MM:SS（可带时区，如 +08:00）",
    "datetime_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS（可带时区，如 +08:00）",
    "datetime_from_date_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS（可带时区，如 +08:00）",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "enum": "不在可选范围内",
    "literal_error": "不在可选范围内",
    "extra_forbidden": "不是可接受的参数",
    "value_error": "取值无效",
    "assertion_error": "取值无效",
}
# Pydantic's bound errors carry the bound in ``ctx``: the message says it.
_PYDANTIC_BOUNDS = {
    "greater_than_equal": ("ge", "应不小于{}"),
    "greater_than": ("gt", "应大于{}"),
    "less_than_equal": ("le", "应不大于{}"),
    "less_than": ("lt", "应小于{}"),
    "too_short": ("min_length", "至少应有{}项"),
    "too_long": ("max_length", "至多{}项"),
}
# The few messages django-ninja raises itself (as HttpError), in Chinese.
_NINJA_MESSAGES = {
    "Cannot parse request body": "请求体无法解析：应为有效的 JSON（UTF-8 编码）",
    "CSRF check Failed": "跨站请求校验（CSRF）未通过：请刷新页面后重试，其他系统请以令牌调用",
}


def _pydantic_message(e: Any) -> str:
    kind = e.get("type", "")
    if kind in _PYDANTIC_BOUNDS:
        key, text = _PYDANTIC_BOUNDS[kind]
        return text.format((e.get("ctx") or {}).get(key, ""))
    if kind == "string_too_long":
        return f"不能超过{(e.get('ctx') or {}).get('max_length', '')}个字"
    reason = str((e.get("ctx") or {}).get("error", ""))
    if kind == "value_error" and any("\u4e00" <= ch <= "\u9fff" for ch in reason):
        return reason  # our own validators (core.validation) give the reason in Chinese
    return _PYDANTIC_MESSAGES.get(kind, "取值无效")


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
                "message": f"参数 {name}：{_pydantic_message(e)}",
            }
        )
    return error(request, 400, items)


@api.exception_handler(DjangoValidationError)
def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        # The services' messages name their field in Chinese (“请填写事项名称”, “当事人姓名：…”); the
        # parameter's own name travels in ``field``, never inside the sentence a person reads.
        items = [{"field": k, "message": "；".join(v)} for k, v in exc.message_dict.items()]
    else:
        items = [{"field": "", "message": m} for m in exc.messages]
    return error(request, 400, items)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, _NINJA_MESSAGES.get(exc.message, exc.message))


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
api.add_router("/", "enforcement.api.router")
api.add_router("/", "demands.api.router")
api.add_router("/", "respondent.api.router")
api.add_router("/", "steering.api.router")

from core.api_imports import build as _imports_router  # noqa: E402 - after every app has registered its importers

api.add_router("/", _imports_router())
