"""Every input answered cleanly: one check before the database, the same on SQLite and PostgreSQL.

Two places, each once for the whole platform:

* ``check_instance`` runs on every model save (a ``pre_save`` receiver connected in
  ``CoreConfig.ready``), whoever saves — a service, a form, the admin, an import, the API. It
  refuses, naming the field by its verbose name, what PostgreSQL would answer with a 500 and SQLite
  would silently store: text longer than ``max_length``, control characters and NUL (PostgreSQL
  cannot store NUL; a .docx cannot hold control characters), integers outside the column's range,
  decimals with more digits than the column, dates outside 2000–2099, naive datetimes, and receipt
  dates in the future (fields a model names in ``not_in_future``).
* ``InputCheckMiddleware`` refuses NUL and unpaired surrogates in a request's query, form or JSON
  body before any view runs: the database driver cannot even send them in a look-up.

``aware`` reads a naive datetime as Asia/Shanghai (the platform's time zone).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# Tab, line feed and carriage return are text; every other C0 control, DEL, unpaired UTF-16
# surrogates and the two non-characters are not (XML, and so .docx, refuses them too).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_UNSENDABLE = re.compile("[\x00\ud800-\udfff]")
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
# The columns' ranges as PostgreSQL has them; SQLite gets the same limits so both answer alike.
_INT_RANGES = BaseDatabaseOperations.integer_field_ranges


def aware(value: dt.datetime) -> dt.datetime:
    """``value`` with its offset, or read in Asia/Shanghai when it has none."""
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def text_problem(value: str, max_length: int | None = None) -> str:
    """Why ``value`` cannot be stored as text ('' when it can)."""
    if max_length is not None and len(value) > max_length:
        return f"不能超过{max_length}个字（现有{len(value)}个）"
    if _BAD_CHARS.search(value):
        return "含有不允许的控制字符"
    return ""


def date_problem(value: dt.date, *, not_in_future: bool = False) -> str:
    """Why ``value`` is not a plausible date for a record ('' when it is)."""
    if isinstance(value, dt.datetime):
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    else:
        day = value
    if day < EARLIEST:
        return f"日期{day.isoformat()}早于{EARLIEST.year}年，请核对"
    if day > LATEST:
        return f"日期{day.isoformat()}晚于{LATEST.year}年，请核对"
    if not_in_future and day > timezone.localdate():
        return f"日期{day.isoformat()}晚于今天，不能是将来的日期"
    return ""


def _label(field: models.Field) -> str:
    return str(field.verbose_name or field.name)


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _json_strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _json_strings(v)


def _json_problem(field: models.Field, value: Any, instance: models.Model) -> str:
    return next((p for s in _json_strings(value) if (p := text_problem(s))), "")


def _text_problem(field: models.Field, value: Any, instance: models.Model) -> str:
    return text_problem(str(value), field.max_length if isinstance(field, models.CharField) else None)


def _date_field_problem(field: models.Field, value: Any, instance: models.Model) -> str:
    if (
        isinstance(field, models.DateTimeField)
        and isinstance(value, dt.datetime)
        and timezone.is_naive(value)
    ):
        return "时间缺少时区"
    if not isinstance(value, dt.date):
        return ""
    return date_problem(value, not_in_future=field.name in getattr(instance, "not_in_future", ()))


def _decimal_problem(field: models.Field, value: Any, instance: models.Model) -> str:
    if not isinstance(value, Decimal | int | float) or not isinstance(field, models.DecimalField):
        return ""
    number = Decimal(str(value))
    if not number.is_finite():
        return "应为有限的数字"
    whole = field.max_digits - field.decimal_places
    if abs(number) >= Decimal(10) ** whole:
        return f"数值过大（整数部分至多{whole}位）"
    return ""


def _integer_problem(field: models.Field, value: Any, instance: models.Model) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        return ""
    low, high = _INT_RANGES.get(field.get_internal_type(), (None, None))
    if low is not None and high is not None and not low <= value <= high:
        return f"应在{low}至{high}之间"
    return ""


Check = Callable[[models.Field, Any, models.Model], str]
# Field kinds and their check, first match wins (DateTimeField is a DateField).
_CHECKS: tuple[tuple[type[models.Field], Check], ...] = (
    (models.JSONField, _json_problem),
    (models.CharField, _text_problem),
    (models.TextField, _text_problem),
    (models.DateField, _date_field_problem),
    (models.DecimalField, _decimal_problem),
    (models.IntegerField, _integer_problem),
)


@functools.cache
def _checked_fields(model: type[models.Model]) -> tuple[tuple[models.Field, Check], ...]:
    """The fields of ``model`` that hold input of a kind checked here, each with its check: not its key, its
    relations, its flags, nor what it declares unchecked."""
    skip = set(getattr(model, "unchecked_fields", ()))
    checked = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.is_relation or f.name in skip:
            continue
        check = next((c for kind, c in _CHECKS if isinstance(f, kind)), None)
        if check is not None:
            checked.append((f, check))
    return tuple(checked)


def check_instance(instance: models.Model) -> None:
    """Raise a ValidationError naming every field of ``instance`` the database cannot take as it is."""
    errors: dict[str, str] = {}
    for field, check in _checked_fields(type(instance)):
        value = getattr(instance, field.attname, None)
        problem = check(field, value, instance) if value is not None else ""
        if problem:
            errors[field.name] = f"{_label(field)}：{problem}"
    if errors:
        raise ValidationError(errors)


# Rows that are not user input: django-tasks-db's queue (its run_after 9999-01-01 means "whenever").
UNCHECKED_APPS = {"django_tasks_database"}


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if not raw and sender._meta.app_label not in UNCHECKED_APPS:  # fixtures load as they are
        check_instance(instance)


def connect_signals() -> None:
    from django.db.models.signals import pre_save

    pre_save.connect(_pre_save, dispatch_uid="fazhi_input_check")


# --- the request boundary -----------------------------------------------------------------


def _unsendable_in_json(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if _UNSENDABLE.search(value) else None
    if isinstance(value, dict):
        for k, v in value.items():
            where = f"{path}.{k}" if path else str(k)
            if _UNSENDABLE.search(str(k)):
                return where
            found = _unsendable_in_json(v, where)
            if found:
                return found
    if isinstance(value, list):
        for i, v in enumerate(value):
            found = _unsendable_in_json(v, f"{path}.{i}" if path else str(i))
            if found:
                return found
    return None


def unsendable_parameter(request: HttpRequest) -> str | None:
    """The name of the first parameter of ``request`` holding NUL or an unpaired surrogate."""
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for params in sources:
        for key, values in params.lists():
            if _UNSENDABLE.search(key) or any(_UNSENDABLE.search(str(v)) for v in values):
                return _UNSENDABLE.sub("", key) or "?"
    if request.content_type == "application/json" and request.body:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return None  # the API answers a body it cannot parse itself
        return _unsendable_in_json(data, "")
    return None


class InputCheckMiddleware:
    """Refuse NUL and unpaired surrogates anywhere in the input with a 400 that names the parameter."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = unsendable_parameter(request)
        if name is not None:
            from core.errors import error_response

            return error_response(
                request, 400, f"参数 {name}：含有不允许的控制字符（如空字符），请删除后重试", field=name
            )
        return self.get_response(request)
