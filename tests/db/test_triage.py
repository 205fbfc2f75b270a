"""The triage desk on SQLite and PostgreSQL: every desk action's allowed and refused transitions,
permission refusals that change nothing, merging, routing, the queue and the audit trail."""
from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import (
    AuditEntry,
    Observation,
    Photo,
    Report,
    ResponseTemplate,
    RoutingRule,
    StatusChange,
    Unit,
    User,
)
from qingxi.core import audit
from qingxi.core.permissions import Denied
from qingxi.reports import OPEN_STATES, State, TransitionError, triage
from qingxi.reports.triage import DeskError, QueueFilter
from tests.support.photo_samples import jpeg

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
ENDED = tuple(s for s in State if s not in OPEN_STATES)


@dataclass
class World:
    engine: object
    staff: User
    admin: User
    h1: User      # handler of unit u1
    h2: User      # handler of unit u2
    deputy: User
    gone: User    # a disabled staff account
    u1: int
    u2: int
    off: int      # an inactive unit
    v1: int
    v2: int


@pytest.fixture
def w(people) -> World:
    with session_scope(people.engine) as s:
        # the street office's own handler: a reply's actor is asserted by this name
        h1 = User(username="laowang", display_name="街道老王", role="handler", unit_id=people.other_unit)
        s.add(h1)
        s.flush()
    return World(people.engine, staff=people.staff, admin=people.admin, h1=h1, h2=people.handler,
                 deputy=people.deputy, gone=people.disabled, u1=people.other_unit, u2=people.unit,
                 off=people.old_unit, v1=people.village, v2=people.other_village)


def new_report(w: World, state: str = "submitted", *, photos: int = 1, **kw) -> int:
    fields = dict(code=uuid.uuid4().hex[:8].upper(), category="bank_litter", lon=121.40, lat=29.15,
                  location_source="gps", state=state, created_at=T0, village_id=w.v1,
                  reporter_phone="13800001234", reporter_name="王大姐") | kw
    with session_scope(w.engine) as s:
        r = Report(**fields)
        r.history = [StatusChange(to_state="submitted", at=fields["created_at"])]
        r.photos = [Photo(kind="report", sha256=uuid.uuid4().hex * 2, public_name=f"{uuid.uuid4().hex}.jpg",
                          thumb_name=f"{uuid.uuid4().hex}.jpg", width=10, height=10) for _ in range(photos)]
        s.add(r)
        s.flush()
        return r.id


def snapshot(w: World, *ids: int):
    """Everything the desk may touch, to prove a refusal changed nothing."""
    with session_scope(w.engine) as s:
        rows = []
        for rid in ids:
            r = s.get(Report, rid)
            rows.append(({c.key: getattr(r, c.key) for c in Report.__table__.columns},
                         [(h.from_state, h.to_state, h.note, h.public, h.user_id) for h in r.history],
                         sorted((p.id, p.kind, p.hidden) for p in r.photos)))
        for table in (AuditEntry, StatusChange, Photo, Observation):
            rows.append(s.scalar(select(func.count()).select_from(table)))
        return rows


def audits(w: World) -> list[AuditEntry]:
    with session_scope(w.engine) as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def load(w: World, rid: int) -> Report:
    with session_scope(w.engine) as s:
        r = s.get(Report, rid)
        _ = r.history, r.photos
        return r


@contextmanager
def one_audit(w: World, action: str, actor: User | None):
    """The block leaves exactly one new audit entry, by `actor`, named `action`."""
    before = len(audits(w))
    yield
    entries = audits(w)
    assert len(entries) == before + 1, [e.action for e in entries[before:]]
    assert (entries[-1].action, entries[-1].actor_id) == (action, actor.id)


NOTE = "已转交县水利局处理"

# name → (call, the states it is allowed from, the state it leads to, who does it, audit name)
OPEN = {s.value for s in OPEN_STATES}
FLOW = {
    "sign": (lambda w, r, u, o: triage.sign(w.engine, u, r), {"submitted", "reopened"}, "signed", "staff", "report.sign"),
    "dispatch": (lambda w, r, u, o: triage.dispatch(w.engine, u, r, w.u2, "请今天处理"),
                 {"signed", "dispatched", "in_progress"}, "dispatched", "staff", "report.dispatch"),
    "on_site": (lambda w, r, u, o: triage.on_site(w.engine, u, r), {"dispatched", "in_progress"}, "in_progress", "h1", "report.on_site"),
    "progress": (lambda w, r, u, o: triage.progress(w.engine, u, r, "已安排保洁"),
                 {"dispatched", "in_progress"}, "in_progress", "h1", "report.progress"),
    "transfer": (lambda w, r, u, o: triage.request_transfer(w.engine, u, r, "不在本村范围"),
                 {"dispatched", "in_progress"}, "signed", "h1", "report.transfer"),
    "resolve": (lambda w, r, u, o: triage.resolve(w.engine, u, r, None, "已清理"),
                {"dispatched", "in_progress"}, "resolved", "h1", "report.resolve"),
    "send_back": (lambda w, r, u, o: triage.send_back(w.engine, u, r, "照片看不清，请补拍"),
                  {"resolved"}, "in_progress", "staff", "report.send_back"),
    "refer": (lambda w, r, u, o: triage.refer(w.engine, u, r, NOTE), OPEN, "referred", "staff", "report.refer"),
    "hide": (lambda w, r, u, o: triage.hide(w.engine, u, r, "广告"), OPEN, "invalid", "staff", "report.hide"),
    "merge": (lambda w, r, u, o: triage.merge(w.engine, u, r, o, "同一处"), OPEN, "duplicate", "staff", "report.merge"),
    "close_fixed": (lambda w, r, u, o: triage.close_fixed(w.engine, u, r, "已清理完毕"), OPEN, "fixed", "staff", "report.close_fixed"),
    "close_unfixed": (lambda w, r, u, o: triage.close_unfixed(w.engine, u, r, "涉及上游，暂无法处理"),
                      OPEN, "unfixed", "staff", "report.close_unfixed"),
    "reopen": (lambda w, r, u, o: triage.reopen(w.engine, u, r, "群众反映仍有垃圾"),
               {s.value for s in ENDED}, "reopened", "staff", "report.reopen"),
}
# Actions that change no state, with a state they work in.
OTHER = {
    "verify": (lambda w, r, u, o: triage.verify(w.engine, u, r), "signed", "staff"),
    "set_priority": (lambda w, r, u, o: triage.set_priority(w.engine, u, r, "urgent"), "signed", "staff"),
    "call_back": (lambda w, r, u, o: triage.call_back(w.engine, u, r, "已电话核实位置"), "signed", "staff"),
    "reply": (lambda w, r, u, o: triage.reply(w.engine, u, r, "已安排人员", public=True), "dispatched", "h1"),
    "note": (lambda w, r, u, o: triage.reply(w.engine, u, r, "内部备注", public=False), "dispatched", "h1"),
    "redact": (lambda w, r, u, o: triage.redact(w.engine, u, r, "河边有垃圾", "含他人手机号"), "signed", "staff"),
    "hide_photo": (lambda w, r, u, o: triage.hide_photo(w.engine, u, load(w, r).photos[0].id, "拍到人脸"), "signed", "staff"),
}


@pytest.mark.parametrize("name", sorted(FLOW))
def test_every_desk_transition_allowed_and_refused(w, name):
    call, sources, target, who, action = FLOW[name]
    user = getattr(w, who)
    other = new_report(w, "signed")
    for state in State:
        rid = new_report(w, state.value, unit_id=w.u1)
        if state.value in sources:
            with one_audit(w, action, user):
                call(w, rid, user, other)
            r = load(w, rid)
            assert r.state == target, (name, state)
            last = r.history[-1]
            assert (last.user_id, last.actor) == (user.id, user.display_name)
        else:
            before = snapshot(w, rid, other)
            with pytest.raises(TransitionError):
                call(w, rid, user, other)
            assert snapshot(w, rid, other) == before, (name, state)


@pytest.mark.parametrize("name", sorted(FLOW) + sorted(OTHER))
def test_refused_people_change_nothing(w, name):
    if name in FLOW:
        call, sources, _, who, _ = FLOW[name]
        state = "dispatched" if "dispatched" in sources else sorted(sources)[0]
    else:
        call, state, who = OTHER[name]
    rid, other = new_report(w, state, unit_id=w.u1), new_report(w, "signed")
    refused = [None, w.deputy, w.gone, w.h2]  # the public, a deputy, a disabled account, another unit
    if who == "staff":
        refused.append(w.h1)  # the report's own handler may not do staff work
    before = snapshot(w, rid, other)
    for user in refused:
        with pytest.raises(Denied):
            call(w, rid, user, other)
        assert snapshot(w, rid, other) == before, (name, user and user.username)
    actor = getattr(w, who)
    call(w, rid, actor, other)  # and the right person may
    assert audits(w)[-1].actor_id == actor.id


def test_handlers_act_only_on_reports_dispatched_to_their_unit(w):
    unassigned = new_report(w, "dispatched", unit_id=None)
    with pytest.raises(Denied):
        triage.progress(w.engine, w.h1, unassigned, "我来")
    mine = new_report(w, "dispatched", unit_id=w.u1)
    triage.progress(w.engine, w.h1, mine, "我来")
    with session_scope(w.engine) as s:  # a handler moved to another unit loses it at once
        s.get(User, w.h1.id).unit_id = w.u2
    with pytest.raises(Denied):
        triage.progress(w.engine, w.h1, mine, "还是我")


@pytest.mark.parametrize("call, key", [
    (lambda w, r: triage.refer(w.engine, w.staff, r, "  "), "note_needed"),
    (lambda w, r: triage.hide(w.engine, w.staff, r, ""), "reason_needed"),
    (lambda w, r: triage.close_fixed(w.engine, w.staff, r, ""), "note_needed"),
    (lambda w, r: triage.close_unfixed(w.engine, w.staff, r, "\n"), "note_needed"),
    (lambda w, r: triage.call_back(w.engine, w.staff, r, ""), "note_needed"),
    (lambda w, r: triage.reply(w.engine, w.staff, r, " ", public=True), "note_needed"),
    (lambda w, r: triage.progress(w.engine, w.h1, r, ""), "note_needed"),
    (lambda w, r: triage.resolve(w.engine, w.h1, r, None, ""), "note_needed"),
    (lambda w, r: triage.request_transfer(w.engine, w.h1, r, ""), "reason_needed"),
    (lambda w, r: triage.redact(w.engine, w.staff, r, "干净的描述", ""), "reason_needed"),
    (lambda w, r: triage.reply(w.engine, w.staff, r, "长" * 2001), "text_too_long"),
    (lambda w, r: triage.set_priority(w.engine, w.staff, r, "asap"), "bad_priority"),
    (lambda w, r: triage.set_priority(w.engine, w.staff, r, "normal"), "unchanged"),
    (lambda w, r: triage.dispatch(w.engine, w.staff, r, w.off), "bad_unit"),
    (lambda w, r: triage.dispatch(w.engine, w.staff, r, 999_999), "bad_unit"),
    (lambda w, r: triage.dispatch(w.engine, w.staff, r, w.u1), "unchanged"),
    (lambda w, r: triage.merge(w.engine, w.staff, r, r), "merge_self"),
    (lambda w, r: triage.merge(w.engine, w.staff, r, 999_999), "merge_target"),
    (lambda w, r: triage.sign(w.engine, w.staff, 999_999), "not_found"),
])
def test_desk_errors_change_nothing(w, call, key):
    rid = new_report(w, "dispatched", unit_id=w.u1)
    before = snapshot(w, rid)
    with pytest.raises(DeskError) as err:
        call(w, rid)
    assert err.value.key == key
    assert snapshot(w, rid) == before


@pytest.mark.parametrize("target_state, hidden", [("fixed", False), ("unfixed", False), ("duplicate", False),
                                                  ("signed", True)])
def test_no_merging_into_a_closed_or_hidden_report(w, target_state, hidden):
    rid, target = new_report(w, "submitted"), new_report(w, target_state, hidden=hidden)
    before = snapshot(w, rid, target)
    with pytest.raises(DeskError) as err:
        triage.merge(w.engine, w.staff, rid, target)
    assert err.value.key == "merge_target" and snapshot(w, rid, target) == before


def test_merge_moves_supporters_photos_and_observations(w):
    original = new_report(w, "dispatched", unit_id=w.u1, supporters=3, photos=1)
    dup = new_report(w, "submitted", supporters=2, photos=2)
    with session_scope(w.engine) as s:
        s.add(Observation(report_id=dup, kind="more", photo_id=s.get(Report, dup).photos[1].id))
    with one_audit(w, "report.merge", w.staff):
        triage.merge(w.engine, w.staff, dup, original, "与 #1 为同一处")
    d, o = load(w, dup), load(w, original)
    assert (d.state, d.merged_into_id, d.photos, d.closed_at is not None) == ("duplicate", original, [], True)
    assert o.supporters == 3 + 2 + 1  # the duplicate's supporters and its reporter
    assert [p.kind for p in o.photos] == ["report", "observation", "observation"]
    assert (d.history[-1].to_state, d.history[-1].public, d.history[-1].note) == ("duplicate", True, "与 #1 为同一处")
    with session_scope(w.engine) as s:
        assert s.scalars(select(Observation.report_id)).all() == [original]
    after = json.loads(audits(w)[-1].after)
    assert after == {"state": "duplicate", "merged_into_id": original, "into_supporters": 6, "photos_moved": 2,
                     "closed_at": after["closed_at"]}
    # Reopening a duplicate detaches it; what it gave the original stays there.
    triage.reopen(w.engine, w.staff, dup, "并非同一处")
    assert load(w, dup).merged_into_id is None and load(w, original).supporters == 6


def test_sign_dispatch_and_reassign(w):
    rid = new_report(w)
    triage.sign(w.engine, w.staff, rid)
    signed_at = load(w, rid).signed_at
    assert signed_at is not None
    triage.dispatch(w.engine, w.staff, rid, w.u1, "带上长钩")
    r = load(w, rid)
    assert (r.state, r.unit_id, r.dispatched_at is not None) == ("dispatched", w.u1, True)
    assert [(h.to_state, h.public, h.note) for h in r.history[-2:]] == [("dispatched", True, ""),
                                                                        ("dispatched", False, "带上长钩")]
    first = r.dispatched_at
    triage.dispatch(w.engine, w.staff, rid, w.u2)  # given to another unit: no new milestone
    r = load(w, rid)
    assert (r.state, r.unit_id, r.dispatched_at, r.signed_at) == ("dispatched", w.u2, first, signed_at)
    before, after = (json.loads(x) for x in (audits(w)[-1].before, audits(w)[-1].after))
    assert (before, after) == ({"unit_id": w.u1}, {"unit_id": w.u2})


def test_routing_suggestion_prefers_the_most_specific_rule(w):
    with session_scope(w.engine) as s:
        extra = [Unit(name=n) for n in ("任意", "上村", "排污", "上村排污")]
        s.add_all(extra)
        s.flush()
        anyone, village, category, both = (u.id for u in extra)
        s.add_all([RoutingRule(unit_id=anyone), RoutingRule(village_id=w.v1, unit_id=village),
                   RoutingRule(category="sewage", unit_id=category),
                   RoutingRule(category="sewage", village_id=w.v1, unit_id=both),
                   RoutingRule(category="dead_fish", unit_id=w.off)])  # an inactive unit never
    cases = [("sewage", w.v1, both), ("sewage", w.v2, category), ("sewage", None, category),
             ("bank_litter", w.v1, village), ("bank_litter", w.v2, anyone), ("dead_fish", w.v2, anyone)]
    with session_scope(w.engine) as s:
        for cat, vid, expected in cases:
            assert triage.suggest_unit(s, Report(category=cat, village_id=vid)) == expected, (cat, vid)


def test_no_rule_no_suggestion(w):
    with session_scope(w.engine) as s:
        assert triage.suggest_unit(s, Report(category="sewage", village_id=w.v1)) is None


def test_call_back_and_on_site_stamp_their_milestones_once(w):
    rid = new_report(w, "dispatched", unit_id=w.u1)
    triage.call_back(w.engine, w.staff, rid, "已核实位置")
    first = load(w, rid).called_back_at
    triage.call_back(w.engine, w.staff, rid, "再次联系")
    r = load(w, rid)
    assert r.called_back_at == first
    assert [(h.note, h.public) for h in r.history[-2:]] == [("已核实位置", False), ("再次联系", False)]
    assert [a.action for a in audits(w)] == ["report.call_back"] * 2
    triage.on_site(w.engine, w.h1, rid, "已到现场")
    r = load(w, rid)
    assert (r.state, r.on_site_at is not None, r.history[-1].public) == ("in_progress", True, True)
    before = snapshot(w, rid)
    with pytest.raises(DeskError) as err:
        triage.on_site(w.engine, w.h1, rid)
    assert err.value.key == "already_on_site" and snapshot(w, rid) == before


def test_progress_updates_and_transfer_back(w):
    rid = new_report(w, "dispatched", unit_id=w.u1, dispatched_at=T0)
    triage.progress(w.engine, w.h1, rid, "已联系保洁员")
    triage.progress(w.engine, w.h1, rid, "内部：明早处理", public=False)
    r = load(w, rid)
    assert r.state == "in_progress"
    assert [(h.from_state, h.to_state, h.public) for h in r.history[-2:]] == [
        ("dispatched", "in_progress", True), ("in_progress", "in_progress", False)]
    triage.request_transfer(w.engine, w.h1, rid, "属于水利局职责")
    r = load(w, rid)
    assert (r.state, r.unit_id, r.dispatched_at is not None) == ("signed", None, True)
    assert (r.history[-1].public, r.history[-1].note) == (False, "属于水利局职责")
    with session_scope(w.engine) as s:  # gone from the handler's queue, back on the staff desk
        assert [i.id for i in triage.queue(s, w.h1).items] == []
        assert [i.id for i in triage.queue(s, w.staff).items] == [rid]


def test_resolve_with_an_after_photo_then_staff_close(w, tmp_path):
    folder = tmp_path / "photos"
    rid = new_report(w, "in_progress", unit_id=w.u1)
    triage.resolve(w.engine, w.h1, rid, jpeg((320, 240)), "已打捞", photo_dir=folder)
    r = load(w, rid)
    after = [p for p in r.photos if p.kind == "after"]
    assert r.state == "resolved" and len(after) == 1 and r.fixed_at is None
    assert {after[0].public_name, after[0].thumb_name} == {p.name for p in folder.iterdir()}
    # The handler's words reach the reporter unless marked private (issue 12: they never did).
    assert (r.history[-1].public, r.history[-1].note, json.loads(audits(w)[-1].after)["after_photo"]) == (
        True, "已打捞", after[0].id)
    triage.close_fixed(w.engine, w.staff, rid, "经核实已清理干净")
    r = load(w, rid)
    assert (r.state, r.fixed_at is not None, r.history[-1].public) == ("fixed", True, True)


def test_a_refused_resolve_keeps_no_photo_files(w, tmp_path):
    folder = tmp_path / "photos"
    rid, early = new_report(w, "in_progress", unit_id=w.u1), new_report(w, "signed", unit_id=w.u1)
    before = snapshot(w, rid, early)
    with pytest.raises(Denied):
        triage.resolve(w.engine, w.h2, rid, jpeg((321, 240)), "不是我的", photo_dir=folder)
    with pytest.raises(TransitionError):
        triage.resolve(w.engine, w.h1, early, jpeg((322, 240)), "太早", photo_dir=folder)
    assert snapshot(w, rid, early) == before
    assert not folder.exists() or list(folder.iterdir()) == []


def test_closed_without_a_fix_is_never_fixed(w):
    rid = new_report(w, "resolved", unit_id=w.u1)
    triage.close_unfixed(w.engine, w.staff, rid, "上游排放，已上报县里")
    r = load(w, rid)
    assert (r.state, r.fixed_at, r.closed_at is not None) == ("unfixed", None, True)


def test_hide_and_reopen(w):
    rid = new_report(w)
    triage.hide(w.engine, w.staff, rid, "广告信息")
    r = load(w, rid)
    assert (r.state, r.hidden, r.history[-1].public) == ("invalid", True, False)
    assert audits(w)[-1].reason == "广告信息"
    triage.reopen(w.engine, w.staff, rid, "误判，恢复")
    r = load(w, rid)
    assert (r.state, r.hidden, r.closed_at) == ("reopened", False, None)


def test_verify_is_a_private_note_and_a_flag(w):
    rid = new_report(w, "signed")
    with one_audit(w, "report.verify", w.staff):
        triage.verify(w.engine, w.staff, rid)
    r = load(w, rid)
    assert (r.state, r.history[-1].public, r.history[-1].note) == ("signed", False, triage.VERIFIED_NOTE)
    with session_scope(w.engine) as s:
        assert [i.verified for i in triage.queue(s, w.staff).items] == [True]
    with pytest.raises(DeskError) as err:
        triage.verify(w.engine, w.staff, rid)
    assert err.value.key == "already_verified"
    with pytest.raises(DeskError):
        triage.verify(w.engine, w.staff, new_report(w, "fixed"))


def test_priority_replies_and_notes(w):
    rid = new_report(w, "dispatched", unit_id=w.u1)
    with one_audit(w, "report.priority", w.staff):
        triage.set_priority(w.engine, w.staff, rid, "urgent")
    assert load(w, rid).priority == "urgent"
    assert (json.loads(audits(w)[-1].before), json.loads(audits(w)[-1].after)) == ({"priority": "normal"}, {"priority": "urgent"})
    with one_audit(w, "report.reply", w.h1):
        triage.reply(w.engine, w.h1, rid, "明天上午清理", public=True)
    with one_audit(w, "report.note", w.staff):
        triage.reply(w.engine, w.staff, rid, "注意安全", public=False)
    r = load(w, rid)
    assert r.state == "dispatched"
    assert [(h.note, h.public, h.actor) for h in r.history[-2:]] == [("明天上午清理", True, "街道老王"),
                                                                     ("注意安全", False, "梅站长")]


def test_moderation_never_logs_the_removed_words_or_a_phone(w):
    rid = new_report(w, "signed", description="隔壁张三 13912345678 乱倒垃圾")
    with one_audit(w, "report.redact", w.staff):
        triage.redact(w.engine, w.staff, rid, "有人乱倒垃圾", "去掉他人姓名和手机号")
    photo = load(w, rid).photos[0].id
    with one_audit(w, "photo.hide", w.staff):
        triage.hide_photo(w.engine, w.staff, photo, "照片中有人脸")
    r = load(w, rid)
    assert r.description == "有人乱倒垃圾" and r.photos[0].hidden
    assert [h.public for h in r.history[-2:]] == [False, False]
    redact_entry, photo_entry = audits(w)[-2:]
    assert json.loads(redact_entry.before) == {"description": audit.REDACTED}
    assert (photo_entry.entity, photo_entry.entity_id) == ("photo", photo)
    logged = " ".join(e.before + e.after + e.reason for e in audits(w))
    assert "13912345678" not in logged and "张三" not in logged
    with pytest.raises(DeskError):
        triage.hide_photo(w.engine, w.staff, photo, "again")
    with pytest.raises(DeskError):
        triage.hide_photo(w.engine, w.staff, 999_999, "none")
    with pytest.raises(Denied):
        triage.hide_photo(w.engine, None, 999_999, "none")


def test_audit_record_keeps_only_changes_and_never_personal_data(w):
    with session_scope(w.engine) as s:
        entry = audit.record(s, w.staff, "x", "report", 1, {"state": "a", "same": 1, "reporter_phone": "138"},
                             {"state": "b", "same": 1, "reporter_phone": "139"})
        s.flush()
        assert json.loads(entry.before) == {"state": "a", "reporter_phone": audit.REDACTED}
        assert json.loads(entry.after) == {"state": "b", "reporter_phone": audit.REDACTED}
    assert audit.history(w.engine, w.admin, "report", 1)[0]["action"] == "x"
    with pytest.raises(Denied):
        audit.history(w.engine, w.staff)


def test_a_whole_loop_leaves_one_audit_entry_per_action(w, tmp_path):
    rid = new_report(w, category="sewage", priority="urgent")
    steps = [
        ("report.sign", w.staff, lambda: triage.sign(w.engine, w.staff, rid)),
        ("report.verify", w.staff, lambda: triage.verify(w.engine, w.staff, rid, "监控确认")),
        ("report.dispatch", w.staff, lambda: triage.dispatch(w.engine, w.staff, rid, w.u1)),
        ("report.call_back", w.staff, lambda: triage.call_back(w.engine, w.staff, rid, "已回访")),
        ("report.on_site", w.h1, lambda: triage.on_site(w.engine, w.h1, rid)),
        ("report.progress", w.h1, lambda: triage.progress(w.engine, w.h1, rid, "已封堵")),
        ("report.resolve", w.h1, lambda: triage.resolve(w.engine, w.h1, rid, None, "排口已封堵")),
        ("report.send_back", w.staff, lambda: triage.send_back(w.engine, w.staff, rid, "请补拍")),
        ("report.resolve", w.h1, lambda: triage.resolve(w.engine, w.h1, rid, jpeg((330, 240)), "补拍",
                                                        photo_dir=tmp_path)),
        ("report.close_fixed", w.staff, lambda: triage.close_fixed(w.engine, w.staff, rid, "已解决")),
        ("report.reopen", w.staff, lambda: triage.reopen(w.engine, w.staff, rid, "又有排放")),
    ]
    for action, who, step in steps:
        with one_audit(w, action, who):
            step()
    r = load(w, rid)
    assert all(r.signed_at and r.dispatched_at and r.called_back_at and r.on_site_at and r.fixed_at for _ in [0])
    assert all(h.user_id is not None for h in r.history[1:])


def test_templates_for_the_current_state(w):
    with session_scope(w.engine) as s:
        s.add_all([ResponseTemplate(state="fixed", title="已清理", text="您反映的问题已处理，感谢守护清溪。"),
                   ResponseTemplate(state="referred", title="转交", text="已转交相关部门。")])
    with session_scope(w.engine) as s:
        assert [t.title for t in triage.apply_template(s, "fixed")] == ["已清理"]
        assert triage.apply_template(s, "signed") == []


# ---------------------------------------------------------------- the queue

def test_queue_orders_by_the_first_clock_to_run_out(w):
    now = T0 + timedelta(hours=2)
    normal_new = new_report(w, created_at=T0 + timedelta(minutes=90))           # sign due +120 min
    urgent = new_report(w, created_at=T0 + timedelta(minutes=100), priority="urgent")  # sign due 100.5 min
    normal_old = new_report(w, created_at=T0)                                   # sign due +30 min (overdue)
    signed = new_report(w, "signed", created_at=T0 - timedelta(hours=1), signed_at=T0)  # dispatch due T0+3h
    with session_scope(w.engine) as s:
        items = triage.queue(s, w.staff, now=now).items
    assert [i.id for i in items] == [normal_old, urgent, normal_new, signed]
    assert items[0].next_due == T0 + timedelta(minutes=30)
    assert [c.state for c in items[0].clocks][:1] == ["overdue"]
    with session_scope(w.engine) as s:  # the desk's "newest first": a report just filed is on top
        newest = triage.queue(s, w.staff, QueueFilter(newest_first=True), now=now).items
    assert [i.id for i in newest] == [urgent, normal_new, normal_old, signed]


def test_queue_filters_counts_and_scoping(w):
    a = new_report(w, "submitted", category="sewage", village_id=w.v1)
    b = new_report(w, "dispatched", unit_id=w.u1, village_id=w.v2)
    c = new_report(w, "in_progress", unit_id=w.u2, village_id=w.v2)
    d = new_report(w, "resolved", unit_id=w.u1)
    new_report(w, "fixed", unit_id=w.u1)                    # ended: not in the queue
    new_report(w, "signed", hidden=True)                    # hidden: never
    with session_scope(w.engine) as s:
        everything = triage.queue(s, w.staff, now=T0)
        assert {i.id for i in everything.items} == {a, b, c, d}
        assert everything.counts == {"submitted": 1, "dispatched": 1, "in_progress": 1, "resolved": 1}
        ids = lambda user, **f: {i.id for i in triage.queue(s, user, QueueFilter(**f), now=T0).items}  # noqa: E731
        assert ids(w.staff, village_id=w.v2) == {b, c}
        assert ids(w.staff, category="sewage") == {a}
        assert ids(w.staff, state="dispatched") == {b}
        assert ids(w.staff, unit_id=w.u1) == {b, d}
        assert ids(w.h1) == {b, d} and ids(w.h2) == {c}
        assert ids(w.h1, unit_id=w.u2) == set()  # a filter never widens a handler's scope
        filtered = triage.queue(s, w.staff, QueueFilter(state="dispatched", village_id=w.v2), now=T0)
        assert filtered.counts == {"dispatched": 1, "in_progress": 1}  # badges ignore the state filter
        assert triage.queue(s, w.h2, now=T0).counts == {"in_progress": 1}
        for nobody in (None, w.deputy, w.gone):
            with pytest.raises(Denied):
                triage.queue(s, nobody)
    with session_scope(w.engine) as s:
        s.add(User(username="h0", display_name="无单位", role="handler"))
    with session_scope(w.engine) as s:
        lone = s.scalars(select(User).where(User.username == "h0")).one()
        assert triage.queue(s, lone).items == []
