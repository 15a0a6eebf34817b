"""Admin for the disputes configuration; cases themselves are worked on the dispute pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ScopedAdmin
from core.personal import fill_keyed_hashes

from .models import DisputeType, RiskSettings, VulnerablePerson


@admin.register(DisputeType)
class DisputeTypeAdmin(ScopedAdmin):
    """纠纷类型：区级维护（新增、停用、排序）。停用而非删除，历史纠纷仍保留其类型。"""

    permission = "taxonomy.manage"
    list_display = ["name", "code", "sort", "active"]
    list_editable = ["sort", "active"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return DisputeType.objects.all()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RiskSettings)
class RiskSettingsAdmin(ScopedAdmin):
    permission = "taxonomy.manage"
    list_display = ["region", "group_people", "repeat_count", "repeat_days", "amount"]


@admin.register(VulnerablePerson)
class VulnerablePersonAdmin(ScopedAdmin):
    """特殊群体档案：只有档案的角色（司法所、街镇领导）能看到和维护。"""

    permission = "disputes.vulnerable"
    view_permission = "disputes.vulnerable"
    list_display = ["name", "category", "region"]
    fields = ["region", "name", "category", "id_number", "phone", "note"]

    def save_model(self, request: HttpRequest, obj: VulnerablePerson, form: Any, change: bool) -> None:
        fill_keyed_hashes(obj)
        super().save_model(request, obj, form, change)
