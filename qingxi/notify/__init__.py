"""Outbound notifications (issue 15): what happened reaches the people on duty in the group chats
they already use, through apprise (DingTalk robots with their signing secret, WeCom, Feishu/Lark,
e-mail, SMS gateways …).

Services record events in their own transaction with `qingxi.core.outbox.emit` / `report_event`
(a transactional outbox: a rollback sends nothing). This package delivers them:

- `channels`: `add`, `listed`, `test`, `set_paused`, `remove` (admins, or the operator from the
  command line); URLs kept encrypted (`vault`), shown as a hint only. `NotifyError` is the refusal.
- `worker.run_once(engine)` / `worker.run(engine)`: fan-out, claims, retries with back-off, give
  up after `MAX_ATTEMPTS`, a per-channel rate with digest folding.
- `schedule.raise_due(engine, now)`: clock.due / clock.overdue and clean-up reminders, once each.
- `messages.render(event, payload, lang)`: a group message's title and body (no personal data).
- `sent(engine, user, ...)` / `resend(engine, user, delivery_id)`: the staff notifications page.
- `cli.main(argv)`: `python -m qingxi worker|channel ...`.
"""
from qingxi.notify.channels import Channel, NotifyError, add, listed, remove, set_paused, test  # noqa: F401
from qingxi.notify.history import Sent, resend, sent  # noqa: F401
