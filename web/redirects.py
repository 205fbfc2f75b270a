"""Old page addresses people may have bookmarked or printed on QR codes, sent on to the page's
address today (query kept). A permanent redirect: browsers and link checkers learn the new one."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Route

OLD_PATHS = {"welcome": "",  # the home page lives at the root
              "overview": "dashboard", "admin": "accounts", "desk": "triage"}


def routes() -> list[BaseRoute]:
    def redirect(new: str):
        async def endpoint(request: Request) -> RedirectResponse:
            query = request.url.query
            return RedirectResponse(f"/{new}" + (f"?{query}" if query else ""), status_code=301)
        return endpoint

    return [Route(f"/{old}", redirect(new), methods=["GET", "HEAD"]) for old, new in OLD_PATHS.items()]
