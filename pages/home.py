"""Home: what the portal is for, the river's facts, live counts."""
import streamlit as st

from qingxi.reports import public
from ui import pledge, read_session, routes, t


def render() -> None:
    st.title(t("home.title"))
    st.markdown(t("home.intro"))
    with read_session() as s:
        counts = public.counts(s)
    cols = st.columns(4)
    cols[0].metric(t("home.count_open"), counts["open"])
    cols[1].metric(t("home.count_fixed_month"), counts["fixed_month"])
    cols[2].metric(t("home.count_reach"), t("home.km_value", km=counts["reach_km"]))
    cols[3].metric(t("home.count_riverside"), t("home.riverside_value", n=counts["riverside"], total=counts["villages"]))
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
