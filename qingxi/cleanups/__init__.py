"""Volunteer clean-up days: planned where the litter is, booked without overbooking, results counted.

No Streamlit here. Staff actions take `(engine, user, cleanup_id, ...)`, reload the acting
account, ask `permissions.require` themselves, work in one transaction and write one AuditEntry
(`mark_cleaned` writes one per report it closes, under the report). Public actions (sign-up,
cancel by code, status, summary, .ics) need no account: the sign-up code is the key, and nothing
they return names or reaches anybody else. Every refusal raises `CleanupError(key, **values)`
before the commit, so nothing is changed; its words are `cleanup.error.<key>` in the catalogs
(pages: `ui.error_text(err)`). `permissions.Denied` for a role that may
not act. Clocks: every function that looks at "now" takes `now=` (aware UTC; default utcnow()).

PUBLIC API (for pages/)
  Paths: EVENTS_PATH = "cleanups" (event list / one event: ?id=<id>), SIGNUP_PATH = "cleanup-signup"
  (a sign-up's own page: ?code=<code>). event_url(id), signup_url(code), signup_qr_png(code) -> bytes,
  signup_qr_svg(code) -> str.
  Words: STATES, ITEM_TYPES, SUGGESTED_GROUPS ("代表", "村队"), LITTER_CATEGORIES; locale keys
  cleanup.state.<state>, cleanup.item.<item>, cleanup.status.<status>, cleanup.attendance.<a>.

  Planning (permission cleanup.plan)
    Plan(title, starts_at, ends_at, km_from, km_to, capacity, meeting_village_code=None,
         meeting_km=None, reserved={group name: seats}, equipment=[...], leader_name="",
         leader_contact="", notes="")
    create(engine, user, plan, *, now=None) -> int                    (a draft)
    update(engine, user, cleanup_id, plan, *, now=None) -> None       (draft / published / full)
    attach_reports(engine, user, cleanup_id, report_ids, *, now=None) -> int   (open reports only)
    publish(engine, user, cleanup_id, *, now=None)                    draft → published
    close_registration(engine, user, cleanup_id, *, now=None)         published / full → closed
    cancel(engine, user, cleanup_id, message, *, now=None)            any but done/reported → cancelled
    sections(engine, user, *, now=None, limit=None) -> list[Section]  where to clean, best first
    draft_from_section(engine, user, section_index, *, now=None) -> int  (draft + its open reports)
  Sign-up (anyone)
    sign_up(engine, cleanup_id, name, phone, village_code=None, group_id=None, companions=0, *, now=None)
        -> Receipt(code, status "seated"|"waitlisted", position (waitlist place, 1 = next) or None)
    cancel_signup(engine, code, *, now=None) -> list[int]   ids of sign-ups promoted from the waitlist
    signup_status(engine, code, *, now=None) -> SignupStatus | None   (what the sign-up's page shows)
  The day (permission cleanup.checkin)
    check_in(engine, user, cleanup_id, code, *, now=None) -> CheckIn(name, seats, group)
    walk_in(engine, user, cleanup_id, name, phone="", village_code=None, companions=0, *, now=None) -> code
    set_attendance(engine, user, signup_id, attendance, *, now=None)   "attended" | "no_show" | "unknown"
    mark_done(engine, user, cleanup_id, *, no_show_rest=False, now=None)  → done (after it started)
  Results (permission cleanup.results)
    Results(participants, hours, bags, kg, km_covered, items={item type: count})
    record_results(engine, user, cleanup_id, results, before=(), after=(), *, photo_dir=None, now=None)
        (photos: bytes as uploaded; re-encoded by qingxi.photos; refused photo → photos.PhotoError)
    mark_cleaned(engine, user, cleanup_id, report_ids, *, now=None) -> int  attached reports → fixed
    publish_results(engine, user, cleanup_id, *, now=None)            done → reported
  Reading
    events(engine, user, *, now=None, upcoming_only=False) -> list[Event]  (drafts for staff only)
    event(engine, user, cleanup_id) -> Event | None      (leader_contact only for staff; None: no such
                                                          event, or a draft for the public)
    summary(engine, cleanup_id) -> Event | None          public summary (never a draft, no contact)
    cleaned_by(engine, report_code) -> list[CleanedBy(id, title, starts_at)]  events that cleaned a report
    roster(engine, user, cleanup_id) -> list[RosterRow]; roster_csv(...) -> bytes  (cleanup.roster)
    ics(engine, cleanup_id, lang="zh") -> bytes          an iCalendar file (never for a draft);
    calendar_file(ev, lang="zh") -> bytes                the same from an Event
    reminder_text(ev, lang, code=None) -> str            copy-ready text for the day before
    stats(engine, *, now=None) -> Stats                  totals and series, computed in SQL

  Error keys (cleanup.error.<key>; values to format with in brackets)
    plans: title_needed, bad_time, end_before_start, too_long, bad_capacity [low, high],
      section_outside_river [length], group_name_needed, group_twice [group], bad_reserved [low, high],
      reserved_over_capacity, meeting_point_needed, unknown_village, meeting_outside_river [length],
      text_too_long [most], reserved_below_taken [group, taken], capacity_below_taken [taken],
      group_in_use [group], message_needed, report_not_open [report], past, wrong_state [state],
      event_cancelled, not_found
    sign-up: name_needed, phone_needed, bad_phone, bad_companions [low, high], unknown_village,
      unknown_group, already_signed_up, not_open, closed, event_cancelled, over, past, not_found
    by code: bad_code, already_cancelled, too_late, event_cancelled
    the day: other_event, signup_cancelled, waitlisted, already_checked_in, bad_code, bad_attendance,
      not_yet
    results: negative_kg, bad_participants / bad_hours / bad_bags / bad_kg / bad_km_covered /
      bad_item_count [most], bad_item [item], too_many_photos [most], no_results, no_reports,
      report_not_attached [report], already_cleaned [report], report_not_open [report]

RULES AND DESIGN NOTES
- Seats. capacity = reserved (sum of the invited groups' seats) + public seats. `seats_taken` on
  the event counts public seats, `seats_taken` on a group its reserved seats. A sign-up takes
  1 + companions seats. A member of an invited group takes the group's free reserved seats first and
  any remainder from the public seats. Every counter moves by a conditional UPDATE
  (db.cleanup_queries.take_public_seats: "... WHERE state = 'published' AND seats_taken + n +
  reserved <= capacity"; rowcount 1 → seated, else waitlisted) inside `write_scope` (BEGIN
  IMMEDIATE on SQLite, the UPDATE's row lock on PostgreSQL); a CHECK constraint refuses an
  overbooking once more. Writers on one event lock its row first (the UPDATE, or SELECT ... FOR
  UPDATE for group sign-ups and cancellations), so they cannot deadlock.
- "full" means "new public sign-ups go to the waitlist": no public seat is left, or somebody is
  waiting (a 1-seat newcomer never jumps a waiting family of 3). When a seat frees, the waitlist is
  promoted in order while the head fits — the head is never skipped — and the event returns to
  "published" only when nobody waits and a public seat is free. Promotion stamps promoted_at; the
  sign-up's page says "you were promoted". Promotion also happens when update() adds capacity.
- One live sign-up (seated or waitlisted) per phone per event: checked first, and the partial
  unique index uq_cleanup_signups_live_phone catches two at once (→ "already_signed_up").
- Sign-up is open in "published" and "full" (→ waitlist) before the start; refused for drafts
  ("not_open"), closed registration ("closed"), cancelled ("event_cancelled"), done/reported
  ("over") and once the start time has passed ("past").
- Walk-ins are added on the day as seated, attended sign-ups with walk_in set: they do not use
  seats, so the people present may exceed capacity (capacity is for booking, not for the bank).
- Cancelling an event keeps every sign-up as it was; each sign-up's page shows the message.
- Where to clean: open (not hidden, not cleaned by the reporter, on the river) reports of
  LITTER_CATEGORIES, each weighing CATEGORY_WEIGHT × SIZE_WEIGHT × age band × (1 + 0.5 × supporters,
  at most 10 counted); summed per 500 m section (index = floor(river_km / 0.5)) in SQL.
  construction_waste counts at half weight: it is litter-like and volunteers can bag small heaps,
  but a truckload is a job for a unit, not for a clean-up day. report_weight() is the same rule in
  Python (tests compare the two).
- Closing reports through an event: mark_cleaned moves each attached open report to fixed with
  qingxi.reports.move and a public note naming the event (so its status page shows it), one audit
  entry per report; the link row keeps cleaned_by_volunteers and cleaned_at.
- The audit log gets staff actions only; public sign-ups and cancellations are recorded in the
  sign-up rows themselves (as report intake is), which keeps the hot path short.
"""
from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import cleanups_queries as q
from db.engine import session_scope, write_scope
from db.models import Cleanup, CleanupGroup, CleanupItem, CleanupPhoto, Signup, User, utcnow
from qingxi.core import audit, codes, permissions, photos, places, qr
from qingxi.core.acting import fresh_user
from qingxi.core.i18n import t
from qingxi.core.refusals import Refusal
from qingxi.core.settings import current as settings
from qingxi.reports import OPEN_STATES, State, move

__all__ = [
    "ATTENDANCE", "AttachedReport", "CATEGORY_WEIGHT", "MAX_CAPACITY", "MAX_COMPANIONS", "ROSTER_COLUMNS",
    "cleaned_by", "cleaned_note", "CleanedBy", "CheckIn", "CleanupError", "EVENTS_PATH", "Event", "GroupSeats",
    "ITEM_TYPES", "LITTER_CATEGORIES", "Plan", "Receipt", "Results", "RosterRow", "SECTION_KM",
    "SIGNUP_PATH", "SIZE_WEIGHT", "STATES", "SUGGESTED_GROUPS", "Section", "SignupStatus", "Stats",
    "attach_reports", "calendar_file", "cancel", "cancel_signup", "check_in", "close_registration", "create",
    "FINISHED", "OPEN_FOR_SIGNUP", "draft_from_section", "event", "event_url", "events", "ics", "mark_cleaned",
    "mark_done", "meeting_place", "publish",
    "publish_results", "record_results", "reminder_text", "report_weight", "roster", "roster_csv",
    "sections", "set_attendance", "sign_up", "signup_qr_png", "signup_qr_svg", "signup_status",
    "signup_url", "stats", "summary", "update", "walk_in",
]

EVENTS_PATH = "cleanups"         # url_path of the events page (?id=<id>): in .ics files, keep it stable
SIGNUP_PATH = "cleanup-signup"   # url_path of a sign-up's own page (?code=<code>): printed in QR codes
STATES = ("draft", "published", "full", "closed", "done", "reported", "cancelled")
OPEN_FOR_SIGNUP = ("published", "full")
FINISHED = ("done", "reported")
ATTENDANCE = ("unknown", "attended", "no_show")
ITEM_TYPES = ("plastic_bottles", "plastic_bags", "foam", "glass", "cans", "tyres", "fishing_gear",
              "textiles", "bulky", "other")
SUGGESTED_GROUPS = ("代表", "村队")
MAX_CAPACITY = 500
MAX_COMPANIONS = 10
MAX_TITLE, MAX_TEXT, MAX_MESSAGE = 120, 2000, 500
MAX_PHOTOS = 6
SECTION_KM = 0.5
LITTER_CATEGORIES = ("floating_litter", "bank_litter", "illegal_dumping", "construction_waste")
CATEGORY_WEIGHT = {"floating_litter": 1.0, "bank_litter": 1.0, "illegal_dumping": 1.0, "construction_waste": 0.5}
SIZE_WEIGHT = {"bag": 1.0, "wheelbarrow": 3.0, "truck": 8.0}
NO_SIZE_WEIGHT = 1.0
AGE_BANDS = ((7, 1.5), (30, 2.0), (60, 2.5))  # at least this many days old → weight; 2.5 is the cap
SUPPORTER_WEIGHT, SUPPORTER_CAP = 0.5, 10
_LIMITS = {"participants": 10_000, "hours": 100_000, "bags": 100_000, "kg": 1_000_000}


class CleanupError(Refusal):
    """A refusal the person can act on; `key` names the message (cleanup.error.<key>)."""

    area = "cleanup"


# ---------------------------------------------------------------- shapes handed to pages

@dataclass(frozen=True)
class Plan:
    title: str
    starts_at: datetime
    ends_at: datetime
    km_from: float
    km_to: float
    capacity: int
    meeting_village_code: str | None = None
    meeting_km: float | None = None
    reserved: dict[str, int] = field(default_factory=dict)  # group name → seats
    equipment: Sequence[str] = ()
    leader_name: str = ""
    leader_contact: str = ""  # private: staff only
    notes: str = ""


@dataclass(frozen=True)
class GroupSeats:
    id: int
    name: str
    seats: int
    taken: int


@dataclass(frozen=True)
class AttachedReport:
    id: int  # the report id (never its tracking code: that is the reporter's key)
    category: str
    state: str
    river_km: float | None
    cleaned_by_volunteers: bool


@dataclass(frozen=True)
class Results:
    participants: int
    hours: float
    bags: int
    kg: float
    km_covered: float
    items: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    id: int
    title: str
    state: str
    starts_at: datetime
    ends_at: datetime
    meeting_village: str | None  # village name, or None for a river-km marker
    meeting_km: float | None
    meeting_lon: float
    meeting_lat: float
    km_from: float
    km_to: float
    capacity: int
    public_capacity: int
    public_taken: int
    groups: list[GroupSeats]
    waitlisted: int
    walk_ins: int  # seats
    checked_in: int  # seats
    equipment: list[str]
    leader_name: str
    leader_contact: str | None  # None unless the reader is staff
    notes: str
    cancel_message: str
    results: Results | None
    before_photos: list[str]  # public copies (content-addressed names in settings.photo_dir)
    after_photos: list[str]
    reports: list[AttachedReport]
    is_demo: bool

    @property
    def public_left(self) -> int:
        return max(self.public_capacity - self.public_taken, 0)

    @property
    def seats_taken(self) -> int:
        return self.public_taken + sum(g.taken for g in self.groups)


@dataclass(frozen=True)
class Section:
    index: int
    km_from: float
    km_to: float
    score: float
    reports: int
    supporters: int
    by_category: dict[str, int]
    lon: float  # the section's middle on the river, for the map
    lat: float


@dataclass(frozen=True)
class Receipt:
    code: str
    status: str  # "seated" | "waitlisted"
    position: int | None  # place on the waitlist (1 = next), None when seated


@dataclass(frozen=True)
class SignupStatus:
    code: str
    event: Event  # the public view: no contact, no other sign-ups
    status: str  # seated | waitlisted | cancelled
    seats: int
    group: str | None
    position: int | None  # waitlist place, 1 = next
    promoted: bool
    promoted_at: datetime | None
    checked_in_at: datetime | None
    attendance: str
    event_cancelled: bool
    cancel_message: str  # the event's cancellation message ("" unless cancelled)
    can_cancel: bool


@dataclass(frozen=True)
class CheckIn:
    name: str
    seats: int
    group: str | None


@dataclass(frozen=True)
class RosterRow:
    id: int
    code: str
    name: str
    phone: str | None
    village: str | None
    group: str | None
    companions: int
    seats: int
    status: str
    position: int | None
    attendance: str
    checked_in_at: datetime | None
    walk_in: bool
    promoted_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class Stats:
    events: int
    participants: int
    hours: float
    bags: int
    kg: float
    km_covered: float
    reports_cleaned: int
    attended: int
    no_show: int
    by_month: list[tuple[str, float, int, int]]  # (YYYY-MM local, kg, bags, events)
    by_village: list[tuple[str | None, int, float]]  # (village name or None, volunteers, hours)
    by_km: list[tuple[int, float, float, float | None]]  # (river km bucket, kg, km covered, kg per km)

    @property
    def attendance_rate(self) -> float | None:
        seen = self.attended + self.no_show
        return None if seen == 0 else self.attended / seen

    @property
    def kg_per_km(self) -> float | None:
        return None if not self.km_covered else self.kg / self.km_covered


# ---------------------------------------------------------------- pure rules

def report_weight(category: str, size: str | None, age_days: float, supporters: int) -> float:
    """How much one open report pulls a clean-up to its section (the SQL in
    db.cleanup_queries.litter_sections computes exactly this)."""
    age = next((w for d, w in sorted(AGE_BANDS, reverse=True) if age_days >= d), 1.0)
    size_w = SIZE_WEIGHT.get(size, NO_SIZE_WEIGHT) if size is not None else NO_SIZE_WEIGHT
    return CATEGORY_WEIGHT.get(category, 0.0) * size_w * age * (1 + SUPPORTER_WEIGHT * min(supporters, SUPPORTER_CAP))


def event_url(cleanup_id: int) -> str:
    return f"{settings().public_url}/{EVENTS_PATH}?id={cleanup_id}"


def signup_url(code: str) -> str:
    return f"{settings().public_url}/{SIGNUP_PATH}?code={code}"


def signup_qr_png(code: str) -> bytes:
    return qr.png(signup_url(code))


def signup_qr_svg(code: str) -> str:
    return qr.svg(signup_url(code))


def _local(at: datetime) -> datetime:
    return at.astimezone(settings().timezone)


def meeting_place(ev: Event, lang: str) -> str:
    """Where volunteers meet: the village, or the river-km marker."""
    if ev.meeting_village:
        return ev.meeting_village
    return t("cleanup.meeting_km", lang, km=f"{ev.meeting_km:.1f}")


def reminder_text(ev: Event, lang: str, code: str | None = None) -> str:
    """A copy-ready reminder for the day before (SMS or a group chat), in local time."""
    start, end = _local(ev.starts_at), _local(ev.ends_at)
    text = t("cleanup.reminder", lang, title=ev.title, date=start.strftime("%Y-%m-%d"),
             start=start.strftime("%H:%M"), end=end.strftime("%H:%M"), meeting=meeting_place(ev, lang),
             km_from=f"{ev.km_from:.1f}", km_to=f"{ev.km_to:.1f}",
             equipment=t("cleanup.list_sep", lang).join(ev.equipment) or t("cleanup.no_equipment", lang),
             url=event_url(ev.id))
    if code:
        text += "\n" + t("cleanup.reminder_code", lang, code=code, url=signup_url(code))
    return text


# ---------------------------------------------------------------- helpers

def _now(now: datetime | None) -> datetime:
    return now or utcnow()


def _text(value: str | None, most: int, key: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise CleanupError(key)
    if len(value) > most:
        raise CleanupError("text_too_long", most=most)
    return value


def _int(value, low: int, high: int, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        if isinstance(value, float) and value.is_integer() and low <= value <= high:
            return int(value)
        raise CleanupError(key, low=low, high=high)
    return value


def _phone(phone: str | None, *, required: bool) -> str | None:
    number = places.normalise_phone(phone or "")
    if not number:
        if required:
            raise CleanupError("phone_needed")
        return None
    if not places.phone_ok(number):
        raise CleanupError("bad_phone")
    return number


@dataclass
class _Ctx:
    session: Session
    actor: User | None
    cleanup: Cleanup
    at: datetime


@contextmanager
def _staff(engine: Engine, user, cleanup_id: int, action: str, now: datetime | None,
           *, write: bool = True) -> Iterator[_Ctx]:
    scope = write_scope if write else session_scope
    with scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, action)
        c = q.cleanup(s, cleanup_id, lock=write)
        if c is None:
            raise CleanupError("not_found")
        yield _Ctx(s, actor, c, _now(now))


def _audit(c: _Ctx, action: str, before: dict, after: dict, reason: str = "") -> None:
    audit.record(c.session, c.actor, action, "cleanup", c.cleanup.id, before, after, reason, at=c.at)


def _in(c: Cleanup, *states: str) -> None:
    if c.state not in states:
        raise CleanupError("event_cancelled" if c.state == "cancelled" else "wrong_state", state=c.state)


def _snap(c: Cleanup, *fields: str) -> dict:
    return {f: getattr(c, f) for f in fields}


def _new_code(s: Session) -> str:
    code = codes.new_code()
    while q.code_taken(s, code):
        code = codes.new_code()
    return code


# ---------------------------------------------------------------- planning

_PLAN_FIELDS = ("title", "starts_at", "ends_at", "km_from", "km_to", "capacity", "reserved", "meeting_village_id",
                "meeting_km", "equipment", "leader_name", "notes", "state")


def _check_plan(s: Session, plan: Plan) -> dict:
    """Everything a plan must satisfy; returns the columns to store (meeting point placed)."""
    title = _text(plan.title, MAX_TITLE, "title_needed", required=True)
    if not (isinstance(plan.starts_at, datetime) and isinstance(plan.ends_at, datetime)
            and plan.starts_at.tzinfo and plan.ends_at.tzinfo):
        raise CleanupError("bad_time")
    if plan.ends_at <= plan.starts_at:
        raise CleanupError("end_before_start")
    if plan.ends_at - plan.starts_at > timedelta(hours=24):
        raise CleanupError("too_long")
    capacity = _int(plan.capacity, 1, MAX_CAPACITY, "bad_capacity")
    river = places.model(s)
    length_km = river.length_m / 1000
    km_from, km_to = plan.km_from, plan.km_to
    if not (isinstance(km_from, (int, float)) and isinstance(km_to, (int, float))
            and math.isfinite(km_from) and math.isfinite(km_to)
            and 0 <= km_from < km_to <= length_km + 1e-6):
        raise CleanupError("section_outside_river", length=f"{length_km:.2f}")
    groups = {}
    for name, seats in (plan.reserved or {}).items():
        name = _text(name, 50, "group_name_needed", required=True)
        if name in groups:
            raise CleanupError("group_twice", group=name)
        groups[name] = _int(seats, 1, MAX_CAPACITY, "bad_reserved")
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
    equipment = [_text(e, 100, "text_too_long") for e in plan.equipment]
    return dict(
        title=title, starts_at=plan.starts_at, ends_at=plan.ends_at, km_from=float(km_from),
        km_to=float(min(km_to, length_km)), capacity=capacity, reserved=sum(groups.values()),
        equipment="\n".join(e for e in equipment if e),
        leader_name=_text(plan.leader_name, 100, "text_too_long"),
        leader_contact=_text(plan.leader_contact, 100, "text_too_long"),
        notes=_text(plan.notes, MAX_TEXT, "text_too_long"), groups=groups, **meeting)


def create(engine: Engine, user, plan: Plan, *, now: datetime | None = None, is_demo: bool = False) -> int:
    """A new draft event."""
    at = _now(now)
    with write_scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, "cleanup.plan")
        cols = _check_plan(s, plan)
        groups = cols.pop("groups")
        c = Cleanup(**cols, state="draft", created_by_id=actor.id, created_at=at, updated_at=at, is_demo=is_demo)
        c.groups = [CleanupGroup(name=n, seats=k) for n, k in groups.items()]
        s.add(c)
        s.flush()
        audit.record(s, actor, "cleanup.create", "cleanup", c.id, {}, _snap(c, *_PLAN_FIELDS), at=at)
        return c.id


def update(engine: Engine, user, cleanup_id: int, plan: Plan, *, now: datetime | None = None) -> None:
    """Change a draft, published or full event. Capacity and reserved seats cannot drop below the
    seats already taken; added room promotes the waitlist."""
    with _staff(engine, user, cleanup_id, "cleanup.plan", now) as c:
        ev = c.cleanup
        _in(ev, "draft", *OPEN_FOR_SIGNUP)
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
        before = _snap(ev, *_PLAN_FIELDS) | {"groups": {n: g.seats for n, g in current.items()}}
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
            _promote(c.session, ev.id, c.at)
        after = _snap(q.cleanup(c.session, ev.id), *_PLAN_FIELDS) | {"groups": groups}
        _audit(c, "cleanup.update", before, after)


def _transition(engine, user, cleanup_id, now, to: str, *allowed: str, check=None, reason: str = "") -> None:
    with _staff(engine, user, cleanup_id, "cleanup.plan" if to not in FINISHED else "cleanup.results", now) as c:
        _in(c.cleanup, *allowed)
        if check:
            check(c)
        before = _snap(c.cleanup, "state")
        c.cleanup.state = to
        c.cleanup.updated_at = c.at
        _audit(c, f"cleanup.{to}", before, _snap(c.cleanup, "state"), reason)


def _not_started(c: _Ctx) -> None:
    if c.cleanup.starts_at <= c.at:
        raise CleanupError("past")


def publish(engine: Engine, user, cleanup_id: int, *, now: datetime | None = None) -> None:
    """draft → published (sign-up opens); refused once the start time has passed."""
    _transition(engine, user, cleanup_id, now, "published", "draft", check=_not_started)


def close_registration(engine: Engine, user, cleanup_id: int, *, now: datetime | None = None) -> None:
    """published / full → closed: no more sign-ups or cancellations; check-in still works."""
    _transition(engine, user, cleanup_id, now, "closed", *OPEN_FOR_SIGNUP)


def cancel(engine: Engine, user, cleanup_id: int, message: str, *, now: datetime | None = None) -> None:
    """Any state but done / reported → cancelled, with a message every sign-up's page shows."""
    message = _text(message, MAX_MESSAGE, "message_needed", required=True)
    with _staff(engine, user, cleanup_id, "cleanup.plan", now) as c:
        _in(c.cleanup, "draft", *OPEN_FOR_SIGNUP, "closed")
        before = _snap(c.cleanup, "state", "cancel_message", "cancelled_at")
        c.cleanup.state, c.cleanup.cancel_message, c.cleanup.cancelled_at = "cancelled", message, c.at
        c.cleanup.updated_at = c.at
        _audit(c, "cleanup.cancel", before, _snap(c.cleanup, "state", "cancel_message", "cancelled_at"), message)


def attach_reports(engine: Engine, user, cleanup_id: int, report_ids: Iterable[int], *,
                   now: datetime | None = None) -> int:
    """Attach open reports to an event that has not happened yet; returns how many were new."""
    ids = list(dict.fromkeys(report_ids))
    with _staff(engine, user, cleanup_id, "cleanup.plan", now) as c:
        _in(c.cleanup, "draft", *OPEN_FOR_SIGNUP, "closed", "done")
        found = set(q.open_reports(c.session, ids, [s.value for s in OPEN_STATES]))
        if missing := [i for i in ids if i not in found]:
            raise CleanupError("report_not_open", report=missing[0])
        added = q.attach(c.session, c.cleanup.id, ids, c.at)
        _audit(c, "cleanup.attach", {}, {"reports": ids})
        return added


def _section_rows(s: Session, now: datetime) -> list[dict]:
    return q.litter_sections(s, [st.value for st in OPEN_STATES], SECTION_KM, now,
                             category_w=CATEGORY_WEIGHT, size_w=SIZE_WEIGHT, default_size=NO_SIZE_WEIGHT,
                             age_bands=AGE_BANDS, supporter_w=SUPPORTER_WEIGHT, supporter_cap=SUPPORTER_CAP)


def sections(engine: Engine, user, *, now: datetime | None = None, limit: int | None = None) -> list[Section]:
    """500 m river sections ranked by open litter (highest score first; ties: upstream first)."""
    at = _now(now)
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
    local = _local(at)
    days = (5 - local.weekday()) % 7 or 7
    day = (local + timedelta(days=days)).replace(hour=8, minute=0, second=0, microsecond=0)
    return day.astimezone(at.tzinfo)


def draft_from_section(engine: Engine, user, section_index: int, *, now: datetime | None = None,
                       is_demo: bool = False) -> int:
    """One click on the ranking: a draft for that section (next Saturday 08:00–11:00 local, 30
    seats, meeting at the section's start) with its open litter reports attached."""
    at = _now(now)
    with write_scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, "cleanup.plan")
        length = places.model(s).length_m / 1000
        km_from = section_index * SECTION_KM
        if not (isinstance(section_index, int) and 0 <= km_from < length):
            raise CleanupError("section_outside_river", length=f"{length:.2f}")
        km_to = min(km_from + SECTION_KM, length)
        start = _next_saturday(at)
        plan = Plan(title=t("cleanup.draft_title", "zh", km_from=f"{km_from:.1f}", km_to=f"{km_to:.1f}"),
                    starts_at=start, ends_at=start + timedelta(hours=3), km_from=km_from, km_to=km_to,
                    capacity=30, meeting_km=km_from, equipment=[t("cleanup.default_equipment", "zh")])
        cols = _check_plan(s, plan)
        cols.pop("groups")
        c = Cleanup(**cols, state="draft", created_by_id=actor.id, created_at=at, updated_at=at, is_demo=is_demo)
        s.add(c)
        s.flush()
        upper = km_to + (1e-9 if km_to >= length else 0)  # the river's last metre belongs to the last section
        ids = q.litter_reports_between(s, LITTER_CATEGORIES, [st.value for st in OPEN_STATES], km_from, upper)
        q.attach(s, c.id, ids, at)
        audit.record(s, actor, "cleanup.create", "cleanup", c.id, {},
                     _snap(c, *_PLAN_FIELDS) | {"section": section_index, "reports": ids}, at=at)
        return c.id


# ---------------------------------------------------------------- seats

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


def _promote(s: Session, ev_id: int, at: datetime) -> list[int]:
    """Seat the waitlist in order while the head fits; then settle published / full."""
    promoted = []
    for head in q.waitlist(s, ev_id):
        if not _seat(s, ev_id, head, OPEN_FOR_SIGNUP):
            break
        head.promoted_at = at
        promoted.append(head.id)
    s.flush()
    ev = q.cleanup(s, ev_id)
    if ev.state in OPEN_FOR_SIGNUP:
        full = q.waiting(s, ev_id) > 0 or ev.seats_taken + ev.reserved >= ev.capacity
        ev.state = "full" if full else "published"
    return promoted


# ---------------------------------------------------------------- sign-up (public)

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
            group_id: int | None = None, companions: int = 0, *, now: datetime | None = None) -> Receipt:
    """A seat (or a place on the waitlist) for `name` and `companions` more people."""
    at = _now(now)
    name = _text(name, places.MAX_NAME, "name_needed", required=True)
    number = _phone(phone, required=True)
    companions = _int(companions, 0, MAX_COMPANIONS, "bad_companions")
    try:
        with write_scope(engine) as s:
            ev = _open_for_signup(s.get(Cleanup, cleanup_id, populate_existing=True), at)
            village_id = None
            if village_code:
                village = q.village(s, village_code)
                if village is None:
                    raise CleanupError("unknown_village")
                village_id = village.id
            if group_id is not None:
                q.cleanup(s, cleanup_id, lock=True)  # lock order: the event row first, then the group's
                if q.group(s, cleanup_id, group_id) is None:
                    raise CleanupError("unknown_group")
            if q.live_signup(s, cleanup_id, number) is not None:
                raise CleanupError("already_signed_up")
            signup = Signup(cleanup_id=ev.id, code=_new_code(s), name=name, phone=number, village_id=village_id,
                            group_id=group_id, companions=companions, seats=1 + companions, group_seats=0,
                            status="waitlisted", created_at=at)
            # Seats first, then the row: every writer on this event locks the event's row first.
            if not _seat(s, ev.id, signup, ("published",)):
                _open_for_signup(q.cleanup(s, ev.id, lock=True), at)  # not cancelled or closed meanwhile
                q.mark_full(s, ev.id, always=True)  # someone waits: newcomers queue behind them
            s.add(signup)
            s.flush()
            position = q.position(s, ev.id, signup.id) if signup.status == "waitlisted" else None
            return Receipt(signup.code, signup.status, position)
    except IntegrityError:
        with session_scope(engine) as s:
            if q.live_signup(s, cleanup_id, number) is not None:
                raise CleanupError("already_signed_up") from None
        raise


def cancel_signup(engine: Engine, code: str, *, now: datetime | None = None) -> list[int]:
    """The holder of a sign-up code gives up the seat (or waitlist place): the seats go back and the
    waitlist moves up in order. Returns the ids of promoted sign-ups."""
    at = _now(now)
    code = codes.normalise(code or "")
    with write_scope(engine) as s:
        found = q.signup_by_code(s, code) if code else None
        if found is None:
            raise CleanupError("bad_code")
        ev = q.cleanup(s, found.cleanup_id, lock=True)  # the event row first (lock order)
        signup = q.signup(s, found.id)
        if signup.status == "cancelled":
            raise CleanupError("already_cancelled")
        if ev.state == "cancelled":
            raise CleanupError("event_cancelled")
        if ev.state not in OPEN_FOR_SIGNUP or ev.starts_at <= at:
            raise CleanupError("too_late")
        _unseat(s, signup)
        signup.status, signup.cancelled_at = "cancelled", at
        s.flush()
        return _promote(s, ev.id, at)


def signup_status(engine: Engine, code: str, *, now: datetime | None = None) -> SignupStatus | None:
    """What a sign-up's own page shows; None for an unknown code."""
    at = _now(now)
    code = codes.normalise(code or "")
    if not code:
        return None
    with session_scope(engine) as s:
        su = q.signup_by_code(s, code)
        if su is None:
            return None
        ev = q.cleanup(s, su.cleanup_id)
        view = _event(s, ev, staff=False)
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


# ---------------------------------------------------------------- the day

def check_in(engine: Engine, user, cleanup_id: int, code: str, *, now: datetime | None = None) -> CheckIn:
    """Check a seated sign-up in by its code (typed or scanned from the QR's URL)."""
    code = codes.normalise((code or "").rsplit("code=", 1)[-1])
    with _staff(engine, user, cleanup_id, "cleanup.checkin", now) as c:
        if c.cleanup.state == "cancelled":
            raise CleanupError("event_cancelled")
        _in(c.cleanup, *OPEN_FOR_SIGNUP, "closed", "done")
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
        audit.record(c.session, c.actor, "cleanup.check_in", "cleanup_signup", su.id,
                     {"checked_in_at": None, "attendance": "unknown"},
                     {"checked_in_at": c.at, "attendance": "attended"}, at=c.at)
        return CheckIn(su.name, su.seats, su.group.name if su.group else None)


def walk_in(engine: Engine, user, cleanup_id: int, name: str, phone: str = "", village_code: str | None = None,
            companions: int = 0, *, now: datetime | None = None) -> str:
    """Someone who came without signing up: seated, attended, checked in, outside capacity."""
    name = _text(name, places.MAX_NAME, "name_needed", required=True)
    number = _phone(phone, required=False)
    companions = _int(companions, 0, MAX_COMPANIONS, "bad_companions")
    with _staff(engine, user, cleanup_id, "cleanup.checkin", now) as c:
        if c.cleanup.state == "cancelled":
            raise CleanupError("event_cancelled")
        _in(c.cleanup, *OPEN_FOR_SIGNUP, "closed", "done")
        village_id = None
        if village_code:
            village = q.village(c.session, village_code)
            if village is None:
                raise CleanupError("unknown_village")
            village_id = village.id
        if number and q.live_signup(c.session, c.cleanup.id, number) is not None:
            raise CleanupError("already_signed_up")
        su = Signup(cleanup_id=c.cleanup.id, code=_new_code(c.session), name=name, phone=number,
                    village_id=village_id, companions=companions, seats=1 + companions, group_seats=0,
                    status="seated", attendance="attended", checked_in_at=c.at, walk_in=True, created_at=c.at)
        c.session.add(su)
        c.session.flush()
        audit.record(c.session, c.actor, "cleanup.walk_in", "cleanup_signup", su.id, {},
                     {"seats": su.seats, "name": audit.REDACTED}, at=c.at)
        return su.code


def set_attendance(engine: Engine, user, signup_id: int, attendance: str, *, now: datetime | None = None) -> None:
    """After the start: mark a seated sign-up attended or no-show (or back to unknown)."""
    if attendance not in ATTENDANCE:
        raise CleanupError("bad_attendance")
    at = _now(now)
    with write_scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, "cleanup.checkin")
        su = q.signup(s, signup_id)
        if su is None:
            raise CleanupError("not_found")
        ev = q.cleanup(s, su.cleanup_id, lock=True)
        if ev.state == "cancelled" or ev.starts_at > at:
            raise CleanupError("not_yet")
        if su.status != "seated":
            raise CleanupError("waitlisted" if su.status == "waitlisted" else "signup_cancelled")
        before = {"attendance": su.attendance}
        su.attendance = attendance
        audit.record(s, actor, "cleanup.attendance", "cleanup_signup", su.id, before, {"attendance": attendance}, at=at)


def mark_done(engine: Engine, user, cleanup_id: int, *, no_show_rest: bool = False,
              now: datetime | None = None) -> None:
    """published / full / closed → done once the event has started; with no_show_rest, every
    seated sign-up still "unknown" becomes a no-show."""
    def started(c: _Ctx) -> None:
        if c.cleanup.starts_at > c.at:
            raise CleanupError("not_yet")
        if no_show_rest:
            for su in q.signups(c.session, c.cleanup.id):
                if su.status == "seated" and su.attendance == "unknown":
                    su.attendance = "no_show"
    _transition(engine, user, cleanup_id, now, "done", *OPEN_FOR_SIGNUP, "closed", check=started)


# ---------------------------------------------------------------- results

def _check_results(r: Results, ev: Cleanup) -> dict:
    def number(name: str, value, high: float, *, whole: bool) -> float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or value < 0 or value > high or (whole and not float(value).is_integer()):
            raise CleanupError("negative_kg" if name == "kg" and ok and value < 0 else f"bad_{name}", most=high)
        return int(value) if whole else float(value)
    section = ev.km_to - ev.km_from
    cols = dict(participants=number("participants", r.participants, _LIMITS["participants"], whole=True),
                hours=number("hours", r.hours, _LIMITS["hours"], whole=False),
                bags=number("bags", r.bags, _LIMITS["bags"], whole=True),
                kg=number("kg", r.kg, _LIMITS["kg"], whole=False),
                km_covered=number("km_covered", r.km_covered, round(section, 3) + 1e-6, whole=False))
    for item, n in (r.items or {}).items():
        if item not in ITEM_TYPES:
            raise CleanupError("bad_item", item=item)
        number("item_count", n, 1_000_000, whole=True)
    return cols


def record_results(engine: Engine, user, cleanup_id: int, results: Results, before: Sequence[bytes] = (),
                   after: Sequence[bytes] = (), *, photo_dir: Path | None = None, now: datetime | None = None) -> None:
    """Store (or correct) a done event's results, item tallies and before/after photos (added to
    any stored earlier). Photos are re-encoded without metadata; refused photos raise PhotoError."""
    if len(before) + len(after) > MAX_PHOTOS:
        raise CleanupError("too_many_photos", most=MAX_PHOTOS)
    with session_scope(engine) as s:  # the role before any photo is decoded
        permissions.require(fresh_user(s, user), "cleanup.results")
    kinds = ["before"] * len(before) + ["after"] * len(after)
    with photos.staged([*before, *after], photo_dir) as staged, \
            _staff(engine, user, cleanup_id, "cleanup.results", now) as c:
        ev = c.cleanup
        _in(ev, *FINISHED)
        cols = _check_results(results, ev)
        fields = (*cols, "results_at")
        old = _snap(ev, *fields) | {"items": {i.item: i.count for i in ev.items}}
        for key, value in cols.items():
            setattr(ev, key, value)
        ev.results_at = ev.updated_at = c.at
        ev.items = [CleanupItem(item=i, count=int(n)) for i, n in sorted((results.items or {}).items()) if n]
        ev.photos.extend(CleanupPhoto(kind=kind, created_at=c.at, **f.columns()) for kind, f in zip(kinds, staged))
        c.session.flush()
        _audit(c, "cleanup.results", old, _snap(ev, *fields) | {
            "items": {i.item: i.count for i in ev.items}, "photos_added": len(staged)})


def publish_results(engine: Engine, user, cleanup_id: int, *, now: datetime | None = None) -> None:
    """done → reported: the results are public on the event's summary."""
    def recorded(c: _Ctx) -> None:
        if c.cleanup.results_at is None:
            raise CleanupError("no_results")
    _transition(engine, user, cleanup_id, now, "reported", "done", check=recorded)


def cleaned_note(title: str, day: str) -> str:
    """The public timeline note on a report the volunteers cleared (both languages: notes are stored once)."""
    return f"{t('cleanup.cleaned_note', 'zh', title=title, date=day)} / {t('cleanup.cleaned_note', 'en', title=title, date=day)}"


def mark_cleaned(engine: Engine, user, cleanup_id: int, report_ids: Iterable[int], *,
                 now: datetime | None = None) -> int:
    """Attached open reports the volunteers cleared → fixed (public note naming the event, one
    audit entry per report, the link marked cleaned_by_volunteers)."""
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        raise CleanupError("no_reports")
    with _staff(engine, user, cleanup_id, "cleanup.results", now) as c:
        ev = c.cleanup
        _in(ev, *FINISHED)
        linked = {link.report_id: (link, report) for link, report in q.links(c.session, ev.id)}
        for i in ids:
            if i not in linked:
                raise CleanupError("report_not_attached", report=i)
            link, report = linked[i]
            if link.cleaned_by_volunteers:
                raise CleanupError("already_cleaned", report=i)
            if report.hidden or State(report.state) not in OPEN_STATES:
                raise CleanupError("report_not_open", report=i)
        note = cleaned_note(ev.title, _local(ev.starts_at).strftime("%Y-%m-%d"))
        for i in ids:
            link, _ = linked[i]
            report = q.report(c.session, i)
            before = {"state": report.state, "fixed_at": report.fixed_at, "closed_at": report.closed_at}
            change = move(report, State.FIXED, actor=c.actor.display_name, note=note, public=True, at=c.at,
                          step="cleaned")
            change.user_id = c.actor.id
            link.cleaned_by_volunteers, link.cleaned_at = True, c.at
            audit.record(c.session, c.actor, "report.cleaned_by_volunteers", "report", i, before,
                         {"state": report.state, "fixed_at": report.fixed_at, "closed_at": report.closed_at,
                          "cleanup_id": ev.id}, note, at=c.at)
        return len(ids)


# ---------------------------------------------------------------- reading

def _is_staff(actor) -> bool:
    return permissions.can(actor, "cleanup.plan")


def _event(s: Session, ev: Cleanup, *, staff: bool, counts: dict | None = None) -> Event:
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
    at = _now(now)
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, "cleanup.view")
        staff = _is_staff(actor)
        states = STATES if staff else tuple(x for x in STATES if x != "draft")
        found = q.cleanups(s, states, since=at if upcoming_only else None)
        counts = q.seat_counts(s, [e.id for e in found])
        return [_event(s, e, staff=staff, counts=counts[e.id]) for e in found]


def event(engine: Engine, user, cleanup_id: int) -> Event | None:
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, "cleanup.view")
        staff = _is_staff(actor)
        ev = q.cleanup(s, cleanup_id)
        if ev is None or (ev.state == "draft" and not staff):
            return None
        return _event(s, ev, staff=staff)


@dataclass(frozen=True)
class CleanedBy:
    id: int
    title: str
    starts_at: datetime


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


def roster(engine: Engine, user, cleanup_id: int) -> list[RosterRow]:
    """Everyone signed up, with names and phones (staff only)."""
    with _staff(engine, user, cleanup_id, "cleanup.roster", None, write=False) as c:
        rows, place = [], 0
        for su in q.signups(c.session, c.cleanup.id):
            place += su.status == "waitlisted"
            rows.append(RosterRow(su.id, su.code, su.name, su.phone, su.village.name if su.village else None,
                                  su.group.name if su.group else None, su.companions, su.seats, su.status,
                                  place if su.status == "waitlisted" else None, su.attendance, su.checked_in_at,
                                  su.walk_in, su.promoted_at, su.created_at))
        return rows


ROSTER_COLUMNS = ("code", "name", "phone", "village", "group", "companions", "seats", "status", "position",
                  "attendance", "checked_in_at", "walk_in", "promoted_at", "created_at")


def _cell(value):
    """A name typed by the public never runs as a spreadsheet formula (=, +, -, @ get a quote)."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def roster_csv(engine: Engine, user, cleanup_id: int) -> bytes:
    """The roster as CSV (UTF-8 with BOM for Excel); times in local time. Staff only."""
    rows = roster(engine, user, cleanup_id)
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(ROSTER_COLUMNS)
    for r in rows:
        values = []
        for col in ROSTER_COLUMNS:
            v = getattr(r, col)
            values.append(_local(v).strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else "" if v is None else v)
        out.writerow([_cell(v) for v in values])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def ics(engine: Engine, cleanup_id: int, lang: str = "zh") -> bytes:
    """An iCalendar file for a published (or later) event; UID stable per event and portal."""
    ev = summary(engine, cleanup_id)
    if ev is None:
        raise CleanupError("not_found")
    return calendar_file(ev, lang)


def calendar_file(ev: Event, lang: str = "zh") -> bytes:
    """The .ics of an event view: DTSTART/DTEND in the portal's time zone (with its VTIMEZONE),
    LOCATION the meeting point, DESCRIPTION the section and what to bring, URL the event page."""
    tz = settings().timezone
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Qingxi Guardian//cleanups//ZH")
    cal.add("version", "2.0")
    item = icalendar.Event()
    host = urlsplit(settings().public_url).hostname or "qingxi"
    item.add("uid", f"cleanup-{ev.id}@{host}")
    item.add("dtstamp", utcnow())
    item.add("dtstart", ev.starts_at.astimezone(tz))
    item.add("dtend", ev.ends_at.astimezone(tz))
    item.add("summary", ev.title)
    item.add("location", meeting_place(ev, lang))
    item.add("geo", (ev.meeting_lat, ev.meeting_lon))
    lines = [t("cleanup.ics_section", lang, km_from=f"{ev.km_from:.1f}", km_to=f"{ev.km_to:.1f}")]
    if ev.equipment:
        lines.append(t("cleanup.ics_equipment", lang, equipment=t("cleanup.list_sep", lang).join(ev.equipment)))
    if ev.notes:
        lines.append(ev.notes)
    if ev.state == "cancelled":
        lines.insert(0, ev.cancel_message)
    item.add("description", "\n".join(lines))
    item.add("url", event_url(ev.id))
    item.add("status", "CANCELLED" if ev.state == "cancelled" else "CONFIRMED")
    cal.add_component(item)
    cal.add_missing_timezones()
    return cal.to_ical()


def stats(engine: Engine, *, now: datetime | None = None) -> Stats:
    """Totals and series over finished (done / reported) events, all summed in SQL."""
    at = _now(now)
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
