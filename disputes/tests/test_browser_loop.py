"""The whole loop through real pages in headless Chromium:
public intake → triage → assign → accept → session → agreement (.docx) → success → follow-up → close."""

from __future__ import annotations

import pytest
from django.utils import timezone
from docx import Document

from core.demo import DEMO_PASSWORD, load_demo
from core.models import Membership, Person
from core.tests.browser import act, login, open_action
from disputes.models import Dispute
from disputes.taxonomy import seed_dispute_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_intake_to_closed_case(live_server, page):
    load_demo()
    seed_dispute_types()  # transactional tests flush the migration's rows
    base = live_server.url
    own = Membership.objects.get(user__username="demo-mediator").unit
    community = own.region

    # 1. A resident applies on the public page, on a phone-sized screen, without logging in.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/public/disputes/new")
    page.select_option("select[name=dispute_type]", "neighbour")
    page.select_option("select[name=community]", str(community.pk))
    page.fill("textarea[name=description]", "楼上卫生间漏水，楼下天花板发霉（示例）")
    page.fill("input[name=p0_name]", "居民甲（示例）")
    page.fill("input[name=p0_phone]", "13900000321")
    page.fill("input[name=p1_name]", "居民乙（示例）")
    page.click("form.intake button[type=submit]")
    code = page.get_by_test_id("tracking-code").inner_text()
    page.goto(f"{base}/public/track/{code}")
    assert page.get_by_test_id("public-state").inner_text() == "已登记"
    dispute = Dispute.objects.get(tracking_code=code)
    page.set_viewport_size({"width": 1280, "height": 900})

    # 2. The justice office triages and assigns to the community committee and a mediator.
    login(page, base, "demo-justice", DEMO_PASSWORD)
    page.goto(f"{base}/disputes/{dispute.pk}/")
    assert page.get_by_test_id("state").inner_text() == "已登记"
    act(page, "triage", route="community")
    assert page.get_by_test_id("state").inner_text() == "已研判"
    assert page.get_by_test_id("suggestion").count() > 0  # suggested mediators, with reasons
    mediator = Person.objects.filter(kind="mediator", region=community).first()
    form = open_action(page, "assign")
    form.locator('[name="committee"]').select_option(str(own.pk))
    boxes = form.locator('[name="mediators"]')
    assert boxes.count() > 12  # the street's mediators: found by typing a name
    form.locator("input.check-filter").fill(mediator.name)
    visible = form.locator('label.check:visible:has([name="mediators"])')
    assert 1 <= visible.count() < boxes.count() and all(mediator.name in t for t in visible.all_inner_texts())
    form.locator(f'[name="mediators"][value="{mediator.pk}"]').check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.get_by_test_id("state").inner_text() == "已分派"
    page.click("form[action='/logout/'] button")

    # 3. The community mediator accepts, records a session and the written agreement.
    login(page, base, "demo-mediator", DEMO_PASSWORD)
    page.goto(f"{base}/disputes/{dispute.pk}/")
    today = timezone.localdate()
    act(page, "accept", accepted_on=today.isoformat())
    assert page.get_by_test_id("state").inner_text() == "调解中"
    session = page.locator(f"form[action='/disputes/{dispute.pk}/record/session/']")
    session.locator("[name=held_at]").fill(f"{today.isoformat()}T10:00")
    session.locator("[name=place]").fill("居委会调解室")
    session.locator("[name=participants]").fill("双方当事人、调解员")
    session.locator("[name=summary]").fill("释法明理，双方同意由楼上承担维修费用")
    with page.expect_navigation():
        session.locator("button").click()
    agreement = page.get_by_test_id("agreement-form")
    agreement.locator("[name=kind]").select_option("written")
    agreement.locator("[name=facts]").fill("楼上卫生间漏水致楼下受损，楼上承担维修责任（示例）")
    agreement.locator("[name=terms]").fill("楼上支付维修费3000元（示例）")
    agreement.locator("[name=effective_on]").fill(today.isoformat())
    agreement.locator("[name=schedule]").fill(f"{today.isoformat()} 支付维修费3000元")
    with page.expect_navigation():
        agreement.locator("button").click()
    with page.expect_download() as download:
        page.get_by_test_id("agreement-docx").click()
    doc = Document(str(download.value.path()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "人民调解协议书" in text and "居民甲（示例）" in text and "13900000321" in text
    act(page, "succeed")
    assert page.get_by_test_id("state").inner_text() == "已达成协议"

    # 4. Follow-up visit, then close; the resident sees the result and rates it.
    follow = page.get_by_test_id("follow-up-form")
    follow.locator("[name=visited_on]").fill(today.isoformat())
    follow.locator("[name=fulfilment]").select_option("fulfilled")
    with page.expect_navigation():
        follow.locator("button").click()
    act(page, "close", closed_on=today.isoformat())
    assert page.get_by_test_id("state").inner_text() == "已结案"
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in (
        "受理登记",
        "研判",
        "分派",
        "接受分派",
        "调解：",
        "登记书面协议",
        "调解成功",
        "回访",
        "结案",
    ):
        assert step in timeline, step
    page.click("form[action='/logout/'] button")
    page.goto(f"{base}/public/track/{code}")
    assert page.get_by_test_id("public-state").inner_text() == "已结案"
    page.select_option("select[name=score]", "5")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert Dispute.objects.get(pk=dispute.pk).satisfaction == 5


def test_mediator_cannot_open_another_communitys_dispute(live_server, page):
    load_demo()
    seed_dispute_types()  # transactional tests flush the migration's rows
    from disputes import services

    other = Membership.objects.get(user__username="demo-mediator2").unit.region
    justice = Membership.objects.get(user__username="demo-justice").user
    d = services.dispute_intake(
        by=justice,
        source="walk_in",
        dispute_type="neighbour",
        community=other.pk,
        description="噪音扰民（示例）",
        parties=[{"role": "applicant", "name": "某（示例）"}],
    ).dispute
    login(page, live_server.url, "demo-mediator", DEMO_PASSWORD)
    response = page.goto(f"{live_server.url}/disputes/{d.pk}/")
    assert response.status == 404 and d.number not in page.content()
    page.goto(f"{live_server.url}/disputes/?queue=")
    assert d.number not in page.content()
