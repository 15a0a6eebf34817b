"""Personal data (个人信息保护法): encrypted fields, keyed hashes, masking and number checks.

* ``EncryptedCharField`` stores Fernet ciphertext; the first key in ``FAZHI_FIELD_KEYS``
  encrypts, all of them decrypt (key rotation).
* ``keyed_hash`` is an HMAC-SHA256 of the normalised value, stored beside the ciphertext for
  look-ups and repeat detection without decrypting. Its key, like the audit chain's, is derived
  from the separate audit secret ``FAZHI_AUDIT_KEY``, never from the field keys, so the field
  keys can be listed, rotated and retired in any order (``manage.py rotate_keys``).
* A stored value that no field key decrypts is ``Undecryptable``: pages show that it cannot be
  read, and saving it raises ``UndecryptableError`` instead of encrypting a placeholder over it.
* ``mask_id_number`` / ``mask_phone`` are what pages and exports show.
* ``validate_id_number`` (GB 11643) and ``validate_uscc`` (GB 32100) raise errors in Chinese.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FAZHI_FIELD_KEY 不是有效的 Fernet 密钥（32 字节 urlsafe base64）"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FAZHI_FIELD_KEYS))


@lru_cache(maxsize=16)
def _derived_key(secret: str, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        secret.encode()
    )


def derived_key(purpose: str) -> bytes:
    """A sub-key for ``purpose`` (chain MACs, keyed hashes, anchors) derived (HKDF-SHA256) from the
    audit secret ``FAZHI_AUDIT_KEY`` — independent of the field keys and of their order."""
    secret = getattr(settings, "FAZHI_AUDIT_KEY", "")
    if not secret:
        raise ImproperlyConfigured("未设置审计密钥 FAZHI_AUDIT_KEY")
    return _derived_key(secret, purpose)


def legacy_derived_key(field_key: str, purpose: str) -> bytes:
    """The sub-key earlier versions derived from a field key; only ``core.audit.reseal`` uses it,
    to check history written before the audit secret existed."""
    return _derived_key(field_key, purpose)


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def keyed_hash(value: str | None) -> str:
    """HMAC-SHA256 of the normalised value, for equality look-ups; '' for an empty value."""
    if not value:
        return ""
    return hmac.new(derived_key("fazhi-lookup-hash"), normalise(value).encode(), hashlib.sha256).hexdigest()


class UndecryptableError(ValueError):
    """A stored ciphertext that none of the keys in ``FAZHI_FIELD_KEYS`` decrypts."""


class Undecryptable(str):
    """What an encrypted field holds when no configured key decrypts its ciphertext (a key was
    removed too early, or the row was written with a key this installation does not have).

    It keeps the ciphertext so nothing is lost, reads as empty in comparisons of content, is shown
    as unreadable, and cannot be saved: ``get_prep_value`` raises ``UndecryptableError``.
    """

    ciphertext: str

    def __new__(cls, ciphertext: str) -> Undecryptable:
        obj = super().__new__(cls, "")
        obj.ciphertext = ciphertext
        return obj


UNDECRYPTABLE_NOTE = "（无法解密：密钥缺失，请管理员检查 FAZHI_FIELD_KEY）"


def decrypt_error(model: Any, pk: Any, field: str) -> UndecryptableError:
    label = getattr(getattr(model, "_meta", None), "verbose_name", model)
    return UndecryptableError(
        f"{label}（id={pk}）的“{field}”无法用 FAZHI_FIELD_KEY 中的任何密钥解密；为免覆盖原值，"
        "保存已停止。请恢复缺失的密钥后重试。"
    )


class StoredCiphertext(str):
    """A value that is already Fernet ciphertext: saved as it is, never encrypted a second time.

    Copying rows between databases (``core.move``) reads the stored ciphertext and writes it back
    unchanged, so personal data is never decrypted on the way.
    """


def looks_encrypted(value: str) -> bool:
    """Whether ``value`` has the shape of a Fernet token (version byte 0x80: base64 ``gAAAAA``)."""
    return value.startswith("gAAAAA") and len(value) >= 100


class EncryptedCharField(models.TextField):
    """A text field stored encrypted at rest. Never filter on it: use its keyed-hash twin.

    Serialized (``dumpdata`` and any export built on Django's serializers) it is ciphertext too:
    ``value_to_string`` encrypts, and ``to_python`` (``loaddata``) decrypts with the configured keys.
    """

    description = "加密存储的个人信息"

    def __init__(self, *args: Any, mask: str = "generic", **kwargs: Any) -> None:
        self.mask = mask
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.mask != "generic":
            kwargs["mask"] = self.mask
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            return Undecryptable(value)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)
        if isinstance(value, Undecryptable):
            raise decrypt_error(type(model_instance), model_instance.pk, str(self.verbose_name))
        return value

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Undecryptable):
            raise UndecryptableError(
                f"“{self.verbose_name}”无法用 FAZHI_FIELD_KEY 中的任何密钥解密；为免覆盖原值，保存已停止。"
            )
        if isinstance(value, StoredCiphertext):
            return str(value)
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return fernet().encrypt(str(value).encode()).decode()

    def value_to_string(self, obj: models.Model) -> Any:
        """Serializers write ciphertext: a dump never holds personal data in clear."""
        value = self.value_from_object(obj)
        if isinstance(value, Undecryptable):
            return value.ciphertext  # kept as it is stored: nothing is lost, nothing re-encrypted
        if value is None or value == "":
            return value
        return fernet().encrypt(str(value).encode()).decode()

    def to_python(self, value: Any) -> Any:
        """A serialized (encrypted) value back to its plain text; plain text passes unchanged."""
        if isinstance(value, str) and not isinstance(value, StoredCiphertext) and looks_encrypted(value):
            try:
                return fernet().decrypt(value.encode()).decode()
            except InvalidToken:
                raise ValidationError(
                    "加密的个人信息无法用当前密钥（FAZHI_FIELD_KEY）解密：请使用导出时的密钥", code="key"
                ) from None
        return super().to_python(value)

    def masked(self, value: str | None) -> str:
        if isinstance(value, Undecryptable):
            return UNDECRYPTABLE_NOTE
        return MASKERS[self.mask](value or "")


def fill_keyed_hashes(instance: models.Model) -> None:
    """Set the keyed-hash twin ``<field>_hash`` of every encrypted field that has one (call before saving)."""
    for f in instance._meta.concrete_fields:
        twin = f"{f.name}_hash"
        if isinstance(f, EncryptedCharField) and hasattr(instance, twin):
            if isinstance(getattr(instance, f.name), Undecryptable):
                continue  # the save stops in the field's pre_save; keep the stored hash meanwhile
            setattr(instance, twin, keyed_hash(getattr(instance, f.name)))


def mask_id_number(value: str) -> str:
    value = normalise(value)
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    digits = normalise(value)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_generic(value: str) -> str:
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 2)


MASKERS = {"id_number": mask_id_number, "phone": mask_phone, "generic": mask_generic}

# GB 11643-1999: weights and check characters of the 18-digit citizen ID number.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    """GB 11643 公民身份号码: 18 characters, a real birth date and the right check character."""
    v = normalise(value)
    if len(v) != 18:
        raise ValidationError("身份证号应为18位，当前为%(n)d位", params={"n": len(v)}, code="length")
    if not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        raise ValidationError("身份证号前17位应为数字，最后一位为数字或X", code="format")
    try:
        born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise ValidationError(
            "身份证号中的出生日期 %(d)s 不存在", params={"d": v[6:14]}, code="birth"
        ) from None
    if born.year < 1900 or born > dt.date(2100, 1, 1):
        raise ValidationError("身份证号中的出生日期 %(d)s 不合理", params={"d": v[6:14]}, code="birth")
    if id_number_check_char(v[:17]) != v[17]:
        raise ValidationError("身份证号校验位错误（GB 11643），请核对号码", code="checksum")


# GB 32100-2015: the 31 characters of the unified social credit code and the weights.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """GB 32100 统一社会信用代码: 18 characters from its alphabet and the right check character."""
    v = normalise(value)
    if len(v) != 18:
        raise ValidationError("统一社会信用代码应为18位，当前为%(n)d位", params={"n": len(v)}, code="length")
    bad = sorted({c for c in v if c not in _USCC_CHARS})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(c)s（不使用 I、O、Z、S、V）",
            params={"c": "".join(bad)},
            code="format",
        )
    if uscc_check_char(v[:17]) != v[17]:
        raise ValidationError("统一社会信用代码校验位错误（GB 32100），请核对代码", code="checksum")


PHONE_HINT = "请填写11位手机号码，或固定电话（如 021-61234567、61234567）"


def validate_phone(value: str) -> None:
    """A mobile number (11 digits from 1), a landline with its area code (0 and 10 to 12 digits: 021-61234567,
    0571-87654321) or a local landline (7 or 8 digits); spaces, hyphens and brackets are allowed."""
    v = normalise(value)
    for mark in "-() （）":
        v = v.replace(mark, "")
    if v.startswith("+86"):
        v = v[3:]
    if not v.isdigit():
        raise ValidationError(f"电话号码只能包含数字（及空格、短横线、括号）：{PHONE_HINT}", code="format")
    if v.startswith("1"):
        if len(v) != 11:
            raise ValidationError(f"手机号码应为11位（现为{len(v)}位）", code="format")
    elif v.startswith("0"):
        if not 10 <= len(v) <= 12:
            raise ValidationError(
                f"带区号的固定电话应为10至12位数字（现为{len(v)}位）：{PHONE_HINT}", code="format"
            )
    elif len(v) not in (7, 8):
        raise ValidationError(f"电话号码位数不对（现为{len(v)}位）：{PHONE_HINT}", code="format")
