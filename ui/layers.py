"""pydeck layer builders: the river, its villages and the reports, drawn without a basemap by
default (no request leaves the machine); a tile URL from settings adds one."""
from __future__ import annotations

import json
import math
from urllib.parse import quote

import pydeck as pdk
from sqlalchemy.orm import Session

from qingxi.reports import public
from ui import lang

KIND_COLOURS = {"open": [214, 69, 48], "fixed": [46, 150, 84], "closed": [128, 128, 128]}
ROLE_STYLE = {"reach": ([25, 118, 210], 6), "upstream": ([120, 170, 220], 3), "tidal": ([120, 170, 220], 3)}
VIEW = pdk.ViewState(longitude=121.392, latitude=29.152, zoom=12.2)  # the Shaliu reach, end to end


def river_layer(lines: list[dict]) -> pdk.Layer:
    """lines: dicts with role, name, path ([[lon, lat], ...]) and tip."""
    data = [{**line, "colour": ROLE_STYLE[line["role"]][0], "width": ROLE_STYLE[line["role"]][1]}
            for line in lines]
    return pdk.Layer("PathLayer", data, id="river", get_path="path", get_color="colour",
                     get_width="width", width_units=pdk.types.String("pixels"), width_min_pixels=2, pickable=True)


def river(session: Session) -> pdk.Layer:
    """The river as every page draws it, tooltips in the reader's language."""
    return river_layer(public.river_lines(session, lang()))


def village_layers(villages: list[dict]) -> list[pdk.Layer]:
    """villages: dicts with lon, lat, label, approximate, riverside, tip, and optionally fill (an
    [r, g, b] colour: the pledge's coverage, ui.pledge.shade). Without a fill, approximate positions
    are hollow rings so nobody mistakes them for surveyed points; with one, they are paler."""
    def fill(v: dict) -> list[int]:
        if "fill" in v:
            return [*v["fill"][:3], 150 if v["approximate"] else 235]
        return [255, 255, 255, 0] if v["approximate"] else [90, 90, 90, 220]

    data = [{**v, "fill": fill(v), "line": [0, 105, 92] if v["riverside"] else [120, 120, 120]} for v in villages]
    dots = pdk.Layer("ScatterplotLayer", data, id="villages", get_position=["lon", "lat"],
                     get_fill_color="fill", get_line_color="line", stroked=True, filled=True,
                     line_width_min_pixels=2, get_radius=7, radius_units=pdk.types.String("pixels"), pickable=True)
    labels = pdk.Layer("TextLayer", data, id="village-labels", get_position=["lon", "lat"],
                       get_text="label", get_size=14, get_color=[40, 40, 40],
                       get_pixel_offset=[0, -16], character_set=pdk.types.String("auto"),
                       font_family=pdk.types.String("'WenQuanYi Zen Hei', 'Noto Sans CJK SC', sans-serif"))
    return [dots, labels]


def report_layer(reports: list[dict]) -> pdk.Layer:
    """reports: dicts with id, lon, lat, kind, tip (pickable: selecting one opens its card)."""
    data = [{**r, "colour": KIND_COLOURS[r["kind"]]} for r in reports]
    return pdk.Layer("ScatterplotLayer", data, id="reports", get_position=["lon", "lat"],
                     get_fill_color="colour", get_line_color=[255, 255, 255], stroked=True,
                     line_width_min_pixels=1, get_radius=6, radius_units=pdk.types.String("pixels"), pickable=True)


def cell_layers(cells: list[dict]) -> list[pdk.Layer]:
    """cells: dicts with lon, lat, n, kind, tip: many reports as one disc growing with their number,
    the number written on it (phones have no hover)."""
    data = [{**c, "colour": [*KIND_COLOURS[c["kind"]], 200], "radius": min(8 + 2 * math.sqrt(c["n"]), 36),
             "label": str(c["n"])} for c in cells]
    discs = pdk.Layer("ScatterplotLayer", data, id="report-cells", get_position=["lon", "lat"],
                      get_fill_color="colour", get_line_color=[255, 255, 255], stroked=True,
                      line_width_min_pixels=1, get_radius="radius", radius_units=pdk.types.String("pixels"),
                      pickable=True)
    counts = pdk.Layer("TextLayer", data, id="report-counts", get_position=["lon", "lat"], get_text="label",
                       get_size=12, get_color=[255, 255, 255])
    return [discs, counts]


def basemap_style(tile_url: str) -> str:
    """A raster MapLibre style as a data: URL, so a configured tile server is the only request."""
    style = {"version": 8, "sources": {"tiles": {"type": "raster", "tiles": [tile_url], "tileSize": 256}},
             "layers": [{"id": "tiles", "type": "raster", "source": "tiles"}]}
    return "data:application/json," + quote(json.dumps(style))


def deck(layers: list[pdk.Layer], tile_url: str | None = None, view: pdk.ViewState = VIEW) -> pdk.Deck:
    base = dict(map_provider="carto", map_style=basemap_style(tile_url)) if tile_url else dict(map_provider=None)
    # Text tooltips only: a report's words never become HTML.
    return pdk.Deck(layers=layers, initial_view_state=view, tooltip={"text": "{tip}"}, **base)


def pin_layer(lon: float, lat: float) -> pdk.Layer:
    """Where a report will land, on the small preview map."""
    return pdk.Layer("ScatterplotLayer", [{"lon": lon, "lat": lat}], id="pin", get_position=["lon", "lat"],
                     get_fill_color=[214, 69, 48], get_line_color=[255, 255, 255], stroked=True,
                     line_width_min_pixels=2, get_radius=9, radius_units=pdk.types.String("pixels"))


def marker_layer(markers: list[dict]) -> pdk.Layer:
    """Pickable river-km markers (a pick is the only way to get a place out of a deck map)."""
    return pdk.Layer("ScatterplotLayer", markers, id="markers", get_position=["lon", "lat"],
                     get_fill_color=[25, 118, 210, 200], get_line_color=[255, 255, 255], stroked=True,
                     line_width_min_pixels=1, get_radius=7, radius_units=pdk.types.String("pixels"),
                     pickable=True, auto_highlight=True)


def focus(lon: float, lat: float, zoom: float = 15) -> pdk.ViewState:
    return pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom)


def section_layer(path: list[list[float]], tip: str) -> pdk.Layer:
    """A stretch of the river highlighted (a proposal's km range), drawn over the river."""
    return pdk.Layer("PathLayer", [{"path": path, "tip": tip}], id="section", get_path="path",
                     get_color=[255, 160, 0, 220], get_width=10, width_units=pdk.types.String("pixels"),
                     width_min_pixels=6, pickable=True)


def section_deck(river: pdk.Layer, path: list[list[float]] | None, tip: str, over: list[pdk.Layer],
                 tile_url: str | None, zoom: float, fallback: tuple[float, float] | None = None) -> pdk.Deck:
    """The river with one stretch highlighted (path None: none) and `over` drawn on top, centred on
    the middle of the stretch, else on `fallback`, else the whole reach."""
    shown = [river, *([section_layer(path, tip)] if path else []), *over]
    middle = path[len(path) // 2] if path else fallback
    return deck(shown, tile_url=tile_url, view=focus(middle[0], middle[1], zoom) if middle else VIEW)


def result_layer(results: list[dict]) -> pdk.Layer:
    """results: dicts with lon, lat, tip — what a proposal built or did, as green discs."""
    return pdk.Layer("ScatterplotLayer", results, id="results", get_position=["lon", "lat"],
                     get_fill_color=[46, 150, 84], get_line_color=[255, 255, 255], stroked=True,
                     line_width_min_pixels=2, get_radius=9, radius_units=pdk.types.String("pixels"), pickable=True)


def score_layer(sections: list[dict]) -> pdk.Layer:
    """sections: dicts with lon, lat, score, tip — where to clean, as columns whose height and
    colour (yellow → red) grow with the section's score (0 ≤ share ≤ 1 of the top one)."""
    top = max((s["score"] for s in sections), default=0) or 1
    data = [{**s, "share": s["score"] / top,
             "colour": [230, int(200 - 150 * s["score"] / top), 40, 220]} for s in sections]
    return pdk.Layer("ColumnLayer", data, id="sections", get_position=["lon", "lat"], get_elevation="share",
                     elevation_scale=1500, radius=120, get_fill_color="colour", extruded=True, pickable=True)
