"""Notifications on SQLite and PostgreSQL, through apprise to a local DingTalk-like robot
(tests/support/dingtalk.py, which checks every request's timestamp and signature): events are
written in the transaction of the change (a rollback sends nothing), each message is delivered
once, a failing channel does not hold the others back, retries back off and give up, the rate
limit folds the rest into a digest, the scheduler raises each reminder once, two workers never
send the same message twice, and no group message carries a name, a phone or a tracking code."""
from __future__ import annotations

import itertools
import json
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import NotifyChannel, NotifyDelivery, NotifyEvent, Report, Signup
from qingxi import cleanups as cu
from qingxi import notify
from qingxi.core import outbox
from qingxi.core.permissions import Denied
from qingxi.notify import schedule, worker
from qingxi.reports import intake, triage
from tests.support.dingtalk import SECRET, TOKEN, robots
from tests.support.people import VILLAGE
from tests.support.photo_samples import jpeg

_sizes = itertools.count(300)


pytestmark = pytest.mark.usefixtures("notify_key")


@pytest.fixture
def robot():
    with robots(3) as made:
        yield made


def file(engine, photo_dir, category="bank_litter", name="王小明", phone="13912345678", visibility="public") -> str:
    with session_scope(engine) as s:
        where = intake.village_place(s, VILLAGE)
    sub = intake.Submission([jpeg((next(_sizes), 240))], category, where, name=name, phone=phone,
                            visibility=visibility, accept_problem=True)
    return intake.submit(engine, sub, photo_dir).code


def report_id(engine, code: str) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(Report.id).where(Report.code == code))


def channel(engine, name, robot, events="report.new,report.urgent,report.update", **kw) -> int:
    return notify.add(engine, None, name, robot.url(), events, **kw)


def count(engine, model) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def statuses(engine) -> list[tuple[str, int]]:
    with session_scope(engine) as s:
        return list(s.execute(select(NotifyDelivery.status, NotifyDelivery.attempts).order_by(NotifyDelivery.id)))


# ---------------------------------------------------------------- the outbox

def test_an_urgent_report_reaches_the_duty_group_signed_with_village_km_and_desk_link(people, robot, tmp_path):
    duty = robot[0]
    channel(people.engine, "沙柳值班群", duty, "report.urgent")
    code = file(people.engine, tmp_path, category="sewage")
    done = worker.run_once(people.engine)
    assert (done.sent, done.failed) == (1, 0)
    [message] = duty.messages
    assert message.signed and message.token == f"{TOKEN}p{duty.port}"
    assert "紧急" in message.text and "排污口排水" in message.text and "沙柳村" in message.text
    assert "公里" in message.text and f"/triage?report={report_id(people.engine, code)}" in message.text
    worker.run_once(people.engine)
    assert len(duty.messages) == 1  # delivered once


def test_a_new_report_channel_gets_an_urgent_one_once_and_an_urgent_only_channel_skips_the_ordinary(
        people, robot, tmp_path):
    everything, urgent_only = robot[0], robot[1]
    channel(people.engine, "all", everything, "report.new")
    channel(people.engine, "urgent", urgent_only, "report.urgent")
    file(people.engine, tmp_path, category="sewage")
    file(people.engine, tmp_path, category="bank_litter")
    worker.run_once(people.engine)
    assert len(everything.messages) == 2 and len(urgent_only.messages) == 1


def test_a_change_that_rolls_back_sends_nothing(people, robot, tmp_path):
    channel(people.engine, "duty", robot[0], "report.new,cleanup.cancelled")
    with pytest.raises(RuntimeError), session_scope(people.engine) as s:
        outbox.emit(s, "cleanup.cancelled", {"cleanup_id": 1, "title": "x"})
        raise RuntimeError("the change failed")
    with pytest.raises(intake.IntakeError):  # refused at intake: no report, no event
        intake.submit(people.engine, intake.Submission([], "bank_litter", None), tmp_path)
    worker.run_once(people.engine)
    assert count(people.engine, NotifyEvent) == 0 and robot[0].hits == 0


def test_desk_changes_and_public_replies_become_updates_private_notes_do_not(people, robot, tmp_path):
    channel(people.engine, "updates", robot[0], "report.update")
    rid = report_id(people.engine, file(people.engine, tmp_path))
    triage.sign(people.engine, people.staff, rid)
    triage.reply(people.engine, people.staff, rid, "我们已安排人员前往。")
    triage.reply(people.engine, people.staff, rid, "内部备注", public=False)
    worker.run_once(people.engine)
    texts = robot[0].texts
    assert len(texts) == 2 and "已签收" in texts[0]
    assert all("内部备注" not in t and "安排人员" not in t for t in texts)  # staff words never go out


def test_a_failed_desk_action_records_no_event(people, tmp_path):
    rid = report_id(people.engine, file(people.engine, tmp_path))
    before = count(people.engine, NotifyEvent)
    with pytest.raises(Denied):
        triage.sign(people.engine, people.deputy, rid)
    with pytest.raises(triage.DeskError):
        triage.reply(people.engine, people.staff, rid, "   ")
    assert count(people.engine, NotifyEvent) == before


# ---------------------------------------------------------------- delivery

def test_a_failing_channel_does_not_hold_back_the_others_and_gives_up_after_the_attempts(people, robot, tmp_path):
    good, bad = robot[0], robot[1]
    bad.mode = "fail"
    channel(people.engine, "good", good)
    channel(people.engine, "bad", bad)
    for _ in range(5):
        file(people.engine, tmp_path)
    t0 = datetime.now(timezone.utc)
    done = worker.run_once(people.engine, t0, max_attempts=2)
    assert len(good.messages) == 5 and done.sent == 5
    assert bad.hits == 1  # its first failure ends its turn: one attempt per pass, not five
    assert done.retried == 1
    worker.run_once(people.engine, t0 + timedelta(seconds=5), max_attempts=2)
    assert bad.hits == 1  # backing off
    worker.run_once(people.engine, t0 + timedelta(seconds=11), max_attempts=2)
    with session_scope(people.engine) as s:
        bad_id = s.scalar(select(NotifyChannel.id).where(NotifyChannel.name == "bad"))
        rows = list(s.scalars(select(NotifyDelivery).where(NotifyDelivery.channel_id == bad_id)
                              .order_by(NotifyDelivery.id)))
    assert rows[0].status == "failed" and rows[0].attempts == 2 and "500" in rows[0].last_error
    assert [r.status for r in rows[1:]] == ["pending"] * 4
    seen = notify.sent(people.engine, people.staff, status="failed")
    assert [(x.channel, x.attempts) for x in seen] == [("bad", 2)]
    bad.mode = "ok"
    notify.resend(people.engine, people.staff, seen[0].id)
    worker.run_once(people.engine, t0 + timedelta(seconds=400), max_attempts=2)
    assert len(bad.messages) == 5 and all(m.signed for m in bad.messages)


def test_a_receiver_down_for_a_while_gets_everything_once_when_it_is_back(people, robot, tmp_path):
    duty = robot[0]
    duty.fail_times = 3
    channel(people.engine, "duty", duty)
    for _ in range(3):
        file(people.engine, tmp_path)
    t0 = datetime.now(timezone.utc)
    for step in range(8):
        worker.run_once(people.engine, t0 + timedelta(seconds=60 * step))
    assert len(duty.messages) == 3 and {s for s, _ in statuses(people.engine)} == {"sent"}


def test_a_worker_killed_mid_send_leaves_a_lease_that_runs_out_and_is_sent_then(people, robot, tmp_path):
    channel(people.engine, "duty", robot[0])
    file(people.engine, tmp_path)
    t0 = datetime.now(timezone.utc)
    worker.fan_out(people.engine, t0)
    with session_scope(people.engine) as s:
        cid = s.scalar(select(NotifyChannel.id))
    _, claimed, _ = worker._claim(people.engine, cid, t0)  # the worker claims ... and dies (-9)
    assert claimed and worker.run_once(people.engine, t0 + timedelta(seconds=5)).sent == 0
    assert worker.run_once(people.engine, t0 + worker.lease_for(20) - timedelta(seconds=1)).sent == 0
    assert worker.run_once(people.engine, t0 + worker.lease_for(20) + timedelta(seconds=1)).sent == 1
    assert len(robot[0].messages) == 1


def test_beyond_the_rate_the_rest_is_folded_into_one_digest_nothing_dropped(people, robot, tmp_path):
    channel(people.engine, "robot", robot[0], per_minute=3)
    for _ in range(10):
        file(people.engine, tmp_path)
    done = worker.run_once(people.engine)
    assert (done.sent, done.folded) == (10, 8)
    texts = robot[0].texts
    assert len(texts) == 3 and "8 条通知汇总" in texts[2] and texts[2].count("/triage?report=") == 8
    file(people.engine, tmp_path)
    worker.run_once(people.engine)
    assert len(robot[0].messages) == 3  # the minute is used up: the next one waits
    assert statuses(people.engine)[-1][0] == "pending"


def test_two_workers_never_send_the_same_message_twice(people, robot, tmp_path):
    channel(people.engine, "a", robot[0], per_minute=600)
    channel(people.engine, "b", robot[1], per_minute=600)
    for _ in range(20):
        file(people.engine, tmp_path)
    errors = []

    def work():
        try:
            for _ in range(3):
                worker.run_once(people.engine)
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=work) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors
    for r in robot[:2]:
        ids = [m.text.rsplit("report=", 1)[1] for m in r.messages]
        assert len(ids) == 20 and len(set(ids)) == 20


# ---------------------------------------------------------------- the scheduler

def test_clocks_raise_due_at_80_percent_and_overdue_after_each_once(people, robot, tmp_path):
    channel(people.engine, "escalation", robot[0], "clock.due,clock.overdue")
    rid = report_id(people.engine, file(people.engine, tmp_path, category="sewage"))  # sign within 30 s
    with session_scope(people.engine) as s:
        created = s.get(Report, rid).created_at
    assert schedule.raise_due(people.engine, created + timedelta(seconds=20)) == 0
    assert schedule.raise_due(people.engine, created + timedelta(seconds=25)) == 1  # 80 % of 30 s
    assert schedule.raise_due(people.engine, created + timedelta(seconds=26)) == 0
    assert schedule.raise_due(people.engine, created + timedelta(seconds=31)) == 1  # sign overdue
    assert schedule.raise_due(people.engine, created + timedelta(seconds=32)) == 0
    worker.run_once(people.engine, scheduled=False)
    texts = robot[0].texts
    assert len(texts) == 2 and "时限将到" in texts[0] and "签收" in texts[0] and "已超时" in texts[1]


def test_a_moment_long_past_is_not_raised_late(people, tmp_path):
    """A worker started after a long pause (or the first after an upgrade) does not flood the
    groups with every clock that ran out while nobody was looking."""
    rid = report_id(people.engine, file(people.engine, tmp_path, category="sewage"))
    with session_scope(people.engine) as s:
        created = s.get(Report, rid).created_at
    assert schedule.raise_due(people.engine, created + timedelta(days=3)) == 0
    assert schedule.raise_due(people.engine, created + timedelta(hours=30)) == 1  # resolve (1 day) only
    with session_scope(people.engine) as s:
        assert list(s.scalars(select(NotifyEvent.key).where(NotifyEvent.event.like("clock.%")))) == [
            f"clock.overdue:{rid}:resolve"]


def test_clean_up_reminders_the_day_before_and_two_hours_before_once_each(people, robot):
    channel(people.engine, "volunteers", robot[0], "cleanup.reminder,cleanup.cancelled")
    start = datetime(2026, 6, 6, 0, 0, tzinfo=timezone.utc)
    plan = cu.Plan(title="清溪清理日", starts_at=start, ends_at=start + timedelta(hours=3), km_from=1.0, km_to=2.0,
                   capacity=2, meeting_km=1.0, equipment=["手套"], leader_name="梅式业", leader_contact="13900001111")
    t0 = start - timedelta(days=5)
    cid = cu.create(people.engine, people.staff, plan, now=t0)
    cu.publish(people.engine, people.staff, cid, now=t0)
    assert schedule.raise_due(people.engine, start - timedelta(hours=30)) == 0
    assert schedule.raise_due(people.engine, start - timedelta(hours=23)) == 1
    assert schedule.raise_due(people.engine, start - timedelta(hours=22)) == 0
    assert schedule.raise_due(people.engine, start - timedelta(hours=1)) == 1
    assert schedule.raise_due(people.engine, start - timedelta(minutes=30)) == 0
    cu.cancel(people.engine, people.staff, cid, "天气原因取消", now=start - timedelta(minutes=20))
    worker.run_once(people.engine, scheduled=False)
    texts = robot[0].texts
    assert len(texts) == 3 and "清溪清理日" in texts[0] and "取消" in texts[2]


# ---------------------------------------------------------------- no personal data

def test_no_group_message_carries_a_name_a_phone_or_a_code(people, robot, tmp_path):
    every = ",".join(outbox.EVENTS)
    channel(people.engine, "everything", robot[0], every, per_minute=600)
    for n in range(3):
        file(people.engine, tmp_path, category=("sewage", "bank_litter", "dead_fish")[n],
             name=f"张{n}丰", phone=f"1391234560{n}")
    with session_scope(people.engine) as s:
        ids = list(s.scalars(select(Report.id)))
    triage.sign(people.engine, people.staff, ids[0])
    triage.reply(people.engine, people.staff, ids[0], "已处理")
    start = datetime.now(timezone.utc) + timedelta(days=3)
    plan = cu.Plan(title="清溪清理日", starts_at=start, ends_at=start + timedelta(hours=3), km_from=1.0, km_to=2.0,
                   capacity=1, meeting_km=1.0, equipment=["手套"], leader_name="梅式业", leader_contact="13900001111")
    cid = cu.create(people.engine, people.staff, plan)
    cu.publish(people.engine, people.staff, cid)
    first = cu.sign_up(people.engine, cid, "李志愿", "13800138000")
    cu.sign_up(people.engine, cid, "赵候补", "13800138001", wait=True)
    cu.cancel_signup(people.engine, first.code)  # promotes the waiting one
    schedule.raise_due(people.engine, datetime.now(timezone.utc) + timedelta(hours=36))
    worker.run_once(people.engine, scheduled=False)
    with session_scope(people.engine) as s:
        personal = [v for r in s.scalars(select(Report)) for v in (r.reporter_name, r.reporter_phone, r.code) if v]
        personal += [v for x in s.scalars(select(Signup)) for v in (x.name, x.phone, x.code) if v]
        events = {e for e in s.scalars(select(NotifyEvent.event))}
        payloads = " ".join(s.scalars(select(NotifyEvent.payload)))
    assert {"report.new", "report.urgent", "report.update", "clock.overdue", "cleanup.promoted"} <= events
    bodies = [json.dumps(m.body, ensure_ascii=False) for m in robot[0].messages]
    assert len(bodies) >= 8
    for value in personal:
        assert value not in payloads
        assert all(value not in body for body in bodies), value


# ---------------------------------------------------------------- channels

def test_a_channel_url_is_stored_sealed_and_shown_only_as_a_hint(people, robot):
    channel(people.engine, "duty", robot[0], "report.urgent", village=VILLAGE)
    with session_scope(people.engine) as s:
        stored = s.scalar(select(NotifyChannel.url_secret))
    assert TOKEN not in stored and SECRET not in stored
    [shown] = notify.listed(people.engine, people.staff)
    assert shown.hint == "dingtalk://SEC0…" and shown.village == "沙柳村" and shown.events == ("report.urgent",)


@pytest.mark.parametrize("name,url,events,kw,key", [
    ("", "dingtalk://abc@def/", "report.new", {}, "bad_name"),
    ("x", "nonsense://nowhere", "report.new", {}, "bad_url"),
    ("x", "dingtalk://abc@def/", "report.nothing", {}, "bad_event"),
    ("x", "dingtalk://abc@def/", "", {}, "no_events"),
    ("x", "dingtalk://abc@def/", "report.new", {"village": "000"}, "unknown_village"),
    ("x", "dingtalk://abc@def/", "report.new", {"unit": "没有的单位"}, "unknown_unit"),
])
def test_bad_channels_are_refused_and_nothing_is_stored(people, name, url, events, kw, key):
    with pytest.raises(notify.NotifyError) as err:
        notify.add(people.engine, None, name, url, events, **kw)
    assert err.value.key == key and count(people.engine, NotifyChannel) == 0


def test_only_admins_manage_channels_and_only_staff_see_what_was_sent(people, robot):
    with pytest.raises(Denied):
        notify.add(people.engine, people.staff, "duty", robot[0].url(), "report.new")
    notify.add(people.engine, people.admin, "duty", robot[0].url(), "report.new")
    with pytest.raises(Denied):
        notify.sent(people.engine, people.deputy)
    with pytest.raises(Denied):
        notify.remove(people.engine, people.handler, "duty")
    notify.set_paused(people.engine, people.admin, "duty", True)
    assert notify.listed(people.engine, people.staff)[0].paused
    notify.remove(people.engine, people.admin, "duty")
    assert count(people.engine, NotifyChannel) == 0


def test_a_paused_channel_gets_nothing_and_a_village_channel_only_its_village(people, robot, tmp_path):
    channel(people.engine, "paused", robot[0])
    notify.set_paused(people.engine, None, "paused", True)
    channel(people.engine, "elsewhere", robot[1], village="331022003001")
    channel(people.engine, "here", robot[2], village=VILLAGE)
    file(people.engine, tmp_path)
    worker.run_once(people.engine)
    assert [len(r.messages) for r in robot] == [0, 0, 1]


def test_test_message_reports_a_failure_plainly(people, robot):
    channel(people.engine, "duty", robot[0])
    notify.test(people.engine, None, "duty")
    assert "测试消息" in robot[0].texts[0]
    robot[0].mode = "fail"
    with pytest.raises(notify.NotifyError) as err:
        notify.test(people.engine, None, "duty")
    assert "500" in err.value.message("en")


# ---------------------------------------------------------------- people

def test_a_volunteer_hears_of_the_promotion_and_the_reminder_on_their_own_phone(people, robot):
    """A person channel (here the robot, the phone as its @-target the way an SMS gateway takes a
    number) gets one message per person with their own page; the group channel's copy names no one."""
    group, person = robot[0], robot[1]
    channel(people.engine, "volunteer desk", group, "cleanup.promoted,cleanup.reminder")
    assert not notify.reaches_people(people.engine)
    notify.add(people.engine, None, "sms", person.url().rstrip("/") + "/{to}/", "cleanup.promoted,cleanup.reminder",
               person=True)
    assert notify.reaches_people(people.engine)
    start = datetime.now(timezone.utc) + timedelta(hours=20)
    plan = cu.Plan(title="清溪清理日", starts_at=start, ends_at=start + timedelta(hours=3), km_from=1.0, km_to=2.0,
                   capacity=1, meeting_km=1.0, equipment=["手套"], leader_name="梅式业", leader_contact="13900001111")
    cid = cu.create(people.engine, people.staff, plan)
    cu.publish(people.engine, people.staff, cid)
    first = cu.sign_up(people.engine, cid, "李志愿", "13800138000")
    waiting = cu.sign_up(people.engine, cid, "赵候补", "13800138001", wait=True)
    cu.cancel_signup(people.engine, first.code)  # 赵候补 gets the seat
    worker.run_once(people.engine)  # the scheduler: 20 h before, the day-before reminder is due
    to = {m.body["at"]["atMobiles"][0]: m.text for m in person.messages}
    assert set(to) == {"13800138001"} and len(person.messages) == 2
    assert all(m.signed for m in person.messages)
    [promoted] = [m.text for m in person.messages if "候补转为正式" in m.text]
    assert f"cleanup-signup?code={waiting.code}" in promoted
    assert any("提醒" in m.text and "清溪清理日" in m.text for m in person.messages)
    assert len(group.messages) == 2
    for m in group.messages:
        assert "13800138001" not in json.dumps(m.body) and waiting.code not in m.text and "赵候补" not in m.text
    with session_scope(people.engine) as s:
        stored = " ".join(r or "" for r in s.scalars(select(NotifyDelivery.recipient)))
    assert "13800138001" not in stored and waiting.code not in stored  # sealed at rest
    worker.run_once(people.engine)
    assert len(person.messages) == 2  # once


def test_a_person_channel_needs_a_place_for_the_phone(people, robot):
    with pytest.raises(notify.NotifyError) as err:
        notify.add(people.engine, None, "sms", robot[0].url(), "cleanup.promoted", person=True)
    assert err.value.key == "person_needs_to"


def test_the_time_from_a_report_to_its_first_staff_alert(people, robot, tmp_path):
    channel(people.engine, "duty", robot[0], "report.new")
    channel(people.engine, "second", robot[1], "report.new")
    since = datetime.now(timezone.utc) - timedelta(days=1)
    assert notify.alert_times(people.engine, people.staff, since).reports == 0
    for _ in range(3):
        file(people.engine, tmp_path)
    worker.run_once(people.engine)
    times = notify.alert_times(people.engine, people.staff, since)
    assert times.reports == 3 and 0 <= times.median_s <= times.p95_s < 60
    with pytest.raises(Denied):
        notify.alert_times(people.engine, people.deputy, since)


def test_a_reporter_who_asked_to_hear_back_gets_the_fixed_message_others_do_not(people, robot, tmp_path):
    sms = robot[0]
    notify.add(people.engine, None, "sms", sms.url().rstrip("/") + "/{to}/", "report.update", person=True)
    with session_scope(people.engine) as s:
        where = intake.village_place(s, VILLAGE)
    asked = intake.submit(people.engine, intake.Submission([jpeg((next(_sizes), 240))], "bank_litter", where,
                                                           name="王小明", phone="13912345678", accept_problem=True,
                                                           hear_back=True), tmp_path).code
    quiet = file(people.engine, tmp_path, phone="13912340000")  # left a phone, did not ask
    for code in (asked, quiet):
        rid = report_id(people.engine, code)
        triage.sign(people.engine, people.staff, rid)
        triage.dispatch(people.engine, people.staff, rid, people.unit)
        triage.resolve(people.engine, people.handler, rid, None, "已清理")
        triage.close_fixed(people.engine, people.staff, rid, "已解决")
    worker.run_once(people.engine)
    phones = {m.body["at"]["atMobiles"][0] for m in sms.messages}
    assert phones == {"13912345678"}
    assert any("已解决" in m.text and f"track?code={asked}" in m.text for m in sms.messages)


def test_a_channel_for_people_is_tested_only_on_a_phone_the_admin_gives(people, robot):
    notify.add(people.engine, None, "sms", robot[0].url().rstrip("/") + "/{to}/", "report.update", person=True)
    with pytest.raises(notify.NotifyError) as err:
        notify.test(people.engine, None, "sms")
    assert err.value.key == "test_needs_phone" and robot[0].hits == 0
    notify.test(people.engine, None, "sms", to="13700001111")
    assert robot[0].messages[0].body["at"]["atMobiles"] == ["13700001111"]


def test_proposal_assigned_and_its_deadline_two_weeks_and_three_days_before(people, robot):
    from datetime import date

    from db.models import CongressSession
    from qingxi import proposals as P

    channel(people.engine, "units", robot[0], "proposal.assigned,proposal.deadline", unit="沙柳村村委会")
    with session_scope(people.engine) as s:
        cs = CongressSession(name_zh="第十六届一次会议", name_en="1st", congress=16, meeting=1, held_on=date(2026, 1, 10))
        s.add(cs)
        s.flush()
    t0 = datetime.now(timezone.utc)
    deadline = t0 + timedelta(days=30)
    pid = P.file(people.engine, people.staff, title="关于清溪步道的建议", body="建议修步道。", session_id=cs.id,
                 lead_deputy_id=people.deputy.id, now=t0)
    P.assign(people.engine, people.staff, pid, people.unit, deadline=deadline, now=t0)
    assert schedule.raise_due(people.engine, deadline - timedelta(days=15)) == 0
    assert schedule.raise_due(people.engine, deadline - timedelta(days=13)) == 1
    assert schedule.raise_due(people.engine, deadline - timedelta(days=12)) == 0
    assert schedule.raise_due(people.engine, deadline - timedelta(days=2)) == 1
    worker.run_once(people.engine, scheduled=False)
    texts = robot[0].texts
    assert len(texts) == 3 and "已交办" in texts[0] and all("关于清溪步道的建议" in x for x in texts)
    assert "期限将到" in texts[1] and f"/proposal?id={pid}" in texts[2]
