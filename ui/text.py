"""Plain-words formatting shared by pages (dates, ages, places), and `plain`: what a person typed, made\nsafe inside markdown."""
from __future__ import annotations

from datetime import datetime

from qingxi.core import clock
from qingxi.core.settings import current as settings
from ui import t


def age(at: datetime) -> str:
    days = (clock.now() - at).days
    if days < 1:
        hours = max(int((clock.now() - at).total_seconds() // 3600), 0)
        return t("time.hours_ago", n=hours) if hours else t("time.just_now")
    return t("time.days_ago", n=days)


def week(iso: str) -> str:
    """An ISO week ("2026-W42") as people say it: 第42周 / week 42 (the year when it is not this one)."""
    year, number = iso.split("-W")
    if int(year) == clock.now().astimezone(settings().timezone).year:
        return t("time.week", week=int(number))
    return t("time.week_of_year", week=int(number), year=int(year))


def duration(seconds: int) -> str:
    """A span in one plain unit: 30 minutes, 4 hours, 7 days (hours up to two days)."""
    if seconds < 3600:
        unit, n = "minute", max(round(seconds / 60), 1)
    elif seconds < 2 * 86_400:
        unit, n = "hour", round(seconds / 3600)
    else:
        unit, n = "day", round(seconds / 86_400)
    return t(f"time.{unit}" if n == 1 else f"time.{unit}s", n=n)


def when(at: datetime) -> str:
    return at.astimezone(settings().timezone).strftime("%Y-%m-%d %H:%M")


def place(village: str | None, km: float | None, bank: str | None, distance_m: float | None = None) -> str:
    parts = [village or t("place.no_village")]
    if km is not None:
        parts.append(t("map.km", km=km))
    if bank in ("left", "right"):
        parts.append(t(f"place.bank_{bank}"))
    if distance_m is not None:
        parts.append(t("place.distance", m=round(distance_m)))
    return " · ".join(parts)


def plain(value: str) -> str:
    """What a person typed, inside markdown (titles, captions, alerts, labels of links, buttons and
    progress bars all render markdown): escape everything markdown or HTML would act on, so it reads
    literally and never becomes an image, a link, emphasis or a tag."""
    out = str(value)
    for ch in "\\`*_{}[]<>()#+-.!|~$:":
        out = out.replace(ch, "\\" + ch)
    return out
