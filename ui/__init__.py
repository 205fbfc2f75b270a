"""Streamlit glue shared by the pages: the current language, the database, caching."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import migrate
from db.engine import engine_for, session_scope
from qingxi import geography, i18n
from qingxi.settings import current as settings


def lang() -> str:
    return st.session_state.get("lang", settings().default_language)


def t(key: str, **values) -> str:
    return i18n.t(key, lang(), **values)


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """Once per process: make sure the schema and the river exist (make run already did this;
    a bare `streamlit run` or a test database may not have)."""
    engine = engine_for(url)
    migrate.upgrade(engine)
    with session_scope(engine) as s:
        geography.install_reference(s)
    return engine


@contextmanager
def session() -> Iterator[Session]:
    with session_scope(_engine(settings().database_url)) as s:
        yield s
