"""Planning: where to clean, plans, and the event's life before the day (create, edit, attach
reports, publish, close registration, cancel). Permission cleanup.plan.

- Where to clean: open (not hidden, not cleaned by the reporter, on the river) reports of
  LITTER_CATEGORIES, each weighing CATEGORY_WEIGHT × SIZE_WEIGHT × age band × (1 + 0.5 × supporters,
  at most 10 counted); summed per 500 m section (index = floor(river_km / 0.5)) in SQL.
  construction_waste counts at half weight: it is litter-like and volunteers can bag small heaps,
  but a truckload is a job for a unit, not for a clean-up day. report_weight() is the same rule in
  Python (tests compare the two).
- Editing a published or full event can add room: the waitlist is promoted (qingxi.cleanups.seats).
- Cancelling an event keeps every sign-up as it was; each sign-up's page shows the message.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import cleanups_queries as q
from db.engine import session_scope
from db.models import Cleanup, CleanupGroup
from qingxi.cleanups.rules import (
    AGE_BANDS,
    CATEGORY_WEIGHT,
    LITTER_CATEGORIES,
    MAX_CAPACITY,
    MAX_MESSAGE,
    MAX_TEXT,
    MAX_TITLE,
    NO_SIZE_WEIGHT,
    OPEN_FOR_SIGNUP,
    SECTION_KM,
    SIZE_WEIGHT,
    SUPPORTER_CAP,
    SUPPORTER_WEIGHT,
    CleanupError,
    Staffed,
    checked_int,
    checked_text,
    in_state,
    local,
    staffed,
    transition,
)
from qingxi.cleanups.seats import promote
from qingxi.cleanups.shapes import Plan, Section
from qingxi.core import clock, outbox, permissions, places
from qingxi.core.acting import acting, fresh_user, snap
from qingxi.core.i18n import t
from qingxi.reports import OPEN_STATES

# ---------------------------------------------------------------- plans

_PLAN_FIELDS = ("title", "starts_at", "ends_at", "km_from", "km_to", "capacity", "reserved", "meeting_village_id",
                 "meeting_km", "equipment", "leader_name", "notes", "state")


def _check_plan(s: Session, plan: Plan) -> dict:
    """Everything a plan must satisfy; returns the columns to store (meeting point placed)."""
    title = checked_text(plan.title, MAX_TITLE, "title_needed", required=True)
    if not (isinstance(plan.starts_at, datetime) and isinstance(plan.ends_at, datetime)
            and plan.starts_at.tzinfo and plan.ends_at.tzinfo):
        raise CleanupError("bad_time")
    if plan.ends_at <= plan.starts_at:
        raise CleanupError("end_before_start")
    if plan.ends_at - plan.starts_at > timedelta(hours=24):
        raise CleanupError("too_long")
    capacity = checked_int(plan.capacity, 1, MAX_CAPACITY, "bad_capacity")
    river = places.model(s)
    length_km = river.length_m / 1000
    km_from, km_to = plan.km_from, plan.km_to
    if not (isinstance(km_from, (int, float)) and isinstance(km_to, (int, float))
            and math.isfinite(km_from) and math.isfinite(km_to)
            and 0 <= km_from < km_to <= length_km + 1e-6):
        raise CleanupError("section_outside_river", length=f"{length_km:.2f}")
    groups = {}
    for name, seats in (plan.reserved or {}).items():
        name = checked_text(name, 50, "group_name_needed", required=True)
        if name in groups:
            raise CleanupError("group_twice", group=name)
        groups[name] = checked_int(seats, 1, MAX_CAPACITY, "bad_reserved")
    if sum(groups.values()) > capacity:
        raise CleanupError("reserved_over_capacity")
    if (plan.meeting_village_code is None) == (plan.meeting_km is None):
        raise CleanupError("meeting_point_needed")
    if plan.meeting_village_code is not None:
        village = q.village(s, plan.meeting_village_code)
        if village is None:
            raise CleanupError("unknown_village")
        meeting = dict(meeting_village_id=village.id, meeting_km=None, meeting_lon=village.lon, meeting_lat=village.lat)
    else:
        km = plan.meeting_km
        if not (isinstance(km, (int, float)) and math.isfinite(km) and 0 <= km <= length_km + 1e-6):
            raise CleanupError("meeting_outside_river", length=f"{length_km:.2f}")
        lon, lat = river.point_at_km(min(float(km), length_km))
        meeting = dict(meeting_village_id=None, meeting_km=float(km), meeting_lon=lon, meeting_lat=lat)
    equipment = [checked_text(e, 100, "text_too_long") for e in plan.equipment]
    return dict(
        title=title, starts_at=plan.starts_at, ends_at=plan.ends_at, km_from=float(km_from),
        km_to=float(min(km_to, length_km)), capacity=capacity, reserved=sum(groups.values()),
        equipment="\n".join(e for e in equipment if e),
        leader_name=checked_text(plan.leader_name, 100, "text_too_long"),
        leader_contact=checked_text(plan.leader_contact, 100, "text_too_long"),
        notes=checked_text(plan.notes, MAX_TEXT, "text_too_long"), groups=groups, **meeting)


def _new_draft(c: Staffed, plan: Plan, is_demo: bool) -> Cleanup:
    """The checked plan stored as a draft: the act's target, with its id."""
    cols = _check_plan(c.session, plan)
    groups = cols.pop("groups")
    ev = c.target = Cleanup(**cols, state="draft", created_by_id=c.actor.id, created_at=c.at, updated_at=c.at,
                            is_demo=is_demo)
    ev.groups = [CleanupGroup(name=n, seats=k) for n, k in groups.items()]
    c.session.add(ev)
    c.session.flush()
    return ev


def create(engine: Engine, user, plan: Plan, *, now: datetime | None = None, is_demo: bool = False) -> int:
    """A new draft event."""
    with acting(engine, user, "cleanup.plan", now=now, write=True, context=Staffed) as c:
        ev = _new_draft(c, plan, is_demo)
        c.audit("cleanup.create", {}, snap(ev, *_PLAN_FIELDS))
        return ev.id


def update(engine: Engine, user, cleanup_id: int, plan: Plan, *, now: datetime | None = None) -> None:
    """Change a draft, published or full event. Capacity and reserved seats cannot drop below the
    seats already taken; added room promotes the waitlist."""
    with staffed(engine, user, cleanup_id, "cleanup.plan", now) as c:
        ev = c.cleanup
        in_state(ev, "draft", *OPEN_FOR_SIGNUP)
        cols = _check_plan(c.session, plan)
        groups = cols.pop("groups")
        current = {g.name: g for g in ev.groups}
        for name, g in current.items():
            if g.seats_taken and groups.get(name, 0) < g.seats_taken:
                raise CleanupError("reserved_below_taken", group=name, taken=g.seats_taken)
            if name not in groups and q.group_in_use(c.session, g.id):
                raise CleanupError("group_in_use", group=name)
        if ev.seats_taken + cols["reserved"] > cols["capacity"]:
            raise CleanupError("capacity_below_taken", taken=ev.seats_taken + cols["reserved"])
        before = snap(ev, *_PLAN_FIELDS) | {"groups": {n: g.seats for n, g in current.items()}}
        for key, value in cols.items():
            setattr(ev, key, value)
        for name, g in current.items():
            if name in groups:
                g.seats = groups[name]
            else:
                ev.groups.remove(g)
        ev.groups.extend(CleanupGroup(name=n, seats=k) for n, k in groups.items() if n not in current)
        ev.updated_at = c.at
        c.session.flush()
        if ev.state in OPEN_FOR_SIGNUP:
            promote(c.session, ev.id, c.at)
        after = snap(q.cleanup(c.session, ev.id), *_PLAN_FIELDS) | {"groups": groups}
        c.audit("cleanup.update", before, after)


def _not_started(c: Staffed) -> None:
    if c.cleanup.starts_at <= c.at:
        raise CleanupError("past")


def publish(engine: Engine, user, cleanup_id: int, *, now: datetime | None = None) -> None:
    """draft → published (sign-up opens); refused once the start time has passed."""
    transition(engine, user, cleanup_id, now, "published", "draft", check=_not_started)


def close_registration(engine: Engine, user, cleanup_id: int, *, now: datetime | None = None) -> None:
    """published / full → closed: no more sign-ups or cancellations; check-in still works."""
    transition(engine, user, cleanup_id, now, "closed", *OPEN_FOR_SIGNUP)


def cancel(engine: Engine, user, cleanup_id: int, message: str, *, now: datetime | None = None) -> None:
    """Any state but done / reported → cancelled, with a message every sign-up's page shows."""
    message = checked_text(message, MAX_MESSAGE, "message_needed", required=True)
    with staffed(engine, user, cleanup_id, "cleanup.plan", now) as c:
        in_state(c.cleanup, "draft", *OPEN_FOR_SIGNUP, "closed")
        before = snap(c.cleanup, "state", "cancel_message", "cancelled_at")
        c.cleanup.state, c.cleanup.cancel_message, c.cleanup.cancelled_at = "cancelled", message, c.at
        c.cleanup.updated_at = c.at
        c.audit("cleanup.cancel", before, snap(c.cleanup, "state", "cancel_message", "cancelled_at"), message)
        outbox.emit(c.session, "cleanup.cancelled", {"cleanup_id": c.cleanup.id, "title": c.cleanup.title,
                                                     "starts_at": c.cleanup.starts_at}, at=c.at)


def attach_reports(engine: Engine, user, cleanup_id: int, report_ids: Iterable[int], *,
                   now: datetime | None = None) -> int:
    """Attach open reports to an event that has not happened yet; returns how many were new."""
    ids = list(dict.fromkeys(report_ids))
    with staffed(engine, user, cleanup_id, "cleanup.plan", now) as c:
        in_state(c.cleanup, "draft", *OPEN_FOR_SIGNUP, "closed", "done")
        found = set(q.open_reports(c.session, ids, [s.value for s in OPEN_STATES]))
        if missing := [i for i in ids if i not in found]:
            raise CleanupError("report_not_open", report=missing[0])
        added = q.attach(c.session, c.cleanup.id, ids, c.at)
        c.audit("cleanup.attach", {}, {"reports": ids})
        return added


# ---------------------------------------------------------------- where to clean

def report_weight(category: str, size: str | None, age_days: float, supporters: int) -> float:
    """How much one open report pulls a clean-up to its section (the SQL in
    db.cleanups_queries.litter_sections computes exactly this)."""
    age = next((w for d, w in sorted(AGE_BANDS, reverse=True) if age_days >= d), 1.0)
    size_w = SIZE_WEIGHT.get(size, NO_SIZE_WEIGHT) if size is not None else NO_SIZE_WEIGHT
    return CATEGORY_WEIGHT.get(category, 0.0) * size_w * age * (1 + SUPPORTER_WEIGHT * min(supporters, SUPPORTER_CAP))


def _section_rows(s: Session, now: datetime) -> list[dict]:
    return q.litter_sections(s, [st.value for st in OPEN_STATES], SECTION_KM, now,
                             category_w=CATEGORY_WEIGHT, size_w=SIZE_WEIGHT, default_size=NO_SIZE_WEIGHT,
                             age_bands=AGE_BANDS, supporter_w=SUPPORTER_WEIGHT, supporter_cap=SUPPORTER_CAP)


def sections(engine: Engine, user, *, now: datetime | None = None, limit: int | None = None) -> list[Section]:
    """500 m river sections ranked by open litter (highest score first; ties: upstream first)."""
    at = clock.now(now)
    with session_scope(engine) as s:
        permissions.require(fresh_user(s, user), "cleanup.plan")
        rows = _section_rows(s, at)
        river = places.model(s)
    length = river.length_m / 1000
    ranked = []
    for r in rows:
        km_from = r["idx"] * SECTION_KM
        km_to = min(km_from + SECTION_KM, length)
        if km_from >= length:  # a report exactly at the end belongs to the last section
            km_from, km_to = max(length - SECTION_KM, 0.0), length
        lon, lat = river.point_at_km((km_from + km_to) / 2)
        ranked.append(Section(r["idx"], round(km_from, 3), round(km_to, 3), round(r["score"], 3), r["reports"],
                              r["supporters"], dict(sorted(r["by_category"].items())), lon, lat))
    merged: dict[float, Section] = {}
    for sec in ranked:  # the end-of-river case above can land on the last real section: add them up
        if (old := merged.get(sec.km_from)) is not None:
            sec = Section(old.index, old.km_from, old.km_to, round(old.score + sec.score, 3),
                          old.reports + sec.reports, old.supporters + sec.supporters,
                          {k: old.by_category.get(k, 0) + sec.by_category.get(k, 0)
                           for k in sorted(old.by_category.keys() | sec.by_category.keys())}, old.lon, old.lat)
        merged[sec.km_from] = sec
    best = sorted(merged.values(), key=lambda x: (-x.score, x.km_from))
    return best[:limit] if limit else best


def _next_saturday(at: datetime) -> datetime:
    here = local(at)
    days = (5 - here.weekday()) % 7 or 7
    day = (here + timedelta(days=days)).replace(hour=8, minute=0, second=0, microsecond=0)
    return day.astimezone(at.tzinfo)


def draft_from_section(engine: Engine, user, section_index: int, *, now: datetime | None = None,
                       is_demo: bool = False) -> int:
    """One click on the ranking: a draft for that section (next Saturday 08:00–11:00 local, 30
    seats, meeting at the section's start) with its open litter reports attached."""
    with acting(engine, user, "cleanup.plan", now=now, write=True, context=Staffed) as c:
        length = places.model(c.session).length_m / 1000
        km_from = section_index * SECTION_KM
        if not (isinstance(section_index, int) and 0 <= km_from < length):
            raise CleanupError("section_outside_river", length=f"{length:.2f}")
        km_to = min(km_from + SECTION_KM, length)
        start = _next_saturday(c.at)
        plan = Plan(title=t("cleanups.draft_title", "zh", km_from=f"{km_from:.1f}", km_to=f"{km_to:.1f}"),
                    starts_at=start, ends_at=start + timedelta(hours=3), km_from=km_from, km_to=km_to,
                    capacity=30, meeting_km=km_from, equipment=[t("cleanups.default_equipment", "zh")])
        ev = _new_draft(c, plan, is_demo)
        upper = km_to + (1e-9 if km_to >= length else 0)  # the river's last metre belongs to the last section
        open_states = [st.value for st in OPEN_STATES]
        ids = q.litter_reports_between(c.session, LITTER_CATEGORIES, open_states, km_from, upper)
        q.attach(c.session, ev.id, ids, c.at)
        c.audit("cleanup.create", {}, snap(ev, *_PLAN_FIELDS) | {"section": section_index, "reports": ids})
        return ev.id

