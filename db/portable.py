"""SQL that means the same on SQLite and PostgreSQL, in one place: time arithmetic (the
dashboard's durations and the desk's due times are computed by the database, never by loading
rows), floor(), least(), medians and the planner hint for rare conditions.

`epoch(x)` is a timestamp as seconds since 1970 (a float); `seconds_between(a, b)` is b - a in
seconds. PostgreSQL has `extract(epoch from …)`; SQLite stores our timestamps as ISO text and
`julianday()` reads them (days as a double, rounded here to the millisecond so equal instants
stay equal). `median_rows()` is a row_number median that both understand (SQLite has no
percentile_cont).
"""
from __future__ import annotations

from sqlalchemy import Float, Integer, case, cast, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlalchemy.types import NullType

_UNIX_JD = 2440587.5  # julianday('1970-01-01')


class epoch(FunctionElement):
    type = Float()
    inherit_cache = True
    name = "qx_epoch"


class seconds_between(FunctionElement):
    type = Float()
    inherit_cache = True
    name = "qx_seconds_between"


@compiles(epoch)
def _epoch_pg(element, compiler, **kw):
    (x,) = list(element.clauses)
    return f"date_part('epoch', {compiler.process(x, **kw)})"


@compiles(epoch, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    (x,) = list(element.clauses)
    return f"round((julianday({compiler.process(x, **kw)}) - {_UNIX_JD}) * 86400.0, 3)"


@compiles(seconds_between)
def _between_pg(element, compiler, **kw):
    a, b = list(element.clauses)
    return f"date_part('epoch', {compiler.process(b, **kw)} - {compiler.process(a, **kw)})"


@compiles(seconds_between, "sqlite")
def _between_sqlite(element, compiler, **kw):
    a, b = list(element.clauses)
    return (f"round((julianday({compiler.process(b, **kw)}) - julianday({compiler.process(a, **kw)}))"
            f" * 86400.0, 3)")


def floor(x: ColumnElement[float]) -> ColumnElement[int]:
    """floor() on both backends: SQLite may be built without it, and CAST to INTEGER truncates on
    SQLite but rounds on PostgreSQL. Either way n is within 1 of x, so stepping down once when
    x < n gives the floor, negatives included."""
    n = cast(x, Integer)
    return n - case((x < n, 1), else_=0)


def least(*values: ColumnElement, big: float = 1e15) -> ColumnElement:
    """The smallest non-NULL value, NULL when all are NULL (PostgreSQL's LEAST skips NULLs, SQLite's
    scalar min() returns NULL if any argument is NULL; so NULLs become `big` and back)."""
    return func.nullif(_Least(*[func.coalesce(v, big) for v in values]), big)


class _Least(FunctionElement):
    type = Float()
    inherit_cache = True
    name = "qx_least"


@compiles(_Least)
def _least_pg(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(_Least, "sqlite")
def _least_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"


def median_by(values, group, value):
    """Median of `value` per `group` over the subquery/CTE `values` (columns group, value): the
    middle row, or the mean of the two middle rows, by row_number — same answer on both backends."""
    ranked = select(values.c[group].label("g"), values.c[value].label("v"),
                    func.row_number().over(partition_by=values.c[group], order_by=values.c[value]).label("rn"),
                    func.count().over(partition_by=values.c[group]).label("n")).subquery()
    half_lo = (ranked.c.n + 1) // 2
    half_hi = (ranked.c.n + 2) // 2
    return (select(ranked.c.g, func.avg(ranked.c.v).label("median"))
            .where(or_(ranked.c.rn == half_lo, ranked.c.rn == half_hi))
            .group_by(ranked.c.g))


class rare(FunctionElement):
    """A condition few rows meet (the open states: a few per cent of all reports). SQLite keeps
    only average rows per index value, so it takes `state IN (six states)` for most of the table
    and walks another index to save a sort; `likelihood()` tells it otherwise. PostgreSQL has
    per-value statistics and gets the condition as it is."""

    inherit_cache = True
    name = "qx_rare"
    type = NullType()  # not Boolean: SQLite would get `likelihood(…) = 1`, which no index serves


@compiles(rare)
def _rare_pg(element, compiler, **kw):
    (condition,) = list(element.clauses)
    return compiler.process(condition, **kw)


@compiles(rare, "sqlite")
def _rare_sqlite(element, compiler, **kw):
    (condition,) = list(element.clauses)
    return f"likelihood({compiler.process(condition, **kw)}, 0.05)"
