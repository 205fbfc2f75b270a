"""Queries for the triage desk, the response clocks and the audit log (the only SQL they run)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import case, false, func, select, update
from sqlalchemy.orm import Session, selectinload

from db.models import (
    AuditEntry, ClockTarget, Observation, Photo, Report, ResponseTemplate, RoutingRule, Unit, User,
)

_NO_SCOPE = object()


@dataclass(frozen=True)
class QueueFilter:
    """What the desk narrows its queue by; None means any."""

    village_id: int | None = None
    category: str | None = None
    state: str | None = None
    unit_id: int | None = None


def fresh_user(session: Session, user) -> User | None:
    """The acting account as the database has it now (role, unit, disabled), never as a page
    remembered it; None (the public) when there is no such account."""
    user_id = getattr(user, "id", None)
    return None if user_id is None else session.get(User, user_id, populate_existing=True)


def report(session: Session, report_id: int, *, lock: bool = True) -> Report | None:
    """A report, locked for the rest of the transaction on PostgreSQL (SQLite locks the file)."""
    query = select(Report).where(Report.id == report_id).execution_options(populate_existing=True)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def photo(session: Session, photo_id: int) -> Photo | None:
    return session.get(Photo, photo_id)


def unit(session: Session, unit_id: int) -> Unit | None:
    return session.get(Unit, unit_id)


def suggest_unit(session: Session, category: str, village_id: int | None) -> int | None:
    """The routing rule that matches most specifically: category+village, then category, then
    village, then the catch-all (None matches any); inactive units are skipped; the older rule
    wins a tie."""
    specificity = (case((RoutingRule.category.is_not(None), 2), else_=0)
                   + case((RoutingRule.village_id.is_not(None), 1), else_=0))
    village_match = (RoutingRule.village_id.is_(None) if village_id is None
                     else (RoutingRule.village_id.is_(None) | (RoutingRule.village_id == village_id)))
    query = (
        select(RoutingRule.unit_id)
        .join(Unit, Unit.id == RoutingRule.unit_id)
        .where(Unit.active.is_(True),
               RoutingRule.category.is_(None) | (RoutingRule.category == category),
               village_match)
        .order_by(specificity.desc(), RoutingRule.id)
        .limit(1)
    )
    return session.scalar(query)


def add_supporters(session: Session, report_id: int, n: int) -> None:
    """Atomic in SQL, like a "me too", so a concurrent one is not lost."""
    session.execute(update(Report).where(Report.id == report_id).values(supporters=Report.supporters + n))


def move_photos(session: Session, from_id: int, to_id: int, kind: str) -> int:
    result = session.execute(update(Photo).where(Photo.report_id == from_id)
                             .values(report_id=to_id, kind=kind).execution_options(synchronize_session=False))
    return result.rowcount


def move_observations(session: Session, from_id: int, to_id: int) -> int:
    result = session.execute(update(Observation).where(Observation.report_id == from_id)
                             .values(report_id=to_id).execution_options(synchronize_session=False))
    return result.rowcount


def verified_ids(session: Session, report_ids: Iterable[int]) -> set[int]:
    """Reports a staff member has verified (the audit log is the record of it)."""
    ids = list(report_ids)
    if not ids:
        return set()
    query = select(AuditEntry.entity_id).where(AuditEntry.entity == "report", AuditEntry.action == "report.verify",
                                               AuditEntry.entity_id.in_(ids))
    return set(session.scalars(query))


def audit_entries(session: Session, entity: str | None, entity_id: int | None, limit: int) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    return list(session.scalars(query))


def templates_for(session: Session, state: str) -> list[ResponseTemplate]:
    return list(session.scalars(select(ResponseTemplate).where(ResponseTemplate.state == state)
                                .order_by(ResponseTemplate.title, ResponseTemplate.id)))


def clock_targets(session: Session) -> list[ClockTarget]:
    return list(session.scalars(select(ClockTarget)))


def clock_target(session: Session, priority: str, clock: str) -> ClockTarget | None:
    return session.get(ClockTarget, (priority, clock))


def _desk_filters(states: Sequence[str], scope_unit, f: QueueFilter, *, with_state: bool) -> list:
    where = [Report.state.in_(states), Report.hidden.is_(False)]
    if scope_unit is not _NO_SCOPE:
        where.append(false() if scope_unit is None else Report.unit_id == scope_unit)
    if f.village_id is not None:
        where.append(Report.village_id == f.village_id)
    if f.category is not None:
        where.append(Report.category == f.category)
    if f.unit_id is not None:
        where.append(Report.unit_id == f.unit_id)
    if with_state and f.state is not None:
        where.append(Report.state == f.state)
    return where


def desk_reports(session: Session, states: Sequence[str], f: QueueFilter, scope_unit=_NO_SCOPE) -> list[Report]:
    """Visible reports in `states` matching the filter; `scope_unit` (a handler's unit, None for
    a handler without one) limits them to that unit's reports."""
    query = (select(Report).where(*_desk_filters(states, scope_unit, f, with_state=True))
             .options(selectinload(Report.village), selectinload(Report.unit))
             .order_by(Report.created_at, Report.id))
    return list(session.scalars(query))


def desk_counts(session: Session, states: Sequence[str], f: QueueFilter, scope_unit=_NO_SCOPE) -> dict[str, int]:
    """Reports per state under the same scope and filters, ignoring the state filter (badges)."""
    query = (select(Report.state, func.count()).where(*_desk_filters(states, scope_unit, f, with_state=False))
             .group_by(Report.state))
    return {state: n for state, n in session.execute(query)}


NO_SCOPE = _NO_SCOPE


def active_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)))
