"""When a photo was taken: the camera's clock, its zone offset and the GPS time stamp made into one
aware UTC instant, and which of them said so.

Phones disagree. Most Android cameras write DateTimeOriginal in local time with no offset; iPhones
add OffsetTimeOriginal; many also write the GPS fix's date and time, in UTC. The rules, in order:
1. the GPS date and time stamp, when both are there and plausible: source "gps";
2. DateTimeOriginal (else DateTime) with OffsetTimeOriginal (else OffsetTime): source "offset";
3. the same clock without an offset, read as local time in the portal's zone: source "local";
4. nothing usable: (None, "none").
A time before 2000, more than a few minutes in the future, zeroed ("0000:00:00 00:00:00") or
unparsable is dropped and the next rule is tried. Nothing here raises: EXIF is untrusted input.
"""
from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone, tzinfo

from PIL import ExifTags, Image

SOURCES = ("gps", "offset", "local", "none")
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
SLACK = timedelta(minutes=10)  # a phone's clock a little ahead of ours is still a real photo

_CLOCK = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_DATE = re.compile(r"^(\d{4})[:\-](\d{2})[:\-](\d{2})$")
_GPS_TIME, _GPS_DATE = 7, 29


def taken(exif: Image.Exif, zone: tzinfo, now: datetime) -> tuple[datetime | None, str]:
    """The instant a photo was taken (aware, UTC) and its source, one of SOURCES."""
    sub = _ifd(exif, ExifTags.IFD.Exif)
    gps = _ifd(exif, ExifTags.IFD.GPSInfo)
    at = _gps_instant(gps)
    if _plausible(at, now):
        return at, "gps"
    offsets = [_offset(sub.get(tag)) for tag in (ExifTags.Base.OffsetTimeOriginal, ExifTags.Base.OffsetTime)]
    clocks = [(_clock(sub.get(ExifTags.Base.DateTimeOriginal)), offsets),
              (_clock(exif.get(ExifTags.Base.DateTime)), offsets[::-1])]
    for clock, (own, other) in clocks:
        if clock is None:
            continue
        offset = own or other
        at = clock.replace(tzinfo=offset or zone).astimezone(timezone.utc)
        if _plausible(at, now):
            return at, "offset" if offset else "local"
    return None, "none"


def _plausible(at: datetime | None, now: datetime) -> bool:
    return at is not None and EARLIEST <= at <= now + SLACK


def _ifd(exif: Image.Exif, ifd: int) -> Mapping[int, object]:
    try:
        return exif.get_ifd(ifd) or {}
    except Exception:  # a damaged sub-IFD: as if it were not there
        return {}


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value.strip("\x00 ") if isinstance(value, str) else None


def _clock(value: object) -> datetime | None:
    """A naive "YYYY:MM:DD HH:MM:SS" (zeroed or blank clocks are common: None)."""
    match = _CLOCK.match(_text(value) or "")
    if not match:
        return None
    try:
        return datetime(*(int(part) for part in match.groups()))
    except ValueError:  # 0000:00:00, month 13, hour 24 ...
        return None


def _offset(value: object) -> timezone | None:
    """"+08:00" (or "+0800") as a zone; blank ("   :  ") or out of range gives None."""
    match = _OFFSET.match(_text(value) or "")
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > timedelta(hours=14) or int(minutes) >= 60:
        return None
    return timezone(-delta if sign == "-" else delta)


def _gps_instant(gps: Mapping[int, object]) -> datetime | None:
    """GPSDateStamp + GPSTimeStamp (three rationals, UTC); None when either is missing or broken."""
    day = _DATE.match(_text(gps.get(_GPS_DATE)) or "")
    parts = gps.get(_GPS_TIME)
    if not day or not isinstance(parts, (tuple, list)) or len(parts) != 3:
        return None
    try:
        hours, minutes, seconds = (_real(part) for part in parts)
        if not (hours < 24 and minutes < 60 and seconds < 61 and hours == int(hours) and minutes == int(minutes)):
            return None
        start = datetime(*(int(part) for part in day.groups()), tzinfo=timezone.utc)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        return None
    return start + timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _real(part: object) -> float:
    if isinstance(part, tuple) and len(part) == 2:  # a (numerator, denominator) pair
        part = float(part[0]) / float(part[1])
    if not isinstance(part, numbers.Real) or isinstance(part, bool):
        raise ValueError(part)
    value = float(part)  # an IFDRational with a zero denominator is nan
    if not math.isfinite(value) or value < 0:
        raise ValueError(part)
    return value
