"""Reading: the events list and one event (drafts and the leader's contact for staff only), the
public summary, a sign-up's own page, the events that cleaned a report, the roster (staff only,
also as CSV) and the numbers (totals and series, summed in SQL).

What the public reads names nobody: no sign-up's name or phone, no leader contact.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import cleanups_queries as q
from db.engine import session_scope
from db.models import Cleanup
from qingxi.cleanups.rules import OPEN_FOR_SIGNUP, STATES, local, staffed
from qingxi.cleanups.shapes import (
    AttachedReport,
    CleanedBy,
    Event,
    GroupSeats,
    Results,
    RosterRow,
    SignupStatus,
    Stats,
)
from qingxi.core import clock, codes, permissions, sheets
from qingxi.core.acting import fresh_user
from qingxi.core.settings import current as settings

ROSTER_COLUMNS = ("code", "name", "phone", "village", "group", "companions", "seats", "status", "position",
                  "attendance", "checked_in_at", "walk_in", "promoted_at", "created_at")


def _is_staff(actor) -> bool:
    return permissions.can(actor, "cleanup.plan")


def _view(s: Session, ev: Cleanup, *, staff: bool, counts: dict | None = None) -> Event:
    counts = counts or q.seat_counts(s, [ev.id])[ev.id]
    results = None
    if ev.results_at is not None:
        results = Results(ev.participants, ev.hours, ev.bags, ev.kg, ev.km_covered,
                          {i.item: i.count for i in ev.items})
    reports = [AttachedReport(r.id, r.category, r.state, r.river_km, link.cleaned_by_volunteers)
               for link, r in q.links(s, ev.id) if not r.hidden]
    return Event(
        id=ev.id, title=ev.title, state=ev.state, starts_at=ev.starts_at, ends_at=ev.ends_at,
        meeting_village=ev.meeting_village.name if ev.meeting_village else None, meeting_km=ev.meeting_km,
        meeting_lon=ev.meeting_lon, meeting_lat=ev.meeting_lat, km_from=ev.km_from, km_to=ev.km_to,
        capacity=ev.capacity, public_capacity=ev.capacity - ev.reserved, public_taken=ev.seats_taken,
        groups=[GroupSeats(g.id, g.name, g.seats, g.seats_taken) for g in ev.groups],
        waitlisted=counts["waitlisted"], walk_ins=counts["walk_in"], checked_in=counts["checked_in"],
        equipment=[e for e in ev.equipment.split("\n") if e], leader_name=ev.leader_name,
        leader_contact=ev.leader_contact if staff else None, notes=ev.notes, cancel_message=ev.cancel_message,
        results=results, before_photos=[p.public_name for p in ev.photos if p.kind == "before"],
        after_photos=[p.public_name for p in ev.photos if p.kind == "after"], reports=reports, is_demo=ev.is_demo,
    )


def events(engine: Engine, user, *, now: datetime | None = None, upcoming_only: bool = False) -> list[Event]:
    """Events by start time; drafts only for staff; upcoming_only: those not yet ended."""
    at = clock.now(now)
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, "cleanup.view")
        staff = _is_staff(actor)
        states = STATES if staff else tuple(x for x in STATES if x != "draft")
        found = q.cleanups(s, states, since=at if upcoming_only else None)
        counts = q.seat_counts(s, [e.id for e in found])
        return [_view(s, e, staff=staff, counts=counts[e.id]) for e in found]


def event(engine: Engine, user, cleanup_id: int) -> Event | None:
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, "cleanup.view")
        staff = _is_staff(actor)
        ev = q.cleanup(s, cleanup_id)
        if ev is None or (ev.state == "draft" and not staff):
            return None
        return _view(s, ev, staff=staff)


def cleaned_by(engine: Engine, report_code: str) -> list[CleanedBy]:
    """The events whose volunteers cleaned the report with this tracking code (for its status page;
    drafts and hidden reports never)."""
    code = codes.normalise(report_code or "")
    if not code:
        return []
    with session_scope(engine) as s:
        return [CleanedBy(e.id, e.title, e.starts_at) for e in q.cleaned_by_events(s, code)]


def summary(engine: Engine, cleanup_id: int) -> Event | None:
    """The public summary of an event: no names, phones or the leader's contact."""
    return event(engine, None, cleanup_id)


def signup_status(engine: Engine, code: str, *, now: datetime | None = None) -> SignupStatus | None:
    """What a sign-up's own page shows; None for an unknown code."""
    at = clock.now(now)
    code = codes.normalise(code or "")
    if not code:
        return None
    with session_scope(engine) as s:
        su = q.signup_by_code(s, code)
        if su is None:
            return None
        ev = q.cleanup(s, su.cleanup_id)
        view = _view(s, ev, staff=False)
        waiting = su.status == "waitlisted"
        return SignupStatus(
            code=su.code, event=view, status=su.status, seats=su.seats,
            group=su.group.name if su.group else None,
            position=q.position(s, ev.id, su.id) if waiting else None,
            promoted=su.promoted_at is not None and su.status == "seated", promoted_at=su.promoted_at,
            checked_in_at=su.checked_in_at, attendance=su.attendance, event_cancelled=ev.state == "cancelled",
            cancel_message=ev.cancel_message if ev.state == "cancelled" else "",
            can_cancel=su.status != "cancelled" and ev.state in OPEN_FOR_SIGNUP and ev.starts_at > at,
        )


def roster(engine: Engine, user, cleanup_id: int) -> list[RosterRow]:
    """Everyone signed up, with names and phones (staff only)."""
    with staffed(engine, user, cleanup_id, "cleanup.roster", None, write=False) as c:
        rows, place = [], 0
        for su in q.signups(c.session, c.cleanup.id):
            place += su.status == "waitlisted"
            rows.append(RosterRow(su.id, su.code, su.name, su.phone, su.village.name if su.village else None,
                                  su.group.name if su.group else None, su.companions, su.seats, su.status,
                                  place if su.status == "waitlisted" else None, su.attendance, su.checked_in_at,
                                  su.walk_in, su.promoted_at, su.created_at))
        return rows


def roster_csv(engine: Engine, user, cleanup_id: int) -> bytes:
    """The roster as CSV (UTF-8 with BOM for Excel, formula-safe); times in local time. Staff only."""
    def shown(v):
        return local(v).strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else v

    return sheets.csv_bytes(ROSTER_COLUMNS, ([shown(getattr(r, col)) for col in ROSTER_COLUMNS]
                                             for r in roster(engine, user, cleanup_id)))


def stats(engine: Engine, *, now: datetime | None = None) -> Stats:
    """Totals and series over finished (done / reported) events, all summed in SQL."""
    at = clock.now(now)
    tz = settings().timezone
    offset_h = at.astimezone(tz).utcoffset().total_seconds() / 3600
    with session_scope(engine) as s:
        total = q.totals(s)
        came, missed = q.attendance(s)
        months = q.by_month(s, tz.key, offset_h)
        villages = q.by_village(s)
        kms = [(k, kg, km, (kg / km) if km else None) for k, kg, km in q.by_river_km(s)]
    return Stats(events=total["events"], participants=int(total["participants"]), hours=float(total["hours"]),
                 bags=int(total["bags"]), kg=float(total["kg"]), km_covered=float(total["km_covered"]),
                 reports_cleaned=total["reports_cleaned"], attended=came, no_show=missed, by_month=months,
                 by_village=villages, by_km=kms)
