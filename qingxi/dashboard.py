"""The one-screen dashboard (一屏统揽) for staff and deputies: what is open and where, the flow of
this week and month, how the response clocks are kept, what is overdue, and what reporters think.

Every count comes from the database (db.dashboard_queries: GROUP BY / COUNT). The one exception
is the clock medians: percentiles are not portable (PostgreSQL has percentile_cont, SQLite has
nothing), so per clock ONE query returns the creation and stop time of each report created in
the last weeks, and the median and the share within target are worked out here from those
durations. Hidden reports are left out everywhere. Weeks (ISO, Monday first) and months are in
the local time zone given by the caller (settings().timezone on the page).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy.orm import Session

from db import dashboard_queries as q
from qingxi import clocks
from qingxi.reports import KIND, OPEN_STATES, Kind

WEEKS = 8
FIXED_STATES = tuple(s.value for s, k in KIND.items() if k is Kind.FIXED)
CLOSED_STATES = tuple(s.value for s, k in KIND.items() if k is Kind.CLOSED)
OPEN = tuple(s.value for s in OPEN_STATES)
RATINGS = ("satisfied", "basically", "unsatisfied")
BUCKET_KM = 0.5


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
    code: str
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
    overdue: list[Overdue]
    km: dict[float, int]          # bucket start km (every 0.5 km) → open reports
    ratings: dict[str, int]
    weeks: list[str] = field(default_factory=list)

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
    found = []
    for clock in clocks.CLOCKS:
        stopped: dict[str, list[float]] = {w: [] for w in labels}
        counted = dict.fromkeys(labels, 0)
        within = dict.fromkeys(labels, 0)
        for priority, state, created, done in q.clock_times(session, clock, first):
            week = iso_week(created, tz)
            if week not in counted:
                continue
            target = (targets.get(priority) or targets["normal"])[clock]
            if done is not None:
                seconds = (done - created).total_seconds()
                stopped[week].append(seconds)
                counted[week] += 1
                within[week] += seconds <= target
            elif state in OPEN and now > created + timedelta(seconds=target):
                counted[week] += 1  # overdue: already outside its target
        found += [ClockWeek(w, clock, counted[w], within[w],
                            statistics.median(stopped[w]) if stopped[w] else None) for w in labels]
    return labels, found


def overdue(session: Session, targets: clocks.Targets, now: datetime) -> list[Overdue]:
    """Open reports with at least one overdue clock, the longest overdue first."""
    found = []
    for r in q.open_reports(session, OPEN):
        late = [c for c in clocks.status(r, targets, now) if c.state == "overdue"]
        if late:
            found.append(Overdue(r.id, r.code, r.category, r.state, r.priority, r.village_name, r.created_at,
                                 tuple(c.name for c in late), min(c.due_at for c in late)))
    return sorted(found, key=lambda o: (o.due_at, o.id))


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
        km={b * BUCKET_KM: n for b, n in q.count_by_half_km(session, OPEN).items()},
        ratings={r: ratings.get(r, 0) for r in RATINGS},
        weeks=labels,
    )


def _ordered(counts: dict[str, int], order: tuple[str, ...]) -> dict[str, int]:
    return {k: counts[k] for k in order if counts.get(k)}
