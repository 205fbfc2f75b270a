"""Accounts (admins only): who has an account, invite someone, disable an account, change a role,
set where someone's notifications go (their contact), reset a forgotten password (a one-time
password, shown once)."""
from __future__ import annotations

import streamlit as st

from qingxi import accounts
from qingxi.core import permissions
from ui import current_user, engine, labels, outcome, session, t
from ui.text import plain

AREA = "accounts"  # where the page shows how the last action went


def _act(action, *args, done: str) -> None:
    """Do an admin action for the signed-in user; say how it went on the next run."""
    outcome.act(AREA, lambda: action(engine(), current_user(), *args), t(done), denied="accounts.refused")


def _invite() -> None:
    v = st.session_state
    _act(accounts.invite, v.invite_username, v.invite_name, v.invite_role, v.invite_unit, done="accounts.invited")


def _save_role(user_id: int) -> None:
    v = st.session_state
    _act(accounts.set_role, user_id, v[f"role_{user_id}"], v[f"unit_{user_id}"], done="accounts.role_saved")


def _save_contact(user_id: int) -> None:
    _act(accounts.set_contact, user_id, st.session_state[f"contact_{user_id}"], done="accounts.contact_saved")


def _notice() -> None:
    """How the last action went; an invitation's or a reset's one-time password, this once."""
    done = outcome.show(AREA)
    if done is not None and done.ok and isinstance(password := done.value, str):
        st.code(password, language=None)
        st.warning(t("accounts.password_once"), icon=":material/visibility_off:")


def render() -> None:
    user = current_user()
    if not permissions.can(user, "users.manage"):
        st.error(t("accounts.refused"))
        return
    st.title(t("accounts.title"))
    _notice()
    with session() as s:
        people = accounts.people(s)
        units = accounts.units(s)
    role_label = labels("signin.role")
    st.dataframe([{t("accounts.col.username"): p.username, t("accounts.col.name"): p.display_name,
                   t("accounts.col.role"): role_label(p.role), t("accounts.col.unit"): p.unit.name if p.unit else "",
                   t("accounts.col.contact"): p.contact or "", t("accounts.col.disabled"): p.disabled}
                  for p in people], hide_index=True)
    unit_label = lambda unit_id: units.get(unit_id, t("signin.no_unit"))  # noqa: E731

    st.subheader(t("accounts.invite_title"))
    with st.form("invite", clear_on_submit=True):
        st.text_input(t("accounts.col.username"), key="invite_username", help=t("accounts.username_help"))
        st.text_input(t("accounts.col.name"), key="invite_name")
        st.selectbox(t("accounts.col.role"), accounts.ROLES, key="invite_role", format_func=role_label)
        st.selectbox(t("accounts.col.unit"), [None, *units], key="invite_unit", format_func=unit_label)
        st.form_submit_button(t("accounts.invite"), on_click=_invite)

    others = {p.id: p for p in people if p.id != user.id}
    if not others:
        return
    st.subheader(t("accounts.manage_title"))
    chosen = st.selectbox(t("accounts.user"), list(others), key="manage_user",
                          format_func=lambda i: f"{others[i].display_name} ({others[i].username})")
    person = others[chosen]
    with st.form(f"role_form_{chosen}"):  # keyed by person: switching people shows their own values
        st.selectbox(t("accounts.col.role"), accounts.ROLES, index=accounts.ROLES.index(person.role),
                     key=f"role_{chosen}", format_func=role_label)
        options = [None, *units]
        st.selectbox(t("accounts.col.unit"), options, key=f"unit_{chosen}", format_func=unit_label,
                     index=options.index(person.unit_id) if person.unit_id in options else 0)
        st.form_submit_button(t("accounts.save_role"), on_click=_save_role, args=(chosen,))
    with st.form(f"contact_form_{chosen}"):
        st.text_input(t("accounts.contact"), value=person.contact or "", key=f"contact_{chosen}",
                      max_chars=accounts.MAX_CONTACT)
        st.form_submit_button(t("accounts.save_contact"), on_click=_save_contact, args=(chosen,))
    # What cannot be taken back by the person asks once, and is never the highlighted button.
    name = plain(person.display_name)  # as typed, never markup
    with st.popover(t("accounts.reset_password"), icon=":material/key:"):
        st.markdown(t("accounts.reset_confirm", name=name))
        st.button(t("accounts.reset_yes"), on_click=_act, args=(accounts.reset_password, chosen),
                  kwargs={"done": "accounts.password_reset"}, key=f"reset_yes_{chosen}")
    if person.disabled:
        st.button(t("accounts.enable"), on_click=_act, args=(accounts.enable_user, chosen),
                  kwargs={"done": "accounts.enabled"}, icon=":material/lock_open:")
    else:
        with st.popover(t("accounts.disable"), icon=":material/block:"):
            st.markdown(t("accounts.disable_confirm", name=name))
            st.button(t("accounts.disable_yes"), on_click=_act, args=(accounts.disable_user, chosen),
                      kwargs={"done": "accounts.disabled"}, key=f"disable_yes_{chosen}")
