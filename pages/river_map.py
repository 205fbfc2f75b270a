"""The map of the Qingxi's Shaliu reach: river, villages (approximate ones marked), reports."""
import streamlit as st

from geo import layers
from qingxi import public
from qingxi.settings import current as settings
from ui import lang, session, t


def render() -> None:
    st.title(t("map.title"))
    st.caption(t("map.legend"))
    _map()


@st.fragment
def _map() -> None:
    with session() as s:
        features = public.map_features(s, lang())
    deck = layers.deck(
        [layers.river_layer(features["lines"]), *layers.village_layers(features["villages"]),
         layers.report_layer(features["reports"])],
        tile_url=settings().tile_url,
    )
    event = st.pydeck_chart(deck, key="river_map", on_select="rerun", selection_mode="single-object",
                            height=560)
    picked = event.selection.objects.get("reports", []) if event else []
    if picked:
        st.info(picked[0]["tip"])
    elif not features["reports"]:
        st.caption(t("map.no_reports"))
