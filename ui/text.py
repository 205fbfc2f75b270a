"""Plain-words formatting shared by pages (dates, ages, places)."""
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
