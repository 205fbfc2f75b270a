"""Deputies' proposals (建议): filing, the handling lifecycle, answers, results, evidence.

Lifecycle (Chinese deputy-proposal practice)::

    submitted ──assign (交办)──▶ assigned ──sign (签收)──▶ signed ──first contact──▶ handling
        ▲                          │                        │                         │
        └────── return_assignment (退回, ≤ 7 working days after assignment) ─────┘    answer
                                                                                       ▼
    handling ◀── evaluate "unsatisfied" (reasons required) ──────────────────────── answered
                                                                                       │ evaluate satisfied / basically
    published ◀──publish── evaluated ◀─────────────────────────────────────────────────┘
    withdrawn ◀── withdraw (lead deputy, before any answer, reason required)

- assign: staff pick the lead unit and co-handling units; the deadline is the assignment time
  plus 3 calendar months (dateutil.relativedelta), or an explicit later one (never in the past).
- sign: a handler of the lead unit (or staff on its behalf) signs for it.
- return_assignment: the lead unit (or staff) gives a wrong assignment back within 7 working days
  of the assignment day (Monday–Friday in the configured time zone; public holidays and
  make-up working days are NOT modelled) → submitted; units and deadline are cleared.
- log_contact: the lead or a co-handling unit records a contact with the deputy. The first one
  after signing moves signed → handling. `answer` needs at least one contact recorded since the
  proposal was (re)opened for handling (`Proposal.handling_since`).
- answer: class A solved / B being solved / C planned / D explained, not feasible, a reply text,
  optional attachments (images re-encoded without metadata by qingxi.photos, PDFs up to
  MAX_PDF_BYTES; anything else refused) → answered. Answers are rows: a later answer never
  changes an earlier one. `follow_up` adds a new answer to an evaluated or published B/C proposal
  (state unchanged); such a proposal is "tracking" until its latest class is A.
- evaluate: the lead deputy says satisfied / basically / unsatisfied; unsatisfied needs reasons and
  sends it back to handling (a new contact is then needed before the next answer). A lead deputy
  without an account (a name only) answers on paper: staff record the evaluation (and a
  withdrawal) on their behalf.
- publish: staff publish an evaluated proposal. The public sees published proposals only.
- request_extension: the lead unit asks ONCE for 1–3 more months with a reason (signed/handling);
  decide_extension: staff approve (the deadline moves by that many months) or refuse.
- Overdue: a deadline in the past while assigned / signed / handling.

Every service takes `(engine, user, ...)` and an optional `now` (aware UTC) for frozen clocks,
reloads the acting account, checks the role (permissions.RULES "proposal.*") and the per-object
rule, works in one transaction, writes one ProposalEvent (history: who, when, action, from → to,
why) for each act on a proposal and exactly one AuditEntry. Bad input raises ProposalError(key)
(locale "proposal.error.<key>") before anything is written; a role or object refusal raises
permissions.Denied. A proposal the person may not read (the public and a non-published one, a
deputy or unit not on it) is ProposalError("not_found"): nothing leaks.

Public API
----------
Pure rules: `add_working_days(day, n) -> date`, `working_days_after(start, end) -> int`,
`return_open_until(assigned_at, tz=None) -> date`, `default_deadline(assigned_at) -> datetime`,
`extend(deadline, months) -> datetime`, `rollup([(weight, progress), ...]) -> float | None`,
`days_left(deadline, now, tz=None) -> int | None`, `is_overdue(state, deadline, now) -> bool`,
`is_tracking(state, answer_class) -> bool`.

Services (ids returned where a row is made):
  file(engine, user, *, title, body, session_id, topic="other", lead_deputy_id=None,
       lead_deputy_name=None, cosigners=(), filed_on=None, village_ids=(), km_from=None, km_to=None,
       number=None, is_demo=False, now=None) -> int  # cosigners: user ids (int) or names (str)
  assign(engine, user, proposal_id, lead_unit_id, co_unit_ids=(), deadline=None, note="", now=None)
  sign(engine, user, proposal_id, now=None)
  return_assignment(engine, user, proposal_id, reason, now=None)
  log_contact(engine, user, proposal_id, contacted_on, method, summary, now=None) -> int
  answer(engine, user, proposal_id, answer_class, text, attachments=(), now=None, photo_dir=None) -> int
  follow_up(engine, user, proposal_id, answer_class, text, attachments=(), now=None, photo_dir=None) -> int
      attachments: [(label, bytes), ...]
  evaluate(engine, user, proposal_id, evaluation, reason="", now=None)
  publish(engine, user, proposal_id, now=None)
  withdraw(engine, user, proposal_id, reason, now=None)
  request_extension(engine, user, proposal_id, months, reason, now=None)
  decide_extension(engine, user, proposal_id, approve, note="", now=None)
  add_result(engine, user, proposal_id, kind, title, *, weight=1.0, progress=0, status="planned",
             river_km=None, lon=None, lat=None, photos=(), now=None, photo_dir=None) -> int
      (a river_km without lon/lat is placed on the river; lon/lat without river_km gets its km)
  update_result(engine, user, result_id, progress, status=None, note="", happened_on=None,
                photos=(), weight=None, now=None, photo_dir=None) -> int  # the milestone's id
  link_report(engine, user, proposal_id, report_id, now=None) -> int
  unlink_report(engine, user, proposal_id, report_id, reason="", now=None)
  link_cleanup(engine, user, proposal_id, cleanup_id, now=None) -> int   # a volunteer clean-up day
  unlink_cleanup(engine, user, proposal_id, cleanup_id, reason="", now=None)

Reads:
  sessions(engine) -> list[SessionInfo]
  register(engine, user, filters: RegisterFilter | None = None, now=None) -> list[Row]
  overdue(engine, user, now=None) -> list[Row]
  my_proposals(engine, user, now=None) -> Mine(rows, alerts)  # deputies only (else Denied)
      rows: the proposals they lead or co-sign; alerts: [Alert(kind, proposal_id, number, title, days)]
      kinds: "overdue", "awaiting_evaluation" (answered, this deputy leads it)
  detail(engine, user, proposal_id, now=None) -> Detail   # everything a page and a dossier need
      Detail.cleanups: [LinkedCleanup(id, title, starts_at, state, kg)]  # linked clean-up days
  timeline(engine, user, proposal_id, now=None) -> list[TimelineItem]  # history, answers, contacts, milestones
  proposals_for_report(engine, report_id, user=None) -> list[Row]  # published, or all for staff
  linkable_reports(engine, user, proposal_id, limit=50) -> list[LinkedReport]  # the link picker
  proposals_for_code(engine, code, user=None) -> list[Row]  # the same, by a report's tracking code
  choices(engine) -> Choices(sessions, units, deputies, villages)  # what the forms offer to pick

Error keys (proposal.error.*): not_found, wrong_state, text_needed, reason_needed, text_too_long,
bad_topic, bad_session, bad_deputy, bad_village, bad_km, number_taken, bad_unit, deadline_past,
return_too_late, bad_method, bad_date, contact_needed, bad_class, not_answered, bad_evaluation,
already_answered, not_tracking, bad_months, extension_twice, no_extension_pending, bad_kind,
bad_status, bad_progress, bad_weight, bad_place, report_not_found, already_linked, not_linked,
cleanup_not_found, cleanup_already_linked, cleanup_not_linked, attachment_too_large, too_many_files.
Photos and images refused by qingxi.photos raise photos.PhotoError (locale "photo.error.<key>").
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import accounts_queries, places_queries, reports_queries
from db import cleanups_queries as cq
from db import proposals_queries as q
from db.engine import session_scope
from db.models import (
    ANSWER_CLASSES,
    CLEANUP_STATES,
    CONTACT_METHODS,
    EVALUATIONS,
    PROPOSAL_STATES,
    PROPOSAL_TOPICS,
    RESULT_KINDS,
    RESULT_STATUSES,
    Proposal,
    ProposalAnswer,
    ProposalAttachment,
    ProposalCleanupLink,
    ProposalContact,
    ProposalEvent,
    ProposalExtension,
    ProposalReportLink,
    ProposalResult,
    ProposalSigner,
    ProposalUnit,
    ProposalVillage,
    ResultPhoto,
    ResultUpdate,
    User,
    utcnow,
)
from db.proposals_queries import RegisterFilter
from qingxi.core import audit, codes, permissions, photos, places
from qingxi.core.acting import fresh_user
from qingxi.core.permissions import Denied
from qingxi.core.refusals import Refusal
from qingxi.core.settings import current as settings

__all__ = [
    "ANSWER_CLASSES", "CONTACT_METHODS", "EVALUATIONS", "STATES", "TOPICS", "RESULT_KINDS", "RESULT_STATUSES",
    "ProposalError", "RegisterFilter", "Row", "Mine", "Alert", "Detail", "TimelineItem", "SessionInfo",
    "add_working_days", "working_days_after", "return_open_until", "default_deadline", "extend", "rollup",
    "days_left", "is_overdue", "is_tracking",
    "file", "assign", "sign", "return_assignment", "log_contact", "answer", "follow_up", "evaluate", "publish",
    "withdraw", "request_extension", "decide_extension", "add_result", "update_result", "link_report",
    "unlink_report", "sessions", "register", "overdue", "my_proposals", "detail", "timeline",
    "proposals_for_report", "linkable_reports", "attachment_dir", "Choices", "choices", "proposals_for_code",
]

STATES = PROPOSAL_STATES
TOPICS = PROPOSAL_TOPICS
OPEN_STATES = q.OPEN_STATES                   # the deadline runs
BEFORE_ANSWER = ("submitted", "assigned", "signed", "handling")
DEADLINE_MONTHS = 3
RETURN_WORKING_DAYS = 7
EXTENSION_MONTHS = (1, 2, 3)
MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_NOTE = 2000
MAX_NAME = 100
MAX_FILES = 5
MAX_PDF_BYTES = 10 * 1024 * 1024
LINK_MARGIN_KM = 0.3
PDF_MAGIC = b"%PDF-"


class ProposalError(Refusal):
    """A refusal the person can act on; `key` names the message (proposal.error.<key>)."""

    area = "proposal"


# ---------------------------------------------------------------- pure rules

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


# ---------------------------------------------------------------- input checks

def _text(text: str | None, key: str = "text_needed", *, required: bool = True, most: int = MAX_NOTE) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ProposalError(key)
    if len(text) > most:
        raise ProposalError("text_too_long", most=most)
    return text


def _one_of(value, allowed: Sequence, key: str):
    if value not in allowed:
        raise ProposalError(key)
    return value


def _now(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime: give times in UTC")
    return now.astimezone(timezone.utc)


def _progress(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 <= value <= 100 or int(value) != value:
        raise ProposalError("bad_progress")
    return int(value)


def _weight(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ProposalError("bad_weight")
    return float(value)


# ---------------------------------------------------------------- who is who on a proposal

def _role(actor: User | None) -> str:
    return permissions.role_of(actor)


def _unit_ids(p: Proposal) -> set[int]:
    return ({p.lead_unit_id} if p.lead_unit_id else set()) | {u.unit_id for u in p.co_units}


def _is_deputy_on(actor: User | None, p: Proposal) -> str | None:
    """"lead", "co" or None for a deputy account."""
    if actor is None or _role(actor) != "deputy":
        return None
    if p.lead_deputy_id == actor.id:
        return "lead"
    if any(s.user_id == actor.id for s in p.cosigners):
        return "co"
    return None


def _is_staff(actor: User | None) -> bool:
    return _role(actor) in permissions.STAFF


def _handler_unit(actor: User | None) -> int | None:
    return actor.unit_id if _role(actor) == "handler" else None


def _can_read(actor: User | None, p: Proposal) -> bool:
    if p.state == "published" or _is_staff(actor):
        return True
    if _is_deputy_on(actor, p):
        return True
    unit = _handler_unit(actor)
    return unit is not None and unit in _unit_ids(p)


def _sees_contacts(actor: User | None, p: Proposal) -> bool:
    if _is_staff(actor) or _is_deputy_on(actor, p):
        return True
    unit = _handler_unit(actor)
    return unit is not None and unit in _unit_ids(p)


def _lead_unit_ok(actor: User, p: Proposal) -> bool:
    return _is_staff(actor) or (_handler_unit(actor) is not None and _handler_unit(actor) == p.lead_unit_id)


def _any_unit_ok(actor: User, p: Proposal) -> bool:
    return _is_staff(actor) or (_handler_unit(actor) is not None and _handler_unit(actor) in _unit_ids(p))


def _lead_deputy_ok(actor: User, p: Proposal) -> bool:
    if p.lead_deputy_id is None:
        return _is_staff(actor)  # on paper, recorded by staff
    return _role(actor) == "deputy" and actor.id == p.lead_deputy_id


def _linker_ok(actor: User, p: Proposal) -> bool:
    return _is_staff(actor) or _is_deputy_on(actor, p) is not None


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
    "link": ("proposal.link", STATES, _linker_ok),
}


def _extra_ok(action: str, p: Proposal, ext: ProposalExtension | None, now: datetime) -> bool:
    """The conditions beyond state and person (what `allowed` shows; the services say why not)."""
    if action == "return":
        return p.assigned_at is not None and now.astimezone(settings().timezone).date() <= return_open_until(p.assigned_at)
    if action == "withdraw":
        return p.answered_at is None
    if action == "follow_up":
        return p.answer_class in ("B", "C")
    if action == "request_extension":
        return ext is None
    if action == "decide_extension":
        return ext is not None and ext.decision is None
    return True


def _allowed(actor: User | None, p: Proposal, ext: ProposalExtension | None, now: datetime) -> list[str]:
    return [name for name, (perm, states, rule) in ACTIONS.items()
            if p.state in states and permissions.can(actor, perm) and rule(actor, p) and _extra_ok(name, p, ext, now)]


# ---------------------------------------------------------------- the unit of work

@dataclass
class _Ctx:
    session: Session
    actor: User
    proposal: Proposal
    at: datetime


WATCHED = ("state", "lead_unit_id", "assigned_at", "deadline", "signed_at", "handling_since", "answered_at",
           "answer_class", "evaluation", "evaluated_at", "published_at", "withdrawn_at")


def _snap(p: Proposal, *fields: str) -> dict:
    return {f: getattr(p, f) for f in (fields or WATCHED)}


@contextmanager
def _acting(engine: Engine, user, proposal_id: int, action: str, now: datetime | None) -> Iterator[_Ctx]:
    """Role first (the public learns nothing about ids), then the proposal, then the object rule
    and the state. The caller does the work; the transaction commits after the block."""
    perm, states, rule = ACTIONS[action]
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, perm)
        p = q.proposal(s, proposal_id)
        if p is None or not _can_read(actor, p):
            raise ProposalError("not_found")
        if not rule(actor, p):
            permissions.log.warning("refused: %s (user %s) may not %s on proposal %s",
                                    _role(actor), actor.id, action, p.id)
            raise Denied(perm, _role(actor))
        if p.state not in states:
            early = action == "evaluate" and p.state in (*BEFORE_ANSWER, "withdrawn")
            raise ProposalError("not_answered" if early else "wrong_state", state=p.state)
        yield _Ctx(s, actor, p, _now(now))


def _event(c: _Ctx, action: str, note: str = "", *, to: str | None = None, from_state: str | None = None) -> None:
    c.session.add(ProposalEvent(
        proposal_id=c.proposal.id, at=c.at, user_id=c.actor.id, actor=c.actor.display_name, action=action,
        from_state=from_state or c.proposal.state, to_state=to or c.proposal.state, note=note))


def _move(c: _Ctx, action: str, to: str, note: str = "", **stamps) -> None:
    """A transition: history row (who/when/from → to/why), the new state and its stamps, one audit entry."""
    before = _snap(c.proposal)
    _event(c, action, note, to=to)
    c.proposal.state = to
    for name, value in stamps.items():
        setattr(c.proposal, name, value)
    c.proposal.updated_at = c.at
    c.session.flush()
    audit.record(c.session, c.actor, f"proposal.{action}", "proposal", c.proposal.id, before, _snap(c.proposal),
                 note, at=c.at)


def _act(c: _Ctx, action: str, note: str = "", before: dict | None = None, after: dict | None = None) -> None:
    """A recorded act without a change of state: history row and one audit entry."""
    _event(c, action, note)
    c.session.flush()
    audit.record(c.session, c.actor, f"proposal.{action}", "proposal", c.proposal.id, before or {}, after or {},
                 note, at=c.at)


# ---------------------------------------------------------------- files (answer attachments, result photos)

def attachment_dir(photo_dir: Path | None = None) -> Path:
    """Where answer attachments live: <photo_dir>/attachments, content-addressed."""
    return (photo_dir or settings().photo_dir) / "attachments"


def _check_files(files: Sequence) -> None:
    if len(files) > MAX_FILES:
        raise ProposalError("too_many_files", most=MAX_FILES)


@contextmanager
def _attachments(files: Sequence[tuple[str, bytes]], photo_dir: Path | None) -> Iterator[list[ProposalAttachment]]:
    """Validate every file first (all or nothing), then store them; the files go again if the work fails."""
    _check_files(files)
    folder = attachment_dir(photo_dir)
    checked = []
    for label, data in files:
        label = _text(label, required=False, most=MAX_TITLE)
        if data[:5] == PDF_MAGIC:
            if len(data) > MAX_PDF_BYTES:
                raise ProposalError("attachment_too_large", mb=MAX_PDF_BYTES // (1024 * 1024))
            checked.append((label, data, None))
        else:
            checked.append((label, data, photos.prepare(data)))  # PhotoError for anything else
    with photos.staging(folder) as stage:
        rows = []
        for label, data, image in checked:
            sha = hashlib.sha256(data).hexdigest()
            if image is None:
                saved = stage.file(data, ".pdf")
                rows.append(ProposalAttachment(kind="pdf", label=label, sha256=sha, file_name=saved.public_name,
                                               size=len(data)))
            else:
                staged = stage.photo(image)
                rows.append(ProposalAttachment(kind="image", label=label, sha256=sha,
                                               file_name=staged.saved.public_name,
                                               thumb_name=staged.saved.thumb_name, size=len(image.public)))
        yield rows


@contextmanager
def _result_photos(files: Sequence[bytes], photo_dir: Path | None) -> Iterator[list[ResultPhoto]]:
    _check_files(files)
    with photos.staged(files, photo_dir) as staged:
        yield [ResultPhoto(**f.columns()) for f in staged]


# ---------------------------------------------------------------- filing

def file(engine: Engine, user, *, title: str, body: str, session_id: int, topic: str = "other",
         lead_deputy_id: int | None = None, lead_deputy_name: str | None = None,
         cosigners: Sequence[int | str] = (), filed_on: date | None = None, village_ids: Sequence[int] = (),
         km_from: float | None = None, km_to: float | None = None, number: str | None = None,
         is_demo: bool = False, now: datetime | None = None) -> int:
    """File a proposal (state submitted). Staff file for any deputy (an account or a plain name);
    a deputy files their own (they are the lead). `number` defaults to "<congress>-<meeting>-NNN"."""
    title = _text(title, most=MAX_TITLE)
    body = _text(body, most=MAX_TEXT)
    _one_of(topic, TOPICS, "bad_topic")
    name = _text(lead_deputy_name, required=False, most=MAX_NAME)
    names = [_text(c, "bad_deputy", most=MAX_NAME) if isinstance(c, str) else c for c in cosigners]
    for km in (km_from, km_to):
        if km is not None and (not isinstance(km, (int, float)) or not math.isfinite(km) or km < 0):
            raise ProposalError("bad_km")
    if km_from is not None and km_to is not None and km_from > km_to:
        raise ProposalError("bad_km")
    at = _now(now)
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, "proposal.file")
        if not _is_staff(actor):  # a deputy files their own
            if lead_deputy_id not in (None, actor.id) or name:
                raise Denied("proposal.file", _role(actor))
            lead_deputy_id = actor.id
        cs = q.session_row(s, session_id)
        if cs is None:
            raise ProposalError("bad_session")
        lead = None
        if lead_deputy_id is not None:
            lead = q.user(s, lead_deputy_id)
            if lead is None or lead.role != "deputy":
                raise ProposalError("bad_deputy")
        elif not name:
            raise ProposalError("bad_deputy")
        signers = []
        for c in names:
            if isinstance(c, str):
                signers.append(ProposalSigner(name=c))
            else:
                account = q.user(s, c)
                if account is None or account.role != "deputy" or c == lead_deputy_id:
                    raise ProposalError("bad_deputy")
                signers.append(ProposalSigner(user_id=c, name=account.display_name))
        villages = q.villages(s, set(village_ids))
        if len(villages) != len(set(village_ids)):
            raise ProposalError("bad_village")
        number = _text(number, required=False, most=32) or \
            f"{cs.congress}-{cs.meeting}-{q.count_in_session(s, cs.id) + 1:03d}"
        if q.number_taken(s, number):
            raise ProposalError("number_taken", number=number)
        p = Proposal(number=number, title=title, body=body, session_id=cs.id, topic=topic,
                     lead_deputy_id=lead.id if lead else None, lead_deputy_name=lead.display_name if lead else name,
                     filed_on=filed_on or at.astimezone(settings().timezone).date(), km_from=km_from, km_to=km_to,
                     state="submitted", is_demo=is_demo, created_at=at, updated_at=at,
                     cosigners=signers, villages=[ProposalVillage(village_id=v.id) for v in villages])
        q.add(s, p)
        s.add(ProposalEvent(proposal_id=p.id, at=at, user_id=actor.id, actor=actor.display_name, action="file",
                            from_state=None, to_state="submitted"))
        audit.record(s, actor, "proposal.file", "proposal", p.id, {},
                     {"number": number, "title": title, "state": "submitted"}, at=at)
        return p.id


# ---------------------------------------------------------------- assignment and signing

def assign(engine: Engine, user, proposal_id: int, lead_unit_id: int, co_unit_ids: Sequence[int] = (),
           deadline: datetime | None = None, note: str = "", now: datetime | None = None) -> None:
    """交办: submitted → assigned to a lead unit and co-handling units; deadline = now + 3 months,
    or the explicit `deadline` (aware; refused when not in the future)."""
    note = _text(note, required=False)
    co = list(dict.fromkeys(co_unit_ids))
    if lead_unit_id in co:
        raise ProposalError("bad_unit")
    with _acting(engine, user, proposal_id, "assign", now) as c:
        for unit_id in (lead_unit_id, *co):
            unit = q.unit(c.session, unit_id)
            if unit is None or not unit.active:
                raise ProposalError("bad_unit")
        if deadline is not None and (deadline.tzinfo is None or deadline <= c.at):
            raise ProposalError("deadline_past")
        c.proposal.co_units = [ProposalUnit(unit_id=u) for u in co]
        _move(c, "assign", "assigned", note, lead_unit_id=lead_unit_id, assigned_at=c.at,
              deadline=deadline or default_deadline(c.at), signed_at=None, handling_since=None)


def sign(engine: Engine, user, proposal_id: int, now: datetime | None = None) -> None:
    """签收: the lead unit (or staff on its behalf) signs: assigned → signed."""
    with _acting(engine, user, proposal_id, "sign", now) as c:
        _move(c, "sign", "signed", signed_at=c.at)


def return_assignment(engine: Engine, user, proposal_id: int, reason: str, now: datetime | None = None) -> None:
    """退回: the lead unit says the assignment is wrong, within 7 working days of it → submitted
    (units, deadline and signature cleared) for staff to assign again."""
    reason = _text(reason, "reason_needed")
    with _acting(engine, user, proposal_id, "return", now) as c:
        if c.at.astimezone(settings().timezone).date() > return_open_until(c.proposal.assigned_at):
            raise ProposalError("return_too_late", days=RETURN_WORKING_DAYS)
        c.proposal.co_units = []
        _move(c, "return", "submitted", reason, lead_unit_id=None, assigned_at=None, deadline=None,
              signed_at=None, handling_since=None)


# ---------------------------------------------------------------- handling

def log_contact(engine: Engine, user, proposal_id: int, contacted_on: date, method: str, summary: str,
                now: datetime | None = None) -> int:
    """The lead or a co-handling unit records a contact with the deputy; the first one after
    signing starts the handling (signed → handling). A contact date in the future is refused."""
    _one_of(method, CONTACT_METHODS, "bad_method")
    summary = _text(summary)
    if not isinstance(contacted_on, date) or isinstance(contacted_on, datetime):
        raise ProposalError("bad_date")
    with _acting(engine, user, proposal_id, "contact", now) as c:
        if contacted_on > c.at.astimezone(settings().timezone).date():
            raise ProposalError("bad_date")
        unit_id = _handler_unit(c.actor) or c.proposal.lead_unit_id
        row = ProposalContact(proposal_id=c.proposal.id, contacted_on=contacted_on, method=method, summary=summary,
                              unit_id=unit_id, author_id=c.actor.id, author_name=c.actor.display_name, at=c.at)
        q.add(c.session, row)
        if c.proposal.state == "signed":
            _move(c, "handle", "handling", "", handling_since=c.at)
        else:
            audit.record(c.session, c.actor, "proposal.contact", "proposal", c.proposal.id, {},
                         {"contact_id": row.id, "method": method}, at=c.at)
        return row.id


def _add_answer(c: _Ctx, klass: str, text: str, rows: list[ProposalAttachment], *, follow_up: bool) -> ProposalAnswer:
    row = ProposalAnswer(proposal_id=c.proposal.id, answer_class=klass, text=text, unit_id=c.proposal.lead_unit_id,
                         author_id=c.actor.id, author_name=c.actor.display_name, follow_up=follow_up, at=c.at,
                         attachments=rows)
    q.add(c.session, row)
    return row


def answer(engine: Engine, user, proposal_id: int, answer_class: str, text: str,
           attachments: Sequence[tuple[str, bytes]] = (), now: datetime | None = None,
           photo_dir: Path | None = None) -> int:
    """答复: handling → answered, class A/B/C/D, the reply and optional attachments. Needs a
    contact with the deputy recorded since the proposal was (re)opened for handling."""
    _one_of(answer_class, ANSWER_CLASSES, "bad_class")
    text = _text(text, most=MAX_TEXT)
    with _attachments(attachments, photo_dir) as rows, _acting(engine, user, proposal_id, "answer", now) as c:
        if not q.contacts_since(c.session, c.proposal.id, c.proposal.handling_since):
            raise ProposalError("contact_needed")
        row = _add_answer(c, answer_class, text, rows, follow_up=False)
        _move(c, "answer", "answered", f"{answer_class}", answered_at=c.at, answer_class=answer_class,
              evaluation=None, evaluated_at=None)
        return row.id


def follow_up(engine: Engine, user, proposal_id: int, answer_class: str, text: str,
              attachments: Sequence[tuple[str, bytes]] = (), now: datetime | None = None,
              photo_dir: Path | None = None) -> int:
    """A further answer on an evaluated or published B/C proposal (state unchanged); earlier
    answers stay. The proposal keeps "tracking" until its latest class is A."""
    _one_of(answer_class, ANSWER_CLASSES, "bad_class")
    text = _text(text, most=MAX_TEXT)
    with _attachments(attachments, photo_dir) as rows, _acting(engine, user, proposal_id, "follow_up", now) as c:
        if c.proposal.answer_class not in ("B", "C"):
            raise ProposalError("not_tracking")
        before = _snap(c.proposal, "answer_class")
        row = _add_answer(c, answer_class, text, rows, follow_up=True)
        c.proposal.answer_class = answer_class
        c.proposal.updated_at = c.at
        _act(c, "follow_up", answer_class, before, _snap(c.proposal, "answer_class") | {"answer_id": row.id})
        return row.id


def evaluate(engine: Engine, user, proposal_id: int, evaluation: str, reason: str = "",
             now: datetime | None = None) -> None:
    """The lead deputy's verdict on the answer: satisfied / basically → evaluated; unsatisfied
    (reasons required) → handling again."""
    _one_of(evaluation, EVALUATIONS, "bad_evaluation")
    reason = _text(reason, "reason_needed", required=evaluation == "unsatisfied")
    with _acting(engine, user, proposal_id, "evaluate", now) as c:
        if evaluation == "unsatisfied":
            _move(c, "evaluate", "handling", reason, evaluation=evaluation, evaluated_at=c.at, handling_since=c.at)
        else:
            _move(c, "evaluate", "evaluated", reason, evaluation=evaluation, evaluated_at=c.at)


def publish(engine: Engine, user, proposal_id: int, now: datetime | None = None) -> None:
    with _acting(engine, user, proposal_id, "publish", now) as c:
        _move(c, "publish", "published", published_at=c.at)


def withdraw(engine: Engine, user, proposal_id: int, reason: str, now: datetime | None = None) -> None:
    """The lead deputy withdraws it before any answer, with a reason."""
    reason = _text(reason, "reason_needed")
    with _acting(engine, user, proposal_id, "withdraw", now) as c:
        if c.proposal.answered_at is not None:
            raise ProposalError("already_answered")
        _move(c, "withdraw", "withdrawn", reason, withdrawn_at=c.at)


# ---------------------------------------------------------------- extension

def request_extension(engine: Engine, user, proposal_id: int, months: int, reason: str,
                      now: datetime | None = None) -> None:
    """The lead unit asks once for 1–3 more months (signed or handling)."""
    if months not in EXTENSION_MONTHS or isinstance(months, bool):
        raise ProposalError("bad_months")
    reason = _text(reason, "reason_needed")
    with _acting(engine, user, proposal_id, "request_extension", now) as c:
        if q.extension(c.session, c.proposal.id) is not None:
            raise ProposalError("extension_twice")
        q.add(c.session, ProposalExtension(proposal_id=c.proposal.id, months=months, reason=reason,
                                           requested_by_id=c.actor.id, requested_by_name=c.actor.display_name,
                                           requested_at=c.at))
        _act(c, "extension_request", reason, {}, {"months": months})


def decide_extension(engine: Engine, user, proposal_id: int, approve: bool, note: str = "",
                     now: datetime | None = None) -> None:
    """Staff approve (the deadline moves by the months asked) or refuse the pending request."""
    note = _text(note, required=False)
    with _acting(engine, user, proposal_id, "decide_extension", now) as c:
        ext = q.extension(c.session, c.proposal.id)
        if ext is None or ext.decision is not None:
            raise ProposalError("no_extension_pending")
        before = _snap(c.proposal, "deadline")
        ext.decision = "approved" if approve else "refused"
        ext.decided_by_id, ext.decided_by_name, ext.decided_at, ext.decision_note = (
            c.actor.id, c.actor.display_name, c.at, note)
        if approve:
            c.proposal.deadline = extend(c.proposal.deadline, ext.months)
            c.proposal.updated_at = c.at
        _act(c, f"extension_{ext.decision}", note, before, _snap(c.proposal, "deadline") | {"decision": ext.decision})


# ---------------------------------------------------------------- results and progress

def _place(session: Session, river_km, lon, lat) -> tuple[float | None, float | None, float | None]:
    """Fill in whichever of river km / lon-lat is missing from the river model."""
    if river_km is None and lon is None and lat is None:
        return None, None, None
    river = places.model(session)
    if river_km is not None:
        if not isinstance(river_km, (int, float)) or not 0 <= river_km <= river.length_m / 1000 + 1e-6:
            raise ProposalError("bad_place")
        if lon is None or lat is None:
            lon, lat = river.point_at_km(float(river_km))
        return float(river_km), float(lon), float(lat)
    if lon is None or lat is None:
        raise ProposalError("bad_place")
    found = river.locate_one(float(lon), float(lat))
    return found.river_km, float(lon), float(lat)


def add_result(engine: Engine, user, proposal_id: int, kind: str, title: str, *, weight: float = 1.0,
               progress: int = 0, status: str = "planned", river_km: float | None = None,
               lon: float | None = None, lat: float | None = None, photos: Sequence[bytes] = (),
               now: datetime | None = None, photo_dir: Path | None = None) -> int:
    """A result of the proposal (what is built or done), by a handler of an assigned unit or staff."""
    _one_of(kind, RESULT_KINDS, "bad_kind")
    _one_of(status, RESULT_STATUSES, "bad_status")
    title = _text(title, most=MAX_TITLE)
    progress, weight = _progress(progress), _weight(weight)
    with _result_photos(photos, photo_dir) as pictures, _acting(engine, user, proposal_id, "result", now) as c:
        river_km, lon, lat = _place(c.session, river_km, lon, lat)
        row = ProposalResult(proposal_id=c.proposal.id, kind=kind, title=title, status=status, progress=progress,
                             weight=weight, river_km=river_km, lon=lon, lat=lat, created_at=c.at, updated_at=c.at,
                             photos=pictures)
        row.updates.append(ResultUpdate(happened_on=c.at.astimezone(settings().timezone).date(), progress=progress,
                                        status=status, note="", author_id=c.actor.id,
                                        author_name=c.actor.display_name, at=c.at))
        q.add(c.session, row)
        audit.record(c.session, c.actor, "proposal.result_add", "proposal_result", row.id, {},
                     {"proposal_id": c.proposal.id, "kind": kind, "progress": progress, "weight": weight}, at=c.at)
        return row.id


def update_result(engine: Engine, user, result_id: int, progress: int, status: str | None = None, note: str = "",
                  happened_on: date | None = None, photos: Sequence[bytes] = (), weight: float | None = None,
                  now: datetime | None = None, photo_dir: Path | None = None) -> int:
    """A dated milestone: new progress (0–100), optionally a new status and weight, a note, photos."""
    progress = _progress(progress)
    if status is not None:
        _one_of(status, RESULT_STATUSES, "bad_status")
    if weight is not None:
        weight = _weight(weight)
    note = _text(note, required=False)
    with session_scope(engine) as s:
        permissions.require(fresh_user(s, user), "proposal.result")
        found = q.result(s, result_id)
        if found is None:
            raise ProposalError("not_found")
        proposal_id = found.proposal_id
    with _result_photos(photos, photo_dir) as pictures, _acting(engine, user, proposal_id, "result", now) as c:
        row = q.result(c.session, result_id)
        if row is None or row.proposal_id != proposal_id:
            raise ProposalError("not_found")
        day = happened_on or c.at.astimezone(settings().timezone).date()
        if day > c.at.astimezone(settings().timezone).date():
            raise ProposalError("bad_date")
        watched = ("progress", "status", "weight")
        before = {f: getattr(row, f) for f in watched}
        status = status or ("done" if progress == 100 else "in_progress" if progress > 0 else row.status)
        row.progress, row.status, row.updated_at = progress, status, c.at
        if weight is not None:
            row.weight = weight
        row.photos.extend(pictures)
        update = ResultUpdate(happened_on=day, progress=progress, status=status, note=note, author_id=c.actor.id,
                              author_name=c.actor.display_name, at=c.at)
        row.updates.append(update)
        c.session.flush()
        audit.record(c.session, c.actor, "proposal.result_update", "proposal_result", row.id, before,
                     {f: getattr(row, f) for f in watched}, note, at=c.at)
        return update.id


# ---------------------------------------------------------------- evidence: reports (and clean-up days) linked

def _start_link(c: _Ctx, action: str, model, column: str, target_id: int, taken: str) -> int:
    """A new active link row (the caller checked the target) and its history; `taken` is the
    refusal when the pair is already linked."""
    if q.active_link(c.session, model, c.proposal.id, column, target_id) is not None:
        raise ProposalError(taken)
    link = model(proposal_id=c.proposal.id, **{column: target_id}, linked_by_id=c.actor.id, linked_at=c.at)
    q.add(c.session, link)
    _act(c, action, f"#{target_id}", {}, {column: target_id, "link_id": link.id})
    return link.id


def _end_link(c: _Ctx, action: str, model, column: str, target_id: int, reason: str, missing: str) -> None:
    """End the active link: the row stays (unlinked_by/at) and the history says so, with the
    reason; `missing` is the refusal when there is none."""
    link = q.active_link(c.session, model, c.proposal.id, column, target_id)
    if link is None:
        raise ProposalError(missing)
    link.unlinked_by_id, link.unlinked_at = c.actor.id, c.at
    _act(c, action, f"#{target_id} {reason}".strip(), {column: target_id, "link_id": link.id}, {column: None})


def link_report(engine: Engine, user, proposal_id: int, report_id: int, now: datetime | None = None) -> int:
    """Staff, or a deputy leading or co-signing the proposal, link an existing visible report."""
    with _acting(engine, user, proposal_id, "link", now) as c:
        report = q.report(c.session, report_id)
        if report is None or report.hidden:
            raise ProposalError("report_not_found")
        return _start_link(c, "link", ProposalReportLink, "report_id", report_id, "already_linked")


def unlink_report(engine: Engine, user, proposal_id: int, report_id: int, reason: str = "",
                  now: datetime | None = None) -> None:
    """End a link: the row stays (unlinked_by/at) and the history says so."""
    reason = _text(reason, required=False)
    with _acting(engine, user, proposal_id, "link", now) as c:
        _end_link(c, "unlink", ProposalReportLink, "report_id", report_id, reason, "not_linked")


# ---------------------------------------------------------------- clean-up days (issue 6)

__all__ += ["LinkedCleanup", "link_cleanup", "unlink_cleanup"]


def link_cleanup(engine: Engine, user, proposal_id: int, cleanup_id: int, now: datetime | None = None) -> int:
    """Staff, or a deputy leading or co-signing the proposal, link a volunteer clean-up day (a
    draft only by staff: nobody else can see one)."""
    with _acting(engine, user, proposal_id, "link", now) as c:
        event = cq.cleanup(c.session, cleanup_id)
        if event is None or (event.state == "draft" and not _is_staff(c.actor)):
            raise ProposalError("cleanup_not_found")
        return _start_link(c, "link_cleanup", ProposalCleanupLink, "cleanup_id", cleanup_id, "cleanup_already_linked")


def unlink_cleanup(engine: Engine, user, proposal_id: int, cleanup_id: int, reason: str = "",
                   now: datetime | None = None) -> None:
    """End a clean-up link: the row stays (unlinked_by/at) and the history says so."""
    reason = _text(reason, required=False)
    with _acting(engine, user, proposal_id, "link", now) as c:
        _end_link(c, "unlink_cleanup", ProposalCleanupLink, "cleanup_id", cleanup_id, reason, "cleanup_not_linked")


@dataclass(frozen=True)
class LinkedCleanup:
    """A clean-up day's public fields (never a volunteer's name or phone, nor the leader's contact)."""

    id: int
    title: str
    starts_at: datetime
    state: str
    kg: float | None      # None until results are public (state "reported"; staff see them once recorded)


def _linked_cleanups(s: Session, actor: User | None, proposal_id: int) -> list[LinkedCleanup]:
    staff = _is_staff(actor)
    states = [x for x in CLEANUP_STATES if staff or x != "draft"]
    return [LinkedCleanup(e.id, e.title, e.starts_at, e.state,
                          e.kg if e.results_at is not None and (staff or e.state == "reported") else None)
            for e in cq.proposal_cleanups(s, proposal_id, states)]


# ---------------------------------------------------------------- reads

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


def _rows(s: Session, actor: User | None, proposals: list[Proposal], now: datetime) -> list[Row]:
    ids = [p.id for p in proposals]
    sums, contacts = q.progress(s, ids), q.last_contacts(s, ids)
    rows = []
    for p in proposals:
        kind, holder = _holder(p)
        num, den = sums.get(p.id, (0.0, 0.0))
        rows.append(Row(
            id=p.id, number=p.number, title=p.title, session=_info(p.congress_session), topic=p.topic, state=p.state,
            lead_deputy=p.lead_deputy_name, my_role=_is_deputy_on(actor, p),
            lead_unit=p.lead_unit.name if p.lead_unit else None, holder_kind=kind, holder=holder,
            filed_on=p.filed_on, deadline=p.deadline,
            days_left=days_left(p.deadline, now) if p.state in OPEN_STATES else None,
            overdue=is_overdue(p.state, p.deadline, now), answer_class=p.answer_class, evaluation=p.evaluation,
            tracking=is_tracking(p.state, p.answer_class), progress=num / den if den > 0 else None,
            last_contact=contacts.get(p.id) if _sees_contacts(actor, p) else None))
    return rows


def _scope(actor: User | None) -> q.Scope:
    if permissions.can(actor, "proposal.view_all"):
        return q.Scope(everything=True)
    role = _role(actor)
    return q.Scope(deputy_id=actor.id if role == "deputy" else None,
                   unit_id=actor.unit_id if role == "handler" else None)


def sessions(engine: Engine) -> list[SessionInfo]:
    with session_scope(engine) as s:
        return [_info(cs) for cs in q.sessions(s)]


def register(engine: Engine, user, filters: RegisterFilter | None = None, now: datetime | None = None) -> list[Row]:
    """Every proposal this person may read, newest session first: staff and admins all; deputies
    theirs (my_role lead/co) and published ones; handlers their units' and published ones; the
    public published ones only."""
    now = _now(now)
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        return _rows(s, actor, q.register(s, _scope(actor), filters or RegisterFilter()), now)


def overdue(engine: Engine, user, now: datetime | None = None) -> list[Row]:
    """Proposals past their deadline and not yet answered (among those this person may read)."""
    now = _now(now)
    rows = register(engine, user, RegisterFilter(overdue_at=now), now)
    return sorted(rows, key=lambda r: r.deadline)


@dataclass(frozen=True)
class Alert:
    kind: str              # "overdue" | "awaiting_evaluation"
    proposal_id: int
    number: str
    title: str
    days: int | None       # overdue by (positive) days, for "overdue"


@dataclass(frozen=True)
class Mine:
    rows: list[Row]        # the proposals this deputy leads or co-signs
    alerts: list[Alert]


def my_proposals(engine: Engine, user, now: datetime | None = None) -> Mine:
    """A deputy's home: their proposals (lead or co-signer) and what needs their attention."""
    now = _now(now)
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        if _role(actor) != "deputy":
            raise Denied("proposal.evaluate", _role(actor))
        rows = [r for r in _rows(s, actor, q.register(s, q.Scope(deputy_id=actor.id), RegisterFilter()), now)
                if r.my_role]
    alerts = [Alert("overdue", r.id, r.number, r.title, -r.days_left) for r in rows if r.overdue]
    alerts += [Alert("awaiting_evaluation", r.id, r.number, r.title, None)
               for r in rows if r.state == "answered" and r.my_role == "lead"]
    return Mine(rows, alerts)


@dataclass(frozen=True)
class Signer:
    name: str
    user_id: int | None


@dataclass(frozen=True)
class Event:
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    note: str


@dataclass(frozen=True)
class Attachment:
    id: int
    kind: str             # "image" | "pdf"
    label: str
    file_name: str        # under attachment_dir()
    thumb_name: str | None
    size: int


@dataclass(frozen=True)
class Answer:
    id: int
    answer_class: str
    text: str
    unit: str | None
    author: str
    at: datetime
    follow_up: bool
    attachments: list[Attachment]


@dataclass(frozen=True)
class Contact:
    id: int
    at: datetime           # when it was recorded
    contacted_on: date
    method: str
    summary: str
    unit: str | None
    author: str


@dataclass(frozen=True)
class Extension:
    months: int
    reason: str
    requested_by: str
    requested_at: datetime
    decision: str | None   # None pending, "approved", "refused"
    decided_by: str | None
    decided_at: datetime | None
    note: str


@dataclass(frozen=True)
class Milestone:
    id: int
    happened_on: date
    progress: int
    status: str
    note: str
    author: str
    at: datetime


@dataclass(frozen=True)
class Result:
    id: int
    kind: str
    title: str
    status: str
    progress: int
    weight: float
    lon: float | None
    lat: float | None
    river_km: float | None
    photos: list[tuple[str, str]]   # (public file, thumbnail) in settings.photo_dir
    updates: list[Milestone]


@dataclass(frozen=True)
class LinkedReport:
    """A villager report's public fields only: never a name, phone or text. The tracking code is
    the reporter's key to their report (see README), so it is given to staff only."""

    id: int
    code: str | None      # None unless the reader is staff
    category: str
    state: str
    lon: float
    lat: float
    river_km: float | None
    village: str | None
    photos: list[tuple[str, str]]   # (public file, thumbnail), hidden photos left out


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str              # "history" | "answer" | "contact" | "milestone"
    action: str            # history action, answer class, contact method, result status
    actor: str
    text: str
    ref_id: int | None


@dataclass(frozen=True)
class Detail:
    row: Row
    body: str
    lead_deputy_id: int | None
    cosigners: list[Signer]
    lead_unit_id: int | None
    co_units: list[tuple[int, str]]
    villages: list[tuple[int, str]]        # (village id, name)
    km_from: float | None
    km_to: float | None
    assigned_at: datetime | None
    signed_at: datetime | None
    answered_at: datetime | None
    evaluated_at: datetime | None
    published_at: datetime | None
    withdrawn_at: datetime | None
    return_until: date | None               # last day the lead unit may return it (assigned/signed)
    history: list[Event]
    answers: list[Answer]                   # all of them, oldest first
    contacts: list[Contact] | None          # None: not for this reader (the public, other deputies)
    extension: Extension | None
    results: list[Result]
    reports: list[LinkedReport]
    timeline: list[TimelineItem]
    actions: list[str] = field(default_factory=list)  # names in ACTIONS this person may take now
    cleanups: list[LinkedCleanup] = field(default_factory=list)  # linked clean-up days, oldest link first


def _linked(actor: User | None, r) -> LinkedReport:
    return LinkedReport(r.id, r.code if _is_staff(actor) else None, r.category, r.state, r.lon, r.lat, r.river_km,
                        r.village.name if r.village else None,
                        [(f.public_name, f.thumb_name) for f in r.photos if not f.hidden])


def linkable_reports(engine: Engine, user, proposal_id: int, limit: int = 50) -> list[LinkedReport]:
    """Reports this person may link to the proposal (for the "link reports" picker): visible,
    not linked now, on its river-km range (±0.3 km) or in its villages, newest first."""
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        permissions.require(actor, "proposal.link")
        _, p = _read(s, user, proposal_id)
        if not _linker_ok(actor, p):
            raise Denied("proposal.link", _role(actor))
        margin = LINK_MARGIN_KM
        found = q.linkable_reports(s, p.id, None if p.km_from is None else max(p.km_from - margin, 0.0),
                                   None if p.km_to is None else p.km_to + margin,
                                   [v.village_id for v in p.villages], limit)
        return [_linked(actor, r) for r in found]


def _read(s: Session, user, proposal_id: int) -> tuple[User | None, Proposal]:
    actor = fresh_user(s, user)
    p = q.proposal(s, proposal_id, lock=False)
    if p is None or not _can_read(actor, p):
        raise ProposalError("not_found")
    return actor, p


def _dated(day: date, recorded: datetime) -> datetime:
    """When something dated by day goes on the timeline: when it was recorded if that was the
    same local day, else the start of that day (a contact or milestone written down later)."""
    zone = settings().timezone
    if recorded.astimezone(zone).date() == day:
        return recorded
    return datetime.combine(day, datetime.min.time(), zone).astimezone(timezone.utc)


def _timeline(history, answers: list[Answer], contacts: list[Contact] | None,
              results: list[Result]) -> list[TimelineItem]:
    items = [TimelineItem(e.at, "history", e.action, e.actor, e.note, None) for e in history]
    items += [TimelineItem(a.at, "answer", a.answer_class, a.author, a.text, a.id) for a in answers]
    items += [TimelineItem(_dated(c.contacted_on, c.at), "contact", c.method, c.author, c.summary, c.id)
              for c in contacts or []]
    items += [TimelineItem(_dated(m.happened_on, m.at), "milestone", m.status, m.author,
                           f"{r.title}: {m.progress}% {m.note}".strip(), m.id)
              for r in results for m in r.updates]
    order = {"contact": 0, "history": 1, "answer": 2, "milestone": 3}  # a contact starts the handling
    return sorted(items, key=lambda i: (i.at, order[i.kind], i.ref_id or 0))


def detail(engine: Engine, user, proposal_id: int, now: datetime | None = None) -> Detail:
    """Everything a proposal page and a printable dossier need, as this person may see it."""
    now = _now(now)
    with session_scope(engine) as s:
        actor, p = _read(s, user, proposal_id)
        row = _rows(s, actor, [p], now)[0]
        history = [Event(e.at, e.actor, e.action, e.from_state, e.to_state, e.note) for e in q.history(s, p.id)]
        answers = [Answer(a.id, a.answer_class, a.text, a.unit.name if a.unit else None, a.author_name, a.at,
                          a.follow_up, [Attachment(f.id, f.kind, f.label, f.file_name, f.thumb_name, f.size)
                                        for f in a.attachments])
                   for a in q.answers(s, p.id)]
        contacts = ([Contact(c.id, c.at, c.contacted_on, c.method, c.summary, c.unit.name if c.unit else None,
                             c.author_name) for c in q.contacts(s, p.id)] if _sees_contacts(actor, p) else None)
        ext = q.extension(s, p.id)
        extension = None if ext is None else Extension(
            ext.months, ext.reason, ext.requested_by_name, ext.requested_at, ext.decision, ext.decided_by_name,
            ext.decided_at, ext.decision_note)
        results = [Result(r.id, r.kind, r.title, r.status, r.progress, r.weight, r.lon, r.lat, r.river_km,
                          [(f.public_name, f.thumb_name) for f in r.photos],
                          [Milestone(m.id, m.happened_on, m.progress, m.status, m.note, m.author_name, m.at)
                           for m in sorted(r.updates, key=lambda m: (m.happened_on, m.id))])
                   for r in q.results(s, p.id)]
        reports = [_linked(actor, r) for r in q.linked_reports(s, p.id)]
        timeline_items = _timeline(history, answers, contacts, results)
        return Detail(
            row=row, body=p.body, lead_deputy_id=p.lead_deputy_id,
            cosigners=[Signer(c.name, c.user_id) for c in p.cosigners], lead_unit_id=p.lead_unit_id,
            co_units=[(u.unit_id, u.unit.name) for u in p.co_units],
            villages=[(v.village_id, v.village.name) for v in p.villages], km_from=p.km_from, km_to=p.km_to,
            assigned_at=p.assigned_at, signed_at=p.signed_at, answered_at=p.answered_at, evaluated_at=p.evaluated_at,
            published_at=p.published_at, withdrawn_at=p.withdrawn_at,
            return_until=return_open_until(p.assigned_at) if p.state in ("assigned", "signed") else None,
            history=history, answers=answers, contacts=contacts, extension=extension, results=results,
            reports=reports, timeline=timeline_items, actions=_allowed(actor, p, ext, now),
            cleanups=_linked_cleanups(s, actor, p.id))


def timeline(engine: Engine, user, proposal_id: int, now: datetime | None = None) -> list[TimelineItem]:
    """History, answers, contacts (for those who may see them) and result milestones, in time order."""
    return detail(engine, user, proposal_id, now).timeline


def proposals_for_report(engine: Engine, report_id: int, user=None, now: datetime | None = None) -> list[Row]:
    """The proposals a report supports (active links): published ones, or every one this person
    may read (staff: all) — for the report's status page."""
    now = _now(now)
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        return _rows(s, actor, q.proposals_for_report(s, report_id, _scope(actor)), now)


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


def proposals_for_code(engine: Engine, code: str, user=None, now: datetime | None = None) -> list[Row]:
    """proposals_for_report by a report's tracking code (the status page knows only the code)."""
    with session_scope(engine) as s:
        report = reports_queries.report_by_code(s, codes.normalise(code or ""))
        report_id = None if report is None else report.id
    return [] if report_id is None else proposals_for_report(engine, report_id, user, now)
