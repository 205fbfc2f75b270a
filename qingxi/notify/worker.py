"""The worker: `python -m qingxi worker` (a loop) or `--once` (one pass, for tests and cron).

One pass: the scheduler raises what is due (qingxi.notify.schedule), new events fan out to the
channels that want them (one delivery per event and channel), then each channel's due deliveries
are claimed (a lease; `FOR UPDATE SKIP LOCKED` on PostgreSQL so several workers share the queue),
sent through apprise outside any transaction, and recorded.

- A failure puts the delivery back with a back-off (10 s, 20 s, 40 s … at most 10 min); after
  `max_attempts` it is `failed`, kept for staff to see and resend. A channel's first failure in a
  pass ends that channel's turn, so a channel that always fails costs one timeout per pass and
  never holds the others back.
- Each channel has a rate (`per_minute`, 20 for a DingTalk robot): when more is due than the
  minute allows, the last allowed message is a digest of all the rest, so nothing is dropped.
- Delivered once: a delivery is marked sent in the transaction right after the endpoint's answer;
  a claim's lease covers the time its pass may take to send everything it claimed.
  Only a worker killed between that answer and the commit leaves a lease that runs out and sends
  it again (the one duplicate possible). A worker killed before sending loses nothing either.
"""
from __future__ import annotations

import json
import logging
import signal
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from db import notify_queries as q
from db.engine import session_scope, write_scope
from db.models import NotifyChannel, NotifyDelivery
from qingxi.accounts import contact_kind
from qingxi.core import clock
from qingxi.notify import channels, messages, schedule, vault

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_S = 10
BACKOFF_MAX_S = 600
LEASE_S = 120
PER_MESSAGE_S = 10  # apprise's connect + read timeouts (4 s + 4 s) and a margin
BATCH = 200


@dataclass
class Pass:
    fanned: int = 0
    sent: int = 0
    folded: int = 0
    retried: int = 0
    failed: int = 0


def lease_for(budget: int) -> timedelta:
    """Long enough to send every message the pass may send (the lease of a claim that is still
    being worked on never runs out, so no other worker sends it again)."""
    return timedelta(seconds=LEASE_S + PER_MESSAGE_S * min(budget, BATCH))


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_BASE_S * 2 ** max(attempts - 1, 0), BACKOFF_MAX_S))


def wants(channel: NotifyChannel, event: str, village_id: int | None, unit_id: int | None) -> bool:
    listed = channel.events.split(",")
    # an urgent report is a new report too: a channel for new reports gets it (once)
    hit = event in listed or (event == "report.urgent" and "report.new" in listed)
    return (hit and (channel.village_id is None or channel.village_id == village_id)
            and (channel.unit_id is None or channel.unit_id == unit_id))


def fan_out(engine: Engine, now: datetime) -> int:
    with write_scope(engine) as s:
        events = q.events_to_fan_out(s, BATCH * 5)
        if not events:
            return 0
        live = q.live_channels(s)
        rows = []
        for e in events:
            for ch in live:
                if not wants(ch, e.event, e.village_id, e.unit_id):
                    continue
                if ch.audience == "group":
                    rows.append(_delivery(e.id, ch.id, now))
                    continue
                kind = channels.reaches(ch.url_hint)  # an SMS gateway takes phones, e-mail addresses
                people = [(to, code) for to, code in q.people_for(s, e.event, json.loads(e.payload))
                          if contact_kind(to) == kind]
                for to in dict.fromkeys(p for p, _ in people):  # one message per person
                    code = next(c for p, c in people if p == to)
                    rows.append(_delivery(e.id, ch.id, now, recipient=vault.seal(json.dumps({"to": to, "code": code})),
                                          recipient_key=vault.recipient_key(to)))
        q.add_deliveries(s, rows)
        for e in events:
            e.fanned_out_at = now
        return len(events)


def _delivery(event_id: int, channel_id: int, now: datetime, **person) -> NotifyDelivery:
    return NotifyDelivery(event_id=event_id, channel_id=channel_id, status="pending", attempts=0, next_at=now,
                          last_error="", digest=False, created_at=now, **({"recipient_key": ""} | person))


def _claim(engine: Engine, channel_id: int, now: datetime) -> tuple[NotifyChannel | None, list[int], int]:
    """The channel, the deliveries claimed and how many messages the minute still allows."""
    with write_scope(engine) as s:
        channel = s.get(NotifyChannel, channel_id)
        if channel is None or channel.paused:
            return None, [], 0
        budget = channel.per_minute - q.sent_since(s, channel_id, now - timedelta(seconds=60))
        if budget <= 0:
            return None, [], 0
        s.expunge(channel)
        return channel, q.claim(s, channel_id, now, now + lease_for(budget), BATCH), budget


def _failed(engine: Engine, rows: list[NotifyDelivery], rest: list[int], error: str, now: datetime,
            max_attempts: int, done: Pass) -> None:
    with session_scope(engine) as s:
        attempts = max(d.attempts for d in rows)
        ids = [d.id for d in rows]
        if attempts >= max_attempts:
            q.mark_failed(s, ids, error)
            done.failed += len(ids)
        else:
            q.mark_retry(s, ids, now + backoff(attempts), error)
            done.retried += len(ids)
        if rest:
            q.release(s, rest, now + backoff(attempts))


def _release(engine: Engine, ids: list[int], at: datetime) -> None:
    with session_scope(engine) as s:
        q.release(s, ids, at)


def _addressed(url: str, delivery: NotifyDelivery, event) -> tuple[str, str, str]:
    """(url, title, body): a group's message, or a person's with their phone or e-mail address in
    the URL."""
    if delivery.recipient is None:
        return (url, *messages.render(event.event, event.payload))
    person = json.loads(vault.open_url(delivery.recipient) or "{}")
    return (channels.addressed(url, person.get("to", "")),
            *messages.render_person(event.event, event.payload, person.get("code", "")))


def deliver_channel(engine: Engine, channel_id: int, now: datetime, max_attempts: int, done: Pass) -> None:
    channel, ids, budget = _claim(engine, channel_id, now)
    if not ids:
        return
    with session_scope(engine) as s:
        batch = q.deliveries_with_events(s, ids)
        s.expunge_all()
    url = vault.open_url(channel.url_secret)
    if url is None:
        _failed(engine, [d for d, _ in batch], [], "channel URL unreadable (key changed)", now, 0, done)
        return
    if channel.audience == "person":  # one message per person: never folded, the rest waits
        singles, folded = batch[:budget], []
        if len(batch) > budget:
            _release(engine, [d.id for d, _ in batch[budget:]], now + timedelta(seconds=60))
    else:
        singles = batch if len(batch) <= budget else batch[:max(budget - 1, 0)]
        folded = batch[len(singles):]
    for n, (delivery, event) in enumerate(singles):
        error = channels.send(*_addressed(url, delivery, event))
        if error is not None:
            rest = [d.id for d, _ in (*singles[n + 1:], *folded)]
            _failed(engine, [delivery], rest, error, now, max_attempts, done)
            return
        with session_scope(engine) as s:
            q.mark_sent(s, [delivery.id], clock.now(), digest=False)
        done.sent += 1
    if folded:
        parts = [messages.render(e.event, e.payload) for _, e in folded]
        error = channels.send(url, *messages.digest(parts))
        rows = [d for d, _ in folded]
        if error is not None:
            _failed(engine, rows, [], error, now, max_attempts, done)
            return
        with session_scope(engine) as s:
            q.mark_sent(s, [d.id for d in rows], clock.now(), digest=True)
        done.sent += len(rows)
        done.folded += len(rows)


def run_once(engine: Engine, now: datetime | None = None, *, max_attempts: int = MAX_ATTEMPTS,
             scheduled: bool = True) -> Pass:
    now = clock.now(now)
    done = Pass()
    if scheduled:
        schedule.raise_due(engine, now)
    done.fanned = fan_out(engine, now)
    with session_scope(engine) as s:
        due = q.channels_with_due(s, now)
    for channel_id in due:
        try:
            deliver_channel(engine, channel_id, now, max_attempts, done)
        except Exception:  # one channel's trouble never stops the others
            log.exception("notify: channel %s", channel_id)
    return done


def run(engine: Engine, interval_s: float = 2.0, schedule_every_s: float = 30.0,
        stop: threading.Event | None = None) -> None:
    """Until SIGTERM / SIGINT (or `stop` is set): a pass every `interval_s`, the scheduler every
    `schedule_every_s`."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
    last_schedule = None
    while not stop.is_set():
        started = time.monotonic()
        try:
            due = last_schedule is None or started - last_schedule >= schedule_every_s
            run_once(engine, scheduled=due)
            if due:
                last_schedule = started
        except Exception:
            log.exception("notify: worker pass failed")
        stop.wait(max(0.0, interval_s - (time.monotonic() - started)))
