"""A street's whole past year entered through the templates and the API, then reported (issue 11).

Time is frozen in March 2026. 示例街道's 2025 ledgers — its roster, closed disputes, contracts, legality reviews,
major decisions, normative documents, meetings, open-government requests and proactive items, its key-task plan
and the progress it reported, the manual indicator values — arrive as a street brings them: most as filled-in
templates uploaded on the import page (each one a background job), some by another system through
``POST /api/v1/imports/<kind>`` with a token. Afterwards the indicator API for 2025 states what the rows imply,
the 2025 annual report states the same figures as the indicator API, with the progress as reported in 2025 and
the date the user chose, no clock of the street is overdue, and every record says it was 历史数据导入.

The row sets are each module's own past-year ledgers (their tests check each figure against the rows in detail);
here they are entered together, as one street's year, the way a user would.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from docx import Document

from administration.tests import test_importers as administration_ledger
from core import services as core_services
from core.clocks.engine import ClockState
from core.clocks.services import state_of
from core.history import HISTORY
from core.models import Clock, ImportedRecord, IndicatorEntry, TimelineEvent
from core.tests.sheets import post_import
from disclosure.tests import past_year as disclosure_ledger
from disputes.models import Dispute
from disputes.tests import test_history_import as disputes_ledger
from steering.models import TaskProgress
from steering.tests import test_past_year as steering_ledger

D = dt.date
TODAY = D(2026, 3, 16)
YEAR = 2025
DATED = "2026-01-20"

LAWYER_ROW = {
    "name": administration_ledger.LAWYER,
    "kind": "公职律师",
    "region": "990100001",
    "qualification": "是",
    "note": "街道公职律师（示例）",
}


def _api(token: str, kind: str, records: list[dict[str, Any]]) -> Any:
    return Client(enforce_csrf_checks=True).post(
        f"/api/v1/imports/{kind}",
        json.dumps({"records": records}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _sheets() -> list[tuple[str, list[dict[str, Any]]]]:
    adm = administration_ledger
    return [
        ("people", [LAWYER_ROW]),
        ("disputes-history", disputes_ledger.ROWS[:6]),
        *[(kind, adm._rows(kind, rows)) for kind, rows in adm.SHEETS.items()],
        ("disclosure-requests", disclosure_ledger.with_region(disclosure_ledger.REQUESTS)),
        ("disclosure-proactive", disclosure_ledger.with_region(disclosure_ledger.PROACTIVE)),
        ("plans", steering_ledger.TASKS),
        ("task-progress", steering_ledger._progress_rows()),
    ]


def _calls() -> list[tuple[str, list[dict[str, Any]]]]:
    adm = administration_ledger
    return [
        ("disputes-history", disputes_ledger.ROWS[6:]),
        (adm.MEETINGS, adm._rows(adm.MEETINGS, adm.MEETING_ROWS)),
        ("disclosure-requests", disclosure_ledger.API_REQUESTS),
        ("indicator-entries", steering_ledger.ENTRIES),
    ]


@pytest.fixture
def street_year(world: Any, client: Any, frozen_today: Any) -> dict[str, Any]:
    frozen_today(TODAY)
    justice = world.users["justice"]
    client.force_login(justice)
    created: dict[str, int] = {}
    for kind, rows in _sheets():
        done = post_import(client, kind, disclosure_ledger.workbook(kind, rows))
        assert done.succeeded, (kind, done.job.errors)
        assert done.job.done == len(rows) and f"新增{len(rows)}条" in done.page, (kind, done.job.summary)
        created[kind] = created.get(kind, 0) + len(rows)
    token = core_services.token_issue(user=justice, name="原台账系统")
    for kind, records in _calls():
        r = _api(token, kind, records)
        assert r.status_code == 200, (kind, r.content[:2000])
        assert r.json()["created"] == len(records), kind
        created[kind] = created.get(kind, 0) + len(records)
    return {"client": client, "token": token, "created": created}


def _indicators(client: Any, world: Any) -> dict[str, dict[str, Any]]:
    r = client.get(f"/api/v1/indicators?region={world.street.pk}&year={YEAR}")
    assert r.status_code == 200, r.content[:300]
    return {i["code"]: i for i in r.json()["indicators"]}


def _figures(client: Any, world: Any) -> tuple[Any, dict[str, str]]:
    r = client.get(f"/reports/annual.docx?region={world.street.pk}&year={YEAR}&dated={DATED}")
    assert r.status_code == 200, r.content[:300]
    doc = Document(io.BytesIO(r.content))
    return doc, {row.cells[0].text: row.cells[1].text for row in doc.tables[-1].rows[1:]}


def _number(text: str) -> Decimal:
    digits = "".join(ch for ch in text if ch.isdigit() or ch in ".-")
    return Decimal(digits)


def test_the_year_states_its_input_in_the_indicator_api_and_the_annual_report(world, street_year):
    client = street_year["client"]
    values = _indicators(client, world)

    # Disputes: received 8 in 2025 (one of the nine was received in 2024), 5 agreements, 3 of them written, …
    # (the disputes ledger's comments count each figure from its rows).
    disputes = {c: values[c]["value"] for c in values if c.startswith("disputes.")}
    assert {k: Decimal(str(v)) for k, v in disputes.items() if v is not None}.items() >= {
        "disputes.received": Decimal(8),
        "disputes.success": Decimal(5),
        "disputes.written_agreements": Decimal(3),
        "disputes.success_rate": Decimal("83.33"),
        "disputes.escalation_rate": Decimal("25.00"),
        "disputes.fulfilment_rate": Decimal("80.00"),
        "disputes.on_time_rate": Decimal("85.71"),
        "disputes.amount": Decimal("82000.00"),
    }.items()
    # Lawful administration: every declared figure as the ledger's rows imply it.
    for code, expected in administration_ledger.expected_indicators().items():
        got = values[code]["value"]
        assert (None if got is None else Decimal(str(got))) == expected, code
    # Open government: 10 requests received in 2025, 8 of the 9 answered in 2025 on time; 4 items published.
    led = disclosure_ledger
    assert (
        Decimal(values["disclosure.requests"]["value"]),
        values["disclosure.on_time_rate"]["numerator"],
    ) == (
        led.RECEIVED,
        led.ON_TIME,
    )
    assert Decimal(values["disclosure.proactive"]["value"]) == led.PUBLISHED
    assert values["disclosure.on_time_rate"]["denominator"] == led.ANSWERED
    # Manual values, entered by the API with their evidence.
    manual = {i["name"]: i for i in values.values() if i["source"] == "manual" and i["manual_entry"]}
    assert Decimal(str(manual["区委理论学习中心组专题学法次数"]["value"])) == 3

    # The annual report states the same figure as the indicator API, for every indicator with a value.
    doc, figures = _figures(client, world)
    stated = 0
    for code, i in values.items():
        if i["value"] is None:
            continue
        assert i["name"] in figures, (code, i["name"])
        assert _number(figures[i["name"]]) == Decimal(str(i["value"])).normalize(), (code, figures[i["name"]])
        stated += 1
    assert stated >= 25
    # Key tasks as reported in 2025, and the date the user chose.
    assert (figures["重点任务数"], figures["已完成重点任务"], figures["重点任务平均进度"]) == (
        "2项",
        "1项",
        "80%",
    )
    assert [p.text for p in doc.paragraphs][-2:] == ["示例街道", "2026年1月20日"]


def test_no_clock_of_the_year_is_open_or_overdue_and_every_record_says_it_was_imported(world, street_year):
    clocks = list(Clock.objects.filter(region__path__startswith=world.street.path))
    assert len(clocks) > 40
    states = [state_of(c) for c in clocks]
    assert ClockState.OVERDUE not in states and ClockState.DUE_SOON not in states
    still_open = [c for c in clocks if c.met_on is None]
    assert [c.name for c in still_open] == [
        "validity"
    ]  # the term of the one normative document still in force

    # Each record says once on its timeline that it was imported: the disputes (known by their source and
    # 来源编号) and every other record imported under a source reference (registered once).
    records = [
        (ContentType.objects.get_for_model(d), d.pk)
        for d in Dispute.objects.filter(region__path__startswith=world.street.path)
    ]
    assert len(records) == len(disputes_ledger.ROWS)
    # A progress report is marked on its own row (历史数据导入); a manual indicator value has no timeline (its
    # change-log entry says who entered it, and when).
    values = [ContentType.objects.get_for_model(m) for m in (TaskProgress, IndicatorEntry)]
    refs = ImportedRecord.objects.filter(region=world.street).exclude(content_type__in=values)
    records += [(ref.content_type, ref.object_id) for ref in refs]
    assert TaskProgress.objects.filter(historical=True).count() == len(steering_ledger.PROGRESS)
    created = street_year["created"]
    not_marked = ("people", "plans", "task-progress", "indicator-entries")
    assert len(records) == sum(n for kind, n in created.items() if kind not in not_marked)
    for content_type, pk in records:
        marked = TimelineEvent.objects.filter(
            content_type=content_type, object_id=pk, action="history.import"
        )
        assert marked.count() == 1 and marked.get().summary.startswith(HISTORY), (content_type, pk)


def test_the_whole_year_entered_again_adds_nothing(world, street_year):
    client, token = street_year["client"], street_year["token"]
    before = (TimelineEvent.objects.count(), Clock.objects.count(), ImportedRecord.objects.count())
    for kind, rows in _sheets():
        if kind == "plans":
            continue  # a plan's tasks are numbered: entering them again is refused, not skipped (steering tests)
        done = post_import(client, kind, disclosure_ledger.workbook(kind, rows))
        assert done.succeeded and "新增0条" in done.job.summary, (kind, done.job.summary)
    for kind, records in _calls():
        r = _api(token, kind, records)
        assert r.status_code == 200 and r.json()["created"] == 0, (kind, r.content[:500])
    assert (TimelineEvent.objects.count(), Clock.objects.count(), ImportedRecord.objects.count()) == before
