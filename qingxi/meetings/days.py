"""Scheduling a face-to-face day (staff), publishing it, and registering for it (anyone, no account:
name and phone kept for staff, never shown; rate-limited) with an opinion sent in advance."""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from db import meetings_queries as q
from db import places_queries, reports_queries
from db.engine import session_scope
from db.models import Meeting, MeetingOpinion, MeetingOpinionPhoto, MeetingRegistration
from qingxi.core import codes, limits, photos, places
from qingxi.core.acting import acting, snap
from qingxi.meetings.rules import (
    MAX_CAPACITY,
    MAX_INVITED,
    MAX_PLACE,
    MAX_TEXT,
    MAX_TOPIC,
    MeetingError,
    checked_text,
    open_for_registration,
)


def schedule(engine: Engine, user, starts_at: datetime, place: str, topic: str, invited: str, capacity: int, *,
             now: datetime | None = None) -> int:
    """A draft day: when, where, the topic, the invited units and their officials' titles (one a line)."""
    place = checked_text(place, MAX_PLACE, "place_needed", required=True)
    topic = checked_text(topic, MAX_TOPIC, "topic_needed", required=True)
    invited = checked_text(invited, MAX_INVITED, "invited_needed", required=True)
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= MAX_CAPACITY:
        raise MeetingError("bad_capacity", most=MAX_CAPACITY)
    if starts_at.tzinfo is None:
        raise MeetingError("past")
    with acting(engine, user, "meeting.manage", now=now) as c:
        if starts_at <= c.at:
            raise MeetingError("past")
        row = Meeting(starts_at=starts_at, place=place, topic=topic, invited=invited, capacity=capacity,
                      state="draft", created_by_id=c.actor.id, created_at=c.at)
        c.session.add(row)
        c.session.flush()
        c.audit("meeting.schedule", {}, snap(row, "topic", "capacity"), entity="meeting", entity_id=row.id)
        return row.id


def publish(engine: Engine, user, meeting_id: int, *, now: datetime | None = None) -> None:
    with acting(engine, user, "meeting.manage", now=now) as c:
        row = q.meeting(c.session, meeting_id)
        if row is None:
            raise MeetingError("not_found")
        if row.state != "draft":
            raise MeetingError("not_draft")
        row.state, row.published_at = "published", c.at
        c.audit("meeting.publish", {"state": "draft"}, {"state": "published"}, entity="meeting", entity_id=row.id)


def _count_miss(engine: Engine, code: str, who: limits.Person, now: datetime | None) -> None:
    """A report code that does not exist counts as a guess (limits "code.miss"), so registering cannot
    be used to try codes; a code that exists does not count."""
    with limits.spending(engine, "code.miss", who, now=now) as attempt:
        with session_scope(engine) as s:
            if reports_queries.report_by_code(s, code) is not None:
                attempt.forgive()


def register(engine: Engine, meeting_id: int, name: str, phone: str, village_code: str | None = None,
             opinion: str = "", photo: bytes | None = None, report_code: str = "", *,
             who: limits.Person | None = None, now: datetime | None = None) -> int:
    """A seat at a published, future day that is not full, with an optional opinion (text, a photo,
    the code of a report the person filed: verified, never shown again). Returns the registration's id."""
    name = checked_text(name, places.MAX_NAME, "name_needed", required=True)
    if not places.phone_ok(phone or ""):
        raise MeetingError("bad_phone")
    number = places.normalise_phone(phone)
    opinion = checked_text(opinion, MAX_TEXT, "opinion_needed")
    code = codes.normalise(report_code or "")
    if (photo or code) and not opinion:
        raise MeetingError("opinion_needed")
    if code and who:
        _count_miss(engine, code, who, now)
    spend = limits.spending(engine, "meeting.register", replace(who, phone=number), now=now) if who else nullcontext()
    try:
        with spend, photos.staged([photo] if photo else []) as staged:
            with acting(engine, None, "meeting.register", now=now, write=True) as c:
                s = c.session
                day = open_for_registration(q.meeting(s, meeting_id, lock=True), c.at)
                if q.registration_by_phone(s, day.id, number) is not None:
                    raise MeetingError("already_registered")
                if q.registered(s, day.id) >= day.capacity:
                    raise MeetingError("full")
                village_id = places_queries.village_id(s, village_code) if village_code else None
                if village_code and village_id is None:
                    raise MeetingError("unknown_village")
                report_id = None
                if code:
                    found = reports_queries.report_by_code(s, code)
                    if found is None:
                        raise MeetingError("unknown_code")
                    report_id = found.id
                reg = MeetingRegistration(meeting_id=day.id, name=name, phone=number, village_id=village_id,
                                          created_at=c.at)
                s.add(reg)
                s.flush()
                if opinion:
                    op = MeetingOpinion(meeting_id=day.id, registration_id=reg.id, village_id=village_id,
                                        text=opinion, source="advance", report_id=report_id, created_at=c.at)
                    s.add(op)
                    s.flush()
                    for f in staged:
                        s.add(MeetingOpinionPhoto(opinion_id=op.id, **f.columns()))
                return reg.id
    except IntegrityError:
        raise MeetingError("already_registered") from None
