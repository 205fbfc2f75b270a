"""Routing rules and response templates on SQLite and PostgreSQL: what they change, what they
refuse, one audit entry per change, and the routing rules feeding the desk's suggestion."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from db import triage_queries as q
from db.engine import session_scope
from db.models import AuditEntry, ResponseTemplate, RoutingRule, User
from qingxi.core import audit
from qingxi.core.permissions import Denied
from qingxi.reports import routing as sa
from qingxi.reports import triage
from qingxi.reports.routing import SettingsError


@pytest.fixture
def w(people):
    return dict(engine=people.engine, v=people.village, u1=people.other_unit, u2=people.unit, off=people.old_unit,
                admin=people.admin, staff=people.staff)


def entries(engine, action: str) -> list[AuditEntry]:
    with session_scope(engine) as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def count(engine, model) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_rule_is_added_listed_used_and_deleted(w):
    e, admin = w["engine"], w["admin"]
    general = sa.add_rule(e, admin, None, None, w["u1"])
    specific = sa.add_rule(e, admin, "sewage", w["v"], w["u2"])
    with session_scope(e) as s:
        assert [(r.category, r.village_id, r.unit_id) for r in sa.rules(s, admin)] == [
            (None, None, w["u1"]), ("sewage", w["v"], w["u2"])]
        assert q.suggest_unit(s, "sewage", w["v"]) == w["u2"]       # the most specific wins
        assert q.suggest_unit(s, "bank_litter", w["v"]) == w["u1"]
    [added] = [x for x in entries(e, "routing.add") if x.entity_id == specific]
    assert added.actor_id == admin.id and added.entity == "routing_rule"
    assert json.loads(added.after) == {"category": "sewage", "village_id": w["v"], "unit_id": w["u2"]}
    sa.delete_rule(e, admin, specific)
    with session_scope(e) as s:
        assert q.suggest_unit(s, "sewage", w["v"]) == w["u1"]
    [gone] = entries(e, "routing.delete")
    assert gone.entity_id == specific and json.loads(gone.after) == {}
    assert json.loads(gone.before)["unit_id"] == w["u2"]
    assert general


@pytest.mark.parametrize("args, key", [
    (("nonsense", None, "u1"), "bad_category"),
    ((None, 999_999, "u1"), "bad_village"),
    ((None, None, "off"), "bad_unit"),
    ((None, None, None), "bad_unit"),
    (("sewage", None, 999_999), "bad_unit"),
])
def test_a_bad_rule_is_refused_and_changes_nothing(w, args, key):
    category, village, unit = args
    unit = w[unit] if isinstance(unit, str) else unit
    with pytest.raises(SettingsError) as err:
        sa.add_rule(w["engine"], w["admin"], category, village, unit)
    assert err.value.key == key
    assert count(w["engine"], RoutingRule) == 0 and count(w["engine"], AuditEntry) == 0


def test_a_second_rule_for_the_same_place_is_refused(w):
    e = w["engine"]
    sa.add_rule(e, w["admin"], "sewage", None, w["u1"])
    with pytest.raises(SettingsError, match="duplicate_rule"):
        sa.add_rule(e, w["admin"], "sewage", None, w["u2"])
    sa.add_rule(e, w["admin"], "sewage", w["v"], w["u2"])  # another village is another rule
    assert count(e, RoutingRule) == 2 and count(e, AuditEntry) == 2
    with pytest.raises(SettingsError, match="not_found"):
        sa.delete_rule(e, w["admin"], 999_999)


def test_templates_are_added_edited_offered_and_deleted(w):
    e, admin = w["engine"], w["admin"]
    tid = sa.add_template(e, admin, "signed", " 已签收 ", " 我们已收到，正在安排。 ")
    with session_scope(e) as s:
        assert [(x.title, x.text) for x in triage.apply_template(s, "signed")] == [("已签收", "我们已收到，正在安排。")]
        assert triage.apply_template(s, "submitted") == []
    sa.edit_template(e, admin, tid, "已签收", "已收到，今天派单。")
    [edit] = entries(e, "template.edit")
    assert json.loads(edit.before) == {"text": "我们已收到，正在安排。"} and json.loads(edit.after) == {"text": "已收到，今天派单。"}
    with pytest.raises(SettingsError, match="unchanged"):
        sa.edit_template(e, admin, tid, "已签收", "已收到，今天派单。")
    with session_scope(e) as s:
        assert [x.text for x in sa.templates(s, admin)] == ["已收到，今天派单。"]
    sa.delete_template(e, admin, tid)
    assert count(e, ResponseTemplate) == 0
    assert [x.action for x in entries(e, "template.add") + entries(e, "template.delete")] == [
        "template.add", "template.delete"]
    with pytest.raises(SettingsError, match="not_found"):
        sa.delete_template(e, admin, tid)
    with pytest.raises(SettingsError, match="not_found"):
        sa.edit_template(e, admin, tid, "a", "b")


@pytest.mark.parametrize("state, title, text, key", [
    ("nonsense", "t", "x", "bad_state"),
    ("signed", "", "x", "text_needed"),
    ("signed", "t", "   ", "text_needed"),
    ("signed", "t" * 101, "x", "text_too_long"),
    ("signed", "t", "x" * 2001, "text_too_long"),
])
def test_a_bad_template_is_refused(w, state, title, text, key):
    with pytest.raises(SettingsError) as err:
        sa.add_template(w["engine"], w["admin"], state, title, text)
    assert err.value.key == key
    assert count(w["engine"], ResponseTemplate) == 0 and count(w["engine"], AuditEntry) == 0


def test_staff_may_not_change_settings_nor_learn_whether_something_exists(w):
    e, staff = w["engine"], w["staff"]
    for call in (lambda: sa.add_rule(e, staff, "nonsense", None, None),  # refused before it validates
                 lambda: sa.delete_rule(e, staff, 999_999),
                 lambda: sa.add_template(e, staff, "nonsense", "", ""),
                 lambda: sa.edit_template(e, staff, 999_999, "a", "b"),
                 lambda: sa.delete_template(e, staff, 999_999)):
        with pytest.raises(Denied):
            call()
    assert count(e, AuditEntry) == 0


def test_an_admin_disabled_meanwhile_is_refused(w):
    e = w["engine"]
    with session_scope(e) as s:
        s.get(User, w["admin"].id).disabled = True
    with pytest.raises(Denied):
        sa.add_rule(e, w["admin"], None, None, w["u1"])
    assert count(e, RoutingRule) == 0


def test_the_audit_log_shows_the_settings_changes(w):
    e, admin = w["engine"], w["admin"]
    rid = sa.add_rule(e, admin, None, None, w["u1"])
    sa.add_template(e, admin, "resolved", "办结", "问题已解决，感谢监督。")
    rows = audit.history(e, admin, "routing_rule", rid)
    assert [r["action"] for r in rows] == ["routing.add"]
    assert {r["action"] for r in audit.history(e, admin)} == {"routing.add", "template.add"}
