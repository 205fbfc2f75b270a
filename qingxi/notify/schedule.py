"""The scheduler inside the worker: events that come from the passing of time, each raised once
(the outbox's unique `key`), however many workers run and however often they look.

- `clock.due`: a running response clock at 80 % of its target; `clock.overdue`: past it.
- `proposal.deadline`: two weeks and three days before the deadline of a proposal not yet answered.
- `cleanup.reminder`: the day before (24 h) and two hours before a published, full or closed
  clean-up day. A day published later than a moment does not get that moment's reminder late
  (a 24 h reminder is not sent 3 hours before: the 2 h one follows).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine

from db import notify_queries as q
from db.engine import session_scope
from qingxi.core import outbox
from qingxi.reports import OPEN_STATES, clocks

DUE_SHARE = 0.8
LOOKBACK = timedelta(days=1)
REMINDERS = (("day", timedelta(hours=24), timedelta(hours=2)), ("2h", timedelta(hours=2), timedelta(0)))
REMINDED_STATES = ("published", "full", "closed")
DEADLINES = (("14d", timedelta(days=14), timedelta(days=3)), ("3d", timedelta(days=3), timedelta(0)))
HANDLING_STATES = ("assigned", "signed", "handling")


def raise_due(engine: Engine, now: datetime) -> int:
    return _clocks(engine, now) + _reminders(engine, now) + _deadlines(engine, now)


def _clocks(engine: Engine, now: datetime) -> int:
    """One query for the open reports, one for the keys already raised, an insert per new event.
    A moment that passed more than LOOKBACK ago (the worker was not running, or the portal has just
    been upgraded) is not raised late: the overdue list on the dashboard shows those."""
    with session_scope(engine) as s:
        targets = clocks.targets(s)
        longest = max(seconds for table in targets.values() for seconds in table.values())
        since = now - timedelta(seconds=longest) - LOOKBACK  # older reports have no moment left to raise
        due: list[tuple[str, object, str, str]] = []
        for report in q.open_reports(s, [st.value for st in OPEN_STATES], since):
            table = targets.get(report.priority) or targets["normal"]
            for clock in clocks.status(report, targets, now):
                seconds = table[clock.name]
                if clock.state == "overdue":
                    event, moment = "clock.overdue", clock.due_at
                elif clock.state == "running":
                    event, moment = "clock.due", report.created_at + timedelta(seconds=seconds * DUE_SHARE)
                else:
                    continue
                if moment <= now and now - moment <= LOOKBACK:
                    due.append((event, report, clock.name, f"{event}:{report.id}:{clock.name}"))
        known = q.known_keys(s, [key for *_, key in due])
        raised = 0
        for event, report, name, key in due:
            if key not in known:
                raised += outbox.report_event(s, event, report, at=now, clock=name, key=key)
        return raised


def _reminders(engine: Engine, now: datetime) -> int:
    raised = 0
    with session_scope(engine) as s:
        for ev in q.upcoming_cleanups(s, REMINDED_STATES, now, now + timedelta(hours=24)):
            for name, before, until in REMINDERS:
                if ev.starts_at - before <= now < ev.starts_at - until:
                    payload = {"cleanup_id": ev.id, "title": ev.title, "starts_at": ev.starts_at,
                               "village": q.village_name(s, ev.meeting_village_id),
                               "river_km": ev.meeting_km}
                    raised += outbox.emit(s, "cleanup.reminder", payload, village_id=ev.meeting_village_id,
                                          key=f"cleanup.reminder:{ev.id}:{name}", at=now)
    return raised


def _deadlines(engine: Engine, now: datetime) -> int:
    """`proposal.deadline`: two weeks and three days before an unanswered proposal's deadline."""
    raised = 0
    with session_scope(engine) as s:
        for p in q.proposals_due(s, HANDLING_STATES, now, now + timedelta(days=14)):
            for name, before, until in DEADLINES:
                if p.deadline - before <= now < p.deadline - until:
                    payload = {"proposal_id": p.id, "title": p.title, "deadline": p.deadline}
                    raised += outbox.emit(s, "proposal.deadline", payload, unit_id=p.lead_unit_id,
                                          key=f"proposal.deadline:{p.id}:{name}", at=now)
    return raised
