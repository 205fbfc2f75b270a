"""Follow a report by its tracking code: what happened, and the reporter's word on the outcome."""
import streamlit as st

from qingxi import cleanups as cu
from qingxi import proposals as P
from qingxi.core.settings import current as settings
from qingxi.reports import track
from ui import code_form, engine, labels, outcome, proposals, routes, t, text, upload
from ui.phone_codes import phone_codes
from ui.text import plain


def render() -> None:
    st.title(t("track.title"))
    routes.link(routes.ASSISTANT, t("assistant.page.ask_link"), ":material/chat:")
    _my_reports()
    status = code_form.ask("track_code", t("track.code_label"), 12, t("track.enter_code"),
                           lambda code: track.status(engine(), code), t("track.not_found"))
    if status is None:
        return
    outcome.show("track")
    _summary(status)
    _timeline(status)
    _proposals(status.code)
    _cleaned_by(status.code)
    _actions(status)


def _my_reports() -> None:
    """The codes this phone keeps (its browser's storage) and this visit's, each with where it stands."""
    forgotten = st.session_state.setdefault("forgotten_codes", [])
    kept = phone_codes("phone_codes", forget=forgotten)
    mine = kept + [{"kind": "report", "code": c} for c in st.session_state.get("my_reports", [])
                   if {"kind": "report", "code": c} not in kept + forgotten]
    if not mine:
        return
    st.subheader(t("track.phone_title"))
    st.caption(t("track.phone_note"))
    for item in reversed(mine[-20:]):
        left, middle, right = st.columns([2, 4, 1], vertical_alignment="center")
        code = item["code"]
        if item["kind"] == "report":
            left.button(code, key=f"mine{code}", on_click=st.session_state.__setitem__, args=("track_code", code))
            found = track.status(engine(), code)
            middle.markdown(f"{t(f'category.{found.category}')} · {t(f'track.now.{found.state}')}" if found
                            else t("track.gone"))
        else:
            with left:
                routes.link(routes.SIGNUP, code, ":material/confirmation_number:", code=code)
            signed = cu.signup_status(engine(), code)
            middle.markdown(f"{plain(signed.event.title)} · {t(f'cleanups.status.{signed.status}')}" if signed
                            else t("track.gone"))
        right.button(t("track.forget"), key=f"forget{item['kind']}{code}", on_click=forgotten.append, args=(item,))


def _summary(status: track.Status) -> None:
    """Where it stands, in plain words, and what happens next."""
    st.header(t(f"track.now.{status.state}"))
    st.markdown(t(f"track.next.{status.state}"))
    st.markdown(f"**{t(f'category.{status.category}')}** · {plain(text.place(status.village, status.river_km, status.bank))}")
    st.caption(t("track.filed", when=text.when(status.created_at), n=status.supporters))
    if status.public_name:
        st.caption(t("track.by", name=plain(status.public_name)))
    _pictures(status.photos, 200)
    if status.after_photos:
        st.subheader(t("track.after"))
        _pictures(status.after_photos, 300)


def _pictures(pictures: list[track.Taken], width: int) -> None:
    if not pictures:
        return
    folder = settings().photo_dir
    st.image([str(folder / p.name) for p in pictures], width=width,
             caption=[t("track.taken", when=text.when(p.at)) if p.at else "" for p in pictures])


def _timeline(status: track.Status) -> None:
    """Every public step and every public word, newest first."""
    st.subheader(t("track.timeline"))
    for entry in reversed(status.timeline):
        st.markdown(f"**{text.when(entry.at)}** · {t(f'track.step.{entry.step}')}")
        if entry.note:
            st.text(entry.note)  # plain text: a note never becomes markup


def _proposals(code: str) -> None:
    """The published deputies' proposals this report supports, each a link to its page."""
    rows = P.proposals_for_code(engine(), code)
    if rows:
        st.subheader(t("proposals.supports"))
        st.caption(t("proposals.supports_caption"))
        for row in rows:
            proposals.link(row)


def _cleaned_by(code: str) -> None:
    """The volunteer clean-up days that cleared this report, each a link to its page."""
    for ev in cu.cleaned_by(engine(), code):
        routes.link(routes.CLEANUPS, t("cleanups.cleaned_by", title=plain(ev.title), date=text.when(ev.starts_at)[:10]),
                    ":material/volunteer_activism:", id=ev.id)


def _actions(status: track.Status) -> None:
    if status.can_confirm:
        st.button(t("track.confirm"), icon=":material/check_circle:", type="primary", on_click=_act,
                  args=(track.confirm_fixed, status.code, t("track.confirmed")))
    with st.expander(t("track.still_there")):
        with st.form("still_there", clear_on_submit=True):
            comment = st.text_area(t("track.comment"), max_chars=500)
            photo = upload.files(t("track.photo"))
            if st.form_submit_button(t("track.reopen")):
                _act(track.still_there, status.code, t("track.reopened"), comment,
                     photo.getvalue() if photo else None)
                st.rerun()
    if status.can_rate:
        chosen = st.pills(t("track.rate"), track.RATINGS, default=status.rating, key="rating",
                          format_func=labels("rating"))
        if chosen and chosen != status.rating:
            _act(track.rate, status.code, t("track.rated"), chosen)
            st.rerun()


def _act(action, code: str, done: str, *args) -> None:
    """Run one of the reporter's actions; its outcome is shown after the rerun."""
    outcome.act("track", lambda: action(engine(), code, *args), done)
