"""Channels: a name, an apprise URL (kept sealed, shown as a hint), the events it receives and,
optionally, one village's or one unit's only. Admins manage them (`notify.manage`); the command
line acts as the operator (user None)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import quote

import apprise
from sqlalchemy import Engine

from db import notify_queries as q
from db.engine import session_scope
from db.models import NotifyChannel
from qingxi import accounts
from qingxi.core import permissions
from qingxi.core.acting import acting, fresh_user
from qingxi.core.outbox import EVENTS
from qingxi.core.refusals import Refusal
from qingxi.notify import dingtalk, messages, vault

MAX_NAME = 60
DEFAULT_PER_MINUTE = 20  # a DingTalk robot accepts 20 messages a minute


dingtalk.install()


class NotifyError(Refusal):
    area = "notify"


@dataclass(frozen=True)
class Channel:
    id: int
    name: str
    hint: str
    events: tuple[str, ...]
    village: str | None
    unit: str | None
    per_minute: int
    paused: bool
    audience: str = "group"


def _events(events) -> str:
    listed = [e.strip() for e in (events.split(",") if isinstance(events, str) else events) if e.strip()]
    if not listed:
        raise NotifyError("no_events")
    for event in listed:
        if event not in EVENTS:
            raise NotifyError("bad_event", event=event)
    return ",".join(dict.fromkeys(listed))


SAMPLE_PHONE = "13800138000"
SAMPLE_EMAIL = "someone@example.org"
EMAIL_SCHEMES = ("mailto", "mailtos")


def reaches(url: str) -> str:
    """What a person channel's `{to}` takes: "email" for an e-mail channel (mailto://, mailtos://),
    "phone" for any other (an SMS gateway). The URL's hint is enough to tell."""
    return "email" if url.partition("://")[0].strip().lower() in EMAIL_SCHEMES else "phone"


def addressed(url: str, to: str) -> str:
    """A person channel's URL with the person's phone or e-mail address in place of `{to}`."""
    return url.replace("{to}", quote(to, safe="@."))


def check_url(url: str, audience: str = "group") -> None:
    """apprise must know the URL; a person channel's has `{to}` where the person's phone or e-mail
    address goes."""
    if audience == "person":
        if "{to}" not in (url or ""):
            raise NotifyError("person_needs_to")
        url = addressed(url, SAMPLE_EMAIL if reaches(url) == "email" else SAMPLE_PHONE)
    if not url or not apprise.Apprise().add(url.strip()):
        raise NotifyError("bad_url")


def _manage(engine: Engine, user):
    """Admins from a page; the operator (None) from the command line."""
    return acting(engine, user, "notify.manage" if user is not None else None)


def add(engine: Engine, user, name: str, url: str, events, *, village: str | None = None,
        unit: str | None = None, per_minute: int = DEFAULT_PER_MINUTE, person: bool = False) -> int:
    """A channel for a duty group, or (`person`) an SMS / e-mail gateway for messages addressed to
    one person, its URL with `{to}` for their phone."""
    name = (name or "").strip()
    if not 0 < len(name) <= MAX_NAME:
        raise NotifyError("bad_name")
    listed = _events(events)
    url = (url or "").strip()
    audience = "person" if person else "group"
    check_url(url, audience)
    if not 1 <= int(per_minute) <= 100_000:
        raise NotifyError("bad_rate")
    with _manage(engine, user) as c:
        s = c.session
        if q.channel_by_name(s, name) is not None:
            raise NotifyError("name_taken")
        village_id = unit_id = None
        if village:
            found = q.village_by_code(s, village.strip())
            if found is None:
                raise NotifyError("unknown_village")
            village_id = found.id
        if unit:
            found_unit = q.unit_by_name(s, unit.strip())
            if found_unit is None:
                raise NotifyError("unknown_unit")
            unit_id = found_unit.id
        row = NotifyChannel(name=name, url_secret=vault.seal(url), url_hint=vault.hint(url), events=listed,
                            village_id=village_id, unit_id=unit_id, per_minute=int(per_minute), paused=False,
                            audience=audience, created_at=c.at)
        s.add(row)
        s.flush()
        if c.actor is not None:
            c.audit("notify.channel_add", {}, {"name": name, "hint": row.url_hint, "events": listed},
                    entity="notify_channel", entity_id=row.id)
        return row.id


def listed(engine: Engine, user) -> list[Channel]:
    with session_scope(engine) as s:
        if user is not None:
            permissions.require(fresh_user(s, user), "notify.view")
        found = []
        for row in q.channels(s):
            village = row.village_id and q.village_name(s, row.village_id)
            found.append(Channel(row.id, row.name, row.url_hint, tuple(row.events.split(",")), village or None,
                                 q.unit_name(s, row.unit_id), row.per_minute, row.paused, row.audience))
        return found


def _named(c, name: str) -> NotifyChannel:
    row = q.channel_by_name(c.session, (name or "").strip())
    if row is None:
        raise NotifyError("unknown_channel")
    return row


def remove(engine: Engine, user, name: str) -> None:
    with _manage(engine, user) as c:
        row = _named(c, name)
        if c.actor is not None:
            c.audit("notify.channel_remove", {"name": row.name, "hint": row.url_hint}, {},
                    entity="notify_channel", entity_id=row.id)
        q.remove_channel(c.session, row.id)


def set_paused(engine: Engine, user, name: str, paused: bool) -> None:
    with _manage(engine, user) as c:
        row = _named(c, name)
        before = row.paused
        row.paused = paused
        if c.actor is not None:
            c.audit("notify.channel_pause", {"paused": before}, {"paused": paused},
                    entity="notify_channel", entity_id=row.id)


def send(url: str, title: str, body: str) -> str | None:
    """Send one message now; None when the endpoint took it, else what went wrong (no secrets)."""
    sender = apprise.Apprise()
    if not sender.add(url):
        return "bad url"
    with apprise.LogCapture(level=logging.WARNING) as log:
        ok = sender.notify(title=title, body=body)
        problem = log.getvalue().strip().splitlines()
    if ok:
        return None
    return (problem[-1].split(" - ", 2)[-1] if problem else "not delivered")[:300]


def test(engine: Engine, user, name: str, lang: str = "zh", *, to: str | None = None) -> None:
    """Send a test message straight away; a failure is a refusal with what went wrong. A channel
    for people is tested on a phone or e-mail address the admin gives (`to`), never on anyone else's."""
    with _manage(engine, user) as c:
        row = _named(c, name)
        url = vault.open_url(row.url_secret)
    if url is None:
        raise NotifyError("unreadable")
    if row.audience == "person":
        try:
            to = accounts.normalise_contact(to)
        except accounts.AccountError:
            to = None
        if to is None or accounts.contact_kind(to) != reaches(url):
            raise NotifyError("test_needs_phone")
        url = addressed(url, to)
    error = send(url, *messages.test_message(lang))
    if error is not None:
        raise NotifyError("test_failed", error=error)


def reaches_people(engine: Engine, kind: str = "phone", events: tuple[str, ...] = ()) -> bool:
    """Whether messages addressed to a person can go out: a live person channel for their kind of
    contact ("phone" or "email") taking one of `events` (any, when none are named). Without one,
    nothing is queued for them and their page says so."""
    with session_scope(engine) as s:
        return any(reaches(row.url_hint) == kind and (not events or set(events) & set(row.events.split(",")))
                   for row in q.person_channels(s))
