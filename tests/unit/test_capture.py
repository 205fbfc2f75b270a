"""When a photo was taken: the rules of qingxi.capture on EXIF as phones write it, and the corpus."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, TiffImagePlugin

from qingxi.core import capture, photos
from tests.support import phone_photos

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 4, 0, tzinfo=timezone.utc)
R = TiffImagePlugin.IFDRational


def exif(original=None, plain=None, offset_original=None, offset=None, gps_time=None, gps_date=None) -> Image.Exif:
    ex = Image.Exif()
    if plain is not None:
        ex[ExifTags.Base.DateTime] = plain
    sub = ex.get_ifd(ExifTags.IFD.Exif)
    for tag, value in ((ExifTags.Base.DateTimeOriginal, original), (ExifTags.Base.OffsetTimeOriginal, offset_original),
                       (ExifTags.Base.OffsetTime, offset)):
        if value is not None:
            sub[tag] = value
    gps = ex.get_ifd(ExifTags.IFD.GPSInfo)
    if gps_time is not None:
        gps[7] = gps_time
    if gps_date is not None:
        gps[29] = gps_date
    return _reloaded(ex)


def _reloaded(ex: Image.Exif) -> Image.Exif:
    """Read back from bytes, as prepare() reads a file."""
    fresh = Image.Exif()
    fresh.load(b"Exif\x00\x00" + ex.tobytes())
    return fresh


def taken(ex: Image.Exif, zone=SHANGHAI, now=NOW):
    return capture.taken(ex, zone, now)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_a_clock_without_an_offset_is_local_time_in_the_portals_zone():
    assert taken(exif(original="2026:10:03 09:41:12")) == (utc(2026, 10, 3, 1, 41, 12), "local")
    # The same photo read by a portal configured for another zone.
    assert taken(exif(original="2026:10:03 09:41:12"), ZoneInfo("Europe/Berlin")) == (utc(2026, 10, 3, 7, 41, 12),
                                                                                     "local")


@pytest.mark.parametrize("offset, expected", [
    ("+08:00", utc(2026, 10, 3, 1, 41, 12)), ("-05:00", utc(2026, 10, 3, 14, 41, 12)),
    ("+0530", utc(2026, 10, 3, 4, 11, 12)), ("+00:00", utc(2026, 10, 3, 9, 41, 12)),
])
def test_an_offset_makes_the_clock_exact(offset, expected):
    assert taken(exif(original="2026:10:03 09:41:12", offset_original=offset)) == (expected, "offset")
    assert taken(exif(original="2026:10:03 09:41:12", offset=offset)) == (expected, "offset")  # OffsetTime will do


@pytest.mark.parametrize("blank", ["   :  ", "", "+25:00", "08:00", "+08:75", "\x00\x00\x00"])
def test_a_blank_or_impossible_offset_falls_back_to_local_time(blank):
    assert taken(exif(original="2026:10:03 09:41:12", offset_original=blank)) == (utc(2026, 10, 3, 1, 41, 12), "local")


def test_the_gps_stamp_wins_for_the_instant():
    ex = exif(original="2026:10:03 09:41:12", offset_original="+08:00",
              gps_time=(R(1, 1), R(41, 1), R(105, 10)), gps_date="2026:10:03")
    assert taken(ex) == (utc(2026, 10, 3, 1, 41, 10, 500_000), "gps")


@pytest.mark.parametrize("gps_time, gps_date", [
    ((R(25, 1), R(0, 0), R(0, 1)), "2026:13:45"),      # hour 25, a 13th month
    ((R(1, 1), R(41, 1), R(10, 1)), None),             # a clock without its date
    (None, "2026:10:03"),                              # a date without its clock
    ((R(1, 1), R(41, 0), R(10, 1)), "2026:10:03"),     # a zero denominator
    ((R(1, 1), R(41, 1)), "2026:10:03"),               # two parts
    ((R(1, 1), R(41, 1), R(10, 1)), "0000:00:00"),     # zeroed date
    ((R(1, 1), R(41, 1), R(10, 1)), "2036:10:03"),     # ten years ahead
])
def test_a_broken_gps_stamp_gives_way_to_the_camera_clock(gps_time, gps_date):
    ex = exif(original="2026:10:03 09:41:12", gps_time=gps_time, gps_date=gps_date)
    assert taken(ex) == (utc(2026, 10, 3, 1, 41, 12), "local")


def test_datetime_original_comes_before_datetime_and_each_has_its_own_offset():
    ex = exif(original="2026:10:03 09:41:12", plain="2026:10:05 18:00:00")
    assert taken(ex) == (utc(2026, 10, 3, 1, 41, 12), "local")
    # Only DateTime: its own offset (OffsetTime) applies.
    ex = exif(plain="2026:10:05 18:00:00", offset="+09:00", offset_original="+08:00")
    assert taken(ex) == (utc(2026, 10, 5, 9, 0), "offset")


@pytest.mark.parametrize("clock", [
    "0000:00:00 00:00:00", "    :  :     :  :  ", "", "1999:12:31 23:59:59", "1970:01:01 08:00:00",
    "2026:02:30 10:00:00", "2026:10:03 24:00:00", "yesterday at noon", "2026-10-03", "\x00" * 20,
])
def test_implausible_or_unparsable_clocks_are_dropped(clock):
    assert taken(exif(original=clock)) == (None, "none")
    # ... and the other clock is used when it is good.
    assert taken(exif(original=clock, plain="2026:10:03 09:41:12")) == (utc(2026, 10, 3, 1, 41, 12), "local")


def test_the_future_is_dropped_beyond_a_few_minutes_of_slack():
    local = NOW.astimezone(SHANGHAI)
    ahead = lambda minutes: (local + timedelta(minutes=minutes)).strftime("%Y:%m:%d %H:%M:%S")  # noqa: E731
    assert taken(exif(original=ahead(3))) == (NOW.replace(microsecond=0) + timedelta(minutes=3), "local")
    assert taken(exif(original=ahead(60))) == (None, "none")
    assert taken(exif(original=(local + timedelta(days=800)).strftime("%Y:%m:%d %H:%M:%S"))) == (None, "none")


def test_no_exif_at_all_is_none():
    assert taken(Image.Exif()) == (None, "none")


@settings(max_examples=300, deadline=None)
@given(original=st.one_of(st.none(), st.text(max_size=25), st.binary(max_size=25)),
       offset=st.one_of(st.none(), st.text(max_size=8)),
       parts=st.one_of(st.none(), st.lists(st.tuples(st.integers(-5, 100), st.integers(-1, 100)), max_size=4)),
       gps_date=st.one_of(st.none(), st.text(max_size=12)))
def test_any_exif_gives_an_aware_plausible_instant_or_none(original, offset, parts, gps_date):
    gps_time = None if parts is None else tuple(R(n, d) for n, d in parts)
    try:
        ex = exif(original=original, offset_original=offset, gps_time=gps_time, gps_date=gps_date)
    except Exception:  # Pillow itself cannot write this value: nothing to read
        return
    at, source = taken(ex)
    assert source in capture.SOURCES
    assert (at is None) == (source == "none")
    if at is not None:
        assert at.tzinfo is not None and capture.EARLIEST <= at <= NOW + capture.SLACK


@pytest.mark.parametrize("sample", phone_photos.corpus(), ids=lambda s: s.name)
def test_each_photo_of_the_corpus_is_read_as_a_careful_person_would(sample):
    prepared = photos.prepare(sample.data)
    meta = prepared.meta
    assert (meta.taken_at, meta.taken_source) == (sample.taken_at, sample.taken_source)
    assert meta.taken_at is None or meta.taken_at.utcoffset() == timedelta(0)
    assert (meta.lon, meta.lat) == (pytest.approx(sample.gps[0]), pytest.approx(sample.gps[1])) if sample.gps \
        else (meta.lon, meta.lat) == (None, None)
    assert (prepared.width, prepared.height) == sample.upright
