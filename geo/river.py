"""Where a point sits on the Shaliu reach: river km, distance, bank, nearest village.

Works in EPSG:4549 (CGCS2000 3-degree Gauss-Kruger, CM 120E: metres, under 0.03 % scale
error here); takes and returns WGS84 lon/lat.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

BANK_LEFT, BANK_RIGHT = 1, -1  # looking downstream; 0 on the line
GRID_EPSG = 4549
# Long segments get a vertex every _STEP_M: coarser makes a smaller, faster tree but leaves more points
# near bends to the next pass.
_STEP_M = 50.0
_ON_LINE_M = 1e-3  # a side offset this small is "on the line" (a lon/lat round trip leaves ~1e-9 m)
_SCAN_SEGMENTS = 32  # up to this many segments, scanning them all beats a KD-tree
_CHUNK = 1 << 15  # points per block: numpy temporaries stay in cache (~3x faster than whole arrays)
_TIERS = (2, 8, 64)  # neighbours per pass; each pass takes only the points the previous one left unsure
_BANKS = {BANK_LEFT: "left", BANK_RIGHT: "right", 0: "on"}

ArrayLike = npt.ArrayLike


@cache
def _transformer(inverse: bool = False) -> Transformer:
    # pyproj >= 3.1 Transformers are thread-safe, so one per direction serves every Streamlit session
    src, dst = (GRID_EPSG, 4326) if inverse else (4326, GRID_EPSG)
    return Transformer.from_crs(src, dst, always_xy=True)


def _to_grid(lon: ArrayLike, lat: ArrayLike) -> np.ndarray:
    x, y = _transformer().transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.column_stack([np.ravel(x), np.ravel(y)])


def _closest(results: Iterable[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    """Element-wise pick, among (distance, ...) tuples, of the one with the smallest distance."""
    best = None
    for r in results:
        best = r if best is None else tuple(np.where(r[0] < best[0], a, b) for a, b in zip(r, best))
    return best


@dataclass(frozen=True, eq=False)  # eq=False: == over numpy arrays has no single truth value
class Locations:
    river_km: np.ndarray  # float64, NaN when off-river
    distance_m: np.ndarray  # float64, to the reach line; NaN only for non-finite input
    bank: np.ndarray  # int8: BANK_LEFT, BANK_RIGHT; 0 within 1 mm of the line or of its extension past an end
    village_code: np.ndarray  # object: nearest village's code, '' when none
    in_service: np.ndarray  # bool: distance_m <= service_m


@dataclass(frozen=True)
class Location:
    river_km: float | None
    distance_m: float
    bank: str  # 'left' | 'right' | 'on'
    village_code: str
    in_service: bool


class RiverModel:
    """Exact nearest-point queries against one reach line, vectorised over millions of points.

    A short line is scanned whole. A long one is densified and put in a KD-tree: each point tries
    the segments at its nearest vertices, and a bound (see _tier) either proves that answer or
    passes the point on to more neighbours, and in the end to GEOS.
    """

    def __init__(self, reach_lonlat: shapely.LineString,
                 villages: Sequence[tuple[str, float, float]] = (), service_m: float = 1000.0) -> None:
        self.service_m = float(service_m)
        xy = _to_grid(*np.asarray(reach_lonlat.coords)[:, :2].T)
        xy = xy[np.r_[True, np.any(np.diff(xy, axis=0) != 0, axis=1)]]  # a repeated vertex has no direction
        if len(xy) < 2 or not np.isfinite(xy).all():
            raise ValueError("reach needs at least two distinct finite vertices")
        # local origin: arithmetic near 0 keeps ~1e-10 m, where 3e6 m coordinates would keep ~1e-9 m
        self._origin = xy[0].copy()
        v = xy - self._origin
        seg = np.diff(v, axis=0)
        seg_len = np.hypot(*seg.T)
        self._v, self._unit = v, seg / seg_len[:, None]
        self._chain = np.r_[0.0, np.cumsum(seg_len)]  # chainage of the original vertices
        self.length_m = float(self._chain[-1])
        self._line = shapely.LineString(v)  # exact fallback

        # Densify: dense segments lie on the original ones, so chainage is interpolated, never re-measured.
        # A short line is simply scanned whole: cheaper than any tree, and exact.
        small = len(seg) <= _SCAN_SEGMENTS
        pieces = np.ones(len(seg), np.intp) if small else np.ceil(seg_len / _STEP_M).astype(np.intp)
        owner = np.repeat(np.arange(len(seg)), pieces)
        frac = (np.arange(pieces.sum()) - np.repeat(np.cumsum(pieces) - pieces, pieces)) / pieces[owner]
        start = v[owner] + frac[:, None] * seg[owner]
        dlen = (seg_len / pieces)[owner]
        # rows, per dense segment: start x, y, unit direction x, y, length, chainage at start
        self._seg = np.vstack([start.T, self._unit[owner].T, dlen, self._chain[owner] + frac * seg_len[owner]])
        self._dv = np.vstack([start, v[-1:]])
        self._half2 = float(dlen.max() / 2) ** 2
        # Sliding-midpoint splits, boxes not shrunk to the data: measured 2x faster on meanders, whose
        # far-away queries otherwise visit many nearly-equidistant leaves.
        self._tree = None if small else cKDTree(self._dv, leafsize=24, balanced_tree=False,
                                                compact_nodes=False)

        self._codes = np.array([c for c, _, _ in villages] + [""], dtype=object)  # last entry: no village
        self._vxy = _to_grid([x for _, x, _ in villages], [y for _, _, y in villages]) - self._origin

    def locate(self, lon: ArrayLike, lat: ArrayLike) -> Locations:
        """Every point at once (inputs broadcast, then flattened); NaN/inf positions get NaN distances."""
        lon, lat = (np.ravel(a).astype(float) for a in np.broadcast_arrays(lon, lat))
        n = lon.size
        km, dist = np.full(n, np.nan), np.full(n, np.nan)
        bank, vil = np.zeros(n, np.int8), np.full(n, len(self._vxy))

        def run(i: int) -> None:
            part = slice(i, i + _CHUNK)
            q = _to_grid(lon[part], lat[part]) - self._origin
            ok = np.isfinite(q).all(axis=1)  # NaN/inf input (or off the projection's domain) stays NaN
            if not ok.all():
                part, q = np.arange(i, min(i + _CHUNK, n))[ok], q[ok]
            d, chain, side = self._nearest(q)
            dist[part], vil[part] = d, self._village(q)
            km[part] = np.where(d <= self.service_m, chain / 1000, np.nan)
            bank[part] = np.where(np.abs(side) <= _ON_LINE_M, 0, np.sign(side))

        # pyproj, scipy and numpy release the GIL, so threads share the blocks out over the cores
        starts = range(0, n, _CHUNK)
        if len(starts) > 1:
            with ThreadPoolExecutor(min(len(starts), os.cpu_count() or 1)) as pool:
                list(pool.map(run, starts))
        else:
            for i in starts:
                run(i)
        return Locations(river_km=km, distance_m=dist, bank=bank, village_code=self._codes[vil],
                         in_service=dist <= self.service_m)  # NaN compares False

    def _village(self, q: np.ndarray) -> np.ndarray:
        """Index of the nearest village (len(villages) when there is none).

        A scan: there are a few dozen villages at most, and a KD-tree's per-query cost is higher.
        """
        qx, qy = q.T.copy()
        best, idx = np.full(len(q), np.inf), np.full(len(q), len(self._vxy))
        for i, (x, y) in enumerate(self._vxy):
            d2 = (qx - x) ** 2 + (qy - y) ** 2
            closer = d2 < best
            best, idx = np.where(closer, d2, best), np.where(closer, i, idx)
        return idx

    def _nearest(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distance, chainage and signed side offset (left +) of the nearest point of the line."""
        if self._tree is None:
            qx, qy = q.T.copy()
            return _closest(self._project(qx, qy, self._seg[:, i:i + 1]) for i in range(self._seg.shape[1]))
        dist, chain, side = np.empty(len(q)), np.empty(len(q)), np.empty(len(q))
        todo = np.arange(len(q))
        for k in _TIERS:
            if not len(todo):
                break
            sure, (d, c, s) = self._tier(q[todo], k)
            dist[todo], chain[todo], side[todo] = d, c, s
            todo = todo[~sure]
        if len(todo):
            dist[todo], chain[todo], side[todo] = self._exact(q[todo])
        return dist, chain, side

    def _tier(self, q: np.ndarray, k: int) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Best over the segments at the k-1 nearest dense vertices, and where it is provably nearest.

        A segment not touching those vertices has both ends at >= d (the k-th vertex distance) and
        length <= 2h, so no point of it is nearer than sqrt(d² - h²).
        """
        k = min(k, len(self._dv))
        d, j = self._tree.query(q, k=k)
        whole = k == len(self._dv)  # every vertex is a candidate: exact by construction
        cols = j if whole else j[:, :-1]
        last = self._seg.shape[1] - 1
        qx, qy = q.T.copy()  # contiguous: arithmetic on strided columns is ~2x slower
        segs = (*np.minimum(cols, last).T, *np.maximum(cols - 1, 0).T)
        best = _closest(self._project(qx, qy, np.take(self._seg, s, axis=1)) for s in segs)
        sure = np.ones(len(q), bool) if whole else best[0] ** 2 + self._half2 <= d[:, -1] ** 2
        return sure, best

    @staticmethod
    def _project(qx: np.ndarray, qy: np.ndarray, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distance, chainage, side offset of (qx, qy) to seg's columns (one segment, or one per point)."""
        ax, ay, ux, uy, length, chain = seg
        rx, ry = qx - ax, qy - ay
        along = np.clip(rx * ux + ry * uy, 0.0, length)
        dx, dy = rx - along * ux, ry - along * uy
        return np.sqrt(dx * dx + dy * dy), chain + along, ux * ry - uy * rx  # sqrt: np.hypot is ~10x slower

    def _exact(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """GEOS on the original line, for the few points the vertex bound cannot settle."""
        pts = shapely.points(q)
        chain = shapely.line_locate_point(self._line, pts)
        s = np.clip(np.searchsorted(self._chain, chain, side="right") - 1, 0, len(self._unit) - 1)
        rel, u = q - self._v[s], self._unit[s]
        return shapely.distance(self._line, pts), chain, u[:, 0] * rel[:, 1] - u[:, 1] * rel[:, 0]

    def locate_one(self, lon: float, lat: float) -> Location:
        r = self.locate([lon], [lat])
        km = float(r.river_km[0])
        return Location(river_km=None if np.isnan(km) else km, distance_m=float(r.distance_m[0]),
                        bank=_BANKS[int(r.bank[0])], village_code=str(r.village_code[0]),
                        in_service=bool(r.in_service[0]))

    def _xy_at(self, m: np.ndarray) -> np.ndarray:
        return np.column_stack([np.interp(m, self._chain, self._v[:, i]) for i in (0, 1)])

    def point_at_km(self, km: ArrayLike) -> tuple[np.ndarray, np.ndarray] | tuple[float, float]:
        """lon, lat of the point at river km (NaN outside 0..length; 1 mm slack for rounding)."""
        m = np.asarray(km, float) * 1000
        xy = self._xy_at(np.ravel(m)) + self._origin
        xy[np.ravel((m < -1e-3) | (m > self.length_m + 1e-3))] = np.nan
        lon, lat = _transformer(inverse=True).transform(xy[:, 0], xy[:, 1])
        if m.ndim == 0:
            return float(lon[0]), float(lat[0])
        return np.reshape(lon, m.shape), np.reshape(lat, m.shape)

    def candidates(self, step_m: float = 100.0) -> pd.DataFrame:
        """A point every step_m along the reach from km 0, plus the end: pick-lists and map snapping."""
        if not step_m > 0:
            raise ValueError("step_m must be positive")
        m = np.arange(np.floor(self.length_m / step_m) + 1) * step_m
        m = np.r_[m[m < self.length_m - 1e-6], self.length_m]
        xy = self._xy_at(m)
        lon, lat = _transformer(inverse=True).transform(*(xy + self._origin).T)
        return pd.DataFrame({"km": m / 1000, "lon": lon, "lat": lat,
                             "village_code": self._codes[self._village(xy)]})
