"""Coverage: signed households per village as a share of its households, villages in river order
(upstream first, by where each village sits along the reach), for the chart and the map."""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Engine

from db import places_queries
from db import pledge_queries as q
from db.engine import session_scope
from qingxi.core import places


@dataclass(frozen=True)
class Coverage:
    code: str
    name: str
    lon: float
    lat: float
    river_km: float | None
    households: int | None   # None: staff have not set it yet
    signed: int
    people: int

    @property
    def share(self) -> float | None:
        """Signed households as a share of the village's (at most 1); None without a count."""
        if not self.households:
            return None
        return min(self.signed / self.households, 1.0)


def coverage(engine: Engine, *, in_river_order: bool = True) -> list[Coverage]:
    """Every village's coverage; in_river_order=False skips placing them along the river (river_km
    None, villages by code): what a map needs, nothing more."""
    with session_scope(engine) as s:
        villages = places_queries.villages(s)
        counts, signed = q.households(s), q.signed_per_village(s)
        kms = [None] * len(villages)
        if in_river_order:
            try:
                found = places.model(s).locate([v.lon for v in villages], [v.lat for v in villages])
                kms = [None if math.isnan(k) else float(k) for k in found.river_km]
            except LookupError:
                pass
    rows = [Coverage(v.code, v.name, v.lon, v.lat, km, counts.get(v.id), *signed.get(v.id, (0, 0)))
            for v, km in zip(villages, kms)]
    return sorted(rows, key=lambda c: (c.river_km is None, c.river_km or 0.0, c.code))


def village_coverage(engine: Engine, codes: set[str]) -> list[Coverage]:
    """Coverage of some villages (a deputy's), in river order."""
    return [c for c in coverage(engine) if c.code in codes]


def recent(engine: Engine, limit: int = 12) -> list[tuple[str, str]]:
    """The households that signed lately under a name they chose to show: (household, village)."""
    with session_scope(engine) as s:
        return q.recent_households(s, limit)
