"""The one-screen dashboard (一屏统揽) for staff and deputies: what is open and where, the flow of
this week and month, how the response clocks are kept, what is overdue, and what reporters think.

Every figure comes from the database (db.dashboard_queries: GROUP BY / COUNT, durations with
db.portable, medians by row_number on both backends); no rows are loaded to be counted here. The
overdue list is a count plus the longest overdue page. Hidden reports are left out everywhere. Weeks (ISO, Monday first) and months are in
the local time zone given by the caller (settings().timezone on the page).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy.orm import Session

from db import dashboard_queries as q
from qingxi.reports import clocks
from qingxi.reports.states import KIND, OPEN_STATES, Kind

WEEKS = 8
FIXED_STATES = tuple(s.value for s, k in KIND.items() if k is Kind.FIXED)
CLOSED_STATES = tuple(s.value for s, k in KIND.items() if k is Kind.CLOSED)
OPEN = tuple(s.value for s in OPEN_STATES)
RATINGS = ("satisfied", "basically", "unsatisfied")
BUCKET_KM = 0.5
OVERDUE_SHOWN = 50  # the longest overdue; the count covers them all


@dataclass(frozen=True)
class Flow:
    new: int
    fixed: int    # now fixed, fixed_at in the period
    closed: int   # now closed without a fix (a closed-kind state), closed_at in the period


@dataclass(frozen=True)
class ClockWeek:
    week: str                     # ISO week, e.g. "2025-W14"
    clock: str
    counted: int                  # stopped, or overdue while still open
    within: int                   # stopped on or before its due time
    median_seconds: float | None  # of the stopped ones

    @property
    def share(self) -> float | None:
        return self.within / self.counted if self.counted else None


@dataclass(frozen=True)
class Overdue:
    id: int
    category: str
    state: str
    priority: str
    village: str | None
    created_at: datetime
    overdue: tuple[str, ...]  # clock names
    due_at: datetime          # the earliest overdue due time


@dataclass(frozen=True)
class Overview:
    by_state: dict[str, int]
    by_village: dict[str | None, int]
    by_category: dict[str, int]
    week: Flow
    month: Flow
    clock_weeks: list[ClockWeek]
    overdue: list[Overdue]        # the longest overdue first, at most OVERDUE_SHOWN
    km: dict[float, int]          # bucket start km (every 0.5 km) → open reports
    ratings: dict[str, int]
    weeks: list[str] = field(default_factory=list)
    overdue_total: int = 0

    @property
    def open_total(self) -> int:
        return sum(self.by_state.values())


def week_start(now: datetime, tz: tzinfo) -> datetime:
    local = now.astimezone(tz)
    return datetime.combine(local.date() - timedelta(days=local.weekday()), time.min, tz)


def month_start(now: datetime, tz: tzinfo) -> datetime:
    return datetime.combine(now.astimezone(tz).date().replace(day=1), time.min, tz)


def iso_week(at: datetime, tz: tzinfo) -> str:
    year, week, _ = at.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def flow(session: Session, since: datetime, until: datetime) -> Flow:
    return Flow(new=q.count_created(session, since, until),
                fixed=q.count_ended(session, "fixed_at", FIXED_STATES, since, until),
                closed=q.count_ended(session, "closed_at", CLOSED_STATES, since, until))


def clock_weeks(session: Session, targets: clocks.Targets, now: datetime, tz: tzinfo,
                weeks: int = WEEKS) -> tuple[list[str], list[ClockWeek]]:
    """Per clock and ISO week of creation (the last `weeks`, this one included): how many were
    stopped within target, of those stopped or overdue; the median time to stop. A clock still
    running within its target, or skipped (the report ended without that step), is not counted."""
    first = week_start(now, tz) - timedelta(weeks=weeks - 1)
    labels = [iso_week(first + timedelta(weeks=i), tz) for i in range(weeks)]
    bounds = [_local_week(first, i, tz) for i in range(weeks + 1)]
    found = []
    for clock in clocks.CLOCKS:
        stats = q.clock_week_stats(session, clock, bounds, targets, OPEN, now)
        for i, w in enumerate(labels):
            s = stats.get(i) or q.WeekStats(0, 0, None)
            found.append(ClockWeek(w, clock, s.counted, s.within, s.median_seconds))
    return labels, found


def _local_week(first: datetime, i: int, tz: tzinfo) -> datetime:
    """The start of the i-th week after `first`, local midnight (a DST change moves it an hour)."""
    day = first.astimezone(tz).date() + timedelta(weeks=i)
    return datetime.combine(day, time.min, tz)


def overdue(session: Session, targets: clocks.Targets, now: datetime, limit: int = OVERDUE_SHOWN,
            offset: int = 0) -> list[Overdue]:
    """Open reports with at least one overdue clock, the longest overdue first (one page)."""
    found = []
    for r in q.overdue_reports(session, targets, OPEN, now, limit, offset):
        late = [c for c in clocks.status(r, targets, now) if c.state == "overdue"]
        found.append(Overdue(r.id, r.category, r.state, r.priority, r.village.name if r.village else None,
                             r.created_at, tuple(c.name for c in late), min(c.due_at for c in late)))
    return found


def overdue_count(session: Session, targets: clocks.Targets, now: datetime) -> int:
    return q.overdue_count(session, targets, OPEN, now)


def overview(session: Session, now: datetime, tz: tzinfo) -> Overview:
    targets = clocks.targets(session)
    week = week_start(now, tz)
    month = month_start(now, tz)
    labels, weeks = clock_weeks(session, targets, now, tz)
    ratings = q.count_by_rating(session)
    return Overview(
        by_state=_ordered(q.count_by_state(session, OPEN), OPEN),
        by_village=q.count_by_village(session, OPEN),
        by_category=q.count_by_category(session, OPEN),
        week=flow(session, week, now),
        month=flow(session, month, now),
        clock_weeks=weeks,
        overdue=overdue(session, targets, now),
        overdue_total=overdue_count(session, targets, now),
        km={b * BUCKET_KM: n for b, n in q.count_by_half_km(session, OPEN).items()},
        ratings={r: ratings.get(r, 0) for r in RATINGS},
        weeks=labels,
    )


def _ordered(counts: dict[str, int], order: tuple[str, ...]) -> dict[str, int]:
    return {k: counts[k] for k in order if counts.get(k)}
