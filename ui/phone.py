"""The portal on a phone: touch targets a finger can hit (44 px, Apple's and WCAG 2.5.5's size) and
a menu that closes once a page is chosen. Streamlit closes its menu after a choice only when the
browser calls itself a phone; a narrow window (a phone in desktop mode, a small tablet) keeps it open
over the page, so a small script closes it there too."""
from __future__ import annotations

import streamlit as st

NARROW = 768  # px: Streamlit's own "md" breakpoint, where the menu starts to cover the page

_CSS = f"""<style>
/* Streamlit's "Press Enter to apply" under a typed field is English in every language: hidden (the
   field applies when it loses focus too); a character counter after it stays, without its dot.
   (Streamlit writes the hint first whenever Enter applies, which is every field of ours.) */
[data-testid=InputInstructions] > span:first-child {{ display: none; }}
[data-testid=InputInstructions] > span:nth-child(2)::before {{ content: none; }}
@media (max-width: {NARROW}px) {{
  [data-testid=stExpandSidebarButton], [data-testid=stSidebarCollapseButton] button,
  [data-testid=stSidebarNavLink], [data-testid=stPageLink] a, .stButton button, .stFormSubmitButton button,
  .stDownloadButton button, [data-testid=stFileUploaderDropzone] button, [data-testid=stBaseButton-pills], [data-testid=stBaseButton-segmented_control],
  [data-testid=stExpander] summary, [data-baseweb=select] > div, [data-testid=stTextInputRootElement],
  [data-testid=stNumberInputContainer], [data-testid=stDateInputField] {{ min-height: 44px; }}
  [data-testid=stExpandSidebarButton], [data-testid=stSidebarCollapseButton] button {{ min-width: 44px; }}
  [data-testid=stCheckbox] label, [data-testid=stRadio] [role=radiogroup] label {{
    min-height: 44px; align-items: center; }}
  [data-baseweb=calendar] [role=gridcell] {{ min-width: 44px; min-height: 44px; }}
}}
</style>"""

_JS = f"""
export default function() {{
  if (window.qxMenuCloses) return;  // once per page load
  window.qxMenuCloses = true;
  document.addEventListener("click", event => {{
    if (window.innerWidth > {NARROW} || !event.target.closest("[data-testid=stSidebarNav] a")) return;
    const close = document.querySelector("[data-testid=stSidebarCollapseButton] button");
    if (close) requestAnimationFrame(() => close.click());
  }}, true);
}}
"""
_menu_closer = st.components.v2.component("qingxi_menu_closer", html="<span></span>", js=_JS)


def fit() -> None:
    """Once per run, before the page: the phone-sized style and the menu that closes."""
    st.html(_CSS)
    with st.sidebar:
        _menu_closer(key="qx_menu_closer")
