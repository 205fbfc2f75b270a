"""The triage desk: what staff and handlers do with a report, and the queue they work from.

Every action takes `(engine, user, report_id, ...)`, reloads the acting account from the
database, asks `permissions.require` itself (handlers only on their unit's reports), does its
work in one transaction, records a StatusChange (with the user and their display name) when the
state changes or a note is written, and adds exactly one AuditEntry. A refusal — Denied,
TransitionError, DeskError — raises before the commit, so nothing is changed.

Design notes
- `verify` is a flag, not a state: a private note plus an audit entry "report.verify" (which
  `verified_ids` reads). Verification is orthogonal to the flow (a signed, dispatched or
  in-progress report may be verified or not), the clocks do not measure it, and a state would
  fork every path of the machine for no gain.
- `resolve` moves dispatched / in_progress → resolved (an open state, "awaiting staff check");
  staff then `close_fixed`, `close_unfixed` or `send_back` (→ in_progress). The handler never
  closes a report and the public timeline gets its words from staff.
- `request_transfer` (退回): the handler's unit hands a dispatched / in-progress report back:
  → signed, unit cleared, private note with the reason; it reappears on the staff desk and leaves
  the handler's queue. The dispatch milestone keeps its first time (clocks are never reset).
- The queue is paginated in SQL: the database orders the open, visible reports by the first
  clock to run out (db.triage_queries.next_due: due times from the milestones, the priority's
  targets and a dialect-aware epoch helper), so a page costs one indexed query however many
  reports are open; only that page's clocks are worked out here. Computing the due time rather
  than storing it means no transition, merge, priority change or target edit can leave a stale
  copy behind; the open reports it runs over are few and come from ix_reports_work.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import accounts_repo
from db import triage_queries as q
from db.engine import session_scope
from db.models import Report, StatusChange, User, utcnow
from db.triage_queries import QueueFilter
from qingxi import audit, clocks, permissions
from qingxi.intake import MAX_TEXT, new_photo
from qingxi.refusals import Refusal
from qingxi.reports import OPEN_STATES, Kind, State, TransitionError, kind_of, move

__all__ = [
    "DeskError", "QueueFilter", "Queue", "QueueItem", "Template", "apply_template", "call_back",
    "close_fixed", "close_unfixed", "dispatch", "hide", "hide_photo", "merge", "on_site", "progress",
    "queue", "redact", "refer", "reopen", "reply", "request_transfer", "resolve", "search", "send_back",
    "set_priority", "sign", "suggest_unit", "verify",
]

MAX_NOTE = 2000
PAGE_SIZE = 25       # desk queue and search
MAX_PAGE_SIZE = 200
PRIORITIES = clocks.PRIORITIES
VERIFIED_NOTE = "verified"


class DeskError(Refusal):
    """A refusal the person can act on; `key` names the message (desk.error.<key>)."""

    area = "desk"


# ---------------------------------------------------------------- helpers

@dataclass
class _Ctx:
    session: Session
    actor: User
    report: Report
    at: datetime


@contextmanager
def _desk(engine: Engine, user, report_id: int, action: str) -> Iterator[_Ctx]:
    with session_scope(engine) as s:
        actor = q.fresh_user(s, user)
        permissions.require(actor, action)  # the role first: the public learns nothing about ids
        report = q.report(s, report_id)
        if report is None:
            raise DeskError("not_found")
        permissions.require(actor, action, report.unit_id, on_report=True)
        yield _Ctx(s, actor, report, utcnow())


def _text(text: str | None, key: str = "note_needed", *, required: bool = True, most: int = MAX_NOTE) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DeskError(key)
    if len(text) > most:
        raise DeskError("text_too_long", most=most)
    return text


def _snap(report: Report, *fields: str) -> dict:
    return {f: getattr(report, f) for f in fields}


def _move(c: _Ctx, to: State, note: str = "", *, public: bool = True, step: str | None = None) -> StatusChange:
    change = move(c.report, to, actor=c.actor.display_name, note=note, public=public, at=c.at, step=step)
    change.user_id = c.actor.id
    return change


def _entry(c: _Ctx, note: str, *, public: bool, step: str) -> StatusChange:
    """A note without a change of state (a reply, a private note, a moderation reason)."""
    change = StatusChange(from_state=c.report.state, to_state=c.report.state, at=c.at, actor=c.actor.display_name,
                          user_id=c.actor.id, note=note, public=public, step=step)
    c.report.history.append(change)
    return change


def _noted(c: _Ctx, note: str, *, public: bool, step: str) -> dict:
    """Write a note and say which one in the audit (its words stay in the history only)."""
    change = _entry(c, note, public=public, step=step)
    c.session.flush()
    return {"status_change_id": change.id, "public": public}


def _audit(c: _Ctx, action: str, before: dict, after: dict, reason: str = "", *,
           entity: str = "report", entity_id: int | None = None) -> None:
    audit.record(c.session, c.actor, action, entity, c.report.id if entity_id is None else entity_id,
                 before, after, reason, at=c.at)


def _from(report: Report, to: str, *states: State) -> None:
    """Desk actions are narrower than the machine (which also serves the reporter and transfers)."""
    if report.state not in states:
        raise TransitionError(f"{report.state} -> {to}")


def _require_open(report: Report) -> None:
    if report.hidden or kind_of(report.state) is not Kind.OPEN:
        raise DeskError("not_open")


def _transition(c: _Ctx, action: str, to: State, note: str, *, public: bool, reason: str = "",
                fields: tuple[str, ...] = (), step: str | None = None) -> None:
    """The common shape: move, then audit state and the milestone fields it may stamp."""
    watched = ("state", "closed_at", *fields)
    before = _snap(c.report, *watched)
    _move(c, to, note, public=public, step=step)
    _audit(c, action, before, _snap(c.report, *watched), reason)


# ---------------------------------------------------------------- sign-off, verification, priority

def sign(engine: Engine, user, report_id: int) -> None:
    """签收: submitted / reopened → signed (stamps signed_at the first time)."""
    with _desk(engine, user, report_id, "report.sign") as c:
        _from(c.report, State.SIGNED, State.SUBMITTED, State.REOPENED)
        _transition(c, "report.sign", State.SIGNED, "", public=True, fields=("signed_at",))


def verify(engine: Engine, user, report_id: int, note: str = "") -> None:
    """Someone from the station confirmed the problem is real: a private note and the audit entry
    (a flag, not a state: see the module notes). Refused on a closed report or twice."""
    note = _text(note, required=False)
    with _desk(engine, user, report_id, "report.verify") as c:
        _require_open(c.report)
        if q.verified_ids(c.session, [c.report.id]):
            raise DeskError("already_verified")
        _entry(c, note or VERIFIED_NOTE, public=False, step="verified")
        _audit(c, "report.verify", {"verified": False}, {"verified": True}, note)


def set_priority(engine: Engine, user, report_id: int, priority: str) -> None:
    if priority not in PRIORITIES:
        raise DeskError("bad_priority")
    with _desk(engine, user, report_id, "report.priority") as c:
        _require_open(c.report)
        if c.report.priority == priority:
            raise DeskError("unchanged")
        before = _snap(c.report, "priority")
        c.report.priority = priority
        _audit(c, "report.priority", before, _snap(c.report, "priority"))


# ---------------------------------------------------------------- rejections

def merge(engine: Engine, user, report_id: int, into_id: int, note: str = "") -> None:
    """A duplicate: state duplicate, merged_into_id set, its supporters (+1 for its reporter)
    added to the original, its photos (and re-observations) moved there, photos as kind
    "observation". Refused into itself, into a missing, hidden or no longer open report."""
    note = _text(note, required=False)
    if into_id == report_id:
        raise DeskError("merge_self")
    with _desk(engine, user, report_id, "report.reject") as c:
        target = q.report(c.session, into_id)
        if target is None or target.hidden or kind_of(target.state) is not Kind.OPEN:
            raise DeskError("merge_target")
        dup = c.report
        before = _snap(dup, "state", "closed_at", "merged_into_id") | {"into_supporters": target.supporters}
        _move(c, State.DUPLICATE, note, public=True)
        dup.merged_into_id = target.id
        added = dup.supporters + 1
        c.session.flush()
        q.add_supporters(c.session, target.id, added)
        moved = q.move_photos(c.session, dup.id, target.id, "observation")
        q.move_observations(c.session, dup.id, target.id)
        c.session.expire(target, ["supporters", "photos"])
        c.session.expire(dup, ["photos"])
        after = _snap(dup, "state", "closed_at", "merged_into_id") | {
            "into_supporters": before["into_supporters"] + added, "photos_moved": moved}
        _audit(c, "report.merge", before, after, note)


def refer(engine: Engine, user, report_id: int, note: str) -> None:
    """Not ours to fix: → referred, with a public note saying who is."""
    note = _text(note)
    with _desk(engine, user, report_id, "report.reject") as c:
        _transition(c, "report.refer", State.REFERRED, note, public=True, reason=note)


def hide(engine: Engine, user, report_id: int, reason: str) -> None:
    """Invalid or spam: → invalid and hidden from every public page; the reason stays private."""
    reason = _text(reason, "reason_needed")
    with _desk(engine, user, report_id, "report.moderate") as c:
        before = _snap(c.report, "state", "closed_at", "hidden")
        _move(c, State.INVALID, reason, public=False)
        c.report.hidden = True
        _audit(c, "report.hide", before, _snap(c.report, "state", "closed_at", "hidden"), reason)


# ---------------------------------------------------------------- dispatch and the work

def suggest_unit(session: Session, report: Report) -> int | None:
    """The unit the routing rules suggest (most specific match first), or None."""
    return q.suggest_unit(session, report.category, report.village_id)


def dispatch(engine: Engine, user, report_id: int, unit_id: int, note: str = "", public: bool = False) -> None:
    """派单: signed (or in progress) → dispatched to an active unit, stamps dispatched_at the
    first time. A dispatched report can be given to another unit. The state change is public; the
    note (instructions for the unit, by default) is public only when marked so."""
    note = _text(note, required=False)
    with _desk(engine, user, report_id, "report.dispatch") as c:
        unit = q.unit(c.session, unit_id)
        if unit is None or not unit.active:
            raise DeskError("bad_unit")
        watched = ("state", "unit_id", "dispatched_at", "closed_at")
        before = _snap(c.report, *watched)
        if c.report.state == State.DISPATCHED:
            if c.report.unit_id == unit_id:
                raise DeskError("unchanged")
            c.report.unit_id = unit_id
            _entry(c, note, public=public and bool(note), step="dispatched")
        else:
            _move(c, State.DISPATCHED, note if public else "", public=True)
            c.report.unit_id = unit_id
            if note and not public:
                _entry(c, note, public=False, step="dispatched")
        _audit(c, "report.dispatch", before, _snap(c.report, *watched), note)


def call_back(engine: Engine, user, report_id: int, note: str, public: bool = False) -> None:
    """回访: staff phoned the reporter (the number is used offline, never logged). Stamps
    called_back_at the first time; the note of what was said is private unless marked public."""
    note = _text(note)
    with _desk(engine, user, report_id, "report.callback") as c:
        before = _snap(c.report, "called_back_at")
        if c.report.called_back_at is None:
            c.report.called_back_at = c.at
        _audit(c, "report.call_back", before,
               _snap(c.report, "called_back_at") | _noted(c, note, public=public, step="called_back"))


def on_site(engine: Engine, user, report_id: int, note: str = "", public: bool = True) -> None:
    """到场: someone is at the place. Stamps on_site_at (once); a dispatched report becomes in
    progress. The step is public (the reporter sees that someone came); the note when marked so."""
    note = _text(note, required=False)
    with _desk(engine, user, report_id, "report.onsite") as c:
        _from(c.report, "on_site", State.DISPATCHED, State.IN_PROGRESS)
        state = State(c.report.state)
        if c.report.on_site_at is not None:
            raise DeskError("already_on_site")
        watched = ("state", "on_site_at")
        before = _snap(c.report, *watched)
        c.report.on_site_at = c.at
        if state is State.DISPATCHED:
            _move(c, State.IN_PROGRESS, note if public else "", public=True, step="on_site")
        else:
            _entry(c, note if public else "", public=True, step="on_site")
        if note and not public:
            _entry(c, note, public=False, step="on_site")
        _audit(c, "report.on_site", before, _snap(c.report, *watched))


def progress(engine: Engine, user, report_id: int, text: str, public: bool = True) -> None:
    """A progress update; the first one moves dispatched → in progress."""
    text = _text(text)
    with _desk(engine, user, report_id, "report.progress") as c:
        state = State(c.report.state)
        if state is State.DISPATCHED:
            _transition(c, "report.progress", State.IN_PROGRESS, text, public=public, step="progress")
        elif state is State.IN_PROGRESS:
            _audit(c, "report.progress", {}, _noted(c, text, public=public, step="progress"))
        else:
            raise TransitionError(f"{state} -> progress")


def request_transfer(engine: Engine, user, report_id: int, reason: str) -> None:
    """退回: the handler's unit gives the report back (not theirs): → signed, unit cleared,
    private note; staff dispatch it again."""
    reason = _text(reason, "reason_needed")
    with _desk(engine, user, report_id, "report.transfer") as c:
        watched = ("state", "unit_id")
        before = _snap(c.report, *watched)
        _from(c.report, State.SIGNED, State.DISPATCHED, State.IN_PROGRESS)
        _move(c, State.SIGNED, reason, public=False, step="transfer")
        c.report.unit_id = None
        _audit(c, "report.transfer", before, _snap(c.report, *watched), reason)


def resolve(engine: Engine, user, report_id: int, photo: bytes | None, note: str, *,
            public: bool = True, photo_dir: Path | None = None) -> None:
    """The handler says it is done: dispatched / in progress → resolved (awaiting staff check),
    with an optional after-photo (kind "after"). The step is public; the note when marked so.
    The photo's files go if anything is refused."""
    note = _text(note)
    with new_photo(photo, "after", photo_dir) as picture, _desk(engine, user, report_id, "report.resolve") as c:
        _from(c.report, State.RESOLVED, State.DISPATCHED, State.IN_PROGRESS)
        before = _snap(c.report, "state") | {"after_photo": None}
        _move(c, State.RESOLVED, note if public else "", public=True)
        if not public:
            _entry(c, note, public=False, step="resolved")
        if picture is not None:
            c.report.photos.append(picture)
            c.session.flush()
        _audit(c, "report.resolve", before,
               _snap(c.report, "state") | {"after_photo": picture.id if picture is not None else None}, note)


def send_back(engine: Engine, user, report_id: int, note: str) -> None:
    """Staff are not satisfied with a resolution: resolved → in progress, private note for the unit."""
    note = _text(note)
    with _desk(engine, user, report_id, "report.close") as c:
        _from(c.report, State.IN_PROGRESS, State.RESOLVED)
        _transition(c, "report.send_back", State.IN_PROGRESS, note, public=False, reason=note, step="send_back")


def close_fixed(engine: Engine, user, report_id: int, note: str) -> None:
    """办结 as fixed: stamps fixed_at the first time; the note is the public answer."""
    note = _text(note)
    with _desk(engine, user, report_id, "report.close") as c:
        _transition(c, "report.close_fixed", State.FIXED, note, public=True, fields=("fixed_at",))


def close_unfixed(engine: Engine, user, report_id: int, note: str) -> None:
    """Closed without a fix (never counted as fixed); the note says why, publicly."""
    note = _text(note)
    with _desk(engine, user, report_id, "report.close") as c:
        _transition(c, "report.close_unfixed", State.UNFIXED, note, public=True, reason=note)


def reopen(engine: Engine, user, report_id: int, note: str) -> None:
    """A fixed or closed report opens again; a hidden (invalid) one becomes visible again and a
    duplicate is detached from its original (supporters and photos it gave stay there)."""
    note = _text(note)
    with _desk(engine, user, report_id, "report.reopen") as c:
        watched = ("state", "closed_at", "hidden", "merged_into_id")
        before = _snap(c.report, *watched)
        _move(c, State.REOPENED, note, public=True)
        c.report.hidden = False
        c.report.merged_into_id = None
        _audit(c, "report.reopen", before, _snap(c.report, *watched), note)


# ---------------------------------------------------------------- words and moderation

def reply(engine: Engine, user, report_id: int, text: str, public: bool = True) -> None:
    """A public update for the reporter's timeline, or a private note for colleagues."""
    text = _text(text)
    action = "report.reply" if public else "report.note"
    with _desk(engine, user, report_id, action) as c:
        _audit(c, action, {}, _noted(c, text, public=public, step="reply" if public else "note"))


@dataclass(frozen=True)
class Template:
    id: int
    title: str
    text: str


def apply_template(session: Session, state: str) -> list[Template]:
    """The response templates written for a state, to start a reply or closing note from."""
    return [Template(t.id, t.title, t.text) for t in q.templates_for(session, state)]


def hide_photo(engine: Engine, user, photo_id: int, reason: str) -> None:
    reason = _text(reason, "reason_needed")
    with session_scope(engine) as s:
        photo = q.photo(s, photo_id)
        report_id = photo.report_id if photo is not None else None
    if report_id is None:
        with session_scope(engine) as s:
            permissions.require(q.fresh_user(s, user), "report.moderate")
        raise DeskError("not_found")
    with _desk(engine, user, report_id, "report.moderate") as c:
        photo = q.photo(c.session, photo_id)
        if photo is None or photo.report_id != c.report.id:
            raise DeskError("not_found")  # moved by a merge meanwhile: let the person retry
        if photo.hidden:
            raise DeskError("unchanged")
        photo.hidden = True
        _entry(c, reason, public=False, step="photo_hidden")
        _audit(c, "photo.hide", {"hidden": False}, {"hidden": True}, reason, entity="photo", entity_id=photo.id)


def redact(engine: Engine, user, report_id: int, new_description: str, reason: str) -> None:
    """Remove personal data someone typed into a description. The audit says the description
    was redacted and keeps the new text, never the removed words."""
    reason = _text(reason, "reason_needed")
    new = _text(new_description, required=False, most=MAX_TEXT)
    with _desk(engine, user, report_id, "report.moderate") as c:
        if c.report.description == new:
            raise DeskError("unchanged")
        c.report.description = new
        _entry(c, reason, public=False, step="redacted")
        _audit(c, "report.redact", {"description": audit.REDACTED}, {"description": new}, reason)


# ---------------------------------------------------------------- the queue

@dataclass(frozen=True)
class QueueItem:
    id: int
    code: str
    category: str
    state: str
    priority: str
    village: str | None
    unit: str | None
    unit_id: int | None
    created_at: datetime
    supporters: int
    off_river: bool
    verified: bool
    clocks: list[clocks.Clock]
    next_due: datetime | None


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    counts: dict[str, int] = field(default_factory=dict)  # open state → reports (badges)
    total: int = 0        # reports matching the filters, on every page
    page: int = 1         # 1-based
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return _pages(self.total, self.page_size)


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def queue(session: Session, user, filters: QueueFilter | None = None, now: datetime | None = None, *,
          page: int = 1, page_size: int = PAGE_SIZE) -> Queue:
    """One page of the open, visible reports that need action, the first clock to run out first
    (reports with no clock ticking last, oldest first), with the total and the per-state counts.
    Handlers get only their unit's reports (in the query). A page past the end is empty."""
    f = filters or QueueFilter()
    now = now or utcnow()
    page, page_size = max(1, int(page)), max(1, min(int(page_size), MAX_PAGE_SIZE))
    actor = q.fresh_user(session, user)
    permissions.require(actor, "desk.view")
    scope = actor.unit_id if permissions.role_of(actor) == "handler" else q.NO_SCOPE
    states = [s.value for s in OPEN_STATES]
    targets = clocks.targets(session)
    reports = q.desk_page(session, states, f, targets, scope, limit=page_size, offset=(page - 1) * page_size)
    verified = q.verified_ids(session, [r.id for r in reports])
    items = []
    for r in reports:
        found = clocks.status(r, targets, now)
        due = min((c.due_at for c in found if c.state in ("running", "overdue")), default=None)
        items.append(QueueItem(
            r.id, r.code, r.category, r.state, r.priority, r.village.name if r.village else None,
            r.unit.name if r.unit else None, r.unit_id, r.created_at, r.supporters, r.off_river,
            r.id in verified, found, due))
    counts = q.desk_counts(session, states, f, scope)
    total = counts.get(f.state, 0) if f.state is not None else sum(counts.values())
    return Queue(items, counts, total, page, page_size)


@dataclass(frozen=True)
class Found:
    """A page of the staff search."""

    rows: list[dict]   # id, code, category, state, priority, hidden, created_at, village
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return _pages(self.total, self.page_size)


def search(session: Session, user, filters: q.SearchFilter, *, page: int = 1, page_size: int = PAGE_SIZE) -> Found:
    """Staff find any report (hidden and ended ones too) by its tracking code, or by village,
    category, state and a creation date range; newest first, paginated, with the total. Handlers
    find only their unit's reports. A code is matched whole, case and spaces ignored."""
    actor = q.fresh_user(session, user)
    permissions.require(actor, "desk.view")
    scope = actor.unit_id if permissions.role_of(actor) == "handler" else q.NO_SCOPE
    page, page_size = max(1, int(page)), max(1, min(int(page_size), MAX_PAGE_SIZE))
    if filters.code is not None:
        code = "".join(filters.code.split()).upper()
        filters = q.SearchFilter(code=code) if code else replace(filters, code=None)
    total = q.search_count(session, filters, scope)
    rows = q.search_page(session, filters, scope, limit=page_size, offset=(page - 1) * page_size) if total else []
    return Found(rows, total, page, page_size)


# ---------------------------------------------------------------- one report, as the desk sees it

# The desk actions each state offers (the services still check every move themselves).
OFFERED: dict[str, tuple[str, ...]] = {
    State.SUBMITTED: ("sign", "merge", "refer", "hide", "priority", "reply"),
    State.REOPENED: ("sign", "merge", "refer", "hide", "priority", "reply"),
    State.SIGNED: ("dispatch", "verify", "callback", "merge", "refer", "hide", "priority", "close_fixed",
                   "close_unfixed", "reply"),
    State.DISPATCHED: ("onsite", "progress", "dispatch", "callback", "resolve", "transfer", "close_fixed",
                       "close_unfixed", "reply"),
    State.IN_PROGRESS: ("progress", "onsite", "dispatch", "callback", "resolve", "transfer", "close_fixed",
                        "close_unfixed", "reply"),
    State.RESOLVED: ("close_fixed", "close_unfixed", "send_back", "callback", "reply"),
}
# What each desk action does with its note: (public by default, the person may choose). Hand-offs
# between staff and units (transfer, send back), moderation and verification stay private; a closing
# or referring note is the answer the reporter reads. Actions not listed take no note.
NOTES: dict[str, tuple[bool, bool]] = {
    "verify": (False, False), "merge": (True, False), "refer": (True, False), "hide": (False, False),
    "dispatch": (False, True), "callback": (False, True), "onsite": (True, True), "progress": (True, True),
    "transfer": (False, False), "resolve": (True, True), "send_back": (False, False),
    "close_fixed": (True, False), "close_unfixed": (True, False), "reopen": (True, False), "reply": (True, True),
}
_PERMISSION = {
    "sign": "report.sign", "merge": "report.reject", "refer": "report.reject", "hide": "report.reject",
    "priority": "report.priority", "dispatch": "report.dispatch", "verify": "report.verify",
    "callback": "report.callback", "onsite": "report.onsite", "progress": "report.progress",
    "resolve": "report.resolve", "transfer": "report.transfer", "send_back": "report.close",
    "close_fixed": "report.close", "close_unfixed": "report.close", "reopen": "report.reopen",
    "reply": "report.reply",
}


@dataclass(frozen=True)
class Detail:
    id: int
    code: str
    category: str
    state: str
    priority: str
    description: str
    reporter_name: str | None
    reporter_phone: str | None
    village: str | None
    river_km: float | None
    bank: str | None
    off_river: bool
    unit_id: int | None
    suggested_unit: int | None
    photos: list[tuple[int, str, str, bool]]  # id, kind, public file, hidden
    history: list[StatusChange]
    actions: list[str]
    units: dict[int, str]
    templates: list[Template]


def detail(session: Session, user, report_id: int) -> Detail:
    """Everything staff (or the unit it was dispatched to) may see of a report, with the actions
    this person may take on it now."""
    actor = q.fresh_user(session, user)
    permissions.require(actor, "report.view_private")
    r = q.report(session, report_id, lock=False)
    if r is None:
        raise DeskError("not_found")
    permissions.require(actor, "report.view_private", r.unit_id, on_report=True)
    offered = OFFERED.get(State(r.state), ("reopen",) if not r.hidden else ())
    return Detail(
        id=r.id, code=r.code, category=r.category, state=r.state, priority=r.priority, description=r.description,
        reporter_name=r.reporter_name, reporter_phone=r.reporter_phone,
        village=r.village.name if r.village else None, river_km=r.river_km, bank=r.bank, off_river=r.off_river,
        unit_id=r.unit_id, suggested_unit=suggest_unit(session, r),
        photos=[(p.id, p.kind, p.public_name, p.hidden) for p in r.photos], history=list(r.history),
        actions=[a for a in offered if permissions.can(actor, _PERMISSION[a], r.unit_id, on_report=True)],
        units={u.id: u.name for u in accounts_repo.active_units(session)},
        templates=apply_template(session, r.state),
    )
