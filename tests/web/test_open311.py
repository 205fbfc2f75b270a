"""Open311 GeoReport v2 over ASGI (as uvicorn would call it): services, requests with the spec's
fields and filters, one request, the error format, and no personal data or tracking codes."""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from starlette.applications import Starlette

from db.engine import engine_for, session_scope
from db.models import Report, Unit, utcnow
from qingxi.reports import CATEGORIES, open311
from web import open311 as routes

NOW = utcnow().replace(microsecond=0)
PRIVATE_VALUES = ("FX2345", "OP6789", "HD4567", "OL3456", "张秀兰", "李建国", "赵隐藏", "13912345678",
                  "13700001111", "13600002222", "张家后门的排污口又在排", "桥下一堆塑料袋", "骂人的话")


def get(path: str, **params) -> tuple[int, object, dict]:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": urlencode(params).encode(),
             "root_path": "", "headers": [(b"host", b"portal.example:8501")],
             "client": ("203.0.113.5", 50123), "server": ("portal.example", 8501)}
    outbox: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        outbox.append(message)

    with ThreadPoolExecutor(1) as pool:  # a thread of its own, as in test_auth_routes
        pool.submit(asyncio.run, Starlette(routes=routes.routes())(scope, receive, send)).result()
    body = b"".join(m.get("body", b"") for m in outbox if m["type"] == "http.response.body")
    headers = {k.decode().lower(): v.decode() for k, v in outbox[0]["headers"]}
    return outbox[0]["status"], json.loads(body), headers


@pytest.fixture
def world(app_env):
    from qingxi.core.settings import current
    from qingxi.ops.cli import setup

    setup(load_demo=False)
    engine = engine_for(current().database_url)
    with session_scope(engine) as s:
        unit = Unit(name="沙柳街道城建办")
        s.add(unit)
        s.flush()
        common = {"lon": 121.40, "lat": 29.15, "location_source": "map"}
        reports = {
            "fixed": Report(code="FX2345", category="sewage", state="fixed", unit_id=unit.id, river_km=4.25,
                            created_at=NOW - timedelta(days=3), reporter_name="张秀兰",
                            reporter_phone="13912345678", description="张家后门的排污口又在排", visibility="public",
                            **common),
            "open": Report(code="OP6789", category="bank_litter", state="dispatched", created_at=NOW - timedelta(days=1),
                           reporter_name="李建国", reporter_phone="13700001111", description="桥下一堆塑料袋",
                           **common),
            "duplicate": Report(code="DU2345", category="bank_litter", state="duplicate",
                                created_at=NOW - timedelta(days=2), **common),
            "old": Report(code="OL3456", category="bank_litter", state="submitted",
                          created_at=NOW - timedelta(days=200), **common),
            "hidden": Report(code="HD4567", category="other", state="submitted", created_at=NOW, hidden=True,
                             reporter_name="赵隐藏", reporter_phone="13600002222", description="骂人的话", **common),
        }
        s.add_all(reports.values())
        s.flush()
        return {name: str(r.id) for name, r in reports.items()}


def _ids(answer) -> set[str]:
    return {r["service_request_id"] for r in answer}


def test_services_are_the_ten_categories_with_the_spec_fields(app_env):
    status, body, headers = get("/open311/v2/services.json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert [s["service_code"] for s in body] == list(CATEGORIES)
    for service in body:
        assert tuple(service) == open311.SERVICE_FIELDS
        assert service["metadata"] is False and service["type"] == "realtime"
        assert service["service_name"] and service["description"] and service["keywords"] and service["group"]
    assert body[4]["service_name"] == "排污口排水"
    _, english, _ = get("/open311/v2/services.json", locale="en")
    assert english[4]["service_name"] == "Sewage discharge"


def test_requests_carry_exactly_the_spec_fields_and_no_personal_data(world):
    status, body, headers = get("/open311/v2/requests.json")
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    assert _ids(body) == {world["fixed"], world["open"], world["duplicate"]}  # 90 days, nothing hidden
    for request in body:
        assert set(request) == set(open311.REQUEST_FIELDS) and len(request) == 17
        assert request["description"] == "" and request["media_url"] == ""
    text = json.dumps(body, ensure_ascii=False)
    for value in PRIVATE_VALUES + ("DU2345",):
        assert value not in text
    fixed = next(r for r in body if r["service_request_id"] == world["fixed"])
    assert fixed["status"] == "closed" and fixed["service_code"] == "sewage"
    assert fixed["service_name"] == "排污口排水" and fixed["agency_responsible"] == "沙柳街道城建办"
    assert fixed["address"] == "清溪 4.2 公里处" or fixed["address"] == "清溪 4.3 公里处"
    assert fixed["requested_datetime"] == (NOW - timedelta(days=3)).isoformat().replace("+00:00", "Z")
    assert fixed["lat"] == 29.15 and fixed["long"] == 121.40 and fixed["expected_datetime"] is None
    assert [r["service_request_id"] for r in body][0] == world["open"]  # newest first


@pytest.mark.parametrize("params, expected", [
    ({"status": "open"}, {"open"}),
    ({"status": "closed"}, {"fixed", "duplicate"}),  # fixed and closed kinds are both "closed"
    ({"status": "open,closed"}, {"open", "fixed", "duplicate"}),
    ({"service_code": "sewage"}, {"fixed"}),
    ({"service_code": "bank_litter,sewage", "status": "open"}, {"open"}),
    ({"start_date": (NOW - timedelta(days=250)).isoformat()}, {"open", "fixed", "duplicate", "old"}),
    ({"start_date": (NOW - timedelta(days=2, hours=12)).isoformat().replace("+00:00", "Z")}, {"open", "duplicate"}),
    ({"end_date": (NOW - timedelta(days=2, hours=12)).isoformat()}, {"fixed", "old"}),
    ({"start_date": (NOW - timedelta(days=4)).isoformat(), "end_date": (NOW - timedelta(days=2)).isoformat()},
     {"fixed", "duplicate"}),
])
def test_filters(world, params, expected):
    status, body, _ = get("/open311/v2/requests.json", **params)
    assert status == 200 and _ids(body) == {world[n] for n in expected}


def test_ids_ignore_the_other_filters_and_never_reach_hidden_reports(world):
    ids = ",".join([world["old"], world["fixed"], world["hidden"]])
    status, body, _ = get("/open311/v2/requests.json", service_request_id=ids, status="open")
    assert status == 200 and _ids(body) == {world["old"], world["fixed"]}


def test_one_request_and_404s(world):
    status, body, _ = get(f"/open311/v2/requests/{world['open']}.json", locale="en")
    assert status == 200 and len(body) == 1 and tuple(body[0]) == open311.REQUEST_FIELDS
    assert body[0]["status"] == "open" and body[0]["status_notes"] == "Dispatched"
    assert body[0]["service_name"] == "Litter on the bank"
    for missing in (world["hidden"], "999999", "abc", "1e3", "12345678901234567890"):
        status, body, headers = get(f"/open311/v2/requests/{missing}.json")
        assert status == 404 and headers["content-type"].startswith("application/json")
        assert len(body) == 1 and body[0]["code"] == 404 and body[0]["description"]
        assert "骂人的话" not in json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("params", [
    {"start_date": "yesterday"}, {"end_date": "2025-13-45"},
    {"start_date": "2025-06-10T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},
    {"status": "pending"}, {"service_request_id": "1,x"},
    # the edges of time: each overflowed to a 500 once
    {"start_date": "9999-12-31T23:00:00-05:00"}, {"end_date": "0001-01-01T00:00:00+01:00"},
    {"start_date": "0001-01-01T00:00:00+01:00", "end_date": "9999-12-31T23:00:00-05:00"},
])
def test_bad_parameters_are_400_in_the_error_format(world, params):
    status, body, _ = get("/open311/v2/requests.json", **params)
    assert status == 400 and len(body) == 1 and body[0]["code"] == 400 and body[0]["description"]
