"""Open311 GeoReport v2 (read-only JSON) beside Streamlit: services, requests, one request.
The content (and what is left out for privacy) is decided in qingxi/open311.py."""
from __future__ import annotations

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from db.engine import engine_for, session_scope
from db.models import utcnow
from qingxi.core.settings import current as settings
from qingxi.reports import open311

PREFIX = "/open311/v2"
HEADERS = {"Access-Control-Allow-Origin": "*"}  # public, read-only data: any site may read it


def _engine() -> Engine:
    return engine_for(settings().database_url)


def _json(body, status: int = 200) -> Response:
    return JSONResponse(body, status_code=status, headers=HEADERS)


async def services(request: Request) -> Response:
    return _json(open311.services(open311.language(request.query_params)))


def _requests(params) -> list[dict]:
    query = open311.parse(params, utcnow())
    with session_scope(_engine()) as s:
        return open311.requests(s, query, open311.language(params))


def _one(request_id: str, params) -> list[dict]:
    with session_scope(_engine()) as s:
        return open311.request(s, request_id, open311.language(params))


async def requests(request: Request) -> Response:
    try:
        return _json(await run_in_threadpool(_requests, request.query_params))
    except open311.Open311Error as err:
        return _json(err.body(), err.code)


async def one_request(request: Request) -> Response:
    try:
        return _json(await run_in_threadpool(_one, request.path_params["request_id"], request.query_params))
    except open311.Open311Error as err:
        return _json(err.body(), err.code)


def routes() -> list[BaseRoute]:
    return [
        Route(f"{PREFIX}/services.json", services, methods=["GET"]),
        Route(f"{PREFIX}/requests.json", requests, methods=["GET"]),
        Route(f"{PREFIX}/requests/{{request_id}}.json", one_request, methods=["GET"]),
    ]
