"""The sign-in routes over ASGI, as uvicorn would call them (httpx, which TestClient needs, is not
a dependency): cookie flags, cross-site refusals, safe redirects, sign-out."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from db.engine import engine_for, session_scope
from db.models import UserSession
from qingxi import accounts
from web import auth

PW = "river-clean-2024"
HOST = "portal.example:8501"


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)

    @property
    def cookie(self) -> SimpleCookie:
        jar = SimpleCookie()
        for k, v in self.headers:
            if k == "set-cookie":
                jar.load(v)
        return jar


def post(path: str, form: dict, *, origin: str | None = f"http://{HOST}", scheme: str = "http",
         cookie: str | None = None, **headers: str) -> Answer:
    body = urlencode(form).encode()
    sent = {"content-type": "application/x-www-form-urlencoded", "content-length": str(len(body)), "host": HOST,
            **({"origin": origin} if origin else {}), **({"cookie": f"qx_session={cookie}"} if cookie else {}),
            **{k.replace("_", "-"): v for k, v in headers.items()}}
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": scheme, "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.encode(), v.encode()) for k, v in sent.items()],
             "client": ("203.0.113.5", 50123), "server": ("portal.example", 8501)}
    inbox = [{"type": "http.request", "body": body, "more_body": False}]
    outbox: list[dict] = []

    async def receive() -> dict:
        return inbox.pop(0) if inbox else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        outbox.append(message)

    # A thread of its own: the browser tests' playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, Starlette(routes=auth.routes())(scope, receive, send)).result()
    start = outbox[0]
    return Answer(start["status"], [(k.decode().lower(), v.decode()) for k, v in start["headers"]])


@pytest.fixture
def engine(app_env):
    from qingxi.core.settings import current
    from qingxi.ops.cli import setup

    setup(load_demo=False)
    eng = engine_for(current().database_url)
    with session_scope(eng) as s:
        accounts.create_user(s, "wang", "王芳", "staff", PW)
    return eng


def _sessions(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(UserSession))


def _login(**extra) -> Answer:
    return post("/auth/login", {"username": "wang", "password": PW, "next": "/desk?lang=zh", **extra.pop("form", {})},
                **extra)


def test_sign_in_sets_an_httponly_lax_cookie_and_goes_on(engine):
    answer = _login()
    assert answer.status == 303 and answer.header("location") == "/desk?lang=zh"
    morsel = answer.cookie["qx_session"]
    assert morsel["httponly"] and morsel["samesite"] == "lax" and morsel["path"] == "/"
    assert int(morsel["max-age"]) == 14 * 24 * 3600 and not morsel["secure"]  # plain http: no Secure
    with session_scope(engine) as s:
        assert accounts.user_for_token(s, morsel.value).username == "wang"


def test_the_cookie_is_secure_over_https(engine):
    answer = _login(origin=f"https://{HOST}", scheme="https")
    assert answer.cookie["qx_session"]["secure"]


@pytest.mark.parametrize("headers", [
    {"origin": "https://evil.example"},
    {"origin": "null"},
    {"origin": None, "referer": "https://evil.example/page"},
    {"origin": None},  # nothing says where it came from
    {"origin": f"http://{HOST}", "sec_fetch_site": "cross-site"},
    {"origin": f"http://{HOST}", "sec_fetch_site": "same-site"},
])
def test_cross_site_posts_are_refused_and_change_nothing(engine, headers):
    answer = _login(**headers)
    assert answer.status == 403 and "set-cookie" not in dict(answer.headers)
    assert _sessions(engine) == 0


def test_same_origin_by_referer_or_fetch_metadata(engine):
    assert _login(origin=None, referer=f"http://{HOST}/signin?lang=zh").status == 303
    assert _login(origin=None, sec_fetch_site="same-origin").status == 303


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example/x",
                                    "evil.example", "/\t/evil.example", "", "///evil.example", " //evil.example",
                                    "\\\\evil.example", "/\n/evil.example", "javascript:alert(1)"])
def test_next_never_leaves_the_site(engine, target):
    answer = _login(form={"next": target})
    assert answer.status == 303 and answer.header("location") == "/"


def test_next_keeps_a_local_address_with_its_query(engine):
    answer = _login(form={"next": "/triage?lang=zh&id=7"})
    assert answer.status == 303 and answer.header("location") == "/triage?lang=zh&id=7"


def test_a_wrong_password_goes_back_to_the_form_with_the_generic_key(engine):
    answer = post("/auth/login", {"username": "wang", "password": "nope", "next": "/desk", "lang": "en"})
    location = urlsplit(answer.header("location"))
    assert answer.status == 303 and location.path == "/signin" and "set-cookie" not in dict(answer.headers)
    assert parse_qs(location.query) == {"error": ["wrong"], "next": ["/desk"], "lang": ["en"]}
    unknown = post("/auth/login", {"username": "nobody", "password": "nope", "next": "/desk", "lang": "en"})
    assert unknown.header("location") == answer.header("location")


def test_the_slow_down_says_how_long(engine):
    for _ in range(5):
        post("/auth/login", {"username": "wang", "password": "nope"})
    query = parse_qs(urlsplit(_login().header("location")).query)
    assert query["error"] == ["slowed"] and query["minutes"] == ["15"]


def test_sign_out_deletes_the_session_and_the_cookie(engine):
    token = _login().cookie["qx_session"].value
    refused = post("/auth/logout", {}, origin="https://evil.example", cookie=token)
    assert refused.status == 403 and _sessions(engine) == 1
    answer = post("/auth/logout", {"lang": "en"}, cookie=token)
    assert answer.status == 303 and answer.header("location") == "/?lang=en"
    morsel = answer.cookie["qx_session"]
    assert morsel.value == "" and int(morsel["max-age"]) == 0 and morsel["path"] == "/"
    assert _sessions(engine) == 0
