"""Volunteer clean-up days for everyone, phones first: the upcoming days and one day's page with its
sign-up form (?id=), a sign-up's own page (?code=) and the clean-up numbers. What to do and who may
do it is decided by qingxi.cleanups; these functions only show it."""
from __future__ import annotations

import streamlit as st

from qingxi import cleanups as cu
from qingxi.core import clock, permissions, places
from qingxi.core.settings import current as settings
from ui import code_form, current_user, engine, lang, outcome, routes, session, t, text
from ui.cleanups import act, meeting, seats, section, section_map, when


def facts(ev: cu.Event) -> None:
    st.markdown(f":material/event: **{when(ev)}**")
    st.markdown(f":material/place: {t('cupage.meeting')}: {meeting(ev)}")
    st.markdown(f":material/straighten: {section(ev)}")
    if ev.equipment:
        st.markdown(f":material/backpack: {t('cupage.equipment')}: {t('cleanup.list_sep').join(ev.equipment)}")


# ---------------------------------------------------------------- the public list and one day

def render() -> None:
    raw = st.query_params.get("id")
    if raw:
        try:
            _event(int(raw))
        except ValueError:
            st.error(t("cleanup.error.not_found"))
        return
    st.title(t("cupage.title"))
    st.caption(t("cupage.intro"))
    every = cu.events(engine(), current_user())
    upcoming = [e for e in every if e.state != "draft" and e.ends_at > clock.now() and e.state not in cu.FINISHED]
    past = [e for e in every if e.state in cu.FINISHED]
    if not upcoming:
        st.info(t("cupage.none_upcoming"))
    for ev in upcoming:
        _card(ev)
    if past:
        st.subheader(t("cupage.past"))
        for ev in reversed(past):
            kg = f" · {ev.results.kg:g} kg" if ev.results and ev.state == "reported" else ""
            routes.link(routes.CLEANUPS, f"{text.when(ev.starts_at)[:10]} · {ev.title}{kg}", ":material/history:",
                        id=ev.id)
    routes.link(routes.CLEANUP_NUMBERS, t("cupage.numbers_link"), ":material/bar_chart:")


def _card(ev: cu.Event) -> None:
    with st.container(border=True):
        st.markdown(f"**{ev.title}**")
        facts(ev)
        mark = {"published": ":green", "full": ":orange"}.get(ev.state, ":gray")
        st.markdown(f"{mark}[**{seats(ev)}**]")
        routes.link(routes.CLEANUPS, t("cupage.open_event"), ":material/how_to_reg:", id=ev.id)


def _event(cleanup_id: int) -> None:
    ev = cu.summary(engine(), cleanup_id)
    if ev is None:
        st.error(t("cleanup.error.not_found"))
        return
    st.title(ev.title)
    st.markdown(f"**{t(f'cleanup.state.{ev.state}')}**")
    if ev.state == "cancelled":
        st.error(t("cupage.event_cancelled", message=ev.cancel_message))
    if receipt := st.session_state.get(f"cleanup_receipt{ev.id}"):
        _receipt(ev, receipt)
    facts(ev)
    if ev.state in cu.OPEN_FOR_SIGNUP:
        st.markdown(f"**{seats(ev)}**")
    if ev.leader_name:
        st.caption(t("cupage.leader", name=ev.leader_name))
    if ev.notes:
        st.text(ev.notes)
    if ev.state in cu.FINISHED:
        _summary(ev)
    elif ev.state in cu.OPEN_FOR_SIGNUP and ev.starts_at > clock.now() and not receipt:
        _form(ev)
    elif ev.state == "closed":
        st.info(t("cleanup.error.closed"))
    elif ev.state in cu.OPEN_FOR_SIGNUP and not receipt:
        st.info(t("cleanup.error.past"))
    section_map(ev, key=f"event_map{ev.id}")  # after the form: on a phone the form comes first


def _form(ev: cu.Event) -> None:
    st.subheader(t("cupage.signup"))
    if ev.state == "full":
        st.warning(t("cupage.full_note", n=ev.waitlisted))
    with session() as s:
        villages = dict(places.villages(s))
    groups = {g.id: g.name for g in ev.groups}
    with st.form(f"signup{ev.id}"):
        name = st.text_input(t("cupage.name"), max_chars=places.MAX_NAME, key="su_name")
        phone = st.text_input(t("cupage.phone"), key="su_phone")
        village = st.selectbox(t("cupage.village"), list(villages), index=None, format_func=villages.get,
                               key="su_village", placeholder=t("cupage.optional"))
        group = st.selectbox(t("cupage.group"), list(groups), index=None, format_func=groups.get, key="su_group",
                             placeholder=t("cupage.no_group")) if groups else None
        companions = st.number_input(t("cupage.companions"), min_value=0, value=0, step=1, key="su_companions")
        st.caption(t("cupage.phone_note"))
        if st.form_submit_button(t("cupage.send"), type="primary", icon=":material/how_to_reg:", width="stretch"):
            receipt = outcome.attempt(lambda: cu.sign_up(engine(), ev.id, name, phone, village, group, int(companions)),
                                      denied="desk.denied")
            if not receipt.ok:
                outcome.say(receipt)
                return
            st.session_state[f"cleanup_receipt{ev.id}"] = receipt.value
            st.rerun()


def _receipt(ev: cu.Event, receipt: cu.Receipt) -> None:
    if receipt.status == "waitlisted":
        st.warning(t("cupage.waitlisted", position=receipt.position))
    else:
        st.success(t("cupage.seated"))
    _code_card(ev, receipt.code)


def _code_card(ev: cu.Event, code: str) -> None:
    """The code big, its QR, the sign-up's page, the .ics file and the copy-ready reminder."""
    st.markdown(t("cupage.code_is"))
    st.markdown(f"<div class='qx-code' style='font-size:3rem;font-weight:700;letter-spacing:.3rem'>{code}</div>",
                unsafe_allow_html=True)
    st.image(cu.signup_qr_png(code), width=200, caption=t("cupage.qr_caption"))
    routes.link(routes.SIGNUP, t("cupage.my_signup"), ":material/confirmation_number:", code=code)
    st.download_button(t("cupage.ics"), cu.calendar_file(ev, lang()), file_name=f"qingxi-cleanup-{ev.id}.ics",
                       mime="text/calendar", icon=":material/calendar_add_on:", key=f"ics{ev.id}")
    st.caption(t("cupage.reminder"))
    st.code(cu.reminder_text(ev, lang(), code), language=None, wrap_lines=True)


def _summary(ev: cu.Event) -> None:
    """The public results: numbers, tallies, photos, reports closed — never a name or phone."""
    st.subheader(t("cupage.results"))
    r = ev.results if ev.state == "reported" else None
    if r is None:
        st.info(t("cupage.results_soon"))
        return
    cols = st.columns(3)
    cols[0].metric(t("cupage.participants"), r.participants)
    cols[1].metric(t("cupage.hours"), f"{r.hours:g}")
    cols[2].metric(t("cupage.bags"), r.bags)
    cols = st.columns(3)
    cols[0].metric(t("cupage.kg"), f"{r.kg:g}")
    cols[1].metric(t("cupage.km_covered"), f"{r.km_covered:g}")
    cols[2].metric(t("cupage.reports_cleaned"), sum(x.cleaned_by_volunteers for x in ev.reports))
    if r.items:
        st.table({t("cupage.item"): [t(f"cleanup.item.{i}") for i in r.items],
                  t("cupage.count"): list(r.items.values())})
    folder = settings().photo_dir
    for label, names in ((t("cupage.before"), ev.before_photos), (t("cupage.after"), ev.after_photos)):
        if names:
            st.caption(label)
            st.image([str(folder / n) for n in names], width=240)


# ---------------------------------------------------------------- a sign-up's own page

def signup() -> None:
    st.title(t("cupage.signup_title"))
    outcome.show("cleanup_signup")
    status = code_form.ask("signup_code", t("cupage.code_label"), 80, t("cupage.enter_code"),
                           lambda code: cu.signup_status(engine(), code), t("cleanup.error.bad_code"))
    if status is None:
        return
    ev = status.event
    routes.link(routes.CLEANUPS, ev.title, ":material/event:", id=ev.id)
    if status.event_cancelled:
        st.error(t("cupage.event_cancelled", message=status.cancel_message))
    elif status.status == "waitlisted":
        st.warning(t("cupage.waitlisted", position=status.position))
    elif status.promoted:
        st.success(t("cupage.promoted"))
    elif status.status == "seated":
        st.success(t("cupage.seated"))
    else:
        st.info(t("cupage.cancelled"))
    st.caption(t("cupage.seats_mine", n=status.seats) + (f" · {status.group}" if status.group else ""))
    if status.checked_in_at:
        st.caption(t("cupage.checked_in", when=text.when(status.checked_in_at)))
    facts(ev)
    if status.status != "cancelled" and not status.event_cancelled:
        _code_card(ev, status.code)
    user = current_user()
    if permissions.can(user, "cleanup.checkin") and status.status == "seated" and not status.checked_in_at:
        # Staff scan the volunteer's QR with their phone's camera: it opens this page; one tap checks in.
        st.button(t("cupage.checkin"), type="primary", icon=":material/how_to_reg:", key="scan_checkin",
                  on_click=act, args=("cleanup_signup", t("cupage.checked_scan"), cu.check_in, user, ev.id,
                                      status.code))
    if status.can_cancel:
        st.button(t("cupage.cancel"), icon=":material/event_busy:", key="cancel_signup",
                  on_click=act, args=("cleanup_signup", t("cupage.cancelled"), cu.cancel_signup, status.code))


# ---------------------------------------------------------------- the numbers

def numbers() -> None:
    st.title(t("cupage.numbers"))
    s = cu.stats(engine())
    cols = st.columns(3)
    cols[0].metric(t("cupage.events"), s.events)
    cols[1].metric(t("cupage.participants"), s.participants)
    cols[2].metric(t("cupage.hours"), f"{s.hours:g}")
    cols = st.columns(3)
    cols[0].metric(t("cupage.kg"), f"{s.kg:g}")
    cols[1].metric(t("cupage.bags"), s.bags)
    cols[2].metric(t("cupage.reports_cleaned"), s.reports_cleaned)
    cols = st.columns(2)
    cols[0].metric(t("cupage.kg_per_km"), "—" if s.kg_per_km is None else f"{s.kg_per_km:.1f}")
    cols[1].metric(t("cupage.attendance"), "—" if s.attendance_rate is None else f"{s.attendance_rate:.0%}")
    if not s.events:
        st.info(t("cupage.no_numbers"))
        return
    month, kg, bags = t("cupage.month"), t("cupage.kg"), t("cupage.bags")
    st.subheader(t("cupage.by_month"))
    st.bar_chart({month: [m for m, *_ in s.by_month], kg: [k for _, k, _, _ in s.by_month],
                  bags: [b for _, _, b, _ in s.by_month]}, x=month, y=[kg, bags], stack=False)
    st.subheader(t("cupage.by_village"))
    village, people, hours = t("cupage.village"), t("cupage.participants"), t("cupage.hours")
    st.bar_chart({village: [v or t("place.no_village") for v, _, _ in s.by_village],
                  people: [n for _, n, _ in s.by_village], hours: [h for _, _, h in s.by_village]},
                 x=village, y=[people, hours], stack=False)
    st.subheader(t("cupage.by_km"))
    km, per_km = t("cupage.river_km"), t("cupage.kg_per_km")
    st.bar_chart({km: [f"{k}" for k, *_ in s.by_km], per_km: [p or 0 for *_, p in s.by_km]}, x=km, y=per_km)
