"""Who an anonymous visitor is, for qingxi.core.limits: their address and an id for this browser
session (kept in st.session_state, never shown), plus the phone they typed when there is one."""
from __future__ import annotations

import secrets

import streamlit as st

from qingxi.core.limits import Person

KEY = "visitor_session"


def who(phone: str | None = None) -> Person:
    if KEY not in st.session_state:
        st.session_state[KEY] = secrets.token_hex(12)
    address = getattr(st.context, "ip_address", None)
    return Person(address=address, phone=(phone or "").strip() or None, session=st.session_state[KEY])
