"""The audit log: who changed what, when, before → after. Append-only; one entry per action.

Only the fields that changed are stored. Personal data never enters the log: the reporter's
name and phone are written as "[redacted]" whatever the caller passes, and moderation of a
description stores that it was redacted, never the removed words (see triage.redact).
"""
from __future__ import annotations

import json
from datetime import datetime
from enum import Enum

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import accounts_queries, audit_queries
from db.engine import session_scope
from db.models import AuditEntry, utcnow
from qingxi.core import permissions

REDACTED = "[redacted]"
PERSONAL_FIELDS = frozenset({"reporter_phone", "reporter_name", "phone", "password_hash"})


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose value differs (a key on one side only counts as changed)."""
    keys = [k for k in {**before, **after} if before.get(k, ...) != after.get(k, ...)]
    clean = lambda side: {k: (REDACTED if k in PERSONAL_FIELDS else _plain(side[k]))  # noqa: E731
                          for k in keys if k in side}
    return clean(before), clean(after)


def record(session: Session, user, action: str, entity: str, entity_id: int | None,
           before: dict, after: dict, reason: str = "", at: datetime | None = None) -> AuditEntry:
    """Add one audit entry to the session's transaction (it commits or rolls back with the work)."""
    old, new = changed(before, after)
    entry = AuditEntry(
        at=at or utcnow(), actor_id=getattr(user, "id", None), action=action, entity=entity,
        entity_id=entity_id, reason=reason,
        before=json.dumps(old, ensure_ascii=False, sort_keys=True),
        after=json.dumps(new, ensure_ascii=False, sort_keys=True),
    )
    session.add(entry)
    return entry


def history(engine: Engine, user, entity: str | None = None, entity_id: int | None = None,
            limit: int = 200) -> list[dict]:
    """Audit entries, newest first (admins only)."""
    with session_scope(engine) as s:
        permissions.require(accounts_queries.fresh_user(s, user), "audit.read")
        return [
            {"id": e.id, "at": e.at, "actor_id": e.actor_id, "action": e.action, "entity": e.entity,
             "entity_id": e.entity_id, "before": json.loads(e.before), "after": json.loads(e.after),
             "reason": e.reason}
            for e in audit_queries.audit_entries(s, entity, entity_id, limit)
        ]


def actions(session: Session) -> list[str]:
    """The actions the audit log holds, for its filter."""
    return audit_queries.audit_actions(session)


def entities(session: Session) -> list[str]:
    """The kinds of thing the audit log holds, for its filter."""
    return audit_queries.audit_entities(session)
