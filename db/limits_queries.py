"""Limits on anonymous actions: events counted per action and key, refusals kept for staff."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, false, func, select
from sqlalchemy.orm import Session

from db.models import LimitEvent


def add(session: Session, rows: list[dict]) -> list[int]:
    events = [LimitEvent(**row) for row in rows]
    session.add_all(events)
    session.flush()
    return [e.id for e in events]


def count(session: Session, action: str, key: str, since: datetime, *, besides: list[int]) -> list[datetime]:
    """Times of the counted (not refused) events for this action and key after `since`, newest first,
    leaving out the caller's own."""
    query = (select(LimitEvent.at).where(LimitEvent.action == action, LimitEvent.key == key,
                                         LimitEvent.refused.is_(false()), LimitEvent.at > since,
                                         LimitEvent.id.not_in(besides))
             .order_by(LimitEvent.at.desc()))
    return list(session.scalars(query))


def refuse(session: Session, ids: list[int]) -> None:
    """The attempt was refused: its events stay for staff to see, and no longer count."""
    for event in session.scalars(select(LimitEvent).where(LimitEvent.id.in_(ids))):
        event.refused = True


def remove(session: Session, ids: list[int]) -> None:
    session.execute(delete(LimitEvent).where(LimitEvent.id.in_(ids)))


def forget(session: Session, before: datetime) -> None:
    session.execute(delete(LimitEvent).where(LimitEvent.at < before))


def refusals(session: Session, since: datetime, limit: int = 200) -> list[LimitEvent]:
    return list(session.scalars(select(LimitEvent).where(LimitEvent.refused, LimitEvent.at >= since)
                                .order_by(LimitEvent.at.desc()).limit(limit)))


def refusal_counts(session: Session, since: datetime) -> dict[str, int]:
    rows = session.execute(select(LimitEvent.action, func.count()).where(LimitEvent.refused, LimitEvent.at >= since)
                           .group_by(LimitEvent.action))
    return dict(rows.all())
