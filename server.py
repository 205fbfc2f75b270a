"""What `streamlit run server.py` serves: the portal (app.py) plus the sign-in routes."""
import streamlit as st

import web

app = st.App("app.py", routes=web.routes())
