import json
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select, update

from db.engine import engine_for, session_scope
from db.models import Report
from qingxi.core import i18n, settings
from qingxi.reports import public
from tests.pages.conftest import open_app, open_page


def deck_of(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def layer(at, layer_id: str) -> dict:
    return next(layer for layer in deck_of(at)["layers"] if layer["id"] == layer_id)


def demo_session():
    return session_scope(engine_for(settings.current().database_url))


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
    assert all(isinstance(point["id"], int) for point in layers["reports"]["data"])  # never the tracking code


def test_map_is_offline_by_default_and_never_shows_personal_data(demo_db):
    at = open_page(open_app("zh"), "map")
    raw = at.get("deck_gl_json_chart")[0].proto.json
    deck = json.loads(raw)
    assert deck.get("mapProvider") is None
    assert "http" not in raw  # nothing to fetch from outside
    assert "1380000" not in raw and "演示村民" not in raw  # demo phones and names stay private
    assert "演示数据" not in raw  # nor the reporters' own descriptions
    with demo_session() as s:
        codes = s.scalars(select(Report.code)).all()
    assert not any(f'"{code}"' in raw for code in codes)  # a tracking code lets its holder act on a report


def test_configured_tiles_become_the_basemap(demo_db, monkeypatch):
    monkeypatch.setenv("QINGXI_TILE_URL", "http://tiles.local/{z}/{x}/{y}.png")
    settings.current.cache_clear()
    deck = deck_of(open_page(open_app("zh"), "map"))
    assert deck["mapProvider"] == "carto"
    assert "tiles.local" in deck["mapStyle"]


def test_hidden_reports_never_appear(demo_db):
    with demo_session() as s:
        s.execute(update(Report).values(hidden=True))
    at = open_page(open_app("zh"), "map")
    assert layer(at, "reports")["data"] == []
    assert at.caption[-1].value == "暂无问题上报。"


def _count(*where) -> int:
    with demo_session() as s:
        return s.scalar(select(func.count()).select_from(Report).where(*where))


def test_filters_narrow_the_points(demo_db):
    at = open_page(open_app("zh"), "map")
    at.multiselect(key="map_categories").set_value(["sewage"]).run()
    points = layer(at, "reports")["data"]
    assert 0 < len(points) == _count(Report.category == "sewage") < 80
    assert all(p["tip"].startswith("排污口排水") for p in points)
    at.multiselect(key="map_categories").set_value([]).run()

    at.button_group(key="map_kinds").set_value(["fixed"]).run()
    assert {p["kind"] for p in layer(at, "reports")["data"]} == {"fixed"}
    at.button_group(key="map_kinds").set_value([]).run()

    today = datetime.now(settings.current().timezone).date()
    at.date_input(key="map_dates").set_value((today - timedelta(days=29), today)).run()
    since = datetime.combine(today - timedelta(days=29), time.min, settings.current().timezone)
    assert 0 < len(layer(at, "reports")["data"]) == _count(Report.created_at >= since) < 80
    at.date_input(key="map_dates").set_value(()).run()

    at.slider(key="map_km").set_value((1.0, 2.0)).run()
    assert 0 < len(layer(at, "reports")["data"]) == _count(Report.river_km.between(1.0, 2.0)) < 80
    at.slider(key="map_km").set_value((0.0, 0.0)).run()
    assert layer(at, "reports")["data"] == []
    assert at.caption[-1].value == "没有符合筛选条件的问题上报。"


def test_above_the_point_limit_the_map_shows_counted_cells(demo_db, monkeypatch):
    monkeypatch.setattr(public, "POINT_LIMIT", 10)
    at = open_page(open_app("en"), "map")
    assert not at.exception
    layers = {layer["id"]: layer for layer in deck_of(at)["layers"]}
    assert "reports" not in layers and {"report-cells", "report-counts"} <= set(layers)
    cells = layers["report-cells"]["data"]
    assert sum(cell["n"] for cell in cells) == 80 and len(cells) < 80
    assert all("id" not in cell for cell in cells)
    assert "grouped into cells" in at.info[0].value


def test_a_picked_report_shows_its_card(demo_db):
    at = open_page(open_app("en"), "map")
    point = layer(at, "reports")["data"][0]
    # AppTest cannot click the deck; the selection goes in as the browser would send it.
    at.session_state["river_map"] = {"selection": {"indices": {"reports": [0]},
                                                   "objects": {"reports": [{"id": point["id"]}]}}}
    at.run()
    assert not at.exception
    with demo_session() as s:
        r = s.get(Report, point["id"])
        category, state, supporters = r.category, r.state, r.supporters
        village = r.village.name if r.village else "unknown village"
    assert at.subheader[0].value == i18n.t(f"category.{category}", "en")
    words = [text.value for text in at.text]
    assert words[0].startswith(i18n.t(f"state.{state}", "en") + " · ") and words[0].endswith(" ago")
    assert words[1].startswith(village)
    assert words[2] == f"{supporters} supporters"
    assert len(at.get("image")) == 1  # the demo photo's thumbnail


def test_a_hidden_or_forged_pick_shows_no_card(demo_db):
    with demo_session() as s:
        hidden = s.scalars(select(Report.id).limit(1)).one()
        s.execute(update(Report).where(Report.id == hidden).values(hidden=True))
    at = open_page(open_app("zh"), "map")
    for forged in (hidden, "ABC234", None):
        at.session_state["river_map"] = {"selection": {"indices": {}, "objects": {"reports": [{"id": forged}]}}}
        at.run()
        assert not at.exception and not at.subheader


def test_the_villages_on_the_map_are_coloured_by_pledge_coverage(demo_db, sign_in_as):
    """Issue 18: the villages on /map carry their pledge coverage (fill colour and tooltip) with a
    legend, and the map still needs no basemap."""
    from qingxi import pledge
    from tests.support.people import VILLAGE  # 沙柳村

    staff = sign_in_as("staff", "boss")
    engine = engine_for(settings.current().database_url)
    pledge.set_households(engine, staff, VILLAGE, 10)

    def shalu(at) -> dict:
        return next(v for v in layer(at, "villages")["data"] if v["code"] == VILLAGE)

    at = open_page(open_app("zh"), "map")
    assert not at.exception
    before = shalu(at)
    assert before["share"] == 0 and "沙柳村：0 户已签（0%）" in before["tip"]
    unset = next(v for v in layer(at, "villages")["data"] if v["code"] != VILLAGE)
    assert unset["share"] is None and unset["fill"][:3] == [150, 150, 150]  # no household count: grey
    assert any("签名户占比着色" in c.value for c in at.caption)  # the legend
    assert len(at.get("vega_lite_chart")) == 1  # ... and its swatches
    pledge.sign(engine, VILLAGE, 3, "13800000077")
    at = open_page(open_app("zh"), "map")
    after = shalu(at)
    assert after["share"] == 0.1 and "沙柳村：1 户已签（10%）" in after["tip"]
    assert after["fill"] != before["fill"]  # deeper green
    raw = at.get("deck_gl_json_chart")[0].proto.json
    assert json.loads(raw).get("mapProvider") is None and "http" not in raw and "13800000077" not in raw
