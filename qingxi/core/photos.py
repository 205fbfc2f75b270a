"""Photos from phones: check what was sent, keep a metadata-free copy, store it content-addressed.

prepare() trusts only the decoded bytes (never a file name or mime type), refuses what we cannot or
should not keep, and reads the few EXIF facts the report form can use; save() writes the copies
atomically. No Streamlit, no database: the caller pairs save() with its transaction and discard().
"""
from __future__ import annotations

import hashlib
import io
import math
import numbers
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import TypeVar

import pillow_heif
from PIL import ExifTags, Image, UnidentifiedImageError

from qingxi.core import capture
from qingxi.core.refusals import Refusal
from qingxi.core.settings import current as settings

pillow_heif.register_heif_opener()

PUBLIC_SIDE = 1600
THUMB_SIDE = 400
TEMP_PREFIX = ".tmp-"
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000   # a JPEG is decoded at 1/2, 1/4 or 1/8 scale: large ones stay cheap
MAX_PIXELS_FULL = 16_000_000  # PNG, WebP and HEIF decode every pixel: 12 MP photos and screenshots fit
FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
CHINA = (73.0, 136.0, 3.0, 54.0)  # lon min, lon max, lat min, lat max: loose, catches a wrong fix
ERROR_KEYS = ("empty", "too_large", "not_image", "unsupported", "truncated", "too_many_pixels", "animated")

QUALITY = 85  # JPEG quality of both copies
_FILTER = Image.Resampling.HAMMING  # sharper than bilinear at the same cost; LANCZOS costs 2x (bench)
_TURN = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}  # EXIF orientation -> the turn that shows the picture upright
_T = TypeVar("_T")


class PhotoError(Refusal):
    """A photo we refuse (photo.error.<key>)."""

    area = "photo"

    def __init__(self, key: str) -> None:
        if key not in ERROR_KEYS:
            raise ValueError(f"unknown photo error {key!r}")
        super().__init__(key)


@dataclass(frozen=True)
class Meta:
    """What the photo's EXIF says."""

    lon: float | None  # WGS84; None when absent or unusable (see gps_problem)
    lat: float | None
    gps_problem: str | None  # None, "zero" (0/0), "outside_china", "corrupt" (GPS tags present, unreadable)
    taken_at: datetime | None  # aware, UTC (qingxi.capture says how it was read)
    device: str | None  # "Make Model"
    taken_source: str = "none"  # gps / offset / local / none


@dataclass(frozen=True)
class Prepared:
    sha256: str  # of the bytes the person sent: the same photo twice is one report
    public: bytes = field(repr=False)  # JPEG, longest side <= PUBLIC_SIDE, upright, no metadata
    thumb: bytes = field(repr=False)  # JPEG, longest side <= THUMB_SIDE, no metadata
    width: int  # of the public copy
    height: int
    meta: Meta


@dataclass(frozen=True)
class Saved:
    public_name: str
    thumb_name: str
    created: tuple[Path, ...]  # files this call made: the only ones a rollback may delete


@dataclass(frozen=True)
class Stored:
    sha256: str  # of the public copy
    public_name: str
    thumb_name: str
    width: int
    height: int


def prepare(data: bytes, *, zone: tzinfo | None = None, now: datetime | None = None) -> Prepared:
    """Check and shrink a photo as sent; raises PhotoError. A camera clock without an offset is read
    in `zone` (the portal's, by default)."""
    if not data:
        raise PhotoError("empty")
    if len(data) > MAX_BYTES:
        raise PhotoError("too_large")
    im = _decode(data)
    meta, turn = _meta(im, zone or settings().timezone, now or datetime.now(timezone.utc))
    public_im = _fit(_rgb(im), PUBLIC_SIDE)
    if turn is not None:
        public_im = public_im.transpose(turn)  # after shrinking: fewer pixels to move
    return Prepared(sha256=hashlib.sha256(data).hexdigest(), public=_jpeg(public_im),
                    thumb=_jpeg(_fit(public_im, THUMB_SIDE)), width=public_im.width, height=public_im.height,
                    meta=meta)


def save(prepared: Prepared, folder: Path) -> Saved:
    """Write both copies under their content hash; all or nothing."""
    return _save(folder, prepared.public, prepared.thumb)


def discard(saved: Saved) -> None:
    """Undo a save() whose report was not stored; files that already existed stay."""
    for path in saved.created:
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Staged:
    """A photo whose copies are written, waiting for its row to commit."""

    prepared: Prepared
    saved: Saved

    def columns(self) -> dict:
        """The columns every stored photo row has (db.models.StoredPhoto)."""
        p, f = self.prepared, self.saved
        return dict(sha256=p.sha256, public_name=f.public_name, thumb_name=f.thumb_name, width=p.width,
                    height=p.height, taken_at=p.meta.taken_at, taken_source=p.meta.taken_source)


class Staging:
    """Files written for rows that are not committed yet (see staging())."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.saved: list[Saved] = []
        self.kept = False

    def photo(self, prepared: Prepared) -> Staged:
        saved = save(prepared, self.folder)
        self.saved.append(saved)
        return Staged(prepared, saved)

    def file(self, data: bytes, suffix: str, folder: Path | None = None) -> Saved:
        """Other bytes the caller has checked (a PDF attachment); see save_file()."""
        saved = save_file(data, folder or self.folder, suffix)
        self.saved.append(saved)
        return saved

    def keep(self) -> None:
        """The block failed because the same photo was stored at the same moment by someone else:
        the files are theirs too (same bytes, same names), so they stay."""
        self.kept = True


@contextmanager
def staging(folder: Path | None = None) -> Iterator[Staging]:
    """Write photo files inside the block that commits their rows; if the block fails, the files
    it wrote go again (files that already existed stay). The one way every area stores photos."""
    stage = Staging(folder or settings().photo_dir)
    try:
        yield stage
    except BaseException:
        if not stage.kept:
            for saved in stage.saved:
                discard(saved)
        raise


@contextmanager
def staged(files: Sequence[bytes], folder: Path | None = None) -> Iterator[list[Staged]]:
    """Decode every file first (a refusal raises PhotoError with nothing written), then write their
    copies for the block to commit their rows; they go again if the block fails."""
    prepared = [prepare(data) for data in files]
    with staging(folder) as stage:
        yield [stage.photo(p) for p in prepared]


def store(image: Image.Image, folder: Path) -> Stored:
    """Store a picture made in memory (the demo set) as prepare() and save() store a phone's photo."""
    public_im = _fit(_rgb(image), PUBLIC_SIDE)
    public = _jpeg(public_im)
    saved = _save(folder, public, _jpeg(_fit(public_im, THUMB_SIDE)))
    return Stored(hashlib.sha256(public).hexdigest(), saved.public_name, saved.thumb_name,
                  public_im.width, public_im.height)


def sweep_temp(folder: Path) -> int:
    """Remove temp files a crash left behind (run at start-up)."""
    stale = list(folder.glob(TEMP_PREFIX + "*")) if folder.exists() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def read_gps(gps: Mapping[int, object]) -> tuple[float, float] | None:
    """(lon, lat) in degrees from a GPS IFD (tags 1-4); None when a tag is missing.

    Latitude and longitude are three parts (degrees, minutes, seconds), each a rational, a number or a
    (numerator, denominator) pair. Anything malformed raises ValueError, and only ValueError.
    """
    lat_ref, lat, lon_ref, lon = (gps.get(tag) for tag in (1, 2, 3, 4))
    if lat_ref is None or lat is None or lon_ref is None or lon is None:
        return None
    lat_deg, lon_deg = _degrees(lat), _degrees(lon)
    if lat_deg > 90 or lon_deg > 180:
        raise ValueError(f"GPS position out of range: {lat_deg}, {lon_deg}")
    return lon_deg * _sign(lon_ref, "E", "W"), lat_deg * _sign(lat_ref, "N", "S")


def _decode(data: bytes) -> Image.Image:
    """Fully decoded pixels; bombs are refused from the header, before any pixel is decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
            raise PhotoError("too_many_pixels") from err
        except UnidentifiedImageError as err:
            raise PhotoError(_kind(data)) from err
        except Exception as err:  # a decoder knew the header, then choked on what followed
            raise PhotoError("truncated") from err
    if im.width * im.height > (MAX_PIXELS if im.format in ("JPEG", "MPO") else MAX_PIXELS_FULL):
        raise PhotoError("too_many_pixels")  # from the header: nothing has been decoded yet
    if im.format in ("PNG", "WEBP") and getattr(im, "n_frames", 1) > 1:
        raise PhotoError("animated")  # (a phone's multi-picture JPEG, MPO, is fine: we take the first)
    if im.format in ("JPEG", "MPO") and max(im.size) > PUBLIC_SIDE:
        scale = PUBLIC_SIDE / max(im.size)  # let libjpeg decode at 1/2, 1/4 or 1/8 scale, no smaller
        im.draft("RGB", (math.ceil(im.width * scale), math.ceil(im.height * scale)))
    try:
        im.load()  # every pixel now: a cut-off file fails here (LOAD_TRUNCATED_IMAGES stays False)
    except Exception as err:  # decoders of untrusted bytes fail in many ways; all mean "damaged"
        raise PhotoError("truncated") from err
    return im


def _kind(data: bytes) -> str:
    """Why our decoders refused: a picture of another kind, or no picture at all."""
    try:
        with Image.open(io.BytesIO(data)):
            return "unsupported"
    except UnidentifiedImageError:
        return "not_image"
    except Exception:  # some decoder claimed the header (or found a bomb): a picture, not ours
        return "unsupported"


def _rgb(im: Image.Image) -> Image.Image:
    """8-bit RGB: 16-bit grey scaled (convert() would clip it), transparency laid on white."""
    if im.mode.startswith("I"):
        im = im.convert("I").point(lambda v: v / 256).convert("L")
    if im.has_transparency_data:
        rgba = im.convert("RGBA")
        im = Image.new("RGB", im.size, "white")
        im.paste(rgba, mask=rgba.getchannel("A"))
    return im if im.mode == "RGB" else im.convert("RGB")


def _fit(im: Image.Image, side: int) -> Image.Image:
    """A new image, longest side at most `side`, carrying no metadata."""
    scale = side / max(im.size)
    if scale < 1:
        size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
        out = im.resize(size, _FILTER, reducing_gap=1.0)  # whole factors by box reduce(): fast, fair
    else:
        out = im.copy()
    out.info = {}  # JPEG save would carry a comment over from here
    return out


def _jpeg(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    # No exif=, icc_profile=, xmp=: none is written. No optimize=True: 4% smaller, twice the encode time.
    im.save(buf, "JPEG", quality=QUALITY)
    return buf.getvalue()


def _meta(im: Image.Image, zone: tzinfo, now: datetime) -> tuple[Meta, Image.Transpose | None]:
    """EXIF facts field by field (Pillow decodes a tag when it is first read): a broken field is lost,
    never the photo."""
    exif = _try(im.getexif) or Image.Exif()
    lon, lat, problem = _where(exif)
    orientation = _try(lambda: exif.get(ExifTags.Base.Orientation))
    turn = _TURN.get(orientation) if isinstance(orientation, int) else None
    at, source = _try(lambda: capture.taken(exif, zone, now)) or (None, "none")
    return Meta(lon, lat, problem, at, _try(lambda: _device(exif)), source), turn


def _try(read: Callable[[], _T]) -> _T | None:
    try:
        return read()
    except Exception:  # EXIF is untrusted and optional: whatever a broken field raises, drop the field
        return None


def _where(exif: Image.Exif) -> tuple[float | None, float | None, str | None]:
    if ExifTags.IFD.GPSInfo not in exif:
        return None, None, None
    try:
        point = read_gps(exif.get_ifd(ExifTags.IFD.GPSInfo))
    except Exception:  # ValueError from read_gps, or whatever a damaged IFD makes Pillow raise
        return None, None, "corrupt"
    if point is None:
        return None, None, None
    lon, lat = point
    if lon == 0 and lat == 0:
        return None, None, "zero"  # what some phones write without a fix
    lon_min, lon_max, lat_min, lat_max = CHINA
    if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
        return None, None, "outside_china"
    return lon, lat, None


def _degrees(value: object) -> float:
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        raise ValueError(f"GPS degrees, minutes, seconds expected, got {value!r}")
    deg, mins, secs = (_number(part) for part in value)
    if mins > 60 or secs > 60:  # (60 itself: some writers round 59.99 up)
        raise ValueError(f"GPS minutes or seconds out of range: {value!r}")
    return deg + mins / 60 + secs / 3600


def _number(part: object) -> float:
    """A non-negative finite number from a rational, a number or a (numerator, denominator) pair."""
    def real(x: object) -> bool:
        return isinstance(x, numbers.Real) and not isinstance(x, bool)

    try:
        if isinstance(part, tuple) and len(part) == 2 and real(part[0]) and real(part[1]):
            value = float(part[0]) / float(part[1])
        elif real(part):
            value = float(part)  # IFDRational with a zero denominator gives nan, refused below
        else:
            raise ValueError(f"not a GPS number: {part!r}")
    except (ZeroDivisionError, OverflowError) as err:
        raise ValueError(f"not a GPS number: {part!r}") from err
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"not a GPS number: {part!r}")
    return value


def _sign(ref: object, plus: str, minus: str) -> float:
    text = ref.decode("ascii", "replace") if isinstance(ref, bytes) else ref
    if isinstance(text, str):
        text = text.strip("\x00 ").upper()
        if text in (plus, minus):
            return 1.0 if text == plus else -1.0
    raise ValueError(f"GPS reference {ref!r} is not {plus} or {minus}")


def _device(exif: Image.Exif) -> str | None:
    make, model = (_label(exif.get(tag)) for tag in (ExifTags.Base.Make, ExifTags.Base.Model))
    if make and model and model.casefold().startswith(make.casefold()):
        make = None  # "Canon" + "Canon EOS R6" reads as "Canon EOS R6"
    return " ".join(part for part in (make, model) if part)[:80] or None


def _label(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return "".join(ch for ch in value if ch.isprintable()).strip() or None


def _save(folder: Path, public: bytes, thumb: bytes) -> Saved:
    folder.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    try:
        names = [_write(folder, data, created) for data in (public, thumb)]
        if created:
            _sync_dir(folder)  # make the renames themselves survive a power cut
    except BaseException:
        for path in created:  # all or nothing: no public copy without its thumbnail
            path.unlink(missing_ok=True)
        raise
    return Saved(names[0], names[1], tuple(created))


def save_file(data: bytes, folder: Path, suffix: str) -> Saved:
    """Store other bytes already checked by the caller (a PDF attachment) the same way: content-
    addressed, atomic, durable. `public_name` is the file; there is no thumbnail."""
    folder.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    name = _write(folder, data, created, suffix)
    if created:
        _sync_dir(folder)
    return Saved(name, "", tuple(created))


def _write(folder: Path, data: bytes, created: list[Path], suffix: str = ".jpg") -> str:
    """Write data under its content hash unless it is there already; append a new file to created."""
    name = hashlib.sha256(data).hexdigest()[:32] + suffix
    target = folder / name
    if target.exists():
        return name
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)  # readers see the whole photo or none; a crash leaves only a temp file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    created.append(target)
    return name


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
