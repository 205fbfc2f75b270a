"""A plain HTML form that posts to one of our routes (a full page load, so the server can set or
clear the HttpOnly session cookie). Built with DOM calls from `data`: no markup is interpolated."""
from __future__ import annotations

import streamlit as st

_JS = """
export default function(component) {
  const { parentElement, data } = component;
  const form = parentElement.querySelector("form");
  form.replaceChildren();
  form.method = "post";
  form.action = data.action;
  for (const f of data.fields) {
    const label = document.createElement("label");
    label.textContent = f.label;
    const input = document.createElement("input");
    Object.assign(input, {name: f.name, type: f.type, autocomplete: f.autocomplete, required: true});
    label.append(input);
    form.append(label);
  }
  for (const [name, value] of Object.entries(data.hidden)) {
    const input = document.createElement("input");
    Object.assign(input, {type: "hidden", name, value});
    form.append(input);
  }
  const button = document.createElement("button");
  button.type = "submit";
  button.textContent = data.submit;
  form.append(button);
}
"""
_CSS = """
form { display: flex; flex-direction: column; gap: 0.75rem; max-width: 24rem; }
label { display: flex; flex-direction: column; gap: 0.25rem; font: inherit; color: var(--st-text-color); }
input { font: inherit; padding: 0.5rem; border-radius: 0.5rem; border: 1px solid var(--st-border-color, #ccc); }
button { font: inherit; padding: 0.5rem 1rem; border-radius: 0.5rem; border: 1px solid var(--st-primary-color);
         background: var(--st-primary-color); color: white; cursor: pointer; align-self: flex-start; }
"""
_component = st.components.v2.component("qingxi_post_form", html="<form></form>", css=_CSS, js=_JS)


def post_form(action: str, submit: str, key: str, fields: list[dict] | None = None,
              hidden: dict[str, str] | None = None) -> None:
    """fields: [{name, label, type, autocomplete}]; hidden: name → value."""
    _component(data={"action": action, "submit": submit, "fields": fields or [], "hidden": hidden or {}}, key=key)
