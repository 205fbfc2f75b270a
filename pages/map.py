"""The map of the Qingxi's Shaliu reach: river, villages (approximate ones marked), reports with
filters, and the card of the report a visitor taps."""
from __future__ import annotations

import streamlit as st

from qingxi.core.settings import current as settings
from qingxi.reports import CATEGORIES, Kind, public
from ui import labels, lang, layers, pledge, read_session, t, text


def render() -> None:
    st.title(t("map.title"))
    st.caption(t("map.legend"))
    _map()


@st.fragment
def _map() -> None:
    with read_session() as s:
        base = public.map_base(s, lang())
        chosen, default = _filters(base)
        shown = public.map_reports(s, chosen, lang(), default)
        reports = layers.cell_layers(shown.cells) if shown.cells else [layers.report_layer(shown.points)]
        deck = layers.deck([layers.river_layer(base.lines), *layers.village_layers(pledge.shade(base.villages)), *reports],
                           tile_url=settings().tile_url)
        event = st.pydeck_chart(deck, key="river_map", on_select="rerun", selection_mode="single-object",
                                height=560)
        pledge.legend()
        if shown.cells:
            st.info(t("map.status.aggregated", n=shown.total, limit=public.POINT_LIMIT, cell=round(public.CELL_M)))
        elif shown.total:
            st.caption(t("map.status.shown", n=shown.total))
        else:
            st.caption(t("map.status.no_match") if shown.filtered else t("map.no_reports"))
        picked = _picked(event["selection"]["objects"])
        card = public.card(s, picked) if picked is not None else None
    if card:
        _card(card)


def _filters(base: public.MapBase) -> tuple[public.Filter, public.Filter]:
    """What the visitor chose, and what the map opens on (the last months, public.default_dates)."""
    recent = public.default_dates()
    with st.expander(t("map.filter.title"), icon=":material/filter_list:"):
        categories = st.multiselect(t("map.filter.category"), CATEGORIES, key="map_categories",
                                    format_func=labels("category"), placeholder=t("map.filter.any"), select_all=False)
        kinds = st.pills(t("map.filter.kind"), [k.value for k in Kind], selection_mode="multi",
                         key="map_kinds", format_func=labels("map.kind"))
        village = st.selectbox(t("map.filter.village"), list(base.village_names), index=None, key="map_village",
                               format_func=base.village_names.get, placeholder=t("map.filter.all_villages"))
        dates = st.date_input(t("map.filter.dates"), value=recent, key="map_dates", format="YYYY-MM-DD",
                              help=t("map.recent_help", days=public.RECENT_DAYS))
        km = st.slider(t("map.filter.km"), 0.0, base.reach_km, (0.0, base.reach_km), step=0.1,
                       format="%.1f", key="map_km")
    return (public.map_filter(categories, kinds, village, dates, km, base.reach_km),
            public.map_filter(dates=recent, reach_km=base.reach_km))


def _picked(objects: dict[str, list[dict]]) -> int | None:
    """The tapped report's id; the browser sends it, so anything but an int is ignored."""
    reports = objects.get("reports", [])
    report_id = reports[0].get("id") if reports else None
    return report_id if isinstance(report_id, int) else None


def _card(card: public.Card) -> None:
    with st.container(border=True):
        photo, words = st.columns([1, 2])
        if card.thumb:
            photo.image(str(card.thumb))
        words.subheader(t(f"category.{card.category}"))
        words.text(f"{t(f'state.{card.state}')} · {text.age(card.created_at)}")
        words.text(text.place(card.village, card.river_km, card.bank))
        words.text(t("map.card.supporters", n=card.supporters))
