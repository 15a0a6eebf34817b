"""schemathesis over the whole OpenAPI, in process (WSGI) against the test database.

Every operation, positive and negative examples, with every schemathesis check, once with a
bearer token and once anonymous. Bounded and derandomized so it takes well under a minute on
a loaded two-core machine; it runs on SQLite and on PostgreSQL like the rest of the suite.

The server refuses NUL and unpaired surrogates in any parameter (core/validation.py), so the
generator leaves them out of *positive* examples; the API also validates meaning beyond the
schema (codes, scope, date order) and answers such schema-valid input with a 400 naming the
field, so 400 is an accepted answer to a positive example. Any 5xx, undocumented status, or
response outside its declared schema fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from core import services

MAX_EXAMPLES = {"token": 12, "anonymous": 4}


def _schema(auth: dict[str, Any]) -> Any:
    config = schemathesis.Config.from_dict(
        {
            "auth": auth,
            "generation": {"allow-x00": False, "codec": "utf-8"},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409"]}
            },
        }
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=config)


def _run(schema: Any, max_examples: int, calls: list[int]) -> dict[str, list[str]]:
    failures: dict[str, list[str]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=max_examples,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case: Any) -> None:
                calls.append(case.call_and_validate().status_code)

            try:
                check()
            except (AssertionError, Exception, BaseExceptionGroup) as exc:
                failures.setdefault(operation.label, []).append(f"{mode.value}: {exc}")
    return failures


@pytest.fixture
def _keep_test_connection() -> Any:
    """As Django's test client does: a request must not close the connection holding the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_test_connection")
def test_openapi_with_token_and_anonymous_has_no_5xx_and_no_schema_violation(world: Any) -> None:
    token = services.token_issue(user=world.users["justice"])
    calls: list[int] = []
    failures = {
        **{
            f"令牌 {k}": v
            for k, v in _run(
                _schema({"openapi": {"BearerToken": {"bearer": token}}}), MAX_EXAMPLES["token"], calls
            ).items()
        },
        **{f"匿名 {k}": v for k, v in _run(_schema({}), MAX_EXAMPLES["anonymous"], calls).items()},
    }
    report = "\n\n".join(f"== {op}\n" + "\n".join(items) for op, items in failures.items())
    assert not failures, report
    statuses = set(calls)
    # It did reach the API: answers, refusals and validation errors all came back.
    assert len(calls) > 200 and {200, 400, 401, 404} <= statuses, sorted(statuses)
