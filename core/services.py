"""Writes for the directory: regions, units, people, accounts, tokens and personal-data reveals.

Every function is keyword-only, takes the acting user as ``by`` and runs in one transaction;
the change log records each write (see ``core.audit.changelog``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from core.audit.context import acting_as
from core.db import atomic
from core.models import ApiToken, Membership, Person, Region, RevealLog, Unit, User
from core.models.regions import LEVEL_ORDER, RegionLevel
from core.permissions import authorize, grantable_roles
from core.personal import (
    UNDECRYPTABLE_NOTE,
    EncryptedCharField,
    Undecryptable,
    fill_keyed_hashes,
    keyed_hash,
    validate_id_number,
    validate_phone,
    validate_uscc,
)
from core.roles import Capability, Role
from core.scoping import has_capability

TOKEN_DAYS = 90


def _child_level(parent: Region | None) -> list[str]:
    if parent is None:
        return [LEVEL_ORDER[0], LEVEL_ORDER[1]]
    i = LEVEL_ORDER.index(RegionLevel(parent.level))
    return [LEVEL_ORDER[i + 1]] if i + 1 < len(LEVEL_ORDER) else []


def region_validate(*, code: str, name: str, level: str, parent: Region | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not code or not code.isdigit() or not 6 <= len(code) <= 15:
        errors["code"] = "区划代码应为6至15位数字"
    elif Region.objects.filter(code=code).exists():
        errors["code"] = f"区划代码 {code} 已存在"
    if not name.strip():
        errors["name"] = "请填写名称"
    allowed = _child_level(parent)
    if level not in LEVEL_ORDER:
        errors["level"] = "层级应为 市/区/街镇/居村/网格 之一"
    elif level not in allowed:
        where = f"“{parent.name}”之下" if parent else "最上级"
        names = "、".join(str(RegionLevel(x).label) for x in allowed) or "无"
        errors["level"] = f"{where}只能建立：{names}"
    return errors


@atomic
def region_create(*, code: str, name: str, level: str, parent: Region | None, by: Any) -> Region:
    authorize(by, "directory.manage", parent)
    errors = region_validate(code=code, name=name, level=level, parent=parent)
    if parent is None and by is not None and not getattr(by, "is_superuser", False):
        errors["parent"] = "请选择上级区域（只有系统管理员可以建立最上级区域）"
    if errors:
        raise ValidationError(errors)
    path = f"{parent.path if parent else '/'}{code}/"
    with acting_as(by):
        return Region.objects.create(code=code, name=name.strip(), level=level, parent=parent, path=path)


@atomic
def unit_create(*, name: str, kind: str, region: Region, by: Any, uscc: str = "", **extra: Any) -> Unit:
    authorize(by, "directory.manage", region)
    errors: dict[str, Any] = {}
    if not name.strip():
        errors["name"] = "请填写单位名称"
    elif Unit.objects.filter(region=region, name=name.strip()).exists():
        errors["name"] = f"“{region.name}”已有名为“{name}”的单位"
    if uscc:
        try:
            validate_uscc(uscc)
        except ValidationError as exc:
            errors["uscc"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with acting_as(by):
        return Unit.objects.create(name=name.strip(), kind=kind, region=region, uscc=uscc.upper(), **extra)


# The editable fields of a roster person, in form order (admin and imports use the same list).
PERSON_FIELDS = (
    "name",
    "kind",
    "region",
    "unit",
    "paired_region",
    "id_number",
    "phone",
    "specialties",
    "legal_qualification",
    "user",
    "active",
    "note",
)


def _person_errors(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if "name" in values and not str(values["name"]).strip():
        errors["name"] = "请填写姓名"
    if values.get("id_number"):
        try:
            validate_id_number(values["id_number"])
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    if values.get("phone"):
        try:
            validate_phone(values["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages
    unit, region = values.get("unit"), values.get("region")
    if (
        unit is not None
        and region is not None
        and not region.path.startswith(unit.region.path)
        and not unit.region.path.startswith(region.path)
    ):
        errors["unit"] = f"单位“{unit}”不在区域“{region}”范围内"
    return errors


@atomic
def person_create(*, by: Any, **values: Any) -> Person:
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    authorize(by, "directory.manage", values.get("region"))
    errors = _person_errors(values)
    if errors:
        raise ValidationError(errors)
    person = Person(**values)
    if person.id_number:
        person.id_number = "".join(person.id_number.split()).upper()
    fill_keyed_hashes(person)
    with acting_as(by):
        person.save()
    return person


@atomic
def person_update(*, person: Person, by: Any, **values: Any) -> Person:
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    authorize(by, "directory.manage", person)
    if values.get("region") is not None:
        authorize(by, "directory.manage", values["region"])
    merged = {"region": person.region, "unit": person.unit, **values}
    errors = _person_errors(merged)
    if errors:
        raise ValidationError(errors)
    for key, value in values.items():
        setattr(person, key, value)
    fill_keyed_hashes(person)
    with acting_as(by):
        person.save()
    return person


def find_people_by(*, id_number: str = "", phone: str = "") -> models.QuerySet[Person]:
    """People with the same ID or phone number, found through the keyed hash (no decryption)."""
    q = models.Q(pk__in=[])
    if id_number:
        q |= models.Q(id_number_hash=keyed_hash(id_number))
    if phone:
        q |= models.Q(phone_hash=keyed_hash(phone))
    return Person.objects.filter(q)


@atomic
def user_create(
    *, username: str, full_name: str, password: str | None, by: Any, is_staff: bool = False
) -> User:
    authorize(by, "directory.manage")
    if is_staff:
        authorize(by, "account.administer")
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"账号 {username} 已存在"})
    with acting_as(by):
        user = User(username=username, full_name=full_name, is_staff=is_staff)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    return user


@atomic
def membership_grant(*, user: User, unit: Unit, role: str, by: Any, title: str = "") -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": f"未知角色：{role}"})
    authorize(by, "directory.manage", unit)
    if by is not None and role not in grantable_roles(by, unit.region):
        raise PermissionDenied(f"您只能授予不高于本人的角色，不能授予“{Role(role).label}”")
    with acting_as(by):
        membership, _ = Membership.objects.get_or_create(
            user=user, unit=unit, role=role, defaults={"title": title}
        )
    return membership


# --- API tokens -------------------------------------------------------------------------


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


TOKEN_LIMIT = 20  # named tokens per account


def token_name_clean(name: str) -> str:
    name = " ".join((name or "接口调用").split())
    if not name or len(name) > 60:
        raise ValidationError({"name": "调用系统名称应为1至60个字"})
    return name


@atomic
def token_issue(*, user: User, name: str = "接口调用") -> str:
    """Issue a bearer token for ``user`` named after the calling system; only its SHA-256 is stored.

    Issuing again under the same name replaces that token (the old one stops working at once), so tokens
    never pile up: an account holds at most ``TOKEN_LIMIT`` names.
    """
    name = token_name_clean(name)
    key = secrets.token_urlsafe(32)
    values = {
        "key_hash": _digest(key),
        "prefix": key[:8],
        "password_stamp": user.get_session_auth_hash(),
        "expires_at": timezone.now() + dt.timedelta(days=TOKEN_DAYS),
        "revoked_at": None,
        "last_used_at": None,
    }
    User.objects.select_for_update().filter(
        pk=user.pk
    ).first()  # one issuance per account at a time: the cap holds
    token = ApiToken.objects.select_for_update().filter(user=user, name=name).first()
    if token is None:
        if ApiToken.objects.filter(user=user).count() >= TOKEN_LIMIT:
            raise ValidationError(
                {
                    "name": f"每个账号最多{TOKEN_LIMIT}个调用系统的令牌，请先删除不再使用的令牌，或以已有名称重新签发"
                }
            )
        try:
            with transaction.atomic():
                ApiToken.objects.create(user=user, name=name, **values)
        except IntegrityError:  # issued under the same name at the same moment: replace that one
            token = ApiToken.objects.select_for_update().get(user=user, name=name)
    if token is not None:
        for field, value in values.items():
            setattr(token, field, value)
        token.created_at = timezone.now()
        token.save()
    return key


@atomic
def token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    """The owner revokes one of their tokens (it stops working at once; the row stays for the record)."""
    if by is None or token.user_id != by.pk:
        raise PermissionDenied("只能吊销本人的接口令牌")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@atomic
def token_delete(*, token: ApiToken, by: Any) -> None:
    """Remove a revoked or expired token of one's own from the list (frees its name)."""
    if by is None or token.user_id != by.pk:
        raise PermissionDenied("只能删除本人的接口令牌")
    token.delete()


def token_authenticate(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(key)).first()
    if token is None or token.revoked_at is not None or token.expires_at < timezone.now():
        return None
    user = token.user
    if not user.is_active or not secrets.compare_digest(token.password_stamp, user.get_session_auth_hash()):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


# --- Personal data ----------------------------------------------------------------------


@atomic
def personal_reveal(*, obj: Any, field: str, by: Any, reason: str, ip: str | None = None) -> str:
    """Return the clear value of an encrypted field and log the reveal; refuse without the role."""
    model_field = obj._meta.get_field(field)
    if not isinstance(model_field, EncryptedCharField):
        raise ValidationError({"field": f"字段 {field} 不是受保护的个人信息"})
    if not has_capability(by, Capability.PERSONAL_REVEAL, obj.region):
        raise PermissionDenied("您的角色不能查看完整个人信息")
    if len(reason.strip()) < 2:
        raise ValidationError({"reason": "请填写查看事由（至少2个字）"})
    if isinstance(getattr(obj, field), Undecryptable):
        raise ValidationError({"field": UNDECRYPTABLE_NOTE})
    from django.contrib.contenttypes.models import ContentType

    RevealLog.objects.create(
        user=by,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        field=field,
        region_path=obj.region.path,
        reason=reason.strip(),
        ip=ip,
    )
    return getattr(obj, field) or ""
