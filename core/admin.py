"""Admin pages, scoped exactly like every other read: ``visible_to(request.user)``.

Changes go through the same services as pages and imports (paths, keyed hashes) and land in
the change log with the admin request's id. What a role may change is decided by the permission table (core/permissions.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django_tasks_db.models import DBTaskResult

from core import services
from core.clocks import services as clock_services
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
from core.models.people import USER_DELETE_REFUSED
from core.permissions import (
    ROLE_RANK,
    allowed,
    authorize,
    grantable_roles,
    is_administrator,
    outranks_or_equals,
)
from core.roles import Role
from core.scoping import active_memberships, scope_paths


def checked_form(form_class: Any) -> Any:
    """The admin form, plus the platform's own checks of every saved row (lengths, control characters, date
    window: ``core.validation.check_instance``) as field errors, so a bad value is never a 500 on save."""
    from core.personal import Undecryptable
    from core.validation import check_instance

    class Checked(form_class):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # Stored values no key decrypts: the row cannot be saved until the key is back (never overwritten).
            self._undecryptable = [
                f
                for f in self.instance._meta.concrete_fields
                if isinstance(getattr(self.instance, f.attname, None), Undecryptable)
            ]

        def _post_clean(self) -> None:
            super()._post_clean()
            try:
                check_instance(self.instance)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    self.add_error(name if name in self.fields else None, messages)
            for field in self._undecryptable:
                self.add_error(
                    field.name if field.name in self.fields else None,
                    f"{field.verbose_name}：无法用现有密钥解密，为免覆盖原值不能保存；请管理员恢复缺失的密钥",
                )

    Checked.__name__ = form_class.__name__
    return Checked


class CheckedFormAdmin:
    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        return checked_form(super().get_form(request, obj, change=change, **kwargs))  # type: ignore[misc]


class ScopedAdmin(CheckedFormAdmin, admin.ModelAdmin):
    """Base of every admin page: scoped rows, scoped choices, rights from the permission table.

    ``permission`` names the table's row that allows adding, changing and deleting this model's rows (checked
    against each row's region); ``view_permission`` the row that allows reading them (the same by default).
    """

    permission: str = "directory.manage"
    view_permission: str | None = None
    read_only: bool = False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.model.objects.visible_to(request.user)

    def _may_view(self, request: HttpRequest) -> bool:
        return allowed(request.user, self.view_permission or self.permission)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_view(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_view(request)

    def _may_write(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.read_only and allowed(request.user, self.permission, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may_write(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_write(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_write(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The row as it will be saved (e.g. a region chosen in the form) must be within the user's rights too.
        authorize(request.user, self.permission, obj)
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if hasattr(related.objects, "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DeactivateNotDelete:
    """Directory rows are referred to by cases, assignments and the change log: they are deactivated
    (``active``), never deleted; only a superuser may remove one entered by mistake."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


# The platform's rights come from its permission table, not Django's groups: the groups page is not offered.
admin.site.unregister(Group)
# Background tasks are followed on the job pages (/jobs/, scoped, in Chinese); django-tasks-db's own admin of
# its raw queue rows is not offered (docs/jobs.md).
admin.site.unregister(DBTaskResult)


@admin.register(Region)
class RegionAdmin(DeactivateNotDelete, ScopedAdmin):
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
            authorize(request.user, self.permission, obj)
            obj.save()
        else:
            created = services.region_create(
                code=obj.code, name=obj.name, level=obj.level, parent=obj.parent, by=request.user
            )
            obj.pk, obj.path = created.pk, created.path


@admin.register(Unit)
class UnitAdmin(DeactivateNotDelete, ScopedAdmin):
    list_display = ["name", "kind", "region", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region"]


@admin.register(Person)
class PersonAdmin(DeactivateNotDelete, ScopedAdmin):
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


class MembershipFormSet(BaseInlineFormSet):
    """Memberships granted in the admin: only roles at or below the granting user's own, in their region."""

    request: HttpRequest

    def clean(self) -> None:
        super().clean()
        by = self.request.user
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            unit, role = data.get("unit"), data.get("role")
            if not data or data.get("DELETE") or unit is None or not role:
                continue
            if form.instance.pk and not form.has_changed():
                continue
            if role not in grantable_roles(by, unit.region):
                form.add_error(
                    "role", f"您只能在本人工作范围内授予不高于本人的角色，不能授予“{Role(role).label}”"
                )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]
    formset = MembershipFormSet

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Membership.objects.visible_to(request.user)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request  # type: ignore[attr-defined]
        return formset

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not request.user.is_superuser:
            top = max((ROLE_RANK[m.role] for m in active_memberships(request.user)), default=0)
            kwargs["choices"] = [
                (value, label)
                for value, label in Role.choices
                if ROLE_RANK[value] <= top and (value != Role.ADMINISTRATOR or is_administrator(request.user))
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request.user, "directory.manage") and (
            obj is None or outranks_or_equals(request.user, obj)
        )

    has_change_permission = has_delete_permission = has_add_permission

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request.user, "directory.manage")


@admin.register(User)
class UserAdmin(CheckedFormAdmin, BaseUserAdmin):
    """Accounts: directory managers of a region manage the accounts in it whose roles are not above their own;
    only administrators reset other people's passwords or set the staff and superuser flags."""

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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not is_administrator(request.user):
            fields.append("is_staff")
        return fields

    def has_module_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, "directory.manage")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return allowed(request.user, "directory.manage")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, "directory.manage")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not allowed(request.user, "directory.manage"):
            return False
        return obj is None or outranks_or_equals(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are deactivated, never deleted (the audit chain names them)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        raise PermissionDenied(USER_DELETE_REFUSED)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        if str(request.user.pk) != str(id) and not is_administrator(request.user):
            raise PermissionDenied("只有系统管理员可以重置他人密码")
        return super().user_change_password(request, id, form_url)


@admin.register(CalendarYear)
class CalendarYearAdmin(ScopedAdmin):
    """Later years' schedules: the days are entered under 放假安排日期 (or imported).

    Saves and deletes go through the clock services, which recompute the stored due dates they affect.
    """

    permission = "calendar.manage"
    list_display = ["year", "notice", "published_on"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return CalendarYear.objects.all()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        clock_services.calendar_year_save(year=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        clock_services.calendar_years_delete(years=[obj], by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        clock_services.calendar_years_delete(years=list(queryset), by=request.user)


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    permission = "calendar.manage"
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return CalendarDay.objects.all()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        clock_services.calendar_day_save(day=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        clock_services.calendar_days_delete(days=[obj], by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        clock_services.calendar_days_delete(days=list(queryset), by=request.user)


@admin.register(ClockRuleSetting)
class ClockRuleSettingAdmin(ScopedAdmin):
    permission = "clockrule.manage"
    list_display = ["rule_id", "region", "length", "source"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        clock_services.clockrule_setting_save(setting=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        clock_services.clockrule_settings_delete(rule_settings=[obj], by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        clock_services.clockrule_settings_delete(rule_settings=list(queryset), by=request.user)


@admin.register(ChangeLog)
class ChangeLogAdmin(ScopedAdmin):
    permission = view_permission = "audit.view"
    read_only = True
    list_display = ["seq", "at", "actor", "action", "content_type", "object_repr", "request_id"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "request_id"]
    readonly_fields = [f.name for f in ChangeLog._meta.fields]


@admin.register(RevealLog)
class RevealLogAdmin(ScopedAdmin):
    permission = view_permission = "audit.view"
    read_only = True
    list_display = ["at", "user", "field", "reason", "content_type", "object_id", "ip"]
    readonly_fields = [f.name for f in RevealLog._meta.fields]
