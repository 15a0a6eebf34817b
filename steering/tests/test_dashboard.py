"""The dashboard: figures against the hand-counted September, the district ranking, the map, scoping."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from disputes.tests.conftest import intake  # noqa: F401
from disputes.tests.test_stats import september  # noqa: F401
from steering.models import RegionMap

SEPT = "from=2026-09-01&to=2026-09-30"


def _square(name, x):
    ring = [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_street_dashboard_figures(world, client, september):  # noqa: F811
    client.force_login(world.users["justice"])
    data = client.get(f"/api/v1/dashboard?region={world.street.pk}&{SEPT}").json()
    assert data["months"] == [
        {"month": "2026-09", "received": 4, "success": 2, "failure": 1, "success_rate": 66.67}
    ]
    tiles = {t["code"]: t for t in data["tiles"]}
    assert (
        tiles["disputes.success_rate"]["value"] == "66.67%"
        and tiles["disputes.success_rate"]["status"] == "not_met"
    )
    assert tiles["disputes.received"]["value"] == "4"
    assert {c["name"]: (c["received"], c["open"], c["overdue"]) for c in data["by_child"]} == {
        "示例甲居民区": (2, 1, 1),  # d1, d3 received; d5 (August) is open and overdue
        "示例乙居民区": (2, 1, 1),  # d2, d4; d4 open, never triaged: its 研判 (1 working day) is overdue
    }
    assert {t["name"]: t["count"] for t in data["by_type"]} == {"邻里": 2, "物业": 1, "劳动争议": 1}
    assert sum(r["overdue"] for r in data["overdue_by_unit"]) >= 1
    assert data["ranking"]["rows"] == [] and data["map"]["uploaded"] is False


def test_district_ranks_its_streets_and_a_street_sees_only_itself(world, client, september):  # noqa: F811
    client.force_login(world.users["district"])
    data = client.get(f"/api/v1/dashboard?region={world.district.pk}&{SEPT}").json()
    assert {c["name"]: c["received"] for c in data["by_child"]} == {"示例街道": 4, "示例二街道": 1}
    rows = client.get(
        f"/api/v1/indicators/disputes.received/ranking?region={world.district.pk}&{SEPT}"
    ).json()["rows"]
    assert [(r["rank"], r["region"]["name"], r["value"]) for r in rows] == [
        (1, "示例街道", 4.0),
        (2, "示例二街道", 1.0),
    ]
    rows = client.get(
        f"/api/v1/indicators/disputes.escalation_rate/ranking?region={world.district.pk}&{SEPT}"
    ).json()["rows"]
    # Lower is better for 出街镇率: 示例二街道 has 0%, 示例街道 25%.
    assert [(r["rank"], r["region"]["name"], r["value"]) for r in rows] == [
        (1, "示例二街道", 0.0),
        (2, "示例街道", 25.0),
    ]
    page = client.get(
        f"/dashboard/?region={world.district.pk}&{SEPT}&rank=disputes.received"
    ).content.decode()
    assert 'data-testid="ranking"' in page and "街镇排名：受理矛盾纠纷数" in page
    client.force_login(world.users["other"])
    assert client.get(f"/api/v1/dashboard?region={world.district.pk}&{SEPT}").status_code == 404
    assert client.get(f"/dashboard/?region={world.street.pk}&{SEPT}").status_code == 404
    own = client.get(f"/api/v1/dashboard?{SEPT}").json()
    assert own["region"]["name"] == "示例二街道"


def test_geojson_map_upload(world, client):
    client.force_login(world.users["justice"])
    url = f"/dashboard/?region={world.street.pk}"
    bad = SimpleUploadedFile("map.geojson", b"{not json", content_type="application/geo+json")
    text = client.post(url, {"geojson": bad, "name_property": "name"}, follow=True).content.decode()
    assert "GeoJSON 底图文件：文件不是有效的 GeoJSON" in text and not RegionMap.objects.exists()
    wrong = {"type": "FeatureCollection", "features": [_square("别处", 0)]}
    upload = SimpleUploadedFile(
        "map.geojson", json.dumps(wrong).encode(), content_type="application/geo+json"
    )
    text = client.post(url, {"geojson": upload, "name_property": "name"}, follow=True).content.decode()
    assert "要素名称与示例街道的下级区域名称都不相符" in text
    good = {"type": "FeatureCollection", "features": [_square("示例甲居民区", 0)]}
    upload = SimpleUploadedFile("map.geojson", json.dumps(good).encode(), content_type="application/geo+json")
    text = client.post(url, {"geojson": upload, "name_property": "name"}, follow=True).content.decode()
    assert "已上传底图；底图未绘出：示例乙居民区" in text
    assert 'data-mode="geojson"' in text
    client.force_login(world.users["officer"])
    upload = SimpleUploadedFile("map.geojson", json.dumps(good).encode(), content_type="application/geo+json")
    text = client.post(url, {"geojson": upload, "name_property": "name"}, follow=True).content.decode()
    assert "不能上传驾驶舱底图" in text
