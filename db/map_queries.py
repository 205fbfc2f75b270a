"""The public map's queries: filtered counts, points, a grid of counts, one report's card.

Only public columns leave here: never the tracking code (it lets its holder act on the report),
the reporter's name or phone, or the description (the reporter's own words may name people).
Hidden reports never leave at all.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from db.models import MapCell, Photo, Report, Village
from db.portable import floor

# The grid map_cells is kept in (frozen in migration 9a6d4c2e1f55): cells of about 195 × 200 m at
# the Qingxi's 29° N, river km in 100 m steps. Other units need a migration that rebuilds it.
CELL_LON, CELL_LAT, KM_STEP = 0.002, 0.0018, 0.1


@dataclass(frozen=True)
class Filter:
    """Which reports the map shows; an empty choice means any."""

    categories: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    village_id: int | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    km: tuple[float, float] | None = None  # inclusive; reports with no river km fall outside any range


def _picked(query: Select, f: Filter, table: type[Report] | type[MapCell]) -> Select:
    """The visitor's categories, states and village, on reports or on map_cells (named alike)."""
    if f.categories:
        query = query.where(table.category.in_(f.categories))
    if f.states:
        query = query.where(table.state.in_(f.states))
    if f.village_id is not None:
        query = query.where(table.village_id == f.village_id)
    return query


def _visible(query: Select, f: Filter) -> Select:
    query = _picked(query.where(Report.hidden.is_(False)), f, Report)
    if f.since is not None:
        query = query.where(Report.created_at >= f.since)
    if f.until is not None:
        query = query.where(Report.created_at < f.until)
    if f.km is not None:
        query = query.where(Report.river_km.between(*f.km))
    return query


def points(session: Session, f: Filter) -> list[dict]:
    """One row per report, oldest first so the newest are drawn on top."""
    query = _visible(
        select(Report.id, Report.category, Report.state, Report.lon, Report.lat, Report.river_km,
               Village.name.label("village"))
        .outerjoin(Village, Report.village_id == Village.id), f,
    ).order_by(Report.created_at, Report.id)
    return [dict(row._mapping) for row in session.execute(query)]


def grid(session: Session, f: Filter) -> list[dict]:
    """Report counts per cell (col = floor(lon / CELL_LON), row = floor(lat / CELL_LAT)) and state.

    Whole UTC months inside the dates (and whole 100 m steps inside a km range) are read from
    map_cells, which the database keeps; only the reports at the edges (at most a month at each
    end, a step at each end of the km range) are grouped from `reports`. So every year of a
    million reports costs about what one month does."""
    months, steps = _summarised(f)
    queries = [_grouped(_visible_cells(f))] if months is None else [_cells(f, months, steps), *_edges(f, months, steps)]
    tally: Counter[tuple[int, int, str]] = Counter()
    for query in queries:
        tally.update({(r.col, r.row, r.state): r.n for r in session.execute(query)})
    return [{"col": col, "row": row, "state": state, "n": n} for (col, row, state), n in tally.items() if n]


def _summarised(f: Filter) -> tuple[tuple[int | None, int | None] | None, tuple[int, int] | None]:
    """The months [first, end) (None: unbounded) and km steps [first, end) that map_cells can answer
    for `f`; months None when no whole month lies inside the dates."""
    first = None if f.since is None else _month(f.since) + (f.since > _month_start(_month(f.since)))
    end = None if f.until is None else _month(f.until)
    if first is not None and end is not None and first >= end:
        return None, None
    steps = None
    if f.km is not None:  # whole steps strictly inside the range: 2.3 / 0.1 is 22.999…, so nudge
        low, high = math.floor(f.km[0] / KM_STEP + 1e-9) + 1, math.ceil(f.km[1] / KM_STEP - 1e-9) - 1
        steps = (low, max(low, high))
    return (first, end), steps


def _cells(f: Filter, months: tuple[int | None, int | None], steps: tuple[int, int] | None) -> Select:
    query = _picked(select(MapCell.x.label("col"), MapCell.y.label("row"), MapCell.state,
                           func.sum(MapCell.n).label("n")), f, MapCell)
    first, end = months
    if first is not None:
        query = query.where(MapCell.month >= first)
    if end is not None:
        query = query.where(MapCell.month < end)
    if steps is not None:
        query = query.where(MapCell.km10 >= steps[0], MapCell.km10 < steps[1])
    return query.group_by(MapCell.x, MapCell.y, MapCell.state)


def _edges(f: Filter, months: tuple[int | None, int | None], steps: tuple[int, int] | None) -> list[Select]:
    """The reports `f` matches that map_cells did not count: the days before the first whole month,
    those from the end month on, and within the whole months the km outside the whole steps."""
    first, end = months
    edges = []
    if first is not None:
        edges.append(_visible_cells(f).where(Report.created_at < _month_start(first)))
    if end is not None:
        edges.append(_visible_cells(f).where(Report.created_at >= _month_start(end)))
    if steps is not None:
        inside = _visible_cells(f)
        if first is not None:
            inside = inside.where(Report.created_at >= _month_start(first))
        if end is not None:
            inside = inside.where(Report.created_at < _month_start(end))
        step = floor(Report.river_km / KM_STEP)
        # Two strips, each a range of ix_reports_map_km read alone (an OR of both would fetch the
        # table's rows); the range is a hair wider than the steps, the step term makes it exact.
        edges.append(inside.where(Report.river_km < steps[0] * KM_STEP + 1e-9, step < steps[0]))
        edges.append(inside.where(Report.river_km > steps[1] * KM_STEP - 1e-9, step >= steps[1]))
    return [_grouped(edge) for edge in edges]


def _visible_cells(f: Filter) -> Select:
    return _visible(select(floor(Report.lon / CELL_LON).label("col"), floor(Report.lat / CELL_LAT).label("row"),
                           Report.state), f)


def _grouped(cells: Select) -> Select:
    # Grouping over a subquery: PostgreSQL would not match the select's and the GROUP BY's
    # expressions, each carrying its own bound cell size.
    sub = cells.subquery()
    return select(sub.c.col, sub.c.row, sub.c.state, func.count().label("n")).group_by(sub.c.col, sub.c.row, sub.c.state)


def _month(at: datetime) -> int:
    at = at.astimezone(timezone.utc)
    return at.year * 12 + at.month - 1


def _month_start(month: int) -> datetime:
    return datetime(month // 12, month % 12 + 1, 1, tzinfo=timezone.utc)


def card(session: Session, report_id: int) -> dict | None:
    """A report's public face, with its first visible report photo's thumbnail; None when hidden."""
    thumb = (select(Photo.thumb_name)
             .where(Photo.report_id == Report.id, Photo.kind == "report", Photo.hidden.is_(False))
             .order_by(Photo.id).limit(1).scalar_subquery())
    query = (select(Report.id, Report.category, Report.state, Report.created_at, Report.river_km,
                    Report.bank, Report.supporters, Village.name.label("village"), thumb.label("thumb"))
             .outerjoin(Village, Report.village_id == Village.id)
             .where(Report.id == report_id, Report.hidden.is_(False)))
    row = session.execute(query).first()
    return None if row is None else dict(row._mapping)
