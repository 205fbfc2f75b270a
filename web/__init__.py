"""HTTP routes served beside Streamlit (see server.py)."""
from starlette.routing import BaseRoute

from web import auth


def routes() -> list[BaseRoute]:
    return auth.routes()
