"""The river as the app knows it: the current geometry version in the database, turned into a
RiverModel, and the services that replace it and re-place every report."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from shapely import LineString
from sqlalchemy.orm import Session

from db import repo
from geo.importer import GeoImportError, read_geometry
from geo.reference import load_reference
from geo.river import BANK_LEFT, BANK_RIGHT, RiverModel
from qingxi.settings import current as settings

BANK_NAMES = {BANK_LEFT: "left", BANK_RIGHT: "right", 0: "on"}


def install_reference(session: Session) -> bool:
    """Load the shipped dataset when the database has no river yet; True when it did."""
    if repo.current_river(session) is not None:
        return False
    ref = load_reference()
    model = RiverModel(ref.reach)
    lines = [("reach", "清溪沙柳段", True, ref.reach.coords)]
    lines += [(role, name, True, line.coords) for role, name, line in ref.context_lines]
    repo.add_river_version(session, "shipped reference (schematic)", model.length_m, lines)
    repo.upsert_villages(session, [
        dict(code=v.code, name=v.name, lon=v.lon, lat=v.lat, approximate=v.approximate,
             riverside=v.riverside, confidence=v.confidence, basis=v.basis)
        for v in ref.villages
    ])
    return True


def river_paths(session: Session) -> list[dict]:
    """The current river lines for drawing: role, name, schematic flag and lon/lat path."""
    version = repo.current_river(session)
    return [{"role": line.role, "name": line.name, "schematic": line.schematic,
             "path": repo.line_coordinates(line)} for line in (version.lines if version else [])]


def _reach(version) -> str:
    return next(line.coordinates for line in version.lines if line.role == "reach")


def reach_line(session: Session) -> LineString | None:
    version = repo.current_river(session)
    return None if version is None else LineString(json.loads(_reach(version)))


def model(session: Session) -> RiverModel:
    """The model for the current river line and villages, rebuilt only when either changes."""
    version = repo.current_river(session)
    if version is None:
        raise LookupError("no river geometry installed")
    places = tuple((v.code, v.lon, v.lat) for v in repo.villages(session))
    key = (_reach(version), places, settings().service_distance_m)
    if key not in _models:
        _models.clear()
        _models[key] = RiverModel(LineString(json.loads(key[0])), places, service_m=key[2])
    return _models[key]


_models: dict[tuple, RiverModel] = {}


def relocate_all(session: Session) -> int:
    """Recompute every report's river km, bank, distance, village and off-river flag."""
    rows = repo.report_locations(session)
    if not rows:
        return 0
    ids, lon, lat = (np.array(col) for col in zip(*rows))
    river = model(session)
    found = river.locate(lon, lat)
    village_ids = repo.village_ids(session)
    version_id = repo.current_river(session).id
    repo.relocate_reports(session, [
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
        old = repo.current_river(session)
        context = [(l.role, l.name, l.schematic, repo.line_coordinates(l)) for l in old.lines
                   if l.role != "reach"] if old else []
        length = RiverModel(imported.reach).length_m
        repo.add_river_version(session, imported.source, length,
                               [("reach", "清溪沙柳段", False, imported.reach.coords), *context])
        summary["reach_km"] = round(length / 1000, 3)
    if imported.villages:
        added, updated = repo.upsert_villages(session, [
            dict(code=v.code, name=v.name, lon=v.lon, lat=v.lat, approximate=False,
                 confidence="surveyed", basis=imported.source)
            for v in imported.villages
        ])
        summary["villages_added"], summary["villages_updated"] = added, updated
    summary["reports"] = relocate_all(session)
    return summary
