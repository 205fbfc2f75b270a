"""Notifications (staff): what was sent to which channel, when, failures and retries, with a resend;
admins also manage the channels here (add, test message, pause, remove). URLs are shown only as a
hint; every change goes through qingxi.notify, which checks the permission again."""
from __future__ import annotations

import streamlit as st

from qingxi import notify
from qingxi.core import permissions
from qingxi.core.outbox import EVENTS
from ui import alerts, current_user, engine, labels, outcome, t

AREA = "notify"
STATUSES = ("failed", "pending", "sending", "sent")


def _act(call, *args, done: str) -> None:
    outcome.act(AREA, lambda: call(engine(), current_user(), *args), t(done))


def render() -> None:
    user = current_user()
    if not permissions.can(user, "notify.view"):
        st.error(t("outcome.denied"))
        return
    st.title(t("notify.page.title"))
    outcome.show(AREA)
    st.caption(t("notify.page.intro"))
    alerts.alert_times()
    _sent()
    if permissions.can(user, "notify.manage"):
        _channels()


def _sent() -> None:
    status = st.selectbox(t("notify.page.status_filter"), [None, *STATUSES], key="notify_status",
                          format_func=lambda s: t("notify.page.all") if s is None else t(f"notify.status.{s}"))
    rows = notify.sent(engine(), current_user(), status=status)
    if not rows:
        st.info(t("notify.page.empty"))
        return
    event = labels("notify.event")
    state = labels("notify.status")
    st.dataframe([{t("notify.page.col_when"): r.sent_at or r.created_at, t("notify.page.col_channel"): r.channel,
                   t("notify.page.col_event"): event(r.event), t("notify.page.col_status"): state(r.status),
                   t("notify.page.col_attempts"): r.attempts, t("notify.page.col_error"): r.error}
                  for r in rows], hide_index=True)
    again = [r for r in rows if r.status == "failed"]
    if again:
        by_id = {r.id: r for r in again}
        with st.form("notify_resend"):
            st.selectbox(t("notify.status.failed"), list(by_id), key="notify_resend_id",
                         format_func=lambda i: f"#{i} {by_id[i].channel} · {event(by_id[i].event)}")
            st.form_submit_button(t("notify.page.resend"), on_click=_resend)


def _resend() -> None:
    _act(notify.resend, st.session_state.notify_resend_id, done="notify.page.resent")


def _add() -> None:
    v = st.session_state
    outcome.act(AREA, lambda: notify.add(engine(), current_user(), v.notify_name, v.notify_url, v.notify_events,
                                         person=v.notify_person), t("notify.page.added"))


def _channels() -> None:
    st.subheader(t("notify.page.channels"))
    found = notify.listed(engine(), current_user())
    event = labels("notify.event")
    for ch in found:
        with st.container(border=True):
            st.text(f"{ch.name} · {ch.hint}" + (f" · {t('notify.page.person_label')}" if ch.audience == "person" else "")
                    + (f" · {t('notify.page.paused_label')}" if ch.paused else ""))
            st.caption(" · ".join(event(e) for e in ch.events))
            cols = st.columns(3)
            cols[0].button(t("notify.page.test"), key=f"notify_test_{ch.id}", disabled=ch.audience == "person",
                           help=t("notify.page.test_person") if ch.audience == "person" else None,
                           on_click=_act, args=(notify.test, ch.name), kwargs={"done": "notify.page.tested"})
            cols[1].button(t("notify.page.resume") if ch.paused else t("notify.page.pause"), key=f"notify_pause_{ch.id}",
                           on_click=_act, args=(notify.set_paused, ch.name, not ch.paused),
                           kwargs={"done": "notify.page.saved"})
            cols[2].button(t("notify.page.remove"), key=f"notify_remove_{ch.id}",
                           on_click=_act, args=(notify.remove, ch.name), kwargs={"done": "notify.page.removed"})
    with st.form("notify_add", clear_on_submit=True):
        st.markdown(f"**{t('notify.page.add')}**")
        st.text_input(t("notify.page.name"), key="notify_name", max_chars=60)
        st.text_input(t("notify.page.url"), key="notify_url", type="password")
        st.multiselect(t("notify.page.events"), list(EVENTS), key="notify_events", format_func=event,
                       placeholder=t("pick.many"), select_all=False)
        st.checkbox(t("notify.page.person"), key="notify_person", help=t("notify.page.person_help"))
        st.form_submit_button(t("notify.page.add"), on_click=_add)
