"""Deputies' proposals: the public list (published ones, with progress and evaluation; staff see
the whole register and file new proposals) and a deputy's home (their proposals, and alerts for
the overdue ones and the answers awaiting their evaluation)."""
from __future__ import annotations

import streamlit as st

from qingxi import proposals as P
from qingxi.core import permissions
from ui import current_user, engine, labels, lang, meetings, outcome, routes, t
from ui.proposals import link, state_line
from ui.text import plain

AREA = "proposals"  # where the register shows how the last filing went


def register() -> None:
    user = current_user()
    staff = permissions.can(user, "proposal.view_all")
    st.title(t("proposals.register_title") if staff else t("proposals.title"))
    st.caption(t("proposals.register_intro") if staff else t("proposals.public_only"))
    outcome.show(AREA)
    options = P.choices(engine())
    if permissions.can(user, "proposal.file") and staff:
        _file_form(user, options)
    rows = P.register(engine(), user, _filters(options))
    if not rows:
        st.info(t("proposals.none"))
    for row in rows:
        _card(row)


def _filters(o: P.Choices) -> P.RegisterFilter:
    sessions = {s.id: s.name(lang()) for s in o.sessions}
    with st.expander(t("proposals.filters"), icon=":material/filter_list:"):
        left, right = st.columns(2)
        session_id = left.selectbox(t("proposals.session"), list(sessions), index=None, key="pl_session",
                                    format_func=sessions.get, placeholder=t("proposals.any"))
        topic = right.selectbox(t("proposals.topic_name"), P.TOPICS, index=None, key="pl_topic",
                                format_func=labels("proposals.topic"), placeholder=t("proposals.any"))
        state = left.selectbox(t("proposals.state_name"), P.STATES, index=None, key="pl_state",
                               format_func=labels("proposals.state"), placeholder=t("proposals.any"))
        village = right.selectbox(t("proposals.village"), list(o.villages), index=None, key="pl_village",
                                  format_func=o.villages.get, placeholder=t("proposals.any"))
    return P.RegisterFilter(session_id=session_id, topic=topic, state=state, village_id=village)


def _card(row: P.Row, mine: bool = False) -> None:
    with st.container(border=True):
        title = f"{row.number} · {row.title}"
        st.markdown(f":red[**{plain(title)}**]" if row.overdue else f"**{plain(title)}**")
        facts = [t(f"proposals.topic.{row.topic}"), row.session.name(lang()),
                 f'{t("proposals.lead")}: {plain(row.lead_deputy)}']
        if row.answer_class:
            facts.append(t(f"proposals.class.{row.answer_class}"))
        if row.evaluation:
            facts.append(f'{t("proposals.evaluation_name")}: {t(f"proposals.evaluation.{row.evaluation}")}')
        if mine:
            facts.append(t(f"proposals.role.{row.my_role}"))
            if row.last_contact:
                facts.append(t("proposals.last_contact", day=row.last_contact.isoformat()))
        st.caption(" · ".join(facts))
        st.markdown(state_line(row))
        if row.progress is not None:
            st.progress(int(round(row.progress)), text=t("proposals.overall_pct", pct=round(row.progress)))
        link(row, t("proposals.open"))


def _file_form(user, o: P.Choices) -> None:
    sessions = {s.id: s.name(lang()) for s in o.sessions}
    with st.expander(t("proposals.file_new"), icon=":material/note_add:"), st.form("pl_file"):
        number = st.text_input(t("proposals.number_optional"), key="pl_file_number")
        title = st.text_input(t("proposals.list_title"), key="pl_file_title")
        body = st.text_area(t("proposals.text"), key="pl_file_body", height=160)
        left, right = st.columns(2)
        session_id = left.selectbox(t("proposals.session"), list(sessions), index=None, key="pl_file_session",
                                    format_func=sessions.get, placeholder=t("pick.one"))
        topic = right.selectbox(t("proposals.topic_name"), P.TOPICS, key="pl_file_topic", format_func=labels("proposals.topic"))
        lead_id = left.selectbox(t("proposals.lead_account"), list(o.deputies), index=None, key="pl_file_lead",
                                 format_func=o.deputies.get, placeholder=t("pick.one"))
        lead_name = right.text_input(t("proposals.lead_name"), key="pl_file_lead_name")
        co_ids = left.multiselect(t("proposals.cosigner_accounts"), list(o.deputies), key="pl_file_co",
                                  format_func=o.deputies.get, placeholder=t("pick.many"), select_all=False)
        co_names = right.text_input(t("proposals.cosigner_names"), key="pl_file_co_names")
        villages = st.multiselect(t("proposals.villages"), list(o.villages), key="pl_file_villages",
                                  format_func=o.villages.get, placeholder=t("pick.many"), select_all=False)
        km_from = left.number_input(t("proposals.km_from"), min_value=0.0, value=None, step=0.1, key="pl_file_km_from")
        km_to = right.number_input(t("proposals.km_to"), min_value=0.0, value=None, step=0.1, key="pl_file_km_to")
        if st.form_submit_button(t("proposals.file"), type="primary"):
            names = [n.strip() for n in co_names.replace("，", ",").replace("、", ",").split(",") if n.strip()]
            if session_id is None:
                outcome.refuse(AREA, t("proposals.error.bad_session"))
            else:
                outcome.act(AREA, lambda: P.file(
                    engine(), user, title=title, body=body, session_id=session_id, topic=topic,
                    lead_deputy_id=lead_id, lead_deputy_name=None if lead_id else lead_name,
                    cosigners=[*co_ids, *names], village_ids=villages, km_from=km_from, km_to=km_to,
                    number=number or None), lambda pid: t("proposals.filed", id=pid), denied="proposals.denied")
            st.rerun()


def home() -> None:
    user = current_user()
    st.title(t("proposals.home_title"))
    read = outcome.attempt(lambda: P.my_proposals(engine(), user), denied="proposals.denied")
    if not read.ok:
        outcome.say(read)
        return
    mine = read.value
    for alert in mine.alerts:
        box = st.error if alert.kind == "overdue" else st.warning
        values = {"title": plain(alert.title)} | ({"days": alert.days} if alert.kind == "overdue" else {})
        box(t(f"proposals.alert.{alert.kind}", **values), icon=":material/alarm:" if alert.kind == "overdue"
            else ":material/rate_review:")
        routes.link(routes.PROPOSAL, t("proposals.open_alert", number=alert.number), ":material/arrow_forward:",
                    id=alert.proposal_id)
    if not mine.alerts:
        st.success(t("proposals.no_alerts"))
    st.subheader(t("proposals.mine", n=len(mine.rows)))
    if not mine.rows:
        st.info(t("proposals.none_mine"))
    for row in mine.rows:
        _card(row, mine=True)
    meetings.deputy_panel(user)
