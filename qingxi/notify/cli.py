"""`python -m qingxi worker [--once]` and `python -m qingxi channel add|list|test|pause|resume|remove`."""
from __future__ import annotations

import argparse
import logging
import sys

from db.engine import engine_for
from qingxi.core.i18n import t
from qingxi.core.settings import current as settings
from qingxi.notify import channels, worker

COMMANDS = ("worker", "channel")


def _channel(args, lang: str) -> int:
    engine = engine_for(settings().database_url)
    try:
        if args.action == "add":
            channels.add(engine, None, args.name, args.url, args.events, village=args.village, unit=args.unit,
                         per_minute=args.per_minute, person=args.person)
            found = next(c for c in channels.listed(engine, None) if c.name == args.name.strip())
            print(t("notify.cli.added", lang, name=found.name, hint=found.hint))
        elif args.action == "list":
            found = channels.listed(engine, None)
            if not found:
                print(t("notify.cli.none", lang))
            for c in found:
                where = " ".join(x for x in (c.village and f"village={c.village}", c.unit and f"unit={c.unit}") if x)
                print(f"{c.name}\t{c.audience}\t{c.hint}\t{','.join(c.events)}\t{c.per_minute}/min"
                      f"{chr(9) + where if where else ''}{chr(9) + 'paused' if c.paused else ''}")
        elif args.action == "test":
            channels.test(engine, None, args.name, lang, to=args.to)
            print(t("notify.cli.test_ok", lang, name=args.name))
        elif args.action in ("pause", "resume"):
            channels.set_paused(engine, None, args.name, args.action == "pause")
            print(t(f"notify.cli.{args.action}d", lang, name=args.name))
        else:
            channels.remove(engine, None, args.name)
            print(t("notify.cli.removed", lang, name=args.name))
    except channels.NotifyError as err:
        print(err.message(lang), file=sys.stderr)
        return 2
    return 0


def _worker(args, lang: str) -> int:
    engine = engine_for(settings().database_url)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.once:
        done = worker.run_once(engine, max_attempts=args.max_attempts)
        print(t("notify.cli.pass_done", lang, **vars(done)))
        return 0
    worker.run(engine, interval_s=args.interval)
    return 0


def main(argv: list[str] | None = None) -> int:
    default_lang = settings().default_language
    parser = argparse.ArgumentParser(prog="python -m qingxi")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("worker", help="send the notifications that are due (a loop; --once for one pass)")
    p.add_argument("--once", action="store_true")
    p.add_argument("--interval", type=float, default=2.0, help="seconds between passes")
    p.add_argument("--max-attempts", type=int, default=worker.MAX_ATTEMPTS)
    p.add_argument("--lang", choices=("zh", "en"), default=default_lang)
    p = sub.add_parser("channel", help="manage notification channels (apprise URLs)")
    p.add_argument("--lang", choices=("zh", "en"), default=default_lang)
    acts = p.add_subparsers(dest="action", required=True)
    a = acts.add_parser("add", help="add a channel: NAME URL --events a,b [--village CODE] [--unit NAME]")
    a.add_argument("name")
    a.add_argument("url")
    a.add_argument("--events", required=True, help="comma list, e.g. report.urgent,clock.overdue")
    a.add_argument("--village", help="only this village's events (its code)")
    a.add_argument("--unit", help="only this unit's events (its exact name)")
    a.add_argument("--per-minute", type=int, default=channels.DEFAULT_PER_MINUTE)
    a.add_argument("--person", action="store_true",
                   help="an SMS / e-mail gateway for messages to one person: URL with {to} for the phone")
    acts.add_parser("list", help="the channels (URLs shown only as a hint)")
    a = acts.add_parser("test", help="send a test message now (a channel for people: to --to PHONE)")
    a.add_argument("name")
    a.add_argument("--to", help="a channel for people: the phone to test on (your own)")
    for name in ("pause", "resume", "remove"):
        acts.add_parser(name).add_argument("name")
    args = parser.parse_args(argv)
    if args.command == "worker":
        return _worker(args, args.lang)
    return _channel(args, args.lang)
