"""Every query the app runs lives here: the rest of the code never writes SQL."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import Photo, Report, RiverLine, RiverVersion, Village


def current_river(session: Session) -> RiverVersion | None:
    return session.scalars(select(RiverVersion).order_by(RiverVersion.id.desc()).limit(1)).first()


def add_river_version(session: Session, source: str, length_m: float,
                      lines: Iterable[tuple[str, str, bool, Sequence[Sequence[float]]]]) -> RiverVersion:
    version = RiverVersion(source=source, reach_length_m=length_m)
    version.lines = [
        RiverLine(role=role, name=name, schematic=schematic, coordinates=json.dumps(list(map(list, coords))))
        for role, name, schematic, coords in lines
    ]
    session.add(version)
    session.flush()
    return version


def line_coordinates(line: RiverLine) -> list[list[float]]:
    return json.loads(line.coordinates)


def villages(session: Session) -> list[Village]:
    return list(session.scalars(select(Village).order_by(Village.code)))


def village_ids(session: Session) -> dict[str, int]:
    return {code: id_ for code, id_ in session.execute(select(Village.code, Village.id))}


def village_id(session: Session, code: str) -> int | None:
    return session.scalar(select(Village.id).where(Village.code == code))


def upsert_villages(session: Session, rows: Iterable[dict]) -> tuple[int, int]:
    """Insert or update villages by official code; returns (added, updated)."""
    existing = {v.code: v for v in villages(session)}
    added = updated = 0
    for row in rows:
        village = existing.get(row["code"])
        if village is None:
            session.add(Village(**row))
            added += 1
        else:
            for key, value in row.items():
                setattr(village, key, value)
            updated += 1
    session.flush()
    return added, updated


def set_riverside(session: Session, code: str, riverside: bool) -> None:
    session.execute(update(Village).where(Village.code == code).values(riverside=riverside))


def report_locations(session: Session) -> list[tuple[int, float, float]]:
    return [tuple(row) for row in session.execute(select(Report.id, Report.lon, Report.lat))]


def relocate_reports(session: Session, rows: list[dict]) -> None:
    """Bulk update of river km, distance, bank, village and flag (rows carry `id`)."""
    if rows:
        session.execute(update(Report), rows)


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
