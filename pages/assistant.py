"""The question assistant's chat, phone first: ask in your own words, get the answer at once (or a
person takes over, with a conversation code to come back with), 👍/👎 on every answer."""
import secrets

import streamlit as st

from qingxi import assistant
from qingxi.core.limits import Person
from ui import engine, lang, outcome, routes, t

LOG = "assistant_log"
# The pages an answer may link to: the public ones every visitor has in the menu.
PUBLIC = {routes.REPORT, routes.TRACK, routes.MAP, routes.CLEANUPS, routes.PROPOSALS, routes.PROPOSAL,
          routes.DOWNLOADS, routes.CLEANUP_NUMBERS, routes.SIGN_IN, routes.SIGNUP}


def _who() -> Person:
    if "assistant_session" not in st.session_state:
        st.session_state["assistant_session"] = secrets.token_hex(8)
    return Person(address=st.context.ip_address, session=st.session_state["assistant_session"])


def _ask(question: str) -> None:
    log = st.session_state.setdefault(LOG, [])
    log.append({"role": "user", "text": question})
    done = outcome.attempt(lambda: assistant.ask(engine(), question, lang(), channel="web", who=_who()))
    if done.ok:
        reply: assistant.Reply = done.value
        log.append({"role": "assistant", "text": reply.text, "ref": reply.ref, "handover": reply.handover,
                    "links": [link for s in reply.sources for link in s.get("links", [])][:3]})
    else:
        log.append({"role": "assistant", "text": done.message, "ref": None, "handover": False, "links": []})


def _rate(ref: str, key: str) -> None:
    choice = st.session_state.get(key)
    if choice is not None:
        assistant.rate(engine(), ref, choice == 1)


def _links(links: list[str]) -> None:
    for link in links:
        path, _, query = link.partition("?")
        if path not in PUBLIC:
            continue
        params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        routes.link(path, t(f"assistant.page.link.{path}"), ":material/arrow_forward:", **params)


def render() -> None:
    st.title(t("assistant.page.title"))
    st.caption(t("assistant.page.intro"))
    # Pinned to the bottom wherever it is called: read it first, so the answer shows in this run.
    if question := st.chat_input(t("assistant.page.placeholder"), max_chars=assistant.MAX_ASK):
        _ask(question)
    if not st.session_state.get(LOG):
        with st.chat_message("assistant", avatar="💧"):
            st.text(t("assistant.page.hello"))
    for i, message in enumerate(st.session_state.get(LOG, [])):
        with st.chat_message(message["role"], avatar="💧" if message["role"] == "assistant" else None):
            st.text(message["text"])  # plain text: nobody's words become markup
            if message["role"] == "assistant":
                _links(message.get("links", []))
                if message.get("ref"):
                    key = f"assistant_fb_{i}"
                    st.feedback("thumbs", key=key, on_change=_rate, args=(message["ref"], key))
