"""Face-to-face days as other pages show them: the commitments past due (dashboard) and the opinions
attached to a proposal as evidence (the proposal's page). Plain text: villagers typed them."""
from __future__ import annotations

import streamlit as st

from qingxi import meetings as mt
from ui import engine, routes, t


def overdue_commitments(user) -> None:
    late = mt.overdue(engine(), user)
    st.subheader(t("meetings.overdue_title"))
    if not late:
        st.caption(t("meetings.none_overdue"))
        return
    st.dataframe([{t("meetings.due_on"): o.due_on, t("meetings.unit"): o.unit, t("meetings.topic"): o.topic,
                   t("meetings.opinion"): o.opinion} for o in late], hide_index=True, width="stretch")
    routes.link(routes.MEETINGS_DESK, t("meetings.nav_desk"), ":material/record_voice_over:")


def proposal_opinions(proposal_id: int) -> None:
    said = mt.proposal_opinions(engine(), proposal_id)
    if not said:
        return
    st.subheader(t("meetings.proposal_evidence"))
    for text in said:
        st.text(text)
