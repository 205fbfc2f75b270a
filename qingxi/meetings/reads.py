"""What pages show of face-to-face days: the list (published days for everyone, drafts for staff
too) with seats left, and the registrations (staff only: names and phones)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from db import meetings_queries as q
from db.engine import session_scope
from qingxi.core import permissions
from qingxi.core.acting import acting, fresh_user


@dataclass(frozen=True)
class Day:
    id: int
    starts_at: datetime
    place: str
    topic: str
    invited: str
    capacity: int
    registered: int
    state: str

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.registered, 0)


@dataclass(frozen=True)
class Registration:
    id: int
    name: str
    phone: str
    created_at: datetime


def days(engine: Engine, user=None) -> list[Day]:
    with session_scope(engine) as s:
        staff = permissions.can(fresh_user(s, user), "meeting.manage")
        rows = q.meetings(s, ("draft", "published") if staff else ("published",))
        return [Day(m.id, m.starts_at, m.place, m.topic, m.invited, m.capacity, q.registered(s, m.id), m.state)
                for m in rows]


@dataclass(frozen=True)
class ProposalChoice:
    """A proposal as the desk's picker offers it: its number and title."""

    id: int
    number: str
    title: str


def proposal_choices(engine: Engine, user, search: str = "", *, keep: int | None = None,
                     limit: int = 20) -> list[ProposalChoice]:
    """The proposals an opinion can be attached to, found by their number or title (staff): at most
    `limit`, newest first, and the one already attached (`keep`)."""
    search = (search or "").strip()[:100]
    with acting(engine, user, "meeting.manage") as c:
        return [ProposalChoice(p.id, p.number, p.title) for p in q.proposal_choices(c.session, search, limit, keep)]


def registrations(engine: Engine, user, meeting_id: int) -> list[Registration]:
    with acting(engine, user, "meeting.manage") as c:
        return [Registration(r.id, r.name, r.phone, r.created_at) for r in q.registrations(c.session, meeting_id)]


@dataclass(frozen=True)
class VillageOpinion:
    """An opinion from one of a deputy's villages (its text and what came of it; no name)."""

    village: str
    topic: str
    text: str
    kind: str | None
    status: str | None


def deputy_home(engine: Engine, user) -> tuple[list[tuple[str, str]], list[VillageOpinion]]:
    """A deputy's villages (code, name: those of the proposals they lead or co-sign) and the
    face-to-face opinions from them, newest day first."""
    from qingxi.meetings.outcomes import _local_today, _status

    with acting(engine, user, "dashboard.view") as c:
        villages = q.deputy_villages(c.session, c.actor.id)
        rows = q.village_opinions(c.session, [v.id for v in villages])
        answers = q.responses(c.session, [o.id for o, _ in rows])
        names = {v.id: v.name for v in villages}
        today = _local_today(c.at)
        return ([(v.code, v.name) for v in villages],
                [VillageOpinion(names[o.village_id], m.topic, o.text, answers[o.id].kind if o.id in answers else None,
                                _status(answers.get(o.id), today)) for o, m in rows])
