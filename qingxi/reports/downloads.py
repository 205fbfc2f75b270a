"""Downloads of the reports: a staff CSV with the reporter's contact details, and public CSV and
GeoJSON with no personal data at all.

Public files leave out the reporter's name and phone (even a name the reporter chose to show), the
description (free text may name people) and the tracking code (the key to the reporter's actions);
hidden reports are left out and the report id is the identifier. Timestamps are ISO 8601 in UTC.
CSV files are UTF-8 with a byte-order mark so that Excel shows Chinese correctly. Files are built
in memory (a few MB at most for tens of thousands of reports).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import Engine

from db import downloads_queries
from db.engine import session_scope
from qingxi.core import permissions, sheets
from qingxi.core.i18n import t
from qingxi.core.permissions import Actor
from qingxi.reports.states import kind_of

TIMES = ("created_at", "signed_at", "dispatched_at", "fixed_at", "closed_at")
# Header name → row field; "acknowledged" is our sign-off (签收).
PUBLIC_COLUMNS = (
    ("id", "id"), ("category", "category"), ("category_name", None), ("state", "state"),
    ("state_name", None), ("state_kind", None), ("priority", "priority"), ("village", "village"),
    ("river_km", "river_km"), ("lon", "lon"), ("lat", "lat"), ("created", "created_at"),
    ("acknowledged", "signed_at"), ("dispatched", "dispatched_at"), ("fixed", "fixed_at"),
    ("closed", "closed_at"), ("supporters", "supporters"),
)
STAFF_COLUMNS = (("code", "code"), *PUBLIC_COLUMNS, ("reporter_name", "reporter_name"),
                 ("reporter_phone", "reporter_phone"), ("visibility", "visibility"), ("hidden", "hidden"))


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, to the second; None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # the models always give aware times; be safe anyway
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _value(row: dict, header: str, field: str | None, lang: str):
    if header == "category_name":
        return t(f"category.{row['category']}", lang)
    if header == "state_name":
        return t(f"state.{row['state']}", lang)
    if header == "state_kind":
        return kind_of(row["state"]).value
    value = row[field]
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _csv(rows: list[dict], columns: tuple, lang: str) -> bytes:
    return sheets.csv_bytes([header for header, _ in columns], ([_value(row, h, f, lang) for h, f in columns]
                                                                for row in rows))


def reports_csv(engine: Engine, user: Actor | None, lang: str = "zh") -> bytes:
    """Staff and admins only: every report, hidden ones flagged, with the reporter's name and phone."""
    permissions.require(user, "export.private")
    with session_scope(engine) as s:
        rows = downloads_queries.staff_rows(s)
    return _csv(rows, STAFF_COLUMNS, lang)


def public_csv(engine: Engine, lang: str = "zh") -> bytes:
    with session_scope(engine) as s:
        rows = downloads_queries.public_rows(s)
    return _csv(rows, PUBLIC_COLUMNS, lang)


def public_geojson(engine: Engine, lang: str = "zh") -> bytes:
    """A FeatureCollection of points (WGS84 lon/lat), one per visible report, id = report id."""
    with session_scope(engine) as s:
        rows = downloads_queries.public_rows(s)
    features = [{
        "type": "Feature", "id": row["id"],
        "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
        "properties": {h: _value(row, h, f, lang) for h, f in PUBLIC_COLUMNS if h not in ("lon", "lat")},
    } for row in rows]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
