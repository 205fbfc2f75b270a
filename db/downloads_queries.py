"""The exports' and the Open311 API's queries (the only SQL behind them).

`public_rows` and `open311_rows` hand out public columns only: never the tracking code (its holder
can act on the report), the reporter's name or phone, or the description (the reporter's own words
may name people); hidden reports never leave. `staff_rows` is for the staff export alone, which
qingxi.exports guards with the "export.private" permission.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from db.models import Report, Unit, Village

_PUBLIC = (
    Report.id, Report.category, Report.state, Report.priority, Village.name.label("village"),
    Report.river_km, Report.lon, Report.lat, Report.created_at, Report.updated_at, Report.signed_at,
    Report.dispatched_at, Report.fixed_at, Report.closed_at, Report.supporters,
)
PUBLIC_FIELDS = tuple(c.key for c in _PUBLIC)
PRIVATE_FIELDS = ("code", "reporter_name", "reporter_phone", "visibility", "hidden")


def _base(*columns) -> Select:
    return select(*columns).outerjoin(Village, Report.village_id == Village.id)


def staff_rows(session: Session) -> list[dict]:
    """Every report, hidden ones too (flagged), with the reporter's contact details."""
    query = _base(*_PUBLIC, Report.code, Report.reporter_name, Report.reporter_phone, Report.visibility,
                  Report.hidden).order_by(Report.created_at, Report.id)
    return [dict(row._mapping) for row in session.execute(query)]


def public_rows(session: Session) -> Iterator[dict]:
    """Every visible report, public columns only, oldest first: streamed from the database a few
    thousand rows at a time (a million never sit in memory)."""
    query = _base(*_PUBLIC).where(Report.hidden.is_(False)).order_by(Report.created_at, Report.id)
    for row in session.execute(query.execution_options(yield_per=2000)):
        yield dict(row._mapping)


def public_stamp(session: Session) -> tuple[int, datetime | None]:
    """What the public files depend on: how many visible reports, and the latest change to any."""
    count, latest = session.execute(select(func.count(), func.max(Report.updated_at))
                                    .where(Report.hidden.is_(False))).one()
    return count, latest


def open311_rows(session: Session, *, ids: Sequence[int] = (), categories: Sequence[str] = (),
                 states: Sequence[str] | None = None, since: datetime | None = None,
                 until: datetime | None = None, limit: int = 1000) -> list[dict]:
    """Visible reports for GeoReport v2, newest first, with the unit they were dispatched to.
    `since`/`until` are inclusive bounds on created_at; `states` None means any state."""
    query = (_base(*_PUBLIC, Unit.name.label("unit")).outerjoin(Unit, Report.unit_id == Unit.id)
             .where(Report.hidden.is_(False)))
    if ids:
        query = query.where(Report.id.in_(ids))
    if categories:
        query = query.where(Report.category.in_(categories))
    if states is not None:
        query = query.where(Report.state.in_(states))
    if since is not None:
        query = query.where(Report.created_at >= since)
    if until is not None:
        query = query.where(Report.created_at <= until)
    query = query.order_by(Report.created_at.desc(), Report.id.desc()).limit(limit)
    return [dict(row._mapping) for row in session.execute(query)]
