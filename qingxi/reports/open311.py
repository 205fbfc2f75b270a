"""Open311 GeoReport v2, read-only: the ten categories as services and the visible reports as
service requests (https://wiki.open311.org/GeoReport_v2). No Streamlit and no HTTP here: web/open311.py
serves these over /open311/v2/….

What is deliberately empty or left out:
- `description` is always "": the reporter's own words may name people (personal data).
- `media_url` is always "": photos have no public URL yet (they are only shown inside the portal).
- `address_id`, `zipcode`, `service_notice` are "" and `expected_datetime` is null: we keep none.
- No reporter name or phone, no tracking code (it is the key to the reporter's actions), no hidden
  report; the identifier is the report id.
- Only JSON (`.json`); POST (creating requests) is not offered.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session

from db import downloads_queries
from qingxi.core.i18n import t
from qingxi.reports.downloads import iso
from qingxi.reports.states import CATEGORIES, KIND, Kind

DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000
GROUPS = {
    "floating_litter": "litter", "bank_litter": "litter", "illegal_dumping": "litter",
    "construction_waste": "litter", "sewage": "water", "water_colour_smell": "water",
    "dead_fish": "water", "illegal_fishing": "other", "damaged_facility": "other", "other": "other",
}
# Our state kinds → Open311's two statuses: open stays open; fixed and closed are both closed.
STATUS = {"open": (Kind.OPEN,), "closed": (Kind.FIXED, Kind.CLOSED)}
REQUEST_FIELDS = (
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
)
_ID = re.compile(r"[0-9]{1,9}")  # ASCII digits only, and within the database's integer
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")


class Open311Error(Exception):
    """An error the API reports as [{"code": …, "description": …}]."""

    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description

    def body(self) -> list[dict]:
        return [{"code": self.code, "description": self.description}]


def language(params: Mapping[str, str]) -> str:
    """`?locale=en` (or en-US, or lang=en) gives English; Chinese otherwise."""
    chosen = (params.get("locale") or params.get("lang") or "zh").lower()
    return "en" if chosen.startswith("en") else "zh"


def services(lang: str = "zh") -> list[dict]:
    return [{
        "service_code": code,
        "service_name": t(f"category.{code}", lang),
        "description": t("downloads.service_description", lang, name=t(f"category.{code}", lang)),
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(code.split("_")),
        "group": t(f"downloads.group_{GROUPS[code]}", lang),
    } for code in CATEGORIES]


@dataclass(frozen=True)
class Query:
    ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    states: tuple[str, ...] | None = None  # None: any state
    since: datetime | None = None
    until: datetime | None = None


def _list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _date(params: Mapping[str, str], name: str) -> datetime | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace(" ", "+"))  # a raw "+" in a query string is a space
        return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    except ValueError:
        raise Open311Error(400, f"{name} must be an ISO 8601 date and time, e.g. 2025-06-01T00:00:00Z") from None
    except OverflowError:  # 9999-12-31T23:00:00-05:00 is past the last instant a datetime can hold
        raise Open311Error(400, f"{name} is out of range") from None


def parse(params: Mapping[str, str], now: datetime) -> Query:
    """The spec's filters. With service_request_id the others are ignored (as the spec says);
    otherwise the window is the last 90 days unless start_date/end_date say otherwise."""
    if ids := _list(params.get("service_request_id")):
        if not all(_ID.fullmatch(i) for i in ids):
            raise Open311Error(400, "service_request_id must be a comma-separated list of numbers")
        return Query(ids=tuple(int(i) for i in ids))
    statuses = _list(params.get("status"))
    if unknown := [s for s in statuses if s not in STATUS]:
        raise Open311Error(400, f"unknown status {unknown[0]!r}: use open or closed")
    states = None
    if statuses:
        kinds = {k for s in statuses for k in STATUS[s]}
        states = tuple(state.value for state, kind in KIND.items() if kind in kinds)
    since, until = _date(params, "start_date"), _date(params, "end_date")
    if since is None and until is None:
        since = now - DEFAULT_WINDOW
    if since is not None and until is not None and since > until:
        raise Open311Error(400, "start_date must not be after end_date")
    return Query(categories=tuple(_list(params.get("service_code"))), states=states, since=since, until=until)


def _address(row: dict, lang: str) -> str:
    parts = [row["village"]] if row["village"] else []
    if row["river_km"] is not None:
        parts.append(t("downloads.address_km", lang, km=f"{row['river_km']:.1f}"))
    return " · ".join(parts)


def _request(row: dict, lang: str) -> dict:
    kind = KIND[row["state"]]
    return {
        "service_request_id": str(row["id"]),
        "status": "open" if kind is Kind.OPEN else "closed",
        "status_notes": t(f"state.{row['state']}", lang),
        "service_name": t(f"category.{row['category']}", lang),
        "service_code": row["category"],
        "description": "",
        "agency_responsible": row["unit"] or "",
        "service_notice": "",
        "requested_datetime": iso(row["created_at"]),
        "updated_datetime": iso(row["updated_at"]),
        "expected_datetime": None,
        "address": _address(row, lang),
        "address_id": "",
        "zipcode": "",
        "lat": row["lat"],
        "long": row["lon"],
        "media_url": "",
    }


def requests(session: Session, query: Query, lang: str = "zh") -> list[dict]:
    rows = downloads_queries.open311_rows(session, ids=query.ids, categories=query.categories, states=query.states,
                                       since=query.since, until=query.until, limit=MAX_RESULTS)
    return [_request(row, lang) for row in rows]


def request(session: Session, request_id: str, lang: str = "zh") -> list[dict]:
    """One request, as the spec's one-element array; unknown or hidden → 404."""
    found = downloads_queries.open311_rows(session, ids=[int(request_id)]) if _ID.fullmatch(request_id) else []
    if not found:
        raise Open311Error(404, f"no service request {request_id}")
    return [_request(found[0], lang)]
