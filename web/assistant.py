"""The assistant over HTTP: `POST /assistant/ask` with JSON {"question": "...", "lang": "zh"|"en"}
answers {"answer": "...", "handover": bool, "sources": [...], "ref": "..."} (plus "conversation",
the code to come back with, when a person takes over) — the same answers as the chat page. Rate
limited per address (qingxi.core.limits "assistant.ask"); no personal data in any answer. No cookie
is read, so there is nothing for a forged cross-site request to borrow."""
from __future__ import annotations

import json

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from db.engine import engine_for
from qingxi import assistant
from qingxi.core.limits import LimitError, Person
from qingxi.core.refusals import Refusal
from qingxi.core.settings import current as settings
from web import dingtalk

MAX_BODY = 8 * 1024


def _engine() -> Engine:
    return engine_for(settings().database_url)


def _error(message: str, status: int, **extra) -> Response:
    return JSONResponse({"error": message, **extra}, status_code=status)


async def ask(request: Request) -> Response:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return _error("too large", 413)
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("question"), str):
        return _error('send JSON {"question": "...", "lang": "zh"|"en"}', 400)
    lang = body.get("lang") if body.get("lang") in ("zh", "en") else "zh"
    who = Person(address=request.client.host if request.client else None)
    try:
        reply = await run_in_threadpool(assistant.ask, _engine(), body["question"], lang, channel="api", who=who)
    except LimitError as err:
        return _error(err.message(lang), 429, retry_after_minutes=err.values.get("minutes"))
    except Refusal as err:
        return _error(err.message(lang), 400)
    return JSONResponse(reply.as_json())


async def rate(request: Request) -> Response:
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("ref"), str) or not isinstance(body.get("helpful"), bool):
        return _error('send JSON {"ref": "...", "helpful": true|false}', 400)
    found = await run_in_threadpool(assistant.rate, _engine(), body["ref"], body["helpful"])
    return JSONResponse({"ok": found}, status_code=200 if found else 404)


def routes() -> list[BaseRoute]:
    return [Route("/assistant/ask", ask, methods=["POST"]), Route("/assistant/rate", rate, methods=["POST"]),
            *dingtalk.routes()]
