"""Reports as intake and the reporter's page read and write them: by code, by photo, nearby, supporters."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
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
    query = (select(Report).join(Photo).where(Photo.kind == "report", Photo.sha256.in_(sha256s)).limit(1))
    return session.scalars(query).first()


def code_taken(session: Session, code: str) -> bool:
    return session.scalar(select(func.count()).select_from(Report).where(Report.code == code)) > 0


def add_supporter(session: Session, report_id: int) -> None:
    """Atomic in SQL, so simultaneous "me too"s are all counted."""
    session.execute(update(Report).where(Report.id == report_id).values(supporters=Report.supporters + 1))
