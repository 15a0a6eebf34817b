from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode


@pytest.mark.django_db
def test_probe(world: Any, client: Any) -> None:
    from core import services
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    token = services.token_issue(user=world.users["justice"])
    failures: dict[str, list[str]] = {}
    for result in schema.get_all_operations():
        op = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for auth in ({"Authorization": f"Bearer {token}"}, {}):
                @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
                @given(case=op.as_strategy(generation_mode=mode))
                def run(case: Any) -> None:
                    case.call_and_validate(headers=auth)
                try:
                    run()
                except Exception as exc:
                    failures.setdefault(op.label, []).append(f"{mode} {bool(auth)}: {str(exc)[:1500]}")
    for k, v in failures.items():
        print("=====", k)
        for m in v:
            print(m)
    assert not failures
