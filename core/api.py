"""Core endpoints: sign-in tokens, me, regions, units, people, calendar and clock rules."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from core import selectors, services
from core.auth import blocked_message, client_ip, token_login_succeeded
from core.clocks import calendar as cal
from core.clocks.rules import RULES, PeriodUnit, UnknownRule
from core.clocks.services import deadline_preview
from core.models import ApiToken, Person, Unit, User
from core.pagination import PageNumberPagination
from core.permissions import PERMISSIONS, allowed
from core.personal import mask_id_number, mask_phone
from core.roles import Role
from core.scoping import active_memberships
from core.validation import date_problem

router = Router()


# --- auth -------------------------------------------------------------------------------


class TokenIn(Schema):
    username: str = Field(max_length=150, description="账号")
    password: str = Field(max_length=128, description="密码")
    name: str = Field(
        "接口调用",
        max_length=60,
        description="调用系统名称（如“12345热线”）。以同一名称再次签发会替换旧令牌，旧令牌立即失效",
    )


class TokenOut(Schema):
    token: str = Field(description="令牌，只显示这一次；以 Authorization: Bearer <token> 调用")
    name: str
    expires_at: dt.datetime


class TokenInfoOut(Schema):
    id: int
    name: str = Field(description="调用系统")
    prefix: str = Field(description="令牌前8位，用于辨认")
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    status: str = Field(description="有效、已吊销、已过期或已失效（密码已修改）")


class Detail(Schema):
    detail: Any


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 400: Detail, 401: Detail, 429: Detail},
    tags=["认证"],
    summary="以用户名和密码换取接口令牌（按调用系统命名，90天有效，改密码后失效）",
)
def token(request: HttpRequest, payload: TokenIn) -> Any:
    from django.contrib.auth import authenticate

    # django-axes counts the failure per (user name, client address) and refuses a locked pair.
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": blocked_message()})
    if user is None:
        return Status(401, {"detail": "用户名或密码错误"})
    token_login_succeeded(request, payload.username)
    key = services.token_issue(user=user, name=payload.name)
    issued = ApiToken.objects.get(user=user, name=services.token_name_clean(payload.name))
    return Status(200, {"token": key, "name": issued.name, "expires_at": issued.expires_at})


@router.get("/auth/tokens", response=list[TokenInfoOut], tags=["认证"], summary="本人的接口令牌")
@paginate(PageNumberPagination, page_size=50)
def tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=cast(User, request.user)).select_related("user").order_by("name")


@router.post(
    "/auth/tokens/{token_id}/revoke",
    response={200: TokenInfoOut, 401: Detail, 403: Detail, 404: Detail},
    tags=["认证"],
    summary="吊销本人的一个接口令牌（立即失效）",
)
def token_revoke(request: HttpRequest, token_id: int) -> Any:
    token = get_object_or_404(ApiToken.objects.filter(user=cast(User, request.user)), pk=token_id)
    return services.token_revoke(token=token, by=request.user)


class MembershipOut(Schema):
    unit_id: int
    unit: str
    role: str
    role_label: str
    region_id: int
    region: str
    region_path: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    is_superuser: bool
    memberships: list[MembershipOut]
    capabilities: list[str] = Field(
        description="权限表中本账号在其工作范围内可做的事项代码（见 GET /permissions）"
    )


@router.get("/me", response=MeOut, tags=["认证"], summary="当前账号、任职与权限")
def me(request: HttpRequest) -> Any:
    user = request.user
    ms = active_memberships(user)
    caps = {code for code in PERMISSIONS if allowed(user, code)}
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": getattr(user, "full_name", ""),
        "is_superuser": user.is_superuser,
        "memberships": [
            {
                "unit_id": m.unit_id,
                "unit": m.unit.name,
                "role": m.role,
                "role_label": Role(m.role).label,
                "region_id": m.unit.region_id,
                "region": m.unit.region.name,
                "region_path": m.unit.region.path,
            }
            for m in ms
        ],
        "capabilities": sorted(caps),
    }


# --- regions, units, people ---------------------------------------------------------------


class RegionOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    path: str


@router.get(
    "/regions", response=list[RegionOut], tags=["区域与单位"], summary="可见区域（可按层级、上级过滤）"
)
@paginate(PageNumberPagination, page_size=50)
def regions(request: HttpRequest, level: str = "", parent: int | None = None) -> Any:
    qs = selectors.regions_visible(request.user)
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    return qs


@router.get("/regions/{region_id}", response=RegionOut, tags=["区域与单位"])
def region(request: HttpRequest, region_id: int) -> Any:
    return get_object_or_404(selectors.regions_visible(request.user), pk=region_id)


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region_id: int
    region: str
    uscc: str
    phone: str
    address: str

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region(obj: Unit) -> str:
        return obj.region.name


@router.get(
    "/units", response=list[UnitOut], tags=["区域与单位"], summary="可见单位（可按区域子树、类型过滤）"
)
@paginate(PageNumberPagination, page_size=50)
def units(request: HttpRequest, region: int | None = None, kind: str = "") -> Any:
    qs = selectors.units_visible(request.user)
    if region is not None:
        root = get_object_or_404(selectors.regions_visible(request.user), pk=region)
        qs = qs.filter(region__path__startswith=root.path)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@router.get("/units/{unit_id}", response=UnitOut, tags=["区域与单位"])
def unit(request: HttpRequest, unit_id: int) -> Any:
    return get_object_or_404(selectors.units_visible(request.user), pk=unit_id)


class PersonOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region_id: int
    region: str
    unit_id: int | None
    paired_region_id: int | None
    id_number_masked: str
    phone_masked: str
    specialties: list[str]
    legal_qualification: bool

    @staticmethod
    def resolve_kind_label(obj: Person) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region(obj: Person) -> str:
        return obj.region.name

    @staticmethod
    def resolve_id_number_masked(obj: Person) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else ""

    @staticmethod
    def resolve_phone_masked(obj: Person) -> str:
        return mask_phone(obj.phone) if obj.phone else ""

    @staticmethod
    def resolve_specialties(obj: Person) -> list[str]:
        return obj.specialty_list()


@router.get("/people", response=list[PersonOut], tags=["人员名册"], summary="可见名册人员（个人信息已掩码）")
@paginate(PageNumberPagination, page_size=50)
def people(request: HttpRequest, kind: str = "", region: int | None = None, q: str = "") -> Any:
    root = (
        get_object_or_404(selectors.regions_visible(request.user), pk=region) if region is not None else None
    )
    return selectors.people_visible(request.user, kind=kind, region=root, q=q)


@router.get("/people/{person_id}", response=PersonOut, tags=["人员名册"])
def person(request: HttpRequest, person_id: int) -> Any:
    return get_object_or_404(selectors.people_visible(request.user), pk=person_id)


class RevealIn(Schema):
    field: str
    reason: str


class RevealOut(Schema):
    field: str
    value: str


@router.post(
    "/people/{person_id}/reveal",
    response=RevealOut,
    tags=["人员名册"],
    summary="查看完整身份证号或电话（需相应角色，记录查看日志）",
)
def person_reveal(request: HttpRequest, person_id: int, payload: RevealIn) -> Any:
    obj = get_object_or_404(selectors.people_visible(request.user), pk=person_id)
    if payload.field not in {"id_number", "phone"}:
        raise ValidationError({"field": "只能查看 id_number（身份证号）或 phone（联系电话）"})
    value = services.personal_reveal(
        obj=obj, field=payload.field, by=request.user, reason=payload.reason, ip=client_ip(request)
    )
    return {"field": payload.field, "value": value}


# --- calendar and clocks ---------------------------------------------------------------------


class DeadlineOut(Schema):
    rule: str
    rule_name: str
    start: dt.date
    due: dt.date
    provisional: bool
    unit: str
    unit_label: str
    length: int
    legal_basis: str
    explanation: str
    steps: list[str]


@router.get(
    "/calendar/deadline",
    response={200: DeadlineOut, 400: Detail},
    tags=["日历与时限"],
    summary="按时限规则和起算日期计算截止日期，并说明计算过程",
)
def deadline(request: HttpRequest, rule: str = "", start: str = "") -> Any:
    if not rule:
        return Status(
            400,
            {
                "detail": [
                    {
                        "field": "rule",
                        "message": "参数 rule：缺少必填参数（时限规则编号，如 disclosure.answer）",
                    }
                ]
            },
        )
    if not start:
        return Status(
            400,
            {"detail": [{"field": "start", "message": "参数 start：缺少必填参数（起算日期 YYYY-MM-DD）"}]},
        )
    try:
        start_date = dt.date.fromisoformat(start)
    except ValueError:
        return Status(
            400,
            {
                "detail": [
                    {"field": "start", "message": f"参数 start：“{start}”不是有效日期，格式应为 YYYY-MM-DD"}
                ]
            },
        )
    if problem := date_problem(start_date):
        return Status(400, {"detail": [{"field": "start", "message": f"参数 start：{problem}"}]})
    try:
        result = deadline_preview(rule_id=rule, started_on=start_date, user=request.user)
    except UnknownRule:
        return Status(400, {"detail": [{"field": "rule", "message": f"参数 rule：未知的时限规则“{rule}”"}]})
    return Status(
        200,
        {
            "rule": result.rule.id,
            "rule_name": result.rule.name,
            "start": result.started_on,
            "due": result.due_on,
            "provisional": result.provisional,
            "unit": result.rule.unit,
            "unit_label": PeriodUnit(result.rule.unit).label,
            "length": result.rule.length,
            "legal_basis": result.rule.basis,
            "explanation": result.explanation,
            "steps": result.steps,
        },
    )


class DayOut(Schema):
    date: dt.date
    is_working_day: bool
    name: str
    provisional: bool


@router.get(
    "/calendar/days",
    response={200: list[DayOut], 400: Detail},
    tags=["日历与时限"],
    summary="某月每一天是否为工作日",
)
def days(request: HttpRequest, year: int, month: int) -> Any:
    if not 1 <= month <= 12:
        return Status(400, {"detail": [{"field": "month", "message": "参数 month：应为1至12"}]})
    if not 1900 <= year <= 2200:
        return Status(400, {"detail": [{"field": "year", "message": "参数 year：超出范围"}]})
    return Status(
        200,
        [
            {"date": d.date, "is_working_day": d.is_working_day, "name": d.name, "provisional": d.provisional}
            for d in cal.month_days(year, month)
        ],
    )


class RuleOut(Schema):
    id: str
    name: str
    length: int
    unit: str
    counted_from: str
    legal_basis: str
    extension_cap: int
    configurable: bool
    note: str


@router.get("/clocks/rules", response=list[RuleOut], tags=["日历与时限"], summary="时限规则库")
def rules(request: HttpRequest) -> Any:
    return [
        {
            "id": r.id,
            "name": r.name,
            "length": r.length,
            "unit": r.unit,
            "counted_from": r.counted_from,
            "legal_basis": r.basis,
            "extension_cap": r.extension_cap,
            "configurable": r.configurable,
            "note": r.note,
        }
        for r in RULES.values()
    ]


class ClockOut(Schema):
    id: int
    title: str
    rule_id: str
    rule_name: str
    name: str
    due_on: dt.date
    provisional: bool
    state: str
    assignee: str | None
    url: str | None


def _clock_out(clock: Any, state: str) -> dict[str, Any]:
    case = clock.case
    return {
        "id": clock.pk,
        "title": clock.title,
        "rule_id": clock.rule_id,
        "rule_name": clock.rule_name,
        "name": clock.name,
        "due_on": clock.due_on,
        "provisional": clock.provisional,
        "state": state,
        "assignee": str(clock.assignee) if clock.assignee else None,
        "url": case.get_absolute_url() if case is not None and hasattr(case, "get_absolute_url") else None,
    }


class MyWorkOut(Schema):
    mine: list[ClockOut]
    due_soon: list[ClockOut]
    overdue: list[ClockOut]


@router.get("/my-work", response=MyWorkOut, tags=["我的工作"], summary="我的待办：我承办的、临近到期、已逾期")
def my_work(request: HttpRequest) -> Any:
    from core.clocks.services import state_of

    work = selectors.my_work(request.user)
    return {
        key: [_clock_out(c, state_of(c, on=work.today)) for c in getattr(work, key)]
        for key in ("mine", "due_soon", "overdue")
    }


# --- the permission table -------------------------------------------------------------------


class RoleOut(Schema):
    code: str
    label: str


class PermissionOut(Schema):
    code: str = Field(description="事项代码（本账号可做的事项见 GET /me 的 capabilities）")
    label: str = Field(description="可以做什么")
    kind: str = Field(description="对象类别")
    group: str = Field(description="模块")
    roles: list[RoleOut] = Field(description="可以做的角色")
    region_rule: str = Field(description="区域规则")
    write: bool = Field(description="是否为写操作（只读角色从不拥有写操作）")


@router.get(
    "/permissions",
    response=list[PermissionOut],
    tags=["认证"],
    summary="权限表：哪个角色可以对哪类对象做什么（未列出的一律不允许）",
)
def permission_table(request: HttpRequest) -> Any:
    from core.permissions import table_rows

    return table_rows()


# --- background jobs (docs/jobs.md) ----------------------------------------------------------------------


def _job_status(job: Any) -> Any:
    from core.jobs import status_of

    status = getattr(job, "_fazhi_status", None)
    if status is None:
        status = job._fazhi_status = status_of(job)  # read the progress file once per job
    return status


class JobOut(Schema):
    id: int
    kind: str = Field(description="import（导入）、export（导出）、report（报告）或 nightly（例行任务）")
    subject: str = Field(description="导入或导出的数据类别（如 people、disputes）")
    title: str
    owner: str | None = Field(description="提交人姓名")
    state: str = Field(description="queued、running、succeeded、failed，或 interrupted（后台进程中途停止）")
    state_label: str
    done: int = Field(description="已处理行数")
    total: int = Field(description="总行数（检查完文件之前为0）")
    error_count: int
    summary: str = Field(description="结果说明")
    errors: list[list[Any]] = Field(description="前200处错误：[行号, 列, 原因]；全部错误见错误清单文件")
    result_url: str | None = Field(description="结果文件的下载地址")
    error_report_url: str | None = Field(description="错误清单（.xlsx）的下载地址")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.display_name if obj.owner else None

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return str(_job_status(obj).state)

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(_job_status(obj).label)

    @staticmethod
    def resolve_done(obj: Any) -> int:
        return int(_job_status(obj).done)

    @staticmethod
    def resolve_total(obj: Any) -> int:
        return int(_job_status(obj).total)

    @staticmethod
    def resolve_error_count(obj: Any) -> int:
        return int(_job_status(obj).error_count)

    @staticmethod
    def resolve_summary(obj: Any) -> str:
        return str(obj.summary or _job_status(obj).note)

    @staticmethod
    def resolve_result_url(obj: Any) -> str | None:
        from core.downloads import download_url

        return download_url(obj, "result_file") if obj.result_file else None

    @staticmethod
    def resolve_error_report_url(obj: Any) -> str | None:
        from core.downloads import download_url

        return download_url(obj, "error_file") if obj.error_file else None


@router.get(
    "/jobs", response=list[JobOut], tags=["后台任务"], summary="本人及工作范围内的后台任务（新的在前）"
)
@paginate(PageNumberPagination, page_size=30)
def jobs(request: HttpRequest) -> Any:
    from core.models import Job

    return Job.objects.visible_to(request.user).select_related("owner").order_by("-created_at", "-pk")


@router.get("/jobs/{job_id}", response=JobOut, tags=["后台任务"], summary="一个后台任务的进度与结果")
def job(request: HttpRequest, job_id: int) -> Any:
    from core.models import Job

    return get_object_or_404(Job.objects.visible_to(request.user).select_related("owner"), pk=job_id)
