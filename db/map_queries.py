"""The public map's queries: filtered counts, points, a grid of counts, one report's card.

Only public columns leave here: never the tracking code (it lets its holder act on the report),
the reporter's name or phone, or the description (the reporter's own words may name people).
Hidden reports never leave at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from db.models import Photo, Report, Village
from db.portable import floor


@dataclass(frozen=True)
class Filter:
    """Which reports the map shows; an empty choice means any."""

    categories: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    village_id: int | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    km: tuple[float, float] | None = None  # inclusive; reports with no river km fall outside any range


def _visible(query: Select, f: Filter) -> Select:
    query = query.where(Report.hidden.is_(False))
    if f.categories:
        query = query.where(Report.category.in_(f.categories))
    if f.states:
        query = query.where(Report.state.in_(f.states))
    if f.village_id is not None:
        query = query.where(Report.village_id == f.village_id)
    if f.since is not None:
        query = query.where(Report.created_at >= f.since)
    if f.until is not None:
        query = query.where(Report.created_at < f.until)
    if f.km is not None:
        query = query.where(Report.river_km.between(*f.km))
    return query


def count(session: Session, f: Filter) -> int:
    return session.scalar(_visible(select(func.count()).select_from(Report), f)) or 0


def points(session: Session, f: Filter) -> list[dict]:
    """One row per report, oldest first so the newest are drawn on top."""
    query = _visible(
        select(Report.id, Report.category, Report.state, Report.lon, Report.lat, Report.river_km,
               Village.name.label("village"))
        .outerjoin(Village, Report.village_id == Village.id), f,
    ).order_by(Report.created_at, Report.id)
    return [dict(row._mapping) for row in session.execute(query)]



def grid(session: Session, f: Filter, cell_lon: float, cell_lat: float) -> list[dict]:
    """Report counts per cell (col = floor(lon / cell_lon), row = floor(lat / cell_lat)) and state."""
    cells = _visible(select(floor(Report.lon / cell_lon).label("col"),
                            floor(Report.lat / cell_lat).label("row"), Report.state), f).subquery()
    # Grouping over a subquery: PostgreSQL would not match the select's and the GROUP BY's
    # expressions, each carrying its own bound cell size.
    query = (select(cells.c.col, cells.c.row, cells.c.state, func.count().label("n"))
             .group_by(cells.c.col, cells.c.row, cells.c.state))
    return [dict(row._mapping) for row in session.execute(query)]


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
