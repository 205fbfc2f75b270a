import json

import pytest

from geo import RiverModel, load_reference
from geo.reference import DEFAULT_PATH


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def test_eighteen_units_with_official_codes(ref):
    codes = [v.code for v in ref.villages]
    assert len(codes) == len(set(codes)) == 18
    assert all(len(c) == 12 and c.isdigit() and c.startswith("331022003") for c in codes)
    names = {v.name for v in ref.villages}
    assert {"清溪社区", "书带看村", "沙柳村", "船帮里村"} <= names


def test_every_position_is_an_estimate(ref):
    assert all(v.approximate for v in ref.villages)
    assert all(v.confidence and v.basis for v in ref.villages)
    riverside = {v.name for v in ref.villages if v.riverside}
    assert {"书带看村", "沙柳村", "流源村", "船帮里村", "青叶村"} <= riverside
    assert "云溪村" not in riverside  # "unknown" in the estimates


def test_reach_runs_downstream_from_shudaikan(ref):
    model = RiverModel(ref.reach)
    assert model.length_m == pytest.approx(8300, abs=150)
    lon, lat = model.point_at_km(0)
    assert (lon, lat) == pytest.approx((121.342, 29.147), abs=1e-6)
    assert model.point_at_km(model.length_m / 1000) == pytest.approx((121.425, 29.159), abs=1e-6)


def test_context_lines_join_the_reach(ref):
    lines = {role: line for role, _, line in ref.context_lines}
    assert set(lines) == {"upstream", "tidal"}
    assert lines["upstream"].coords[-1] == ref.reach.coords[0]
    assert lines["tidal"].coords[0] == ref.reach.coords[-1]


def test_shipped_file_is_marked_schematic():
    features = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))["features"]
    lines = [f["properties"] for f in features if f["geometry"]["type"] == "LineString"]
    assert sorted(p["role"] for p in lines) == ["reach", "tidal", "upstream"]
    assert all(p["schematic"] is True and p["source"] for p in lines)


def test_a_file_without_a_reach_is_refused(tmp_path):
    path = tmp_path / "no_reach.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    with pytest.raises(ValueError, match="reach"):
        load_reference(path)
