"""Photos as phones and chat apps really write them, made in memory: the corpus every photo path is
tested with. Each Sample says what a careful reader of its EXIF must conclude."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import numpy as np
import pillow_heif
from PIL import ExifTags, Image, TiffImagePlugin

pillow_heif.register_heif_opener()

RIVER = (121.398, 29.1492)  # lon, lat just north of the Shaliu reach (km ~5.5, 沙柳村)
SHOT = datetime(2026, 10, 3, 9, 41, 12)  # the camera's clock: local time in Sanmen, no zone
SHOT_UTC = datetime(2026, 10, 3, 1, 41, 12, tzinfo=timezone.utc)
GPS_UTC = datetime(2026, 10, 3, 1, 41, 10, tzinfo=timezone.utc)  # the fix, two seconds before the shutter


@dataclass(frozen=True)
class Sample:
    name: str  # a file name as the phone gives it
    data: bytes = field(repr=False)
    mime: str
    taken_at: datetime | None  # what qingxi.capture must read (aware UTC)
    taken_source: str
    gps: tuple[float, float] | None  # lon, lat the photo places the report at, if any
    upright: tuple[int, int]  # (width, height) of the public copy's longest-side-1600 shape, as seen


def _rational(value: float, den: int = 10_000) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(round(value * den), den)


def _dms(degrees: float) -> tuple:
    d = int(abs(degrees))
    m = int((abs(degrees) - d) * 60)
    s = ((abs(degrees) - d) * 60 - m) * 60
    return (_rational(d, 1), _rational(m, 1), _rational(s))


def _gps(lon: float, lat: float, *, altitude: float | None = None, stamp: datetime | None = None,
         broken_time: bool = False) -> dict[int, object]:
    tags: dict[int, object] = {0: b"\x02\x02\x00\x00", 1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)}
    if altitude is not None:
        tags |= {5: b"\x00", 6: _rational(altitude, 100)}  # above sea level, metres
    if stamp is not None:
        tags |= {7: (_rational(stamp.hour, 1), _rational(stamp.minute, 1), _rational(stamp.second, 1)),
                 29: stamp.strftime("%Y:%m:%d")}
    if broken_time:  # seen in the wild: a fix without a clock, hour 25 and a 13th month
        tags |= {7: (TiffImagePlugin.IFDRational(25, 1), TiffImagePlugin.IFDRational(0, 0),
                     TiffImagePlugin.IFDRational(0, 1)), 29: "2026:13:45"}
    return tags


def _exif(*, make: str | None = None, model: str | None = None, orientation: int | None = None,
          original: str | None = None, plain: str | None = None, offset: str | None = None,
          gps: dict[int, object] | None = None, software: str | None = None) -> bytes:
    ex = Image.Exif()
    for tag, value in ((ExifTags.Base.Make, make), (ExifTags.Base.Model, model),
                       (ExifTags.Base.Orientation, orientation), (ExifTags.Base.DateTime, plain),
                       (ExifTags.Base.Software, software)):
        if value is not None:
            ex[tag] = value
    sub = ex.get_ifd(ExifTags.IFD.Exif)
    if original is not None:
        sub[ExifTags.Base.DateTimeOriginal] = original
        sub[ExifTags.Base.DateTimeDigitized] = original
    if offset is not None:
        for tag in (ExifTags.Base.OffsetTime, ExifTags.Base.OffsetTimeOriginal, ExifTags.Base.OffsetTimeDigitized):
            sub[tag] = offset
    if gps is not None:
        ex.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    return ex.tobytes()


def scene(size: tuple[int, int], seed: int = 0, grain: float = 12) -> Image.Image:
    """A riverbank-ish picture with sensor grain, so it compresses like a photo (not like a flat colour)."""
    w, h = size
    rng = np.random.default_rng(seed)
    x = np.broadcast_to(np.linspace(0, 1, w, dtype=np.float32)[None, :], (h, w))
    y = np.broadcast_to(np.linspace(0, 1, h, dtype=np.float32)[:, None], (h, w))
    sky = np.stack([120 + 80 * y, 170 + 40 * y, 220 - 60 * y], axis=-1) * (y < 0.4)[..., None]
    water = np.stack([40 + 30 * x, 90 + 40 * y, 80 + 30 * x], axis=-1) * (y >= 0.4)[..., None]
    noise = rng.normal(0, grain, (h, w, 3))
    return Image.fromarray(np.clip(sky + water + noise, 0, 255).astype(np.uint8))


def _encode(im: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()


def _jpeg(size: tuple[int, int], seed: int, **exif) -> bytes:
    return _encode(scene(size, seed), "JPEG", quality=90, **({"exif": _exif(**exif)} if exif else {}))


def android_jpeg(seed: int = 1) -> Sample:
    """Most Android cameras: local clock without an offset, GPS with altitude and its own UTC stamp,
    the sensor's landscape pixels with orientation 6 (shot in portrait)."""
    data = _jpeg((2000, 1500), seed, make="Xiaomi", model="Redmi Note 12", orientation=6,
                 original=SHOT.strftime("%Y:%m:%d %H:%M:%S"), plain=SHOT.strftime("%Y:%m:%d %H:%M:%S"),
                 gps=_gps(*RIVER, altitude=12.5, stamp=GPS_UTC), software="MIUI")
    return Sample(f"IMG_20261003_094112_{seed}.jpg", data, "image/jpeg", GPS_UTC, "gps", RIVER, (1200, 1600))


def iphone_heic(seed: int = 2) -> Sample:
    """An iPhone: HEIC with the offset tags, GPS with altitude (no GPS clock here: the offset decides)."""
    exif = _exif(make="Apple", model="iPhone 14", orientation=6, original=SHOT.strftime("%Y:%m:%d %H:%M:%S"),
                 plain=SHOT.strftime("%Y:%m:%d %H:%M:%S"), offset="+08:00", gps=_gps(*RIVER, altitude=8.2),
                 software="17.5.1")
    data = _encode(scene((1600, 1200), seed), "HEIF", quality=80, exif=exif, enc_params={"preset": "ultrafast"})
    return Sample(f"IMG_{4000 + seed}.HEIC", data, "image/heic", SHOT_UTC, "offset", RIVER, (1200, 1600))


def datetime_only_jpeg(seed: int = 3) -> Sample:
    """An older camera app: only IFD0 DateTime (local), no GPS."""
    data = _jpeg((1280, 960), seed, make="HUAWEI", model="Y7", plain="2026:09:30 17:05:00")
    at = datetime(2026, 9, 30, 9, 5, tzinfo=timezone.utc)
    return Sample(f"DSC_{seed:04d}.jpg", data, "image/jpeg", at, "local", None, (1280, 960))


def zero_date_jpeg(seed: int = 4) -> Sample:
    """A phone that never set its clock: zeroed dates, which mean "unknown"."""
    data = _jpeg((1024, 768), seed, make="vivo", model="Y3", original="0000:00:00 00:00:00",
                 plain="0000:00:00 00:00:00")
    return Sample(f"IMG_0000_{seed}.jpg", data, "image/jpeg", None, "none", None, (1024, 768))


def future_date_jpeg(seed: int = 5) -> Sample:
    """A clock set years ahead: not a time the photo can have been taken."""
    ahead = (datetime.now() + timedelta(days=800)).strftime("%Y:%m:%d %H:%M:%S")
    data = _jpeg((1024, 768), seed, make="OPPO", model="A57", original=ahead, plain=ahead)
    return Sample(f"IMG_future_{seed}.jpg", data, "image/jpeg", None, "none", None, (1024, 768))


def screenshot_png(seed: int = 6) -> Sample:
    """A screenshot: a PNG with no EXIF at all, at a phone screen's size."""
    data = _encode(scene((1170, 2532), seed, grain=0), "PNG")
    return Sample(f"Screenshot_20261003-094500_{seed}.png", data, "image/png", None, "none", None, (739, 1600))


def forwarded_jpeg(seed: int = 7) -> Sample:
    """A photo forwarded in a chat group: re-compressed, shrunk, every bit of metadata stripped."""
    data = _encode(scene((1080, 810), seed), "JPEG", quality=75)
    return Sample(f"mmexport{1759455672000 + seed}.jpg", data, "image/jpeg", None, "none", None, (1080, 810))


def broken_gps_time_jpeg(seed: int = 8) -> Sample:
    """A fix without a usable clock (hour 25, month 13): the camera's own clock decides."""
    data = _jpeg((1600, 1200), seed, make="samsung", model="SM-A5360", original=SHOT.strftime("%Y:%m:%d %H:%M:%S"),
                 gps=_gps(*RIVER, altitude=15.0, broken_time=True))
    return Sample(f"20261003_094112_{seed}.jpg", data, "image/jpeg", SHOT_UTC, "local", RIVER, (1600, 1200))


MAKERS = (android_jpeg, iphone_heic, datetime_only_jpeg, zero_date_jpeg, future_date_jpeg, screenshot_png,
          forwarded_jpeg, broken_gps_time_jpeg)


@lru_cache(maxsize=64)
def corpus(seed: int = 0) -> list[Sample]:
    """One of each; a different seed gives different bytes (each photo path may refuse a repeat)."""
    return [make(seed * 100 + i) for i, make in enumerate(MAKERS, start=1)]
