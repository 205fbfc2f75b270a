"""The triage desk's commands: what staff and handlers do with a report (qingxi.reports.triage is
the desk's public face and re-exports them).

Every action takes `(engine, user, report_id, ...)` and runs in qingxi.core.acting: the acting
account read afresh, `permissions.require` first (handlers only on their unit's reports), one
transaction, a StatusChange (with the user and their display name) when the state changes or a
note is written, and exactly one AuditEntry. A refusal — Denied, TransitionError, DeskError —
raises before the commit, so nothing is changed.

Design notes
- `verify` is a flag, not a state: a private note plus an audit entry "report.verify" (which
  `verified_ids` reads). Verification is orthogonal to the flow (a signed, dispatched or
  in-progress report may be verified or not), the clocks do not measure it, and a state would
  fork every path of the machine for no gain.
- `resolve` moves dispatched / in_progress → resolved (an open state, "awaiting staff check");
  staff then `close_fixed`, `close_unfixed` or `send_back` (→ in_progress). The handler never
  closes a report.
- `request_transfer` (退回): the handler's unit hands a dispatched / in-progress report back:
  → signed, unit cleared, private note with the reason; it reappears on the staff desk and leaves
  the handler's queue. The dispatch milestone keeps its first time (clocks are never reset).
- Notes: NOTES says, per action, whether its note reaches the reporter and whether the person may
  choose; a note marked public is public whichever action wrote it.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import triage_queries as q
from db.engine import session_scope
from db.models import Report, StatusChange
from qingxi.core import audit, outbox, permissions
from qingxi.core.acting import Act, acting, fresh_user, snap
from qingxi.core.refusals import Refusal
from qingxi.reports import clocks
from qingxi.reports.intake import MAX_TEXT, new_photo
from qingxi.reports.states import Kind, State, TransitionError, kind_of, move

MAX_NOTE = 2000
PRIORITIES = clocks.PRIORITIES
VERIFIED_NOTE = "verified"


class DeskError(Refusal):
    """A refusal the person can act on; `key` names the message (desk.error.<key>)."""

    area = "triage"


# What each desk action does with its note: (public by default, the person may choose). Hand-offs
# between staff and units (transfer, send back), moderation and verification stay private; a closing
# or referring note is the answer the reporter reads. Actions not listed take no note.
NOTES: dict[str, tuple[bool, bool]] = {
    "verify": (False, False), "merge": (True, False), "refer": (True, False), "hide": (False, False),
    "dispatch": (False, True), "callback": (False, True), "onsite": (True, True), "progress": (True, True),
    "transfer": (False, False), "resolve": (True, True), "send_back": (False, False),
    "close_fixed": (True, False), "close_unfixed": (True, False), "reopen": (True, False), "reply": (True, True),
}

# ---------------------------------------------------------------- helpers

class _Desk(Act):
    entity = "report"

    @property
    def report(self) -> Report:
        return self.target


@contextmanager
def _desk(engine: Engine, user, report_id: int, action: str) -> Iterator[_Desk]:
    """The role first (the public learns nothing about ids), then the report and the unit rule."""
    with acting(engine, user, action, context=_Desk) as c:
        c.target = q.report(c.session, report_id)
        if c.target is None:
            raise DeskError("not_found")
        permissions.require(c.actor, action, c.report.unit_id, on_report=True)
        yield c


def _text(text: str | None, key: str = "note_needed", *, required: bool = True, most: int = MAX_NOTE) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DeskError(key)
    if len(text) > most:
        raise DeskError("text_too_long", most=most)
    return text


def _move(c: _Desk, to: State, note: str = "", *, public: bool = True, step: str | None = None) -> StatusChange:
    change = move(c.report, to, actor=c.actor.display_name, note=note, public=public, at=c.at, step=step)
    change.user_id = c.actor.id
    outbox.report_event(c.session, "report.update", c.report, at=c.at, step=change.step)
    return change


def _entry(c: _Desk, note: str, *, public: bool, step: str) -> StatusChange:
    """A note without a change of state (a reply, a private note, a moderation reason)."""
    change = StatusChange(from_state=c.report.state, to_state=c.report.state, at=c.at, actor=c.actor.display_name,
                          user_id=c.actor.id, note=note, public=public, step=step)
    c.report.history.append(change)
    return change


def _noted(c: _Desk, note: str, *, public: bool, step: str) -> dict:
    """Write a note and say which one in the audit (its words stay in the history only)."""
    change = _entry(c, note, public=public, step=step)
    c.session.flush()
    return {"status_change_id": change.id, "public": public}


def _from(report: Report, to: str, *states: State) -> None:
    """Desk actions are narrower than the machine (which also serves the reporter and transfers)."""
    if report.state not in states:
        raise TransitionError(f"{report.state} -> {to}")


def _require_open(report: Report) -> None:
    if report.hidden or kind_of(report.state) is not Kind.OPEN:
        raise DeskError("not_open")


def _transition(c: _Desk, action: str, to: State, note: str, *, public: bool, reason: str = "",
                fields: tuple[str, ...] = (), step: str | None = None) -> None:
    """The common shape: move, then audit state and the milestone fields it may stamp."""
    watched = ("state", "closed_at", *fields)
    before = snap(c.report, *watched)
    _move(c, to, note, public=public, step=step)
    c.audit(action, before, snap(c.report, *watched), reason)


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
        c.audit("report.verify", {"verified": False}, {"verified": True}, note)


def set_priority(engine: Engine, user, report_id: int, priority: str) -> None:
    if priority not in PRIORITIES:
        raise DeskError("bad_priority")
    with _desk(engine, user, report_id, "report.priority") as c:
        _require_open(c.report)
        if c.report.priority == priority:
            raise DeskError("unchanged")
        before = snap(c.report, "priority")
        c.report.priority = priority
        c.audit("report.priority", before, snap(c.report, "priority"))
        if priority == "urgent":
            outbox.report_event(c.session, "report.urgent", c.report, at=c.at)


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
        before = snap(dup, "state", "closed_at", "merged_into_id") | {"into_supporters": target.supporters}
        _move(c, State.DUPLICATE, note, public=True)
        dup.merged_into_id = target.id
        added = dup.supporters + 1
        c.session.flush()
        q.add_supporters(c.session, target.id, added)
        moved = q.move_photos(c.session, dup.id, target.id, "observation")
        q.move_observations(c.session, dup.id, target.id)
        c.session.expire(target, ["supporters", "photos"])
        c.session.expire(dup, ["photos"])
        after = snap(dup, "state", "closed_at", "merged_into_id") | {
            "into_supporters": before["into_supporters"] + added, "photos_moved": moved}
        c.audit("report.merge", before, after, note)


def refer(engine: Engine, user, report_id: int, note: str) -> None:
    """Not ours to fix: → referred, with a public note saying who is."""
    note = _text(note)
    with _desk(engine, user, report_id, "report.reject") as c:
        _transition(c, "report.refer", State.REFERRED, note, public=True, reason=note)


def hide(engine: Engine, user, report_id: int, reason: str) -> None:
    """Invalid or spam: → invalid and hidden from every public page; the reason stays private."""
    reason = _text(reason, "reason_needed")
    with _desk(engine, user, report_id, "report.moderate") as c:
        before = snap(c.report, "state", "closed_at", "hidden")
        _move(c, State.INVALID, reason, public=False)
        c.report.hidden = True
        c.audit("report.hide", before, snap(c.report, "state", "closed_at", "hidden"), reason)


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
        before = snap(c.report, *watched)
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
        c.audit("report.dispatch", before, snap(c.report, *watched), note)


def call_back(engine: Engine, user, report_id: int, note: str, public: bool = False) -> None:
    """回访: staff phoned the reporter (the number is used offline, never logged). Stamps
    called_back_at the first time; the note of what was said is private unless marked public."""
    note = _text(note)
    with _desk(engine, user, report_id, "report.callback") as c:
        before = snap(c.report, "called_back_at")
        if c.report.called_back_at is None:
            c.report.called_back_at = c.at
        c.audit("report.call_back", before,
               snap(c.report, "called_back_at") | _noted(c, note, public=public, step="called_back"))


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
        before = snap(c.report, *watched)
        c.report.on_site_at = c.at
        if state is State.DISPATCHED:
            _move(c, State.IN_PROGRESS, note if public else "", public=True, step="on_site")
        else:
            _entry(c, note if public else "", public=True, step="on_site")
        if note and not public:
            _entry(c, note, public=False, step="on_site")
        c.audit("report.on_site", before, snap(c.report, *watched))


def progress(engine: Engine, user, report_id: int, text: str, public: bool = True) -> None:
    """A progress update; the first one moves dispatched → in progress."""
    text = _text(text)
    with _desk(engine, user, report_id, "report.progress") as c:
        state = State(c.report.state)
        if state is State.DISPATCHED:
            _transition(c, "report.progress", State.IN_PROGRESS, text, public=public, step="progress")
        elif state is State.IN_PROGRESS:
            c.audit("report.progress", {}, _noted(c, text, public=public, step="progress"))
        else:
            raise TransitionError(f"{state} -> progress")


def request_transfer(engine: Engine, user, report_id: int, reason: str) -> None:
    """退回: the handler's unit gives the report back (not theirs): → signed, unit cleared,
    private note; staff dispatch it again."""
    reason = _text(reason, "reason_needed")
    with _desk(engine, user, report_id, "report.transfer") as c:
        watched = ("state", "unit_id")
        before = snap(c.report, *watched)
        _from(c.report, State.SIGNED, State.DISPATCHED, State.IN_PROGRESS)
        _move(c, State.SIGNED, reason, public=False, step="transfer")
        c.report.unit_id = None
        c.audit("report.transfer", before, snap(c.report, *watched), reason)


def resolve(engine: Engine, user, report_id: int, photo: bytes | None, note: str, *,
            public: bool = True, photo_dir: Path | None = None) -> None:
    """The handler says it is done: dispatched / in progress → resolved (awaiting staff check),
    with an optional after-photo (kind "after"). The step is public; the note when marked so.
    The photo's files go if anything is refused."""
    note = _text(note)
    with new_photo(photo, "after", photo_dir) as picture, _desk(engine, user, report_id, "report.resolve") as c:
        _from(c.report, State.RESOLVED, State.DISPATCHED, State.IN_PROGRESS)
        before = snap(c.report, "state") | {"after_photo": None}
        _move(c, State.RESOLVED, note if public else "", public=True)
        if not public:
            _entry(c, note, public=False, step="resolved")
        if picture is not None:
            c.report.photos.append(picture)
            c.session.flush()
        c.audit("report.resolve", before,
               snap(c.report, "state") | {"after_photo": picture.id if picture is not None else None}, note)


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
        before = snap(c.report, *watched)
        _move(c, State.REOPENED, note, public=True)
        c.report.hidden = False
        c.report.merged_into_id = None
        c.audit("report.reopen", before, snap(c.report, *watched), note)


# ---------------------------------------------------------------- words and moderation

def reply(engine: Engine, user, report_id: int, text: str, public: bool = True) -> None:
    """A public update for the reporter's timeline, or a private note for colleagues."""
    text = _text(text)
    action = "report.reply" if public else "report.note"
    with _desk(engine, user, report_id, action) as c:
        c.audit(action, {}, _noted(c, text, public=public, step="reply" if public else "note"))
        if public:
            outbox.report_event(c.session, "report.update", c.report, at=c.at, step="reply")


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
            permissions.require(fresh_user(s, user), "report.moderate")
        raise DeskError("not_found")
    with _desk(engine, user, report_id, "report.moderate") as c:
        photo = q.photo(c.session, photo_id)
        if photo is None or photo.report_id != c.report.id:
            raise DeskError("not_found")  # moved by a merge meanwhile: let the person retry
        if photo.hidden:
            raise DeskError("unchanged")
        photo.hidden = True
        _entry(c, reason, public=False, step="photo_hidden")
        c.audit("photo.hide", {"hidden": False}, {"hidden": True}, reason, entity="photo", entity_id=photo.id)


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
        c.audit("report.redact", {"description": audit.REDACTED}, {"description": new}, reason)
