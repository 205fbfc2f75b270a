"""Queries for the one-screen dashboard (the only SQL it runs). Every figure is counted by the
database (GROUP BY / COUNT); hidden reports are left out of everything."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, Select, case, cast, false, func, select
from sqlalchemy.orm import Session

from db.models import Report, Village

# The milestone column(s) that stop each response clock (qingxi.clocks.MILESTONES, as columns).
_DONE: dict[str, ColumnElement] = {
    "sign": Report.signed_at,
    "dispatch": Report.dispatched_at,
    "callback": Report.called_back_at,
    "onsite": Report.on_site_at,
    "resolve": func.coalesce(Report.fixed_at, Report.closed_at),
}


def _shown(query: Select) -> Select:
    return query.where(Report.hidden.is_(false()))


def _floor(x: ColumnElement[float]) -> ColumnElement[int]:
    """floor() on both backends (SQLite may lack it; CAST truncates there but rounds on PostgreSQL):
    n is within 1 of x, so stepping down once when x < n gives the floor."""
    n = cast(x, Integer)
    return n - case((x < n, 1), else_=0)


def count_by_state(session: Session, states: Sequence[str]) -> dict[str, int]:
    query = _shown(select(Report.state, func.count()).where(Report.state.in_(states))).group_by(Report.state)
    return {state: n for state, n in session.execute(query)}


def count_by_category(session: Session, states: Sequence[str]) -> dict[str, int]:
    query = (_shown(select(Report.category, func.count()).where(Report.state.in_(states)))
             .group_by(Report.category))
    return {category: n for category, n in session.execute(query)}


def count_by_village(session: Session, states: Sequence[str]) -> dict[str | None, int]:
    """Village name → count; None for reports placed in no village."""
    query = (_shown(select(Village.name, func.count(Report.id))
                    .select_from(Report).outerjoin(Village, Report.village_id == Village.id)
                    .where(Report.state.in_(states)))
             .group_by(Village.id, Village.name))
    return {name: n for name, n in session.execute(query)}


def count_created(session: Session, since: datetime, until: datetime) -> int:
    query = _shown(select(func.count()).select_from(Report)
                   .where(Report.created_at >= since, Report.created_at < until))
    return session.scalar(query) or 0


def count_ended(session: Session, field: str, states: Sequence[str], since: datetime, until: datetime) -> int:
    """Reports now in one of `states` whose milestone `field` (fixed_at / closed_at) is in the period."""
    column = getattr(Report, field)
    query = _shown(select(func.count()).select_from(Report)
                   .where(Report.state.in_(states), column >= since, column < until))
    return session.scalar(query) or 0


def clock_times(session: Session, clock: str, since: datetime) -> list[tuple[str, str, datetime, datetime | None]]:
    """(priority, state, created_at, stopped_at or None) of every report created since `since`:
    one query of two timestamp columns per clock; durations and medians are worked out by the
    caller (percentiles are not portable between SQLite and PostgreSQL)."""
    query = (_shown(select(Report.priority, Report.state, Report.created_at, _DONE[clock].label("done"))
                    .where(Report.created_at >= since))
             .order_by(Report.created_at, Report.id))
    return [tuple(row) for row in session.execute(query)]


def open_reports(session: Session, states: Sequence[str]) -> list[Report]:
    """The open reports (few), with their village, for the response clocks."""
    query = (_shown(select(Report, Village.name).outerjoin(Village, Report.village_id == Village.id)
                    .where(Report.state.in_(states)))
             .order_by(Report.created_at, Report.id))
    found = []
    for report, village in session.execute(query):
        report.village_name = village  # plain attribute for the caller, not a column
        found.append(report)
    return found


def count_by_half_km(session: Session, states: Sequence[str]) -> dict[int, int]:
    """Bucket b = floor(river_km * 2) (b / 2 km to b / 2 + 0.5 km) → count."""
    buckets = _shown(select(_floor(Report.river_km * 2).label("b"))
                     .where(Report.state.in_(states), Report.river_km.is_not(None))).subquery()
    query = select(buckets.c.b, func.count()).group_by(buckets.c.b).order_by(buckets.c.b)
    return {int(b): n for b, n in session.execute(query)}


def count_by_rating(session: Session) -> dict[str, int]:
    query = _shown(select(Report.rating, func.count()).where(Report.rating.is_not(None))).group_by(Report.rating)
    return {rating: n for rating, n in session.execute(query)}
