"""The public downloads as plain HTTP (GET /downloads/reports.csv, /downloads/reports.geojson,
?lang=zh|en): made on request from the cache folder (qingxi.reports.downloads.public_file), sent as a
file (range requests, ETag and Last-Modified included), never built while a page is shown."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from db.engine import engine_for
from qingxi.core.settings import current as settings
from qingxi.reports import downloads

PREFIX = "/downloads/reports"


async def public(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in downloads.FORMATS:
        return PlainTextResponse("csv or geojson", status_code=404)
    lang = request.query_params.get("lang", "zh")
    path = await run_in_threadpool(downloads.public_file, engine_for(settings().read_database_url), kind, lang)
    return FileResponse(path, media_type=downloads.FORMATS[kind], filename=f"qingxi-reports-{lang}.{kind}",
                        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"})


def routes() -> list[BaseRoute]:
    return [Route(PREFIX + ".{kind}", public, methods=["GET"])]
