"""Volunteer clean-up days: planned where the litter is, booked without overbooking, results counted.

Staff plan an event on a river section (planning: the ranking of 500 m sections by open litter, a
draft, publish, close registration, cancel), villagers book seats with no account (seats: sign-up,
the waitlist and its promotion, cancel by code), staff run the day (day: check-in, walk-ins,
attendance, done) and count what came out of the river (results: numbers, item tallies, before/after
photos, reports closed as cleaned by volunteers). reads holds what pages show (events, summary, a
sign-up's page, roster, numbers), calendar the links, QR codes, reminder and .ics; rules the words,
limits and checks they all share; shapes the dataclasses handed to pages.

Staff commands take `(engine, user, cleanup_id, ...)` and run in qingxi.core.acting: the account
read afresh, the role checked first (`permissions.Denied`), one transaction, one audit entry
(mark_cleaned writes one per report it closes, under the report). Public commands (sign-up, cancel
by code, a sign-up's status, the summary, the .ics) need no account: the sign-up code is the key,
and nothing they return names or reaches anybody else. Every refusal raises `CleanupError(key,
**values)` before the commit, so nothing is changed; its words are `cleanup.error.<key>` in the
catalogs. Every command that looks at "now" takes `now=` (aware UTC; default now).

Everything pages, ops, proposals, bench and tests use is exported here; the modules are the place
to read the rules and design notes.
"""
from qingxi.cleanups.calendar import (
    EVENTS_PATH,
    SIGNUP_PATH,
    calendar_file,
    event_url,
    ics,
    meeting_place,
    reminder_text,
    signup_qr_png,
    signup_qr_svg,
    signup_url,
)
from qingxi.cleanups.day import check_in, mark_done, set_attendance, walk_in
from qingxi.cleanups.planning import (
    attach_reports,
    cancel,
    close_registration,
    create,
    draft_from_section,
    publish,
    report_weight,
    sections,
    update,
)
from qingxi.cleanups.reads import (
    ROSTER_COLUMNS,
    cleaned_by,
    event,
    events,
    roster,
    roster_csv,
    signup_status,
    stats,
    summary,
)
from qingxi.cleanups.results import cleaned_note, mark_cleaned, publish_results, record_results
from qingxi.cleanups.rules import (
    ATTENDANCE,
    CATEGORY_WEIGHT,
    FINISHED,
    ITEM_TYPES,
    LITTER_CATEGORIES,
    MAX_CAPACITY,
    MAX_COMPANIONS,
    MAX_MESSAGE,
    OPEN_FOR_SIGNUP,
    SECTION_KM,
    SIZE_WEIGHT,
    STATES,
    SUGGESTED_GROUPS,
    CleanupError,
)
from qingxi.cleanups.seats import cancel_signup, sign_up
from qingxi.cleanups.shapes import (
    AttachedReport,
    CheckIn,
    CleanedBy,
    Event,
    GroupSeats,
    Plan,
    Receipt,
    Results,
    RosterRow,
    Section,
    SignupStatus,
    Stats,
)

__all__ = [
    # words and limits
    "ATTENDANCE", "CATEGORY_WEIGHT", "FINISHED", "ITEM_TYPES", "LITTER_CATEGORIES", "MAX_CAPACITY", "MAX_COMPANIONS",
    "MAX_MESSAGE", "OPEN_FOR_SIGNUP", "SECTION_KM", "SIZE_WEIGHT", "STATES", "SUGGESTED_GROUPS", "CleanupError",
    # shapes
    "AttachedReport", "CheckIn", "CleanedBy", "Event", "GroupSeats", "Plan", "Receipt", "Results", "RosterRow",
    "Section", "SignupStatus", "Stats",
    # planning (cleanup.plan)
    "attach_reports", "cancel", "close_registration", "create", "draft_from_section", "publish", "report_weight",
    "sections", "update",
    # seats (anyone)
    "cancel_signup", "sign_up",
    # the day (cleanup.checkin)
    "check_in", "mark_done", "set_attendance", "walk_in",
    # results (cleanup.results)
    "cleaned_note", "mark_cleaned", "publish_results", "record_results",
    # reading
    "ROSTER_COLUMNS", "cleaned_by", "event", "events", "roster", "roster_csv", "signup_status", "stats", "summary",
    # links, reminder, calendar
    "EVENTS_PATH", "SIGNUP_PATH", "calendar_file", "event_url", "ics", "meeting_place", "reminder_text",
    "signup_qr_png", "signup_qr_svg", "signup_url",
]
