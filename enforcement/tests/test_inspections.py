"""Random inspections (双随机一公开): a draw reproducible from its recorded seed, certified officers only, results
recorded and published, and a subject's register flagging another unit's inspection within 30 days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core import services as core_services
from core.audit.timeline import timeline_of
from core.models.regions import UnitKind
from enforcement import inspections
from enforcement.models import Inspection

D = dt.date


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(D(2026, 11, 30))


@pytest.fixture
def register(enf, world):
    return [
        inspections.subject_save(
            by=enf.officer, region=world.street, name=f"示例商铺{n}", kind="shop", address=f"示例路{n}号"
        )
        for n in range(1, 9)
    ]


def test_the_draw_is_reproducible_from_its_seed(register):
    ids = [s.pk for s in register]
    first = inspections.draw(ids, [11, 12, 13], 3, seed=20261130)
    assert first == inspections.draw(
        list(reversed(ids)), [13, 11, 12], 3, seed=20261130
    )  # order of input ignored
    assert len({s for s, _ in first}) == 3 and all(len(set(o)) == 2 for _, o in first)
    assert inspections.draw(ids, [11, 12, 13], 3, seed=1) != first


def test_a_plan_draws_subjects_and_certified_officers_and_records_the_seed(enf, world, register):
    plan = inspections.plan_create(
        by=enf.officer,
        region=world.street,
        item_id=enf.items["stall"].pk,
        title="沿街商铺跨门经营专项抽查",
        sample_size=3,
        planned_on=D(2026, 11, 20),
    )
    drawn = inspections.plan_draw(by=enf.officer, plan=plan, seed=424242)
    plan.refresh_from_db()
    assert plan.seed == 424242 and len(drawn) == 3
    officers = {p.pk for i in drawn for p in i.officers.all()}
    assert enf.people["zhao"].pk not in officers  # his certificate ended in 2025
    event = timeline_of(plan).get(action="draw")
    again = inspections.draw(event.data["subjects"], event.data["officers"], 3, event.data["seed"])
    assert [[s, o] for s, o in again] == event.data["result"]  # anyone can check the draw
    assert sorted(i.subject_id for i in drawn) == sorted(s for s, _ in again)
    with pytest.raises(ValidationError) as exc:
        inspections.plan_draw(by=enf.officer, plan=plan)
    assert "不能重新抽取" in exc.value.message_dict["seed"][0]
    # Published only once every result is in
    with pytest.raises(ValidationError) as exc:
        inspections.plan_publish(by=enf.officer, plan=plan, published_on=D(2026, 11, 27))
    assert "还有3个检查对象未登记检查结果" in exc.value.message_dict["published_on"][0]
    for inspection in drawn:
        inspections.inspection_record(
            by=enf.officer, inspection=inspection, inspected_on=D(2026, 11, 20), result="compliant"
        )
    assert inspections.plan_publish(
        by=enf.officer, plan=plan, published_on=D(2026, 11, 27)
    ).published_on == D(2026, 11, 27)


def test_too_many_subjects_or_too_few_officers_are_refused(enf, world, register):
    with pytest.raises(ValidationError) as exc:
        inspections.plan_create(
            by=enf.officer,
            region=world.street,
            item_id=enf.items["stall"].pk,
            title="抽查",
            sample_size=9,
            planned_on=D(2026, 11, 20),
        )
    assert "不能超过名录中在册的检查对象数（8个）" in exc.value.message_dict["sample_size"][0]
    plan = inspections.plan_create(
        by=enf.officer,
        region=world.street,
        item_id=enf.items["stall"].pk,
        title="抽查",
        sample_size=2,
        planned_on=D(2029, 3, 1),
    )
    with pytest.raises(ValidationError) as exc:
        inspections.plan_draw(by=enf.officer, plan=plan)
    assert "持有有效执法证的执法人员不足2人" in exc.value.message_dict["seed"][0]


def test_a_subject_inspected_by_two_units_within_30_days_is_flagged(enf, world, register):
    shop = register[0]
    market = core_services.unit_create(
        name="示例市场监管所", kind=UnitKind.MARKET_REGULATION, region=world.street, by=None
    )
    Inspection.objects.create(
        subject=shop, unit=world.units["enforcement"], inspected_on=D(2026, 11, 2), result="compliant"
    )
    assert inspections.repeat_warnings(shop) == []
    Inspection.objects.create(subject=shop, unit=market, inspected_on=D(2026, 11, 20), result="compliant")
    (warning,) = inspections.repeat_warnings(shop)
    assert "示例市场监管所" in warning and "仅18日" in warning and "避免重复检查" in warning


def test_a_plan_through_its_pages(enf, world, register, client_for):
    client = client_for(world.users["officer"])
    r = client.post(
        "/enforcement/inspections/",
        {
            "region": world.street.pk,
            "item": enf.items["stall"].pk,
            "title": "跨门经营抽查",
            "sample_size": 2,
            "planned_on": "2026-11-20",
        },
    )
    assert r.status_code == 302
    plan_url = r["Location"]
    client.post(plan_url, {"op": "draw"})
    page = client.get(plan_url).content.decode()
    assert 'data-testid="seed"' in page and "随机抽取：随机种子" in page
    drawn = list(Inspection.objects.filter(plan__isnull=False))
    assert len(drawn) == 2
    client.post(plan_url, {"op": "publish", "published_on": "2026-11-27"})
    assert "还有2个检查对象未登记检查结果" in client.get(plan_url).content.decode()
    for inspection in drawn:
        client.post(
            plan_url,
            {
                "op": "record",
                "inspection": inspection.pk,
                "inspected_on": "2026-11-20",
                "result": "corrected",
                "finding": "跨门经营，已责令改正",
            },
        )
    client.post(plan_url, {"op": "publish", "published_on": "2026-11-27"})
    page = client.get(plan_url).content.decode()
    table = page.split('data-testid="inspections"')[1].split("</table>")[0]
    assert "结果已于 2026-11-27 公开" in page and table.count("发现问题，责令改正：跨门经营，已责令改正") == 2
    register_page = client.get(drawn[0].subject.get_absolute_url()).content.decode()
    assert "跨门经营抽查" in register_page and "共 1 次检查" in register_page
    # Another street sees none of it
    assert client_for(world.users["other"]).get(plan_url).status_code == 404
