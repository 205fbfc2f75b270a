"""Face-to-face days as other pages show them: the commitments past due (dashboard) and the opinions
attached to a proposal as evidence (the proposal's page). Plain text: villagers typed them."""
from __future__ import annotations

import streamlit as st

from qingxi import meetings as mt
from ui import engine, routes, t
from ui.text import plain


def overdue_commitments(user) -> None:
    late = mt.overdue(engine(), user)
    st.subheader(t("meetings.overdue_title"))
    if not late:
        st.caption(t("meetings.none_overdue"))
        return
    st.dataframe([{t("meetings.due_on"): o.due_on, t("meetings.unit"): o.unit, t("meetings.topic"): o.topic,
                   t("meetings.opinion_col"): o.opinion} for o in late], hide_index=True, width="stretch")
    routes.link(routes.MEETINGS_DESK, t("meetings.nav_desk"), ":material/record_voice_over:")


def proposal_opinions(proposal_id: int) -> None:
    said = opinions_of(proposal_id)
    if not said:
        return
    st.subheader(t("meetings.proposal_evidence"))
    for text in said:
        st.text(text)


def deputy_panel(user) -> None:
    """A deputy's villages: the pledge coverage and the face-to-face opinions from them."""
    from qingxi import pledge
    from ui import pledge as pledge_ui

    villages, said = mt.deputy_home(engine(), user)
    if not villages:
        return
    st.subheader(t("meetings.deputy_villages", names=plain("、".join(name for _, name in villages))))
    pledge_ui.chart(pledge.village_coverage(engine(), {code for code, _ in villages}))
    if not said:
        st.caption(t("meetings.no_village_opinions"))
    for o in said:
        with st.container(border=True):
            state = t(f"meetings.status.{o.status}") if o.status else (
                t(f"meetings.kinds.{o.kind}") if o.kind else t("meetings.no_response"))
            st.caption(f"{plain(o.village)} · {state}")
            st.text(f"{o.topic}\n{o.text}")


def opinions_of(proposal_id: int) -> list[str]:
    """The opinions attached to a proposal, for its dossier."""
    return mt.proposal_opinions(engine(), proposal_id)
