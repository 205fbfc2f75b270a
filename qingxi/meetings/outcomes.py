"""What came of a day: opinions raised on the day (staff), the official's response to each (an
answer, or a commitment by a unit with a due date — never in the past — marked done later), an
opinion turned into a report in the triage loop, or attached to a deputy's proposal as evidence;
the public minutes (never a name or phone) and the commitments past due for the dashboard."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine

from db import meetings_queries as q
from db import reports_queries
from db.engine import session_scope
from db.models import Meeting, MeetingOpinion, MeetingResponse, Photo, Report, StatusChange, Unit
from qingxi.core import codes, permissions
from qingxi.core.acting import acting, fresh_user
from qingxi.core.settings import current as settings
from qingxi.meetings.rules import KINDS, MAX_OFFICIAL, MAX_TEXT, MeetingError, checked_text
from qingxi.reports import clocks, intake
from qingxi.reports.states import CATEGORIES, State


def _local_today(at: datetime) -> date:
    return at.astimezone(settings().timezone).date()


def record_opinion(engine: Engine, user, meeting_id: int, text: str, village_code: str | None = None, *,
                   now: datetime | None = None) -> int:
    """An opinion raised on the day, recorded by staff (no name: the minutes are public)."""
    text = checked_text(text, MAX_TEXT, "opinion_needed", required=True)
    with acting(engine, user, "meeting.manage", now=now) as c:
        day = q.meeting(c.session, meeting_id)
        if day is None:
            raise MeetingError("not_found")
        village_id = None
        if village_code:
            from db import places_queries
            village_id = places_queries.village_id(c.session, village_code)
            if village_id is None:
                raise MeetingError("unknown_village")
        row = MeetingOpinion(meeting_id=day.id, village_id=village_id, text=text, source="on_day", created_at=c.at)
        c.session.add(row)
        c.session.flush()
        c.audit("meeting.opinion", {}, {"meeting": day.id}, entity="meeting_opinion", entity_id=row.id)
        return row.id


def _opinion(c, opinion_id: int) -> MeetingOpinion:
    row = q.opinion(c.session, opinion_id)
    if row is None:
        raise MeetingError("no_opinion")
    return row


def respond(engine: Engine, user, opinion_id: int, kind: str, text: str, official: str = "",
            unit_id: int | None = None, due_on: date | None = None, *, now: datetime | None = None) -> int:
    """The official's response (by title): an answer, or a commitment with a unit and a due date."""
    if kind not in KINDS:
        raise MeetingError("bad_kind")
    text = checked_text(text, MAX_TEXT, "response_needed", required=True)
    official = checked_text(official, MAX_OFFICIAL, "official_too_long")
    with acting(engine, user, "meeting.manage", now=now) as c:
        op = _opinion(c, opinion_id)
        if kind == "commitment":
            if unit_id is None or c.session.get(Unit, unit_id) is None:
                raise MeetingError("unit_needed")
            if due_on is None:
                raise MeetingError("due_needed")
            if due_on < _local_today(c.at):
                raise MeetingError("due_in_past")
        else:
            unit_id, due_on = None, None
        if q.response(c.session, op.id) is not None:
            raise MeetingError("already_answered")
        row = MeetingResponse(opinion_id=op.id, kind=kind, text=text, official=official, unit_id=unit_id,
                              due_on=due_on, author_id=c.actor.id, created_at=c.at)
        c.session.add(row)
        c.session.flush()
        c.audit("meeting.respond", {}, {"kind": kind, "due_on": str(due_on) if due_on else None},
                entity="meeting_opinion", entity_id=op.id)
        return row.id


def commitment_done(engine: Engine, user, opinion_id: int, *, now: datetime | None = None) -> None:
    with acting(engine, user, "meeting.manage", now=now) as c:
        row = q.response(c.session, opinion_id)
        if row is None or row.kind != "commitment":
            raise MeetingError("no_commitment")
        row.done_at = c.at
        c.audit("meeting.done", {}, {"done": True}, entity="meeting_opinion", entity_id=opinion_id)


def to_report(engine: Engine, user, opinion_id: int, category: str, village_code: str, *,
              now: datetime | None = None) -> str:
    """The opinion becomes a report in the triage loop (staff visibility, placed at the village, its
    photo copied); returns the new report's code (staff only see it)."""
    if category not in CATEGORIES:
        raise MeetingError("bad_category")
    with acting(engine, user, "meeting.manage", now=now) as c:
        s = c.session
        op = _opinion(c, opinion_id)
        if op.made_report_id is not None:
            raise MeetingError("already_reported")
        try:
            where = intake.village_place(s, village_code)
        except intake.IntakeError:
            raise MeetingError("unknown_village") from None
        from db import places_queries
        code = codes.new_code()
        while reports_queries.code_taken(s, code):
            code = codes.new_code()
        report = Report(
            code=code, category=category, description=op.text[:2000], lon=where.lon, lat=where.lat,
            location_source="village", river_version_id=places_queries.current_river(s).id, river_km=where.river_km,
            distance_m=where.distance_m, bank=where.bank, village_id=places_queries.village_id(s, village_code),
            off_river=where.problem is not None, visibility="staff", state=State.SUBMITTED.value,
            priority=clocks.default_priority(category), created_at=c.at)
        report.photos = [Photo(kind="report", sha256=p.sha256, public_name=p.public_name, thumb_name=p.thumb_name,
                               width=p.width, height=p.height, taken_at=p.taken_at, taken_source=p.taken_source)
                         for p in q.photos(s, [op.id])]
        report.history = [StatusChange(to_state=State.SUBMITTED.value, step=State.SUBMITTED.value, at=c.at)]
        s.add(report)
        s.flush()
        op.made_report_id = report.id
        c.audit("meeting.to_report", {}, {"report": report.id}, entity="meeting_opinion", entity_id=op.id)
        return report.code


def attach_to_proposal(engine: Engine, user, opinion_id: int, proposal_id: int, *,
                       now: datetime | None = None) -> None:
    """The opinion as evidence for a deputy's proposal."""
    with acting(engine, user, "meeting.manage", now=now) as c:
        op = _opinion(c, opinion_id)
        if not q.proposal_exists(c.session, proposal_id):
            raise MeetingError("no_proposal")
        before = op.proposal_id
        op.proposal_id = proposal_id
        c.audit("meeting.attach", {"proposal": before}, {"proposal": proposal_id}, entity="meeting_opinion",
                entity_id=op.id)


@dataclass(frozen=True)
class Line:
    """One opinion in the minutes: its text and what came of it (no name, no phone)."""

    opinion_id: int
    text: str
    source: str
    village: str | None
    kind: str | None          # answer / commitment / None (no response yet)
    response: str
    official: str
    unit: str | None
    due_on: date | None
    status: str | None        # commitments: done / due / late
    has_report: bool          # linked a report the person filed (its code is never shown)
    made_report: bool
    proposal_id: int | None
    photos: list[str]


@dataclass(frozen=True)
class Minutes:
    meeting_id: int
    starts_at: datetime
    place: str
    topic: str
    invited: str
    lines: list[Line]


def _status(r: MeetingResponse | None, today: date) -> str | None:
    if r is None or r.kind != "commitment":
        return None
    if r.done_at is not None:
        return "done"
    return "late" if r.due_on < today else "due"


def _lines(s, day: Meeting, today: date) -> list[Line]:
    from db.models import Village

    ops = q.opinions(s, day.id)
    answers = q.responses(s, [o.id for o in ops])
    pics: dict[int, list[str]] = {}
    for p in q.photos(s, [o.id for o in ops]):
        pics.setdefault(p.opinion_id, []).append(p.thumb_name)
    out = []
    for o in ops:
        r = answers.get(o.id)
        unit = s.get(Unit, r.unit_id).name if r and r.unit_id else None
        village = s.get(Village, o.village_id).name if o.village_id else None
        out.append(Line(o.id, o.text, o.source, village, r.kind if r else None, r.text if r else "",
                        r.official if r else "", unit, r.due_on if r else None, _status(r, today),
                        o.report_id is not None, o.made_report_id is not None, o.proposal_id, pics.get(o.id, [])))
    return out


def minutes(engine: Engine, meeting_id: int, *, now: datetime | None = None) -> Minutes:
    """The public minutes, once the day has begun: topics, responses, commitments done / due / late."""
    from qingxi.core import clock

    at = clock.now(now)
    with session_scope(engine) as s:
        day = q.meeting(s, meeting_id)
        if day is None or day.state != "published":
            raise MeetingError("not_found")
        if day.starts_at > at:
            raise MeetingError("not_yet")
        return Minutes(day.id, day.starts_at, day.place, day.topic, day.invited, _lines(s, day, _local_today(at)))


def staff_lines(engine: Engine, user, meeting_id: int, *, now: datetime | None = None) -> list[Line]:
    """Every opinion of a day with what came of it, at any time (staff)."""
    with acting(engine, user, "meeting.manage", now=now) as c:
        day = q.meeting(c.session, meeting_id)
        if day is None:
            raise MeetingError("not_found")
        return _lines(c.session, day, _local_today(c.at))


@dataclass(frozen=True)
class Overdue:
    meeting_id: int
    topic: str
    opinion: str
    unit: str
    due_on: date


def overdue(engine: Engine, user, *, now: datetime | None = None) -> list[Overdue]:
    """Commitments past their due date and not done (dashboard: staff and deputies)."""
    from qingxi.core import clock

    at = clock.now(now)
    with session_scope(engine) as s:
        permissions.require(fresh_user(s, user), "dashboard.view")
        return [Overdue(m.id, m.topic, o.text, s.get(Unit, r.unit_id).name, r.due_on)
                for r, o, m in q.overdue(s, _local_today(at))]


def proposal_opinions(engine: Engine, proposal_id: int) -> list[str]:
    """The texts of the opinions attached to a proposal (shown on its page)."""
    with session_scope(engine) as s:
        return [o.text for o in q.opinions_for_proposal(s, proposal_id)]
