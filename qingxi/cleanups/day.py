"""The day: check-in by code (typed or scanned), walk-ins, attendance, and marking the event done.
Permission cleanup.checkin (done: cleanup.results).

Walk-ins are added on the day as seated, attended sign-ups with walk_in set: they do not use seats,
so the people present may exceed capacity (capacity is for booking, not for the bank).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from db import cleanups_queries as q
from db.models import Cleanup, Signup
from qingxi.cleanups.rules import (
    ATTENDANCE,
    MAX_COMPANIONS,
    OPEN_FOR_SIGNUP,
    CleanupError,
    Staffed,
    checked_int,
    checked_phone,
    checked_text,
    in_state,
    new_code,
    staffed,
    transition,
    village_id,
)
from qingxi.cleanups.shapes import CheckIn
from qingxi.core import audit, codes, places
from qingxi.core.acting import acting


def _on_the_day(ev: Cleanup) -> None:
    if ev.state == "cancelled":
        raise CleanupError("event_cancelled")
    in_state(ev, *OPEN_FOR_SIGNUP, "closed", "done")


def check_in(engine: Engine, user, cleanup_id: int, code: str, *, now: datetime | None = None) -> CheckIn:
    """Check a seated sign-up in by its code (typed or scanned from the QR's URL)."""
    code = codes.normalise((code or "").rsplit("code=", 1)[-1])
    with staffed(engine, user, cleanup_id, "cleanup.checkin", now) as c:
        _on_the_day(c.cleanup)
        su = q.signup_by_code(c.session, code) if code else None
        if su is None:
            raise CleanupError("bad_code")
        if su.cleanup_id != c.cleanup.id:
            raise CleanupError("other_event")
        if su.status == "cancelled":
            raise CleanupError("signup_cancelled")
        if su.status == "waitlisted":
            raise CleanupError("waitlisted")
        if su.checked_in_at is not None:
            raise CleanupError("already_checked_in")
        su.checked_in_at, su.attendance = c.at, "attended"
        c.audit("cleanup.check_in", {"checked_in_at": None, "attendance": "unknown"},
                {"checked_in_at": c.at, "attendance": "attended"}, entity="cleanup_signup", entity_id=su.id)
        return CheckIn(su.name, su.seats, su.group.name if su.group else None)


def walk_in(engine: Engine, user, cleanup_id: int, name: str, phone: str = "", village_code: str | None = None,
            companions: int = 0, *, now: datetime | None = None) -> str:
    """Someone who came without signing up: seated, attended, checked in, outside capacity."""
    name = checked_text(name, places.MAX_NAME, "name_needed", required=True)
    number = checked_phone(phone, required=False)
    companions = checked_int(companions, 0, MAX_COMPANIONS, "bad_companions")
    with staffed(engine, user, cleanup_id, "cleanup.checkin", now) as c:
        _on_the_day(c.cleanup)
        village = village_id(c.session, village_code)
        if number and q.live_signup(c.session, c.cleanup.id, number) is not None:
            raise CleanupError("already_signed_up")
        su = Signup(cleanup_id=c.cleanup.id, code=new_code(c.session), name=name, phone=number,
                    village_id=village, companions=companions, seats=1 + companions, group_seats=0,
                    status="seated", attendance="attended", checked_in_at=c.at, walk_in=True, created_at=c.at)
        c.session.add(su)
        c.session.flush()
        c.audit("cleanup.walk_in", {}, {"seats": su.seats, "name": audit.REDACTED},
                entity="cleanup_signup", entity_id=su.id)
        return su.code


def set_attendance(engine: Engine, user, signup_id: int, attendance: str, *, now: datetime | None = None) -> None:
    """After the start: mark a seated sign-up attended or no-show (or back to unknown)."""
    if attendance not in ATTENDANCE:
        raise CleanupError("bad_attendance")
    with acting(engine, user, "cleanup.checkin", now=now, write=True) as c:
        su = q.signup(c.session, signup_id)
        if su is None:
            raise CleanupError("not_found")
        ev = q.cleanup(c.session, su.cleanup_id, lock=True)
        if ev.state == "cancelled" or ev.starts_at > c.at:
            raise CleanupError("not_yet")
        if su.status != "seated":
            raise CleanupError("waitlisted" if su.status == "waitlisted" else "signup_cancelled")
        before = {"attendance": su.attendance}
        su.attendance = attendance
        c.audit("cleanup.attendance", before, {"attendance": attendance}, entity="cleanup_signup", entity_id=su.id)


def mark_done(engine: Engine, user, cleanup_id: int, *, no_show_rest: bool = False,
              now: datetime | None = None) -> None:
    """published / full / closed → done once the event has started; with no_show_rest, every
    seated sign-up still "unknown" becomes a no-show."""
    def started(c: Staffed) -> None:
        if c.cleanup.starts_at > c.at:
            raise CleanupError("not_yet")
        if no_show_rest:
            for su in q.signups(c.session, c.cleanup.id):
                if su.status == "seated" and su.attendance == "unknown":
                    su.attendance = "no_show"
    transition(engine, user, cleanup_id, now, "done", *OPEN_FOR_SIGNUP, "closed", check=started)
