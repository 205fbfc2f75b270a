"""Qingxi Guardian (清溪守护): settings, language, who the user is, and the pages they may open."""
import streamlit as st

from pages import (
    admin_settings,
    admin_users,
    cleanup_days,
    cleanup_staff,
    dashboard,
    deputies,
    desk,
    exports,
    home,
    notify,
    proposal_page,
    reporting,
    river_map,
    sign_in,
    signboards,
    status,
)
from qingxi.accounts import User
from qingxi.core import permissions
from qingxi.core.i18n import pick_language
from qingxi.core.settings import LANGUAGES
from qingxi.core.settings import current as settings
from ui import current_user, routes, t

st.set_page_config(page_title="清溪守护 Qingxi Guardian", page_icon="💧", layout="wide")

language = pick_language(st.query_params.get("lang"), st.session_state.get("lang"),
                         st.context.locale, settings().default_language)
st.session_state["lang"] = language
st.query_params["lang"] = language


def switch_language() -> None:
    chosen = st.session_state["language_switch"]
    if chosen:  # clicking the selected option deselects it: keep the language then
        st.session_state["lang"] = st.query_params["lang"] = chosen


with st.sidebar:
    st.segmented_control(
        t("nav.language"), LANGUAGES, default=language, key="language_switch", on_change=switch_language,
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
    )

user = current_user()
if user is not None:
    with st.sidebar:
        sign_in.sign_out_box(user)


def pages_for(user: User | None) -> dict[str, list]:
    """The menu: the portal for everyone, then the work this account may do, then the account
    (every url_path from ui.routes)."""
    portal = [
        st.Page(home.render, title=t("nav.home"), icon=":material/home:", url_path=routes.HOME, default=True),
        st.Page(reporting.render, title=t("nav.report"), icon=":material/add_a_photo:", url_path=routes.REPORT),
        st.Page(status.render, title=t("nav.track"), icon=":material/search:", url_path=routes.TRACK),
        st.Page(river_map.render, title=t("nav.map"), icon=":material/map:", url_path=routes.MAP),
        st.Page(cleanup_days.render, title=t("cupage.nav"), icon=":material/volunteer_activism:",
                url_path=routes.CLEANUPS),
        st.Page(deputies.register, icon=":material/gavel:", url_path=routes.PROPOSALS,
                title=t("props.nav_register" if permissions.can(user, "proposal.view_all") else "props.nav_public")),
        st.Page(cleanup_days.numbers, title=t("cupage.nav_numbers"), icon=":material/bar_chart:",
                url_path=routes.CLEANUP_NUMBERS),
        st.Page(exports.render, title=t("export.nav"), icon=":material/download:", url_path=routes.DOWNLOADS),
        # Reached by links and QR codes, not from the menu: one proposal (?id=), one sign-up (?code=).
        st.Page(proposal_page.render, title=t("proposal.title"), icon=":material/description:",
                url_path=routes.PROPOSAL, visibility="hidden"),
        st.Page(cleanup_days.signup, title=t("cupage.signup_title"), icon=":material/confirmation_number:",
                url_path=routes.SIGNUP, visibility="hidden"),
    ]
    if user is None:
        return {"": portal + [st.Page(sign_in.render, title=t("auth.nav_signin"), icon=":material/login:",
                                      url_path=routes.SIGN_IN)]}
    work = []
    if permissions.role_of(user) == "deputy":
        work.append(st.Page(deputies.home, title=t("props.nav_home"), icon=":material/assignment_ind:",
                            url_path=routes.MY_PROPOSALS))
    if permissions.can(user, "dashboard.view"):
        work.append(st.Page(dashboard.render, title=t("dash.nav"), icon=":material/monitoring:",
                            url_path=routes.OVERVIEW))
    if permissions.can(user, "desk.view"):
        work.append(st.Page(desk.render, title=t("desk.nav"), icon=":material/inbox:", url_path=routes.DESK))
    if permissions.can(user, "cleanup.plan"):
        work.append(st.Page(cleanup_staff.plan, title=t("cupage.nav_plan"), icon=":material/event_note:",
                            url_path=routes.CLEANUP_PLAN))
    if permissions.can(user, "cleanup.checkin"):
        work.append(st.Page(cleanup_staff.day, title=t("cupage.nav_day"), icon=":material/fact_check:",
                            url_path=routes.CLEANUP_DAY))
    if permissions.can(user, "notify.view"):
        work.append(st.Page(notify.render, title=t("notify.page.nav"), icon=":material/notifications:",
                            url_path=routes.NOTIFY))
    if permissions.can(user, "signs.print"):
        work.append(st.Page(signboards.render, title=t("nav.signs"), icon=":material/qr_code_2:",
                            url_path=routes.SIGNS))
    account = [st.Page(sign_in.account, title=t("auth.nav_account"), icon=":material/person:", url_path=routes.ACCOUNT)]
    if permissions.can(user, "users.manage"):
        account.append(st.Page(admin_users.render, title=t("admin.nav"), icon=":material/group:",
                               url_path=routes.ADMIN))
    if permissions.can(user, "routing.edit"):
        account.append(st.Page(admin_settings.render, title=t("settings.nav"), icon=":material/tune:",
                               url_path=routes.SETTINGS))
    return {"": portal, **({t("nav.work"): work} if work else {}), t("auth.section"): account}


# Expanded: staff have more pages than Streamlit shows before folding the rest under "View more".
# Anything a page does not catch is shown calmly by ui.outcome.on_script_error (server.py).
st.navigation(pages_for(user), expanded=True).run()
