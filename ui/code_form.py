"""The "enter your code" box of the pages a code opens (a tracking code, a sign-up code): filled
from ?code= when a QR code or link opened the page, and the code found written back there, so the
page's address can be kept and shared."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

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
    found = look_up(code)
    if found is None:
        st.error(unknown)
        return None
    st.query_params["code"] = found.code
    return found
