"""Places: the river geometry versions and the villages (and re-placing reports when they change)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import Report, RiverLine, RiverVersion, Village


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
