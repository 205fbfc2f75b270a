"""The browser's own location, asked for only when the person taps the button (no CDN: the
component is inline JavaScript served by Streamlit; needs HTTPS or localhost)."""
from __future__ import annotations

import streamlit as st

_JS = """
export default function(component) {
  const { setTriggerValue, parentElement, data } = component;
  const button = parentElement.querySelector("button");
  const note = parentElement.querySelector("span");
  button.textContent = data.label;
  button.onclick = () => {
    if (!navigator.geolocation) { setTriggerValue("position", {error: "unsupported"}); return; }
    note.textContent = data.waiting;
    navigator.geolocation.getCurrentPosition(
      (p) => { note.textContent = ""; setTriggerValue("position", {lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy}); },
      (e) => { note.textContent = ""; setTriggerValue("position", {error: e.code === 1 ? "denied" : "unavailable"}); },
      {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  };
}
"""
_CSS = """
button { font: inherit; padding: 0.5rem 1rem; border-radius: 0.5rem; border: 1px solid var(--st-primary-color);
         background: var(--st-primary-color); color: white; cursor: pointer; }
span { margin-left: 0.75rem; color: var(--st-text-color); }
"""
_component = st.components.v2.component("qingxi_geolocation", html="<button></button><span></span>",
                                        css=_CSS, js=_JS)


def locate_button(label: str, waiting: str, key: str) -> dict | None:
    """A button that asks the phone where it is; returns {lon, lat, accuracy} or {error} once."""
    result = _component(data={"label": label, "waiting": waiting}, key=key, on_position_change=lambda: None)
    return result.position if result is not None else None
