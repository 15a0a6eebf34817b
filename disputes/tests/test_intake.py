"""Intake: validation in Chinese with nothing saved, repeat detection, each risk rule, public pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import ChangeLog
from core.personal import keyed_hash
from disputes.models import Dispute, Party, RiskSettings, VulnerablePerson
from disputes.tests.conftest import at, party


def test_intake_saves_everything_with_hashes_and_number(world, intake):
    d = intake(
        parties=[party(id_number="11010519491231002X", phone="13900000001", address="示例路1号")],
        address="示例甲小区1号楼",
    )
    assert d.number.startswith("TJ-990100001-2026-")
    assert len(d.tracking_code) == 10
    p = d.parties.get()
    assert p.id_number_hash == keyed_hash("11010519491231002X")
    assert p.phone_hash == keyed_hash("13900000001")
    assert d.risk_level == "low" and d.risk_reasons == []
    assert d.state == "received"


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"source": "pigeon"}, "source", "不在可选范围内"),
        ({"dispute_type": "alien"}, "dispute_type", "不存在"),
        ({"description": "短"}, "description", "至少5个字"),
        ({"description": "漏水" * 52_500}, "description", "至多2000字（现为105000字）"),
        ({"amount": "-5"}, "amount", "不小于0"),
        ({"people_count": 0}, "people_count", "正整数"),
        ({"parties": []}, "parties", "至少需要一位当事人"),
        ({"parties": [party("respondent")]}, "parties", "至少需要一位申请人"),
        ({"parties": [party(id_number="110105194912310021")]}, "parties[0].id_number", "校验位错误"),
        ({"parties": [party(phone="123")]}, "parties[0].phone", "手机号码应为11位"),
        ({"parties": [party(phone="1390000123")]}, "parties[0].phone", "手机号码应为11位"),
        ({"parties": [party(name="")]}, "parties[0].name", "请填写姓名或名称"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_saved(world, intake, overrides, field, text):
    before = (Dispute.objects.count(), Party.objects.count(), ChangeLog.objects.count())
    with pytest.raises(ValidationError) as exc:
        intake(**overrides)
    assert text in exc.value.message_dict[field][0]
    assert (Dispute.objects.count(), Party.objects.count(), ChangeLog.objects.count()) == before


def test_community_outside_scope_is_refused(world, intake):
    with pytest.raises(ValidationError) as exc:
        intake(community=world.community_c.pk)
    assert "不在您的工作范围内" in exc.value.message_dict["community"][0]
    with pytest.raises(ValidationError):
        intake(by=world.users["mediator_a"], community=world.community_b.pk)


@pytest.mark.parametrize(
    ("name", "content", "size", "text"),
    [
        ("病毒.exe", b"MZ\x90\x00", None, "类型不允许"),
        ("照片.jpg", b"not a jpeg", None, "内容与扩展名不符"),
        ("大文件.pdf", b"%PDF-1.4", 11 * 1024 * 1024, "过大"),
    ],
)
def test_bad_attachments(world, intake, name, content, size, text):
    upload = SimpleUploadedFile(name, content)
    if size:
        upload.size = size
    with pytest.raises(ValidationError) as exc:
        intake(attachments=[upload])
    assert text in exc.value.message_dict["attachments"][0]
    assert not Dispute.objects.exists()


def test_good_attachment_is_kept(world, intake, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    d = intake(attachments=[SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n....")])
    assert d.attachments.get().name == "现场.png"


def test_repeat_detection_links_same_party_or_address_within_180_days(world, intake):
    first = intake(received_at=at(2026, 3, 1), parties=[party(id_number="11010519491231002X")])
    by_phone = intake(received_at=at(2026, 4, 1), parties=[party(phone="13900000009")], address="示例路8号")
    old = intake(received_at=at(2025, 8, 1), parties=[party(id_number="11010519491231002X")])
    d = intake(
        received_at=at(2026, 8, 20),
        address="示例路8号",
        parties=[party(id_number="11010519491231002x"), party("respondent", phone="139 0000 0009")],
    )
    links = {link.earlier_id: link.reason for link in d.repeat_links.all()}
    assert links == {first.pk: "同一当事人身份证号", by_phone.pk: "同一地址、同一当事人联系电话"}
    assert old.pk not in links  # more than 180 days earlier


def test_repeats_in_the_other_street_are_not_linked(world, intake):
    other = intake(
        by=world.users["other"],
        community=world.community_c.pk,
        parties=[party(id_number="11010519491231002X")],
        received_at=at(2026, 8, 1),
    )
    d = intake(parties=[party(id_number="11010519491231002X")], received_at=at(2026, 8, 2))
    assert not d.repeat_links.filter(earlier=other).exists()


class TestRiskRules:
    def rules(self, d):
        return {r["rule"]: r for r in d.risk_reasons}

    def test_group_dispute(self, world, intake):
        d = intake(people_count=5)
        assert d.risk_level == "high" and "涉及5人" in self.rules(d)["group"]["reason"]
        assert intake(people_count=4).risk_level == "low"

    def test_threat_of_extreme_acts(self, world, intake):
        d = intake(threat=True)
        assert d.risk_level == "major" and "过激" in self.rules(d)["threat"]["reason"]

    def test_vulnerable_register(self, world, intake):
        VulnerablePerson.objects.create(
            region=world.community_a,
            name="孤老甲（示例）",
            category="独居老人",
            phone="13900000077",
            phone_hash=keyed_hash("13900000077"),
        )
        d = intake(parties=[party(phone="13900000077")])
        assert d.risk_level == "high" and "孤老甲（示例）" in self.rules(d)["vulnerable"]["reason"]

    def test_three_disputes_of_same_party_within_90_days(self, world, intake):
        p = [party(phone="13900000055")]
        intake(received_at=at(2026, 6, 1), parties=p)
        second = intake(received_at=at(2026, 7, 1), parties=p)
        assert "repeat" not in self.rules(second)
        third = intake(received_at=at(2026, 8, 1), parties=p)
        assert third.risk_level == "high" and "含本起共3起" in self.rules(third)["repeat"]["reason"]

    def test_amount_over_threshold_and_district_setting(self, world, intake):
        assert intake(amount=Decimal("150000")).risk_level == "medium"
        RiskSettings.objects.create(
            region=world.district,
            amount=Decimal("200000"),
            group_people=3,
            sensitive_periods="2026-09-28 2026-10-08 国庆假期",
        )
        assert intake(amount=Decimal("150000")).risk_level == "low"
        assert intake(people_count=3).risk_level == "high"

    def test_sensitive_period(self, world, intake):
        RiskSettings.objects.create(region=world.street, sensitive_periods="2026-09-28 2026-10-08 国庆假期")
        d = intake(received_at=at(2026, 10, 2))
        assert d.risk_level == "medium" and "国庆假期" in self.rules(d)["sensitive"]["reason"]

    def test_manual_override_needs_reason(self, world, intake):
        from core.workflow import TransitionNotAllowed, transition

        d = intake()
        with pytest.raises(TransitionNotAllowed, match="须填写理由"):
            transition(
                d, "triage", by=world.users["justice"], data={"route": "community", "risk_override": "medium"}
            )
        d = transition(
            d,
            "triage",
            by=world.users["justice"],
            data={"route": "community", "risk_override": "medium", "override_reason": "当事人情绪激动"},
        )
        assert (d.risk_level, d.risk_override_reason) == ("medium", "当事人情绪激动")


PUBLIC_FORM = {
    "dispute_type": "property_mgmt",
    "address": "示例甲小区",
    "description": "物业长期不处理电梯故障（示例）",
    "amount": "",
    "people_count": "1",
    "p0_role": "applicant",
    "p0_kind": "person",
    "p0_name": "居民甲（示例）",
    "p0_phone": "13900000123",
    "p1_role": "respondent",
    "p1_kind": "organisation",
    "p1_name": "示例物业公司",
}


def test_public_intake_and_tracking(world, client):
    cache.clear()
    r = client.post("/public/disputes/new", {**PUBLIC_FORM, "community": world.community_a.pk})
    assert r.status_code == 200
    d = Dispute.objects.get()
    assert d.source == "online" and d.tracking_code in r.content.decode()
    track = client.get(f"/public/track/{d.tracking_code}").content.decode()
    assert "已登记" in track and "13900000123" not in track and "居民甲" not in track
    assert client.get("/public/track/NOSUCHCODE").status_code == 404


def test_public_intake_errors(world, client):
    r = client.post(
        "/public/disputes/new", {**PUBLIC_FORM, "community": world.community_a.pk, "p0_phone": ""}
    )
    assert r.status_code == 400 and "联系电话" in r.content.decode()
    assert Dispute.objects.count() == 0
    # The limits, the CAPTCHA and the proxy header: disputes/tests/test_public_limits.py


def test_staff_intake_page(world, client):
    client.force_login(world.users["mediator_a"])
    page = client.get("/disputes/new/").content.decode()
    assert "示例甲居民区" in page and "示例乙居民区" not in page
    r = client.post(
        "/disputes/new/", {**PUBLIC_FORM, "source": "grid_patrol", "community": world.community_a.pk}
    )
    assert r.status_code == 302
    d = Dispute.objects.get()
    assert r.url == f"/disputes/{d.pk}/" and d.created_by == world.users["mediator_a"]


def test_received_date_in_shanghai(world, intake):
    d = intake(received_at=dt.datetime(2026, 9, 30, 17, 0, tzinfo=dt.UTC))  # 01:00 on 10-01 in Shanghai
    assert d.number.startswith("TJ-990100001-2026-")
