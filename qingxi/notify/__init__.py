"""Outbound notifications (issue 15): what happened reaches the people on duty in the group chats
they already use, through apprise (DingTalk robots with their signing secret, WeCom, Feishu/Lark,
e-mail, SMS gateways …).

Services record events in their own transaction with `qingxi.core.outbox.emit` / `report_event`
(a transactional outbox: a rollback sends nothing). This package delivers them:

- `channels`: `add`, `listed`, `test`, `set_paused`, `remove` (admins, or the operator from the
  command line); URLs kept encrypted (`vault`), shown as a hint only. `NotifyError` is the refusal.
  A `person=True` channel (an SMS / e-mail gateway, `{to}` in its URL) carries the messages
  addressed to one volunteer (promotion, reminders, cancellation) to their sign-up phone;
  `reaches_people(engine)` says whether one is configured (else nothing is queued for people).
- `worker.run_once(engine)` / `worker.run(engine)`: fan-out, claims, retries with back-off, give
  up after `MAX_ATTEMPTS`, a per-channel rate with digest folding.
- `schedule.raise_due(engine, now)`: clock.due / clock.overdue and clean-up reminders, once each.
- `messages.render(event, payload, lang)`: a group message's title and body (no personal data).
- `sent(engine, user, ...)` / `resend(engine, user, delivery_id)` / `alert_times(engine, user, since)`
  (from a report's filing to its first staff alert): the dashboard and the notifications page.
- `cli.main(argv)`: `python -m qingxi worker|channel ...`.
"""
from qingxi.notify.channels import (  # noqa: F401
    Channel,
    NotifyError,
    add,
    listed,
    reaches_people,
    remove,
    set_paused,
    test,
)
from qingxi.notify.history import AlertTimes, Sent, alert_times, resend, sent  # noqa: F401
