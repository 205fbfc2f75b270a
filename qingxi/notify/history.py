"""What was sent, for staff (`notify.view`): when, to which channel, the state, attempts, the
last error; a failed (or sent) message can be queued again."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from db import notify_queries as q
from qingxi.core.acting import acting
from qingxi.notify.channels import NotifyError


@dataclass(frozen=True)
class Sent:
    id: int
    event: str
    channel: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    digest: bool
    error: str


def sent(engine: Engine, user, status: str | None = None, limit: int = 200) -> list[Sent]:
    with acting(engine, user, "notify.view") as c:
        return [Sent(d.id, e.event, name, d.status, d.attempts, d.created_at, d.sent_at, d.digest, d.last_error)
                for d, e, name in q.recent(c.session, limit, status)]


def resend(engine: Engine, user, delivery_id: int, now: datetime | None = None) -> None:
    with acting(engine, user, "notify.view", now=now) as c:
        if not q.resend(c.session, delivery_id, c.at):
            raise NotifyError("not_resendable")
        c.audit("notify.resend", {}, {"delivery_id": delivery_id}, entity="notify_delivery", entity_id=delivery_id)


@dataclass(frozen=True)
class AlertTimes:
    reports: int  # reports filed in the period whose new / urgent message reached a group
    median_s: float | None
    p95_s: float | None


def alert_times(engine: Engine, user, since: datetime) -> AlertTimes:
    """From a report's filing to its first staff alert (the first group message about it)."""
    with acting(engine, user, "notify.view") as c:
        waits = sorted((sent - filed).total_seconds() for filed, sent in q.first_alerts(c.session, since))
    if not waits:
        return AlertTimes(0, None, None)
    return AlertTimes(len(waits), statistics.median(waits), waits[max(int(len(waits) * 0.95) - 1, 0)])
