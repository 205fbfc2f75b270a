"""RiverModel.locate against geopandas.sjoin_nearest on the same million points, same run."""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from geo import RiverModel, load_reference
from geo.river import GRID_EPSG

N_POINTS = 1_000_000
MARGIN_M = 1500.0
TOL_M = 0.01
TO_GRID = Transformer.from_crs(4326, GRID_EPSG, always_xy=True)
TO_LONLAT = Transformer.from_crs(GRID_EPSG, 4326, always_xy=True)


def meander(length_m: float = 20_000.0, n: int = 2000, lon: float = 121.4, lat: float = 29.15
            ) -> shapely.LineString:
    """A sine-generated meander (Langbein & Leopold) along a gently turning valley, in lon/lat.

    Heading = drift + 1.2 rad * sin(2π s / 1.6 km): sinuosity ~1.5 and loops ~500 m across, like a
    lowland river ~100 m wide; n vertices at equal steps, length_m long in EPSG:4549.
    """
    step = length_m / (n - 1)
    s = (np.arange(n - 1) + 0.5) * step
    heading = 0.15 + 0.5 * s / length_m + 1.2 * np.sin(2 * np.pi * s / 1600.0)
    steps = step * np.column_stack([np.cos(heading), np.sin(heading)])
    xy = np.vstack([[0.0, 0.0], np.cumsum(steps, axis=0)])
    x0, y0 = TO_GRID.transform(lon, lat)
    xy += np.array([x0, y0]) - xy.mean(axis=0)
    return shapely.LineString(np.column_stack(TO_LONLAT.transform(xy[:, 0], xy[:, 1])))


def _points(line: shapely.LineString, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform over the line's bounding box grown by MARGIN_M (box taken in grid metres)."""
    x, y = TO_GRID.transform(*np.asarray(line.coords).T)
    gx = rng.uniform(x.min() - MARGIN_M, x.max() + MARGIN_M, N_POINTS)
    gy = rng.uniform(y.min() - MARGIN_M, y.max() + MARGIN_M, N_POINTS)
    return TO_LONLAT.transform(gx, gy)


def _timed(f):
    wall, cpu = time.perf_counter(), time.process_time()
    out = f()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def _case(case: str, line: shapely.LineString, villages: list[tuple[str, float, float]],
          rng: np.random.Generator) -> list[dict]:
    lon, lat = _points(line, rng)
    model, build, _ = _timed(lambda: RiverModel(line, villages))
    ours, wall, cpu = _timed(lambda: model.locate(lon, lat))

    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326).to_crs(GRID_EPSG)
    lines = gpd.GeoDataFrame(geometry=[line], crs=4326).to_crs(GRID_EPSG)
    joined, sj_wall, sj_cpu = _timed(lambda: gpd.sjoin_nearest(pts, lines, distance_col="dist"))
    joined = joined[~joined.index.duplicated()].sort_index()  # one row per point, in input order
    ref_dist = joined["dist"].to_numpy()
    served = ref_dist <= model.service_m
    ref_km = shapely.line_locate_point(lines.geometry.iloc[0], pts.geometry.to_numpy()[served]) / 1000

    d_dist = np.abs(ours.distance_m - ref_dist).max()  # every point, not only the served ones
    d_km = np.abs(ours.river_km[served] - ref_km).max() * 1000 if served.any() else 0.0
    agree = bool(d_dist <= TOL_M and d_km <= TOL_M)  # a NaN (point missed by either side) fails too
    sjoin = f"sjoin_nearest {sj_wall:.2f} s"
    rows = [
        ("points", N_POINTS, "", "", f"{len(line.coords):,} vertices, {model.length_m / 1000:.2f} km; "
                                     f"bbox + {MARGIN_M:.0f} m"),
        ("in service", int(ours.in_service.sum()), "", "", f"within {model.service_m:.0f} m"),
        ("RiverModel build", build * 1000, "ms", "", "project the line and villages, densify, KD-tree"),
        ("RiverModel.locate", wall, "s", sjoin, f"wall; lon/lat in; km, bank, village out; CPU {cpu:.2f} s"),
        ("sjoin_nearest", sj_wall, "s", "", f"wall; EPSG:4549, points projected beforehand; CPU {sj_cpu:.2f} s"),
        ("speed-up", sj_wall / wall, "x", sjoin, "wall time, sjoin_nearest / locate"),
        ("speed-up, CPU", sj_cpu / cpu, "x", f"sjoin_nearest CPU {sj_cpu:.2f} s", "CPU time: the single-core equivalent"),
        ("max |Δ distance|", d_dist, "m", "sjoin_nearest", "all points"),
        ("max |Δ river km|", d_km, "m", "line_locate_point", "in-service points"),
        ("agreement", "agree" if agree else "DISAGREE", "", "geopandas", f"both within {TOL_M * 100:.0f} cm"),
    ]
    return [dict(benchmark="river", case=case, figure=f, value=v, unit=u, reference=r, note=nt)
            for f, v, u, r, nt in rows]


def run() -> list[dict]:
    rng = np.random.default_rng(20240601)
    ref = load_reference()
    villages = [(v.code, v.lon, v.lat) for v in ref.villages]
    RiverModel(ref.reach)  # the first model sets up pyproj's transformers: keep that out of the timings
    return (_case("shipped reach", ref.reach, villages, rng)
            + _case("meander 20 km", meander(), villages, rng))
