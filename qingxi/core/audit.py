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


# ---------------------------------------------------------------- the log in words

_VALUES = {"state": "state", "priority": "triage.priority", "category": "category", "role": "signin.role",
           "attendance": "cleanups.attendance", "clock": "triage.clock"}  # fields whose values are message keys


def word(kind: str, name: str, lang: str) -> str:
    """An action ("report.resolve"), an entity ("report") or a field ("state") as people say it;
    a name the catalog does not know yet is shown as stored."""
    from qingxi.core.i18n import catalog

    return catalog(lang).get(f"audit.{kind}.{name}", name)


def changes(before: dict, after: dict, lang: str, tz) -> str:
    """What an entry changed, one field at a time: "状态：已签收 → 已办结" (no JSON)."""
    from qingxi.core.i18n import catalog

    words = catalog(lang)

    def value(field: str, v) -> str:
        if v is None or v == "" or v == []:
            return words["audit.empty"]
        if v == REDACTED:
            return words["audit.redacted"]
        if isinstance(v, bool):
            return words["audit.yes" if v else "audit.no"]
        if isinstance(v, list):
            return words["audit.list_sep"].join(value(field, x) for x in v)
        if isinstance(v, dict):
            return words["audit.list_sep"].join(f"{word('field', k, lang)} {value(k, x)}" for k, x in v.items())
        if field in _VALUES:
            return words.get(f"{_VALUES[field]}.{v}", str(v))
        if isinstance(v, str) and len(v) >= 16 and v[4] == "-" and v[10] == "T":
            try:
                return datetime.fromisoformat(v).astimezone(tz).strftime("%Y-%m-%d %H:%M")
            except ValueError:
                return v
        return str(v)

    parts = []
    for field in sorted({*before, *after}):
        name = word("field", field, lang)
        if field not in before:
            parts.append(words["audit.set"].format(field=name, new=value(field, after[field])))
        elif field not in after:
            parts.append(words["audit.unset"].format(field=name, old=value(field, before[field])))
        else:
            parts.append(words["audit.change"].format(field=name, old=value(field, before[field]),
                                                      new=value(field, after[field])))
    return words["audit.sep"].join(parts)
