"""The pledge's coverage as people would rather look at it than read it: a bar per village in river
order (signed households as a share of the village's) and the villages on the map coloured by it.
Shared by the pledge page, the home page and deputies' home."""
from __future__ import annotations

import altair as alt
import pandas as pd
import pydeck as pdk
import streamlit as st

from qingxi import pledge
from ui import layers, read_engine, read_session, t

NO_COUNT = [150, 150, 150]


def colour(share: float | None) -> list[int]:
    """Grey without a household count; from pale to deep green as the share rises."""
    if share is None:
        return NO_COUNT
    return [int(230 - 200 * share), int(240 - 90 * share), int(220 - 160 * share)]


def rows() -> list[pledge.Coverage]:
    return pledge.coverage(read_engine())


def chart(found: list[pledge.Coverage]) -> None:
    """Bars in river order (upstream first): the share signed, the numbers in the tooltip."""
    counted = [c for c in found if c.households]
    if not counted:
        st.caption(t("pledge.no_counts"))
        return
    village, share = t("pledge.col_village"), t("pledge.col_share")
    frame = pd.DataFrame({village: [c.name for c in counted], share: [round(100 * c.share, 1) for c in counted],
                          t("pledge.col_signed"): [c.signed for c in counted],
                          t("pledge.col_households"): [c.households for c in counted]})
    bars = alt.Chart(frame).mark_bar(color="#2e9654").encode(
        x=alt.X(f"{village}:N", sort=[c.name for c in counted], title=None),
        y=alt.Y(f"{share}:Q", scale=alt.Scale(domain=[0, 100]), title=share),
        tooltip=list(frame.columns))
    st.altair_chart(bars, width="stretch")


def coverage_map(found: list[pledge.Coverage], key: str) -> None:
    data = [{"lon": c.lon, "lat": c.lat, "fill": colour(c.share), "label": c.name,
             "tip": t("pledge.map_tip", name=c.name, signed=c.signed,
                      share="—" if c.share is None else f"{100 * c.share:.0f}%")} for c in found]
    dots = pdk.Layer("ScatterplotLayer", data, id="coverage", get_position=["lon", "lat"], get_fill_color="fill",
                     get_line_color=[0, 105, 92], stroked=True, line_width_min_pixels=1, get_radius=12,
                     radius_units=pdk.types.String("pixels"), pickable=True)
    with read_session() as s:
        river = layers.river(s)
    st.pydeck_chart(layers.deck([river, dots]), key=key, height=320)


def panel(key: str) -> None:
    """The chart and the map with one line of totals."""
    found = rows()
    signed = sum(c.signed for c in found)
    st.markdown(t("pledge.totals", signed=signed, people=sum(c.people for c in found)))
    chart(found)
    coverage_map(found, key)
