from django.contrib import admin
from django.urls import include, path

from fazhi.api import api

admin.site.site_header = "法治街镇工作平台 · 管理后台"
admin.site.site_title = "法治街镇工作平台"
admin.site.index_title = "数据维护"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("captcha/", include("captcha.urls")),  # the public intake's self-hosted CAPTCHA images
    path("", include("disputes.urls")),
    path("", include("disclosure.urls")),
    path("", include("administration.urls")),
    path("", include("enforcement.urls")),
    path("", include("demands.urls")),
    path("", include("respondent.urls")),
    path("", include("steering.urls")),
    path("", include("core.urls")),
]

# Django's own error answers in Chinese (JSON under /api/): core/errors.py.
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
