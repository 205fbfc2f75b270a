"""The admin's settings: routing rules (category × village → unit) and response templates.

Every change reloads the acting account, asks `permissions.require` itself ("routing.edit" /
"templates.edit", admins only) before it looks at anything, does its work in one transaction and
adds exactly one audit entry. A refusal (Denied, SettingsError) raises before the commit, so
nothing is changed. Clock targets are changed through `clocks.set_target`; the audit log is read
through `audit.history`.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import routing_queries as aq
from db.engine import session_scope
from qingxi.core import audit, permissions
from qingxi.core.acting import fresh_user
from qingxi.core.refusals import Refusal
from qingxi.reports.states import CATEGORIES, State

MAX_TITLE = 100
MAX_TEXT = 2000
# A template belongs to the state the desk sees the report in when it replies or closes.
TEMPLATE_STATES = tuple(s.value for s in State)


class SettingsError(Refusal):
    """A refusal the admin can correct; `key` names the message (settings.error.<key>)."""

    area = "settings"


@dataclass(frozen=True)
class Rule:
    id: int
    category: str | None
    village_id: int | None
    unit_id: int


@dataclass(frozen=True)
class TemplateRow:
    id: int
    state: str
    title: str
    text: str


def _actor(s: Session, user, action: str):
    actor = fresh_user(s, user)
    permissions.require(actor, action)
    return actor


def _rule(r) -> dict:
    return {"category": r.category, "village_id": r.village_id, "unit_id": r.unit_id}


def _words(title: str, text: str) -> tuple[str, str]:
    return (SettingsError.checked_text(title, MAX_TITLE, "text_needed", required=True),
            SettingsError.checked_text(text, MAX_TEXT, "text_needed", required=True))


# ---------------------------------------------------------------- routing rules

def rules(session: Session, user) -> list[Rule]:
    permissions.require(fresh_user(session, user), "routing.edit")
    return [Rule(r.id, r.category, r.village_id, r.unit_id) for r in aq.routing_rules(session)]


def add_rule(engine: Engine, admin, category: str | None, village_id: int | None, unit_id: int) -> int:
    """A rule: reports of `category` (None: any) in `village_id` (None: any) are suggested to an
    active unit. Refused: an unknown category, village or unit, an inactive unit, or a rule for the
    same category × village already there (delete it first)."""
    with session_scope(engine) as s:
        actor = _actor(s, admin, "routing.edit")
        if category is not None and category not in CATEGORIES:
            raise SettingsError("bad_category")
        if village_id is not None and aq.village(s, village_id) is None:
            raise SettingsError("bad_village")
        unit = aq.unit(s, unit_id) if unit_id is not None else None
        if unit is None or not unit.active:
            raise SettingsError("bad_unit")
        if aq.same_rule(s, category, village_id) is not None:
            raise SettingsError("duplicate_rule")
        rule = aq.add_rule(s, category, village_id, unit_id)
        audit.record(s, actor, "routing.add", "routing_rule", rule.id, {}, _rule(rule))
        return rule.id


def delete_rule(engine: Engine, admin, rule_id: int) -> None:
    with session_scope(engine) as s:
        actor = _actor(s, admin, "routing.edit")
        rule = aq.routing_rule(s, rule_id)
        if rule is None:
            raise SettingsError("not_found")
        before = _rule(rule)
        aq.delete_rule(s, rule_id)
        audit.record(s, actor, "routing.delete", "routing_rule", rule_id, before, {})


# ---------------------------------------------------------------- response templates

def templates(session: Session, user) -> list[TemplateRow]:
    permissions.require(fresh_user(session, user), "templates.edit")
    return [TemplateRow(r.id, r.state, r.title, r.text) for r in aq.templates(session)]


def add_template(engine: Engine, admin, state: str, title: str, text: str) -> int:
    with session_scope(engine) as s:
        actor = _actor(s, admin, "templates.edit")
        if state not in TEMPLATE_STATES:
            raise SettingsError("bad_state")
        title, text = _words(title, text)
        row = aq.add_template(s, state, title, text)
        audit.record(s, actor, "template.add", "response_template", row.id, {},
                     {"state": state, "title": title, "text": text})
        return row.id


def edit_template(engine: Engine, admin, template_id: int, title: str, text: str) -> None:
    with session_scope(engine) as s:
        actor = _actor(s, admin, "templates.edit")
        row = aq.template(s, template_id)
        if row is None:
            raise SettingsError("not_found")
        title, text = _words(title, text)
        if (row.title, row.text) == (title, text):
            raise SettingsError("unchanged")
        before = {"title": row.title, "text": row.text}
        row.title, row.text = title, text
        audit.record(s, actor, "template.edit", "response_template", row.id, before, {"title": title, "text": text})


def delete_template(engine: Engine, admin, template_id: int) -> None:
    with session_scope(engine) as s:
        actor = _actor(s, admin, "templates.edit")
        row = aq.template(s, template_id)
        if row is None:
            raise SettingsError("not_found")
        before = {"state": row.state, "title": row.title, "text": row.text}
        aq.delete_template(s, template_id)
        audit.record(s, actor, "template.delete", "response_template", template_id, before, {})


def villages(session: Session) -> dict[int, str]:
    """Every village by name, for choosing one."""
    return {v.id: v.name for v in aq.villages(session)}


def units(session: Session) -> dict[int, str]:
    """Every unit by name, retired ones too: an old rule may still name one."""
    return {u.id: u.name for u in aq.units(session)}
