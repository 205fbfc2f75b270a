"""Sign-in and sign-out as plain form posts, so the session cookie can be HttpOnly.

Streamlit gives custom routes no XSRF protection: both routes refuse posts from other sites.
The cookie is SameSite=Lax rather than Strict: a staff member who follows a link from a chat app
or an e-mail arrives signed in, while other sites still cannot post with it (Lax withholds it
from cross-site POSTs and from cross-site WebSocket connections, which is where Streamlit acts).
GET /auth/login and /auth/logout stay Streamlit's own (single sign-on): these routes are POST only.
"""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from db.engine import engine_for
from qingxi import accounts
from qingxi.core.settings import LANGUAGES
from qingxi.core.settings import current as settings

COOKIE = accounts.COOKIE
SIGNIN_PATH = "/signin"


def _engine() -> Engine:
    return engine_for(settings().database_url)


def same_origin(request: Request) -> bool:
    """The post came from one of our own pages (browsers send Sec-Fetch-Site and Origin on POST)."""
    site = request.headers.get("sec-fetch-site")
    if site:
        return site == "same-origin"
    source = request.headers.get("origin") or request.headers.get("referer")
    return bool(source) and urlsplit(source).netloc == request.url.netloc


def safe_next(target: str | None) -> str:
    """Only a path on this site: "//host" and "/\\host" would leave it, so they become "/"."""
    if (not target or not target.startswith("/") or target.startswith(("//", "/\\"))
            or any(c in target for c in "\\\r\n\t")):
        return "/"
    return target


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _forbidden() -> Response:
    return PlainTextResponse("cross-site request refused", status_code=403)


async def login(request: Request) -> Response:
    if not same_origin(request):
        return _forbidden()
    form = await request.form()
    target = safe_next(str(form.get("next") or ""))
    try:
        token = await run_in_threadpool(accounts.sign_in, _engine(), str(form.get("username") or ""),
                                        str(form.get("password") or ""), request.client.host if request.client else "")
    except accounts.SignInError as err:
        query = {"error": err.key, **{k: str(v) for k, v in err.values.items()}, "next": target}
        if form.get("lang") in LANGUAGES:
            query["lang"] = str(form.get("lang"))
        return _redirect(f"{SIGNIN_PATH}?{urlencode(query)}")
    response = _redirect(target)
    response.set_cookie(COOKIE, token, max_age=int(accounts.SESSION_LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=request.url.scheme == "https")
    return response


async def logout(request: Request) -> Response:
    if not same_origin(request):
        return _forbidden()
    await run_in_threadpool(accounts.sign_out, _engine(), request.cookies.get(COOKIE))
    form = await request.form()
    response = _redirect(f"/?lang={form['lang']}" if form.get("lang") in LANGUAGES else "/")
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    return response


def routes() -> list[BaseRoute]:
    return [Route("/auth/login", login, methods=["POST"]), Route("/auth/logout", logout, methods=["POST"])]
