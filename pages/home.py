"""Home: first what a visitor came to do (report, check progress, join a clean-up) as large buttons,
then the live counts, then what the portal is for and the river's facts."""
import streamlit as st

from qingxi.reports import public
from ui import pledge, read_session, routes, t

# The three actions, one tap each: a big primary-coloured link (a real link, so it works before the
# script has run and can be opened in a new tab).
ACTIONS = ((routes.REPORT, "home.action_report", ":material/add_a_photo:"),
           (routes.TRACK, "home.action_track", ":material/search:"),
           (routes.CLEANUPS, "home.action_cleanup", ":material/volunteer_activism:"))
_BIG = """<style>
.st-key-qx_home_actions [data-testid=stPageLink] a {
  min-height: 56px; justify-content: center; border-radius: 0.75rem; padding: 0.5rem 1rem;
  background: var(--st-primary-color, #ff4b4b); }
.st-key-qx_home_actions [data-testid=stPageLink] a, .st-key-qx_home_actions [data-testid=stPageLink] a * {
  color: #fff; font-size: 1.15rem; font-weight: 600; }
</style>"""


def render() -> None:
    st.title(t("home.title"))
    with st.container(key="qx_home_actions"):
        st.html(_BIG)
        for column, (path, label, icon) in zip(st.columns(len(ACTIONS)), ACTIONS):
            with column:
                routes.link(path, t(label), icon, width="stretch")
    with read_session() as s:
        counts = public.counts(s)
    cols = st.columns(4)
    cols[0].metric(t("home.count_open"), counts["open"])
    cols[1].metric(t("home.count_fixed_month"), counts["fixed_month"])
    cols[2].metric(t("home.count_reach"), t("home.km_value", km=counts["reach_km"]))
    cols[3].metric(t("home.count_riverside"), t("home.riverside_value", n=counts["riverside"], total=counts["villages"]))
    st.markdown(t("home.intro"))
    routes.link(routes.MAP, t("home.open_map"), ":material/map:")
    routes.link(routes.ASSISTANT, t("assistant.page.ask_link"), ":material/chat:")
    with st.expander(t("pledge.coverage"), expanded=False, icon=":material/draw:"):
        pledge.panel("home_pledge_map")
    routes.link(routes.PLEDGE, t("pledge.nav"), ":material/draw:")
    left, right = st.columns(2)
    with left:
        st.subheader(t("home.who_title"))
        st.markdown(t("home.who"))
    with right:
        st.subheader(t("home.facts_title"))
        st.markdown(t("home.facts"))
    st.caption(t("home.geo_note"))
