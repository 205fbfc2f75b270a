"""Calling the portal's HTTP routes in-process, as Streamlit's server would."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from starlette.applications import Starlette


def get(routes: list, path: str, query: str = "") -> tuple[int, bytes, dict]:
    """One GET through the routes as the server would run it: status, body, headers."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"portal.example")], "client": ("203.0.113.5", 5), "server": ("portal.example", 80)}
    outbox: list[dict] = []
    asked = []

    async def receive() -> dict:  # the request once; then the client just stays connected
        if asked:
            await asyncio.Event().wait()
        asked.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        outbox.append(message)

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, Starlette(routes=routes)(scope, receive, send)).result()
    body = b"".join(m.get("body", b"") for m in outbox if m["type"] == "http.response.body")
    return outbox[0]["status"], body, {k.decode().lower(): v.decode() for k, v in outbox[0]["headers"]}
