"""The settings page (admins only): routing rules, clock targets, templates and the audit log,
each change through its service and visible in the audit viewer."""
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db import accounts_queries
from db.engine import engine_for, session_scope
from db.models import AuditEntry, ClockTarget, ResponseTemplate, RoutingRule
from qingxi.core.settings import current


def _settings_alone() -> None:
    from pages import settings

    settings.render()


def page() -> AppTest:
    return AppTest.from_function(_settings_alone, default_timeout=30).run()


def rows(model) -> list:
    with session_scope(engine_for(current().database_url)) as s:
        return list(s.scalars(select(model)))


def submit(at: AppTest, form: str, label: str) -> AppTest:
    return at.button(key=f"FormSubmitter:{form}-{label}").click().run()


def test_only_admins_see_the_settings(sign_in_as):
    at = page()
    assert [e.value for e in at.error] == ["只有管理员可以修改设置。"] and not at.tabs
    sign_in_as("staff")
    assert [e.value for e in page().error] == ["只有管理员可以修改设置。"]
    sign_in_as("admin")
    at = page()
    assert not at.exception and not at.error
    assert [tab.label for tab in at.tabs] == ["派单规则", "响应时限", "回复模板", "审计日志"]


def test_an_admin_adds_and_deletes_a_routing_rule(sign_in_as):
    sign_in_as("admin")
    with session_scope(engine_for(current().database_url)) as s:
        unit = accounts_queries.add_unit(s, "沙柳街道办").id
    at = page()
    assert at.info[0].value == "还没有派单规则。"
    at.selectbox(key="rule_category").select("sewage")
    at.selectbox(key="rule_unit").select(unit)
    at = submit(at, "rule_add_form", "添加")
    assert at.success[0].value == "已保存。"
    [rule] = rows(RoutingRule)
    assert (rule.category, rule.village_id, rule.unit_id) == ("sewage", None, unit)
    at.selectbox(key="rule_category").select("sewage")
    at.selectbox(key="rule_unit").select(unit)
    at = submit(at, "rule_add_form", "添加")  # the same category × village again
    assert at.error[0].value == "这个类别和村庄已经有规则，请先删除原规则。"
    at = submit(at, "rule_delete_form", "删除")
    assert at.success[0].value == "已删除。" and rows(RoutingRule) == []
    assert [e.action for e in rows(AuditEntry) if e.action.startswith("routing")] == ["routing.add", "routing.delete"]


def test_an_admin_changes_a_clock_target(sign_in_as):
    sign_in_as("admin")
    at = page()
    at.number_input(key="target_urgent_sign").set_value(45)
    at = submit(at, "targets_urgent", "保存")
    assert at.success[0].value == "已保存。"
    assert [c.seconds for c in rows(ClockTarget) if (c.priority, c.clock) == ("urgent", "sign")] == [45]
    at = submit(at, "targets_urgent", "保存")  # nothing changed this time
    assert at.error[0].value == "没有修改。"
    assert [e.action for e in rows(AuditEntry)].count("clocks.set_target") == 1


def test_an_admin_writes_edits_and_deletes_a_template(sign_in_as):
    sign_in_as("admin")
    at = page()
    at.selectbox(key="template_state").select("signed")
    at = at.run()
    assert any(i.value == "这个状态还没有模板。" for i in at.info)
    at.text_input(key="template_title").input("已签收")
    at.text_area(key="template_text").input("我们已收到，正在安排。")
    at = submit(at, "template_add_form", "添加")
    assert at.success[0].value == "已保存。"
    [row] = rows(ResponseTemplate)
    assert (row.state, row.title, row.text) == ("signed", "已签收", "我们已收到，正在安排。")
    at.text_area(key=f"template_text_{row.id}").input("已收到，今天派单。")
    at = submit(at, f"template_form_{row.id}", "保存")
    assert [r.text for r in rows(ResponseTemplate)] == ["已收到，今天派单。"]
    at = at.button(key=f"template_delete_{row.id}").click().run()
    assert at.success[0].value == "已删除。" and rows(ResponseTemplate) == []
    assert [e.action for e in rows(AuditEntry) if e.action.startswith("template")] == [
        "template.add", "template.edit", "template.delete"]


def test_the_audit_viewer_filters_by_entity_and_action(sign_in_as):
    from qingxi.reports import routing

    admin = sign_in_as("admin")
    routing.add_template(engine_for(current().database_url), admin, "resolved", "办结", "问题已解决。")
    at = page()
    at.number_input(key="target_normal_sign").set_value(900)
    at = submit(at, "targets_normal", "保存")
    shown = at.dataframe[-1].value
    assert set(shown["操作"]) == {"添加答复模板", "修改时限"}  # in words, never a raw key
    at.selectbox(key="audit_action").select("clocks.set_target")
    at = at.run()
    assert list(at.dataframe[-1].value["操作"]) == ["修改时限"]
    change = at.dataframe[-1].value["改动"].iloc[0]
    assert "秒数：" in change and "→ 900" in change and "{" not in change  # no JSON
    at.selectbox(key="audit_action").select(None)
    at.selectbox(key="audit_entity").select("response_template")
    at = at.run()
    assert list(at.dataframe[-1].value["操作"]) == ["添加答复模板"]
    assert list(at.dataframe[-1].value["对象"]) == ["答复模板"]
