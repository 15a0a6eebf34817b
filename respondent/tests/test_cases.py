"""The street as respondent: the reply (10 working days) and the defence (15 days) on their clocks, hearings and
the head's appearance, an annulled enforcement decision opening its rectification, the reply pack."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from docx import Document

from core import services as core_services
from core.clocks.services import clock_of
from core.workflow import TransitionNotAllowed, transition
from respondent import indicators, services
from respondent.models import RespondentCase

D = dt.date


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(D(2026, 12, 31))


@pytest.fixture
def receive(world):
    def make(**kw: Any) -> RespondentCase:
        values: dict[str, Any] = {
            "by": world.users["justice"],
            "kind": "reconsideration",
            "body": "示例区人民政府",
            "applicant": "示例申请人",
            "unit": world.units["enforcement"],
            "act_kind": "other",
            "act": "责令限期拆除决定（示例）",
            "filed_on": D(2026, 9, 25),
            "received_on": D(2026, 9, 29),
        }
        values.update(kw)
        return services.case_receive(**values)

    return make


def test_the_reply_runs_ten_working_days_across_national_day(receive):
    # Received Tuesday 29 September: 30 September, then 8, 9, 10 (a Saturday worked), 12-16 and 19 October
    case = receive()
    reply = clock_of(case, "reply")
    assert reply is not None and reply.due_on == D(2026, 10, 19)
    case = transition(case, "reply", by=case.created_by, data={"replied_on": "2026-10-15"})
    assert clock_of(case, "reply").met_on == D(2026, 10, 15) and case.state == "replied"


def test_the_defence_of_fifteen_days_ending_on_a_holiday_moves_to_the_next_working_day(receive):
    # Received 16 September: the 15th day is 1 October, a holiday; 8 October is the next working day
    case = receive(
        kind="litigation", body="示例区人民法院", received_on=D(2026, 9, 16), filed_on=D(2026, 9, 10)
    )
    defence = clock_of(case, "defence")
    assert defence is not None and defence.due_on == D(2026, 10, 8)


def test_the_head_appears_or_the_reason_is_recorded_and_the_rate_counts_hearings(world, receive):
    justice = world.users["justice"]
    case = receive(kind="litigation", body="示例区人民法院")
    services.hearing_record(
        by=justice, case=case, held_on=D(2026, 11, 3), appearance="head", appeared="示例主任"
    )
    with pytest.raises(Exception, match="正当理由"):
        services.hearing_record(
            by=justice, case=case, held_on=D(2026, 11, 10), appearance="staff", appeared="示例科员"
        )
    with pytest.raises(Exception, match="律师不能代替"):
        services.hearing_record(
            by=justice,
            case=case,
            held_on=D(2026, 11, 10),
            appearance="staff",
            appeared="示例律师",
            lawyer="示例律师",
            reason="公务",
        )
    services.hearing_record(
        by=justice,
        case=case,
        held_on=D(2026, 11, 17),
        appearance="staff",
        appeared="示例科长",
        reason="负责人参加区防汛紧急会议（示例）",
        lawyer="示例律师",
    )
    other = receive(kind="litigation", body="示例区人民法院", applicant="另一原告")
    services.hearing_record(
        by=justice, case=other, held_on=D(2026, 12, 1), appearance="deputy", appeared="示例副主任"
    )
    # A reconsideration's hearing is not a court appearance
    services.hearing_record(
        by=justice,
        case=receive(),
        held_on=D(2026, 11, 20),
        appearance="staff",
        appeared="示例科员",
        reason="复议听证（示例）",
    )
    rate = indicators.appearance_rate(world.users["leader"], world.street, D(2026, 1, 1), D(2026, 12, 31))
    assert (rate.numerator, rate.denominator) == (2, 3)
    assert rate.records is not None and {h.appeared for h in rate.records} == {"示例主任", "示例副主任"}


def test_an_annulled_enforcement_decision_opens_a_rectification_for_the_team(world, enf, receive, client_for):
    justice = world.users["justice"]
    decision = enf.file(procedure="simple")
    decision = transition(
        decision,
        "decide_onsite",
        by=enf.officer,
        data={"decided_on": "2026-09-22", "outcome": "fine", "fine": "100"},
    )
    case = receive(
        act_kind="enforcement",
        act=f"{decision.decision_number}（示例）",
        unit=world.units["leadership"],
        enforcement_case=decision,
    )
    page = client_for(enf.officer).get(decision.get_absolute_url()).content.decode()
    assert case.number in page.split('data-testid="challenges"')[1].split("</dd>")[0]
    case = transition(case, "reply", by=justice, data={"replied_on": "2026-10-12"})
    case = transition(
        case,
        "decide",
        by=justice,
        data={"decided_on": "2026-12-01", "outcome": "annulled", "instance": "first"},
    )
    assert case.adverse and case.rectification_unit == world.units["enforcement"]
    # The decision is recorded as revoked on its own case, its publicity to be withdrawn (行政处罚法 第48条)
    decision.refresh_from_db()
    assert decision.state == "revoked" and decision.revoked_on == D(2026, 12, 1)
    # Only the team that acted records the rectification: another unit's officer may not
    from core.permissions import allowed

    assert allowed(enf.officer, "respondent.rectify", case)
    rectification = clock_of(case, "rectification")
    assert rectification is not None and rectification.due_on == D(2026, 12, 31)
    with pytest.raises(TransitionNotAllowed, match="整改完成并登记整改情况后才能结案"):
        transition(case, "close", by=justice, data={"closed_on": "2026-12-10"})
    services.rectification_record(
        by=world.users["officer"],
        case=case,
        rectified_on=D(2026, 12, 8),
        report="撤回公示、重新调查并组织执法人员培训（示例）",
    )
    case.refresh_from_db()
    case = transition(case, "close", by=justice, data={"closed_on": "2026-12-10"})
    assert case.state == "closed" and clock_of(case, "rectification").met_on == D(2026, 12, 8)
    loss = indicators.correction_rate(world.users["leader"], world.street, D(2026, 1, 1), D(2026, 12, 31))
    assert (loss.numerator, loss.denominator) == (1, 1)
    # It stays on the record of the officers who decided it
    from enforcement.exports import officers_of

    record = {p.name: p.adverse for p in officers_of(world.users["justice"], {})}
    assert record["执法队员wang（示例）"] == 1 and record["执法队员zhao（示例）"] == 0


def test_the_api_registers_once_per_case_number_and_the_pack_holds_the_documents(world, receive, client_for):
    token = core_services.token_issue(user=world.users["justice"], name="区行政复议系统（示例）")
    body = {
        "kind": "reconsideration",
        "body": "示例区人民政府",
        "body_ref": "示复字〔2026〕第12号",
        "applicant": "示例申请人",
        "unit": world.units["leadership"].pk,
        "act_kind": "other",
        "act": "信息公开答复（示例）",
        "filed_on": "2026-11-02",
        "received_on": "2026-11-04",
    }

    def post(payload: dict) -> Any:
        return Client(enforce_csrf_checks=True).post(
            "/api/v1/respondent/cases",
            json.dumps(payload),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    first, again = post(body), post(body)
    assert first.status_code == 201 and again.status_code == 200 and RespondentCase.objects.count() == 1
    assert first.json()["case"]["actions"] == ["reply"]
    bad = post({**body, "body_ref": "", "kind": "仲裁", "received_on": "2026-10-01"})
    assert bad.status_code == 400 and {d["field"] for d in bad.json()["detail"]} == {"kind", "received_on"}
    case = RespondentCase.objects.get()
    r = client_for(world.users["justice"]).get(f"/respondent/{case.pk}/pack.zip")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    names = z.namelist()
    assert names[:2] == ["01-行政复议答复书.docx", "02-证据目录.docx"]
    reply = Document(io.BytesIO(z.read(names[0])))
    text = "\n".join(p.text for p in reply.paragraphs)
    assert "示例申请人不服本机关信息公开答复（示例）" in text and "2026年11月4日收到申请书副本" in text
    # Another street's coordinator does not see it
    assert client_for(world.users["other"]).get(f"/respondent/{case.pk}/").status_code == 404


def test_a_workbook_of_cases_is_registered_once_and_a_bad_row_names_its_column(world, client_for):
    from core.tests.sheets import post_import, xlsx_upload
    from respondent.importers import CASES_IMPORTER

    headers = [c.header for c in CASES_IMPORTER.columns]
    keys = [c.key for c in CASES_IMPORTER.columns]
    row = {
        "street": "990100001",
        "kind": "行政诉讼",
        "after_reconsideration": "是",
        "body": "示例区人民法院",
        "body_ref": "（2026）示0101行初1号",
        "applicant": "示例原告",
        "unit": "示例街道综合行政执法队",
        "act_kind": "其他行政行为",
        "act": "责令限期拆除决定（示例）",
        "filed_on": "2026-11-02",
        "received_on": "2026-11-04",
    }

    def sheet(rows: list[dict[str, str]]) -> Any:
        return xlsx_upload(headers, [[r.get(k, "") for k in keys] for r in rows], "案件.xlsx")

    client = client_for(world.users["justice"])
    assert post_import(client, "respondent-cases", sheet([row])).succeeded
    assert (
        post_import(client, "respondent-cases", sheet([row])).succeeded
        and RespondentCase.objects.count() == 1
    )
    case = RespondentCase.objects.get()
    assert case.after_reconsideration and clock_of(case, "defence") is not None
    bad = post_import(
        client,
        "respondent-cases",
        sheet([{**row, "body_ref": "新案号", "unit": "不存在的单位", "enforcement": "ZF-无"}]),
    )
    assert bad.failed and RespondentCase.objects.count() == 1
    assert sorted(e[1] for e in bad.job.errors) == ["关联的行政执法案件编号", "承办单位"]


def test_an_appeal_pauses_the_first_instance_rectification_and_the_second_instance_decides(world, receive):
    justice, leader = world.users["justice"], world.users["leader"]
    case = receive(kind="litigation", body="示例区人民法院")
    case = transition(case, "reply", by=justice, data={"replied_on": "2026-10-12"})
    case = transition(
        case,
        "decide",
        by=justice,
        data={"decided_on": "2026-11-02", "outcome": "annulled", "instance": "first"},
    )
    assert clock_of(case, "rectification") is not None
    case = transition(case, "appeal", by=leader, data={"appealed_on": "2026-11-10"})
    assert case.state == "appealed"
    with pytest.raises(TransitionNotAllowed, match="上诉后的裁判为二审"):
        transition(
            case,
            "decide",
            by=justice,
            data={"decided_on": "2026-12-20", "outcome": "rejected", "instance": "first"},
        )
    paused = clock_of(case, "rectification")
    assert paused is not None and paused.pauses.filter(resumed_on__isnull=True).exists()
    case = transition(
        case,
        "decide",
        by=justice,
        data={"decided_on": "2026-12-20", "outcome": "rejected", "instance": "second"},
    )
    assert not case.adverse and case.rectification_unit is None
    assert clock_of(case, "rectification").met_on is not None
    assert transition(case, "close", by=leader, data={"closed_on": "2026-12-22"}).state == "closed"
