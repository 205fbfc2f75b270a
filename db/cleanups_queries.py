"""Queries for volunteer clean-up days (the only SQL qingxi.cleanups runs).

Seats are never counted in Python and written back: every change of a seat counter is one
conditional UPDATE whose WHERE clause is the capacity rule, so the database refuses an overbooking
however many sign-ups arrive at once (and the CHECK constraints on the tables refuse it again).
Callers run these inside `db.engine.write_scope` (BEGIN IMMEDIATE on SQLite); on PostgreSQL the
UPDATE's row lock serialises writers on one event and READ COMMITTED re-checks the WHERE clause
against the row as the previous writer committed it.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Float, and_, case, cast, false, func, select, update
from sqlalchemy.orm import Session, selectinload

from db.models import Cleanup, CleanupGroup, CleanupReport, ProposalCleanupLink, Report, Signup, Village
from db.portable import floor

LIVE = ("seated", "waitlisted")


# ---------------------------------------------------------------- events

def cleanup(session: Session, cleanup_id: int, *, lock: bool = False) -> Cleanup | None:
    """An event as the database has it now; `lock` takes its row lock on PostgreSQL (SQLite's
    write_scope already holds the database's write lock)."""
    query = (select(Cleanup).where(Cleanup.id == cleanup_id)
             .options(selectinload(Cleanup.groups), selectinload(Cleanup.meeting_village))
             .execution_options(populate_existing=True))
    if lock:
        # FOR NO KEY UPDATE: sign-up inserts hold KEY SHARE on the event row (their foreign key).
        query = query.with_for_update(of=Cleanup, key_share=True)
    return session.scalars(query).first()


def cleanups(session: Session, states: Sequence[str], since: datetime | None = None,
             until: datetime | None = None) -> list[Cleanup]:
    query = (select(Cleanup).where(Cleanup.state.in_(states))
             .options(selectinload(Cleanup.groups), selectinload(Cleanup.meeting_village))
             .order_by(Cleanup.starts_at, Cleanup.id))
    if since is not None:
        query = query.where(Cleanup.ends_at >= since)
    if until is not None:
        query = query.where(Cleanup.starts_at < until)
    return list(session.scalars(query))


def group(session: Session, cleanup_id: int, group_id: int, *, lock: bool = False) -> CleanupGroup | None:
    query = (select(CleanupGroup).where(CleanupGroup.id == group_id, CleanupGroup.cleanup_id == cleanup_id)
             .execution_options(populate_existing=True))
    if lock:
        query = query.with_for_update(key_share=True)
    return session.scalars(query).first()


def group_in_use(session: Session, group_id: int) -> bool:
    """Has any sign-up (live or not) named this group? Then it stays (the rows point at it)."""
    return session.scalar(select(func.count()).select_from(Signup).where(Signup.group_id == group_id)) > 0


def village(session: Session, code: str) -> Village | None:
    return session.scalars(select(Village).where(Village.code == code)).first()


# ---------------------------------------------------------------- seats (conditional updates)

def take_public_seats(session: Session, cleanup_id: int, seats: int, states: Sequence[str]) -> bool:
    """seats_taken += seats only while the event is in `states` and a public seat remains for
    every one of them (public capacity = capacity - reserved); True when the seats were taken."""
    result = session.execute(
        update(Cleanup)
        .where(Cleanup.id == cleanup_id, Cleanup.state.in_(states),
               Cleanup.seats_taken + seats + Cleanup.reserved <= Cleanup.capacity)
        .values(seats_taken=Cleanup.seats_taken + seats)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def take_group_seats(session: Session, group_id: int, seats: int) -> bool:
    result = session.execute(
        update(CleanupGroup)
        .where(CleanupGroup.id == group_id, CleanupGroup.seats_taken + seats <= CleanupGroup.seats)
        .values(seats_taken=CleanupGroup.seats_taken + seats)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def free_public_seats(session: Session, cleanup_id: int, seats: int) -> None:
    session.execute(update(Cleanup).where(Cleanup.id == cleanup_id)
                    .values(seats_taken=Cleanup.seats_taken - seats).execution_options(synchronize_session=False))


def free_group_seats(session: Session, group_id: int, seats: int) -> None:
    session.execute(update(CleanupGroup).where(CleanupGroup.id == group_id)
                    .values(seats_taken=CleanupGroup.seats_taken - seats)
                    .execution_options(synchronize_session=False))


def mark_full(session: Session, cleanup_id: int) -> bool:
    """published → full when no public seat remains."""
    where = [Cleanup.id == cleanup_id, Cleanup.state == "published",
             Cleanup.seats_taken + Cleanup.reserved >= Cleanup.capacity]
    result = session.execute(update(Cleanup).where(*where).values(state="full")
                             .execution_options(synchronize_session=False))
    return result.rowcount == 1


# ---------------------------------------------------------------- sign-ups

def signup_by_code(session: Session, code: str) -> Signup | None:
    query = (select(Signup).where(Signup.code == code)
             .options(selectinload(Signup.village), selectinload(Signup.group))
             .execution_options(populate_existing=True))
    return session.scalars(query).first()


def signup(session: Session, signup_id: int) -> Signup | None:
    return session.get(Signup, signup_id, populate_existing=True)


def code_taken(session: Session, code: str) -> bool:
    return session.scalar(select(func.count()).select_from(Signup).where(Signup.code == code)) > 0


def live_signup(session: Session, cleanup_id: int, phone: str) -> Signup | None:
    return session.scalars(select(Signup).where(Signup.cleanup_id == cleanup_id, Signup.phone == phone,
                                                Signup.status.in_(LIVE))).first()


def waitlist(session: Session, cleanup_id: int) -> list[Signup]:
    """Waiting sign-ups in the order they came (id order)."""
    return list(session.scalars(select(Signup).where(Signup.cleanup_id == cleanup_id,
                                                     Signup.status == "waitlisted")
                                .order_by(Signup.id).execution_options(populate_existing=True)))


def waiting(session: Session, cleanup_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Signup)
                          .where(Signup.cleanup_id == cleanup_id, Signup.status == "waitlisted")) or 0


def position(session: Session, cleanup_id: int, signup_id: int) -> int:
    """1 for the head of the waitlist."""
    return session.scalar(select(func.count()).select_from(Signup)
                          .where(Signup.cleanup_id == cleanup_id, Signup.status == "waitlisted",
                                 Signup.id <= signup_id)) or 0


def signups(session: Session, cleanup_id: int) -> list[Signup]:
    """Every sign-up of an event in the order they came, with village and group (the roster)."""
    return list(session.scalars(select(Signup).where(Signup.cleanup_id == cleanup_id)
                                .options(selectinload(Signup.village), selectinload(Signup.group))
                                .order_by(Signup.id)))


def seat_counts(session: Session, cleanup_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per event: seats held by seated sign-ups (walk-ins apart), walk-in seats, waitlisted people,
    checked-in seats."""
    ids = list(cleanup_ids)
    if not ids:
        return {}
    pre = and_(Signup.status == "seated", Signup.walk_in.is_(false()))
    query = (select(Signup.cleanup_id,
                    func.sum(case((pre, Signup.seats), else_=0)),
                    func.sum(case((Signup.walk_in, Signup.seats), else_=0)),
                    func.sum(case((Signup.status == "waitlisted", 1), else_=0)),
                    func.sum(case((Signup.checked_in_at.is_not(None), Signup.seats), else_=0)))
             .where(Signup.cleanup_id.in_(ids)).group_by(Signup.cleanup_id))
    found = {i: {"seated": 0, "walk_in": 0, "waitlisted": 0, "checked_in": 0} for i in ids}
    for cid, seated, walk, wait, checked in session.execute(query):
        found[cid] = {"seated": int(seated or 0), "walk_in": int(walk or 0), "waitlisted": int(wait or 0),
                      "checked_in": int(checked or 0)}
    return found


# ---------------------------------------------------------------- reports: where to clean, attached

def _weight(now: datetime, category_w: dict[str, float], size_w: dict[str, float], default_size: float,
            age_bands: Sequence[tuple[int, float]], supporter_w: float, supporter_cap: int) -> ColumnElement:
    """One report's weight, as qingxi.cleanups.report_weight spells it in Python."""
    cat = case(*((Report.category == c, w) for c, w in category_w.items()), else_=0.0)
    size = case(*((Report.size == s, w) for s, w in size_w.items()), else_=default_size)
    # Older weighs more, stepwise, capped at the last band: portable (no date arithmetic in SQL).
    age = case(*((Report.created_at <= now - timedelta(days=d), w) for d, w in sorted(age_bands, reverse=True)),
               else_=1.0)
    backers = case((Report.supporters > supporter_cap, supporter_cap), else_=Report.supporters)
    return cast(cat, Float) * size * age * (1.0 + supporter_w * backers)


def _litter(categories: Sequence[str], states: Sequence[str]) -> list:
    return [Report.category.in_(categories), Report.state.in_(states), Report.hidden.is_(false()),
            Report.cleaned_by_reporter.is_(false()), Report.river_km.is_not(None)]


def litter_sections(session: Session, states: Sequence[str], section_km: float, now: datetime, *,
                    category_w: dict[str, float], size_w: dict[str, float], default_size: float,
                    age_bands: Sequence[tuple[int, float]], supporter_w: float,
                    supporter_cap: int) -> list[dict]:
    """Per section index (floor(river_km / section_km)): score, reports, supporters and reports
    per category — one GROUP BY in the database."""
    weight = _weight(now, category_w, size_w, default_size, age_bands, supporter_w, supporter_cap)
    idx = floor(Report.river_km / section_km)
    rows = (select(idx.label("idx"), Report.category.label("category"), weight.label("w"),
                   Report.supporters.label("supporters"))
            .where(*_litter(list(category_w), states))).subquery()
    query = (select(rows.c.idx, rows.c.category, func.count(), func.sum(rows.c.w), func.sum(rows.c.supporters))
             .group_by(rows.c.idx, rows.c.category))
    sections: dict[int, dict] = {}
    for i, category, n, score, backers in session.execute(query):
        sec = sections.setdefault(int(i), {"idx": int(i), "reports": 0, "score": 0.0, "supporters": 0,
                                           "by_category": {}})
        sec["reports"] += n
        sec["score"] += float(score or 0)
        sec["supporters"] += int(backers or 0)
        sec["by_category"][category] = n
    return list(sections.values())


def litter_reports_between(session: Session, categories: Sequence[str], states: Sequence[str],
                           km_from: float, km_to: float) -> list[int]:
    return list(session.scalars(select(Report.id).where(*_litter(categories, states),
                                                        Report.river_km >= km_from, Report.river_km < km_to)
                                .order_by(Report.river_km, Report.id)))


def open_reports(session: Session, report_ids: Sequence[int], states: Sequence[str]) -> list[int]:
    return list(session.scalars(select(Report.id).where(Report.id.in_(list(report_ids)),
                                                        Report.state.in_(states), Report.hidden.is_(false()))))


def attach(session: Session, cleanup_id: int, report_ids: Iterable[int], at: datetime) -> int:
    have = set(session.scalars(select(CleanupReport.report_id).where(CleanupReport.cleanup_id == cleanup_id)))
    new = [i for i in dict.fromkeys(report_ids) if i not in have]
    session.add_all(CleanupReport(cleanup_id=cleanup_id, report_id=i, attached_at=at) for i in new)
    session.flush()
    return len(new)


def links(session: Session, cleanup_id: int) -> list[tuple[CleanupReport, Report]]:
    query = (select(CleanupReport, Report).join(Report, Report.id == CleanupReport.report_id)
             .where(CleanupReport.cleanup_id == cleanup_id).order_by(Report.river_km, Report.id)
             .execution_options(populate_existing=True))
    return [tuple(row) for row in session.execute(query)]


def report(session: Session, report_id: int) -> Report | None:
    return session.scalars(select(Report).where(Report.id == report_id).with_for_update()
                           .execution_options(populate_existing=True)).first()


# ---------------------------------------------------------------- numbers

_FINISHED = ("done", "reported")


def _month(session: Session, column, tz_name: str, utc_offset_h: float) -> ColumnElement[str]:
    """'YYYY-MM' of a UTC timestamp in local time."""
    if session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", column, f"{utc_offset_h:+g} hours")
    return func.to_char(func.timezone(tz_name, column), "YYYY-MM")


def totals(session: Session) -> dict:
    """Finished events: how many, and the sums of their results."""
    row = session.execute(select(func.count(), func.sum(Cleanup.participants), func.sum(Cleanup.hours),
                                 func.sum(Cleanup.bags), func.sum(Cleanup.kg), func.sum(Cleanup.km_covered))
                          .where(Cleanup.state.in_(_FINISHED))).one()
    cleaned = session.scalar(select(func.count()).select_from(CleanupReport)
                             .where(CleanupReport.cleaned_by_volunteers.is_(True))) or 0
    keys = ("events", "participants", "hours", "bags", "kg", "km_covered")
    return {k: (v or 0) for k, v in zip(keys, row)} | {"reports_cleaned": cleaned}


def by_month(session: Session, tz_name: str, utc_offset_h: float) -> list[tuple[str, float, int, int]]:
    """(month, kg, bags, events) of finished events by the local month they started in."""
    month = _month(session, Cleanup.starts_at, tz_name, utc_offset_h).label("month")
    query = (select(month, func.sum(Cleanup.kg), func.sum(Cleanup.bags), func.count())
             .where(Cleanup.state.in_(_FINISHED)).group_by(month).order_by(month))
    return [(m, float(kg or 0), int(bags or 0), n) for m, kg, bags, n in session.execute(query)]


def by_village(session: Session) -> list[tuple[str | None, int, float]]:
    """(village, volunteers, hours) over finished events: people who came (attended sign-ups and
    walk-ins, with companions); an event's recorded hours are shared by its attendees' seats."""
    came = and_(Signup.status == "seated", Signup.attendance == "attended")
    per_event = (select(Signup.cleanup_id.label("cid"), func.sum(Signup.seats).label("seats"))
                 .where(came).group_by(Signup.cleanup_id)).subquery()
    share = Signup.seats * func.coalesce(Cleanup.hours, 0.0) / per_event.c.seats
    query = (select(Village.name, func.sum(Signup.seats), func.sum(share))
             .select_from(Signup)
             .join(Cleanup, Cleanup.id == Signup.cleanup_id)
             .join(per_event, per_event.c.cid == Signup.cleanup_id)
             .outerjoin(Village, Village.id == Signup.village_id)
             .where(came, Cleanup.state.in_(_FINISHED))
             .group_by(Village.id, Village.name).order_by(func.sum(Signup.seats).desc(), Village.name))
    return [(name, int(n or 0), float(h or 0)) for name, n, h in session.execute(query)]


def by_river_km(session: Session) -> list[tuple[int, float, float]]:
    """(km bucket = floor of the section's middle, kg, km covered) over finished events."""
    bucket = floor((Cleanup.km_from + Cleanup.km_to) / 2).label("km")
    query = (select(bucket, func.sum(Cleanup.kg), func.sum(Cleanup.km_covered))
             .where(Cleanup.state.in_(_FINISHED)).group_by(bucket).order_by(bucket))
    return [(int(k), float(kg or 0), float(km or 0)) for k, kg, km in session.execute(query)]


def attendance(session: Session) -> tuple[int, int]:
    """(attended, no-show) seats of pre-registered, seated sign-ups of finished events."""
    pre = and_(Signup.status == "seated", Signup.walk_in.is_(false()))
    query = (select(func.sum(case((Signup.attendance == "attended", Signup.seats), else_=0)),
                    func.sum(case((Signup.attendance == "no_show", Signup.seats), else_=0)))
             .join(Cleanup, Cleanup.id == Signup.cleanup_id)
             .where(pre, Cleanup.state.in_(_FINISHED)))
    came, missed = session.execute(query).one()
    return int(came or 0), int(missed or 0)


# ---------------------------------------------------------------- links from elsewhere

def cleaned_by_events(session: Session, report_code: str) -> list[Cleanup]:
    """The non-draft events whose volunteers cleaned the report with this tracking code."""
    query = (select(Cleanup).join(CleanupReport, CleanupReport.cleanup_id == Cleanup.id)
             .join(Report, Report.id == CleanupReport.report_id)
             .where(Report.code == report_code, Report.hidden.is_(False),
                    CleanupReport.cleaned_by_volunteers.is_(True), Cleanup.state != "draft")
             .order_by(Cleanup.starts_at, Cleanup.id))
    return list(session.scalars(query))


def proposal_cleanups(session: Session, proposal_id: int, states: Sequence[str]) -> list[Cleanup]:
    """Events in `states` with an active link to the proposal, oldest link first."""
    query = (select(Cleanup).join(ProposalCleanupLink, ProposalCleanupLink.cleanup_id == Cleanup.id)
             .where(ProposalCleanupLink.proposal_id == proposal_id, ProposalCleanupLink.unlinked_at.is_(None),
                    Cleanup.state.in_(states))
             .order_by(ProposalCleanupLink.linked_at, ProposalCleanupLink.id))
    return list(session.scalars(query))
