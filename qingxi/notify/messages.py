"""What a group message says, written from an event's payload alone (which never holds a name, a
phone number or a tracking code): category, village, river km, priority, the clock, a link to the
desk. Chinese unless a language is given."""
from __future__ import annotations

import json
from datetime import datetime

from qingxi.cleanups import EVENTS_PATH, signup_url
from qingxi.core.i18n import catalog, t
from qingxi.core.settings import current as settings
from qingxi.reports.track import status_url

DESK_PATH = "triage"        # ui.routes.DESK
PROPOSAL_PATH = "proposal"  # ui.routes.PROPOSAL


def _word(prefix: str, value, lang: str) -> str:
    if value in (None, ""):
        return "—"
    return catalog(lang).get(f"{prefix}.{value}", str(value))


def _when(value, lang: str) -> str:
    if not value:
        return "—"
    at = datetime.fromisoformat(str(value)) if not isinstance(value, datetime) else value
    if at.tzinfo is None:
        return str(value)
    return at.astimezone(settings().timezone).strftime("%Y-%m-%d %H:%M")


def _fields(payload: dict, lang: str) -> dict:
    base = settings().public_url
    km = payload.get("river_km")
    return {
        "id": payload.get("report_id") or payload.get("cleanup_id") or payload.get("proposal_id") or "",
        "category": _word("category", payload.get("category"), lang),
        "priority": _word("triage.priority", payload.get("priority"), lang),
        "state": _word("state", payload.get("state"), lang),
        "clock": _word("triage.clock", payload.get("clock"), lang),
        "village": payload.get("village") or t("notify.no_village", lang),
        "km": "—" if km is None else f"{km:.2f}",
        "title": payload.get("title") or "",
        "when": _when(payload.get("starts_at") or payload.get("deadline"), lang),
        "link": _link(base, payload),
    }


def _link(base: str, payload: dict) -> str:
    if "report_id" in payload:
        return f"{base}/{DESK_PATH}?report={payload['report_id']}"
    if "cleanup_id" in payload:
        return f"{base}/{EVENTS_PATH}?id={payload['cleanup_id']}"
    if "proposal_id" in payload:
        return f"{base}/{PROPOSAL_PATH}?id={payload['proposal_id']}"
    return base


def render(event: str, payload: dict | str, lang: str = "zh") -> tuple[str, str]:
    """(title, body) of one message."""
    data = json.loads(payload) if isinstance(payload, str) else payload
    values = _fields(data, lang)
    return t(f"notify.title.{event}", lang, **values), t(f"notify.body.{event}", lang, **values)


def render_person(event: str, payload: dict | str, code: str, lang: str = "zh") -> tuple[str, str]:
    """(title, body) of a message to one person: the state in plain words and their own page (a
    deputy's own proposal)."""
    data = json.loads(payload) if isinstance(payload, str) else payload
    values = _fields(data, lang) | {"link": _own_page(event, data, code)}
    return t(f"notify.title.{event}", lang, **values), t(f"notify.person.{event}", lang, **values)


def _own_page(event: str, payload: dict, code: str) -> str:
    """A reporter's tracking page, a volunteer's sign-up page, a deputy's proposal (after sign-in)."""
    if event.startswith("report."):
        return status_url(code)
    if event.startswith("cleanup."):
        return signup_url(code)
    return _link(settings().public_url, payload)


def digest(messages: list[tuple[str, str]], lang: str = "zh") -> tuple[str, str]:
    """Several messages folded into one (a channel's rate limit reached)."""
    lines = [f"{n}. {title}: {body}" for n, (title, body) in enumerate(messages, 1)]
    return t("notify.digest_title", lang, count=len(messages)), "\n".join(lines)


def test_message(lang: str = "zh") -> tuple[str, str]:
    return t("notify.test_title", lang), t("notify.test_body", lang, url=settings().public_url)
