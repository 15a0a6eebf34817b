"""The enforcement pages as staff and the public meet them: the catalogue imported from a spreadsheet and shown
publicly, 立案 with its refusals beside the fields, a case page with its steps and the party's earlier cases,
the officers' certificates with their expiry, and the case ledger filtered and exported."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from core.tests.sheets import post_import, xlsx_upload
from core.workflow import TransitionNotAllowed, transition
from enforcement.importers import ITEMS_IMPORTER
from enforcement.models import EnforcementCase, EnforcementItem

D = dt.date
HEADERS = [c.header for c in ITEMS_IMPORTER.columns]


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(D(2026, 11, 30))


def ledger(page: str) -> str:
    """The ledger's table of a page (not its forms)."""
    return page.split('data-testid="ledger-table"')[1].split("</table>")[0]


def row(code: str, name: str, fine_max: str = "500", exempt: str = "是") -> list[str]:
    return [
        "990100001",
        code,
        name,
        "《示例条例》第一条",
        "责令改正，可处罚款",
        fine_max,
        "",
        exempt,
        "否",
        "",
    ]


def test_the_catalogue_is_imported_corrected_and_published(world, client_for):
    client = client_for(world.users["officer"])
    done = post_import(
        client,
        "enforcement-items",
        xlsx_upload(HEADERS, [row("X-1", "示例事项一"), row("X-2", "示例事项二", "")]),
    )
    assert done.succeeded, done.page
    assert EnforcementItem.objects.get(code="X-2").fine_max is None
    # A bad amount is named with its row and column, and nothing is written
    failed = post_import(
        client, "enforcement-items", xlsx_upload(HEADERS, [row("X-3", "示例事项三", "五百元")])
    )
    assert (
        failed.failed
        and "第2行" in failed.page
        and "罚款上限" in failed.page
        and "不是有效的金额" in failed.page
    )
    assert not EnforcementItem.objects.filter(code="X-3").exists()
    # Re-imported: the same code corrects the item
    assert post_import(
        client, "enforcement-items", xlsx_upload(HEADERS, [row("X-1", "示例事项一（修订）", exempt="否")])
    ).succeeded
    item = EnforcementItem.objects.get(code="X-1")
    assert (
        item.name == "示例事项一（修订）" and not item.minor_exempt and EnforcementItem.objects.count() == 2
    )
    public = Client().get("/public/enforcement-items/990100001/").content.decode()
    assert "示例事项一（修订）" in public and "示例事项二" in public and "共 2 项" in public


def test_filing_through_the_page_and_the_case_page(enf, world, client_for):
    client = client_for(world.users["officer"])
    form = client.get("/enforcement/new/").content.decode()
    assert "执法队员zhao（示例）（执法证不在有效期内）" in form and "第42条" in form
    data = {
        "procedure": "ordinary",
        "source": "complaint",
        "item": enf.items["stall"].pk,
        "community": world.community_a.pk,
        "party_kind": "person",
        "party_name": "示例摊主甲",
        "party_id_number": "11010519491231002X",
        "facts": "在示例路口人行道上设摊经营水果（示例）",
        "offence_on": "2026-11-20",
        "filed_on": "2026-11-23",
        "officers": [enf.people["wang"].pk, enf.people["zhao"].pk],
    }
    refused = client.post("/enforcement/new/", data)
    assert (
        refused.status_code == 400
        and "执法队员zhao（示例）在2026年11月23日没有有效的行政执法证" in refused.content.decode()
    )
    assert not EnforcementCase.objects.exists()
    data["officers"] = [enf.people["wang"].pk, enf.people["li"].pk]
    r = client.post("/enforcement/new/", data)
    case = EnforcementCase.objects.get()
    assert r.status_code == 302 and r["Location"] == case.get_absolute_url()
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="workflow-steps"' in page and "已立案" in page
    assert "110***********002X" in page and "11010519491231002X" not in page  # the ID number masked
    assert "属于初次违法，可依清单首违不罚" in page and "追责期限至 2028-11-20" in page
    assert 'data-action="notify"' in page and 'data-action="decide_onsite"' not in page
    # The record forms: review may be asked for before the decision
    r = client.post(
        f"/enforcement/{case.pk}/record/review/",
        {"submitted_on": "2026-11-24", "materials": "案卷及拟处罚决定"},
    )
    case.refresh_from_db()
    assert r.status_code == 302 and case.review is not None
    assert case.review.number in client.get(case.get_absolute_url()).content.decode()


def test_officers_certificates_expiring_are_flagged(enf, world, client_for):
    cert = enf.people["li"].certificates.get()
    cert.valid_to = D(2027, 1, 15)
    cert.save()
    client = client_for(world.users["justice"])
    page = client.get("/enforcement/officers/").content.decode()
    assert "46日后到期" in page and "已过期（2025-12-31）" in page
    expiring = ledger(client.get("/enforcement/officers/?status=expiring").content.decode())
    assert "执法队员li（示例）" in expiring and "执法队员wang（示例）" not in expiring


def test_the_case_ledger_filters_and_hides_other_streets(enf, world, client_for):
    simple = enf.file(procedure="simple")
    transition(
        simple, "decide_onsite", by=enf.officer, data={"decided_on": "2026-09-22", "outcome": "warning"}
    )
    enf.file(party_name="示例摊主乙", party_id_number="110105194912310038")
    client = client_for(world.users["leader"])
    listing = client.get("/enforcement/?procedure=simple").content.decode()
    assert simple.number in listing and 'data-testid="result-count">1<' in listing
    assert (
        'data-testid="result-count">0<'
        in client_for(world.users["other"]).get("/enforcement/").content.decode()
    )


def test_the_documents_open_with_the_cases_content(enf, world, client_for):
    import io

    from docx import Document

    from core.models import RevealLog

    case = enf.file()
    case = transition(
        case,
        "notify",
        by=enf.officer,
        data={"notified_on": "2026-09-29", "proposed": "拟罚款300元", "hearing_right": "yes"},
    )
    case = transition(
        case, "decide", by=enf.officer, data={"decided_on": "2026-10-09", "outcome": "fine", "fine": "300"}
    )

    def text(client, kind: str) -> str:
        r = client.get(f"/enforcement/{case.pk}/documents/{kind}.docx")
        assert r.status_code == 200, kind
        doc = Document(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)

    officer = client_for(world.users["officer"])
    page = officer.get(case.get_absolute_url()).content.decode()
    assert "行政处罚决定书（.docx）" in page and "立案审批表（.docx）" in page and "结案审批表" not in page
    decision = text(officer, "decision")
    assert (
        "行政处罚决定书" in decision and case.decision_number in decision and "罚款人民币300.00元" in decision
    )
    assert "示例区人民政府申请行政复议" in decision and "示例区人民法院提起行政诉讼" in decision
    assert (
        "11010519491231002X" in decision and "你（单位）" not in decision
    )  # in clear for the officer: logged
    assert RevealLog.objects.filter(object_id=case.pk, reason="生成行政处罚决定书").exists()
    notice = text(officer, "notice")
    assert "拟罚款300元" in notice and "有权要求听证" in notice and "第四十四条" in notice
    assert "执法队员wang（示例）（执法证号SH-ZF-wang）" in text(officer, "filing")
    assert "出示执法证件" in text(officer, "inspection") and "示例摊主甲" in text(officer, "inspection")
    assert (
        client_for(world.users["officer"])
        .get(f"/enforcement/{case.pk}/documents/questioning.docx")
        .status_code
        == 404
    )
    # The leader may read the case but not reveal the ID number: masked in the document
    leader = text(client_for(world.users["leader"]), "decision")
    assert "11010519491231002X" not in leader and "002X" in leader
    assert (
        client_for(world.users["leader"]).get(f"/enforcement/{case.pk}/documents/closing.docx").status_code
        == 404
    )


def test_officers_and_the_justice_office_are_reminded_once_before_a_certificate_expires(enf, world):
    from core.models import Notification
    from enforcement.reminders import certificate_reminders

    cert = enf.people["li"].certificates.get()
    cert.valid_to = D(2027, 1, 15)
    cert.save()
    assert certificate_reminders(on=D(2026, 11, 30)) == "执法证到期提醒：2条。"
    notes = Notification.objects.filter(kind="reminder")
    assert {n.recipient for n in notes} == {world.users["officer"], world.users["justice"]}
    assert all("执法队员li（示例）" in n.title and "2027-01-15" in n.title for n in notes)
    # Told once; the expired one (zhao) and the far one (wang) are not reminders
    assert certificate_reminders(on=D(2026, 12, 1)) == "执法证到期提醒：0条。"


def test_evidence_with_its_digest_and_the_preservation_clock(enf, world, client_for):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.audit.timeline import timeline_of
    from core.clocks.services import clock_of
    from enforcement import indicators, services

    case = enf.file()
    photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    client = client_for(world.users["officer"])
    r = client.post(
        f"/enforcement/{case.pk}/record/evidence/",
        {
            "kind": "photo",
            "title": "占道设摊现场照片",
            "collected_on": "2026-09-22",
            "upload": SimpleUploadedFile("现场.png", photo, content_type="image/png"),
        },
    )
    assert r.status_code == 302
    evidence = case.evidence.get()
    assert evidence.sha256 == hashlib.sha256(photo).hexdigest()
    assert timeline_of(case).filter(action="evidence", data__sha256=evidence.sha256).exists()
    # A renamed file is refused with the field named
    client.post(
        f"/enforcement/{case.pk}/record/evidence/",
        {
            "kind": "photo",
            "title": "假照片",
            "collected_on": "2026-09-22",
            "upload": SimpleUploadedFile("x.png", b"not a png"),
        },
    )
    assert case.evidence.count() == 1
    # A recorder's file kept elsewhere: its number and digest
    services.evidence_add(
        by=enf.officer,
        case=case,
        kind="recording",
        title="执法记录仪视频",
        collected_on=D(2026, 9, 22),
        external_ref="记录仪-0007",
        sha256="AB" * 32,
    )
    page = client.get(case.get_absolute_url()).content.decode()
    assert "执法记录仪视频" in page and "记录仪-0007" in page and "abababababababab…" in page
    # The file is downloaded by those who may reveal personal data (the officer), not by the leader
    url = f"/files/enforcement.evidence.file/{evidence.pk}/"
    got = client.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == photo
    assert client_for(world.users["leader"]).get(url).status_code == 403
    # 先行登记保存 on Tue 09-29: 7 working days are 09-30, 10-08, 10-09, Saturday 10-10, 10-12, 10-13, 10-14
    services.evidence_preserve(
        by=enf.officer, case=case, preserved_on=D(2026, 9, 29), items="货架一个、水果三筐"
    )
    assert clock_of(case, "preservation").due_on == D(2026, 10, 14)
    services.preservation_decide(
        by=enf.officer, case=case, decided_on=D(2026, 10, 9), decision="解除先行登记保存，退还当事人"
    )
    assert clock_of(case, "preservation").met_on == D(2026, 10, 9)
    # The whole-process record counts for the decision made after it
    case.refresh_from_db()
    case = transition(
        case,
        "notify",
        by=enf.officer,
        data={"notified_on": "2026-10-09", "proposed": "拟警告", "hearing_right": "no"},
    )
    transition(case, "decide", by=enf.officer, data={"decided_on": "2026-10-12", "outcome": "warning"})
    bare = enf.file(party_name="示例摊主乙", party_id_number="110105194912310038")
    bare = transition(
        bare,
        "notify",
        by=enf.officer,
        data={"notified_on": "2026-10-09", "proposed": "拟警告", "hearing_right": "no"},
    )
    transition(bare, "decide", by=enf.officer, data={"decided_on": "2026-10-12", "outcome": "warning"})
    rate = indicators.record_rate(world.users["leader"], world.street, D(2026, 1, 1), D(2026, 11, 30))
    assert (rate.numerator, rate.denominator) == (1, 2)


def test_a_hearing_asked_in_time_notified_seven_working_days_ahead_and_presided_by_another(
    enf, world, client_for
):
    import io

    from django.core.exceptions import ValidationError
    from docx import Document

    from core import services as core_services
    from core.models.people import PersonKind
    from enforcement import services

    case = enf.file(
        item_id=enf.items["waste"].pk,
        party_kind="organisation",
        party_name="示例餐饮公司",
        party_id_number="",
    )
    case = transition(
        case,
        "notify",
        by=enf.officer,
        data={"notified_on": "2026-09-29", "proposed": "拟罚款2万元", "hearing_right": "yes"},
    )
    lawyer = core_services.person_create(
        by=None, name="公职律师（示例）", kind=PersonKind.PUBLIC_LAWYER, region=world.street
    )
    values: dict[str, Any] = {
        "requested_on": D(2026, 10, 12),
        "notice_on": D(2026, 10, 13),
        "hearing_on": D(2026, 10, 22),
        "presider_id": lawyer.pk,
    }
    with pytest.raises(ValidationError) as exc:  # the 5 working days ran out on 10-12; 10-13 is too late
        services.case_hearing(by=enf.officer, case=case, **{**values, "requested_on": D(2026, 10, 13)})
    assert "5个工作日内（2026年10月12日前）" in exc.value.message_dict["requested_on"][0]
    with pytest.raises(ValidationError) as exc:  # 7 working days after 10-13 is 10-22
        services.case_hearing(by=enf.officer, case=case, **{**values, "hearing_on": D(2026, 10, 21)})
    assert "听证不能早于2026年10月22日" in exc.value.message_dict["hearing_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.case_hearing(by=enf.officer, case=case, **{**values, "presider_id": enf.people["wang"].pk})
    assert "是本案调查人员，不能主持听证" in exc.value.message_dict["presider"][0]
    case = services.case_hearing(by=enf.officer, case=case, **values)
    assert case.hearing_requested and case.hearing_on == D(2026, 10, 22)
    with pytest.raises(TransitionNotAllowed) as refused:
        transition(
            case,
            "decide",
            by=enf.officer,
            data={"decided_on": "2026-10-21", "outcome": "fine", "fine": "9000"},
        )
    assert "听证（2026-10-22）后方可作出决定" in str(refused.value)
    # After a hearing the decision needs legality review (第58条), whatever the amount
    with pytest.raises(TransitionNotAllowed) as refused:
        transition(
            case,
            "decide",
            by=enf.officer,
            data={"decided_on": "2026-10-23", "outcome": "fine", "fine": "9000"},
        )
    assert "须经法制审核" in str(refused.value)
    r = client_for(world.users["officer"]).get(f"/enforcement/{case.pk}/documents/hearing.docx")
    text = "\n".join(
        p.text
        for p in Document(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)).paragraphs
    )
    assert "2026年10月22日举行听证" in text and "公职律师（示例）主持" in text and "你单位" in text


def test_a_dispute_that_turns_out_to_be_a_violation_is_filed_and_keeps_its_history(enf, world, client_for):
    from core.audit.timeline import timeline_of
    from disputes import services as dispute_services
    from disputes.tests.conftest import party

    dispute = dispute_services.dispute_intake(
        by=world.users["justice"],
        source="walk_in",
        dispute_type="neighbour",
        community=world.community_a.pk,
        description="楼下商铺占用消防通道堆放货物，邻里多次协商无果（示例）",
        parties=[party(), party("respondent", "被申请人（示例）")],
        received_at=dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC),
    ).dispute
    client = client_for(world.users["officer"])
    page = client.get(dispute.get_absolute_url()).content.decode()
    link = f"/enforcement/new/?dispute={dispute.pk}"
    assert "发现违法行为，转行政执法立案" in page and link in page
    form = client.get(link).content.decode()
    assert (
        'data-testid="from-dispute"' in form
        and "占用消防通道堆放货物" in form
        and 'value="dispute" selected' in form
    )
    r = client.post(
        link,
        {
            "procedure": "ordinary",
            "source": "dispute",
            "source_ref": dispute.number,
            "item": enf.items["stall"].pk,
            "community": world.community_a.pk,
            "party_kind": "organisation",
            "party_name": "示例商铺",
            "facts": "占用通道堆放货物（示例）",
            "offence_on": "2026-11-16",
            "filed_on": "2026-11-18",
            "officers": [enf.people["wang"].pk, enf.people["li"].pk],
            "dispute": dispute.pk,
        },
    )
    case = EnforcementCase.objects.get()
    assert r.status_code == 302 and case.dispute == dispute
    assert timeline_of(dispute).filter(action="enforcement", summary__contains=case.number).exists()
    assert case.number in client.get(dispute.get_absolute_url()).content.decode()
    assert dispute.number in client.get(case.get_absolute_url()).content.decode()


def test_the_case_page_offers_each_record_its_step_allows_dates_starting_today(enf, world, client_for):
    case = enf.file()
    client = client_for(world.users["officer"])
    page = client.get(case.get_absolute_url()).content.decode()
    for kind in ("evidence", "preserve", "suspend", "review"):
        assert f'data-record="{kind}"' in page, kind
    assert 'data-record="hearing"' not in page and 'data-record="publish"' not in page
    assert (
        'name="suspended_on" value="2026-11-30"' in page and 'name="collected_on" value="2026-11-30"' in page
    )
    client.post(
        f"/enforcement/{case.pk}/record/suspend/",
        {"suspended_on": "2026-10-01", "what": "检测", "basis": "《示例行政处罚程序规定》第六十四条"},
    )
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-record="resume"' in page and 'data-record="suspend"' not in page


def test_the_inbox_names_the_step_each_case_waits_for_by_its_procedure(enf, world, client_for):
    ordinary = enf.file()
    simple = enf.file(procedure="simple", party_name="示例摊主乙")
    page = client_for(world.users["officer"]).get("/").content.decode()
    section = page.split('data-testid="waiting-enforcement-enforcementcase"')[1].split("</table>")[0]
    rows = {r.split("</a>")[0].rsplit(">", 1)[1]: r for r in section.split("<tr>")[1:] if "</a>" in r}
    assert "待事先告知（已立案）" in rows[str(ordinary)] and "当场" not in rows[str(ordinary)]
    assert "待当场作出决定（已立案）" in rows[str(simple)] and "事先告知" not in rows[str(simple)]
