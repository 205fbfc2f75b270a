"""Queries of the notifications outbox (qingxi.core.outbox writes, qingxi.notify reads and sends).

Claims are leases: a worker marks due deliveries `sending` with a lease in one short transaction
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several workers share the queue; SQLite has one writer
at a time), sends outside any transaction, then records the answer."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import (
    Cleanup,
    NotifyChannel,
    NotifyDelivery,
    NotifyEvent,
    Proposal,
    Report,
    Signup,
    Unit,
    User,
    Village,
)


def add_event(s: Session, row: NotifyEvent) -> bool:
    """Insert an event; one with a `key` that already exists is not added again (False)."""
    if row.key is not None:
        if s.scalar(select(NotifyEvent.id).where(NotifyEvent.key == row.key)) is not None:
            return False
        try:
            with s.begin_nested():
                s.add(row)
                s.flush()
        except IntegrityError:  # another worker raised it a moment ago
            return False
        return True
    s.add(row)
    s.flush()
    return True


def known_keys(s: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = list(keys[start:start + 500])
        found.update(s.scalars(select(NotifyEvent.key).where(NotifyEvent.key.in_(chunk))))
    return found


def village_name(s: Session, village_id: int | None) -> str:
    return (s.scalar(select(Village.name).where(Village.id == village_id)) or "") if village_id else ""


def village_by_code(s: Session, code: str) -> Village | None:
    return s.scalar(select(Village).where(Village.code == code))


def unit_name(s: Session, unit_id: int | None) -> str | None:
    return s.scalar(select(Unit.name).where(Unit.id == unit_id)) if unit_id else None


def unit_by_name(s: Session, name: str) -> Unit | None:
    return s.scalar(select(Unit).where(Unit.name == name))


def open_reports(s: Session, states: Sequence[str], since: datetime) -> list[Report]:
    """Open reports filed since `since` (the scheduler reads them every half minute)."""
    return list(s.scalars(select(Report).where(Report.state.in_(states), Report.hidden.is_(False),
                                               Report.created_at >= since)))


def upcoming_cleanups(s: Session, states: Sequence[str], now: datetime, until: datetime) -> list[Cleanup]:
    return list(s.scalars(select(Cleanup).where(Cleanup.state.in_(states), Cleanup.starts_at > now,
                                                Cleanup.starts_at <= until)))


def proposals_due(s: Session, states: Sequence[str], now: datetime, until: datetime) -> list[Proposal]:
    return list(s.scalars(select(Proposal).where(Proposal.state.in_(states), Proposal.deadline > now,
                                                 Proposal.deadline <= until)))


# ---------------------------------------------------------------- channels

def channels(s: Session) -> list[NotifyChannel]:
    return list(s.scalars(select(NotifyChannel).order_by(NotifyChannel.name)))


def channel_by_name(s: Session, name: str) -> NotifyChannel | None:
    return s.scalar(select(NotifyChannel).where(NotifyChannel.name == name))


def live_channels(s: Session) -> list[NotifyChannel]:
    return list(s.scalars(select(NotifyChannel).where(NotifyChannel.paused.is_(False)).order_by(NotifyChannel.id)))


def remove_channel(s: Session, channel_id: int) -> None:
    s.execute(delete(NotifyDelivery).where(NotifyDelivery.channel_id == channel_id))
    s.execute(delete(NotifyChannel).where(NotifyChannel.id == channel_id))


# ---------------------------------------------------------------- fan-out

def events_to_fan_out(s: Session, limit: int) -> list[NotifyEvent]:
    stmt = (select(NotifyEvent).where(NotifyEvent.fanned_out_at.is_(None)).order_by(NotifyEvent.id)
            .limit(limit).with_for_update(skip_locked=True))
    return list(s.scalars(stmt))


def add_deliveries(s: Session, rows: Sequence[NotifyDelivery]) -> None:
    s.add_all(rows)
    s.flush()


# People addressed by an event: a reporter's or a volunteer's phone (and the code of their own
# page), a deputy's account contact (their proposal's page needs no code).
PERSON_EVENTS = ("report.update", "cleanup.promoted", "cleanup.reminder", "cleanup.cancelled",
                 "proposal.assigned", "proposal.answered", "proposal.deadline")


def people_for(s: Session, event: str, payload: dict) -> list[tuple[str, str]]:
    """(phone or e-mail address, code of their own page) of everyone an event is about: the
    reporter who asked to hear back, volunteers by their sign-up phone (walk-ins without a phone
    get nothing), the lead deputy of a proposal by their account's contact (an enabled account)."""
    if event.startswith("proposal."):
        stmt = select(User.contact).join(Proposal, Proposal.lead_deputy_id == User.id).where(
            Proposal.id == payload.get("proposal_id"), User.contact.is_not(None), User.disabled.is_(False))
        return [(contact, "") for contact in s.scalars(stmt)]
    if event == "report.update":
        stmt = select(Report.reporter_phone, Report.code).where(
            Report.id == payload.get("report_id"), Report.hear_back.is_(True), Report.reporter_phone.is_not(None))
        return [(phone, code) for phone, code in s.execute(stmt)]
    stmt = select(Signup.phone, Signup.code).where(Signup.phone.is_not(None), Signup.phone != "")
    if event == "cleanup.promoted":
        stmt = stmt.where(Signup.id == payload.get("signup_id"), Signup.status == "seated")
    elif event == "cleanup.reminder":
        stmt = stmt.where(Signup.cleanup_id == payload.get("cleanup_id"), Signup.status == "seated")
    elif event == "cleanup.cancelled":
        stmt = stmt.where(Signup.cleanup_id == payload.get("cleanup_id"), Signup.status != "cancelled")
    else:
        return []
    return [(phone, code) for phone, code in s.execute(stmt.order_by(Signup.id))]


def person_channels(s: Session) -> list[NotifyChannel]:
    """The live channels for people (SMS / e-mail gateways)."""
    return list(s.scalars(select(NotifyChannel).where(NotifyChannel.audience == "person",
                                                      NotifyChannel.paused.is_(False)).order_by(NotifyChannel.id)))


# ---------------------------------------------------------------- delivery

def channels_with_due(s: Session, now: datetime) -> list[int]:
    stmt = (select(NotifyDelivery.channel_id).join(NotifyChannel, NotifyChannel.id == NotifyDelivery.channel_id)
            .where(NotifyChannel.paused.is_(False), _due(now)).distinct())
    return sorted(s.scalars(stmt))


def _due(now: datetime):
    return or_(and_(NotifyDelivery.status == "pending", NotifyDelivery.next_at <= now),
               and_(NotifyDelivery.status == "sending", NotifyDelivery.lease_until < now))


def claim(s: Session, channel_id: int, now: datetime, lease_until: datetime, limit: int) -> list[int]:
    """Mark up to `limit` due deliveries of a channel as being sent until `lease_until`; a lease
    that ran out (a worker killed mid-send) is due again."""
    stmt = (select(NotifyDelivery.id).where(NotifyDelivery.channel_id == channel_id, _due(now))
            .order_by(NotifyDelivery.id).limit(limit).with_for_update(skip_locked=True))
    ids = list(s.scalars(stmt))
    if ids:
        s.execute(update(NotifyDelivery).where(NotifyDelivery.id.in_(ids))
                  .values(status="sending", lease_until=lease_until, attempts=NotifyDelivery.attempts + 1))
    return ids


def deliveries_with_events(s: Session, ids: Sequence[int]) -> list[tuple[NotifyDelivery, NotifyEvent]]:
    stmt = (select(NotifyDelivery, NotifyEvent).join(NotifyEvent, NotifyEvent.id == NotifyDelivery.event_id)
            .where(NotifyDelivery.id.in_(ids)).order_by(NotifyDelivery.id))
    return [(d, e) for d, e in s.execute(stmt)]


def sent_since(s: Session, channel_id: int, since: datetime) -> int:
    """Messages (a digest counts once) the channel got since `since`."""
    single = s.scalar(select(func.count()).where(NotifyDelivery.channel_id == channel_id,
                                                 NotifyDelivery.sent_at >= since, NotifyDelivery.digest.is_(False)))
    digests = s.scalar(select(func.count(func.distinct(NotifyDelivery.sent_at))).where(
        NotifyDelivery.channel_id == channel_id, NotifyDelivery.sent_at >= since, NotifyDelivery.digest.is_(True)))
    return int(single or 0) + int(digests or 0)


def mark_sent(s: Session, ids: Sequence[int], at: datetime, *, digest: bool) -> None:
    s.execute(update(NotifyDelivery).where(NotifyDelivery.id.in_(ids), NotifyDelivery.status == "sending")
              .values(status="sent", sent_at=at, lease_until=None, last_error="", digest=digest))


def mark_retry(s: Session, ids: Sequence[int], next_at: datetime, error: str) -> None:
    s.execute(update(NotifyDelivery).where(NotifyDelivery.id.in_(ids))
              .values(status="pending", next_at=next_at, lease_until=None, last_error=error[:300]))


def mark_failed(s: Session, ids: Sequence[int], error: str) -> None:
    s.execute(update(NotifyDelivery).where(NotifyDelivery.id.in_(ids))
              .values(status="failed", lease_until=None, last_error=error[:300]))


def release(s: Session, ids: Sequence[int], next_at: datetime) -> None:
    """Back to pending without counting an attempt (rate limit reached before sending)."""
    s.execute(update(NotifyDelivery).where(NotifyDelivery.id.in_(ids))
              .values(status="pending", next_at=next_at, lease_until=None, attempts=NotifyDelivery.attempts - 1))


def resend(s: Session, delivery_id: int, now: datetime) -> bool:
    done = s.execute(update(NotifyDelivery).where(NotifyDelivery.id == delivery_id,
                                                  NotifyDelivery.status.in_(("failed", "sent")))
                     .values(status="pending", next_at=now, attempts=0, last_error="", sent_at=None, digest=False))
    return done.rowcount == 1


def recent(s: Session, limit: int = 200, status: str | None = None) -> list[tuple[NotifyDelivery, NotifyEvent, str]]:
    stmt = (select(NotifyDelivery, NotifyEvent, NotifyChannel.name)
            .join(NotifyEvent, NotifyEvent.id == NotifyDelivery.event_id)
            .join(NotifyChannel, NotifyChannel.id == NotifyDelivery.channel_id)
            .order_by(NotifyDelivery.id.desc()).limit(limit))
    if status:
        stmt = stmt.where(NotifyDelivery.status == status)
    return [(d, e, name) for d, e, name in s.execute(stmt)]



def first_alerts(s: Session, since: datetime) -> list[tuple[datetime, datetime]]:
    """(report filed, its first new / urgent message sent to a group) for the reports filed since
    `since` that had one."""
    stmt = (select(Report.created_at, func.min(NotifyDelivery.sent_at))
            .join(NotifyEvent, NotifyEvent.id == NotifyDelivery.event_id)
            .join(Report, Report.id == NotifyEvent.report_id)
            .where(NotifyEvent.event.in_(("report.new", "report.urgent")), NotifyDelivery.status == "sent",
                   NotifyDelivery.recipient_key == "", Report.created_at >= since)
            .group_by(Report.id, Report.created_at))
    return [(filed, sent) for filed, sent in s.execute(stmt)]
