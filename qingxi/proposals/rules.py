"""The rules of a proposal that need no database: the calendar (working days, deadlines,
extensions, days left, overdue, tracking, weighted progress) and the policy table of who may do
what in which state.

Calendar
- Working days are Monday–Friday in the configured time zone; public holidays and make-up
  working days are NOT modelled.
- The deadline is the assignment time plus 3 calendar months (dateutil.relativedelta: month ends
  clamp), or an explicit later one; an approved extension moves it by 1–3 months.
- A unit may return an assignment up to 7 working days after the assignment day.
- Overdue: a deadline in the past while assigned / signed / handling. Tracking: a B or C answer
  that was evaluated or published, until the latest class is A.

Who is who
- Staff read everything; a deputy reads the proposals they lead or co-sign, a handler those of
  their units, everybody the published ones. A proposal the person may not read is
  ProposalError("not_found") in every command and read: nothing leaks.
- Only the lead unit's handlers sign, return, answer or ask for an extension; lead or co-units log
  contacts and results; only the lead deputy evaluates or withdraws. A lead deputy without an
  account (a name only) answers on paper: staff record the evaluation (and a withdrawal) on their
  behalf. Deputies link evidence only on proposals they lead or co-sign.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from db import proposals_queries as q
from db.models import PROPOSAL_STATES, PROPOSAL_TOPICS, Proposal, ProposalExtension, User
from qingxi.core import permissions
from qingxi.core.settings import current as settings

STATES = PROPOSAL_STATES
TOPICS = PROPOSAL_TOPICS
OPEN_STATES = q.OPEN_STATES                   # the deadline runs
BEFORE_ANSWER = ("submitted", "assigned", "signed", "handling")
DEADLINE_MONTHS = 3
RETURN_WORKING_DAYS = 7
EXTENSION_MONTHS = (1, 2, 3)


# ---------------------------------------------------------------- the calendar

def _tz(tz: ZoneInfo | None) -> ZoneInfo:
    return tz or settings().timezone


def add_working_days(day: date, n: int) -> date:
    """The n-th working day (Monday–Friday) after `day`. Public holidays are not modelled."""
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def working_days_after(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    days, n = start, 0
    while days < end:
        days += timedelta(days=1)
        n += days.weekday() < 5
    return n


def return_open_until(assigned_at: datetime, tz: ZoneInfo | None = None) -> date:
    """The last local day a unit may return an assignment: 7 working days after the assignment day."""
    return add_working_days(assigned_at.astimezone(_tz(tz)).date(), RETURN_WORKING_DAYS)


def default_deadline(assigned_at: datetime) -> datetime:
    """Assignment plus 3 calendar months (31 Jan → 30 Apr; month ends clamp)."""
    return assigned_at + relativedelta(months=DEADLINE_MONTHS)


def extend(deadline: datetime, months: int) -> datetime:
    return deadline + relativedelta(months=months)


def rollup(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Weighted progress Σ(w·p)/Σw of (weight, progress) pairs; None without any."""
    pairs = list(pairs)
    total = sum(w for w, _ in pairs)
    if not pairs or total <= 0:
        return None
    return sum(w * p for w, p in pairs) / total


def days_left(deadline: datetime | None, now: datetime, tz: ZoneInfo | None = None) -> int | None:
    """Calendar days from today to the deadline's day, local time (negative: overdue by that many)."""
    if deadline is None:
        return None
    zone = _tz(tz)
    return (deadline.astimezone(zone).date() - now.astimezone(zone).date()).days


def is_overdue(state: str, deadline: datetime | None, now: datetime) -> bool:
    return state in OPEN_STATES and deadline is not None and deadline < now


def is_tracking(state: str, answer_class: str | None) -> bool:
    """A B or C answer that was evaluated or published stays tracked until it becomes A."""
    return state in ("evaluated", "published") and answer_class in ("B", "C")


def local_day(at: datetime) -> date:
    """The day an instant falls on in the configured time zone."""
    return at.astimezone(settings().timezone).date()


# ---------------------------------------------------------------- who is who on a proposal

def _unit_ids(p: Proposal) -> set[int]:
    return ({p.lead_unit_id} if p.lead_unit_id else set()) | {u.unit_id for u in p.co_units}


def deputy_on(actor: User | None, p: Proposal) -> str | None:
    """"lead", "co" or None for a deputy account."""
    if actor is None or permissions.role_of(actor) != "deputy":
        return None
    if p.lead_deputy_id == actor.id:
        return "lead"
    if any(s.user_id == actor.id for s in p.cosigners):
        return "co"
    return None


def is_staff(actor: User | None) -> bool:
    return permissions.role_of(actor) in permissions.STAFF


def handler_unit(actor: User | None) -> int | None:
    return actor.unit_id if permissions.role_of(actor) == "handler" else None


def sees_contacts(actor: User | None, p: Proposal) -> bool:
    if is_staff(actor) or deputy_on(actor, p):
        return True
    unit = handler_unit(actor)
    return unit is not None and unit in _unit_ids(p)


def can_read(actor: User | None, p: Proposal) -> bool:
    return p.state == "published" or sees_contacts(actor, p)


def _lead_unit_ok(actor: User, p: Proposal) -> bool:
    return is_staff(actor) or (handler_unit(actor) is not None and handler_unit(actor) == p.lead_unit_id)


def _any_unit_ok(actor: User, p: Proposal) -> bool:
    return is_staff(actor) or (handler_unit(actor) is not None and handler_unit(actor) in _unit_ids(p))


def _lead_deputy_ok(actor: User, p: Proposal) -> bool:
    if p.lead_deputy_id is None:
        return is_staff(actor)  # on paper, recorded by staff
    return permissions.role_of(actor) == "deputy" and actor.id == p.lead_deputy_id


def linker_ok(actor: User, p: Proposal) -> bool:
    return is_staff(actor) or deputy_on(actor, p) is not None


# action → (permission, states it is offered in, per-object rule)
ACTIONS: dict[str, tuple[str, tuple[str, ...], object]] = {
    "assign": ("proposal.assign", ("submitted",), lambda a, p: True),
    "sign": ("proposal.sign", ("assigned",), _lead_unit_ok),
    "return": ("proposal.return", ("assigned", "signed"), _lead_unit_ok),
    "contact": ("proposal.contact", ("signed", "handling"), _any_unit_ok),
    "answer": ("proposal.answer", ("handling",), _lead_unit_ok),
    "follow_up": ("proposal.answer", ("evaluated", "published"), _lead_unit_ok),
    "evaluate": ("proposal.evaluate", ("answered",), _lead_deputy_ok),
    "publish": ("proposal.publish", ("evaluated",), lambda a, p: True),
    "withdraw": ("proposal.withdraw", BEFORE_ANSWER, _lead_deputy_ok),
    "request_extension": ("proposal.request_extension", ("signed", "handling"), _lead_unit_ok),
    "decide_extension": ("proposal.decide_extension", ("signed", "handling"), lambda a, p: True),
    "result": ("proposal.result", ("assigned", "signed", "handling", "answered", "evaluated", "published"),
               _any_unit_ok),
    "link": ("proposal.link", STATES, linker_ok),
}


def _extra_ok(action: str, p: Proposal, ext: ProposalExtension | None, now: datetime) -> bool:
    """The conditions beyond state and person (what `allowed` shows; the commands say why not)."""
    if action == "return":
        return p.assigned_at is not None and local_day(now) <= return_open_until(p.assigned_at)
    if action == "withdraw":
        return p.answered_at is None
    if action == "follow_up":
        return p.answer_class in ("B", "C")
    if action == "request_extension":
        return ext is None
    if action == "decide_extension":
        return ext is not None and ext.decision is None
    return True


def allowed(actor: User | None, p: Proposal, ext: ProposalExtension | None, now: datetime) -> list[str]:
    """The names in ACTIONS this person may take on the proposal now."""
    return [name for name, (perm, states, rule) in ACTIONS.items()
            if p.state in states and permissions.can(actor, perm) and rule(actor, p) and _extra_ok(name, p, ext, now)]
