"""What `streamlit run server.py` serves: the portal (app.py) plus the sign-in and Open311 routes."""
import streamlit as st

import web

app = st.App("app.py", routes=web.routes())
