"""Face-to-face days (联络站接待日): the public page (the days, registering with an opinion, and after
a day its minutes, ?id=) and the staff desk (schedule, publish, registrations, opinions raised on the
day, responses, an opinion to a report or a proposal, commitments past due). qingxi.meetings
decides; these functions only show it. What villagers typed is shown as plain text."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import streamlit as st

from qingxi import meetings as mt
from qingxi.accounts import units
from qingxi.core import clock, limits, permissions, places
from qingxi.core.settings import current as settings
from qingxi.reports.states import CATEGORIES
from ui import current_user, engine, labels, outcome, params, routes, session, t, text, upload
from ui.text import plain


def _villages() -> dict[str, str]:
    with session() as s:
        return dict(places.villages(s))


# ---------------------------------------------------------------- the public page

def render() -> None:
    if params.show_named(_minutes, t("meetings.error.not_found")):
        return
    st.title(t("meetings.title"))
    st.caption(t("meetings.intro"))
    outcome.show("meetings_public")
    now = clock.now()
    found = mt.days(engine())
    upcoming = [d for d in found if d.starts_at > now]
    if not upcoming:
        st.info(t("meetings.none_upcoming"))
    for day in reversed(upcoming):
        _card(day)
    past = [d for d in found if d.starts_at <= now]
    if past:
        st.subheader(t("meetings.past"))
        for day in past:
            routes.link(routes.MEETINGS, f"{text.when(day.starts_at)[:10]} · {plain(day.topic)}",
                        ":material/history_edu:", id=day.id)


def _facts(day: mt.Day) -> None:
    st.markdown(f":material/event: **{text.when(day.starts_at)}**")
    st.text(f"{t('meetings.place')}: {day.place}")
    st.text(f"{t('meetings.invited')}:\n{day.invited}")


def _card(day: mt.Day) -> None:
    with st.container(border=True):
        st.markdown(f"**{t('meetings.topic')}**")
        st.text(day.topic)
        _facts(day)
        st.markdown(t("meetings.seats_left", n=day.seats_left, capacity=day.capacity))
        if st.session_state.get(f"meeting_registered{day.id}"):
            st.success(t("meetings.registered"))
        elif day.seats_left > 0:
            _form(day)


def _form(day: mt.Day) -> None:
    villages = _villages()
    with st.expander(t("meetings.register"), icon=":material/how_to_reg:"):
        with st.form(f"meeting_form{day.id}"):
            name = st.text_input(t("meetings.name"), max_chars=places.MAX_NAME, key=f"mr_name{day.id}")
            phone = st.text_input(t("meetings.phone"), key=f"mr_phone{day.id}")
            village = st.selectbox(t("meetings.village"), list(villages), index=None, format_func=villages.get,
                                   key=f"mr_village{day.id}", placeholder=t("meetings.optional"))
            opinion = st.text_area(t("meetings.opinion"), max_chars=2000, key=f"mr_opinion{day.id}")
            photo = upload.files(t("meetings.photo"), ("jpg", "jpeg", "png", "heic", "webp"),
                                 key=f"mr_photo{day.id}")
            code = st.text_input(t("meetings.report_code"), max_chars=12, key=f"mr_code{day.id}",
                                 placeholder=t("meetings.optional"))
            st.caption(t("meetings.private_note"))
            if st.form_submit_button(t("meetings.send"), type="primary", width="stretch"):
                data = photo.getvalue() if photo else None
                who = limits.Person(address=getattr(st.context, "ip_address", None))
                result = outcome.attempt(lambda: mt.register(engine(), day.id, name, phone, village, opinion, data,
                                                             code, who=who))
                if not result.ok:
                    outcome.say(result)
                    return
                st.session_state[f"meeting_registered{day.id}"] = True
                st.rerun()


def _minutes(meeting_id: int) -> None:
    found = outcome.attempt(lambda: mt.minutes(engine(), meeting_id))
    if not found.ok:
        st.title(t("meetings.minutes"))
        outcome.say(found)
        return
    m: mt.Minutes = found.value
    st.title(t("meetings.minutes"))
    st.text(m.topic)
    st.markdown(f":material/event: **{text.when(m.starts_at)}**")
    st.text(f"{t('meetings.place')}: {m.place}\n{t('meetings.invited')}:\n{m.invited}")
    if not m.lines:
        st.info(t("meetings.no_opinions"))
    for n, line in enumerate(m.lines, start=1):
        _line(n, line)


def _line(n: int, line: mt.Line) -> None:
    with st.container(border=True):
        st.markdown(f"**{t('meetings.opinion_n', n=n)}**" + (f" · {plain(line.village)}" if line.village else ""))
        st.text(line.text)
        if line.photos:
            st.image([str(settings().photo_dir / name) for name in line.photos], width=160)
        if line.made_report:
            st.caption(t("meetings.became_report"))
        if line.proposal_id:
            routes.link(routes.PROPOSAL, t("meetings.in_proposal"), ":material/description:", id=line.proposal_id)
        if line.kind is None:
            st.caption(t("meetings.no_response"))
            return
        who = plain(line.official) if line.official else t("meetings.official")
        st.markdown(f"**{t(f'meetings.kinds.{line.kind}')}** ({who})")
        st.text(line.response)
        if line.kind == "commitment":
            mark = {"done": ":green", "due": ":blue", "late": ":red"}[line.status]
            st.markdown(f"{mark}[{t(f'meetings.status.{line.status}')}] · {t('meetings.due', day=line.due_on)}")
            st.text(f"{t('meetings.unit')}: {line.unit}")


# ---------------------------------------------------------------- the staff desk

def desk() -> None:
    user = current_user()
    if not permissions.can(user, "meeting.manage"):
        st.error(t("meetings.staff_only"))
        return
    st.title(t("meetings.desk_title"))
    outcome.show("meetings")
    _overdue(user)
    _schedule(user)
    found = mt.days(engine(), user)
    if not found:
        return
    names = {d.id: f"{text.when(d.starts_at)[:10]} · {d.topic} · {t(f'meetings.state.{d.state}')}" for d in found}
    chosen = st.selectbox(t("meetings.choose_day"), list(names), format_func=names.get, key="md_day")
    day = next(d for d in found if d.id == chosen)
    if day.state == "draft" and st.button(t("meetings.publish"), key="md_publish", type="primary"):
        outcome.act("meetings", lambda: mt.publish(engine(), user, day.id), t("meetings.published"))
        st.rerun()
    regs = mt.registrations(engine(), user, day.id)
    st.markdown(t("meetings.seats_left", n=day.seats_left, capacity=day.capacity))
    if regs:
        st.dataframe([{t("meetings.name"): r.name, t("meetings.phone"): r.phone, t("meetings.when"): text.when(r.created_at)}
                      for r in regs], hide_index=True, width="stretch")
    _on_day(user, day)
    for line in mt.staff_lines(engine(), user, day.id):
        _staff_line(user, line)


def _overdue(user) -> None:
    late = mt.overdue(engine(), user)
    if late:
        st.error(t("meetings.overdue", n=len(late)))
        for o in late:
            st.text(f"{o.due_on} · {o.unit} · {o.opinion[:60]}")


def _schedule(user) -> None:
    with st.expander(t("meetings.schedule"), icon=":material/event_note:"):
        with st.form("meeting_schedule"):
            day = st.date_input(t("meetings.date"), value=date.today() + timedelta(days=7), key="ms_date")
            at = st.time_input(t("meetings.time"), value=time(9, 0), key="ms_time")
            place = st.text_input(t("meetings.place"), value=t("meetings.default_place"), key="ms_place")
            topic = st.text_input(t("meetings.topic"), key="ms_topic")
            invited = st.text_area(t("meetings.invited_help"), key="ms_invited")
            capacity = st.number_input(t("meetings.capacity"), min_value=1, max_value=mt.MAX_CAPACITY, value=30,
                                       key="ms_capacity")
            if st.form_submit_button(t("meetings.save_day"), type="primary"):
                starts = datetime.combine(day, at, settings().timezone)
                outcome.act("meetings", lambda: mt.schedule(engine(), user, starts, place, topic, invited, int(capacity)),
                            t("meetings.scheduled"))
                st.rerun()


def _on_day(user, day: mt.Day) -> None:
    with st.form("meeting_on_day", clear_on_submit=True):
        said = st.text_area(t("meetings.on_day"), key="mo_text")
        if st.form_submit_button(t("meetings.add_opinion")):
            outcome.act("meetings", lambda: mt.record_opinion(engine(), user, day.id, said), t("meetings.opinion_saved"))
            st.rerun()


def _staff_line(user, line: mt.Line) -> None:
    with st.container(border=True):
        st.markdown(f"**#{line.opinion_id}** · {t(f'meetings.source.{line.source}')}")
        st.text(line.text)
        if line.photos:
            st.image([str(settings().photo_dir / name) for name in line.photos], width=160)
        if line.has_report:
            st.caption(t("meetings.has_report"))
        if line.kind:
            st.markdown(f"**{t(f'meetings.kinds.{line.kind}')}**")
            st.text(line.response)
            if line.kind == "commitment":
                st.caption(f"{plain(line.unit)} · {t('meetings.due', day=line.due_on)} · {t(f'meetings.status.{line.status}')}")
                if line.status != "done" and st.button(t("meetings.mark_done"), key=f"mdone{line.opinion_id}"):
                    outcome.act("meetings", lambda: mt.commitment_done(engine(), user, line.opinion_id),
                                t("meetings.done_saved"))
                    st.rerun()
        else:
            _respond(user, line)
        _follow_up(user, line)


def _respond(user, line: mt.Line) -> None:
    with session() as s:
        choices = units(s)
    with st.form(f"respond{line.opinion_id}"):
        kind = st.radio(t("meetings.kind"), mt.KINDS, format_func=labels("meetings.kinds"), horizontal=True,
                        key=f"mk{line.opinion_id}")
        said = st.text_area(t("meetings.response"), key=f"mt{line.opinion_id}")
        official = st.text_input(t("meetings.official_title"), key=f"mo{line.opinion_id}")
        unit = st.selectbox(t("meetings.unit"), list(choices), index=None, format_func=choices.get,
                            key=f"mu{line.opinion_id}", placeholder=t("meetings.commitment_only"))
        due = st.date_input(t("meetings.due_on"), value=None, key=f"mdue{line.opinion_id}")
        if st.form_submit_button(t("meetings.save_response")):
            outcome.act("meetings", lambda: mt.respond(engine(), user, line.opinion_id, kind, said, official, unit, due),
                        t("meetings.response_saved"))
            st.rerun()


def _follow_up(user, line: mt.Line) -> None:
    left, right = st.columns(2)
    with left:
        if line.made_report:
            st.caption(t("meetings.became_report"))
        else:
            villages = _villages()
            category = st.selectbox(t("meetings.category"), CATEGORIES, format_func=labels("category"),
                                    key=f"mc{line.opinion_id}")
            village = st.selectbox(t("meetings.village"), list(villages), format_func=villages.get,
                                   key=f"mv{line.opinion_id}")
            if st.button(t("meetings.to_report"), key=f"mrep{line.opinion_id}"):
                outcome.act("meetings", lambda: mt.to_report(engine(), user, line.opinion_id, category, village),
                            lambda code: t("meetings.report_made", code=code))
                st.rerun()
    with right:
        _attach(user, line)


def _attach(user, line: mt.Line) -> None:
    """Pick the proposal by its number and title: a search narrows the few offered (never the whole
    register), the select filters them further as one types."""
    search = st.text_input(t("meetings.proposal_search"), key=f"mps{line.opinion_id}",
                           placeholder=t("meetings.proposal_search_hint"))
    found = {p.id: f"{p.number} · {p.title}"
             for p in mt.proposal_choices(engine(), user, search, keep=line.proposal_id)}
    if not found:
        st.caption(t("meetings.no_proposal_found"))
        return
    proposal = st.selectbox(t("meetings.proposal"), list(found), format_func=found.get, key=f"mp{line.opinion_id}",
                            index=list(found).index(line.proposal_id) if line.proposal_id in found else None,
                            placeholder=t("meetings.proposal_choose"))
    if st.button(t("meetings.attach"), key=f"mattach{line.opinion_id}", disabled=proposal is None):
        outcome.act("meetings", lambda: mt.attach_to_proposal(engine(), user, line.opinion_id, proposal),
                    t("meetings.attached"))
        st.rerun()
