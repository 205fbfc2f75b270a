"""The photo pipeline: what is refused and why, what is kept, and how it is stored."""
from __future__ import annotations

import hashlib
import io
import math
import os
import struct
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageFile
from PIL.PngImagePlugin import PngImageFile
from PIL.TiffImagePlugin import IFDRational

from qingxi.core import photos
from qingxi.core.photos import PhotoError, prepare, read_gps
from tests.support import photo_samples as samples


def refused(data: bytes) -> str:
    with pytest.raises(PhotoError) as caught:
        prepare(data)
    return caught.value.key


def rgb_at(data: bytes, xy: tuple[int, int]) -> tuple[int, ...]:
    im = Image.open(io.BytesIO(data))
    assert im.mode == "RGB"
    return im.getpixel(xy)


def near(a: tuple[int, ...], b: tuple[int, ...], tol: int = 12) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="session")
def bomb() -> bytes:
    return samples.bomb_png(20_000, 20_000)


@pytest.fixture(scope="session")
def phone_jpeg() -> bytes:
    return samples.jpeg((2400, 1800), gps=samples.gps_ifd(*samples.QINGXI), make="Xiaomi", model="Redmi Note 12",
                        taken=datetime(2024, 5, 1, 14, 3, 22))


# --- refusals: one per kind of bad input ---

def test_text_file_named_jpg_is_not_an_image():
    assert refused(b"IMG_2024.jpg: this is a text file, not a photo\n" * 20) == "not_image"
    assert refused(b"<!DOCTYPE html><html><body>IMG_0001.JPG</body></html>") == "not_image"


def test_zero_bytes_are_empty():
    assert refused(b"") == "empty"


def test_cut_off_jpeg_is_truncated(phone_jpeg):
    assert not ImageFile.LOAD_TRUNCATED_IMAGES
    assert refused(phone_jpeg[: len(phone_jpeg) * 2 // 3]) == "truncated"


def test_decompression_bomb_is_refused_from_its_header(bomb, monkeypatch):
    assert len(bomb) < 100_000
    monkeypatch.setattr(PngImageFile, "load", lambda self: pytest.fail("a bomb was decoded"))
    assert refused(bomb) == "too_many_pixels"
    # just past our limit, far below Pillow's own: our header check refuses it
    assert refused(samples.bomb_png(8000, 5001)) == "too_many_pixels"


def test_a_tiny_png_claiming_forty_million_pixels_is_refused_without_decoding(monkeypatch):
    """165 KiB that claim 6300 x 6300: decoding it took 0.67 s and 520 MB; the header is enough."""
    small = samples.bomb_png(6300, 6300)
    assert len(small) < 200_000
    monkeypatch.setattr(PngImageFile, "load", lambda self: pytest.fail("decoded a PNG bomb"))
    assert refused(small) == "too_many_pixels"


def test_a_large_jpeg_is_still_accepted_as_it_is_decoded_at_reduced_scale():
    assert prepare(samples.jpeg((6000, 4000))).width == photos.PUBLIC_SIDE  # 24 MP, like a 24 MP camera


def test_file_over_the_limit_is_refused_before_decoding(phone_jpeg, monkeypatch):
    padded = phone_jpeg + b"\x00" * (photos.MAX_BYTES + 1 - len(phone_jpeg))
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("decoded a file that is too large"))
    assert refused(padded) == "too_large"


def test_animated_gif_is_unsupported():
    assert refused(samples.animation("GIF")) == "unsupported"


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_animated_webp_and_apng_are_refused(fmt):
    assert refused(samples.animation(fmt)) == "animated"
    assert prepare(samples.animation(fmt, frames=1)).width == 64  # one frame is a still picture


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "GIF"])
def test_other_picture_formats_are_unsupported(fmt):
    assert refused(samples.encode(samples.picture((64, 48)), fmt)) == "unsupported"


# --- accepted with care ---

@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the corrupt EXIF, as it should
def test_corrupt_exif_block_keeps_the_photo_and_drops_the_facts():
    data = samples.with_app1(samples.jpeg(), b"Exif\x00\x00" + bytes(range(256)) * 8)
    p = prepare(data)
    assert (p.width, p.height) == (800, 600)
    assert p.meta == photos.Meta(None, None, None, None, None)  # nothing says GPS was there: no gps_problem


def test_unreadable_gps_is_corrupt_and_other_facts_stay():
    gps = {**samples.gps_ifd(*samples.QINGXI), 2: (IFDRational(29, 0), IFDRational(9), IFDRational(0))}  # 29/0
    p = prepare(samples.jpeg(gps=gps, make="HUAWEI", model="ELS-AN00"))
    assert (p.meta.lon, p.meta.lat, p.meta.gps_problem) == (None, None, "corrupt")
    assert p.meta.device == "HUAWEI ELS-AN00"


def test_gps_zero_zero_is_flagged():
    meta = prepare(samples.jpeg(gps=samples.gps_ifd(0.0, 0.0))).meta
    assert (meta.lon, meta.lat, meta.gps_problem) == (None, None, "zero")


def test_gps_outside_china_is_flagged():
    meta = prepare(samples.jpeg(gps=samples.gps_ifd(*samples.PARIS))).meta
    assert (meta.lon, meta.lat, meta.gps_problem) == (None, None, "outside_china")


def test_gps_and_facts_of_a_phone_photo(phone_jpeg):
    meta = prepare(phone_jpeg).meta
    assert meta.lon == pytest.approx(samples.QINGXI[0], abs=1e-6)
    assert meta.lat == pytest.approx(samples.QINGXI[1], abs=1e-6)
    assert meta.gps_problem is None
    # The camera's clock without an offset is local time in the portal's zone (Asia/Shanghai, UTC+8).
    assert (meta.taken_at, meta.taken_source) == (datetime(2024, 5, 1, 6, 3, 22, tzinfo=timezone.utc), "local")
    assert meta.device == "Xiaomi Redmi Note 12"


def test_device_does_not_repeat_the_make():
    assert prepare(samples.jpeg(make="Canon", model="Canon EOS R6")).meta.device == "Canon EOS R6"


@pytest.mark.parametrize("payload", [b"<html><script>alert('HIDDEN-HTML-PAYLOAD')</script></html>" * 5,
                                     samples.zip_bytes()], ids=["html", "zip"])
def test_payload_appended_to_a_jpeg_is_not_stored(payload):
    p = prepare(samples.jpeg() + payload)
    marker = payload[:40] if payload.startswith(b"<html>") else b"HIDDEN-ZIP-PAYLOAD"
    for copy in (p.public, p.thumb):
        assert marker not in copy and b"PK\x03\x04" not in copy and b"<script>" not in copy
        assert Image.open(io.BytesIO(copy)).format == "JPEG"


def test_cmyk_jpeg_becomes_rgb_with_sane_colours():
    im = Image.new("RGB", (200, 100), (200, 30, 30))
    im.paste((30, 160, 60), (100, 0, 200, 100))
    p = prepare(samples.encode(im.convert("CMYK"), "JPEG", quality=95))
    assert near(rgb_at(p.public, (50, 50)), (200, 30, 30))
    assert near(rgb_at(p.public, (150, 50)), (30, 160, 60))


def test_16_bit_png_is_scaled_to_8_bit_not_clipped():
    grey = np.array([[0, 16384, 32768, 65535]], dtype=np.uint16).repeat(8, 0).repeat(8, 1)
    data = samples.encode(Image.fromarray(grey), "PNG")
    assert Image.open(io.BytesIO(data)).mode == "I;16"
    p = prepare(data)
    values = [rgb_at(p.public, (8 * i + 4, 4))[0] for i in range(4)]
    assert near(tuple(values), (0, 64, 128, 255), tol=3)


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparency_is_laid_on_white(mode):
    im = Image.new("RGBA", (100, 50), (0, 0, 0, 0))
    im.paste((20, 40, 160, 255), (50, 0, 100, 50))
    im = im.convert(mode) if mode != "P" else im.convert("P", palette=Image.Palette.ADAPTIVE)
    if mode == "P":
        im.info["transparency"] = im.getpixel((0, 0))
    p = prepare(samples.encode(im, "PNG"))
    assert near(rgb_at(p.public, (20, 25)), (255, 255, 255))
    assert rgb_at(p.public, (80, 25)) != (255, 255, 255)


def test_orientation_6_gives_an_upright_portrait():
    landscape = Image.new("RGB", (2400, 1800), (250, 250, 250))
    landscape.paste((10, 10, 10), (0, 0, 300, 300))  # a dark corner: top-left as stored
    p = prepare(samples.encode(landscape, "JPEG", exif=samples.exif(orientation=6)))
    assert (p.width, p.height) == (1200, 1600)
    assert Image.open(io.BytesIO(p.public)).size == (1200, 1600)
    assert near(rgb_at(p.public, (1150, 50)), (10, 10, 10), tol=20)  # turned clockwise: now top-right


def test_heic_round_trip_keeps_gps_and_turns_upright():
    data = samples.encode(samples.picture((640, 480)), "HEIF", quality=90,
                          exif=samples.exif(gps=samples.gps_ifd(*samples.QINGXI), orientation=6, make="Apple",
                                            model="iPhone 13"))
    assert data[4:12] == b"ftypheic"
    p = prepare(data)
    assert (p.width, p.height) == (480, 640)
    assert (p.meta.lon, p.meta.lat) == pytest.approx(samples.QINGXI, abs=1e-6)
    assert p.meta.device == "Apple iPhone 13"
    assert Image.open(io.BytesIO(p.public)).format == "JPEG"


def test_multi_picture_jpeg_from_a_phone_is_accepted():
    data = samples.encode(samples.picture((2000, 1500)), "MPO", save_all=True,
                          append_images=[samples.picture((200, 150))])
    p = prepare(data)
    assert (p.width, p.height) == (1600, 1200)


def test_copies_carry_no_metadata_at_all():
    exif = samples.exif(gps=samples.gps_ifd(*samples.QINGXI), make="SecretMaker", model="SecretPhone 9")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = samples.encode(samples.picture((2400, 1800)), "JPEG", exif=exif, icc_profile=icc,
                          xmp=b"<x:xmpmeta>SecretXMP</x:xmpmeta>", comment=b"SecretComment")
    assert b"SecretPhone" in data and b"SecretXMP" in data and b"SecretComment" in data
    lat_degrees = [struct.pack(order + "LL", 29, 1) for order in "<>"]
    p = prepare(data)
    assert p.meta.device == "SecretMaker SecretPhone 9"
    for copy in (p.public, p.thumb):
        assert set(samples.segments(copy)) & ({*range(0xE1, 0xF0)} | {0xFE}) == set()  # no APP1-15, no COM
        im = Image.open(io.BytesIO(copy))
        assert not im.getexif() and not {"exif", "icc_profile", "xmp", "comment"} & set(im.info)
        for secret in (b"Secret", b"Exif", *lat_degrees):
            assert secret not in copy


def test_sizes_are_bounded_and_small_photos_are_not_enlarged():
    big = prepare(samples.jpeg((4000, 3000)))
    assert (big.width, big.height) == (1600, 1200)
    assert Image.open(io.BytesIO(big.thumb)).size == (400, 300)
    small = prepare(samples.jpeg((300, 200)))
    assert (small.width, small.height) == (300, 200)
    assert Image.open(io.BytesIO(small.thumb)).size == (300, 200)
    thin = prepare(samples.encode(samples.picture((5000, 2)), "PNG"))
    assert (thin.width, thin.height) == (1600, 1)


def test_sha256_is_of_the_bytes_sent(phone_jpeg):
    p = prepare(phone_jpeg)
    assert p.sha256 == hashlib.sha256(phone_jpeg).hexdigest()
    assert len(repr(p)) < 400  # no megabytes of JPEG in a log line
    assert prepare(phone_jpeg) == p  # deterministic: the same photo gives the same files


def test_photo_error_keys_are_the_known_ones():
    assert PhotoError("animated").key == "animated" and isinstance(PhotoError("empty"), ValueError)
    with pytest.raises(ValueError):
        PhotoError("bogus")


# --- saving ---

def test_save_is_content_addressed_and_reports_what_it_created(phone_jpeg, tmp_path):
    p = prepare(phone_jpeg)
    first = photos.save(p, tmp_path)
    assert first.public_name == hashlib.sha256(p.public).hexdigest()[:32] + ".jpg"
    assert first.thumb_name == hashlib.sha256(p.thumb).hexdigest()[:32] + ".jpg"
    assert (tmp_path / first.public_name).read_bytes() == p.public
    assert (tmp_path / first.thumb_name).read_bytes() == p.thumb
    assert first.created == (tmp_path / first.public_name, tmp_path / first.thumb_name)
    again = photos.save(prepare(phone_jpeg), tmp_path)
    assert (again.public_name, again.thumb_name, again.created) == (first.public_name, first.thumb_name, ())
    photos.discard(again)  # the second report failed: the first one's files stay
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.public_name, first.thumb_name])
    photos.discard(first)
    assert list(tmp_path.iterdir()) == []


def test_tiny_photo_keeps_one_file_for_both_copies(tmp_path):
    tiny = prepare(samples.jpeg((300, 200)))  # public and thumb are the same picture, one file
    saved = photos.save(tiny, tmp_path)
    assert saved.public_name == saved.thumb_name and saved.created == (tmp_path / saved.public_name,)
    photos.discard(saved)
    assert list(tmp_path.iterdir()) == []


def test_failure_during_save_leaves_no_half_file_and_no_temp_file(phone_jpeg, tmp_path, monkeypatch):
    p = prepare(phone_jpeg)
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OSError, match="disk full"):
        photos.save(p, tmp_path)
    assert len(calls) == 2 and list(tmp_path.iterdir()) == []
    monkeypatch.setattr(os, "replace", real)
    assert len(photos.save(p, tmp_path).created) == 2  # nothing left over blocks a later try
    assert not list(tmp_path.glob(photos.TEMP_PREFIX + "*"))


# --- robustness: damaged uploads only ever raise PhotoError ---

def _formats() -> dict[str, bytes]:
    pic = samples.picture((160, 120))
    return {"JPEG": samples.jpeg((160, 120), gps=samples.gps_ifd(*samples.QINGXI), orientation=6),
            "PNG": samples.encode(pic, "PNG"), "WEBP": samples.encode(pic, "WEBP"),
            "HEIF": samples.encode(pic, "HEIF", exif=samples.exif(orientation=3))}


INTACT = _formats()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fmt=st.sampled_from(sorted(INTACT)), cut=st.floats(0, 1), flips=st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=4))
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_damaged_files_prepare_or_raise_photo_error(fmt, cut, flips):
    data = bytearray(INTACT[fmt][: max(1, int(len(INTACT[fmt]) * cut))] if cut < 1 else INTACT[fmt])
    for where, value in flips:
        data[int(where * len(data))] = value
    try:
        p = prepare(bytes(data))
    except PhotoError:
        return
    assert max(p.width, p.height) <= photos.PUBLIC_SIDE


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=0, max_size=400))
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_any_exif_block_keeps_the_photo(junk):
    base = samples.jpeg((64, 48))
    for block in (b"Exif\x00\x00" + junk, b"Exif\x00\x00MM\x00*\x00\x00\x00\x08" + junk,
                  b"Exif\x00\x00II*\x00\x08\x00\x00\x00" + junk):
        p = prepare(samples.with_app1(base, block))
        assert (p.width, p.height) == (64, 48)


# --- read_gps ---

def test_read_gps_south_and_west_negate():
    gps = {1: "S", 2: samples.dms(33.8688), 3: "W", 4: samples.dms(70.6693)}
    assert read_gps(gps) == pytest.approx((-70.6693, -33.8688), abs=1e-6)
    assert read_gps({1: b"N", 2: samples.dms(29.15), 3: "e\x00", 4: samples.dms(121.4)}) == pytest.approx(
        (121.4, 29.15), abs=1e-6)


lats = st.floats(-90, 90, allow_nan=False)
lons = st.floats(-180, 180, allow_nan=False)


def _encoded(value: float, style: str) -> tuple:
    if style == "float":
        d = int(abs(value))
        m = int((abs(value) - d) * 60)
        return (float(d), float(m), ((abs(value) - d) * 60 - m) * 60)
    return samples.dms(value, pairs=style == "pairs")


@given(lon=lons, lat=lats, style=st.sampled_from(["rational", "pairs", "float"]))
def test_read_gps_round_trips_decimal_degrees(lon, lat, style):
    gps = {1: "N" if lat >= 0 else "S", 2: _encoded(lat, style), 3: "E" if lon >= 0 else "W",
           4: _encoded(lon, style)}
    got_lon, got_lat = read_gps(gps)
    assert abs(got_lon - lon) <= 1e-6 and abs(got_lat - lat) <= 1e-6


@given(lon=lons, lat=lats, refs=st.tuples(st.sampled_from("NS"), st.sampled_from("EW")))
def test_read_gps_refs_give_the_sign(lon, lat, refs):
    got_lon, got_lat = read_gps({1: refs[0], 2: samples.dms(lat), 3: refs[1], 4: samples.dms(lon)})
    assert math.copysign(1, got_lat) == (1 if refs[0] == "N" else -1) or got_lat == 0
    assert math.copysign(1, got_lon) == (1 if refs[1] == "E" else -1) or got_lon == 0


@given(lon=lons, lat=lats, gone=st.sets(st.integers(1, 4), min_size=1), extra=st.booleans())
def test_read_gps_missing_parts_give_none(lon, lat, gone, extra):
    gps = {k: v for k, v in samples.gps_ifd(lon, lat).items() if k not in gone}
    if extra:
        gps[0] = b"\x02\x02\x00\x00"  # GPSVersionID alone, as phones write without a fix
    assert read_gps(gps) is None


bad_numbers = st.one_of(
    st.integers(1, 10**6).map(lambda n: (n, 0)),
    st.integers(0, 10**6).map(lambda n: IFDRational(n, 0)),
    st.sampled_from([-1, -0.5, math.nan, math.inf, -math.inf, 10**400, (10**400, 1), (1, 0.0)]),
    st.sampled_from([None, "29", b"29", True, [1, 2], (1, 2, 3), (1.5, "2"), {}, object(),
                     (IFDRational(1, 0), IFDRational(2, 0))]),
    st.integers(-10**6, -1).map(lambda n: IFDRational(n, 7)),
)
bad_coords = st.one_of(
    st.tuples(bad_numbers, st.just(0), st.just(0)),
    st.tuples(st.just(1), bad_numbers, st.just(0)),
    st.tuples(st.just(1), st.just(0), bad_numbers),
    st.sampled_from([(), (29,), (29, 9), (29, 9, 0, 0), "29/1,9/1,0/1", 29.15, b"\x00" * 24]),
    st.sampled_from([(29, 61, 0), (29, 0, 61), (200, 0, 0)]),
)
bad_refs = st.one_of(st.sampled_from(["", "X", "NE", "north", b"Q", 1, 0.0, (), ("N",)]), st.text().filter(
    lambda t: t.strip("\x00 ").upper() not in {"N", "S", "E", "W"}))


@given(lon=lons, lat=lats, slot=st.integers(1, 4), coord=bad_coords, ref=bad_refs)
def test_read_gps_malformed_parts_raise_value_error(lon, lat, slot, coord, ref):
    gps = samples.gps_ifd(lon, lat)
    gps[slot] = ref if slot in (1, 3) else coord
    with pytest.raises(ValueError):
        read_gps(gps)


def test_read_gps_latitude_past_the_pole_is_malformed():
    with pytest.raises(ValueError):
        read_gps({1: "N", 2: (91, 0, 0), 3: "E", 4: (91, 0, 0)})
    assert read_gps({1: "N", 2: (90, 0, 0), 3: "W", 4: (180, 0, 0)}) == (-180.0, 90.0)


junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=3) | st.binary(max_size=3)
    | st.builds(IFDRational, st.integers(-10**30, 10**30), st.integers(-3, 3)),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.tuples(inner, inner, inner),
    max_leaves=12,
)


@given(st.dictionaries(st.integers(0, 6), junk, max_size=6))
def test_read_gps_never_raises_anything_but_value_error(gps):
    try:
        got = read_gps(gps)
    except ValueError:
        return
    if got is not None:
        lon, lat = got
        assert -180 <= lon <= 180 and -90 <= lat <= 90


@settings(max_examples=25, deadline=None)
@given(lon=st.floats(73, 136), lat=st.floats(3, 54))
def test_prepare_reads_back_any_position_in_china(lon, lat):
    meta = prepare(samples.jpeg((32, 24), gps=samples.gps_ifd(lon, lat))).meta
    assert (meta.lon, meta.lat) == pytest.approx((lon, lat), abs=1e-6) and meta.gps_problem is None


def test_store_and_prepare_share_the_metadata_free_encoder(tmp_path: Path):
    stored = photos.store(samples.picture((3200, 2400)), tmp_path)
    assert (stored.width, stored.height) == (1600, 1200)
    assert set(samples.segments((tmp_path / stored.public_name).read_bytes())) & {*range(0xE1, 0xF0), 0xFE} == set()
