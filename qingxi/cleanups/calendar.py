"""Getting people there: the event's and a sign-up's links, the sign-up's QR code, the copy-ready
reminder for the day before, and the iCalendar file. Times are shown in the portal's time zone.
Every link starts with `base`, the portal's address (a page passes the one it was reached at),
else QINGXI_PUBLIC_URL."""
from __future__ import annotations

from urllib.parse import urlsplit

import icalendar
from sqlalchemy import Engine

from qingxi.cleanups.reads import summary
from qingxi.cleanups.rules import CleanupError, local
from qingxi.cleanups.shapes import Event
from qingxi.core import clock, qr
from qingxi.core.i18n import t
from qingxi.core.settings import current as settings

EVENTS_PATH = "cleanups"         # url_path of the events page (?id=<id>): in .ics files, keep it stable
SIGNUP_PATH = "cleanup-signup"   # url_path of a sign-up's own page (?code=<code>): printed in QR codes


def event_url(cleanup_id: int, base: str | None = None) -> str:
    return f"{base or settings().public_url}/{EVENTS_PATH}?id={cleanup_id}"


def signup_url(code: str, base: str | None = None) -> str:
    return f"{base or settings().public_url}/{SIGNUP_PATH}?code={code}"


def signup_qr_png(code: str, base: str | None = None) -> bytes:
    return qr.png(signup_url(code, base))


def signup_qr_svg(code: str, base: str | None = None) -> str:
    return qr.svg(signup_url(code, base))


def meeting_place(ev: Event, lang: str) -> str:
    """Where volunteers meet: the village, or the river-km marker."""
    if ev.meeting_village:
        return ev.meeting_village
    return t("cleanups.meeting_km", lang, km=f"{ev.meeting_km:.1f}")


def reminder_text(ev: Event, lang: str, code: str | None = None, base: str | None = None) -> str:
    """A copy-ready reminder for the day before (SMS or a group chat), in local time."""
    start, end = local(ev.starts_at), local(ev.ends_at)
    text = t("cleanups.reminder", lang, title=ev.title, date=start.strftime("%Y-%m-%d"),
             start=start.strftime("%H:%M"), end=end.strftime("%H:%M"), meeting=meeting_place(ev, lang),
             km_from=f"{ev.km_from:.1f}", km_to=f"{ev.km_to:.1f}",
             equipment=t("cleanups.list_sep", lang).join(ev.equipment) or t("cleanups.no_equipment", lang),
             url=event_url(ev.id, base))
    if code:
        text += "\n" + t("cleanups.reminder_code", lang, code=code, url=signup_url(code, base))
    return text


def ics(engine: Engine, cleanup_id: int, lang: str = "zh") -> bytes:
    """An iCalendar file for a published (or later) event; UID stable per event and portal."""
    ev = summary(engine, cleanup_id)
    if ev is None:
        raise CleanupError("not_found")
    return calendar_file(ev, lang)


def calendar_file(ev: Event, lang: str = "zh", base: str | None = None) -> bytes:
    """The .ics of an event view: DTSTART/DTEND in the portal's time zone (with its VTIMEZONE),
    LOCATION the meeting point, DESCRIPTION the section and what to bring, URL the event page."""
    tz = settings().timezone
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Qingxi Guardian//cleanups//ZH")
    cal.add("version", "2.0")
    item = icalendar.Event()
    host = urlsplit(settings().public_url).hostname or "qingxi"
    item.add("uid", f"cleanup-{ev.id}@{host}")
    item.add("dtstamp", clock.now())
    item.add("dtstart", ev.starts_at.astimezone(tz))
    item.add("dtend", ev.ends_at.astimezone(tz))
    item.add("summary", ev.title)
    item.add("location", meeting_place(ev, lang))
    item.add("geo", (ev.meeting_lat, ev.meeting_lon))
    lines = [t("cleanups.ics_section", lang, km_from=f"{ev.km_from:.1f}", km_to=f"{ev.km_to:.1f}")]
    if ev.equipment:
        lines.append(t("cleanups.ics_equipment", lang, equipment=t("cleanups.list_sep", lang).join(ev.equipment)))
    if ev.notes:
        lines.append(ev.notes)
    if ev.state == "cancelled":
        lines.insert(0, ev.cancel_message)
    item.add("description", "\n".join(lines))
    item.add("url", event_url(ev.id, base))
    item.add("status", "CANCELLED" if ev.state == "cancelled" else "CONFIRMED")
    cal.add_component(item)
    cal.add_missing_timezones()
    return cal.to_ical()

