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


def hex_colour(rgb: list[int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb[:3])


def tip(c: pledge.Coverage) -> str:
    return t("pledge.map_tip", name=c.name, signed=c.signed, share="—" if c.share is None else f"{100 * c.share:.0f}%")


def rows() -> list[pledge.Coverage]:
    return pledge.coverage(read_engine())


def shade(villages: list[dict]) -> list[dict]:
    """A map's villages (dicts with code and tip, ui.layers.village_layers) filled by coverage, the
    tip saying how many households signed: the main map's villages."""
    found = {c.code: c for c in pledge.coverage(read_engine(), in_river_order=False)}
    out = []
    for v in villages:
        c = found.get(v.get("code"))
        out.append(v if c is None else {**v, "fill": colour(c.share), "signed": c.signed,
                                        "share": None if c.share is None else round(c.share, 3),
                                        "tip": f"{v['tip']}\n{tip(c)}"})
    return out


def legend() -> None:
    """What the villages' colours mean: a strip of swatches drawn here, no basemap or tile needed."""
    steps = [0.0, 0.25, 0.5, 0.75, 1.0]
    names = [f"{100 * x:.0f}%" for x in steps] + [t("pledge.legend_none")]
    frame = pd.DataFrame({"share": names, "colour": [hex_colour(colour(x)) for x in steps] + [hex_colour(NO_COUNT)]})
    strip = alt.Chart(frame).mark_rect(stroke="#00695c").encode(
        x=alt.X("share:N", sort=names, title=None, axis=alt.Axis(labelAngle=0, orient="bottom", ticks=False)),
        color=alt.Color("colour:N", scale=None, legend=None)).properties(height=24)
    st.caption(t("pledge.legend"))
    st.altair_chart(strip, width="stretch", height=64)  # the chart's own height alone draws no swatch


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
    data = [{"lon": c.lon, "lat": c.lat, "fill": colour(c.share), "label": c.name, "tip": tip(c)} for c in found]
    dots = pdk.Layer("ScatterplotLayer", data, id="coverage", get_position=["lon", "lat"], get_fill_color="fill",
                     get_line_color=[0, 105, 92], stroked=True, line_width_min_pixels=1, get_radius=12,
                     radius_units=pdk.types.String("pixels"), pickable=True)
    with read_session() as s:
        river = layers.river(s)
    st.pydeck_chart(layers.deck([river, dots]), key=key, height=320)
    legend()


def panel(key: str) -> None:
    """The chart and the map with one line of totals."""
    found = rows()
    signed = sum(c.signed for c in found)
    st.markdown(t("pledge.totals", signed=signed, people=sum(c.people for c in found)))
    chart(found)
    coverage_map(found, key)
