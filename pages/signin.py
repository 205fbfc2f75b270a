"""Sign in with a username and password; once signed in, who you are and how to sign out."""
import streamlit as st

from qingxi.accounts import User
from ui import current_user, lang, session_token, single_sign_on, t
from ui.forms import post_form


def _error() -> str | None:
    """The refusal /auth/login sent back, in the reader's language (nothing for unknown keys)."""
    key = st.query_params.get("error")
    if key in ("wrong", "busy"):
        return t(f"signin.error.{key}")
    if key == "slowed":
        minutes = st.query_params.get("minutes", "")
        return t("signin.error.slowed", minutes=int(minutes) if minutes.isdigit() else 15)
    return None


def render() -> None:
    st.title(t("signin.signin_title"))
    if message := _error():
        st.error(message, icon=":material/lock:")
    post_form("/auth/login", t("signin.signin"), key="signin_form", fields=[
        {"name": "username", "label": t("signin.username"), "type": "text", "autocomplete": "username"},
        {"name": "password", "label": t("signin.password"), "type": "password", "autocomplete": "current-password"},
    ], hidden={"next": st.query_params.get("next") or f"/?lang={lang()}", "lang": lang()})
    if single_sign_on():
        st.button(t("signin.sso_text.button"), icon=":material/key:", on_click=st.login)
        if st.user.get("is_logged_in", False):
            st.warning(t("signin.sso_text.unknown", email=st.user.get("email", "")))  # signed on, but no account here
    st.caption(t("signin.signin_note"))


def sign_out_box(user: User) -> None:
    st.caption(t("signin.signed_in_as", name=user.display_name))
    if session_token():
        post_form("/auth/logout", t("signin.signout"), key="signout_form", hidden={"lang": lang()})
    else:  # came in through single sign-on
        st.button(t("signin.signout"), on_click=st.logout)


def account() -> None:
    user = current_user()
    if user is None:
        st.info(t("signin.signed_out"))
        return
    st.title(user.display_name)
    st.markdown(t("signin.account_line", username=user.username, role=t(f"signin.role.{user.role}"),
                  unit=user.unit.name if user.unit else t("signin.no_unit")))
