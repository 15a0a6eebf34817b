"""Django's own error answers, in Chinese: HTML pages for the site, JSON ``{"detail": …}`` under /api/.

Wired as ``handler400/403/404/500`` in ``fazhi/urls.py`` and used by ``core.validation``. A request
body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (or with more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``
fields) reaches ``bad_request`` and answers 413.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.template import loader

_TITLES = {
    400: "请求有误",
    403: "无权执行此操作",
    404: "未找到该页面或事项",
    413: "提交的内容过大",
    500: "系统出现错误",
}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_response(
    request: HttpRequest, status: int, message: str, *, field: str | None = None
) -> HttpResponse:
    """``message`` as JSON under /api/ (with ``field`` when one is named), else as the status page."""
    if is_api(request):
        detail: Any = [{"field": field, "message": message}] if field is not None else message
        return HttpResponse(
            json.dumps({"detail": detail}, ensure_ascii=False),
            status=status,
            content_type="application/json; charset=utf-8",
        )
    template = loader.select_template([f"{status}.html", "400.html"])
    body = template.render({"title": _TITLES.get(status, _TITLES[400]), "message": message}, request)
    return HttpResponse(body, status=status)


def _too_big_message(exception: Exception) -> str:
    if isinstance(exception, TooManyFieldsSent):
        return f"提交的字段过多（至多{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}个）"
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
    return f"提交的内容过大（除上传文件外至多{limit:.1f} MB），请精简后重试"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return error_response(request, 413, _too_big_message(exception))
    return error_response(request, 400, "请求有误，无法处理：请检查填写的内容后重试")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception or "")
    if not reason or not any("\u4e00" <= ch <= "\u9fff" for ch in reason):
        reason = "无权执行此操作；如需此权限，请联系司法所或系统管理员"
    return error_response(request, 403, reason)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404, "未找到：它可能不存在，或不在您的工作范围内")


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return error_response(request, 500, "系统出现错误，操作未完成，已记录错误；请稍后重试")
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the page was open too long or cookies are off."""
    message = "页面已过期或浏览器未启用 Cookie，提交未被接受：请刷新页面后重新提交"
    if is_api(request):
        return error_response(request, 403, message)
    body = loader.render_to_string("400.html", {"title": "提交未被接受", "message": message}, request)
    return HttpResponse(body, status=403)
