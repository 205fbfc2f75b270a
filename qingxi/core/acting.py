"""The one way a command runs, in every area: one transaction in which the acting account is read
afresh from the database (a role changed or an account disabled a second ago counts), its role is
checked before anything else is read (the public learns nothing about ids), the time of the act is
fixed (`now=`), and what changed goes to the audit log with before/after snapshots.

    with acting(engine, user, "report.sign", context=Desk) as c:   # role checked
        c.target = load(c.session, ...)                             # then the object
        before = snap(c.target, "state")
        ...
        c.audit("report.sign", before, snap(c.target, "state"))

Areas subclass Act to name their target (`Desk.report`) and add their object rules; a refusal
raised inside the block rolls everything back.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import accounts_queries
from db.engine import session_scope, write_scope
from db.models import User
from qingxi.core import audit, clock, permissions


class Act:
    """Who acts, when, in which transaction, on what (`target`, set once loaded)."""

    entity = ""  # what the audit log calls the target ("report", "proposal", "cleanup", ...)

    def __init__(self, session: Session, actor: User | None, at: datetime):
        self.session, self.actor, self.at = session, actor, at
        self.target = None

    def audit(self, action: str, before: dict, after: dict, reason: str = "", *, entity: str | None = None,
              entity_id: int | None = None) -> None:
        """One audit entry by the actor at the act's time; about the target unless told otherwise."""
        audit.record(self.session, self.actor, action, entity or self.entity,
                     self.target.id if entity_id is None else entity_id, before, after, reason, at=self.at)


def fresh_user(session: Session, user) -> User | None:
    """The acting account as the database has it now (role, unit, disabled), never as a page
    remembered it; None (the public) when there is no such account. For reads outside acting()."""
    return accounts_queries.fresh_user(session, user)


@contextmanager
def acting(engine: Engine, user, permission: str | None, *, now: datetime | None = None, write: bool = False,
           context: type[Act] = Act) -> Iterator[Act]:
    """A command's transaction: commits after the block, rolls back on any exception. `permission`
    is the role check (None: anyone, the public included); `write` takes SQLite's write lock at once
    for a read-then-write that must not lose a race (db.engine.write_scope)."""
    with (write_scope if write else session_scope)(engine) as s:
        actor = fresh_user(s, user)
        if permission is not None:
            permissions.require(actor, permission)
        yield context(s, actor, clock.now(now))


def snap(row, *fields: str) -> dict:
    """The named fields of a row, for an audit entry's before / after."""
    return {f: getattr(row, f) for f in fields}
