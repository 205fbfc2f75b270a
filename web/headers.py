"""Security headers on every HTTP answer the portal gives (Streamlit's own pages and assets, and our
routes): no MIME sniffing, no full referrer to other sites, and no framing by other sites. Only
`frame-ancestors`, `object-src` and `base-uri` are restricted: Streamlit's pages need inline styles
and scripts of their own, so a stricter policy would break them (checked in the browser tests).
HSTS is the proxy's to send (deploy/nginx.conf), where TLS ends."""
from __future__ import annotations

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"strict-origin-when-cross-origin",
    b"content-security-policy": b"frame-ancestors 'self'; object-src 'none'; base-uri 'self'",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in HEADERS.items() if k not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def middleware() -> list[Middleware]:
    return [Middleware(SecurityHeaders)]
