"""A past year of open-government records imported in their final state (issue 11): through the templates
on the import page and through POST /api/v1/imports/disclosure-requests (bearer token, CSRF enforced).

Time is frozen on 2026-02-10; the records are of 2025 (a few straddle the year ends). Afterwards the
indicators and the yearly report for 2025 state the figures the ledger implies, no clock is open or
overdue, each record's timeline says 历史数据导入; a retry adds nothing; a mixed file writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from core import services as core_services
from core.clocks.services import clock_of as find_clock
from core.clocks.services import state_of
from core.imports import IMPORTERS, ImportFailed
from core.models import ChangeLog, Clock, ClockExtension, ImportedRecord, TimelineEvent
from core.tests.sheets import post_import
from disclosure.models import DisclosureRequest, ProactiveItem

from . import past_year as ledger

D = dt.date
TODAY = D(2026, 2, 10)


def post_api(token: str, path: str, body: dict[str, Any]) -> Any:
    return Client(enforce_csrf_checks=True).post(
        path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def upload(client: Any, kind: str, rows: list[dict[str, Any]]) -> Any:
    """Upload on the import page: the file becomes a job (run in the request in tests); its page is returned."""
    return post_import(client, kind, ledger.workbook(kind, rows))


@pytest.fixture
def in_2026(frozen_today: Any) -> None:
    frozen_today(TODAY)


@pytest.fixture
def token(world: Any) -> str:
    return core_services.token_issue(user=world.users["justice"], name="台账系统")


@pytest.fixture
def imported(world: Any, client: Any, in_2026: None, token: str) -> dict[str, Any]:
    """The 2025 ledger: requests and proactive items through the templates, three requests by the API."""
    client.force_login(world.users["justice"])
    done = upload(client, "disclosure-requests", ledger.with_region(ledger.REQUESTS))
    assert done.succeeded, done.job.errors
    done = upload(client, "disclosure-proactive", ledger.with_region(ledger.PROACTIVE))
    assert done.succeeded, done.job.errors
    r = post_api(token, "/api/v1/imports/disclosure-requests", {"records": ledger.API_REQUESTS})
    assert r.status_code == 200, r.content
    assert r.json()["created"] == 3 and r.json()["existing"] == 0
    return {"client": client}


def clock_of(case: Any, name: str) -> Clock:
    clock = find_clock(case, name)
    assert clock is not None, name
    return clock


def _request(ref: str) -> DisclosureRequest:
    from core.models import ImportedRecord

    rec = ImportedRecord.objects.get(kind="disclosure-requests", source_ref=ref)
    return DisclosureRequest.objects.get(pk=rec.object_id)


def _item(ref: str) -> ProactiveItem:
    rec = ImportedRecord.objects.get(kind="disclosure-proactive", source_ref=ref)
    return ProactiveItem.objects.get(pk=rec.object_id)


def test_the_years_indicators_and_yearly_report_state_what_the_ledger_implies(world, imported):
    client = imported["client"]
    body = client.get(f"/api/v1/indicators?region={world.street.pk}&year={ledger.YEAR}").json()
    values = {i["code"]: i for i in body["indicators"]}
    assert Decimal(values["disclosure.requests"]["value"]) == ledger.RECEIVED
    rate = values["disclosure.on_time_rate"]
    assert (rate["numerator"], rate["denominator"]) == (ledger.ON_TIME, ledger.ANSWERED)
    assert Decimal(rate["value"]) == Decimal("88.89")  # 8 / 9
    for row, count in ledger.OUTCOMES.items():
        assert Decimal(values[f"disclosure.outcome.{row}"]["value"]) == count, row
    assert Decimal(values["disclosure.proactive"]["value"]) == ledger.PUBLISHED
    assert Decimal(values["disclosure.proactive_on_time_rate"]["value"]) == Decimal("75")  # 3 / 4

    tables = client.get(
        f"/api/v1/disclosure/annual-report?region={world.street.pk}&year={ledger.YEAR}"
    ).json()
    req = tables["requests"]
    expected = ledger.TABLES
    for key in ("new", "carried_in", "carried_out"):
        assert req[key] == expected[key], key
    assert [{k: o[k] for k in ("person", "organisation", "total")} for o in req["outcomes"]] == expected[
        "outcomes"
    ]
    assert req["answered_on_time"] == expected["answered_on_time"]
    assert tables["proactive"] == expected["proactive"]


def test_no_clock_of_the_year_is_open_or_overdue_and_each_record_says_it_was_imported(world, imported):
    requests = list(DisclosureRequest.objects.all())
    items = list(ProactiveItem.objects.all())
    assert len(requests) == 11 and len(items) == 4
    for model, objs in ((DisclosureRequest, requests), (ProactiveItem, items)):
        clocks = Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=[o.pk for o in objs]
        )
        assert clocks.exists()
        assert not clocks.filter(met_on__isnull=True).exists()
        assert {str(state_of(c)) for c in clocks} <= {"met", "met_late"}
        for obj in objs:
            marks = TimelineEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id=obj.pk,
                action="history.import",
            )
            assert marks.count() == 1 and "历史数据导入" in marks.get().summary, obj
    assert {r.state for r in requests} == {"answered", "withdrawn"}
    # The importer's work queue has nothing of that year: nothing to do, nothing overdue today.
    from core import selectors

    work = selectors.my_work(world.users["justice"])
    assert (list(work.mine), list(work.due_soon), list(work.overdue)) == ([], [], [])


def test_each_step_happened_on_its_own_day_on_that_years_calendar(world, imported):
    late = _request("GK-2025-002")  # posted 03-28, signed for 04-01
    assert (late.submitted_on, late.received_on, late.answered_on) == (
        D(2025, 3, 28),
        D(2025, 4, 1),
        D(2025, 5, 20),
    )
    answer = clock_of(late, "answer")
    assert answer.started_on == D(2025, 4, 1) and answer.due_on == D(2025, 4, 29)  # 4.27 was worked
    assert answer.met_on == D(2025, 5, 20) and str(state_of(answer)) == "met_late"
    assert late.letter_number.startswith("示例街道公开〔2025〕")

    extended = clock_of(_request("GK-2025-003"), "answer")
    assert extended.due_on == D(2025, 8, 4) and str(state_of(extended)) == "met"  # 07-07 + 20 WD
    extension = ClockExtension.objects.get(clock=extended)
    assert extension.approved_on == D(2025, 7, 1) and extension.approver == world.users["leader"]

    corrected = clock_of(_request("GK-2025-004"), "answer")
    assert corrected.started_on == D(2025, 8, 15) and corrected.due_on == D(2025, 9, 12)  # restarted on 补正

    consulted = _request("GK-2025-005")
    assert clock_of(consulted, "third_party").met_on == D(2025, 10, 24)
    assert str(state_of(clock_of(consulted, "answer"))) == "met"

    withdrawn = _request("GK-2025-006")
    assert withdrawn.state == "withdrawn" and withdrawn.withdrawn_on == D(2025, 11, 24)
    assert clock_of(withdrawn, "answer").met_on == D(2025, 11, 24)

    item = _item("ZD-2025-002")
    publish = clock_of(item, "publish")
    assert publish.due_on == D(2025, 9, 28) and publish.met_on == D(2025, 10, 20)  # 9.28 was worked
    assert str(state_of(publish)) == "met_late"

    # The timeline is stamped with the real days, in order; the import day is only named in the mark.
    events = list(
        TimelineEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(DisclosureRequest), object_id=late.pk
        ).order_by("seq")
    )
    days = [e.at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() for e in events]
    assert days[0] == D(2025, 4, 1) and days == sorted(days) and days[-1] == D(2025, 5, 20)


def test_personal_data_is_stored_encrypted_and_shown_masked(world, imported):
    from django.db import connection

    req = _request("GK-2024-031")
    assert req.applicant_id_number == "11010519491231002X"  # decrypted for the roles that may reveal it
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT applicant_id_number, applicant_phone FROM disclosure_disclosurerequest WHERE id = %s",
            [req.pk],
        )
        raw_id, raw_phone = cursor.fetchone()
    assert "11010519491231002X" not in raw_id and "13900000011" not in raw_phone
    assert req.applicant_id_number_hash
    page = imported["client"].get(req.get_absolute_url()).content.decode()
    assert "11010519491231002X" not in page and "13900000011" not in page


def test_a_retried_import_adds_nothing(world, imported, token):
    client = imported["client"]
    counts = (
        DisclosureRequest.objects.count(),
        ProactiveItem.objects.count(),
        Clock.objects.count(),
        TimelineEvent.objects.count(),
        ImportedRecord.objects.count(),
    )
    done = upload(client, "disclosure-requests", ledger.with_region(ledger.REQUESTS))
    assert done.succeeded
    assert "新增0条" in done.job.summary and "8条此前已导入" in done.job.summary, done.job.summary
    assert "8条此前已导入" in done.page
    assert upload(client, "disclosure-proactive", ledger.with_region(ledger.PROACTIVE)).succeeded
    r = post_api(token, "/api/v1/imports/disclosure-requests", {"records": ledger.API_REQUESTS})
    assert r.status_code == 200 and r.json() == {"rows": 3, "created": 0, "existing": 3, "ids": []}
    assert counts == (
        DisclosureRequest.objects.count(),
        ProactiveItem.objects.count(),
        Clock.objects.count(),
        TimelineEvent.objects.count(),
        ImportedRecord.objects.count(),
    )


def _traces() -> tuple[int, ...]:
    return (
        DisclosureRequest.objects.count(),
        ProactiveItem.objects.count(),
        Clock.objects.count(),
        TimelineEvent.objects.count(),
        ChangeLog.objects.count(),
        ImportedRecord.objects.count(),
    )


def test_a_mixed_file_writes_nothing_and_lists_every_error_by_row_and_column(world, in_2026):
    good = ledger.with_region(ledger.REQUESTS[:2])
    bad = [
        # row 4: answered before it was received; the delivery date is in the future
        {**good[1], "source_ref": "X-1", "concluded_on": "2025-03-01", "delivered_on": "2026-03-01"},
        # row 5: posted without the day it was signed for; an answer type that does not exist
        {**good[1], "source_ref": "X-2", "channel": "邮寄", "answer_type": "已办结"},
        # row 6: withdrawn without any 补正; an extension approved by someone who is not a head of the street
        {
            **good[1],
            "source_ref": "X-3",
            "answer_type": "视为撤回",
            "extension_days": "30",
            "extension_approver": "justice（示例）",
            "extension_notified_on": "2025-03-10",
        },
        # row 7: a region outside the user's scope
        {**good[1], "source_ref": "X-4", "region": "990100002"},
        # row 8: 补正 answered although never completed; ID number with a wrong check digit
        {
            **good[1],
            "source_ref": "X-5",
            "correction_items": "补充",
            "correction_sent_on": "2025-03-04",
            "applicant_id_number": "110105194912310021",
        },
    ]
    rows = good + bad
    before = _traces()
    with pytest.raises(ImportFailed) as failed:
        IMPORTERS["disclosure-requests"].run(
            ledger.workbook("disclosure-requests", rows), by=world.users["justice"]
        )
    assert _traces() == before
    found = {(e.row, e.column) for e in failed.value.errors}
    assert {
        (4, "答复日期"),
        (4, "送达日期"),
        (5, "收到申请日期"),
        (5, "办理结果"),
        (6, "办理结果"),
        (6, "延长工作日数"),
        (6, "延期批准人"),
        (7, "受理机关区划代码"),
        (8, "收到补正日期"),
        (8, "申请人身份证号"),
    } <= found, sorted(found)
    assert not {r for r, _ in found} & {2, 3}  # the good rows have no error
    messages = {(e.row, e.column): e.message for e in failed.value.errors}
    assert "早于收到申请日期" in messages[(4, "答复日期")]
    assert "不能是将来的日期" in messages[(4, "送达日期")]
    assert "第31条第2项" in messages[(5, "收到申请日期")]
    assert "110105194912310021" not in " ".join(messages.values())  # personal data is not echoed

    # The same through the page: 400, every error listed, nothing written.
    client = Client()
    client.force_login(world.users["justice"])
    done = upload(client, "disclosure-requests", rows)
    assert done.failed
    listed = {(row, column) for row, column, _ in done.job.errors}
    assert listed == found
    text = done.page
    assert "第4行" in text and "第8行" in text and "<td>延期批准人</td>" in text
    assert _traces() == before


def test_the_api_refuses_a_mixed_batch_by_record_and_field_and_needs_the_import_right(world, in_2026, token):
    before = _traces()
    records = [
        ledger.API_REQUESTS[0],
        {**ledger.API_REQUESTS[1], "submitted_on": "2025-13-01"},
        {**ledger.API_REQUESTS[2], "concluded_on": "2027-01-01"},
    ]
    r = post_api(token, "/api/v1/imports/disclosure-requests", {"records": records})
    assert r.status_code == 400
    fields = {d["field"] for d in r.json()["detail"]}
    assert {"records[1].submitted_on", "records[2].concluded_on"} <= fields
    assert _traces() == before
    # Without a token the call is refused before anything is read; a leader may not import requests.
    anonymous = Client(enforce_csrf_checks=True).post(
        "/api/v1/imports/disclosure-requests",
        json.dumps({"records": records[:1]}),
        content_type="application/json",
    )
    assert anonymous.status_code in (401, 403)
    leader = core_services.token_issue(user=world.users["leader"], name="台账系统")
    assert (
        post_api(leader, "/api/v1/imports/disclosure-requests", {"records": records[:1]}).status_code == 403
    )
    assert _traces() == before
