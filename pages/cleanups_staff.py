"""Clean-up days for staff: planning (the events by state and their actions, the create / edit form,
where to clean) and one day's page (check-in, roster, walk-ins, results, reports cleaned).
Permissions are checked here for the screen and again by every service."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import streamlit as st

from qingxi import cleanups as cu
from qingxi.core import clock, permissions, places
from qingxi.core.settings import current as settings
from ui import current_user, engine, labels, layers, outcome, params, routes, session, t, upload
from ui.cleanups import act, meeting, seats, section, section_map, when
from ui.text import plain

GROUP_ROWS = 3
PLAN, DAY = "cleanup_plan", "cleanup_day"  # where each page shows how its last action went


# ---------------------------------------------------------------- planning

def plan() -> None:
    user = current_user()
    if not permissions.can(user, "cleanup.plan"):
        st.error(t("access.staff_only"))
        return
    st.title(t("cleanups.plan_title"))
    outcome.show(PLAN)
    editing = st.session_state.get("cu_edit")
    if editing is not None:
        ev = cu.event(engine(), user, editing)
        if ev is not None and ev.state in ("draft", *cu.OPEN_FOR_SIGNUP):
            _plan_form(user, ev)
    listing, new, where = st.tabs([t("cleanups.tab_events"), t("cleanups.tab_new"), t("cleanups.tab_where")])
    with listing:
        _events(user)
    with new:
        _plan_form(user, None)
    with where:
        _where(user)


def _events(user) -> None:
    every = cu.events(engine(), user)
    if not every:
        st.info(t("cleanups.none_planned"))
    for state in cu.STATES:
        chosen = [e for e in every if e.state == state]
        if not chosen:
            continue
        st.subheader(f"{t(f'cleanups.state.{state}')} ({len(chosen)})")
        for ev in chosen:
            _row(user, ev)


def _row(user, ev: cu.Event) -> None:
    with st.container(border=True):
        st.markdown(f"**#{ev.id} {plain(ev.title)}**")
        st.caption(f"{when(ev)} · {meeting(ev)} · {section(ev)} · {seats(ev)}")
        cols = st.columns(4)
        button = lambda i, label, action: cols[i % 4].button(  # noqa: E731
            label, key=f"{action.__name__}{ev.id}", on_click=act, args=(PLAN, t("cleanups.done"), action, user, ev.id))
        if ev.state in ("draft", *cu.OPEN_FOR_SIGNUP):
            cols[0].button(t("cleanups.edit"), key=f"edit{ev.id}", on_click=st.session_state.__setitem__,
                           args=("cu_edit", ev.id))
        if ev.state == "draft":
            button(1, t("cleanups.publish"), cu.publish)
        if ev.state in cu.OPEN_FOR_SIGNUP:
            button(1, t("cleanups.close"), cu.close_registration)
        if ev.state in (*cu.OPEN_FOR_SIGNUP, "closed"):
            button(2, t("cleanups.mark_done"), cu.mark_done)
        if ev.state == "done":
            button(2, t("cleanups.publish_results"), cu.publish_results)
        if ev.state not in ("draft", "cancelled"):
            with cols[3]:
                routes.link(routes.CLEANUP_DAY, t("cleanups.day_link"), ":material/fact_check:", id=ev.id)
        if ev.state in ("draft", *cu.OPEN_FOR_SIGNUP, "closed"):
            with st.expander(t("cleanups.cancel_event")):
                with st.form(f"cancel{ev.id}"):
                    message = st.text_area(t("cleanups.cancel_message"), max_chars=cu.MAX_MESSAGE, key=f"cmsg{ev.id}")
                    if st.form_submit_button(t("cleanups.cancel_event")):
                        act(PLAN, t("cleanups.done"), cu.cancel, user, ev.id, message)
                        st.rerun()


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, settings().timezone)


def _plan_form(user, ev: cu.Event | None) -> None:
    """Create a draft (ev None) or change one; the domain says what is wrong."""
    k = f"p{ev.id if ev else 'new'}"
    tz = settings().timezone
    start = ev.starts_at.astimezone(tz) if ev else None
    end = ev.ends_at.astimezone(tz) if ev else None
    with session() as s:
        villages = dict(places.villages(s))
    village_code = next((c for c, n in villages.items() if ev and n == ev.meeting_village), None)
    if ev:
        st.subheader(t("cleanups.editing", id=ev.id, title=plain(ev.title)))
    with st.form(f"plan_{k}"):
        title = st.text_input(t("cleanups.f_title"), value=ev.title if ev else "", max_chars=120, key=f"{k}_title")
        c1, c2, c3 = st.columns(3)
        day = c1.date_input(t("cleanups.f_date"), value=start.date() if start else date.today() + timedelta(days=7),
                            key=f"{k}_date", format="YYYY-MM-DD")
        t_start = c2.time_input(t("cleanups.f_start"), value=start.time() if start else time(8), key=f"{k}_start")
        t_end = c3.time_input(t("cleanups.f_end"), value=end.time() if end else time(11), key=f"{k}_end")
        how = st.radio(t("cleanups.f_meeting"), ["village", "km"], horizontal=True, key=f"{k}_how",
                       index=0 if (ev is None or ev.meeting_village) else 1, format_func=labels("cleanups.meet"))
        c1, c2 = st.columns(2)
        village = c1.selectbox(t("cleanups.village"), list(villages), format_func=villages.get, key=f"{k}_village",
                               index=list(villages).index(village_code) if village_code in villages else None,
                               placeholder=t("pick.one"))
        meet_km = c2.number_input(t("cleanups.f_meeting_km"), value=float(ev.meeting_km or 0.0) if ev else 0.0,
                                  step=0.1, format="%.1f", key=f"{k}_mkm")
        c1, c2, c3 = st.columns(3)
        km_from = c1.number_input(t("cleanups.f_km_from"), value=ev.km_from if ev else 0.0, step=0.1, format="%.2f",
                                  key=f"{k}_from")
        km_to = c2.number_input(t("cleanups.f_km_to"), value=ev.km_to if ev else 0.5, step=0.1, format="%.2f",
                                key=f"{k}_to")
        capacity = c3.number_input(t("cleanups.f_capacity"), value=ev.capacity if ev else 30, step=1, key=f"{k}_cap")
        st.caption(t("cleanups.f_reserved"))
        current = [(g.name, g.seats) for g in ev.groups] if ev else []
        reserved = {}
        for i in range(max(GROUP_ROWS, len(current))):
            name0, seats0 = current[i] if i < len(current) else ("", 0)
            g1, g2 = st.columns([2, 1])
            name = g1.text_input(t("cleanups.f_group"), value=name0, key=f"{k}_g{i}",
                                 placeholder=cu.SUGGESTED_GROUPS[i % len(cu.SUGGESTED_GROUPS)])
            n = g2.number_input(t("cleanups.f_group_seats"), value=seats0, step=1, key=f"{k}_gs{i}")
            if name.strip() or n:
                reserved[name] = int(n)
        equipment = st.text_area(t("cleanups.f_equipment"), value="\n".join(ev.equipment) if ev else "",
                                 key=f"{k}_equip")
        c1, c2 = st.columns(2)
        leader = c1.text_input(t("cleanups.f_leader"), value=ev.leader_name if ev else "", key=f"{k}_leader")
        contact = c2.text_input(t("cleanups.f_contact"), value=(ev.leader_contact or "") if ev else "",
                                key=f"{k}_contact")
        notes = st.text_area(t("cleanups.f_notes"), value=ev.notes if ev else "", key=f"{k}_notes")
        if not st.form_submit_button(t("cleanups.save" if ev else "cleanups.create"), type="primary"):
            return
    plan_ = cu.Plan(title=title, starts_at=_local(day, t_start), ends_at=_local(day, t_end), km_from=km_from,
                    km_to=km_to, capacity=int(capacity), meeting_village_code=village if how == "village" else None,
                    meeting_km=meet_km if how == "km" else None, reserved=reserved,
                    equipment=[line for line in equipment.splitlines() if line.strip()], leader_name=leader,
                    leader_contact=contact, notes=notes)
    saved = outcome.attempt(lambda: cu.update(engine(), user, ev.id, plan_) if ev else cu.create(engine(), user, plan_),
                            t("cleanups.saved"), denied="triage.denied")
    if not saved.ok:
        outcome.say(saved)
        return
    if ev:
        st.session_state.pop("cu_edit", None)
    else:
        st.session_state["cu_edit"] = saved.value
    outcome.keep(PLAN, saved)
    st.rerun()


def _where(user) -> None:
    """The 500 m sections ranked by open litter; one button each makes a draft with its reports."""
    st.caption(t("cleanups.where_intro"))
    ranked = cu.sections(engine(), user, limit=20)
    if not ranked:
        st.info(t("cleanups.where_none"))
        return
    st.dataframe({t("cleanups.section_col"): [f"{s.km_from:.1f}–{s.km_to:.1f}" for s in ranked],
                  t("cleanups.score"): [s.score for s in ranked], t("cleanups.reports"): [s.reports for s in ranked],
                  t("cleanups.supporters"): [s.supporters for s in ranked],
                  t("cleanups.categories"): [t("cleanups.list_sep").join(f"{t(f'category.{c}')} {n}"
                                                                       for c, n in s.by_category.items())
                                           for s in ranked]}, hide_index=True)
    with session() as s:
        river = layers.river(s)
    columns = layers.score_layer([{"lon": x.lon, "lat": x.lat, "score": x.score,
                                   "tip": f"{x.km_from:.1f}–{x.km_to:.1f} km · {x.score:g}"} for x in ranked])
    view = layers.VIEW
    st.pydeck_chart(layers.deck([river, columns], tile_url=settings().tile_url,
                                view=type(view)(longitude=view.longitude, latitude=view.latitude, zoom=view.zoom,
                                                pitch=40)), height=380, key="where_map")
    for x in ranked:
        st.button(t("cleanups.draft_from", km_from=f"{x.km_from:.1f}", km_to=f"{x.km_to:.1f}", n=x.reports),
                  key=f"draft{x.index}", icon=":material/add_task:", on_click=_draft, args=(user, x.index))


def _draft(user, index: int) -> None:
    drafted = act(PLAN, t("cleanups.drafted"), cu.draft_from_section, user, index)
    if drafted.ok:
        st.session_state["cu_edit"] = drafted.value  # opens at the top of the page


# ---------------------------------------------------------------- the day

def day() -> None:
    user = current_user()
    if not permissions.can(user, "cleanup.checkin"):
        st.error(t("access.staff_only"))
        return
    st.title(t("cleanups.day_title"))
    outcome.show(DAY)
    every = {e.id: e for e in cu.events(engine(), user) if e.state not in ("draft", "cancelled")}
    chosen = params.id_param()
    options = list(every)
    picked = st.selectbox(t("cleanups.pick_event"), options, format_func=lambda i: f"#{i} {every[i].title}",
                          index=options.index(chosen) if chosen in every else None, key="day_event",
                          placeholder=t("pick.one"))
    if picked is None:
        st.info(t("cleanups.pick_event_hint"))
        return
    st.query_params["id"] = str(picked)
    ev = every[picked]
    st.caption(f"{t(f'cleanups.state.{ev.state}')} · {when(ev)} · {meeting(ev)} · {section(ev)}")
    st.markdown(t("cleanups.day_counts", checked=ev.checked_in, taken=ev.seats_taken, walk_ins=ev.walk_ins,
                  waiting=ev.waitlisted))
    _check_in(user, ev)
    _roster(user, ev)
    if ev.state in (*cu.OPEN_FOR_SIGNUP, "closed", "done"):
        _walk_in(user, ev)
    if ev.state in (*cu.OPEN_FOR_SIGNUP, "closed") and ev.starts_at <= clock.now():
        rest = st.checkbox(t("cleanups.no_show_rest"), key="no_show_rest")
        st.button(t("cleanups.mark_done"), key="day_done", type="primary", on_click=act,
                  args=(DAY, t("cleanups.done"), cu.mark_done, user, ev.id), kwargs={"no_show_rest": rest})
    if ev.state in cu.FINISHED:
        _results(user, ev)
        _cleaned(user, ev)
    with st.expander(t("cleanups.map")):
        section_map(ev, key=f"day_map{ev.id}", height=220)


def _check_in(user, ev: cu.Event) -> None:
    with st.form("check_in", clear_on_submit=True):
        code = st.text_input(t("cleanups.checkin_code"), key="checkin_code", help=t("cleanups.checkin_help"))
        if st.form_submit_button(t("cleanups.checkin"), type="primary", icon=":material/how_to_reg:"):
            outcome.say(outcome.attempt(lambda: cu.check_in(engine(), user, ev.id, code),
                                        lambda got: t("cleanups.checked", name=plain(got.name), seats=got.seats),
                                        denied="triage.denied"))


def _roster(user, ev: cu.Event) -> None:
    st.subheader(t("cleanups.roster"))
    if not permissions.can(user, "cleanup.roster"):
        return
    rows = cu.roster(engine(), user, ev.id)
    # built when pressed: the rows above are already read for the page
    st.download_button(t("cleanups.roster_csv"), lambda: cu.roster_csv(engine(), user, ev.id),
                       file_name=f"cleanup-{ev.id}-roster.csv", mime="text/csv", icon=":material/download:",
                       key="roster_csv", on_click="ignore")
    started = ev.starts_at <= clock.now()
    for r in rows:
        line, mark = st.columns([3, 2])
        status = t(f"cleanups.status.{r.status}") + (f" {r.position}" if r.position else "")
        line.markdown(f"`{r.code}` {plain(r.name)} · {plain(r.phone or '—')} · {plain(r.village or '—')} · {r.seats} · {status}"
                      + (f" · {plain(r.group)}" if r.group else "") + (f" · {t('cleanups.walk_in')}" if r.walk_in else ""))
        if r.status == "seated" and started:
            mark.segmented_control(t("cleanups.attendance_label"), cu.ATTENDANCE, default=r.attendance,
                                   key=f"att{r.id}", format_func=labels("cleanups.attendance"),
                                   label_visibility="collapsed", on_change=_attendance, args=(user, r.id))


def _attendance(user, signup_id: int) -> None:
    chosen = st.session_state.get(f"att{signup_id}") or "unknown"
    act(DAY, t("cleanups.done"), cu.set_attendance, user, signup_id, chosen)


def _walk_in(user, ev: cu.Event) -> None:
    with st.expander(t("cleanups.walk_in_title")):
        with st.form("walk_in", clear_on_submit=True):
            name = st.text_input(t("cleanups.name"), key="wi_name")
            phone = st.text_input(t("cleanups.phone"), key="wi_phone", placeholder=t("cleanups.optional"))
            companions = st.number_input(t("cleanups.companions"), min_value=0, value=0, step=1, key="wi_comp")
            if st.form_submit_button(t("cleanups.walk_in_add")):
                act(DAY, t("cleanups.done"), cu.walk_in, user, ev.id, name, phone, None, int(companions))
                st.rerun()


def _results(user, ev: cu.Event) -> None:
    st.subheader(t("cleanups.results"))
    r = ev.results
    with st.form("results"):
        c1, c2, c3 = st.columns(3)
        participants = c1.number_input(t("cleanups.participants"), value=r.participants if r else ev.checked_in,
                                       step=1, key="r_people")
        hours = c2.number_input(t("cleanups.hours"), value=float(r.hours) if r else 0.0, step=0.5, key="r_hours")
        bags = c3.number_input(t("cleanups.bags"), value=r.bags if r else 0, step=1, key="r_bags")
        c1, c2 = st.columns(2)
        kg = c1.number_input(t("cleanups.kg"), value=float(r.kg) if r else 0.0, step=0.5, key="r_kg")
        km = c2.number_input(t("cleanups.km_covered"), value=float(r.km_covered) if r else 0.0, step=0.1,
                             key="r_km")
        st.caption(t("cleanups.items"))
        cols = st.columns(2)
        items = {i: cols[n % 2].number_input(t(f"cleanups.item.{i}"), value=(r.items.get(i, 0) if r else 0), step=1,
                                             key=f"r_item_{i}") for n, i in enumerate(cu.ITEM_TYPES)}
        kinds = ["jpg", "jpeg", "png", "webp", "heic", "heif"]
        before = upload.files(t("cleanups.before"), kinds, key="r_before", multiple=True)
        after = upload.files(t("cleanups.after"), kinds, key="r_after", multiple=True)
        if st.form_submit_button(t("cleanups.save_results"), type="primary"):
            results = cu.Results(int(participants), float(hours), int(bags), float(kg), float(km),
                                 {i: int(n) for i, n in items.items() if n})
            act(DAY, t("cleanups.saved"), cu.record_results, user, ev.id, results,
                [f.getvalue() for f in before or []], [f.getvalue() for f in after or []])
            st.rerun()
    if ev.state == "done" and ev.results:
        st.button(t("cleanups.publish_results"), key="publish_results", on_click=act,
                  args=(DAY, t("cleanups.done"), cu.publish_results, user, ev.id))


def _cleaned(user, ev: cu.Event) -> None:
    st.subheader(t("cleanups.attached"))
    if not ev.reports:
        st.caption(t("cleanups.no_attached"))
        return
    for r in ev.reports:
        mark = t("cleanups.cleaned_mark") if r.cleaned_by_volunteers else t(f"state.{r.state}")
        km = "—" if r.river_km is None else f"{r.river_km:.2f} km"
        st.markdown(f"#{r.id} · {t(f'category.{r.category}')} · {km} · {mark}")
    left = {r.id: f"#{r.id} {t(f'category.{r.category}')}" for r in ev.reports if not r.cleaned_by_volunteers}
    if left:
        with st.form("cleaned"):
            ids = st.multiselect(t("cleanups.cleaned_pick"), list(left), format_func=left.get, key="cleaned_ids",
                                 placeholder=t("pick.many"), select_all=False)
            if st.form_submit_button(t("cleanups.cleaned_save")):
                act(DAY, t("cleanups.done"), cu.mark_cleaned, user, ev.id, ids)
                st.rerun()
