"""Shared fixtures: a fresh database on each backend, migrated by alembic, removed afterwards.

PostgreSQL is the real server at 127.0.0.1:5432 (tests/support/servers.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from db import migrate
from db.engine import make_engine, session_scope
from qingxi.core import settings
from tests.support.servers import drop_schema, pg_schema_url


def _empty(backend: str, folder: Path) -> tuple[str, str | None]:
    """An empty database's URL on `backend` and its PostgreSQL schema (None for SQLite)."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'qingxi.db'}", None
    schema, url = pg_schema_url()
    return url, schema


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path):
    """An empty database URL (not migrated) on each backend."""
    url, schema = _empty(request.param, tmp_path)
    yield url
    if schema:
        drop_schema(schema)


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_engine(request, tmp_path_factory):
    """A migrated database on each backend that one module's tests share (they only read it)."""
    url, schema = _empty(request.param, tmp_path_factory.mktemp("module"))
    eng = make_engine(url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()
    if schema:
        drop_schema(schema)


@pytest.fixture
def session(engine):
    with session_scope(engine) as s:
        yield s


@pytest.fixture
def app_env(monkeypatch, tmp_path: Path):
    """Point the settings at a throwaway SQLite file and photo folder (for AppTest and CLI)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("QINGXI_PHOTO_DIR", str(tmp_path / "photos"))
    monkeypatch.delenv("QINGXI_TILE_URL", raising=False)
    settings.current.cache_clear()
    yield tmp_path
    settings.current.cache_clear()


@pytest.fixture
def people(engine):
    """Units, an account for every role and the reference villages, on each backend."""
    from tests.support.people import make_people

    return make_people(engine)


@pytest.fixture
def notify_key(monkeypatch):
    """A known key for the notification channels' sealed URLs (qingxi.notify.vault)."""
    monkeypatch.setenv("QINGXI_NOTIFY_KEY", "a test passphrase")
    settings.current.cache_clear()
    yield
    settings.current.cache_clear()
