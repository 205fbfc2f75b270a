"""Qingxi Guardian (清溪守护): settings, language, who the user is, and the pages they may open."""
import streamlit as st

from pages import (
    accounts,
    assistant,
    assistant_inbox,
    cleanups,
    cleanups_staff,
    dashboard,
    downloads,
    home,
    meetings,
    notify,
    pledge,
    proposal,
    proposals,
    report,
    signin,
    signs,
    track,
    triage,
)
from pages import map as river_map  # (not the builtin)
from pages import settings as settings_page  # (settings() is the configuration)
from qingxi.accounts import User
from qingxi.core import permissions
from qingxi.core.i18n import pick_language
from qingxi.core.settings import LANGUAGES
from qingxi.core.settings import current as settings
from ui import current_user, must_change, phone, routes, t

st.set_page_config(page_title="清溪守护 Qingxi Guardian", page_icon="💧", layout="wide")

language = pick_language(st.query_params.get("lang"), st.session_state.get("lang"),
                         st.context.locale, settings().default_language)
st.session_state["lang"] = language
st.query_params["lang"] = language


def switch_language() -> None:
    chosen = st.session_state["language_switch"]
    if chosen:  # clicking the selected option deselects it: keep the language then
        st.session_state["lang"] = st.query_params["lang"] = chosen


phone.fit()
with st.sidebar:
    st.segmented_control(
        t("nav.language"), LANGUAGES, default=language, key="language_switch", on_change=switch_language,
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
    )

user = current_user()
if user is not None:
    with st.sidebar:
        signin.sign_out_box(user)


# The staff menu: who may see a screen is the permission its service checks too.
WORK = [
    ("dashboard.view", dashboard.render, "dashboard.nav", "monitoring", routes.DASHBOARD),
    ("desk.view", triage.render, "triage.nav", "inbox", routes.TRIAGE),
    ("assistant.inbox", assistant_inbox.render, "assistant.inbox.nav", "support_agent", routes.ASSISTANT_INBOX),
    ("cleanup.plan", cleanups_staff.plan, "cleanups.nav_plan", "event_note", routes.CLEANUP_PLAN),
    ("cleanup.checkin", cleanups_staff.day, "cleanups.nav_day", "fact_check", routes.CLEANUP_DAY),
    ("pledge.door", pledge.doors, "pledge.nav_doors", "door_front", routes.PLEDGE_DOORS),
    ("meeting.manage", meetings.desk, "meetings.nav_desk", "record_voice_over", routes.MEETINGS_DESK),
    ("notify.view", notify.render, "notify.page.nav", "notifications", routes.NOTIFY),
    ("signs.print", signs.render, "nav.signs", "qr_code_2", routes.SIGNS),
]


# Every address only an account opens, with its title: so that such an address, opened by someone
# else (signed out, or a role without it), is still a page here and not Streamlit's "Page not found".
ACCOUNT_ONLY = [(path, title) for _, _, title, _, path in WORK] + [
    (routes.MY_PROPOSALS, "proposals.nav_home"), (routes.ACCOUNT, "signin.nav_account"),
    (routes.ACCOUNTS, "accounts.nav"), (routes.SETTINGS, "settings.nav")]


def elsewhere(user: User | None, registered: list) -> list:
    """The account-only addresses the menu leaves out, hidden: signed out, a sign-in that comes back
    to the same address; signed in, a sentence saying this account may not open it."""
    taken = {page.url_path for page in registered}
    return [st.Page(signin.required(path) if user is None else signin.not_allowed, title=t(title),
                    icon=":material/lock:", url_path=path, visibility="hidden")
            for path, title in ACCOUNT_ONLY if path not in taken]


def pages_for(user: User | None) -> dict[str, list]:
    """The menu: the portal for everyone, then the work this account may do, then the account
    (every url_path from ui.routes)."""
    portal = [
        st.Page(home.render, title=t("nav.home"), icon=":material/home:", url_path=routes.HOME, default=True),
        st.Page(report.render, title=t("nav.report"), icon=":material/add_a_photo:", url_path=routes.REPORT),
        st.Page(track.render, title=t("nav.track"), icon=":material/search:", url_path=routes.TRACK),
        st.Page(river_map.render, title=t("nav.map"), icon=":material/map:", url_path=routes.MAP),
        st.Page(cleanups.render, title=t("cleanups.nav"), icon=":material/volunteer_activism:",
                url_path=routes.CLEANUPS),
        st.Page(proposals.register, icon=":material/gavel:", url_path=routes.PROPOSALS,
                title=t("proposals.nav_register" if permissions.can(user, "proposal.view_all") else "proposals.nav_public")),
        st.Page(cleanups.numbers, title=t("cleanups.nav_numbers"), icon=":material/bar_chart:",
                url_path=routes.CLEANUP_NUMBERS),
        st.Page(downloads.render, title=t("downloads.nav"), icon=":material/download:", url_path=routes.DOWNLOADS),
        st.Page(assistant.render, title=t("assistant.page.nav"), icon=":material/chat:", url_path=routes.ASSISTANT),
        st.Page(pledge.render, title=t("pledge.nav"), icon=":material/draw:", url_path=routes.PLEDGE),
        st.Page(meetings.render, title=t("meetings.nav"), icon=":material/forum:", url_path=routes.MEETINGS),
        # Reached by links and QR codes, not from the menu: one proposal (?id=), one sign-up (?code=).
        st.Page(proposal.render, title=t("proposals.title"), icon=":material/description:",
                url_path=routes.PROPOSAL, visibility="hidden"),
        st.Page(cleanups.signup, title=t("cleanups.signup_title"), icon=":material/confirmation_number:",
                url_path=routes.SIGNUP, visibility="hidden"),
    ]
    if user is None:
        portal.append(st.Page(signin.render, title=t("signin.nav_signin"), icon=":material/login:",
                              url_path=routes.SIGN_IN))
        return {"": portal + elsewhere(user, portal)}
    if must_change(user):  # a one-time password: nothing but the change form until it is changed
        return {"": [st.Page(signin.account, title=t("signin.nav_account"), icon=":material/key:",
                             url_path=routes.ACCOUNT, default=True)]}
    work = []
    if permissions.role_of(user) == "deputy":
        work.append(st.Page(proposals.home, title=t("proposals.nav_home"), icon=":material/assignment_ind:",
                            url_path=routes.MY_PROPOSALS))
    work += [st.Page(screen, title=t(title), icon=f":material/{icon}:", url_path=path)
             for permission, screen, title, icon, path in WORK if permissions.can(user, permission)]
    account = [st.Page(signin.account, title=t("signin.nav_account"), icon=":material/person:", url_path=routes.ACCOUNT)]
    if permissions.can(user, "users.manage"):
        account.append(st.Page(accounts.render, title=t("accounts.nav"), icon=":material/group:",
                               url_path=routes.ACCOUNTS))
    if permissions.can(user, "routing.edit"):
        account.append(st.Page(settings_page.render, title=t("settings.nav"), icon=":material/tune:",
                               url_path=routes.SETTINGS))
    hidden = elsewhere(user, portal + work + account)
    return {"": portal + hidden, **({t("nav.work"): work} if work else {}), t("signin.section"): account}


# Expanded: staff have more pages than Streamlit shows before folding the rest under "View more".
# Anything a page does not catch is shown calmly by ui.outcome.on_script_error (server.py).
st.navigation(pages_for(user), expanded=True).run()
