"""Downloads of the reports: a staff CSV with the reporter's contact details, and public CSV and
GeoJSON with no personal data at all.

Public files leave out the reporter's name and phone (even a name the reporter chose to show), the
description (free text may name people) and the tracking code (the key to the reporter's actions);
hidden reports are left out and the report id is the identifier. Timestamps are ISO 8601 in UTC.
CSV files are UTF-8 with a byte-order mark so that Excel shows Chinese correctly.

The public files cost nothing per page view: web/downloads.py serves them on request from a cache
folder, one file per state of the data (how many visible reports, the latest change). The first
request after a change writes the file, streaming rows from the database (never all in memory);
everyone else gets the file as it is. The staff CSV is made when a staff member asks for it.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine

from db import downloads_queries
from db.engine import session_scope
from qingxi.core import permissions, sheets
from qingxi.core.i18n import t
from qingxi.core.permissions import Actor
from qingxi.core.settings import LANGUAGES
from qingxi.core.settings import current as settings
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
STAFF_COLUMNS = (*PUBLIC_COLUMNS, ("reporter_name", "reporter_name"),
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
    return public_file(engine, "csv", lang).read_bytes()


def public_geojson(engine: Engine, lang: str = "zh") -> bytes:
    """A FeatureCollection of points (WGS84 lon/lat), one per visible report, id = report id."""
    return public_file(engine, "geojson", lang).read_bytes()


FORMATS = {"csv": "text/csv", "geojson": "application/geo+json"}
REBUILD_S = 3600
_writing: dict[str, threading.Lock] = defaultdict(threading.Lock)


def public_file(engine: Engine, kind: str, lang: str = "zh", folder: Path | None = None) -> Path:
    """The public CSV or GeoJSON as a file, made once per state of the data (see the module notes)."""
    if kind not in FORMATS:
        raise ValueError(kind)
    lang = lang if lang in LANGUAGES else "zh"
    folder = folder or settings().cache_dir
    with session_scope(engine) as s:
        count, latest = downloads_queries.public_stamp(s)
    # Which database, how many reports, the latest change, and the hour (a village renamed or the river
    # re-imported changes rows without touching updated_at: an hour is the most a file may lag).
    stamp = hashlib.sha256(f"{engine.url!r}|{count}|{latest}|{int(time.time() // REBUILD_S)}".encode()).hexdigest()
    target = folder / f"reports-{lang}-{stamp[:20]}.{kind}"
    with _writing[f"{kind}-{lang}"]:  # two visitors after a change: one writes, the other waits for it
        if not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            _write(engine, kind, lang, target)
            for old in folder.glob(f"reports-{lang}-*.{kind}"):  # earlier states of the data
                if old != target:
                    old.unlink(missing_ok=True)
    return target


def _write(engine: Engine, kind: str, lang: str, target: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if kind == "csv" else "utf-8", newline="") as out, \
                session_scope(engine) as s:
            rows = downloads_queries.public_rows(s)
            if kind == "csv":
                sheets.write_csv(out, [h for h, _ in PUBLIC_COLUMNS],
                                 ([_value(row, h, f, lang) for h, f in PUBLIC_COLUMNS] for row in rows))
            else:
                out.write('{"type": "FeatureCollection", "features": [')
                for i, row in enumerate(rows):
                    out.write(("," if i else "") + json.dumps(_feature(row, lang), ensure_ascii=False))
                out.write("]}")
        os.replace(tmp, target)  # readers see the whole file or none
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _feature(row: dict, lang: str) -> dict:
    return {"type": "Feature", "id": row["id"], "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {h: _value(row, h, f, lang) for h, f in PUBLIC_COLUMNS if h not in ("lon", "lat")}}


