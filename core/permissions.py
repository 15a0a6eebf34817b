"""The permission table (权限表): which role may do which action on which kind of object. Deny by default.

Every write in the platform is named here (a *permission*: code, label, kind of object, the roles that may
do it, and the region rule), and every write service calls ``authorize(by, code, target)`` before it
touches anything. Workflow actions join the same table when their workflow is registered
(``workflow_permission``), so there is one table and one check for pages, API, admin and imports.

The region rule: a role acts only where its membership's unit sits (own community, own street or the
district, whatever that unit's region is), optionally only from a membership at district level or above
(``min_level``, for tables the streets of a district share), and — for the roles named in
``assigned_roles`` — only on objects assigned to them or their unit (``register_assignment``).
Read-only roles (the auditor) are in no write permission; ``declare`` refuses a table that says otherwise.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from core.memo import remembered
from core.roles import READ_ONLY_ROLES, Role
from core.scoping import active_memberships

# Levels from the top; a membership "at district level or above" sits at an index <= district's.
_LEVELS = ("city", "district", "street", "community", "grid")
SYSTEM = None  # ``by=None``: the platform itself (demo loader, migrations, fixtures), never a request


@dataclass(frozen=True)
class Permission:
    code: str
    label: str  # what the user does, as a verb phrase: "受理登记矛盾纠纷"
    kind: str  # the kind of object, in Chinese: "矛盾纠纷"
    roles: frozenset[str]
    min_level: str | None = None  # the granting membership sits at this level or above
    assigned_roles: frozenset[str] = frozenset()  # these roles act only on objects assigned to them
    write: bool = True  # False for the few read rights listed for completeness (change log, reveal)
    group: str = ""  # the table's section (module) on the permissions page

    @property
    def region_rule(self) -> str:
        rule = "本人任职单位所在区域（居村、街镇或区）内"
        if self.min_level:
            rule = {"district": "仅限区级及以上任职", "city": "仅限市级任职"}.get(self.min_level, rule)
        if self.assigned_roles:
            names = "、".join(str(Role(r).label) for r in sorted(self.assigned_roles))
            rule += f"；{names}仅限分派给本人或本单位的事项"
        return rule


PERMISSIONS: dict[str, Permission] = {}
# model label (lower case) -> predicate(obj, user) -> bool: is the object assigned to the user or their unit?
_ASSIGNMENT: dict[str, Callable[[Any, Any], bool]] = {}
_ASSIGNED_CASES: dict[str, Callable[[Any], Q]] = {}
# model label (lower case) -> function(obj) -> the object whose region and assignment decide (e.g. the case)
_OWNER: dict[str, Callable[[Any], Any]] = {}


def declare(*permissions: Permission) -> None:
    for p in permissions:
        if p.write and p.roles & READ_ONLY_ROLES:
            raise ValueError(f"{p.code}: read-only roles may not write")
        if p.code in PERMISSIONS and PERMISSIONS[p.code] != p:
            raise ValueError(f"{p.code}: declared twice")
        PERMISSIONS[p.code] = p


def permission(code: str) -> Permission:
    try:
        return PERMISSIONS[code]
    except KeyError:
        raise LookupError(f"permission {code!r} is not declared in the permission table") from None


def register_assignment(
    model_label: str, predicate: Callable[[Any, Any], bool], cases: Callable[[Any], Q] | None = None
) -> None:
    """``predicate(case, user)``: the case is assigned to the user (or their unit). ``cases(user)``: the same
    as a filter on the model, for lists of many cases (the inbox)."""
    _ASSIGNMENT[model_label.lower()] = predicate
    if cases is not None:
        _ASSIGNED_CASES[model_label.lower()] = cases


def assigned_cases(model_label: str, user: Any) -> Q | None:
    """The filter of the cases assigned to ``user``, or None where the model declares none."""
    cases = _ASSIGNED_CASES.get(model_label.lower())
    return cases(user) if cases is not None else None


# (user pk, street path) while ``user`` enters the steps of a past record of that street (``recording_history``).
_RECORDING: contextvars.ContextVar[tuple[int | None, str] | None] = contextvars.ContextVar(
    "fazhi_recording_history", default=None
)


@contextlib.contextmanager
def recording_history(user: Any, region: Any) -> Iterator[None]:
    """Inside the block, ``user`` may write every step of a past record standing in ``region``'s subtree,
    whichever role each step asked for when it was taken (the leader's decision, the reviewer's opinion):
    the steps were done then by the people the ledger names; the platform records them now, on the
    authority of the importer's own row, which ``core.history.entering_history`` checks before opening
    this block. Nothing outside ``region`` is widened, nor any other user, nor anything after the block."""
    token = _RECORDING.set((getattr(user, "pk", None), region.path))
    try:
        yield
    finally:
        _RECORDING.reset(token)


def _recording(user: Any, perm: Permission, target: Any) -> bool:
    grant = _RECORDING.get()
    if grant is None or not perm.write or grant[0] != getattr(user, "pk", None):
        return False
    region = _region_of(target)
    return region is None or str(region.path).startswith(grant[1])


def register_owner(model_label: str, owner: Callable[[Any], Any]) -> None:
    """Side records (an agreement, a follow-up) are judged by the case they belong to."""
    _OWNER[model_label.lower()] = owner


def _label(obj: Any) -> str:
    return str(obj._meta.label_lower) if hasattr(obj, "_meta") else ""


def _case_of(obj: Any) -> Any:
    seen = 0
    while obj is not None and _label(obj) in _OWNER and seen < 5:
        obj, seen = _OWNER[_label(obj)](obj), seen + 1
    return obj


def _region_of(target: Any) -> Any:
    """The Region a target stands in: a Region itself, or an object's ``region`` (or its case's)."""
    from core.models import Region

    if target is None or isinstance(target, Region):
        return target
    case = _case_of(target)
    region = getattr(case, "region", None)
    if region is None and hasattr(case, "plan"):
        region = case.plan.region
    return region


def _level_ok(level: str, min_level: str | None) -> bool:
    if min_level is None:
        return True
    return level in _LEVELS and _LEVELS.index(level) <= _LEVELS.index(min_level)


def granting_roles(user: Any, perm: Permission, region: Any = None) -> set[str]:
    """The user's roles that grant ``perm`` at ``region`` (anywhere in their memberships when None)."""
    roles: set[str] = set()
    for m in active_memberships(user):
        unit_region = m.unit.region
        if m.role not in perm.roles or not _level_ok(unit_region.level, perm.min_level):
            continue
        if region is not None and not region.path.startswith(unit_region.path):
            continue
        roles.add(m.role)
    return roles


def allowed(user: Any, code: str, target: Any = None) -> bool:
    """Whether ``user`` may do ``code`` on ``target`` (an object, a Region, or None for "somewhere")."""
    perm = permission(code)
    if user is SYSTEM:
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or _recording(user, perm, target):
        return True
    roles = granting_roles(user, perm, _region_of(target))
    if not roles:
        return False
    restricted = roles & perm.assigned_roles
    if restricted == roles and target is not None and _region_of(target) is not target:
        case = _case_of(target)
        predicate = _ASSIGNMENT.get(_label(case))
        return predicate is None or predicate(case, user)
    return True


def refusal(code: str) -> str:
    perm = permission(code)
    if perm.assigned_roles:
        return f"您的角色不能{perm.label}（{perm.region_rule}）"
    return f"您的角色不能{perm.label}"


def visible(user: Any, case: Any) -> bool:
    """Whether the case is in the user's scope (asked once per import while it stays where it is)."""
    manager = getattr(type(case), "objects", None)
    scoped = getattr(manager, "visible_to", None)
    if scoped is None:
        return True
    # Where the case is: the key its scope is reached through (``region_id`` for ``region__path``)
    first = getattr(type(case), "scope_path", "region__path").split("__")[0]
    try:
        where = getattr(case, case._meta.get_field(first).attname)
    except (AttributeError, LookupError):  # FieldDoesNotExist is a LookupError
        where = None
    key = ("visible", getattr(user, "pk", None), case._meta.label_lower, case.pk, where)
    return remembered(key, lambda: scoped(user).filter(pk=case.pk).exists())


def authorize(user: Any, code: str, target: Any = None) -> None:
    """Refuse unless ``user`` may do ``code`` on ``target``: 404 when the object is outside the user's
    scope (nobody learns it exists), 403 with the reason in Chinese when inside it without the right."""
    if user is SYSTEM:
        return
    if target is not None and hasattr(target, "_meta"):
        case = _case_of(target)
        if case.pk is not None and not visible(user, case):
            raise Http404("未找到该事项")
    if not allowed(user, code, target):
        raise PermissionDenied(refusal(code))


# --- role ranks (who may grant which role) ------------------------------------------------------

# A user grants only roles at or below their own rank, within their own region; administrators alone
# grant the administrator role, reset other people's passwords and set staff or superuser flags.
ROLE_RANK: dict[str, int] = {
    Role.ADMINISTRATOR: 100,
    Role.DISTRICT_STAFF: 80,
    Role.STREET_LEADER: 60,
    Role.JUSTICE_COORDINATOR: 50,
    Role.REVIEWER: 30,
    Role.MEDIATOR: 30,
    Role.OFFICER: 30,
    Role.UNIT_STAFF: 30,
    Role.HOTLINE: 30,
    Role.AUDITOR: 20,
}


def is_administrator(user: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(m.role == Role.ADMINISTRATOR for m in active_memberships(user))


def grantable_roles(user: Any, region: Any) -> set[str]:
    """Roles ``user`` may grant on a unit in ``region``: at or below their own rank there."""
    if getattr(user, "is_superuser", False):
        return set(Role.values)
    if not allowed(user, "directory.manage", region):
        return set()
    mine = [ROLE_RANK[m.role] for m in active_memberships(user) if region.path.startswith(m.unit.region.path)]
    if not mine:
        return set()
    top = max(mine)
    return {
        r
        for r, rank in ROLE_RANK.items()
        if rank <= top and (r != Role.ADMINISTRATOR or is_administrator(user))
    }


def outranks_or_equals(user: Any, other: Any) -> bool:
    """Whether ``user`` may manage the account ``other``: every active membership of ``other`` sits inside a
    region where ``user`` maintains the directory, and ``user``'s rank there is at least that membership's."""
    if getattr(user, "is_superuser", False):
        return True
    if getattr(other, "is_superuser", False):
        return False
    perm = permission("directory.manage")
    for m in active_memberships(other):
        region = m.unit.region
        if not granting_roles(user, perm, region):
            return False
        mine = [
            ROLE_RANK[x.role] for x in active_memberships(user) if region.path.startswith(x.unit.region.path)
        ]
        if max(mine, default=0) < ROLE_RANK[m.role]:
            return False
    return bool(active_memberships(user))


# --- the core's own rows -----------------------------------------------------------------------


declare(
    Permission(
        "directory.manage",
        "维护区域、单位、人员名册和账号任职",
        "区域、单位、人员、账号",
        frozenset({Role.DISTRICT_STAFF, Role.JUSTICE_COORDINATOR, Role.ADMINISTRATOR}),
        group="平台核心",
    ),
    Permission(
        "calendar.manage",
        "维护工作日历（全区共用的放假与调休安排）",
        "工作日历",
        frozenset({Role.DISTRICT_STAFF, Role.ADMINISTRATOR}),
        min_level="district",
        group="平台核心",
    ),
    Permission(
        "clockrule.manage",
        "调整本区的法定时限设置",
        "时限规则设置",
        frozenset({Role.DISTRICT_STAFF, Role.ADMINISTRATOR}),
        min_level="district",
        group="平台核心",
    ),
    Permission(
        "taxonomy.manage",
        "维护纠纷分类与风险研判规则（全区共用）",
        "分类与研判规则",
        frozenset({Role.DISTRICT_STAFF, Role.ADMINISTRATOR}),
        min_level="district",
        group="平台核心",
    ),
    Permission(
        "personal.reveal",
        "查看完整身份证号和电话（留痕）",
        "个人信息",
        frozenset({Role.JUSTICE_COORDINATOR, Role.MEDIATOR, Role.OFFICER}),
        assigned_roles=frozenset({Role.MEDIATOR}),  # on a case: only the mediators it is assigned to
        write=False,
        group="平台核心",
    ),
    Permission(
        "audit.view",
        "查看变更日志和查看记录",
        "变更日志",
        frozenset({Role.DISTRICT_STAFF, Role.JUSTICE_COORDINATOR, Role.AUDITOR, Role.ADMINISTRATOR}),
        write=False,
        group="平台核心",
    ),
    Permission(
        "account.tokens",
        "为本人账号签发、查看和吊销接口令牌",
        "本人接口令牌",
        frozenset(Role.values),
        write=False,
        group="平台核心",
    ),
    Permission(
        "account.administer",
        "重置他人密码、设置后台登录和超级管理员标志、授予系统管理员角色",
        "账号",
        frozenset({Role.ADMINISTRATOR}),
        group="平台核心",
    ),
)


def table_rows() -> list[dict[str, Any]]:
    """The whole table in Chinese, grouped by module, for the permissions page and ``GET /permissions``."""
    order = {g: i for i, g in enumerate(["平台核心", "矛盾纠纷", "政务公开", "依法行政", "统筹推进"])}
    rows = sorted(PERMISSIONS.values(), key=lambda p: (order.get(p.group, 99), p.group, p.code))
    return [
        {
            "code": p.code,
            "label": p.label,
            "kind": p.kind,
            "group": p.group,
            "roles": [{"code": r, "label": str(Role(r).label)} for r in Role.values if r in p.roles],
            "region_rule": p.region_rule,
            "write": p.write,
        }
        for p in rows
    ]
