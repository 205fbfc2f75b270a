"""Photo storage: metadata-free, content-addressed files written atomically."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

PUBLIC_SIDE = 1600
THUMB_SIDE = 400
TEMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class Stored:
    sha256: str  # of the public copy
    public_name: str
    thumb_name: str
    width: int
    height: int


def _encode(image: Image.Image, side: int) -> bytes:
    copy = image.convert("RGB")
    copy.thumbnail((side, side))
    buf = io.BytesIO()
    copy.save(buf, "JPEG", quality=85, optimize=True)  # no exif= argument: no metadata written
    return buf.getvalue()


def _write_atomic(folder: Path, data: bytes) -> str:
    name = hashlib.sha256(data).hexdigest()[:32] + ".jpg"
    target = folder / name
    if not target.exists():
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)  # a crash leaves a temp file, never a half photo
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return name


def store(image: Image.Image, folder: Path) -> Stored:
    folder.mkdir(parents=True, exist_ok=True)
    public = _encode(image, PUBLIC_SIDE)
    width, height = Image.open(io.BytesIO(public)).size
    return Stored(hashlib.sha256(public).hexdigest(), _write_atomic(folder, public), _write_atomic(folder, _encode(image, THUMB_SIDE)),
                  width, height)


def sweep_temp(folder: Path) -> int:
    """Remove temp files a crash left behind (run at start-up)."""
    stale = list(folder.glob(TEMP_PREFIX + "*")) if folder.exists() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)
