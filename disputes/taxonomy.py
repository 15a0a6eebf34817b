"""The default dispute-type taxonomy (GLOSSARY.md); the district edits it afterwards in the admin."""

from __future__ import annotations

from typing import Any

DEFAULT_TYPES = [
    ("marriage_family", "婚姻家庭"),
    ("neighbour", "邻里"),
    ("housing_land", "房屋宅基地"),
    ("property_mgmt", "物业"),
    ("contract", "合同"),
    ("damages", "损害赔偿"),
    ("labour", "劳动争议"),
    ("traffic", "道路交通"),
    ("medical", "医疗"),
    ("consumer", "消费"),
    ("demolition", "征地拆迁"),
    ("environment", "环境污染"),
    ("other", "其他"),
]


def seed_dispute_types(model: Any = None, *, using: str = "default") -> None:
    """Create the default types that are missing (used by the data migration and by test set-up)."""
    if model is None:
        from .models import DisputeType as model
    for sort, (code, name) in enumerate(DEFAULT_TYPES):
        model.objects.using(using).get_or_create(code=code, defaults={"name": name, "sort": sort})
