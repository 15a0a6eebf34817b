from __future__ import annotations

from django.contrib import admin

from core.admin import ScopedAdmin

from .models import Challenge


@admin.register(Challenge)
class ChallengeAdmin(ScopedAdmin):
    """就政府信息公开提起的复议、诉讼：登记并更新结果，年度报告第四部分由此生成。"""

    permission = "disclosure.challenge"
    list_display = ["kind", "filed_on", "result", "region", "request"]
    list_filter = ["kind", "result"]
    raw_id_fields = ["request"]
