"""A deputy's proposal linked to the volunteer clean-up days it led to (issue 5 ↔ issue 6), on SQLite
and PostgreSQL: who may link, refusals change nothing, unlinking keeps the row, and the proposal's
detail shows only an event's public fields. Also the report status page's read: which events'
volunteers cleaned a report."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.engine import session_scope
from db.models import AuditEntry, ProposalCleanupLink, ProposalEvent
from qingxi import cleanups as cu
from qingxi import proposals as P
from tests.db import test_cleanups as C
from tests.db.test_proposals import T0, denied, refused, to_state, u, w  # noqa: F401  (w is a fixture)


def event(w, *, publish: bool = True, **kw) -> int:
    plan = C.plan(starts_at=T0 + timedelta(days=30), ends_at=T0 + timedelta(days=30, hours=3), **kw)
    cid = cu.create(w.engine, u(w, "staff"), plan, now=T0)
    if publish:
        cu.publish(w.engine, u(w, "staff"), cid, now=T0)
    return cid


def test_staff_and_the_proposals_deputies_link_clean_up_days(w):
    pid = to_state(w, "handling")
    cid, draft = event(w), event(w, publish=False, title="还在筹备的清理日")
    L = T0 + timedelta(days=3)
    denied(w, P.link_cleanup, w.engine, u(w, "other_deputy"), pid, cid, now=L)
    denied(w, P.link_cleanup, w.engine, u(w, "lead_handler"), pid, cid, now=L)
    denied(w, P.link_cleanup, w.engine, None, pid, cid, now=L)
    refused(w, "cleanup_not_found", P.link_cleanup, w.engine, u(w, "staff"), pid, 99999, now=L)
    refused(w, "cleanup_not_found", P.link_cleanup, w.engine, u(w, "lead"), pid, draft, now=L)  # deputies see no drafts
    link = P.link_cleanup(w.engine, u(w, "cosigner"), pid, cid, now=L)
    refused(w, "cleanup_already_linked", P.link_cleanup, w.engine, u(w, "staff"), pid, cid, now=L)
    P.link_cleanup(w.engine, u(w, "staff"), pid, draft, now=L)

    lead_view = P.detail(w.engine, u(w, "lead"), pid, now=L)
    assert [(c.id, c.title, c.state, c.kg) for c in lead_view.cleanups] == [(cid, "清溪清理日", "published", None)]
    assert [c.id for c in P.detail(w.engine, u(w, "staff"), pid, now=L).cleanups] == [cid, draft]
    assert "13900001111" not in repr(lead_view.cleanups) and "梅式业" not in repr(lead_view.cleanups)
    with session_scope(w.engine) as s:
        history = [(e.action, e.note) for e in s.scalars(select(ProposalEvent).where(
            ProposalEvent.proposal_id == pid, ProposalEvent.action.like("%cleanup")))]
        assert history == [("link_cleanup", f"#{cid}"), ("link_cleanup", f"#{draft}")]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "proposal.link_cleanup")).first()
        assert entry.entity_id == pid and f'"link_id": {link}' in entry.after


def test_unlinking_keeps_the_row_and_the_history_says_why(w):
    pid = to_state(w, "handling")
    cid = event(w)
    L = T0 + timedelta(days=3)
    refused(w, "cleanup_not_linked", P.unlink_cleanup, w.engine, u(w, "staff"), pid, cid, now=L)
    P.link_cleanup(w.engine, u(w, "lead"), pid, cid, now=L)
    denied(w, P.unlink_cleanup, w.engine, u(w, "other_deputy"), pid, cid, now=L)
    P.unlink_cleanup(w.engine, u(w, "lead"), pid, cid, "关联错了", now=L + timedelta(hours=1))
    assert P.detail(w.engine, u(w, "lead"), pid, now=L).cleanups == []
    refused(w, "cleanup_not_linked", P.unlink_cleanup, w.engine, u(w, "staff"), pid, cid, now=L)
    with session_scope(w.engine) as s:
        [row] = s.scalars(select(ProposalCleanupLink)).all()
        assert row.unlinked_at == L + timedelta(hours=1) and row.unlinked_by_id == u(w, "lead").id
        notes = [e.note for e in s.scalars(select(ProposalEvent).where(ProposalEvent.action == "unlink_cleanup"))]
        assert notes == [f"#{cid} 关联错了"]
    P.link_cleanup(w.engine, u(w, "staff"), pid, cid, now=L + timedelta(hours=2))  # linked again: a new row
    assert [c.id for c in P.detail(w.engine, u(w, "lead"), pid, now=L).cleanups] == [cid]


def test_a_published_proposal_shows_the_weight_once_the_results_are_public(w, tmp_path):
    pid = to_state(w, "published")
    cid = event(w)
    staff = u(w, "staff")
    P.link_cleanup(w.engine, staff, pid, cid, now=T0 + timedelta(days=20))
    start = T0 + timedelta(days=30)
    cu.mark_done(w.engine, staff, cid, now=start)
    cu.record_results(w.engine, staff, cid, C.GOOD, photo_dir=tmp_path, now=start)
    assert [c.kg for c in P.detail(w.engine, None, pid).cleanups] == [None]  # recorded, not yet published
    assert [c.kg for c in P.detail(w.engine, staff, pid).cleanups] == [85.5]
    cu.publish_results(w.engine, staff, cid, now=start)
    [linked] = P.detail(w.engine, None, pid).cleanups
    assert (linked.state, linked.kg, linked.starts_at) == ("reported", 85.5, start)


def test_a_reports_status_page_learns_which_clean_up_day_cleaned_it(w):
    from db.models import Report
    from tests.db.test_proposals import _report

    staff = u(w, "staff")
    rid, other = _report(w), _report(w)
    cid = event(w, title="六月清溪清理日")
    cu.attach_reports(w.engine, staff, cid, [rid, other], now=T0)
    with session_scope(w.engine) as s:
        code, other_code = s.get(Report, rid).code, s.get(Report, other).code
    start = T0 + timedelta(days=30)
    assert cu.cleaned_by(w.engine, code) == []                       # attached is not cleaned
    cu.mark_done(w.engine, staff, cid, now=start)
    cu.mark_cleaned(w.engine, staff, cid, [rid], now=start)
    assert cu.cleaned_by(w.engine, code.lower()) == [cu.CleanedBy(cid, "六月清溪清理日", start)]
    assert cu.cleaned_by(w.engine, other_code) == [] and cu.cleaned_by(w.engine, "") == []
