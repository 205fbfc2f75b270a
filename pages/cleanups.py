"""Volunteer clean-up days for everyone, phones first: the upcoming days and one day's page with its
sign-up form (?id=), a sign-up's own page (?code=) and the clean-up numbers. What to do and who may
do it is decided by qingxi.cleanups; these functions only show it."""
from __future__ import annotations

import streamlit as st

from qingxi import cleanups as cu
from qingxi import notify
from qingxi.core import clock, permissions, places
from qingxi.core.settings import current as settings
from ui import code_form, current_user, engine, lang, outcome, params, routes, session, t, text
from ui.cleanups import act, meeting, seats, section, section_map, when
from ui.phone_codes import remember
from ui.text import plain
from ui.visitor import who


def facts(ev: cu.Event) -> None:
    st.markdown(f":material/event: **{when(ev)}**")
    st.markdown(f":material/place: {t('cleanups.meeting')}: {meeting(ev)}")
    st.markdown(f":material/straighten: {section(ev)}")
    if ev.equipment:
        st.markdown(f":material/backpack: {t('cleanups.equipment')}: {t('cleanups.list_sep').join(plain(x) for x in ev.equipment)}")


# ---------------------------------------------------------------- the public list and one day

def render() -> None:
    if params.show_named(_event, t("cleanups.error.not_found")):
        return
    st.title(t("cleanups.title"))
    st.caption(t("cleanups.intro"))
    every = cu.events(engine(), current_user())
    upcoming = [e for e in every if e.state != "draft" and e.ends_at > clock.now() and e.state not in cu.FINISHED]
    past = [e for e in every if e.state in cu.FINISHED]
    if not upcoming:
        st.info(t("cleanups.none_upcoming"))
    for ev in upcoming:
        _card(ev)
    if past:
        st.subheader(t("cleanups.past"))
        for ev in reversed(past):
            kg = f" · {ev.results.kg:g} kg" if ev.results and ev.state == "reported" else ""
            routes.link(routes.CLEANUPS, f"{text.when(ev.starts_at)[:10]} · {plain(ev.title)}{kg}", ":material/history:",
                        id=ev.id)
    routes.link(routes.CLEANUP_NUMBERS, t("cleanups.numbers_link"), ":material/bar_chart:")


def _card(ev: cu.Event) -> None:
    with st.container(border=True):
        st.markdown(f"**{plain(ev.title)}**")
        facts(ev)
        mark = {"published": ":green", "full": ":orange"}.get(ev.state, ":gray")
        st.markdown(f"{mark}[**{seats(ev)}**]")
        routes.link(routes.CLEANUPS, t("cleanups.open_event"), ":material/how_to_reg:", id=ev.id)


def _event(cleanup_id: int) -> None:
    ev = cu.summary(engine(), cleanup_id)
    if ev is None:
        st.error(t("cleanups.error.not_found"))
        return
    st.title(plain(ev.title))
    st.markdown(f"**{t(f'cleanups.state.{ev.state}')}**")
    if ev.state == "cancelled":
        st.error(t("cleanups.event_cancelled", message=plain(ev.cancel_message or "")))
    if receipt := st.session_state.get(f"cleanup_receipt{ev.id}"):
        _receipt(ev, receipt)
    facts(ev)
    if ev.state in cu.OPEN_FOR_SIGNUP:
        st.markdown(f"**{seats(ev)}**")
    if ev.leader_name:
        st.caption(t("cleanups.leader", name=plain(ev.leader_name)))
    if ev.notes:
        st.text(ev.notes)
    if ev.state in cu.FINISHED:
        _summary(ev)
    elif ev.state in cu.OPEN_FOR_SIGNUP and ev.starts_at > clock.now() and not receipt:
        _form(ev)
    elif ev.state == "closed":
        st.info(t("cleanups.error.closed"))
    elif ev.state in cu.OPEN_FOR_SIGNUP and not receipt:
        st.info(t("cleanups.error.past"))
    section_map(ev, key=f"event_map{ev.id}")  # after the form: on a phone the form comes first


def _form(ev: cu.Event) -> None:
    st.subheader(t("cleanups.signup"))
    if ev.state == "full":
        st.warning(t("cleanups.full_note", n=ev.waitlisted))
    with session() as s:
        villages = dict(places.villages(s))
    groups = {g.id: g.name for g in ev.groups}
    with st.form(f"signup{ev.id}"):
        name = st.text_input(t("cleanups.name"), max_chars=places.MAX_NAME, key="su_name")
        phone = st.text_input(t("cleanups.phone"), key="su_phone")
        village = st.selectbox(t("cleanups.village"), list(villages), index=None, format_func=villages.get,
                               key="su_village", placeholder=t("cleanups.optional"))
        group = st.selectbox(t("cleanups.group"), list(groups), index=None, format_func=groups.get, key="su_group",
                             placeholder=t("cleanups.no_group")) if groups else None
        companions = st.number_input(t("cleanups.companions"), min_value=0, value=0, step=1, key="su_companions")
        st.caption(t("cleanups.phone_note"))
        reminded = notify.reaches_people(engine(), "phone", ("cleanup.reminder", "cleanup.promoted"))
        st.caption(t("cleanups.reminders_on" if reminded else "cleanups.reminders_off"))
        if st.form_submit_button(t("cleanups.send"), type="primary", icon=":material/how_to_reg:", width="stretch"):
            _send(ev, (name, phone, village, group, int(companions)), wait=False)
    party = st.session_state.get(f"cleanup_party{ev.id}")
    if party:  # refused as too big for the seats left: it may wait without closing the day to others
        st.warning(party["message"])
        st.button(t("cleanups.wait_anyway"), key=f"wait_anyway{ev.id}", icon=":material/hourglass_top:",
                  on_click=_send, args=(ev, party["fields"]), kwargs={"wait": True})


def _send(ev: cu.Event, fields: tuple, *, wait: bool) -> None:
    name, phone, village, group, companions = fields
    st.session_state.pop(f"cleanup_party{ev.id}", None)
    receipt = outcome.attempt(lambda: cu.sign_up(engine(), ev.id, name, phone, village, group, companions,
                                                 wait=wait, who=who(phone)), denied="triage.denied")
    if receipt.ok:
        st.session_state[f"cleanup_receipt{ev.id}"] = receipt.value
        if not wait:
            st.rerun()
    elif getattr(receipt.value, "key", None) == "party_too_big" and not wait:
        st.session_state[f"cleanup_party{ev.id}"] = {"message": receipt.message, "fields": fields}
        st.rerun()
    else:
        outcome.say(receipt)


def _receipt(ev: cu.Event, receipt: cu.Receipt) -> None:
    if receipt.status == "waitlisted":
        st.warning(t("cleanups.waitlisted", position=receipt.position))
    else:
        st.success(t("cleanups.seated"))
    _code_card(ev, receipt.code)


def _code_card(ev: cu.Event, code: str) -> None:
    """The code big, its QR, the sign-up's page, the .ics file and the copy-ready reminder."""
    st.markdown(t("cleanups.code_is"))
    st.markdown(f"<div class='qx-code' style='font-size:3rem;font-weight:700;letter-spacing:.3rem'>{code}</div>",
                unsafe_allow_html=True)
    base = routes.public_base()
    remember("signup", code)  # on this phone, for /track
    st.image(cu.signup_qr_png(code, base), width=200, caption=t("cleanups.qr_caption"))
    routes.link(routes.SIGNUP, t("cleanups.my_signup"), ":material/confirmation_number:", code=code)
    st.download_button(t("cleanups.ics"), cu.calendar_file(ev, lang(), base), file_name=f"qingxi-cleanup-{ev.id}.ics",
                       mime="text/calendar", icon=":material/calendar_add_on:", key=f"ics{ev.id}")
    st.caption(t("cleanups.reminder_label"))
    st.code(cu.reminder_text(ev, lang(), code, base), language=None, wrap_lines=True)


def _summary(ev: cu.Event) -> None:
    """The public results: numbers, tallies, photos, reports closed — never a name or phone."""
    st.subheader(t("cleanups.results"))
    r = ev.results if ev.state == "reported" else None
    if r is None:
        st.info(t("cleanups.results_soon"))
        return
    cols = st.columns(3)
    cols[0].metric(t("cleanups.participants"), r.participants)
    cols[1].metric(t("cleanups.hours"), f"{r.hours:g}")
    cols[2].metric(t("cleanups.bags"), r.bags)
    cols = st.columns(3)
    cols[0].metric(t("cleanups.kg"), f"{r.kg:g}")
    cols[1].metric(t("cleanups.km_covered"), f"{r.km_covered:g}")
    cols[2].metric(t("cleanups.reports_cleaned"), sum(x.cleaned_by_volunteers for x in ev.reports))
    if r.items:
        st.table({t("cleanups.item_name"): [t(f"cleanups.item.{i}") for i in r.items],
                  t("cleanups.count"): list(r.items.values())})
    folder = settings().photo_dir
    for label, names in ((t("cleanups.before"), ev.before_photos), (t("cleanups.after"), ev.after_photos)):
        if names:
            st.caption(label)
            st.image([str(folder / n) for n in names], width=240)


# ---------------------------------------------------------------- a sign-up's own page

def signup() -> None:
    st.title(t("cleanups.signup_title"))
    just_done = outcome.show("cleanup_signup")
    status = code_form.ask("signup_code", t("cleanups.code_label"), 80, t("cleanups.enter_code"),
                           lambda code: cu.signup_status(engine(), code), t("cleanups.error.bad_code"))
    if status is None:
        return
    ev = status.event
    routes.link(routes.CLEANUPS, plain(ev.title), ":material/event:", id=ev.id)
    if status.event_cancelled:
        st.error(t("cleanups.event_cancelled", message=plain(status.cancel_message or "")))
    elif status.status == "waitlisted":
        st.warning(t("cleanups.waitlisted", position=status.position))
    elif status.promoted:
        st.success(t("cleanups.promoted"))
    elif status.status == "seated":
        st.success(t("cleanups.seated"))
    elif just_done is None:  # cancelled earlier (just now, the outcome above said so once)
        st.info(t("cleanups.cancelled"))
    if status.status != "cancelled":  # a cancelled sign-up holds no seat
        st.caption(t("cleanups.seats_mine", n=status.seats) + (f" · {plain(status.group)}" if status.group else ""))
    if status.checked_in_at:
        st.caption(t("cleanups.checked_in", when=text.when(status.checked_in_at)))
    facts(ev)
    if status.status != "cancelled" and not status.event_cancelled:
        _code_card(ev, status.code)
    user = current_user()
    if permissions.can(user, "cleanup.checkin") and status.status == "seated" and not status.checked_in_at:
        # Staff scan the volunteer's QR with their phone's camera: it opens this page; one tap checks in.
        st.button(t("cleanups.checkin"), type="primary", icon=":material/how_to_reg:", key="scan_checkin",
                  on_click=act, args=("cleanup_signup", t("cleanups.checked_scan"), cu.check_in, user, ev.id,
                                      status.code))
    if status.can_cancel:  # asked once: the first tap only opens the question
        with st.popover(t("cleanups.cancel"), icon=":material/event_busy:"):
            st.markdown(t("cleanups.cancel_confirm", n=status.seats))
            st.button(t("cleanups.cancel_yes"), key="cancel_signup", on_click=act,
                      args=("cleanup_signup", t("cleanups.cancelled"), cu.cancel_signup, status.code))


# ---------------------------------------------------------------- the numbers

def numbers() -> None:
    st.title(t("cleanups.numbers"))
    s = cu.stats(engine())
    cols = st.columns(3)
    cols[0].metric(t("cleanups.events"), s.events)
    cols[1].metric(t("cleanups.participants"), s.participants)
    cols[2].metric(t("cleanups.hours"), f"{s.hours:g}")
    cols = st.columns(3)
    cols[0].metric(t("cleanups.kg"), f"{s.kg:g}")
    cols[1].metric(t("cleanups.bags"), s.bags)
    cols[2].metric(t("cleanups.reports_cleaned"), s.reports_cleaned)
    cols = st.columns(2)
    cols[0].metric(t("cleanups.kg_per_km"), "—" if s.kg_per_km is None else f"{s.kg_per_km:.1f}")
    cols[1].metric(t("cleanups.attendance_name"), "—" if s.attendance_rate is None else f"{s.attendance_rate:.0%}")
    if not s.events:
        st.info(t("cleanups.no_numbers"))
        return
    month, kg, bags = t("cleanups.month"), t("cleanups.kg"), t("cleanups.bags")
    st.subheader(t("cleanups.by_month"))
    st.bar_chart({month: [m for m, *_ in s.by_month], kg: [k for _, k, _, _ in s.by_month],
                  bags: [b for _, _, b, _ in s.by_month]}, x=month, y=[kg, bags], stack=False)
    st.subheader(t("cleanups.by_village"))
    village, people, hours = t("cleanups.village"), t("cleanups.participants"), t("cleanups.hours")
    st.bar_chart({village: [v or t("place.no_village") for v, _, _ in s.by_village],
                  people: [n for _, n, _ in s.by_village], hours: [h for _, _, h in s.by_village]},
                 x=village, y=[people, hours], stack=False)
    st.subheader(t("cleanups.by_km"))
    km, per_km = t("cleanups.river_km"), t("cleanups.kg_per_km")
    st.bar_chart({km: [f"{k}" for k, *_ in s.by_km], per_km: [p or 0 for *_, p in s.by_km]}, x=km, y=per_km)
