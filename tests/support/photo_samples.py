"""Sample photos made in memory for the photo pipeline tests."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import datetime

import numpy as np
import pillow_heif
from PIL import ExifTags, Image, TiffImagePlugin

pillow_heif.register_heif_opener()

QINGXI = (121.40, 29.15)  # lon, lat on the river
PARIS = (2.3522, 48.8566)


def picture(size: tuple[int, int] = (800, 600), mode: str = "RGB") -> Image.Image:
    """Smooth colour gradients: compress like a photo, and colours are easy to check."""
    w, h = size
    x = np.linspace(0, 255, w, dtype=np.float32)[None, :].repeat(h, 0)
    y = np.linspace(0, 255, h, dtype=np.float32)[:, None].repeat(w, 1)
    rgb = np.stack([x, y, 255 - (x + y) / 2], axis=-1).astype(np.uint8)
    return Image.fromarray(rgb).convert(mode)


def encode(im: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()


def dms(degrees: float, denominator: int = 10_000, pairs: bool = False) -> tuple:
    """|degrees| as (degrees, minutes, seconds): IFDRationals as Pillow reads them, or (num, den) pairs."""
    value = abs(degrees)
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60 * denominator)
    parts = ((d, 1), (m, 1), (s, denominator))
    return parts if pairs else tuple(TiffImagePlugin.IFDRational(n, q) for n, q in parts)


def gps_ifd(lon: float, lat: float) -> dict[int, object]:
    return {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)}


def exif(*, gps: dict[int, object] | None = None, orientation: int | None = None, make: str | None = None,
         model: str | None = None, taken: datetime | None = None) -> bytes:
    ex = Image.Exif()
    if orientation is not None:
        ex[ExifTags.Base.Orientation] = orientation
    if make is not None:
        ex[ExifTags.Base.Make] = make
    if model is not None:
        ex[ExifTags.Base.Model] = model
    if taken is not None:
        ex.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if gps is not None:
        ex.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    return ex.tobytes()


def jpeg(size: tuple[int, int] = (800, 600), **exif_fields) -> bytes:
    """A JPEG from a phone: EXIF only when fields are given."""
    options = {"exif": exif(**exif_fields)} if exif_fields else {}
    return encode(picture(size), "JPEG", quality=90, **options)


def with_app1(data: bytes, payload: bytes) -> bytes:
    """Insert an APP1 segment holding payload right after the JPEG's SOI marker."""
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + data[2:]


def segments(data: bytes) -> list[int]:
    """Marker codes of a JPEG's segments before the image data (APPn, COM, DQT, SOF, DHT...)."""
    assert data[:2] == b"\xff\xd8"
    found, i = [], 2
    while data[i + 1] != 0xDA:  # SOS: entropy-coded data follows
        found.append(data[i + 1])
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return found


def bomb_png(width: int, height: int) -> bytes:
    """A 1-bit black PNG: a few dozen kB that claim width x height pixels."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def animation(fmt: str, frames: int = 3) -> bytes:
    """An animation of moving colours in GIF, WEBP or PNG (APNG)."""
    images = [Image.new("RGB", (64, 48), (40 * i, 100, 200)) for i in range(frames)]
    return encode(images[0], fmt, save_all=True, append_images=images[1:], duration=100, loop=0)


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("payload/readme.txt", "HIDDEN-ZIP-PAYLOAD " * 20)
    return buf.getvalue()
