"""Limits on what anyone may do without an account, kept in the database so that every process
counts the same: filing reports, "me too", clean-up sign-ups and guessing codes.

    with limits.spending(engine, "report.file", Person(address, phone=phone)):
        ... file the report ...

    with limits.spending(engine, "code.miss", who) as attempt:  # only misses count
        if found:
            attempt.forgive()

An attempt is recorded (and committed) before it is counted, so attempts arriving at once all see
each other; over a limit it is refused with LimitError and kept, marked refused, for staff to see.
If the action inside the block is refused for another reason, its events are removed again: only
actions that happened count. What is stored is a hash of the address, phone or browser session and
a masked form for staff (10.0.*.*, 138****1234), never the value itself.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import limits_queries as q
from db.engine import session_scope
from qingxi.core import clock, permissions
from qingxi.core.refusals import Refusal

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
KEEP = timedelta(days=31)  # the longest window, and how long refusals stay visible


@dataclass(frozen=True)
class Rule:
    scope: str            # address / phone / session: which of the person's marks it counts
    most: int             # attempts allowed in the window ...
    window: timedelta
    per_subject: bool = False  # ... for each subject (one report) rather than in all


RULES: dict[str, tuple[Rule, ...]] = {
    "report.file": (Rule("address", 20, HOUR), Rule("phone", 10, HOUR)),
    # "Me too": once per browser for a report, a few per address (families share a phone line,
    # villages share a carrier's address), and not hundreds across reports.
    "report.support": (Rule("session", 1, KEEP, per_subject=True), Rule("address", 3, KEEP, per_subject=True),
                       Rule("address", 30, HOUR)),
    "cleanup.signup": (Rule("address", 20, HOUR), Rule("phone", 5, HOUR)),
    # A village's households may sign from one shared line; a phone signs once anyway.
    "pledge.sign": (Rule("address", 30, HOUR), Rule("phone", 3, HOUR)),
    "meeting.register": (Rule("address", 20, HOUR), Rule("phone", 5, HOUR)),
    # Codes have 31^6 values: a handful of mistyped ones an hour is plenty for a person.
    "code.miss": (Rule("address", 20, HOUR), Rule("session", 10, HOUR)),
    # The question assistant: a person asks a few questions a minute at most; a village's shared
    # address gets more.
    "assistant.ask": (Rule("address", 120, HOUR), Rule("session", 40, HOUR)),
}


class LimitError(Refusal):
    """Too many attempts: `minutes` until the next one is allowed (limits.error.too_many)."""

    area = "limits"


@dataclass(frozen=True)
class Person:
    """What identifies someone without an account: their address (None on the machine itself), the
    phone they typed, their browser session."""

    address: str | None = None
    phone: str | None = None
    session: str | None = None

    def mark(self, scope: str) -> str | None:
        value = getattr(self, scope)
        return None if value is None else str(value)


def _key(action: str, scope: str, value: str, subject: object) -> str:
    return hashlib.sha256(f"{action}|{scope}|{value}|{subject}".encode()).hexdigest()


def _shown(scope: str, value: str) -> str:
    if scope == "phone":
        return value[:3] + "****" + value[-4:] if len(value) >= 7 else "****"
    if scope == "address":
        parts = value.split(".")
        return ".".join(parts[:2] + ["*", "*"]) if len(parts) == 4 else value.split(":")[0] + ":*"
    return "—"


class Attempt:
    def __init__(self):
        self.forgiven = False

    def forgive(self) -> None:
        """This attempt should not count after all (a code that was found is not a guess)."""
        self.forgiven = True


@contextmanager
def spending(engine: Engine, action: str, who: Person, *, subject: object = "", now: datetime | None = None
             ) -> Iterator[Attempt]:
    """Count one attempt of `action` by `who` (for `subject`, e.g. a report id); LimitError when a
    rule is exceeded. Events of an attempt that fails inside the block, or is forgiven, are removed."""
    at = clock.now(now)
    rows, rules = [], []
    for rule in RULES[action]:
        value = who.mark(rule.scope) or ("local" if rule.scope == "address" else None)
        if value is None:
            continue  # no phone given, no session known: that rule has nothing to count
        key = _key(action, rule.scope, value, subject if rule.per_subject else "")
        rows.append(dict(action=action, scope=rule.scope, key=key, shown=_shown(rule.scope, value), at=at))
        rules.append(rule)
    with session_scope(engine) as s:
        q.forget(s, at - KEEP)
        ids = q.add(s, rows)
    with session_scope(engine) as s:
        exceeded = _exceeded(s, action, rows, rules, ids, at)
        if exceeded:
            q.refuse(s, [ids[i] for i in exceeded])  # staff see which limit said no
            q.remove(s, [e for i, e in enumerate(ids) if i not in exceeded])
    if exceeded:
        wait = max(exceeded.values())
        raise LimitError("too_many", minutes=max(1, math.ceil(wait.total_seconds() / 60)))
    attempt = Attempt()
    try:
        yield attempt
    except BaseException:
        attempt.forgive()
        raise
    finally:
        if attempt.forgiven:
            with session_scope(engine) as s:
                q.remove(s, ids)


def _exceeded(s: Session, action: str, rows: list[dict], rules: list[Rule], ids: list[int], at: datetime
              ) -> dict[int, timedelta]:
    """The rules this attempt would break (by position), each with how long until it would not."""
    waits = {}
    for i, (row, rule) in enumerate(zip(rows, rules)):
        recent = q.count(s, action, row["key"], at - rule.window, besides=ids)
        if len(recent) >= rule.most:
            waits[i] = recent[rule.most - 1] + rule.window - at
    return waits


@dataclass(frozen=True)
class Refused:
    action: str
    scope: str
    shown: str
    at: datetime


def refusals(session: Session, since: datetime) -> tuple[dict[str, int], list[Refused]]:
    """What was refused since then: counts per action and the latest refusals (staff only: the
    caller checks the permission)."""
    rows = q.refusals(session, since)
    return q.refusal_counts(session, since), [Refused(r.action, r.scope, r.shown, r.at) for r in rows]


def refused_lately(engine: Engine, user, days: int = 7, *, now: datetime | None = None
                   ) -> tuple[dict[str, int], list[Refused]]:
    """refusals() of the last `days` days for staff ("limits.view"): masked marks only."""
    permissions.require(user, "limits.view")
    with session_scope(engine) as s:
        return refusals(s, clock.now(now) - timedelta(days=days))
