"""One proposal as a person may see it: `detail` gives everything a proposal page and a printable
dossier need (the register row, history, answers with attachments, contacts for those who may see
them, the extension, results with milestones, linked evidence, the actions this person may take
now), and `timeline` the history, answers, contacts and milestones in time order."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import Engine

from db import proposals_queries as q
from db.engine import session_scope
from qingxi.core import clock
from qingxi.core.acting import fresh_user
from qingxi.core.settings import current as settings
from qingxi.proposals import rules
from qingxi.proposals.acts import readable
from qingxi.proposals.links import LinkedCleanup, LinkedReport, linked_cleanups, linked_report
from qingxi.proposals.reads import Row, rows


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
    actions: list[str] = field(default_factory=list)  # names in rules.ACTIONS this person may take now
    cleanups: list[LinkedCleanup] = field(default_factory=list)  # linked clean-up days, oldest link first


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
    now = clock.now(now)
    with session_scope(engine) as s:
        actor = fresh_user(s, user)
        p = readable(s, actor, proposal_id)
        row = rows(s, actor, [p], now)[0]
        history = [Event(e.at, e.actor, e.action, e.from_state, e.to_state, e.note) for e in q.history(s, p.id)]
        answers = [Answer(a.id, a.answer_class, a.text, a.unit.name if a.unit else None, a.author_name, a.at,
                          a.follow_up, [Attachment(f.id, f.kind, f.label, f.file_name, f.thumb_name, f.size)
                                        for f in a.attachments])
                   for a in q.answers(s, p.id)]
        contacts = ([Contact(c.id, c.at, c.contacted_on, c.method, c.summary, c.unit.name if c.unit else None,
                             c.author_name) for c in q.contacts(s, p.id)] if rules.sees_contacts(actor, p) else None)
        ext = q.extension(s, p.id)
        extension = None if ext is None else Extension(
            ext.months, ext.reason, ext.requested_by_name, ext.requested_at, ext.decision, ext.decided_by_name,
            ext.decided_at, ext.decision_note)
        results = [Result(r.id, r.kind, r.title, r.status, r.progress, r.weight, r.lon, r.lat, r.river_km,
                          [(f.public_name, f.thumb_name) for f in r.photos],
                          [Milestone(m.id, m.happened_on, m.progress, m.status, m.note, m.author_name, m.at)
                           for m in sorted(r.updates, key=lambda m: (m.happened_on, m.id))])
                   for r in q.results(s, p.id)]
        return Detail(
            row=row, body=p.body, lead_deputy_id=p.lead_deputy_id,
            cosigners=[Signer(c.name, c.user_id) for c in p.cosigners], lead_unit_id=p.lead_unit_id,
            co_units=[(u.unit_id, u.unit.name) for u in p.co_units],
            villages=[(v.village_id, v.village.name) for v in p.villages], km_from=p.km_from, km_to=p.km_to,
            assigned_at=p.assigned_at, signed_at=p.signed_at, answered_at=p.answered_at, evaluated_at=p.evaluated_at,
            published_at=p.published_at, withdrawn_at=p.withdrawn_at,
            return_until=rules.return_open_until(p.assigned_at) if p.state in ("assigned", "signed") else None,
            history=history, answers=answers, contacts=contacts, extension=extension, results=results,
            reports=[linked_report(actor, r) for r in q.linked_reports(s, p.id)],
            timeline=_timeline(history, answers, contacts, results), actions=rules.allowed(actor, p, ext, now),
            cleanups=linked_cleanups(s, actor, p.id))


def timeline(engine: Engine, user, proposal_id: int, now: datetime | None = None) -> list[TimelineItem]:
    """History, answers, contacts (for those who may see them) and result milestones, in time order."""
    return detail(engine, user, proposal_id, now).timeline
