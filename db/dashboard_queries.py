"""Queries for the one-screen dashboard (the only SQL it runs). Every figure is counted by the
database (GROUP BY / COUNT); hidden reports are left out of everything."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, case, false, func, literal, select
from sqlalchemy.orm import Session

from db.models import Report, UTCDateTime, Village
from db.portable import floor, median_by, rare, seconds_between
from db.triage_queries import DONE, next_due, reports_in_order, target_seconds


def _shown(query: Select) -> Select:
    return query.where(Report.hidden.is_(false()))


def _open(states: Sequence[str]) -> ColumnElement[bool]:
    """In one of the (open) states: few reports, read from ix_reports_work (db.portable.rare)."""
    return rare(Report.state.in_(states))



def count_by_state(session: Session, states: Sequence[str]) -> dict[str, int]:
    query = _shown(select(Report.state, func.count()).where(_open(states))).group_by(Report.state)
    return {state: n for state, n in session.execute(query)}


def count_by_category(session: Session, states: Sequence[str]) -> dict[str, int]:
    query = (_shown(select(Report.category, func.count()).where(_open(states)))
             .group_by(Report.category))
    return {category: n for category, n in session.execute(query)}


def count_by_village(session: Session, states: Sequence[str]) -> dict[str | None, int]:
    """Village name → count; None for reports placed in no village. Counted from the index
    (ix_reports_work includes village_id), then named."""
    counts = (_shown(select(Report.village_id, func.count().label("n")).where(_open(states)))
              .group_by(Report.village_id).subquery())
    query = select(Village.name, counts.c.n).select_from(counts).outerjoin(Village, counts.c.village_id == Village.id)
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


@dataclass(frozen=True)
class WeekStats:
    counted: int                  # stopped, or overdue while still open
    within: int                   # stopped on or before the target
    median_seconds: float | None  # of the stopped ones


def clock_week_stats(session: Session, clock: str, bounds: Sequence[datetime], targets: Mapping,
                     open_states: Sequence[str], now: datetime) -> dict[int, WeekStats]:
    """Week index i (created in [bounds[i], bounds[i + 1])) → the clock's figures, all from SQL:
    two GROUP BYs over the reports created in the period (ix_reports_created_clocks), the
    median by row_number (db.portable.median_by)."""
    created, done = Report.created_at, DONE[clock]
    week = case(*[(created < b, i) for i, b in enumerate(bounds[1:-1])], else_=len(bounds) - 2)
    target = target_seconds(targets, clock)
    took = seconds_between(created, done)
    late = done.is_(None) & Report.state.in_(open_states) & (seconds_between(created, _at(now)) > target)
    # Grouping over a subquery: PostgreSQL would not match a GROUP BY's expression with bound values.
    rows = (select(week.label("week"), took.label("took"),
                   case((done.is_not(None), 1), (late, 1), else_=0).label("counted"),
                   case((done.is_not(None) & (took <= target), 1), else_=0).label("within"))
            .where(Report.hidden.is_(false()), created >= bounds[0], created < bounds[-1])).subquery()
    counts = select(rows.c.week, func.sum(rows.c.counted), func.sum(rows.c.within)).group_by(rows.c.week)
    stopped = select(rows.c.week, rows.c.took).where(rows.c.took.is_not(None)).subquery()
    medians = {int(w): float(m) for w, m in session.execute(median_by(stopped, "week", "took"))}
    return {int(w): WeekStats(int(n or 0), int(k or 0), medians.get(int(w))) for w, n, k in session.execute(counts)}


def _at(moment: datetime):
    return literal(moment, UTCDateTime())


def overdue_count(session: Session, targets: Mapping, open_states: Sequence[str], now: datetime) -> int:
    """Open visible reports with a clock past its due time (ix_reports_work)."""
    query = _shown(select(func.count()).select_from(Report)
                   .where(_open(open_states), next_due(targets) <= now.timestamp()))
    return session.scalar(query) or 0


def overdue_reports(session: Session, targets: Mapping, open_states: Sequence[str], now: datetime,
                    limit: int, offset: int = 0) -> list[Report]:
    """The longest overdue open reports (earliest due time first), one page, with their village."""
    due = next_due(targets)
    page = (_shown(select(Report.id).where(_open(open_states), due <= now.timestamp()))
            .order_by(due, Report.id).limit(limit).offset(offset))
    return reports_in_order(session, list(session.scalars(page)))


def count_by_half_km(session: Session, states: Sequence[str]) -> dict[int, int]:
    """Bucket b = floor(river_km * 2) (b / 2 km to b / 2 + 0.5 km) → count."""
    buckets = _shown(select(floor(Report.river_km * 2).label("b"))
                     .where(_open(states), Report.river_km.is_not(None))).subquery()
    query = select(buckets.c.b, func.count()).group_by(buckets.c.b).order_by(buckets.c.b)
    return {int(b): n for b, n in session.execute(query)}


def count_by_rating(session: Session) -> dict[str, int]:
    query = _shown(select(Report.rating, func.count()).where(Report.rating.is_not(None))).group_by(Report.rating)
    return {rating: n for rating, n in session.execute(query)}
