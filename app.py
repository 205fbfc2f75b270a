"""Qingxi Guardian (清溪守护): settings, language, who the user is, and the pages they may open."""
import streamlit as st

from pages import home, reporting, river_map, signboards, status
from qingxi import signboards as signs
from qingxi.i18n import pick_language
from qingxi.settings import LANGUAGES, current as settings
from ui import t

st.set_page_config(page_title="清溪守护 Qingxi Guardian", page_icon="💧", layout="wide")

language = pick_language(st.query_params.get("lang"), st.session_state.get("lang"),
                         st.context.locale, settings().default_language)
st.session_state["lang"] = language
st.query_params["lang"] = language


def switch_language() -> None:
    chosen = st.session_state["language_switch"]
    if chosen:  # clicking the selected option deselects it: keep the language then
        st.session_state["lang"] = st.query_params["lang"] = chosen


with st.sidebar:
    st.segmented_control(
        t("nav.language"), LANGUAGES, default=language, key="language_switch", on_change=switch_language,
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
    )

role = "public"  # accounts and roles arrive with the staff issue


def pages_for(role: str) -> list:
    public = [
        # url_paths differ from module names: a page file must never be reachable by its own name.
        st.Page(home.render, title=t("nav.home"), icon=":material/home:", url_path="welcome", default=True),
        st.Page(reporting.render, title=t("nav.report"), icon=":material/add_a_photo:", url_path=signs.REPORT_PATH),
        st.Page(status.render, title=t("nav.track"), icon=":material/search:", url_path=status.URL),
        st.Page(river_map.render, title=t("nav.map"), icon=":material/map:", url_path="map"),
        st.Page(signboards.render, title=t("nav.signs"), icon=":material/qr_code_2:", url_path="signs"),
    ]
    return public


st.navigation(pages_for(role)).run()
