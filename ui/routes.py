"""Every page's url_path, and the links between pages. The paths printed in QR codes, on signboards
and in calendar files belong to the domain (it writes those absolute links); app.py and the pages
take every path from here. One name per area: a page's url_path is its module's name
(`pages/triage.py` is /triage). Paths that were printed or bookmarked before keep working:
web.redirects sends them here."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from qingxi import cleanups
from qingxi.core.settings import current as settings
from qingxi.reports import signs, track

HOME = "home"
REPORT = signs.REPORT_PATH
TRACK = track.STATUS_PATH
MAP = "map"
CLEANUPS = cleanups.EVENTS_PATH      # one day: ?id=
SIGNUP = cleanups.SIGNUP_PATH        # one sign-up: ?code=
CLEANUP_NUMBERS = "cleanup-numbers"
PROPOSALS = "proposals"
PROPOSAL = "proposal"                # one proposal: ?id=
DOWNLOADS = "downloads"
SIGN_IN = "signin"
MY_PROPOSALS = "my-proposals"
DASHBOARD = "dashboard"
TRIAGE = "triage"
CLEANUP_PLAN = "cleanup-planning"
CLEANUP_DAY = "cleanup-day"          # one day: ?id=
SIGNS = "signs"
ACCOUNT = "account"
ACCOUNTS = "accounts"
SETTINGS = "settings"
NOTIFY = "notify"


def _registered() -> None:
    """Stands in for the page app.py registers at a url_path: Streamlit finds a linked page by its
    url_path alone."""


def link(url_path: str, label: str, icon: str, width: str = "content", **query) -> None:
    """A link to the page at `url_path`, with its query (id=..., code=...); width="stretch" fills
    its column."""
    st.page_link(st.Page(_registered, url_path=url_path), label=label, icon=icon, width=width,
                 query_params={name: str(value) for name, value in query.items()})


ASSISTANT = "assistant"              # the question assistant's chat
ASSISTANT_INBOX = "assistant-inbox"  # staff: handed-over questions, FAQ candidates
PLEDGE = "pledge"
PLEDGE_DOORS = "pledge-doors"         # representatives and staff
MEETINGS = "meetings"                 # one day's minutes: ?id=
MEETINGS_DESK = "meetings-desk"

DOWNLOAD_FILES = "/downloads/reports"  # served by web.downloads as .csv and .geojson (?lang=), streamed


def download_url(kind: str, lang: str) -> str:
    """The public file's address: made on request and cached by the server, not by the page."""
    return f"{DOWNLOAD_FILES}.{kind}?lang={lang}"


_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def public_base() -> str:
    """The portal's address in every link a person takes away from a page (QR codes, reminder text,
    .ics files, share links): QINGXI_PUBLIC_URL when it is set; else the address this page was
    reached at (the browser's, else the request's Host and X-Forwarded-Proto); else the default."""
    config = settings()
    if config.public_url_set:
        return config.public_url
    return _reached_at() or config.public_url


def _reached_at() -> str | None:
    """scheme://host[:port][/prefix] of this page view, without the page's own path."""
    if url := st.context.url:  # what the browser's address bar says, this page's path included
        parts = urlsplit(url)
        ctx = get_script_run_ctx()
        pages = {info.get("url_pathname") for info in ctx.pages_manager.get_pages().values()} if ctx else set()
        prefix, _, last = parts.path.rstrip("/").rpartition("/")
        path = prefix if last in pages else parts.path.rstrip("/")
        if parts.scheme in ("http", "https") and _HOST.fullmatch(parts.netloc or ""):
            return f"{parts.scheme}://{parts.netloc}{path}"
    headers = st.context.headers
    host, scheme = headers.get("host") or "", (headers.get("x-forwarded-proto") or "http").split(",")[0].strip()
    if _HOST.fullmatch(host) and scheme in ("http", "https"):
        return f"{scheme}://{host}"
    return None
