"""Command line: `python -m qingxi setup | import-geo FILE | riverside CODE yes|no`."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from db import migrate, repo
from db.engine import engine_for, session_scope
from geo.importer import GeoImportError
from qingxi import demo, geography, photos
from qingxi.i18n import t
from qingxi.settings import current as settings


def setup(load_demo: bool | None) -> None:
    """Migrate, install the reference geography and (first run only) the demo data."""
    cfg = settings()
    engine = engine_for(cfg.database_url)
    migrate.upgrade(engine)
    swept = photos.sweep_temp(cfg.photo_dir)
    with session_scope(engine) as session:
        fresh = geography.install_reference(session)
        if load_demo is None:
            load_demo = fresh and os.environ.get("CI") != "true"
        added = demo.load_demo(session, cfg.photo_dir) if load_demo else 0
    print(f"database ready ({engine.url.get_backend_name()}); reference geography "
          f"{'installed' if fresh else 'kept'}; demo reports added: {added}; stale temp files removed: {swept}")


def import_geo(path: Path, reverse: bool, lang: str) -> int:
    engine = engine_for(settings().database_url)
    try:
        with session_scope(engine) as session:
            summary = geography.import_geometry(session, path, reverse=reverse)
    except GeoImportError as err:
        print(err.message(lang), file=sys.stderr)
        return 2
    print(t("cli.imported", lang, **summary))
    return 0


def riverside(code: str, flag: bool) -> int:
    with session_scope(engine_for(settings().database_url)) as session:
        if code not in repo.village_ids(session):
            print(f"unknown village code {code}", file=sys.stderr)
            return 2
        repo.set_riverside(session, code, flag)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qingxi")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup", help="migrate the database; load geography and demo data on first run")
    p.add_argument("--demo", action=argparse.BooleanOptionalAction, default=None)
    p = sub.add_parser("import-geo", help="replace the river line and/or villages with surveyed data")
    p.add_argument("file", type=Path)
    p.add_argument("--reverse", action="store_true", help="the file's line runs downstream → upstream")
    p.add_argument("--lang", choices=("zh", "en"), default=settings().default_language)
    p = sub.add_parser("riverside", help="mark a village as riverside or not")
    p.add_argument("code")
    p.add_argument("flag", choices=("yes", "no"))
    args = parser.parse_args(argv)
    if args.command == "setup":
        setup(args.demo)
        return 0
    if args.command == "import-geo":
        return import_geo(args.file, args.reverse, args.lang)
    return riverside(args.code, args.flag == "yes")
