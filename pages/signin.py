"""Sign in with a username and password; once signed in, who you are and how to sign out."""
from typing import Callable
from urllib.parse import urlencode

import streamlit as st

import ui
from qingxi import accounts, notify
from qingxi.accounts import User
from ui import current_user, engine, lang, outcome, session_token, single_sign_on, t
from ui.forms import post_form
from ui.text import plain


def _error() -> str | None:
    """The refusal /auth/login sent back, in the reader's language (nothing for unknown keys)."""
    key = st.query_params.get("error")
    if key in ("wrong", "busy"):
        return t(f"signin.error.{key}")
    if key == "slowed":
        minutes = st.query_params.get("minutes", "")
        return t("signin.error.slowed", minutes=int(minutes) if minutes.isdigit() else 15)
    return None


def render(back: str | None = None) -> None:
    """The sign-in form; afterwards /auth/login sends the person to `back` (a path on this site),
    else to the ?next= this page was opened with, else home."""
    st.title(t("signin.signin_title"))
    if message := _error():
        st.error(message, icon=":material/lock:")
    post_form("/auth/login", t("signin.signin"), key="signin_form", fields=[
        {"name": "username", "label": t("signin.username"), "type": "text", "autocomplete": "username"},
        {"name": "password", "label": t("signin.password"), "type": "password", "autocomplete": "current-password"},
    ], hidden={"next": back or st.query_params.get("next") or f"/?lang={lang()}", "lang": lang()})
    if single_sign_on():
        st.button(t("signin.sso_text.button"), icon=":material/key:", on_click=st.login)
        if st.user.get("is_logged_in", False):
            st.warning(t("signin.sso_text.unknown", email=plain(st.user.get("email", ""))))  # signed on, but no account here
    st.caption(t("signin.signin_note"))


def _here(url_path: str) -> str:
    """This page's own address, query string and all: where signing in comes back to."""
    query = st.query_params.to_dict()
    return f"/{url_path}" + (f"?{urlencode(query)}" if query else "")


def required(url_path: str) -> Callable[[], None]:
    """What a signed-out person sees at a staff page's address (app.py registers it there, hidden):
    a request to sign in that comes back to this very address afterwards."""
    def sign_in_first() -> None:
        st.info(t("signin.needed"), icon=":material/lock:")
        render(back=_here(url_path))
    return sign_in_first


def not_allowed() -> None:
    """What a signed-in account sees at a staff page its role does not open."""
    st.title(t("signin.not_allowed_title"))
    st.warning(t("signin.not_allowed"), icon=":material/block:")


def sign_out_box(user: User) -> None:
    st.caption(t("signin.signed_in_as", name=plain(user.display_name)))
    if session_token():
        post_form("/auth/logout", t("signin.signout"), key="signout_form", hidden={"lang": lang()})
    else:  # came in through single sign-on
        st.button(t("signin.signout"), on_click=st.logout)


def account() -> None:
    user = current_user()
    if user is None:
        st.info(t("signin.signed_out"))
        return
    st.title(plain(user.display_name))
    st.markdown(t("signin.account_line", username=plain(user.username), role=t(f"signin.role.{user.role}"),
                  unit=plain(user.unit.name) if user.unit else t("signin.no_unit")))
    if user.must_change_password:  # a one-time password (invitation or reset): nothing else until changed
        st.warning(t("signin.must_change"), icon=":material/key:")
    if ui.session_token():  # a password account (single sign-on accounts change theirs at the provider)
        change_password_form()
    if not ui.must_change(user):
        contact_form(user)


CONTACT_AREA = "contact"  # where the account page shows how the last contact change went
PERSON_EVENTS = ("proposal.assigned", "proposal.answered", "proposal.deadline")  # what comes to an account


def _save_contact() -> None:
    outcome.act(CONTACT_AREA, lambda: accounts.set_own_contact(engine(), current_user(), st.session_state.own_contact),
                t("signin.contact.saved"))


def contact_form(user: User) -> None:
    """Where messages addressed to this person go, and whether any channel can take them there."""
    st.subheader(t("signin.contact.title"))
    outcome.show(CONTACT_AREA)
    with st.form("own_contact_form"):
        st.text_input(t("signin.contact.label"), value=user.contact or "", key="own_contact",
                      max_chars=accounts.MAX_CONTACT, help=t("signin.contact.help"))
        st.form_submit_button(t("signin.contact.save"), on_click=_save_contact)
    kind = accounts.contact_kind(user.contact)
    if kind is None:
        st.caption(t("signin.contact.unset"))
    elif not notify.reaches_people(engine(), kind, PERSON_EVENTS):
        st.info(t("signin.contact.none_for_kind", kind=t(f"signin.contact.kind.{kind}")), icon=":material/notifications_off:")


AREA = "password"  # where the account page shows how the last change went


def _change() -> None:
    v = st.session_state
    outcome.act(AREA, lambda: accounts.change_password(engine(), current_user(), ui.session_token(), v.pw_old,
                                                       v.pw_new, v.pw_again), t("signin.changed"))


def change_password_form() -> None:
    """The current password, the new one twice, through the accounts service (strength, other
    sessions end); the form empties itself either way."""
    st.subheader(t("signin.change_title"))
    outcome.show(AREA)
    with st.form("change_password", clear_on_submit=True):
        st.text_input(t("signin.old_password"), type="password", key="pw_old", autocomplete="current-password")
        st.text_input(t("signin.new_password"), type="password", key="pw_new", autocomplete="new-password",
                      help=t("signin.password_help", n=accounts.MIN_PASSWORD))
        st.text_input(t("signin.new_again"), type="password", key="pw_again", autocomplete="new-password")
        st.form_submit_button(t("signin.change"), on_click=_change)
