"""The "enter your code" box of the pages a code opens (a tracking code, a sign-up code): filled
from ?code= when a QR code or link opened the page, and the code found written back there, so the
page's address can be kept and shared."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from qingxi.core import limits
from ui import engine, outcome
from ui.visitor import who

Found = TypeVar("Found")  # what a code names; it has .code, the code as the domain writes it


def ask(key: str, label: str, max_chars: int, hint: str, look_up: Callable[[str], Found | None],
        unknown: str) -> Found | None:
    """What look_up finds for the code typed in, or None once the page has said why (`hint` for no
    code yet, `unknown` for a code that names nothing)."""
    st.session_state.setdefault(key, st.query_params.get("code", ""))
    code = st.text_input(label, max_chars=max_chars, placeholder="ABC234", key=key)
    if not code.strip():
        st.info(hint)
        return None
    looked = outcome.attempt(lambda: _counted(key, code, look_up))
    if not looked.ok:
        st.error(looked.message)  # over the limit of wrong codes, in the person's words
        return None
    found = looked.value
    if found is None:
        st.error(unknown)
        return None
    st.query_params["code"] = found.code
    return found


def _counted(key: str, code: str, look_up: Callable[[str], Found | None]) -> Found | None:
    """Look the code up as one attempt of limits "code.miss": a code that names nothing counts
    (guessing someone's code is limited), a found one is forgiven. A page rerun with the same code
    is not counted again."""
    seen = st.session_state.setdefault(f"{key}_seen", {})
    if code in seen:
        return look_up(code) if seen[code] else None
    with limits.spending(engine(), "code.miss", who()) as attempt:
        found = look_up(code)
        if found is not None:
            attempt.forgive()
    seen[code] = found is not None
    return found
