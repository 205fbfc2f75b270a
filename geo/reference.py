"""The reference geography the app ships: the Shaliu reach, its context lines, the village list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from shapely import LineString

DEFAULT_PATH = Path(__file__).parent / "data" / "qingxi.geojson"


@dataclass(frozen=True)
class VillageRef:
    code: str  # official 12-digit NBS code
    name: str
    lon: float
    lat: float
    approximate: bool  # estimated position: show as 示意
    riverside: bool
    confidence: str
    basis: str


@dataclass(frozen=True)
class Reference:
    reach: LineString  # lon/lat, upstream -> downstream (km 0 at 书带看)
    context_lines: tuple[tuple[str, str, LineString], ...]  # (role, name, line): upstream, tidal
    villages: tuple[VillageRef, ...]


def load_reference(path: str | Path | None = None) -> Reference:
    """Read a reference FeatureCollection (default: the shipped geo/data/qingxi.geojson)."""
    with open(path or DEFAULT_PATH, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    reaches, context, villages = [], [], []
    for f in features:
        p, g = f["properties"], f["geometry"]
        if g["type"] == "LineString":
            line = LineString(g["coordinates"])
            if p["role"] == "reach":
                reaches.append(line)
            else:
                context.append((p["role"], p["name"], line))
        elif g["type"] == "Point":
            lon, lat = g["coordinates"][:2]
            villages.append(VillageRef(
                code=str(p["code"]), name=p["name"], lon=float(lon), lat=float(lat),
                approximate=bool(p.get("approximate", True)), riverside=bool(p["riverside"]),
                confidence=p.get("confidence", ""), basis=p.get("basis", "")))
    if len(reaches) != 1:
        raise ValueError(f"{path or DEFAULT_PATH}: expected one 'reach' LineString, found {len(reaches)}")
    return Reference(reaches[0], tuple(context), tuple(villages))
