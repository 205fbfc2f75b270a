"""What the public pages show: live counts, the map and its report cards (never personal data)."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from db import map_queries, places_queries, reports_queries
from db.map_queries import CELL_LAT, CELL_LON, Filter
from db.models import utcnow
from qingxi.core import places
from qingxi.core.i18n import t
from qingxi.core.settings import current as settings
from qingxi.reports.states import KIND, OPEN_STATES, Kind, State, kind_of

POINT_LIMIT = 5000  # more visible reports than this are drawn as grid cells (~110 bytes a point)
CELL_M = round(CELL_LAT * 111_320)  # a cell's size in metres, as the page says it
RECENT_DAYS = 180  # the map opens on this many days (open and ended); clearing the dates shows all years


def counts(session: Session, now: datetime | None = None) -> dict:
    local = (now or utcnow()).astimezone(settings().timezone)
    month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)  # the local month's first instant
    version = places_queries.current_river(session)
    villages = places_queries.villages(session)
    return {
        "open": reports_queries.count_reports(session, [s.value for s in OPEN_STATES]),
        "fixed_month": reports_queries.count_reports(session, [State.FIXED.value], since_field="fixed_at", since=month),
        "villages": len(villages),
        "riverside": sum(v.riverside for v in villages),
        "reach_km": round(version.reach_length_m / 1000, 1) if version else 0.0,
    }


@dataclass(frozen=True)
class MapBase:
    """What every map shows: the river's lines, the villages and the reach length."""

    lines: list[dict]
    villages: list[dict]
    village_names: dict[int, str]
    reach_km: float  # rounded up, so a km slider's top covers the whole reach


@dataclass(frozen=True)
class MapReports:
    total: int
    filtered: bool
    points: list[dict]  # one per report while total <= POINT_LIMIT,
    cells: list[dict]   # grid cells above it


@dataclass(frozen=True)
class Card:
    """A report as anyone may see it."""

    id: int
    category: str
    state: str
    created_at: datetime
    village: str | None
    river_km: float | None
    bank: str | None
    supporters: int
    thumb: Path | None  # the first visible report photo's thumbnail, when its file is there


def river_lines(session: Session, lang: str) -> list[dict]:
    """The river's lines for drawing, each with its tooltip."""
    return [{**line, "tip": t(f"map.role.{line['role']}", lang) + (t("map.schematic", lang) if line["schematic"] else "")}
            for line in places.river_paths(session)]


def map_base(session: Session, lang: str) -> MapBase:
    version = places_queries.current_river(session)
    lines = river_lines(session, lang)
    approx = t("map.approximate", lang)
    places = places_queries.villages(session)
    villages = [
        {"code": v.code, "lon": v.lon, "lat": v.lat, "approximate": v.approximate, "riverside": v.riverside,
         "label": v.name + (approx if v.approximate else ""),
         "tip": f"{v.name} {v.code}" + (approx if v.approximate else "")
                + (" · " + t("map.riverside", lang) if v.riverside else "")}
        for v in places
    ]
    reach_km = math.ceil(version.reach_length_m / 100) / 10 if version else 0.0
    return MapBase(lines, villages, {v.id: v.name for v in places}, reach_km)


def map_filter(categories: Iterable[str] = (), kinds: Iterable[str] = (), village_id: int | None = None,
               dates: Sequence[date] = (), km: tuple[float, float] | None = None,
               reach_km: float = 0.0) -> Filter:
    """The SQL filter for what a visitor picked. Dates are local calendar days (a date input gives
    none, a start, or a start and an end); a km range spanning the whole reach is no filter, so
    reports off the reach stay on the map."""
    kinds = set(kinds)
    since, until = settings().day_bounds(dates)
    return Filter(
        categories=tuple(categories),
        states=tuple(s.value for s, k in KIND.items() if k.value in kinds),
        village_id=village_id,
        since=since,
        until=until,
        km=None if km is None or (km[0] <= 0 and km[1] >= reach_km) else (float(km[0]), float(km[1])),
    )


def default_dates(today: date | None = None) -> tuple[date, date]:
    """The date range the map opens on: the last RECENT_DAYS local days, today included. With
    years of reports the unfiltered map would aggregate every one of them on each visit."""
    today = today or datetime.now(settings().timezone).date()
    return today - timedelta(days=RECENT_DAYS - 1), today


def map_reports(session: Session, f: Filter, lang: str, default: Filter = Filter()) -> MapReports:
    """Individual points up to POINT_LIMIT, otherwise counts per ~200 m grid cell, so the page
    stays light however many reports there are. `filtered` says whether the visitor narrowed
    the map beyond `default` (what the page opens on)."""
    cells = map_queries.grid(session, f)
    total = sum(cell["n"] for cell in cells)
    filtered = f != default
    if total > POINT_LIMIT:
        return MapReports(total, filtered, [], _cells(cells, lang))
    points = [
        {"id": r["id"], "lon": round(r["lon"], 6), "lat": round(r["lat"], 6), "kind": kind_of(r["state"]).value,
         "tip": " · ".join(filter(None, [t(f"category.{r['category']}", lang), t(f"state.{r['state']}", lang),
                                         r["village"], _km(r["river_km"], lang)]))}
        for r in map_queries.points(session, f)
    ]
    return MapReports(total, filtered, points, [])


def _cells(grid: list[dict], lang: str) -> list[dict]:
    """Grid counts by state → one drawable cell each, coloured by its most common kind."""
    tally: dict[tuple[int, int], Counter[Kind]] = defaultdict(Counter)
    for row in grid:
        tally[row["col"], row["row"]][kind_of(row["state"])] += row["n"]
    cells = []
    for (col, row), kinds in tally.items():
        n = kinds.total()
        cells.append({"lon": round((col + 0.5) * CELL_LON, 6), "lat": round((row + 0.5) * CELL_LAT, 6),
                      "n": n, "kind": kinds.most_common(1)[0][0].value,
                      "tip": t("map.status.cell", lang, n=n, open=kinds[Kind.OPEN])})
    return cells


def card(session: Session, report_id: int) -> Card | None:
    row = map_queries.card(session, report_id)
    if row is None:
        return None
    name = row.pop("thumb")
    thumb = settings().photo_dir / name if name else None
    return Card(**row, thumb=thumb if thumb and thumb.is_file() else None)


def _km(km: float | None, lang: str) -> str:
    return "" if km is None else t("map.km", lang, km=km)
