"""Places every area shares: the river as the app knows it (the current geometry version turned into
a RiverModel, and replacing it, which re-places every report), the villages, sections of the river
by km, and people's phone numbers as they type them."""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from shapely import LineString
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import places_queries
from db.engine import session_scope
from geo.importer import GeoImportError, read_geometry
from geo.reference import load_reference
from geo.river import BANK_LEFT, BANK_RIGHT, RiverModel
from qingxi.core.settings import current as settings

BANK_NAMES = {BANK_LEFT: "left", BANK_RIGHT: "right", 0: "on"}


def install_reference(session: Session) -> bool:
    """Load the shipped dataset when the database has no river yet; True when it did."""
    if places_queries.current_river(session) is not None:
        return False
    ref = load_reference()
    model = RiverModel(ref.reach)
    lines = [("reach", "清溪沙柳段", True, ref.reach.coords)]
    lines += [(role, name, True, line.coords) for role, name, line in ref.context_lines]
    places_queries.add_river_version(session, "shipped reference (schematic)", model.length_m, lines)
    places_queries.upsert_villages(session, [
        dict(code=v.code, name=v.name, lon=v.lon, lat=v.lat, approximate=v.approximate,
             riverside=v.riverside, confidence=v.confidence, basis=v.basis)
        for v in ref.villages
    ])
    return True


def river_paths(session: Session) -> list[dict]:
    """The current river lines for drawing: role, name, schematic flag and lon/lat path."""
    version = places_queries.current_river(session)
    return [{"role": line.role, "name": line.name, "schematic": line.schematic,
             "path": places_queries.line_coordinates(line)} for line in (version.lines if version else [])]


def _reach(version) -> str:
    return next(line.coordinates for line in version.lines if line.role == "reach")


def reach_line(session: Session) -> LineString | None:
    version = places_queries.current_river(session)
    return None if version is None else LineString(json.loads(_reach(version)))


def model(session: Session) -> RiverModel:
    """The model for the current river line and villages, rebuilt only when either changes."""
    version = places_queries.current_river(session)
    if version is None:
        raise LookupError("no river geometry installed")
    places = tuple((v.code, v.lon, v.lat) for v in places_queries.villages(session))
    key = (_reach(version), places, settings().service_distance_m)
    if key not in _models:
        _models.clear()
        _models[key] = RiverModel(LineString(json.loads(key[0])), places, service_m=key[2])
    return _models[key]


_models: dict[tuple, RiverModel] = {}


def relocate_all(session: Session) -> int:
    """Recompute every report's river km, bank, distance, village and off-river flag."""
    rows = places_queries.report_locations(session)
    if not rows:
        return 0
    ids, lon, lat = (np.array(col) for col in zip(*rows))
    river = model(session)
    found = river.locate(lon, lat)
    village_ids = places_queries.village_ids(session)
    version_id = places_queries.current_river(session).id
    places_queries.relocate_reports(session, [
        dict(id=int(i), river_km=None if np.isnan(km) else round(float(km), 4),
             distance_m=float(d), bank=BANK_NAMES[int(b)], village_id=village_ids.get(code),
             off_river=not bool(ok), river_version_id=version_id)
        for i, km, d, b, code, ok in zip(ids, found.river_km, found.distance_m, found.bank,
                                         found.village_code, found.in_service)
    ])
    return len(rows)


def import_geometry(session: Session, path: Path, *, reverse: bool = False) -> dict:
    """Replace the river line and/or villages from a surveyed file, in one transaction.

    Raises GeoImportError (nothing changed) for a bad file.
    """
    previous = reach_line(session)
    imported = read_geometry(path, reverse=reverse, previous_reach=previous)
    if imported.reach is None and not imported.villages:
        raise GeoImportError("empty")
    summary = {"reach_km": None, "villages_added": 0, "villages_updated": 0, "reports": 0}
    if imported.reach is not None:
        old = places_queries.current_river(session)
        context = [(l.role, l.name, l.schematic, places_queries.line_coordinates(l)) for l in old.lines
                   if l.role != "reach"] if old else []
        length = RiverModel(imported.reach).length_m
        places_queries.add_river_version(session, imported.source, length,
                               [("reach", "清溪沙柳段", False, imported.reach.coords), *context])
        summary["reach_km"] = round(length / 1000, 3)
    if imported.villages:
        added, updated = places_queries.upsert_villages(session, [
            dict(code=v.code, name=v.name, lon=v.lon, lat=v.lat, approximate=False,
                 confidence="surveyed", basis=imported.source)
            for v in imported.villages
        ])
        summary["villages_added"], summary["villages_updated"] = added, updated
    summary["reports"] = relocate_all(session)
    return summary


# ---------------------------------------------------------------- villages, sections, phones

MAX_NAME = 30  # a person's name as they type it (reports, sign-ups)
SECTION_POINTS = 80
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}\d{7,8})$")


def villages(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every village, for choosing a place by village."""
    return [(v.code, v.name) for v in places_queries.villages(session)]


def markers(session: Session, step_m: float = 100.0) -> list[dict]:
    """Pickable points every 100 m along the reach (a map click gives no coordinate, a pick does)."""
    spots = model(session).candidates(step_m)
    return [{"id": i, "lon": float(row.lon), "lat": float(row.lat), "km": float(row.km),
             "tip": f"{row.km:.1f} km"} for i, row in enumerate(spots.itertuples())]


def riverside_flags(session: Session) -> dict[str, bool]:
    return {v.code: v.riverside for v in places_queries.villages(session)}


@dataclass(frozen=True)
class Section:
    """A stretch of the reach as lon/lat points (the whole reach without a km range): a proposal's
    section, a clean-up day's."""

    path: list[list[float]]
    km_from: float
    km_to: float


def river_section(engine: Engine, km_from: float | None, km_to: float | None) -> Section | None:
    """Points along the reach from km_from to km_to (clamped to the reach); None without a river."""
    with session_scope(engine) as s:
        try:
            river = model(s)
        except LookupError:
            return None
    length = river.length_m / 1000
    start = min(max(km_from if km_from is not None else 0.0, 0.0), length)
    end = min(max(km_to if km_to is not None else length, start), length)
    lon, lat = river.point_at_km(np.linspace(start, end, SECTION_POINTS))
    path = [[float(x), float(y)] for x, y in zip(lon, lat) if math.isfinite(x) and math.isfinite(y)]
    return Section(path, start, end) if path else None


def normalise_phone(text: str) -> str:
    digits = re.sub(r"[\s\-()]", "", text)
    return re.sub(r"^(\+?86)(?=1\d{10}$)", "", digits)


def phone_ok(text: str) -> bool:
    """A mainland mobile or a landline with its area code, however it was typed."""
    return bool(_PHONE.match(normalise_phone(text)))
