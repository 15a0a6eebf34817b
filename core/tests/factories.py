"""factory_boy factories that create through the services (paths, keyed hashes, change log)."""

from __future__ import annotations

from typing import Any

import factory

from core import services
from core.models import Person
from core.models.people import PersonKind
from core.personal import id_number_check_char


def _id_number(n: int) -> str:
    first17 = f"990100198001{n % 28 + 1:02d}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"示例人员{n}（示例）")
    kind = PersonKind.MEDIATOR
    id_number = factory.Sequence(_id_number)
    phone = factory.Sequence(lambda n: f"1990001{n % 10000:04d}")
    specialties = "邻里"

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, **kwargs: Any) -> Person:
        return services.person_create(by=None, **kwargs)
