"""Bulk loading for synthetic data: COPY on PostgreSQL, one executemany per chunk on SQLite.

Rows come as pandas DataFrames whose columns are the table's column names; datetimes must be
aware UTC. The ORM is bypassed on purpose (a million reports through it would take an hour), so
the values are written in each backend's own storage format here, in one place.
"""
from __future__ import annotations

import io

import pandas as pd
from sqlalchemy import Engine, text

from db.models import Base

CHUNK = 100_000
# SQLAlchemy's SQLite DateTime storage format: text that sorts like time (UTC, no offset).
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def next_id(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return (conn.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0) + 1  # noqa: S608 - our names


def load(engine: Engine, table: str, frame: pd.DataFrame) -> None:
    """Insert every row of `frame` into `table` in chunks, each in its own transaction. Columns
    the frame leaves out get the model's default, as the ORM would have given them."""
    frame = frame.copy()
    for col in Base.metadata.tables[table].columns:
        if col.name not in frame and col.default is not None:
            frame[col.name] = col.default.arg(None) if col.default.is_callable else col.default.arg
    for start in range(0, len(frame), CHUNK):
        chunk = frame.iloc[start:start + CHUNK]
        if engine.dialect.name == "postgresql":
            _copy(engine, table, chunk)
        else:
            _insert(engine, table, chunk)
    if engine.dialect.name == "postgresql" and "id" in frame:
        with engine.begin() as conn:  # explicit ids: move the sequence past them
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))


def analyse(engine: Engine) -> None:
    """Fresh planner statistics after a bulk load (and, on PostgreSQL, the visibility map that
    index-only scans need)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def _copy(engine: Engine, table: str, chunk: pd.DataFrame) -> None:
    buf = io.StringIO()
    chunk.to_csv(buf, index=False, header=False, na_rep="\\N", date_format="%Y-%m-%d %H:%M:%S.%f+00:00")
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur, cur.copy(
                f"COPY {table} ({', '.join(chunk.columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
            copy.write(buf.getvalue())
        raw.commit()
    finally:
        raw.close()


def _insert(engine: Engine, table: str, chunk: pd.DataFrame) -> None:
    values = chunk.copy()
    for col in values.columns:
        if isinstance(values[col].dtype, pd.DatetimeTZDtype):
            values[col] = values[col].dt.tz_convert("UTC").dt.strftime(_SQLITE_TIME)
        elif values[col].dtype == bool:
            values[col] = values[col].astype(int)
    rows = values.astype(object).where(values.notna(), None).itertuples(index=False, name=None)
    sql = f"INSERT INTO {table} ({', '.join(values.columns)}) VALUES ({', '.join('?' * len(values.columns))})"
    raw = engine.raw_connection()
    try:
        raw.cursor().executemany(sql, list(rows))
        raw.commit()
    finally:
        raw.close()
