"""Replacing the river geometry: reports are re-placed; a bad file changes nothing."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import places_queries
from db.models import Report, RiverVersion, Village
from geo.importer import GeoImportError
from qingxi.core import places
from qingxi.ops import demo

ROOT = Path(__file__).resolve().parents[2]


def _shifted_reach(session, dlat: float) -> list[list[float]]:
    return [[x, y + dlat] for x, y in places.reach_line(session).coords]


def _write(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _line(coords) -> dict:
    return {"type": "Feature", "properties": {"name": "surveyed"}, "geometry": {"type": "LineString", "coordinates": coords}}


def _snapshot(session) -> list[tuple]:
    rows = session.execute(select(Report.code, Report.river_km, Report.distance_m, Report.bank,
                                  Report.village_id, Report.off_river).order_by(Report.code))
    return [tuple(r) for r in rows] + [session.scalar(select(func.count()).select_from(RiverVersion))]


@pytest.fixture
def with_reports(session, tmp_path):
    places.install_reference(session)
    demo.load_demo(session, tmp_path / "photos", count=30)
    session.flush()
    return session


def test_import_replaces_line_and_villages_and_relocates_reports(with_reports, tmp_path):
    s = with_reports
    before = {code: km for code, km in s.execute(select(Report.code, Report.river_km))}
    surveyed = _shifted_reach(s, 0.0009)  # ~100 m north
    village = {"type": "Feature", "properties": {"code": "331022003204", "name": "沙柳村"},
               "geometry": {"type": "Point", "coordinates": [121.3990, 29.1500]}}
    summary = places.import_geometry(s, _write(tmp_path / "survey.geojson", [_line(surveyed), village]))
    assert summary["reports"] == 30 and summary["villages_updated"] == 1
    assert list(map(list, places.reach_line(s).coords)) == surveyed
    assert len(places_queries.current_river(s).lines) == 3  # upstream and tidal context kept
    shaliu = s.scalars(select(Village).where(Village.code == "331022003204")).one()
    assert (shaliu.approximate, shaliu.lon, shaliu.lat) == (False, 121.399, 29.15)
    after = {code: (km, d) for code, km, d in s.execute(select(Report.code, Report.river_km, Report.distance_m))}
    assert after.keys() == before.keys()
    assert any(after[c][0] != before[c] for c in before)
    model = places.model(s)
    for code, lon, lat in s.execute(select(Report.code, Report.lon, Report.lat)):
        assert after[code][1] == pytest.approx(model.locate_one(lon, lat).distance_m, abs=1e-6)


@pytest.mark.parametrize("features, key", [
    ([{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[121.35, 29.14], [121.36, 29.14], [121.36, 29.15], [121.35, 29.14]]]}}], "wrong_geometry"),
    ([], "empty"),
    ("far", "too_far"),
    ("reversed", "reversed"),
])
def test_bad_files_change_nothing(with_reports, tmp_path, features, key):
    s = with_reports
    if features == "far":
        features = [_line(_shifted_reach(s, 0.05))]  # ~5.5 km away
    elif features == "reversed":
        features = [_line(_shifted_reach(s, 0.0)[::-1])]
    before = _snapshot(s)
    with pytest.raises(GeoImportError) as err:
        places.import_geometry(s, _write(tmp_path / "bad.geojson", features))
    assert err.value.key == key
    assert _snapshot(s) == before


def test_reverse_flag_accepts_a_line_drawn_downstream_up(with_reports, tmp_path):
    s = with_reports
    coords = _shifted_reach(s, 0.0002)
    places.import_geometry(s, _write(tmp_path / "rev.geojson", [_line(coords[::-1])]), reverse=True)
    assert list(map(list, places.reach_line(s).coords)) == coords


def test_cli_reports_errors_in_the_users_language(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "QINGXI_PHOTO_DIR": str(tmp_path / "p"),
           "PATH": "/usr/bin:/bin", "CI": "true"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "qingxi", *args], cwd=ROOT, env=env,  # noqa: E731
                                       capture_output=True, text=True)
    assert run("setup").returncode == 0
    bad = tmp_path / "broken.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    zh, en = run("import-geo", str(bad)), run("import-geo", str(bad), "--lang", "en")
    assert zh.returncode == en.returncode == 2
    assert "Traceback" not in zh.stderr + en.stderr
    assert zh.stderr.strip() and en.stderr.strip() and zh.stderr != en.stderr
    good = _write(tmp_path / "good.geojson", [_line([[121.342, 29.1472], [121.38, 29.1482], [121.425, 29.1592]])])
    ok = run("import-geo", str(good), "--lang", "en")
    assert ok.returncode == 0 and "Imported" in ok.stdout
