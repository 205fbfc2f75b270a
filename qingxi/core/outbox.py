"""The notifications outbox: a service records an event in the transaction of its change, so a
change that rolls back sends nothing and a committed one is delivered by the worker
(qingxi.notify) even if it starts later.

    outbox.emit(session, "cleanup.cancelled", {"cleanup_id": ev.id, "title": ev.title}, at=c.at)
    outbox.report_event(session, "report.update", report, at=c.at, step="fixed")

Payloads never hold a name, a phone number or a tracking code: group messages are written from
them (qingxi.notify.messages)."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.orm import Session

from db import notify_queries as q
from db.models import NotifyEvent
from qingxi.core import clock

EVENTS = ("report.new", "report.urgent", "report.update", "clock.due", "clock.overdue", "cleanup.reminder",
          "cleanup.promoted", "cleanup.cancelled", "proposal.assigned", "proposal.answered", "proposal.deadline")


def emit(session: Session, event: str, payload: dict, *, village_id: int | None = None,
         unit_id: int | None = None, report_id: int | None = None, key: str | None = None,
         at: datetime | None = None) -> bool:
    """Record one event; with `key`, only once ever (False when it was already recorded)."""
    if event not in EVENTS:
        raise ValueError(event)
    row = NotifyEvent(event=event, key=key, payload=json.dumps(payload, ensure_ascii=False, default=str),
                      village_id=village_id, unit_id=unit_id, report_id=report_id, created_at=clock.now(at))
    return q.add_event(session, row)


def report_event(session: Session, event: str, report, *, at: datetime | None = None, key: str | None = None,
                 **extra) -> bool:
    """An event about a report: what the people on duty need and nothing personal."""
    session.flush()
    payload = {"report_id": report.id, "category": report.category, "priority": report.priority,
               "state": report.state, "village": q.village_name(session, report.village_id),
               "river_km": None if report.river_km is None else round(report.river_km, 2), **extra}
    return emit(session, event, payload, village_id=report.village_id, unit_id=report.unit_id, report_id=report.id,
                key=key, at=at)
