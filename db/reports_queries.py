"""Reports as intake and the reporter's page read and write them: by code, by photo, nearby, supporters."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from db.models import Photo, Report


def count_reports(session: Session, states: Sequence[str], *, since_field: str | None = None,
                  since: datetime | None = None) -> int:
    query = select(func.count()).select_from(Report).where(Report.state.in_(states), Report.hidden.is_(False))
    if since_field:
        query = query.where(getattr(Report, since_field) >= since)
    return session.scalar(query) or 0


def reports_in_box(session: Session, category: str, states: Sequence[str],
                   box: tuple[float, float, float, float]) -> list[Report]:
    west, south, east, north = box
    query = (select(Report).where(Report.category == category, Report.state.in_(states),
                                  Report.hidden.is_(False), Report.lon.between(west, east),
                                  Report.lat.between(south, north)))
    return list(session.scalars(query))


def report_by_code(session: Session, code: str) -> Report | None:
    return session.scalars(select(Report).where(Report.code == code)).first()


def report_by_photo(session: Session, sha256s: Sequence[str]) -> Report | None:
    """The latest report filed with any of these photos."""
    query = (select(Report).join(Photo).where(Photo.kind == "report", Photo.sha256.in_(sha256s))
             .order_by(Report.id.desc()).limit(1))
    return session.scalars(query).first()


def lock_photos(session: Session, sha256s: Sequence[str]) -> None:
    """Hold, until the transaction ends, a lock per photo: two sends of the same bytes take turns.
    PostgreSQL: advisory locks, in a fixed order; SQLite: the write lock write_scope already holds."""
    if session.get_bind().dialect.name == "postgresql":
        for sha in sorted(set(sha256s)):
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(sha[:15], 16)})


def code_taken(session: Session, code: str) -> bool:
    return session.scalar(select(func.count()).select_from(Report).where(Report.code == code)) > 0


def add_supporter(session: Session, report_id: int) -> None:
    """Atomic in SQL, so simultaneous "me too"s are all counted."""
    session.execute(update(Report).where(Report.id == report_id).values(supporters=Report.supporters + 1))
