"""Shared fixtures: a fresh database on each backend, migrated by alembic, removed afterwards.

PostgreSQL is the real server at 127.0.0.1:5432. Without CI=true a missing server skips its
tests with a notice; under CI=true it is a failure.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from db import migrate
from db.engine import make_engine, session_scope
from qingxi.core import settings

CI = os.environ.get("CI") == "true"
PG_ADMIN = os.environ.get("QINGXI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def require(available: bool, what: str) -> None:
    """Skip when something is missing on a developer's machine; fail under CI."""
    if not available:
        if CI:
            pytest.fail(f"{what} is required under CI=true")
        pytest.skip(f"NOTICE: {what} is not available; skipped (fails under CI=true)")


def _pg_schema_url() -> tuple[str, str]:
    schema = f"qx_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as err:  # noqa: BLE001 - any connection failure means "no server"
        require(False, f"PostgreSQL at {PG_ADMIN} ({err.__class__.__name__})")
    finally:
        admin.dispose()
    return schema, f"{PG_ADMIN}?options=-csearch_path%3D{schema}"


def _drop_schema(schema: str) -> None:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _empty(backend: str, folder: Path) -> tuple[str, str | None]:
    """An empty database's URL on `backend` and its PostgreSQL schema (None for SQLite)."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'qingxi.db'}", None
    schema, url = _pg_schema_url()
    return url, schema


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path):
    """An empty database URL (not migrated) on each backend."""
    url, schema = _empty(request.param, tmp_path)
    yield url
    if schema:
        _drop_schema(schema)


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
        _drop_schema(schema)


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
