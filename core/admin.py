"""Admin pages, scoped exactly like every other read: ``visible_to(request.user)``.

Changes go through the same services as pages and imports (paths, keyed hashes) and land in
the change log with the admin request's id. What a role may change is decided by capability.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from core import services
from core.clocks import calendar as cal
from core.models import (
    CalendarDay,
    CalendarYear,
    ChangeLog,
    ClockRuleSetting,
    Membership,
    Person,
    Region,
    RevealLog,
    Unit,
    User,
)
from core.roles import Capability
from core.scoping import has_capability, scope_paths


class ScopedAdmin(admin.ModelAdmin):
    """Base of every admin page: scoped rows, scoped choices, capability-based rights."""

    capability: str = Capability.DIRECTORY_MANAGE
    read_only: bool = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.objects.visible_to(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, self.capability)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_capability(request.user, self.capability)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return not self.read_only and has_capability(request.user, self.capability)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and has_capability(request.user, self.capability)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and has_capability(request.user, self.capability)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if hasattr(related.objects, "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["name", "level", "code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    fields = ["code", "name", "level", "parent", "path"]
    readonly_fields = ["path"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Codes and places in the tree are fixed once created: paths of the subtree depend on them.
        return ["code", "level", "parent", "path"] if obj else ["path"]

    def save_model(self, request: HttpRequest, obj: Region, form: Any, change: bool) -> None:
        if change:
            obj.save()
        else:
            created = services.region_create(
                code=obj.code, name=obj.name, level=obj.level, parent=obj.parent, by=request.user
            )
            obj.pk, obj.path = created.pk, created.path


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "unit", "masked_phone", "legal_qualification", "active"]
    list_filter = ["kind", "legal_qualification", "active"]
    search_fields = ["name", "specialties"]
    autocomplete_fields = ["region", "paired_region", "unit"]
    fields = services.PERSON_FIELDS

    @admin.display(description="联系电话")
    def masked_phone(self, obj: Person) -> str:
        return Person._meta.get_field("phone").masked(obj.phone) if obj.phone else "—"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        # Existing encrypted values are never sent to the browser: leave blank to keep them.
        if obj is not None:
            for name in ("id_number", "phone"):
                if name in form.base_fields:
                    form.base_fields[name].required = False
                    form.base_fields[name].help_text = "已加密保存；留空表示不修改"
        return form

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        form = context.get("adminform")
        if form is not None:
            for name in ("id_number", "phone"):
                if name in form.form.fields:
                    form.form.initial[name] = ""
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        values: dict[str, Any] = {
            str(k): form.cleaned_data[k] for k in services.PERSON_FIELDS if k in form.cleaned_data
        }
        if change:
            for name in ("id_number", "phone"):
                if not values.get(name):
                    values.pop(name, None)
            services.person_update(person=Person.objects.get(pk=obj.pk), by=request.user, **values)
        else:
            created = services.person_create(by=request.user, **values)
            obj.pk = created.pk


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Membership.objects.visible_to(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_capability(request.user, Capability.DIRECTORY_MANAGE)

    has_change_permission = has_delete_permission = has_view_permission = has_add_permission


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "email")}),
        ("状态", {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        paths = scope_paths(request.user)
        if paths is None:
            return qs
        visible_units = Unit.objects.visible_to(request.user)
        return qs.filter(memberships__unit__in=visible_units).distinct()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.DIRECTORY_MANAGE)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_capability(request.user, Capability.DIRECTORY_MANAGE)

    has_change_permission = has_add_permission = has_view_permission

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 3

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return CalendarDay.objects.all()


@admin.register(CalendarYear)
class CalendarYearAdmin(ScopedAdmin):
    """Later years' schedules: the days are entered under 放假安排日期 (or imported)."""

    capability = Capability.CALENDAR_MANAGE
    list_display = ["year", "notice", "published_on"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return CalendarYear.objects.all()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(cal.clear_cache)


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    capability = Capability.CALENDAR_MANAGE
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return CalendarDay.objects.all()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(cal.clear_cache)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(cal.clear_cache)


@admin.register(ClockRuleSetting)
class ClockRuleSettingAdmin(ScopedAdmin):
    capability = Capability.CALENDAR_MANAGE
    list_display = ["rule_id", "region", "length", "source"]


@admin.register(ChangeLog)
class ChangeLogAdmin(ScopedAdmin):
    capability = Capability.AUDIT_VIEW
    read_only = True
    list_display = ["seq", "at", "actor", "action", "content_type", "object_repr", "request_id"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "request_id"]
    readonly_fields = [f.name for f in ChangeLog._meta.fields]


@admin.register(RevealLog)
class RevealLogAdmin(ScopedAdmin):
    capability = Capability.AUDIT_VIEW
    read_only = True
    list_display = ["at", "user", "field", "reason", "content_type", "object_id", "ip"]
    readonly_fields = [f.name for f in RevealLog._meta.fields]
