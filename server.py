"""What `streamlit run server.py` serves: the portal (app.py) plus the sign-in and Open311 routes."""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import web
from ui import outcome
from web import headers

# app.py builds the pages with st.navigation, which turns Streamlit's old pages/-folder mode off — but
# only once it has run. Until then a fresh server would answer the first deep link (/track?code=…)
# with the folder's module (/<name>) or a "Page not found" dialog. Turn it off before any session.
PagesManager.uses_pages_directory = False

app = st.App("app.py", routes=web.routes(), lifespan=web.lifespan, middleware=headers.middleware(),
             on_script_error=outcome.on_script_error)
