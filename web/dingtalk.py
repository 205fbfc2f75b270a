"""`POST /hooks/dingtalk`: DingTalk's outgoing robot calls it when someone @-mentions the robot.
Unsigned, forged or stale calls are refused (401) before anything is read or written; a signed one
is answered in DingTalk's message format, and a hand-over opens a conversation in the staff inbox
whose reply goes back through the session webhook (qingxi.assistant.dingtalk)."""
from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from db.engine import engine_for
from db.models import utcnow
from qingxi import assistant
from qingxi.assistant import dingtalk
from qingxi.core.limits import LimitError, Person
from qingxi.core.refusals import Refusal
from qingxi.core.settings import current as settings


async def callback(request: Request) -> Response:
    app_secret = dingtalk.secret()
    if app_secret is None:
        return JSONResponse({"error": "the DingTalk robot is not configured"}, status_code=404)
    if not dingtalk.verify(request.headers.get("timestamp"), request.headers.get("sign"), app_secret, utcnow()):
        return JSONResponse({"error": "bad signature"}, status_code=401)
    try:
        message = dingtalk.parse(json.loads(await request.body()))
    except ValueError:
        message = None
    if message is None:
        return JSONResponse({"error": "a text message is expected"}, status_code=400)
    # DingTalk's servers make every call: count per group chat and per member instead.
    who = Person(address=f"dingtalk:{message.chat or '-'}", session=message.sender_staff_id)
    engine = engine_for(settings().database_url)
    try:
        reply = await run_in_threadpool(assistant.ask, engine, message.text, "zh", channel="dingtalk", who=who,
                                        webhook=message.webhook, webhook_expires_at=message.webhook_expires_at)
        words = reply.text
    except (LimitError, Refusal) as err:
        words = err.message("zh")
    return JSONResponse(dingtalk.text_message(words, message.sender_staff_id))


def routes() -> list[BaseRoute]:
    return [Route("/hooks/dingtalk", callback, methods=["POST"])]
