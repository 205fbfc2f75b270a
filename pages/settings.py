"""Settings (admins only): routing rules, response-clock targets, response templates and the
audit log. Every change goes through its service (settings_admin, clocks), which checks the
permission again and writes the audit entry; this page only asks permissions.can what to show."""
from __future__ import annotations

import streamlit as st

from qingxi import accounts
from qingxi.core import audit, permissions
from qingxi.core.settings import current as configuration
from qingxi.reports import CATEGORIES, clocks, routing
from ui import current_user, engine, labels, lang, outcome, session, t, text
from ui.text import plain

AREA = "settings"  # where the page shows how the last change went
ACTIONS = ("routing.edit", "clocks.edit", "templates.edit", "audit.read")


def _act(call, *args, done: str = "settings.saved") -> None:
    """One admin change for the signed-in user; say how it went on the next run."""
    outcome.act(AREA, lambda: call(engine(), current_user(), *args), t(done), denied="settings.refused")


def render() -> None:
    user = current_user()
    allowed = [a for a in ACTIONS if permissions.can(user, a)]
    if not allowed:
        st.error(t("settings.refused"))
        return
    st.title(t("settings.title"))
    outcome.show(AREA)
    sections = {"routing.edit": (t("settings.tab.routing"), _routing),
                "clocks.edit": (t("settings.tab.clocks"), _clocks),
                "templates.edit": (t("settings.tab.templates"), _templates),
                "audit.read": (t("settings.tab.audit"), _audit)}
    tabs = st.tabs([sections[a][0] for a in allowed])
    for tab, action in zip(tabs, allowed):
        with tab:
            sections[action][1](user)


# ---------------------------------------------------------------- routing rules

def _add_rule() -> None:
    v = st.session_state
    _act(routing.add_rule, v.rule_category, v.rule_village, v.rule_unit)


def _delete_rule() -> None:
    if (rule := st.session_state.get("rule_delete")) is not None:
        _act(routing.delete_rule, rule, done="settings.deleted")


def _routing(user) -> None:
    st.caption(t("settings.routing.intro"))
    with session() as s:
        rules = routing.rules(s, user)
        villages = routing.villages(s)
        units = routing.units(s)
        active = list(accounts.units(s))
    anything = t("settings.routing.any")
    category = labels("category")
    describe = lambda r: (f"{category(r.category) if r.category else anything} × "  # noqa: E731
                          f"{villages.get(r.village_id, anything) if r.village_id else anything} → "
                          f"{units.get(r.unit_id, '?')}")
    if rules:
        place = lambda r: villages.get(r.village_id, anything) if r.village_id else anything  # noqa: E731
        st.dataframe([{t("settings.routing.category"): category(r.category) if r.category else anything,
                       t("settings.routing.village"): place(r),
                       t("settings.routing.unit"): units.get(r.unit_id, "?")} for r in rules], hide_index=True)
        by_id = {r.id: r for r in rules}
        with st.form("rule_delete_form"):
            st.selectbox(t("settings.routing.rule"), list(by_id), key="rule_delete",
                         format_func=lambda i: describe(by_id[i]))
            st.form_submit_button(t("settings.delete"), on_click=_delete_rule)
    else:
        st.info(t("settings.routing.none"))
    st.subheader(t("settings.routing.add_title"))
    with st.form("rule_add_form", clear_on_submit=True):
        st.selectbox(t("settings.routing.category"), [None, *CATEGORIES], key="rule_category",
                     format_func=lambda c: category(c) if c else anything)
        st.selectbox(t("settings.routing.village"), [None, *villages], key="rule_village",
                     format_func=lambda i: villages[i] if i else anything)
        st.selectbox(t("settings.routing.unit"), active, index=None, key="rule_unit", format_func=units.get,
                     placeholder=t("pick.one"))
        st.form_submit_button(t("settings.add"), on_click=_add_rule)


# ---------------------------------------------------------------- clock targets

def _save_targets(priority: str, current: dict[str, int]) -> None:
    """Each changed target through clocks.set_target (one audit entry each)."""
    changed = {c: st.session_state[f"target_{priority}_{c}"] for c in clocks.CLOCKS}
    changed = {c: int(v) for c, v in changed.items() if v is not None and int(v) != current[c]}
    if changed:
        _act(_set_targets, priority, changed)
    else:
        outcome.refuse(AREA, t("settings.error.unchanged"))


def _set_targets(engine, admin, priority: str, changed: dict[str, int]) -> None:
    """One after the other, up to the first refused."""
    for clock, seconds in changed.items():
        clocks.set_target(engine, admin, priority, clock, seconds)


def _clocks(user) -> None:
    st.caption(t("settings.clocks.intro"))
    with session() as s:
        targets = clocks.targets(s)
    for priority in clocks.PRIORITIES:
        st.subheader(t(f"triage.priority.{priority}"))
        with st.form(f"targets_{priority}"):
            cols = st.columns(len(clocks.CLOCKS))
            for col, clock in zip(cols, clocks.CLOCKS):
                seconds = targets[priority][clock]
                col.number_input(t(f"triage.clock.{clock}"), min_value=1, max_value=clocks.MAX_SECONDS, step=60,
                                 value=seconds, key=f"target_{priority}_{clock}",
                                 help=t("settings.clocks.seconds_help"))
                col.caption(_duration(seconds))
            st.form_submit_button(t("settings.save"), on_click=_save_targets, args=(priority, targets[priority]))


def _duration(seconds: int) -> str:
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return t("settings.clocks.duration", days=days, hours=hours, minutes=minutes, seconds=secs)


# ---------------------------------------------------------------- response templates

def _add_template() -> None:
    v = st.session_state
    _act(routing.add_template, v.template_state, v.template_title, v.template_text)


def _edit_template(template_id: int) -> None:
    v = st.session_state
    _act(routing.edit_template, template_id, v[f"template_title_{template_id}"],
         v[f"template_text_{template_id}"])


def _delete_template(template_id: int) -> None:
    _act(routing.delete_template, template_id, done="settings.deleted")


def _templates(user) -> None:
    st.caption(t("settings.templates.intro"))
    state = st.selectbox(t("settings.templates.state"), routing.TEMPLATE_STATES, key="template_state",
                         format_func=labels("state"))
    with session() as s:
        rows = [r for r in routing.templates(s, user) if r.state == state]
    if not rows:
        st.info(t("settings.templates.none"))
    for row in rows:
        with st.expander(plain(row.title)):
            with st.form(f"template_form_{row.id}"):
                st.text_input(t("settings.templates.title"), value=row.title, key=f"template_title_{row.id}",
                              max_chars=routing.MAX_TITLE)
                st.text_area(t("settings.templates.text"), value=row.text, key=f"template_text_{row.id}")
                st.form_submit_button(t("settings.save"), on_click=_edit_template, args=(row.id,))
            st.button(t("settings.delete"), key=f"template_delete_{row.id}", on_click=_delete_template,
                      args=(row.id,))
    st.subheader(t("settings.templates.add_title"))
    with st.form("template_add_form", clear_on_submit=True):
        st.text_input(t("settings.templates.title"), key="template_title", max_chars=routing.MAX_TITLE)
        st.text_area(t("settings.templates.text"), key="template_text")
        st.form_submit_button(t("settings.add"), on_click=_add_template)


# ---------------------------------------------------------------- the audit log

def _audit(user) -> None:
    with session() as s:
        entities = audit.entities(s)
        actions = audit.actions(s)
        names = {p.id: p.display_name for p in accounts.people(s)}
    anything = t("settings.routing.any")
    left, middle, right = st.columns(3)
    language = lang()
    entity = left.selectbox(t("settings.audit.entity"), [None, *entities], key="audit_entity",
                            format_func=lambda e: audit.word("entity", e, language) if e else anything)
    action = middle.selectbox(t("settings.audit.action"), [None, *actions], key="audit_action",
                              format_func=lambda a: audit.word("action", a, language) if a else anything)
    entity_id = right.number_input(t("settings.audit.entity_id"), min_value=1, step=1, value=None,
                                   key="audit_entity_id")
    entries = audit.history(engine(), user, entity, int(entity_id) if entity_id else None, limit=500)
    if action is not None:
        entries = [e for e in entries if e["action"] == action]
    if not entries:
        st.info(t("settings.audit.none"))
        return
    tz = configuration().timezone
    st.dataframe([{t("settings.audit.at"): text.when(e["at"]),
                   t("settings.audit.actor"): names.get(e["actor_id"], "—"),
                   t("settings.audit.action"): audit.word("action", e["action"], language),
                   t("settings.audit.entity"): audit.word("entity", e["entity"], language),
                   t("settings.audit.entity_id"): "" if e["entity_id"] is None else f"#{e['entity_id']}",
                   t("audit.changes"): audit.changes(e["before"], e["after"], language, tz),
                   t("settings.audit.reason"): e["reason"]}
                  for e in entries], hide_index=True)
