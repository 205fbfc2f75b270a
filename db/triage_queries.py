"""Queries for the triage desk, the response clocks and the audit log (the only SQL they run)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, false, func, select, update
from sqlalchemy.orm import Session, selectinload

from db.models import (
    AuditEntry,
    ClockTarget,
    Observation,
    Photo,
    Report,
    ResponseTemplate,
    RoutingRule,
    Unit,
    Village,
)
from db.portable import epoch, least, rare

# The milestone column(s) that stop each response clock (qingxi.clocks.MILESTONES, as columns).
DONE: dict[str, ColumnElement] = {
    "sign": Report.signed_at,
    "dispatch": Report.dispatched_at,
    "callback": Report.called_back_at,
    "onsite": Report.on_site_at,
    "resolve": func.coalesce(Report.fixed_at, Report.closed_at),
}

_NO_SCOPE = object()


@dataclass(frozen=True)
class QueueFilter:
    """What the desk narrows its queue by; None means any."""

    village_id: int | None = None
    category: str | None = None
    state: str | None = None
    unit_id: int | None = None
    newest_first: bool = False  # the reports just filed on top, instead of the first clock to run out


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


def templates_for(session: Session, state: str) -> list[ResponseTemplate]:
    return list(session.scalars(select(ResponseTemplate).where(ResponseTemplate.state == state)
                                .order_by(ResponseTemplate.title, ResponseTemplate.id)))


def clock_targets(session: Session) -> list[ClockTarget]:
    return list(session.scalars(select(ClockTarget)))


def clock_target(session: Session, priority: str, clock: str) -> ClockTarget | None:
    return session.get(ClockTarget, (priority, clock))


def _scoped_to(scope_unit, village_id: int | None, category: str | None) -> list:
    """The conditions the desk queue and the search share: a handler's unit, a village, a category."""
    where = []
    if scope_unit is not _NO_SCOPE:
        where.append(false() if scope_unit is None else Report.unit_id == scope_unit)
    if village_id is not None:
        where.append(Report.village_id == village_id)
    if category is not None:
        where.append(Report.category == category)
    return where


def _desk_filters(states: Sequence[str], scope_unit, f: QueueFilter, *, with_state: bool) -> list:
    where = [rare(Report.state.in_(states)), Report.hidden.is_(False),
             *_scoped_to(scope_unit, f.village_id, f.category)]
    if f.unit_id is not None:
        where.append(Report.unit_id == f.unit_id)
    if with_state and f.state is not None:
        where.append(Report.state == f.state)
    return where


def target_seconds(targets: Mapping[str, Mapping[str, int]], clock: str) -> ColumnElement:
    """A report's target for `clock` by its priority (an unknown priority gets the normal one)."""
    other = [(Report.priority == p, t[clock]) for p, t in targets.items() if p != "normal"]
    normal = targets["normal"][clock]
    return case(*other, else_=normal) if other else normal


def next_due(targets: Mapping[str, Mapping[str, int]]) -> ColumnElement:
    """When a report's first still-ticking clock runs out, as epoch seconds; NULL when every clock
    has its milestone (qingxi.clocks.next_due for an open report, computed by the database).
    Arithmetic on the milestones rather than a stored column: no transition, merge, priority
    change or target edit has to keep a copy right, and the open reports it runs over are few
    and read from ix_reports_work."""
    created = epoch(Report.created_at)
    return least(*[case((done.is_(None), created + target_seconds(targets, clock)))
                   for clock, done in DONE.items()])


def desk_page(session: Session, states: Sequence[str], f: QueueFilter, targets, scope_unit=_NO_SCOPE, *,
              limit: int, offset: int = 0) -> list[Report]:
    """One page of the visible reports in `states` matching the filter, the first clock to run
    out first (then those with none ticking, oldest first), or the newest first when the filter
    asks; `scope_unit` (a handler's unit, None for a handler without one) limits them to that
    unit's reports."""
    due = next_due(targets)
    order = ((Report.created_at.desc(), Report.id.desc()) if f.newest_first else
             (due.is_(None), func.coalesce(due, epoch(Report.created_at)), Report.created_at, Report.id))
    page = (select(Report.id).where(*_desk_filters(states, scope_unit, f, with_state=True))
            .order_by(*order).limit(limit).offset(offset))
    return reports_in_order(session, list(session.scalars(page)))


def reports_in_order(session: Session, ids: list[int]) -> list[Report]:
    """The reports with these ids, in this order, with village and unit. The page of ids comes
    from an index-only scan (every column ordering needs is in ix_reports_work); only the page's
    rows are read from the table."""
    if not ids:
        return []
    query = (select(Report).where(Report.id.in_(ids))
             .options(selectinload(Report.village), selectinload(Report.unit)))
    found = {r.id: r for r in session.scalars(query)}
    return [found[i] for i in ids if i in found]


@dataclass(frozen=True)
class SearchFilter:
    """The staff search: a tracking code alone, or any of the rest; None means any."""

    code: str | None = None
    village_id: int | None = None
    category: str | None = None
    state: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


def _search_where(f: SearchFilter, scope_unit) -> list:
    where = _scoped_to(scope_unit, f.village_id, f.category)
    if f.code is not None:
        where.append(Report.code == f.code)
    if f.state is not None:
        where.append(Report.state == f.state)
    if f.since is not None:
        where.append(Report.created_at >= f.since)
    if f.until is not None:
        where.append(Report.created_at < f.until)
    return where


def search_count(session: Session, f: SearchFilter, scope_unit=_NO_SCOPE) -> int:
    return session.scalar(select(func.count()).select_from(Report).where(*_search_where(f, scope_unit))) or 0


def search_page(session: Session, f: SearchFilter, scope_unit=_NO_SCOPE, *, limit: int, offset: int = 0) -> list[dict]:
    """One page of matching reports, hidden ones included (staff), newest first."""
    query = (select(Report.id, Report.category, Report.state, Report.priority, Report.hidden,
                    Report.created_at, Village.name.label("village"))
             .outerjoin(Village, Report.village_id == Village.id)
             .where(*_search_where(f, scope_unit))
             .order_by(Report.created_at.desc(), Report.id.desc()).limit(limit).offset(offset))
    return [dict(row._mapping) for row in session.execute(query)]


def desk_counts(session: Session, states: Sequence[str], f: QueueFilter, scope_unit=_NO_SCOPE) -> dict[str, int]:
    """Reports per state under the same scope and filters, ignoring the state filter (badges)."""
    query = (select(Report.state, func.count()).where(*_desk_filters(states, scope_unit, f, with_state=False))
             .group_by(Report.state))
    return {state: n for state, n in session.execute(query)}


NO_SCOPE = _NO_SCOPE
