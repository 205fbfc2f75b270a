"""Staff and handlers: questions handed over by the assistant (reply, close), the weekly counts,
and for staff the questions it could not answer (turn one into an FAQ entry with one click) and
the synonyms list."""
import pandas as pd
import streamlit as st

from qingxi import assistant
from qingxi.assistant import dingtalk
from qingxi.core import permissions
from ui import current_user, engine, outcome, t, text

AREA = "assistant_inbox"


def render() -> None:
    user = current_user()
    if not permissions.can(user, "assistant.inbox"):  # the menu hides it; a deep link is refused here too
        st.error(t("access.staff_only"))
        return
    st.title(t("assistant.inbox.title"))
    outcome.show(AREA)
    _weeks(user)
    _conversations(user)
    if permissions.can(user, "assistant.faq"):
        _candidates(user)
        _faq(user)
        _synonyms(user)


def _weeks(user) -> None:
    rows = assistant.weeks(engine(), user, count=6)
    st.subheader(t("assistant.inbox.weeks"))
    frame = pd.DataFrame([{t("assistant.inbox.col.week"): w.start.strftime("%Y-%m-%d"),
                           t("assistant.inbox.col.asked"): w.asked, t("assistant.inbox.col.answered"): w.answered,
                           t("assistant.inbox.col.handed_over"): w.handed_over,
                           t("assistant.inbox.col.helpful"): w.helpful, t("assistant.inbox.col.unhelpful"): w.unhelpful}
                          for w in rows])
    st.dataframe(frame, hide_index=True)


def _reply(user, conversation_id: int, key: str) -> None:
    words = st.session_state.get(key, "")
    outcome.act(AREA, lambda: assistant.reply(engine(), user, conversation_id, words, deliver=dingtalk.deliver),
                t("assistant.inbox.replied"))


def _close(user, conversation_id: int) -> None:
    outcome.act(AREA, lambda: assistant.close(engine(), user, conversation_id), t("assistant.inbox.closed"))


def _conversations(user) -> None:
    st.subheader(t("assistant.inbox.open"))
    open_ones = assistant.inbox(engine(), user)
    if not open_ones:
        st.info(t("assistant.inbox.none"))
    for c in open_ones:
        with st.container(border=True):
            st.caption(t("assistant.inbox.meta", code=c.code, channel=t(f"assistant.inbox.channel.{c.channel}"),
                         reason=t(f"assistant.inbox.reason.{c.reason}"), when=text.when(c.created_at)))
            st.text(c.question)  # what the person typed, as plain text
            with st.expander(t("assistant.inbox.attempt")):
                st.text(c.attempt)
            key = f"assistant_reply_{c.id}"
            st.text_area(t("assistant.inbox.reply"), key=key, max_chars=assistant.MAX_REPLY)
            left, right = st.columns(2)
            left.button(t("assistant.inbox.send"), key=f"send_{c.id}", on_click=_reply, args=(user, c.id, key),
                        type="primary")
            right.button(t("assistant.inbox.close"), key=f"close_{c.id}", on_click=_close, args=(user, c.id))


def _make(user, question_id: int, key: str) -> None:
    answer = st.session_state.get(key, "")
    outcome.act(AREA, lambda: assistant.make_entry(engine(), user, question_id, answer), t("assistant.inbox.made"))


def _candidates(user) -> None:
    st.subheader(t("assistant.inbox.candidates"))
    found = assistant.candidates(engine(), user)
    if not found:
        st.info(t("assistant.inbox.no_candidates"))
    for c in found[:20]:
        with st.container(border=True):
            st.text(c.question)
            key = f"assistant_answer_{c.id}"
            st.text_area(t("assistant.inbox.answer"), key=key)
            left, right = st.columns(2)
            left.button(t("assistant.inbox.make"), key=f"make_{c.id}", on_click=_make, args=(user, c.id, key))
            right.button(t("assistant.inbox.dismiss"), key=f"dismiss_{c.id}",
                         on_click=lambda cid=c.id: outcome.act(AREA, lambda: assistant.dismiss(engine(), user, cid)))


def _synonyms(user) -> None:
    st.subheader(t("assistant.inbox.synonyms"))
    with st.form("assistant_synonym", clear_on_submit=True):
        left, right = st.columns(2)
        word = left.text_input(t("assistant.inbox.word"), max_chars=40)
        canonical = right.text_input(t("assistant.inbox.canonical"), max_chars=40)
        if st.form_submit_button(t("assistant.inbox.add_synonym")):
            outcome.act(AREA, lambda: assistant.add_synonym(engine(), user, word, canonical),
                        t("assistant.inbox.synonym_added"))
            st.rerun()
    known = assistant.synonyms(engine())
    st.caption(t("assistant.list_sep").join(f"{w} → {c}" for w, c in sorted(known.items())))


def _faq(user) -> None:
    """The FAQ itself: pick an entry (or a new one), change it, retire it or bring it back."""
    st.subheader(t("assistant.inbox.faq"))
    entries = assistant.entries(engine(), user)
    choices = [None, *range(len(entries))]
    picked = st.selectbox(t("assistant.inbox.faq_pick"), choices, key="assistant_faq_pick",
                          format_func=lambda i: t("assistant.inbox.faq_new") if i is None else
                          f"{'' if entries[i].active else '✕ '}{entries[i].key} · {entries[i].lang} · {entries[i].question}")
    e = entries[picked] if picked is not None else None
    with st.form(f"assistant_faq_{e.id if e else 'new'}"):
        left, right = st.columns(2)
        key = left.text_input(t("assistant.inbox.faq_key"), value=e.key if e else "", max_chars=40, disabled=e is not None)
        lang_code = right.selectbox(t("assistant.inbox.faq_lang"), ("zh", "en"), index=0 if not e or e.lang == "zh" else 1,
                                    disabled=e is not None)
        question = st.text_input(t("assistant.inbox.faq_question"), value=e.question if e else "", max_chars=200)
        variants = st.text_area(t("assistant.inbox.faq_variants"), value="\n".join(e.variants) if e else "")
        answer = st.text_area(t("assistant.inbox.answer"), value=e.answer if e else "", max_chars=2000)
        links = st.text_input(t("assistant.inbox.faq_links"), value=" ".join(e.links) if e else "")
        active = st.checkbox(t("assistant.inbox.faq_active"), value=e.active if e else True)
        if st.form_submit_button(t("assistant.inbox.faq_save")):
            outcome.act(AREA, lambda: assistant.save_entry(
                engine(), user, key=e.key if e else key, lang=e.lang if e else lang_code, question=question,
                answer=answer, variants=variants, links="\n".join(links.split()), active=active),
                t("assistant.inbox.faq_saved"))
            st.rerun()
