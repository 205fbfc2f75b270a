"""Lists of proposals as a person may read them: the register (one Row per proposal), the overdue
list, a deputy's home with its alerts, the proposals a report supports, and what the forms offer
to pick (sessions, units, deputies, villages)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import accounts_queries, places_queries, reports_queries
from db import proposals_queries as q
from db.engine import session_scope
from db.models import Proposal, User
from db.proposals_queries import RegisterFilter
from qingxi.core import clock, codes, permissions
from qingxi.core.acting import fresh_user
from qingxi.core.permissions import Denied
from qingxi.proposals import rules
from qingxi.proposals.rules import OPEN_STATES


@dataclass(frozen=True)
class SessionInfo:
    id: int
    name_zh: str
    name_en: str
    congress: int
    meeting: int
    held_on: date

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Row:
    """One line of the register (and of a deputy's home, the overdue list, a report's proposals)."""

    id: int
    number: str
    title: str
    session: SessionInfo
    topic: str
    state: str
    lead_deputy: str
    my_role: str | None          # "lead" / "co" for the deputy reading, else None
    lead_unit: str | None
    holder_kind: str | None      # who must act next: "staff", "unit", "deputy" or None (finished)
    holder: str | None           # the unit's or deputy's name (None for staff / finished)
    filed_on: date
    deadline: datetime | None
    days_left: int | None
    overdue: bool
    answer_class: str | None
    evaluation: str | None
    tracking: bool
    progress: float | None       # 0–100 weighted roll-up, None without results
    last_contact: date | None    # None when the reader may not see contacts


def _info(cs) -> SessionInfo:
    return SessionInfo(cs.id, cs.name_zh, cs.name_en, cs.congress, cs.meeting, cs.held_on)


def _holder(p: Proposal) -> tuple[str | None, str | None]:
    if p.state in ("submitted", "evaluated"):
        return "staff", None
    if p.state in OPEN_STATES:
        return "unit", p.lead_unit.name if p.lead_unit else None
    if p.state == "answered":
        return "deputy", p.lead_deputy_name
    return None, None


def rows(s: Session, actor: User | None, proposals: list[Proposal], now: datetime) -> list[Row]:
    ids = [p.id for p in proposals]
    sums, contacts = q.progress(s, ids), q.last_contacts(s, ids)
    found = []
    for p in proposals:
        kind, holder = _holder(p)
        num, den = sums.get(p.id, (0.0, 0.0))
        found.append(Row(
            id=p.id, number=p.number, title=p.title, session=_info(p.congress_session), topic=p.topic, state=p.state,
            lead_deputy=p.lead_deputy_name, my_role=rules.deputy_on(actor, p),
            lead_unit=p.lead_unit.name if p.lead_unit else None, holder_kind=kind, holder=holder,
            filed_on=p.filed_on, deadline=p.deadline,
            days_left=rules.days_left(p.deadline, now) if p.state in OPEN_STATES else None,
            overdue=rules.is_overdue(p.state, p.deadline, now), answer_class=p.answer_class,
            evaluation=p.evaluation, tracking=rules.is_tracking(p.state, p.answer_class),
            progress=num / den if den > 0 else None,
            last_contact=contacts.get(p.id) if rules.sees_contacts(actor, p) else None))
    return found


def _scope(actor: User | None) -> q.Scope:
    if permissions.can(actor, "proposal.view_all"):
        return q.Scope(everything=True)
    role = permissions.role_of(actor)
    return q.Scope(deputy_id=actor.id if role == "deputy" else None,
                   unit_id=actor.unit_id if role == "handler" else None)


def sessions(engine: Engine) -> list[SessionInfo]:
    with session_scope(engine) as s:
        return [_info(cs) for cs in q.sessions(s)]


def register(engine: Engine, user, filters: RegisterFilter | None = None, now: datetime | None = None) -> list[Row]:
    """Every proposal this person may read, newest session first: staff and admins all; deputies
    theirs (my_role lead/co) and published ones; handlers their units' and published ones; the
    public published ones only."""
    now = clock.now(now)
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        return rows(s, actor, q.register(s, _scope(actor), filters or RegisterFilter()), now)


def overdue(engine: Engine, user, now: datetime | None = None) -> list[Row]:
    """Proposals past their deadline and not yet answered (among those this person may read)."""
    now = clock.now(now)
    found = register(engine, user, RegisterFilter(overdue_at=now), now)
    return sorted(found, key=lambda r: r.deadline)


@dataclass(frozen=True)
class Alert:
    kind: str              # "overdue" | "awaiting_evaluation" (answered, this deputy leads it)
    proposal_id: int
    number: str
    title: str
    days: int | None       # overdue by (positive) days, for "overdue"


@dataclass(frozen=True)
class Mine:
    rows: list[Row]        # the proposals this deputy leads or co-signs
    alerts: list[Alert]


def my_proposals(engine: Engine, user, now: datetime | None = None) -> Mine:
    """A deputy's home: their proposals (lead or co-signer) and what needs their attention.
    Deputies only (anyone else: Denied)."""
    now = clock.now(now)
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        if permissions.role_of(actor) != "deputy":
            raise Denied("proposal.evaluate", permissions.role_of(actor))
        mine = [r for r in rows(s, actor, q.register(s, q.Scope(deputy_id=actor.id), RegisterFilter()), now)
                if r.my_role]
    alerts = [Alert("overdue", r.id, r.number, r.title, -r.days_left) for r in mine if r.overdue]
    alerts += [Alert("awaiting_evaluation", r.id, r.number, r.title, None)
               for r in mine if r.state == "answered" and r.my_role == "lead"]
    return Mine(mine, alerts)


def proposals_for_report(engine: Engine, report_id: int, user=None, now: datetime | None = None) -> list[Row]:
    """The proposals a report supports (active links): published ones, or every one this person
    may read (staff: all) — for the report's status page."""
    now = clock.now(now)
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        return rows(s, actor, q.proposals_for_report(s, report_id, _scope(actor)), now)


def proposals_for_code(engine: Engine, code: str, user=None, now: datetime | None = None) -> list[Row]:
    """proposals_for_report by a report's tracking code (the status page knows only the code)."""
    with session_scope(engine) as s:
        report = reports_queries.report_by_code(s, codes.normalise(code or ""))
        report_id = None if report is None else report.id
    return [] if report_id is None else proposals_for_report(engine, report_id, user, now)


@dataclass(frozen=True)
class Choices:
    """What the proposal forms offer to pick from (staff filing and assigning, filters)."""

    sessions: list[SessionInfo]
    units: dict[int, str]       # active units
    deputies: dict[int, str]    # active deputy accounts
    villages: dict[int, str]


def choices(engine: Engine) -> Choices:
    with session_scope(engine) as s:
        return Choices([_info(cs) for cs in q.sessions(s)],
                       {u.id: u.name for u in accounts_queries.active_units(s)},
                       {d.id: d.display_name for d in q.deputies(s)},
                       {v.id: v.name for v in places_queries.villages(s)})
