"""Disclosure pages: receive form (第31条 errors in Chinese), detail with clocks, answer letter, scoping."""

from __future__ import annotations

import io

from docx import Document

from core.workflow import transition
from disclosure.models import DisclosureRequest


def test_receive_page_and_letter(world, client):
    client.force_login(world.users["justice"])
    form = {
        "region": world.street.pk,
        "channel": "post",
        "submitted_on": "2026-09-20",
        "applicant_kind": "person",
        "applicant_name": "申请人（示例）",
        "content": "示例街道2026年老旧小区改造资金使用情况",
        "applicant_phone": "13900000444",
    }
    r = client.post("/disclosure/new/", form)
    assert r.status_code == 400 and "签收日期" in r.content.decode()
    assert not DisclosureRequest.objects.exists()
    r = client.post("/disclosure/new/", {**form, "signed_on": "2026-09-25"})
    assert r.status_code == 302
    req = DisclosureRequest.objects.get()
    page = client.get(req.get_absolute_url()).content.decode()
    assert "2026-10-29" in page and "139****0444" in page and "13900000444" not in page
    assert 'data-action="request_correction"' in page and 'data-action="answer"' in page
    req = transition(
        req,
        "answer",
        by=world.users["justice"],
        data={
            "answer_type": "not_ours",
            "detail": "该信息由示例区房屋管理局负责公开，请向其申请。",
            "answered_on": "2026-10-15",
        },
    )
    doc = Document(io.BytesIO(client.get(f"/disclosure/{req.pk}/letter.docx").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "政府信息公开申请答复书" in text and req.letter_number in text
    assert "第三十六条第（五）项" in text and "示例区房屋管理局" in text and "2026年9月25日收到" in text
    r = client.post(f"/disclosure/{req.pk}/deliver/", {"method": "post", "delivered_on": "2026-10-16"})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.delivered_on.isoformat() == "2026-10-16"


def test_other_street_cannot_see_the_request(world, client):
    import datetime as dt

    from disclosure import services

    req = services.request_receive(
        by=world.users["justice"],
        region=world.street,
        channel="in_person",
        submitted_on=dt.date(2026, 9, 25),
        applicant_kind="person",
        applicant_name="甲（示例）",
        content="某项信息（示例）内容",
    )
    client.force_login(world.users["other"])
    assert client.get(f"/disclosure/{req.pk}/").status_code == 404
    assert client.get(f"/disclosure/{req.pk}/letter.docx").status_code == 404
    assert req.number not in client.get("/disclosure/").content.decode()
    client.force_login(world.users["district"])
    assert client.get(f"/disclosure/{req.pk}/").status_code == 200


def test_api_actions_follow_the_table(world, client):
    import datetime as dt

    from disclosure import services

    req = services.request_receive(
        by=world.users["justice"],
        region=world.street,
        channel="in_person",
        submitted_on=dt.date(2026, 9, 25),
        applicant_kind="person",
        applicant_name="乙（示例）",
        content="某项信息（示例）内容",
    )
    client.force_login(world.users["justice"])
    body = client.get(f"/api/v1/disclosure/requests/{req.pk}").json()
    assert body["received_on"] == "2026-09-25" and "answer" in body["actions"]
    r = client.post(
        f"/api/v1/disclosure/requests/{req.pk}/actions/answer",
        {
            "version": body["version"],
            "data": {"answer_type": "disclosed", "detail": "随文提供", "answered_on": "2026-10-09"},
        },
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["state"] == "answered" and r.json()["letter_number"]
    r = client.post(  # the same answer sent again with the version seen before: someone else changed it
        f"/api/v1/disclosure/requests/{req.pk}/actions/answer",
        {
            "version": body["version"],
            "data": {"answer_type": "disclosed", "detail": "随文提供", "answered_on": "2026-10-09"},
        },
        content_type="application/json",
    )
    assert r.status_code == 409
    client.force_login(world.users["other"])
    assert client.get(f"/api/v1/disclosure/requests/{req.pk}").status_code == 404
