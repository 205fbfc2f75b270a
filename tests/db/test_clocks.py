"""Clock targets in the database: defaults, admin edits (audited), refusals, and the queue using them."""
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import AuditEntry, ClockTarget, User
from qingxi.core.permissions import Denied
from qingxi.reports import clocks, triage
from qingxi.reports.clocks import DEFAULTS, ClockError
from tests.db.test_triage import T0, World, new_report, w  # noqa: F401 - the fixture


def rows(engine) -> dict[tuple[str, str], int]:
    with session_scope(engine) as s:
        return {(r.priority, r.clock): r.seconds for r in s.scalars(select(ClockTarget))}


def test_defaults_without_rows_and_ensure_defaults_is_idempotent(engine):
    with session_scope(engine) as s:
        assert clocks.targets(s) == DEFAULTS
        assert clocks.ensure_defaults(s) == 10
    with session_scope(engine) as s:
        s.get(ClockTarget, ("normal", "sign")).seconds = 900
    with session_scope(engine) as s:
        assert clocks.ensure_defaults(s) == 0
    assert len(rows(engine)) == 10 and rows(engine)[("normal", "sign")] == 900  # an edit is never overwritten


def test_an_admin_edits_a_target_and_it_is_audited(w: World):
    clocks.set_target(w.engine, w.admin, "normal", "sign", 600)  # no row yet: inserted
    clocks.set_target(w.engine, w.admin, "normal", "sign", 900)  # then updated
    with session_scope(w.engine) as s:
        assert clocks.targets(s)["normal"]["sign"] == 900
        assert clocks.targets(s)["urgent"] == DEFAULTS["urgent"]
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.action, e.actor_id, e.entity) for e in entries] == [("clocks.set_target", w.admin.id, "clock_target")] * 2
    assert json.loads(entries[0].before) == {"seconds": 1800} and json.loads(entries[0].after) == {"seconds": 600}
    assert json.loads(entries[1].before) == {"seconds": 600} and json.loads(entries[1].after) == {"seconds": 900}


@pytest.mark.parametrize("priority, clock, seconds, key", [
    ("asap", "sign", 60, "bad_priority"), ("normal", "lunch", 60, "bad_clock"), ("normal", "sign", 0, "bad_seconds"),
    ("normal", "sign", -5, "bad_seconds"), ("normal", "sign", 1.5, "bad_seconds"), ("normal", "sign", "60", "bad_seconds"),
    ("normal", "sign", True, "bad_seconds"), ("normal", "sign", 10**9, "bad_seconds"),
])
def test_bad_targets_are_refused(w: World, priority, clock, seconds, key):
    with pytest.raises(ClockError) as err:
        clocks.set_target(w.engine, w.admin, priority, clock, seconds)
    assert err.value.key == key and rows(w.engine) == {}


def test_only_an_admin_may_edit_targets(w: World):
    for user in (None, w.staff, w.h1, w.deputy):
        with pytest.raises(Denied):
            clocks.set_target(w.engine, user, "urgent", "sign", 45)
    with session_scope(w.engine) as s:
        s.get(User, w.admin.id).disabled = True
    with pytest.raises(Denied):
        clocks.set_target(w.engine, w.admin, "urgent", "sign", 45)
    with session_scope(w.engine) as s:
        assert rows(w.engine) == {} and s.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_the_queue_follows_edited_targets(w: World):
    now = T0 + timedelta(minutes=20)
    normal = new_report(w)                                   # sign due T0 + 30 min by default
    urgent = new_report(w, priority="urgent", created_at=T0 + timedelta(minutes=19))  # sign due 19.5 min
    with session_scope(w.engine) as s:
        assert [i.id for i in triage.queue(s, w.staff, now=now).items] == [urgent, normal]
    clocks.set_target(w.engine, w.admin, "normal", "sign", 300)  # normal sign-off now due T0 + 5 min
    with session_scope(w.engine) as s:
        items = triage.queue(s, w.staff, now=now).items
    assert [i.id for i in items] == [normal, urgent]
    assert items[0].next_due == T0 + timedelta(minutes=5)
    assert [c.state for c in items[0].clocks] == ["overdue"] + ["running"] * 4


def test_milestones_stamped_by_the_desk_stop_the_clocks(w: World):
    rid = new_report(w, created_at=datetime.now(timezone.utc) - timedelta(hours=1))
    triage.sign(w.engine, w.staff, rid)
    with session_scope(w.engine) as s:
        item = triage.queue(s, w.staff).items[0]
    found = {c.name: c.state for c in item.clocks}
    assert found["sign"] == "late" and found["dispatch"] == "running"
