import json

import pytest

from qingxi import settings
from tests.pages.conftest import open_app, open_page


def deck_of(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


@pytest.mark.parametrize("lang, title", [("zh", "清溪沙柳段地图"), ("en", "The Qingxi, Shaliu reach")])
def test_map_in_both_languages(demo_db, lang, title):
    at = open_page(open_app(lang), "map")
    assert not at.exception
    assert at.title[0].value == title
    deck = deck_of(at)
    layers = {layer["id"]: layer for layer in deck["layers"]}
    assert set(layers) == {"river", "villages", "village-labels", "reports"}
    assert {line["role"] for line in layers["river"]["data"]} == {"upstream", "reach", "tidal"}
    labels = [v["label"] for v in layers["village-labels"]["data"]]
    assert len(labels) == 18
    approx = "（示意）" if lang == "zh" else "(approx.)"
    assert all(approx in label for label in labels)  # estimated positions are marked
    assert layers["village-labels"]["characterSet"] == "auto"  # CJK glyphs are generated
    assert len(layers["reports"]["data"]) == 80


def test_map_is_offline_by_default_and_never_shows_personal_data(demo_db):
    at = open_page(open_app("zh"), "map")
    raw = at.get("deck_gl_json_chart")[0].proto.json
    deck = json.loads(raw)
    assert deck.get("mapProvider") is None
    assert "http" not in raw  # nothing to fetch from outside
    assert "1380000" not in raw and "演示村民" not in raw  # demo phones and names stay private


def test_configured_tiles_become_the_basemap(demo_db, monkeypatch):
    monkeypatch.setenv("QINGXI_TILE_URL", "http://tiles.local/{z}/{x}/{y}.png")
    settings.current.cache_clear()
    deck = deck_of(open_page(open_app("zh"), "map"))
    assert deck["mapProvider"] == "carto"
    assert "tiles.local" in deck["mapStyle"]


def test_hidden_reports_never_appear(demo_db):
    from sqlalchemy import update

    from db.engine import engine_for, session_scope
    from db.models import Report

    with session_scope(engine_for(settings.current().database_url)) as s:
        s.execute(update(Report).values(hidden=True))
    at = open_page(open_app("zh"), "map")
    reports = next(layer for layer in deck_of(at)["layers"] if layer["id"] == "reports")
    assert reports["data"] == []
    assert at.caption[-1].value == "暂无问题上报。"
