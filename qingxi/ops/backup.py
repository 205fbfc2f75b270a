"""`python -m qingxi backup DEST` and `restore SRC`: the database and the photos, while people file.

Why the order makes the copy consistent: the database snapshot is taken first, the photo folder
copied after. A photo is written and fsynced before the report naming it commits, and photos are
never removed once their report exists, so every photo the snapshot names is on disk by the time
the folder is copied. Photos of reports filed during the backup are harmless extras.

The photo folder is copied as a whole tree (proposal attachments live in a subfolder), each copy
read back and compared with its source. A backup holds names and phone numbers: its folders are
0700 and its files 0600.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from db import backup as snapshot
from db.engine import make_engine
from db.models import utcnow
from qingxi.core.photos import TEMP_PREFIX
from qingxi.core.refusals import Refusal

MANIFEST = "manifest.json"
PHOTOS = "photos"
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


class BackupError(Refusal):
    """A backup or restore that cannot go ahead; `key` names the message (backup.error.<key>)."""

    area = "backup"


@dataclass(frozen=True)
class Summary:
    folder: Path
    started_at: datetime
    photos: int


def backup(database_url: str, photo_dir: Path, dest: Path) -> Summary:
    """Copy the database, then the photos, into `dest` (new or empty) with a manifest."""
    if dest.exists() and any(dest.iterdir()):
        raise BackupError("dest_not_empty", path=str(dest))
    dest.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    dest.chmod(PRIVATE_DIR)
    engine = make_engine(database_url)
    try:
        started = utcnow()
        database = snapshot.dump(engine, dest)
    finally:
        engine.dispose()
    (dest / database).chmod(PRIVATE_FILE)
    copied = _copy_photos(photo_dir, dest / PHOTOS, private=True)
    manifest = {"started_at": started.isoformat(), "backend": _backend(database_url),
                "database": database, "photos": copied}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    (dest / MANIFEST).chmod(PRIVATE_FILE)
    return Summary(dest, started, copied)


def restore(src: Path, database_url: str, photo_dir: Path, *, force: bool = False) -> int:
    """Bring a backup back: the database (refused over a live portal unless `force`), then the
    photos it names (files already there are kept: names are content hashes). Returns photos copied."""
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise BackupError("not_a_backup", path=str(src)) from err
    wanted = _backend(database_url)
    if manifest["backend"] != wanted:
        raise BackupError("wrong_backend", backup=manifest["backend"], target=wanted)
    try:
        snapshot.load(database_url, src / manifest["database"], force=force)
    except snapshot.RestoreRefused as err:
        raise BackupError("target_in_use") from err
    return _copy_photos(src / PHOTOS, photo_dir)


def _backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


def _copy_photos(src: Path, dest: Path, *, private: bool = False) -> int:
    """Copy every stored file under `src` (subfolders too) that `dest` lacks, each read back and
    compared with its source; temp files a crash left are not photos. Returns files copied."""
    dest.mkdir(parents=True, exist_ok=True)
    copied = 0
    for path in sorted(src.rglob("*")) if src.exists() else ():
        target = dest / path.relative_to(src)
        if path.is_dir():
            target.mkdir(exist_ok=True)
            if private:
                target.chmod(PRIVATE_DIR)
            continue
        if path.name.startswith(TEMP_PREFIX) or target.exists():
            continue
        shutil.copyfile(path, target)
        if _digest(target) != _digest(path):
            target.unlink()
            raise BackupError("copy_differs", path=str(path))
        if private:
            target.chmod(PRIVATE_FILE)
        copied += 1
    if private:
        dest.chmod(PRIVATE_DIR)
    return copied


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
