"""HTTP routes served beside Streamlit (see server.py), and what the server does once when it starts."""
import threading
from contextlib import asynccontextmanager

from starlette.routing import BaseRoute

from qingxi.assistant import warm_up
from web import assistant, auth, downloads, open311, redirects


def routes() -> list[BaseRoute]:
    return auth.routes() + open311.routes() + downloads.routes() + assistant.routes() + redirects.routes()


@asynccontextmanager
async def lifespan(_app):
    """At start, off the request path: jieba's dictionary loads in the background, so the first
    villager's question is answered as fast as the next one."""
    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    yield None
