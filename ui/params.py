"""Reading ids from a page's address (?id=): whatever is typed there, the page gets a record id it
can look up, or None (and then says calmly that nothing was found), never an exception."""
from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

LARGEST = 2**31 - 1  # the largest id either database's integer key holds


def record_id(raw: str | None) -> int | None:
    """A positive whole number in ASCII digits that fits an id column, else None."""
    raw = (raw or "").strip()
    if not re.fullmatch(r"[0-9]{1,10}", raw):
        return None
    value = int(raw)
    return value if 0 < value <= LARGEST else None


def id_param(name: str = "id") -> int | None:
    return record_id(st.query_params.get(name))


def show_named(show: Callable[[int], None], not_found: str, name: str = "id") -> bool:
    """When the address names a record (?id=…), show it, or say calmly that there is no such record
    (a mistyped or made-up address). False when the address names none: the page shows its list."""
    if not st.query_params.get(name):
        return False
    found = id_param(name)
    if found is None:
        st.error(not_found)
    else:
        show(found)
    return True
