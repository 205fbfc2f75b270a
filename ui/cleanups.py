"""Clean-up day pieces shared by the public and the staff pages: a day's time, meeting point,
section and seats in words, its map, and running one of its actions."""
from __future__ import annotations

import streamlit as st

from qingxi import cleanups as cu
from qingxi.core import places
from qingxi.core.settings import current as settings
from ui import engine, lang, layers, outcome, session, t, text
from ui.text import plain


def act(area: str, done: str, action, *args, **kw) -> outcome.Outcome:
    """action(engine, *args, **kw), its outcome shown on `area`'s page after the rerun (a refused
    permission in the desk's words)."""
    return outcome.act(area, lambda: action(engine(), *args, **kw), done, denied="triage.denied")


def when(ev: cu.Event) -> str:
    return f"{text.when(ev.starts_at)}–{ev.ends_at.astimezone(settings().timezone):%H:%M}"


def meeting(ev: cu.Event) -> str:
    """Where volunteers meet, for markdown (a village's name escaped)."""
    return plain(cu.meeting_place(ev, lang()))


def section(ev: cu.Event) -> str:
    return t("cleanups.section", km_from=f"{ev.km_from:.1f}", km_to=f"{ev.km_to:.1f}")


def seats(ev: cu.Event) -> str:
    if ev.state == "full":
        return t("cleanups.seats_full", n=ev.waitlisted)
    if ev.state == "published":
        return t("cleanups.seats_left", n=ev.public_left, capacity=ev.capacity)
    return t(f"cleanups.state.{ev.state}")


def section_map(ev: cu.Event, key: str, height: int = 260) -> None:
    """The river, the day's section and the meeting point; no basemap unless one is configured."""
    stretch = places.river_section(engine(), ev.km_from, ev.km_to)
    with session() as s:
        river = layers.river(s)
    deck = layers.section_deck(river, stretch.path if stretch else None, section(ev),
                               [layers.pin_layer(ev.meeting_lon, ev.meeting_lat)], settings().tile_url, zoom=13,
                               fallback=(ev.meeting_lon, ev.meeting_lat))
    st.pydeck_chart(deck, height=height, key=key)
    st.caption(t("cleanups.map_legend"))
