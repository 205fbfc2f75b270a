import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer

import geo.river
from geo import BANK_LEFT, BANK_RIGHT, RiverModel, load_reference

TO_GRID = Transformer.from_crs(4326, 4549, always_xy=True)
TO_LONLAT = Transformer.from_crs(4549, 4326, always_xy=True)
REF = load_reference()
VILLAGES = [(v.code, v.lon, v.lat) for v in REF.villages]


@pytest.fixture(scope="module", params=["scan", "kd-tree"])
def line(request):
    # The 5-segment shipped reach is scanned whole; cut into ~50 m pieces it takes the KD-tree path.
    return REF.reach if request.param == "scan" else shapely.segmentize(REF.reach, 0.0005)


@pytest.fixture(scope="module")
def model(line):
    return RiverModel(line, VILLAGES)


def grid_xy(line):
    return TO_GRID.transform(*np.asarray(line.coords).T)


def offset_point(model, km, metres):
    """lon/lat of the point `metres` to the left (negative: right) of the reach at river km."""
    (x0, x1), (y0, y1) = TO_GRID.transform(*model.point_at_km([km - 0.001, km + 0.001]))
    ux, uy = np.array([x1 - x0, y1 - y0]) / np.hypot(x1 - x0, y1 - y0)
    x, y = TO_GRID.transform(*model.point_at_km(km))
    return TO_LONLAT.transform(x - uy * metres, y + ux * metres)


def meander(n, length_m, swing, wavelength_m):
    """A sine-generated meander near Shaliu, n vertices, in lon/lat."""
    step = length_m / (n - 1)
    s = (np.arange(n - 1) + 0.5) * step
    heading = 0.3 + swing * np.sin(2 * np.pi * s / wavelength_m)
    xy = np.vstack([[0, 0], np.cumsum(step * np.column_stack([np.cos(heading), np.sin(heading)]), axis=0)])
    x0, y0 = TO_GRID.transform(121.4, 29.15)
    return shapely.LineString(np.column_stack(TO_LONLAT.transform(xy[:, 0] + x0, xy[:, 1] + y0)))


def assert_exact(model, line_lonlat, lon, lat, tol_m=0.01):
    """Distance (all points) and river km (in-service points) match shapely's exact answers."""
    line = shapely.LineString(np.column_stack(grid_xy(line_lonlat)))
    pts = shapely.points(np.column_stack(TO_GRID.transform(lon, lat)))
    got = model.locate(lon, lat)
    want = shapely.distance(line, pts)
    np.testing.assert_allclose(got.distance_m, want, rtol=0, atol=tol_m)
    served = want <= model.service_m
    np.testing.assert_array_equal(got.in_service, served)
    np.testing.assert_allclose(got.river_km[served] * 1000, shapely.line_locate_point(line, pts[served]),
                               rtol=0, atol=tol_m)
    assert np.isnan(got.river_km[~served]).all()
    return got


def test_point_on_the_line_returns_its_km(model):
    for km in (0.0, 1.234, 4.0, 7.9, model.length_m / 1000):
        r = model.locate_one(*model.point_at_km(km))
        assert r.river_km == pytest.approx(km, abs=0.001)
        assert r.distance_m < 1e-6
        assert r.bank == "on" and r.in_service


@pytest.mark.parametrize("km", [0.5, 3.3, 6.2, 7.7])
def test_fifty_metres_off_either_bank(model, km):
    left = model.locate(*offset_point(model, km, 50))
    right = model.locate(*offset_point(model, km, -50))
    for r, bank in ((left, BANK_LEFT), (right, BANK_RIGHT)):
        assert r.distance_m[0] == pytest.approx(50, abs=1)
        assert r.river_km[0] == pytest.approx(km, abs=0.001)
        assert r.bank[0] == bank and r.in_service[0]
    assert model.locate_one(*offset_point(model, km, 50)).bank == "left"


def test_five_km_away_is_off_river(model):
    for lon, lat in (offset_point(model, 4.0, 5000), offset_point(model, 4.0, -5000)):
        r = model.locate_one(lon, lat)
        assert r.river_km is None and not r.in_service
        assert r.distance_m == pytest.approx(5000, abs=5)


def test_beyond_the_downstream_end_is_not_clamped(line, model):
    (x0, x1), (y0, y1) = TO_GRID.transform(*np.asarray(line.coords[-2:]).T)
    u = np.array([x1 - x0, y1 - y0]) / np.hypot(x1 - x0, y1 - y0)
    for metres, in_service in ((5000, False), (500, True)):
        r = model.locate_one(*TO_LONLAT.transform(x1 + u[0] * metres, y1 + u[1] * metres))
        assert r.distance_m == pytest.approx(metres, abs=0.01)
        assert r.in_service is in_service
        assert r.river_km == (pytest.approx(model.length_m / 1000, abs=1e-6) if in_service else None)


def test_non_finite_input_gives_nan_not_an_error(model):
    r = model.locate([np.nan, np.inf, 121.4, 121.4], [29.15, 29.15, np.nan, 29.15])
    assert np.isnan(r.distance_m[:3]).all() and np.isfinite(r.distance_m[3])
    assert not r.in_service[:3].any() and np.isnan(r.river_km[:3]).all()
    assert list(r.village_code[:3]) == ["", "", ""] and r.village_code[3]
    one = model.locate_one(float("nan"), 29.15)
    assert one.river_km is None and not one.in_service and np.isnan(one.distance_m)


def test_result_types(model):
    r = model.locate(121.4, 29.15)  # scalars become length-1 arrays
    assert [a.dtype for a in (r.river_km, r.distance_m, r.bank, r.in_service)] == [
        np.float64, np.float64, np.int8, np.bool_]
    assert r.village_code.dtype == object and len(r.village_code) == 1
    assert len(model.locate([], []).distance_m) == 0


def test_100k_points_match_shapely(line, model):
    gx, gy = grid_xy(line)
    rng = np.random.default_rng(7)
    x = rng.uniform(gx.min() - 1500, gx.max() + 1500, 100_000)
    y = rng.uniform(gy.min() - 1500, gy.max() + 1500, 100_000)
    got = assert_exact(model, line, *TO_LONLAT.transform(x, y))
    assert 0.2 < got.in_service.mean() < 0.8  # the box really straddles the service edge


def test_candidates_every_100_m(model):
    c = model.candidates()
    assert list(c.columns) == ["km", "lon", "lat", "village_code"]
    assert c.km.iloc[0] == 0 and c.km.iloc[-1] == pytest.approx(model.length_m / 1000)
    steps = np.diff(c.km)
    assert (steps > 0).all() and np.allclose(steps[:-1], 0.1) and steps[-1] <= 0.1 + 1e-9
    back = model.locate(c.lon, c.lat)  # each candidate lies on the line at its own km
    np.testing.assert_allclose(back.river_km, c.km, atol=1e-6)
    assert c.village_code.iloc[0] == "331022003221"  # 书带看 at km 0
    assert c.village_code.iloc[-1] == "331022003305"  # 船帮里 at the 将军山 end


def test_point_at_km_is_vectorised_and_bounded(model):
    lon, lat = model.point_at_km(np.array([[0.0, 1.0], [-0.5, 99.0]]))
    assert lon.shape == (2, 2) and np.isfinite(lon[0]).all() and np.isnan(lat[1]).all()


def test_nearest_village(model):
    shaliu = next(v for v in REF.villages if v.name == "沙柳村")
    assert model.locate_one(shaliu.lon, shaliu.lat).village_code == shaliu.code
    assert RiverModel(REF.reach).locate_one(shaliu.lon, shaliu.lat).village_code == ""


def test_degenerate_lines():
    with pytest.raises(ValueError):
        RiverModel(shapely.LineString([(121.4, 29.15), (121.4, 29.15)]))
    repeated = RiverModel(shapely.LineString([(121.40, 29.15), (121.40, 29.15), (121.41, 29.15)]))
    r = repeated.locate_one(*repeated.point_at_km(0.5))
    assert r.river_km == pytest.approx(0.5) and r.distance_m < 1e-6


@pytest.mark.parametrize("tiers", [(2, 8, 64), (2,), ()], ids=["tiers", "one-tier", "shapely-only"])
def test_meander_matches_shapely_whatever_path(monkeypatch, tiers):
    monkeypatch.setattr(geo.river, "_TIERS", tiers)  # () sends every point to the exact fallback
    line = meander(800, 8000, 1.3, 700)  # tight loops: some points sit between two arms
    model = RiverModel(line)
    gx, gy = grid_xy(line)
    rng = np.random.default_rng(3)
    x = rng.uniform(gx.min() - 1500, gx.max() + 1500, 20_000)
    y = rng.uniform(gy.min() - 1500, gy.max() + 1500, 20_000)
    assert_exact(model, line, *TO_LONLAT.transform(x, y))


@settings(max_examples=25, deadline=None)
@given(n=st.integers(40, 1500), length_km=st.floats(1, 25), swing=st.floats(0, 1.5),
       wavelength_m=st.floats(150, 3000), seed=st.integers(0, 2**32 - 1))
def test_meanders_match_shapely(n, length_km, swing, wavelength_m, seed):
    line = meander(n, length_km * 1000, swing, wavelength_m)
    model = RiverModel(line)
    gx, gy = grid_xy(line)
    rng = np.random.default_rng(seed)
    # half the points uniform around the line, half hugging it (banks, bends, between arms)
    near = rng.integers(0, n, 1000)
    x = np.r_[rng.uniform(gx.min() - 1500, gx.max() + 1500, 1000), gx[near] + rng.normal(0, 80, 1000)]
    y = np.r_[rng.uniform(gy.min() - 1500, gy.max() + 1500, 1000), gy[near] + rng.normal(0, 80, 1000)]
    assert_exact(model, line, *TO_LONLAT.transform(x, y))


@settings(max_examples=25, deadline=None)
@given(km_frac=st.floats(0.02, 0.98), metres=st.floats(1, 60), seed=st.integers(0, 1000))
def test_meander_bank_follows_the_offset_side(km_frac, metres, seed):
    line = meander(1200, 12_000, 1.1, 1600)
    model = RiverModel(line)
    km = km_frac * model.length_m / 1000
    sign = 1 if seed % 2 else -1
    r = model.locate(*offset_point(model, km, sign * metres))
    if abs(r.distance_m[0] - metres) < 1e-3:  # the intended foot is the nearest (not another arm)
        assert r.bank[0] == (BANK_LEFT if sign > 0 else BANK_RIGHT)
