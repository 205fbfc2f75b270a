"""RiverModel.locate against geopandas.sjoin_nearest on the same million points."""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import shapely

from geo import RiverModel, load_reference
from geo.river import GRID_EPSG, _transformer

N_POINTS = 1_000_000
MARGIN_M = 1500.0
TOL_M = 0.01


def meander(length_m: float = 20_000.0, n: int = 2000, lon: float = 121.4, lat: float = 29.15) -> shapely.LineString:
    """A sine-generated meander (Langbein & Leopold) along a gently turning valley, in lon/lat.

    Heading = drift + 1.2 rad * sin(2π s / 1.6 km): sinuosity ~1.5, loops ~500 m wide, like a
    lowland river of ~100 m width; n equal steps so the line has n vertices and length_m metres.
    """
    step = length_m / (n - 1)
    s = (np.arange(n - 1) + 0.5) * step
    heading = 0.15 + 0.5 * s / length_m + 1.2 * np.sin(2 * np.pi * s / 1600.0)
    xy = np.vstack([[0.0, 0.0], np.cumsum(step * np.column_stack([np.cos(heading), np.sin(heading)]), axis=0)])
    x0, y0 = _transformer().transform(lon, lat)
    lons, lats = _transformer(inverse=True).transform(xy[:, 0] + x0 - xy[:, 0].mean(), xy[:, 1] + y0 - xy[:, 1].mean())
    return shapely.LineString(np.column_stack([lons, lats]))


def _points(line: shapely.LineString, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points over the line's bounding box grown by MARGIN_M (box taken in grid metres)."""
    x, y = _transformer().transform(*np.asarray(line.coords).T)
    gx = rng.uniform(x.min() - MARGIN_M, x.max() + MARGIN_M, N_POINTS)
    gy = rng.uniform(y.min() - MARGIN_M, y.max() + MARGIN_M, N_POINTS)
    return _transformer(inverse=True).transform(gx, gy)


def _case(case: str, line: shapely.LineString, rng: np.random.Generator) -> list[dict]:
    lon, lat = _points(line, rng)
    t0 = time.perf_counter()
    model = RiverModel(line)
    t1 = time.perf_counter()
    ours = model.locate(lon, lat)
    t2 = time.perf_counter()

    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326).to_crs(GRID_EPSG)
    lines = gpd.GeoDataFrame(geometry=[line], crs=4326).to_crs(GRID_EPSG)
    t3 = time.perf_counter()
    joined = gpd.sjoin_nearest(pts, lines, distance_col="dist")
    t4 = time.perf_counter()
    joined = joined[~joined.index.duplicated()].sort_index()  # a tie between lines would repeat a point
    ref_dist = joined["dist"].to_numpy()
    served = ref_dist <= model.service_m
    ref_km = shapely.line_locate_point(lines.geometry.iloc[0], pts.geometry.to_numpy()[served]) / 1000

    d_dist = np.abs(ours.distance_m - ref_dist).max()  # every point, not just the served ones
    d_km = np.abs(ours.river_km[served] - ref_km).max() * 1000 if served.any() else 0.0
    agree = bool(d_dist <= TOL_M and d_km <= TOL_M)  # NaN (an unmatched point) fails too
    t_ours, t_sjoin = t2 - t1, t4 - t3
    vertices = len(line.coords)
    rows = [
        ("points", N_POINTS, "", f"{vertices} vertices, {model.length_m / 1000:.2f} km; bbox + {MARGIN_M:.0f} m"),
        ("in service", int(ours.in_service.sum()), "", f"within {model.service_m:.0f} m"),
        ("RiverModel build", (t1 - t0) * 1000, "ms", "projection, densify, KD-tree"),
        ("RiverModel.locate", t_ours, "s", "lon/lat in: projection, km, bank, village"),
        ("sjoin_nearest", t_sjoin, "s", "EPSG:4549, points already projected"),
        ("speed-up", t_sjoin / t_ours, "x", "sjoin_nearest / locate"),
        ("max |Δ distance|", d_dist, "m", "all points"),
        ("max |Δ river km|", d_km, "m", "in-service points; sjoin km by line_locate_point"),
        ("agreement", "agree" if agree else "DISAGREE", "", f"tolerance {TOL_M * 100:.0f} cm"),
    ]
    return [dict(benchmark="river", case=case, figure=f, value=v, unit=u, note=nt) for f, v, u, nt in rows]


def run() -> list[dict]:
    rng = np.random.default_rng(20240601)
    return _case("shipped reach", load_reference().reach, rng) + _case("meander 20 km", meander(), rng)
