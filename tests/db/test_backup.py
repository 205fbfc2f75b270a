"""Backups taken while people keep filing, restored on both backends."""
from __future__ import annotations

import stat
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from db.engine import make_engine, session_scope
from db.models import Photo, Report
from qingxi.core import photos, places
from qingxi.ops import backup
from qingxi.ops.cli import main
from qingxi.reports import intake, track
from tests.support.photo_samples import jpeg
from tests.support.servers import PG_ADMIN


def _riverbank(engine) -> intake.Place:
    with session_scope(engine) as s:
        places.install_reference(s)
        return intake.place(s, 121.398, 29.1492, "gps")


def _file(engine, where, photo_dir: Path, n: int) -> str:
    data = jpeg((200 + n % 400, 150 + n // 400))  # a different photo each time
    return intake.submit(engine, intake.Submission([data], "bank_litter", where), photo_dir).code


def _stored(url: str) -> tuple[set[str], dict[str, list[str]]]:
    engine = make_engine(url)
    with session_scope(engine) as s:
        codes = set(s.scalars(select(Report.code)))
        files: dict[str, list[str]] = {}
        for code, public, thumb in s.execute(select(Report.code, Photo.public_name, Photo.thumb_name).join(Photo)):
            files.setdefault(code, []).extend((public, thumb))
    engine.dispose()
    return codes, files


def _drop_schema(url: str) -> None:
    """Lose the PostgreSQL schema, as a failed disk would."""
    schema = url.rsplit("search_path%3D", 1)[1]
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_a_backup_under_write_load_restores_every_report_committed_before_it(engine, db_url, tmp_path):
    where = _riverbank(engine)
    photo_dir = tmp_path / "photos"
    committed: list[str] = []
    stop, failures = threading.Event(), []

    def writer() -> None:
        try:
            while not stop.is_set():
                committed.append(_file(engine, where, photo_dir, len(committed)))
        except Exception as err:  # noqa: BLE001 - surfaced by the assert below
            failures.append(err)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(committed) < 8 and thread.is_alive():
            threading.Event().wait(0.05)
        before = set(committed)
        backup.backup(db_url, photo_dir, tmp_path / "backup")
        during = len(committed)
        while len(committed) < during + 3 and thread.is_alive():  # filing goes on after the snapshot
            threading.Event().wait(0.05)
    finally:
        stop.set()
        thread.join()
    assert failures == []

    if db_url.startswith("sqlite"):
        target = f"sqlite:///{tmp_path / 'restored.db'}"
    else:  # the same server and schema, after the schema was lost
        engine.dispose()
        _drop_schema(db_url)
        target = db_url
    restored_photos = tmp_path / "restored-photos"
    backup.restore(tmp_path / "backup", target, restored_photos)

    codes, files = _stored(target)
    assert before <= codes
    missing = [name for code in before for name in files[code] if not (restored_photos / name).is_file()]
    assert missing == []

    # The restored portal runs: a report can be followed, and a new one filed (sequences intact).
    restored = make_engine(target)
    code = sorted(before)[0]
    assert track.status(restored, code).code == code
    new = _file(restored, _riverbank(restored), restored_photos, 10_000)
    assert new not in codes
    restored.dispose()


def test_restore_refuses_to_overwrite_a_live_portal_and_changes_nothing(engine, db_url, tmp_path):
    where = _riverbank(engine)
    _file(engine, where, tmp_path / "photos", 1)
    backup.backup(db_url, tmp_path / "photos", tmp_path / "backup")
    _file(engine, where, tmp_path / "photos", 2)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(tmp_path / "backup", db_url, tmp_path / "photos")
    assert refused.value.key == "target_in_use"
    assert len(_stored(db_url)[0]) == 2

    backup.restore(tmp_path / "backup", db_url, tmp_path / "photos", force=True)
    assert len(_stored(db_url)[0]) == 1


def test_backup_refuses_a_folder_that_is_not_empty(engine, db_url, tmp_path):
    dest = tmp_path / "backup"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    with pytest.raises(backup.BackupError) as refused:
        backup.backup(db_url, tmp_path / "photos", dest)
    assert refused.value.key == "dest_not_empty"
    assert sorted(p.name for p in dest.iterdir()) == ["notes.txt"]


def test_the_command_line_explains_a_bad_backup_folder_in_chinese(app_env, tmp_path, capsys):
    assert main(["setup", "--no-demo"]) == 0
    (tmp_path / "junk").mkdir()
    assert main(["restore", str(tmp_path / "junk"), "--lang", "zh"]) == 2
    assert "不是清溪守护的备份" in capsys.readouterr().err

    assert main(["backup", str(tmp_path / "ok")]) == 0
    assert main(["restore", str(tmp_path / "ok")]) == 2  # the portal is live: --force is needed
    assert "--force" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "ok"), "--force"]) == 0


def test_a_backup_holds_every_stored_file_and_only_its_owner_can_read_it(engine, db_url, tmp_path):
    where = _riverbank(engine)
    photo_dir = tmp_path / "photos"
    code = _file(engine, where, photo_dir, 1)
    attachment = photos.save_file(b"%PDF-1.4\n% a unit's written answer\n%%EOF\n", photo_dir / "attachments", ".pdf")
    backup.backup(db_url, photo_dir, tmp_path / "backup")

    stored = {p.relative_to(photo_dir) for p in photo_dir.rglob("*") if p.is_file()}
    kept = {p.relative_to(tmp_path / "backup" / "photos") for p in (tmp_path / "backup" / "photos").rglob("*")
            if p.is_file()}
    assert stored == kept and Path("attachments") / attachment.public_name in kept
    for path in [tmp_path / "backup", *(tmp_path / "backup").rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path

    if db_url.startswith("sqlite"):
        target = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        engine.dispose()
        _drop_schema(db_url)
        target = db_url
    backup.restore(tmp_path / "backup", target, tmp_path / "restored")
    assert (tmp_path / "restored" / "attachments" / attachment.public_name).read_bytes().startswith(b"%PDF")
    assert code in _stored(target)[0]


def test_the_postgresql_password_never_goes_on_a_command_line(engine, db_url, tmp_path, monkeypatch):
    if not db_url.startswith("postgresql"):
        return  # SQLite has no password
    from db import backup as snapshot

    calls, run = [], subprocess.run
    monkeypatch.setattr(snapshot.subprocess, "run", lambda args, **kw: calls.append((args, kw)) or run(args, **kw))
    secret = db_url.replace("postgres@", "postgres:s3cret-pw@")  # trust auth here ignores it, libpq still sends it
    _riverbank(engine)
    backup.backup(secret, tmp_path / "photos", tmp_path / "backup")
    ((args, kw),) = calls
    assert args[0] == "pg_dump" and not any("s3cret-pw" in a for a in args)
    assert kw["env"]["PGPASSWORD"] == "s3cret-pw"
