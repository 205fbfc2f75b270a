"""Seats: public sign-up (no account: the sign-up code is the key), the waitlist and its promotion,
and cancelling by code.

- capacity = reserved (sum of the invited groups' seats) + public seats. `seats_taken` on the event
  counts public seats, `seats_taken` on a group its reserved seats. A sign-up takes 1 + companions
  seats. A member of an invited group takes the group's free reserved seats first and any remainder
  from the public seats. Every counter moves by a conditional UPDATE
  (db.cleanups_queries.take_public_seats: "... WHERE state = 'published' AND seats_taken + n +
  reserved <= capacity"; rowcount 1 → seated, else waitlisted) inside `write_scope` (BEGIN
  IMMEDIATE on SQLite, the UPDATE's row lock on PostgreSQL); a CHECK constraint refuses an
  overbooking once more. Writers on one event lock its row first (the UPDATE, or SELECT ... FOR
  UPDATE for group sign-ups and cancellations), so they cannot deadlock.
- No single sign-up can freeze a day. A party that does not fit in the public seats left, while some
  are left, is told how many (CleanupError "party_too_big", nothing stored); it may choose to wait
  (`wait=True`), which does not close the day to people who fit. "full" means no public seat is
  left: only then do newcomers queue. When seats free, the waitlist is promoted in order, seating
  every waiting party that fits and skipping (not dropping) one that does not yet, so promotion
  never stalls behind a big party. Promotion stamps promoted_at; the sign-up's page says "you were
  promoted". Promotion also happens when planning adds capacity.
- One live sign-up (seated or waitlisted) per phone per event: checked first, and the partial
  unique index uq_cleanup_signups_live_phone catches two at once (→ "already_signed_up").
- Sign-up is open in "published" and "full" (→ waitlist) before the start; refused for drafts
  ("not_open"), closed registration ("closed"), cancelled ("event_cancelled"), done/reported
  ("over") and once the start time has passed ("past").
- Public sign-ups and cancellations are recorded in the sign-up rows themselves, not in the audit
  log (as report intake is), which keeps the hot path short.
"""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import cleanups_queries as q
from db.engine import session_scope
from db.models import Cleanup, Signup
from qingxi.cleanups.rules import (
    MAX_COMPANIONS,
    OPEN_FOR_SIGNUP,
    CleanupError,
    checked_int,
    checked_phone,
    checked_text,
    new_code,
    village_id,
)
from qingxi.cleanups.shapes import Receipt
from qingxi.core import codes, limits, outbox, places
from qingxi.core.acting import acting


def _seat(s: Session, ev_id: int, signup: Signup, states: Sequence[str]) -> bool:
    """Take the sign-up's seats (group seats first, then public ones) or nothing at all."""
    group_part = 0
    if signup.group_id is not None:
        g = q.group(s, ev_id, signup.group_id, lock=True)
        group_part = min(signup.seats, g.seats - g.seats_taken)
    public_part = signup.seats - group_part
    if public_part:
        if not q.take_public_seats(s, ev_id, public_part, states):
            return False
    elif q.cleanup(s, ev_id).state not in OPEN_FOR_SIGNUP:  # group seats only: the event must be open
        return False
    if group_part and not q.take_group_seats(s, signup.group_id, group_part):
        raise RuntimeError("group seats changed under a lock")  # cannot happen: the row is locked
    signup.group_seats = group_part
    signup.status = "seated"
    q.mark_full(s, ev_id)
    return True


def _unseat(s: Session, signup: Signup) -> None:
    if signup.status == "seated" and not signup.walk_in:
        if signup.seats - signup.group_seats:
            q.free_public_seats(s, signup.cleanup_id, signup.seats - signup.group_seats)
        if signup.group_seats:
            q.free_group_seats(s, signup.group_id, signup.group_seats)


def promote(s: Session, ev_id: int, at: datetime) -> list[int]:
    """Seat, in order, every waiting party that fits now (one that does not keeps its place); then
    the day is full exactly when no public seat is left."""
    promoted = []
    for waiting in q.waitlist(s, ev_id):
        if _seat(s, ev_id, waiting, OPEN_FOR_SIGNUP):
            waiting.promoted_at = at
            promoted.append(waiting.id)
            outbox.emit(s, "cleanup.promoted", {"cleanup_id": ev_id, "signup_id": waiting.id}, at=at)
    s.flush()
    ev = q.cleanup(s, ev_id)
    if ev.state in OPEN_FOR_SIGNUP:
        ev.state = "full" if _public_left(ev) <= 0 else "published"
    return promoted


def _public_left(ev: Cleanup) -> int:
    return ev.capacity - ev.reserved - ev.seats_taken


def _open_for_signup(ev: Cleanup | None, at: datetime) -> Cleanup:
    if ev is None:
        raise CleanupError("not_found")
    refusal = {"draft": "not_open", "closed": "closed", "cancelled": "event_cancelled", "done": "over",
               "reported": "over"}.get(ev.state)
    if refusal:
        raise CleanupError(refusal)
    if ev.starts_at <= at:
        raise CleanupError("past")
    return ev


def sign_up(engine: Engine, cleanup_id: int, name: str, phone: str, village_code: str | None = None,
            group_id: int | None = None, companions: int = 0, *, wait: bool = False,
            now: datetime | None = None, who: limits.Person | None = None) -> Receipt:
    """A seat (or a place on the waitlist) for `name` and `companions` more people. A party bigger
    than the public seats left, while some are left, is refused with how many are (`party_too_big`)
    unless it chose to `wait`; a party bigger than the day's public seats is always refused. `who`
    is the person signing up from a page (limits "cleanup.signup"); None for trusted callers."""
    name = checked_text(name, places.MAX_NAME, "name_needed", required=True)
    number = checked_phone(phone, required=True)
    companions = checked_int(companions, 0, MAX_COMPANIONS, "bad_companions")
    spent = limits.spending(engine, "cleanup.signup", replace(who, phone=number), now=now) if who else nullcontext()
    with spent:
        return _sign_up(engine, cleanup_id, name, number, village_code, group_id, companions, wait, now)


def _sign_up(engine: Engine, cleanup_id: int, name: str, number: str, village_code: str | None,
             group_id: int | None, companions: int, wait: bool, now: datetime | None) -> Receipt:
    try:
        with acting(engine, None, None, now=now, write=True) as c:
            s = c.session
            ev = _open_for_signup(s.get(Cleanup, cleanup_id, populate_existing=True), c.at)
            village = village_id(s, village_code)
            if group_id is not None:
                q.cleanup(s, cleanup_id, lock=True)  # lock order: the event row first, then the group's
                if q.group(s, cleanup_id, group_id) is None:
                    raise CleanupError("unknown_group")
            if q.live_signup(s, cleanup_id, number) is not None:
                raise CleanupError("already_signed_up")
            signup = Signup(cleanup_id=ev.id, code=new_code(s), name=name, phone=number, village_id=village,
                            group_id=group_id, companions=companions, seats=1 + companions, group_seats=0,
                            status="waitlisted", created_at=c.at)
            # Seats first, then the row: every writer on this event locks the event's row first.
            if not _seat(s, ev.id, signup, ("published",)):
                ev = _open_for_signup(q.cleanup(s, ev.id, lock=True), c.at)  # not cancelled or closed meanwhile
                _queue(s, ev, signup, wait)
            s.add(signup)
            s.flush()
            position = q.position(s, ev.id, signup.id) if signup.status == "waitlisted" else None
            return Receipt(signup.code, signup.status, position)
    except IntegrityError:
        with session_scope(engine) as s:
            if q.live_signup(s, cleanup_id, number) is not None:
                raise CleanupError("already_signed_up") from None
        raise


def _queue(s: Session, ev: Cleanup, signup: Signup, wait: bool) -> None:
    """A party that did not get its seats: refused with the seats left, or on the waitlist."""
    group = q.group(s, ev.id, signup.group_id) if signup.group_id else None
    room = ev.capacity - ev.reserved + (group.seats if group else 0)  # the most it could ever get
    left = max(_public_left(ev), 0) + (group.seats - group.seats_taken if group else 0)  # free now
    if signup.seats > room or (left > 0 and not wait):
        raise CleanupError("party_too_big", left=left, seats=signup.seats)
    q.mark_full(s, ev.id)  # full only when no public seat is left


def cancel_signup(engine: Engine, code: str, *, now: datetime | None = None) -> list[int]:
    """The holder of a sign-up code gives up the seat (or waitlist place): the seats go back and the
    waitlist moves up in order. Returns the ids of promoted sign-ups."""
    code = codes.normalise(code or "")
    with acting(engine, None, None, now=now, write=True) as c:
        s = c.session
        found = q.signup_by_code(s, code) if code else None
        if found is None:
            raise CleanupError("bad_code")
        ev = q.cleanup(s, found.cleanup_id, lock=True)  # the event row first (lock order)
        signup = q.signup(s, found.id)
        if signup.status == "cancelled":
            raise CleanupError("already_cancelled")
        if ev.state == "cancelled":
            raise CleanupError("event_cancelled")
        if ev.state not in OPEN_FOR_SIGNUP or ev.starts_at <= c.at:
            raise CleanupError("too_late")
        _unseat(s, signup)
        signup.status, signup.cancelled_at = "cancelled", c.at
        s.flush()
        return promote(s, ev.id, c.at)
