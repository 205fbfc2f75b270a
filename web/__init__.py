"""HTTP routes served beside Streamlit (see server.py)."""
from starlette.routing import BaseRoute

from web import assistant, auth, downloads, open311, redirects


def routes() -> list[BaseRoute]:
    return auth.routes() + open311.routes() + downloads.routes() + assistant.routes() + redirects.routes()
