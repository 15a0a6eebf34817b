"""The dashboard in a real browser: street and district views, charts drawn, tile map then GeoJSON map."""

from __future__ import annotations

import json

import pytest

from core.demo import DEMO_PASSWORD, load_demo
from core.models import Region
from core.tests.browser import login
from disputes.demo import generate_street_year
from disputes.taxonomy import seed_dispute_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _charts_drawn(page, ids):
    for chart_id in ids:
        page.wait_for_selector(f"#{chart_id} canvas")
        box = page.locator(f"#{chart_id} canvas").first.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, chart_id


def test_dashboard_street_and_district(live_server, page, tmp_path):
    load_demo()
    seed_dispute_types()
    street = Region.objects.get(code="990100001")
    generate_street_year(street, seed=7, count=60)
    base = live_server.url
    from django.utils import timezone

    from disputes.models import Dispute

    year_start = timezone.localtime().replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    this_year = Dispute.objects.filter(received_at__gte=year_start).count()

    login(page, base, "demo-justice", DEMO_PASSWORD)
    page.goto(f"{base}/dashboard/")
    tiles = page.get_by_test_id("tiles")
    assert tiles.locator('[data-code="disputes.received"] .n').inner_text() == f"{this_year} 件"
    assert page.get_by_test_id("map").get_attribute("data-mode") == "tiles"
    _charts_drawn(page, ["chart-trend", "chart-types", "chart-map"])
    assert page.get_by_test_id("by-child").locator("tbody tr").count() == 39
    page.select_option("#measure", "open")  # recolour by another measure without a reload
    # Upload a GeoJSON for two communities: the map switches to it.
    communities = list(Region.objects.filter(parent=street).order_by("code")[:2])
    features = [
        {
            "type": "Feature",
            "properties": {"name": c.name},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[i, 0], [i + 1, 0], [i + 1, 1], [i, 1], [i, 0]]],
            },
        }
        for i, c in enumerate(communities)
    ]
    path = tmp_path / "map.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    page.click("[data-testid=map-upload] summary")
    page.set_input_files("input[name=geojson]", str(path))
    with page.expect_navigation():
        page.click("[data-testid=map-upload] button")
    assert "已上传底图；底图未绘出" in page.locator(".messages").inner_text()
    assert page.get_by_test_id("map").get_attribute("data-mode") == "geojson"
    _charts_drawn(page, ["chart-map"])
    # Wall-screen mode on a 1920 × 1080 screen: the whole screen, no menu, no filters, no scrolling; every chart
    # drawn, the status colours kept, and it refreshes itself.
    page.set_viewport_size({"width": 1920, "height": 1080})
    with page.expect_navigation():
        page.click("text=大屏模式")
    board = page.locator(".dashboard.wall")
    assert board.is_visible() and board.get_attribute("data-refresh") == "300"
    assert (
        not page.locator(".topbar").is_visible()
        and page.locator("form.period, .no-wall:visible").count() == 0
    )
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _charts_drawn(page, ["chart-trend", "chart-types", "chart-map"])
    colours = page.evaluate(
        """() => [...document.querySelectorAll('.ind-tile')].map(t => [t.className, getComputedStyle(t).borderTopColor])"""
    )
    met = {c for cls, c in colours if "ind-met" in cls}
    not_met = {c for cls, c in colours if "ind-not_met" in cls}
    assert met and not_met and met.isdisjoint(not_met), colours
    # Rotation: one panel at a time, the whole grid's size, still without scrolling; → moves on by hand
    with page.expect_navigation():
        page.click("text=轮播")
    assert page.locator(".dashboard.wall").get_attribute("data-rotate") == "20"
    panels = page.locator(".dash-grid > .card").count()
    shown = page.locator(".dash-grid > .card:visible")
    assert panels >= 5 and shown.count() == 1
    first = shown.first.locator("h2").inner_text()
    note = page.locator("[data-rotation-note]").inner_text()
    at = int(note.split("第 ")[1].split(" /")[0])
    assert f"第 {at} / {panels} 屏" in note
    page.keyboard.press("ArrowRight")
    assert page.locator(".dash-grid > .card:visible").count() == 1
    assert page.locator(".dash-grid > .card:visible h2").inner_text() != first
    # (the clock may have turned a panel meanwhile as well: the panel is another one, whichever)
    assert f"第 {at} / {panels} 屏" not in page.locator("[data-rotation-note]").inner_text()
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    with page.expect_navigation():
        page.click("text=全部同显")
    assert page.locator(".dash-grid > .card:visible").count() == panels
    page.click("text=退出大屏")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("form[action='/logout/'] button")

    login(page, base, "demo-district", DEMO_PASSWORD)
    page.goto(f"{base}/dashboard/?rank=disputes.received")
    ranking = page.get_by_test_id("ranking")
    rows = ranking.locator("tbody tr")
    assert rows.count() == 2
    assert rows.first.locator("td").nth(1).inner_text() == "示例街道"
    assert rows.first.locator("td").nth(2).inner_text() == f"{this_year} 件"
    assert rows.nth(1).locator("td").nth(2).inner_text() == "0 件"
    _charts_drawn(page, ["chart-trend", "chart-map"])
    assert page.get_by_test_id("by-child").locator("tbody tr").count() == 2
