"""The public downloads over HTTP: made on request, the same file served again until the data
changes, no personal data, and no file is built while the page is shown."""
from __future__ import annotations

import csv
import io
import json

import pytest

from db.engine import engine_for, session_scope
from db.models import Report
from qingxi.core.settings import current
from qingxi.reports import downloads
from tests.support import asgi
from web import downloads as routes


def get(path: str, query: str = "") -> tuple[int, bytes, dict]:
    return asgi.get(routes.routes(), path, query)


@pytest.fixture
def portal(app_env):
    from qingxi.ops.cli import setup

    setup(load_demo=False)
    engine = engine_for(current().database_url)
    with session_scope(engine) as s:
        s.add_all([Report(code=f"CODE{i:02d}", category="bank_litter", lon=121.40, lat=29.15, location_source="map",
                          reporter_name="张秀兰", reporter_phone="13912345678", description="张家后门")
                   for i in range(3)])
    return engine


def test_public_files_are_made_once_and_served_until_the_data_changes(portal, monkeypatch):
    status, body, headers = get("/downloads/reports.csv", "lang=zh")
    assert status == 200 and headers["content-type"].startswith("text/csv") and body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[0]["category_name"] == "岸边垃圾"
    assert not any(v in body.decode("utf-8-sig") for v in ("CODE0", "张秀兰", "13912345678", "张家后门"))
    assert "attachment" in headers["content-disposition"] and headers["etag"]

    made = []
    real = downloads._write
    monkeypatch.setattr(downloads, "_write", lambda *a: made.append(a) or real(*a))
    again = get("/downloads/reports.csv", "lang=zh")
    assert again[1] == body and made == []  # served from the cache: nothing rebuilt
    with session_scope(portal) as s:
        s.add(Report(code="NEW001", category="sewage", lon=121.41, lat=29.15, location_source="map"))
    fresh = get("/downloads/reports.csv", "lang=zh")[1]
    assert len(made) == 1 and len(list(csv.DictReader(io.StringIO(fresh.decode("utf-8-sig"))))) == 4


def test_geojson_and_unknown_kinds(portal):
    status, body, headers = get("/downloads/reports.geojson", "lang=en")
    collection = json.loads(body)
    assert status == 200 and headers["content-type"].startswith("application/geo+json")
    assert len(collection["features"]) == 3 and collection["features"][0]["properties"]["category_name"]
    assert get("/downloads/reports.xlsx")[0] == 404
