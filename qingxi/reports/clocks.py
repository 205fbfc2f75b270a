"""Response clocks (签收 / 派单 / 回访 / 到场 / 办结), after the "新无忧" model: each clock counts
wall time from a report's creation to its milestone, against a target per priority.

Milestones are columns on the report, stamped when they happen (reports.move, triage); they are
never recomputed from the history. A clock with its milestone is `met` (on or before its due time)
or `late`; one without is `running` (due time ahead) or `overdue` (passed) while the report is
open. Once a report has ended (fixed, or closed in any way) a clock that never got its milestone
is `skipped` — an invalid report was never dispatched, and is not "overdue" for ever.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import triage_queries as q
from db.engine import session_scope
from db.models import ClockTarget, Report
from qingxi.core import audit, permissions
from qingxi.core.acting import fresh_user
from qingxi.core.refusals import Refusal
from qingxi.reports.states import Kind, kind_of

CLOCKS = ("sign", "dispatch", "callback", "onsite", "resolve")
PRIORITIES = ("urgent", "normal")
# clock → the milestone column(s) that stop it (the first one set wins).
MILESTONES: dict[str, tuple[str, ...]] = {
    "sign": ("signed_at",),
    "dispatch": ("dispatched_at",),
    "callback": ("called_back_at",),
    "onsite": ("on_site_at",),
    "resolve": ("fixed_at", "closed_at"),
}
DEFAULTS: dict[str, dict[str, int]] = {
    "urgent": {"sign": 30, "dispatch": 60, "callback": 120, "onsite": 1800, "resolve": 86_400},
    "normal": {"sign": 1800, "dispatch": 14_400, "callback": 86_400, "onsite": 259_200, "resolve": 604_800},
}
URGENT_CATEGORIES = frozenset({"sewage", "dead_fish", "water_colour_smell"})
STATES = ("met", "late", "running", "overdue", "skipped")
MAX_SECONDS = 366 * 86_400

Targets = Mapping[str, Mapping[str, int]]  # priority → clock → seconds


class ClockError(Refusal):
    """A target the admin can correct; `key` names the message."""

    area = "settings"


@dataclass(frozen=True)
class Clock:
    name: str
    due_at: datetime
    done_at: datetime | None
    state: str  # met / late / running / overdue / skipped


def default_priority(category: str) -> str:
    """Pollution that spreads or kills fish is urgent from the start; everything else normal."""
    return "urgent" if category in URGENT_CATEGORIES else "normal"


def targets(session: Session) -> dict[str, dict[str, int]]:
    """The admin's targets, falling back to the defaults for any row that is missing."""
    found = {p: dict(clocks) for p, clocks in DEFAULTS.items()}
    for row in q.clock_targets(session):
        if row.priority in found and row.clock in CLOCKS:
            found[row.priority][row.clock] = row.seconds
    return found


def ensure_defaults(session: Session) -> int:
    """Insert the default target rows that are missing (never overwrites an edited one)."""
    have = {(r.priority, r.clock) for r in q.clock_targets(session)}
    added = [ClockTarget(priority=p, clock=c, seconds=s)
             for p, clocks in DEFAULTS.items() for c, s in clocks.items() if (p, c) not in have]
    session.add_all(added)
    session.flush()
    return len(added)


def set_target(engine: Engine, admin, priority: str, clock: str, seconds: int) -> None:
    """An admin changes one target (audited). Refused: not an admin (Denied), an unknown
    priority or clock, or seconds that are not a positive whole number (ClockError)."""
    if priority not in PRIORITIES:
        raise ClockError("bad_priority")
    if clock not in CLOCKS:
        raise ClockError("bad_clock")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 0 < seconds <= MAX_SECONDS:
        raise ClockError("bad_seconds", most=MAX_SECONDS)
    with session_scope(engine) as s:
        actor = fresh_user(s, admin)
        permissions.require(actor, "clocks.edit")
        row = q.clock_target(s, priority, clock)
        before = DEFAULTS[priority][clock] if row is None else row.seconds
        if row is None:
            s.add(ClockTarget(priority=priority, clock=clock, seconds=seconds))
        else:
            row.seconds = seconds
        audit.record(s, actor, "clocks.set_target", "clock_target", None,
                     {"priority": priority, "clock": clock, "seconds": before},
                     {"priority": priority, "clock": clock, "seconds": seconds})


def _done_at(report: Report, clock: str) -> datetime | None:
    return next((v for f in MILESTONES[clock] if (v := getattr(report, f)) is not None), None)


def status(report: Report, targets: Targets, now: datetime) -> list[Clock]:
    """Every clock of a report at `now` (aware UTC)."""
    table = targets.get(report.priority) or targets["normal"]
    ended = kind_of(report.state) is not Kind.OPEN
    found = []
    for name in CLOCKS:
        due = report.created_at + timedelta(seconds=table[name])
        done = _done_at(report, name)
        if done is not None:
            state = "met" if done <= due else "late"
        elif ended:
            state = "skipped"
        else:
            state = "running" if now < due else "overdue"
        found.append(Clock(name, due, done, state))
    return found


def next_due(report: Report, targets: Targets, now: datetime) -> datetime | None:
    """When the first still-ticking clock runs out (overdue ones are in the past); None when no
    clock is ticking."""
    due = [c.due_at for c in status(report, targets, now) if c.state in ("running", "overdue")]
    return min(due, default=None)
