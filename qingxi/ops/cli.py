"""Command line: `python -m qingxi setup | import-geo FILE | riverside CODE yes|no | create-user NAME |
generate --reports N | backup DEST | restore SRC`."""
from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from db import accounts_queries, migrate, places_queries
from db.engine import engine_for, session_scope
from geo.importer import GeoImportError
from qingxi import accounts, pledge
from qingxi.core import photos, places
from qingxi.core.i18n import t
from qingxi.core.settings import current as settings
from qingxi.ops import backup, demo, demo_cleanups, demo_proposals, generate


def setup(load_demo: bool = False) -> None:
    """Migrate and install the reference geography; with `load_demo` (only `make run` asks, as
    `setup --demo`) also the demo data and demo accounts, on a fresh database only. A plain setup
    creates no account: the first admin comes from `create-user`."""
    cfg = settings()
    engine = engine_for(cfg.database_url)
    migrate.upgrade(engine)
    swept = photos.sweep_temp(cfg.photo_dir)
    with session_scope(engine) as session:
        fresh = places.install_reference(session)
        load_demo = bool(load_demo) and fresh
        added = demo.load_demo(session, cfg.photo_dir) if load_demo else 0
        users = demo.load_demo_users(session, cfg.demo_passwords) if load_demo else []
    proposals_added = demo_proposals.load(engine, cfg.photo_dir) if load_demo else 0
    cleanups_added = demo_cleanups.load(engine, cfg.photo_dir) if load_demo else 0
    if load_demo:
        pledge.install_demo_text(engine)  # marked demo until staff write the real text
    print(f"database ready ({engine.url.get_backend_name()}); reference geography "
          f"{'installed' if fresh else 'kept'}; demo reports added: {added}; demo proposals added: "
          f"{proposals_added}; demo clean-ups added: {cleanups_added}; stale temp files removed: {swept}")
    if users:  # shown this once; also kept in a file only the owner can read
        print(f"demo accounts (passwords also in {cfg.demo_passwords}, readable by you only):")
        for name, role, password in users:
            print(f"  {name} ({role}): {password}")


def _password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    return first if getpass.getpass("again: ") == first else None


def create_user(username: str, role: str, name: str, unit: str | None, from_stdin: bool, lang: str) -> int:
    password = _password(from_stdin)
    if password is None:
        print("the two passwords differ", file=sys.stderr)
        return 2
    try:
        with session_scope(engine_for(settings().database_url)) as session:
            unit_id = None
            if unit:
                found = accounts_queries.unit_by_name(session, unit)
                if found is None:
                    raise accounts.AccountError("unknown_unit")
                unit_id = found.id
            accounts.add_account(session, None, username, name, role, password, unit_id)
    except accounts.AccountError as err:
        print(err.message(lang), file=sys.stderr)
        return 2
    print(f"account {accounts.normalise(username)} ({role}) created")
    return 0


def import_geo(path: Path, reverse: bool, lang: str) -> int:
    engine = engine_for(settings().database_url)
    try:
        with session_scope(engine) as session:
            summary = places.import_geometry(session, path, reverse=reverse)
    except GeoImportError as err:
        print(err.message(lang), file=sys.stderr)
        return 2
    print(t("cli.imported", lang, **summary))
    return 0


def riverside(code: str, flag: bool) -> int:
    with session_scope(engine_for(settings().database_url)) as session:
        if code not in places_queries.village_ids(session):
            print(f"unknown village code {code}", file=sys.stderr)
            return 2
        places_queries.set_riverside(session, code, flag)
    return 0


def generate_load(count: int, seed: int) -> int:
    cfg = settings()
    engine = engine_for(cfg.database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        places.install_reference(session)
    started = time.monotonic()
    made = generate.reports(engine, cfg.photo_dir, count, seed)
    print(f"generated {made.reports:,} reports, {made.status_changes:,} status changes, {made.photos:,} photo rows, "
          f"{made.proposals:,} proposals, {made.cleanups:,} clean-up days, {made.signups:,} sign-ups "
          f"in {time.monotonic() - started:.0f} s")
    return 0


def make_backup(dest: Path, lang: str) -> int:
    cfg = settings()
    try:
        done = backup.backup(cfg.database_url, cfg.photo_dir, dest)
    except backup.BackupError as err:
        print(err.message(lang), file=sys.stderr)
        return 2
    print(t("backup.done", lang, folder=str(done.folder), started=done.started_at.isoformat(timespec="seconds"),
            photos=done.photos))
    return 0


def restore(src: Path, force: bool, lang: str) -> int:
    cfg = settings()
    try:
        copied = backup.restore(src, cfg.database_url, cfg.photo_dir, force=force)
    except backup.BackupError as err:
        print(err.message(lang), file=sys.stderr)
        return 2
    migrate.upgrade(engine_for(cfg.database_url))  # a backup from an older release catches up
    print(t("backup.restored", lang, folder=str(src), photos=copied))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qingxi")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup", help="migrate the database; load the geography on first run")
    p.add_argument("--demo", action=argparse.BooleanOptionalAction, default=False,
                   help="on a fresh database, also load the demo data and demo accounts (make run)")
    p = sub.add_parser("import-geo", help="replace the river line and/or villages with surveyed data")
    p.add_argument("file", type=Path)
    p.add_argument("--reverse", action="store_true", help="the file's line runs downstream → upstream")
    p.add_argument("--lang", choices=("zh", "en"), default=settings().default_language)
    p = sub.add_parser("riverside", help="mark a village as riverside or not")
    p.add_argument("code")
    p.add_argument("flag", choices=("yes", "no"))
    p = sub.add_parser("create-user", help="open an account (the password is asked twice, or read from stdin)")
    p.add_argument("username")
    p.add_argument("--role", choices=accounts.ROLES, required=True)
    p.add_argument("--name", required=True, help="the name shown in the portal")
    p.add_argument("--unit", help="the unit's exact name (handlers need one)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.add_argument("--lang", choices=("zh", "en"), default=settings().default_language)
    p = sub.add_parser("generate", help="add a synthetic load (marked as such) for measuring at scale")
    p.add_argument("--reports", type=int, required=True)
    p.add_argument("--seed", type=int, default=16)
    p = sub.add_parser("backup", help="copy the database and the photos into DEST while the portal runs")
    p.add_argument("dest", type=Path)
    p.add_argument("--lang", choices=("zh", "en"), default=settings().default_language)
    p = sub.add_parser("restore", help="bring a backup back into the configured database and photo folder")
    p.add_argument("src", type=Path)
    p.add_argument("--force", action="store_true", help="replace a database that already holds a portal")
    p.add_argument("--lang", choices=("zh", "en"), default=settings().default_language)
    args = parser.parse_args(argv)
    if args.command == "setup":
        setup(args.demo)
        return 0
    if args.command == "import-geo":
        return import_geo(args.file, args.reverse, args.lang)
    if args.command == "generate":
        return generate_load(args.reports, args.seed)
    if args.command == "backup":
        return make_backup(args.dest, args.lang)
    if args.command == "restore":
        return restore(args.src, args.force, args.lang)
    if args.command == "create-user":
        return create_user(args.username, args.role, args.name, args.unit, args.password_stdin, args.lang)
    return riverside(args.code, args.flag == "yes")
