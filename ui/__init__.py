"""Streamlit glue shared by the pages: the current language, the database, who is signed in."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit.errors import StreamlitSecretNotFoundError

from db import migrate
from db.engine import engine_for, session_scope
from db.models import User
from qingxi import accounts
from qingxi.core import i18n, places
from qingxi.core.refusals import Refusal
from qingxi.core.settings import current as settings


def lang() -> str:
    return st.session_state.get("lang", settings().default_language)


def t(key: str, **values) -> str:
    return i18n.t(key, lang(), **values)


def labels(prefix: str) -> Callable[[str], str]:
    """A format_func for option keys. The language is bound now: Streamlit may call it later,
    outside the script run, where session state is out of reach."""
    language = lang()
    return lambda key: i18n.t(f"{prefix}.{key}", language)


def error_text(err: Refusal) -> str:
    """A refusal in the person's language."""
    return err.message(lang())


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """Once per process: make sure the schema and the river exist (make run already did this;
    a bare `streamlit run` or a test database may not have)."""
    engine = engine_for(url)
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        places.install_reference(s)
    return engine


def engine() -> Engine:
    return _engine(settings().database_url)


@contextmanager
def session() -> Iterator[Session]:
    with session_scope(engine()) as s:
        yield s


def read_engine() -> Engine:
    """For pages that only read what may be a second late (map, counts, downloads, dashboard): the
    read replica when QINGXI_READ_DATABASE_URL names one. Never migrated from here: a replica
    follows its primary."""
    url = settings().read_database_url
    return engine() if url == settings().database_url else engine_for(url)


@contextmanager
def read_session() -> Iterator[Session]:
    with session_scope(read_engine()) as s:
        yield s


def session_token() -> str | None:
    """The browser's session cookie (HttpOnly: set by /auth/login, never by JavaScript)."""
    token = st.context.cookies.get(accounts.COOKIE)
    return token if isinstance(token, str) else None  # AppTest's stand-in client has no real cookies


def must_change(user: User | None) -> bool:
    """Signed in with a one-time password (invitation or reset): the account page's change form is
    the only page until a password of their own is set (app.py's menu). Single sign-on accounts
    have no password here to change."""
    return user is not None and user.must_change_password and session_token() is not None


def single_sign_on() -> bool:
    """An OIDC provider is configured ([auth] in secrets): st.login is offered beside passwords."""
    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError:
        return False


def current_user() -> User | None:
    """Looked up on every run, never cached: a disabled account or ended session counts at once."""
    token = session_token()
    signed_on = single_sign_on() and st.user.get("is_logged_in", False)
    if not (token or signed_on):
        return None
    with session() as s:
        return accounts.user_for_token(s, token) or (accounts.user_for_email(s, st.user.get("email"),
                                                                                      st.user.get("email_verified"))
                                                     if signed_on else None)
