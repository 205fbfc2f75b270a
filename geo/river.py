"""Where a point sits on the Shaliu reach: river km, distance, bank, nearest village.

Works in EPSG:4549 (CGCS2000 3-degree Gauss-Kruger, CM 120E: metres, under 0.03 % scale
error here); takes and returns WGS84 lon/lat.
"""

from __future__ import annotations

from collections.abc import Sequence
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
_STEP_M = 5.0  # densification spacing: short enough that the nearest vertex almost always sits on the nearest segment
_ON_LINE_M = 1e-3  # a side offset below this is "on the line" (float noise after a lon/lat round trip is ~1e-9 m)
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


@dataclass(frozen=True, eq=False)  # eq=False: == over numpy arrays has no single truth value
class Locations:
    river_km: np.ndarray  # float64, NaN when off-river
    distance_m: np.ndarray  # float64, to the reach line; NaN only for non-finite input
    bank: np.ndarray  # int8: BANK_LEFT, BANK_RIGHT or 0
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
    """Exact nearest-point queries against one reach line, vectorised over millions of points."""

    def __init__(self, reach_lonlat: shapely.LineString,
                 villages: Sequence[tuple[str, float, float]] = (), service_m: float = 1000.0) -> None:
        self.service_m = float(service_m)
        xy = _to_grid(*np.asarray(reach_lonlat.coords)[:, :2].T)
        xy = xy[np.r_[True, np.any(np.diff(xy, axis=0) != 0, axis=1)]]  # a repeated vertex has no direction
        if len(xy) < 2 or not np.isfinite(xy).all():
            raise ValueError("reach needs at least two distinct finite vertices")
        # local origin: keeps projection arithmetic at ~1e-10 m instead of the ~1e-9 m of 3e6 m coordinates
        self._origin = xy[0].copy()
        v = xy - self._origin
        seg = np.diff(v, axis=0)
        seg_len = np.hypot(*seg.T)
        self._v, self._unit = v, seg / seg_len[:, None]
        self._chain = np.r_[0.0, np.cumsum(seg_len)]  # chainage of the original vertices
        self.length_m = float(self._chain[-1])
        self._line = shapely.LineString(v)  # exact fallback

        # Densify: dense segments lie on the original ones, so chainage is interpolated, never re-measured.
        pieces = np.ceil(seg_len / _STEP_M).astype(np.intp)
        owner = np.repeat(np.arange(len(seg)), pieces)
        frac = (np.arange(pieces.sum()) - np.repeat(np.cumsum(pieces) - pieces, pieces)) / pieces[owner]
        self._dv = np.vstack([v[owner] + frac[:, None] * seg[owner], v[-1:]])
        self._dchain = np.r_[self._chain[owner] + frac * seg_len[owner], self.length_m]
        self._dlen = (seg_len / pieces)[owner]
        self._dunit = self._unit[owner]
        self._half2 = float(self._dlen.max() / 2) ** 2
        self._tree = cKDTree(self._dv)

        self._codes = np.array([c for c, _, _ in villages] + [""], dtype=object)  # last: "no village"
        self._vtree = cKDTree(_to_grid(*np.array([(x, y) for _, x, y in villages]).T) - self._origin) if villages else None

    def locate(self, lon: ArrayLike, lat: ArrayLike) -> Locations:
        lon, lat = (np.ravel(a).astype(float) for a in np.broadcast_arrays(lon, lat))
        n = lon.size
        dist, chain, side = np.full(n, np.nan), np.full(n, np.nan), np.zeros(n)
        vil = np.full(n, len(self._codes) - 1)
        q = _to_grid(lon, lat) - self._origin
        ok = np.isfinite(q).all(axis=1)  # NaN/inf input (or off the projection's domain) stays NaN
        q = q[ok]
        dist[ok], chain[ok], side[ok] = self._nearest(q)
        if self._vtree is not None:
            vil[ok] = self._vtree.query(q)[1]
        in_service = dist <= self.service_m  # NaN compares False
        bank = np.where(np.abs(side) <= _ON_LINE_M, 0, np.sign(side)).astype(np.int8)
        return Locations(river_km=np.where(in_service, chain / 1000, np.nan), distance_m=dist,
                         bank=bank, village_code=self._codes[vil], in_service=in_service)

    def _nearest(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distance, chainage and signed side offset (left +) of the nearest point of the line."""
        d, j = self._tree.query(q, k=2)
        # Try only the two dense segments at the nearest vertex j0. Any other segment has both ends at
        # >= d1 (2nd-nearest vertex distance) and length <= 2*h, so it is no nearer than sqrt(d1² - h²).
        last = len(self._dlen) - 1
        dist, chain, side = self._project(q, np.minimum(j[:, 0], last))
        d2, c2, s2 = self._project(q, np.maximum(j[:, 0] - 1, 0))
        closer = d2 < dist
        dist[closer], chain[closer], side[closer] = d2[closer], c2[closer], s2[closer]
        unsure = dist**2 + self._half2 > d[:, 1] ** 2  # d1 is inf when the line has only two dense vertices
        if unsure.any():
            dist[unsure], chain[unsure], side[unsure] = self._exact(q[unsure])
        return dist, chain, side

    def _project(self, q: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rel = q - self._dv[s]
        u = self._dunit[s]
        along = np.clip(np.einsum("ij,ij->i", rel, u), 0.0, self._dlen[s])
        side = u[:, 0] * rel[:, 1] - u[:, 1] * rel[:, 0]
        dist = np.hypot(rel[:, 0] - along * u[:, 0], rel[:, 1] - along * u[:, 1])
        return dist, self._dchain[s] + along, side

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
        return np.column_stack([np.interp(m, self._chain, self._v[:, 0]), np.interp(m, self._chain, self._v[:, 1])])

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
        m = np.arange(np.floor(self.length_m / step_m) + 1) * step_m
        m = np.r_[m[m < self.length_m - 1e-6], self.length_m]
        xy = self._xy_at(m)
        lon, lat = _transformer(inverse=True).transform(*(xy + self._origin).T)
        vil = self._vtree.query(xy)[1] if self._vtree is not None else np.full(len(m), len(self._codes) - 1)
        return pd.DataFrame({"km": m / 1000, "lon": lon, "lat": lat, "village_code": self._codes[vil]})
