"""Deputies as people (issue 15): an account's contact (an e-mail address or a mobile number, seen
by the person and admins only) gets the lead deputy's proposal events — assigned, answered and
awaiting evaluation, the deadline near — through a person channel of its kind: e-mail through a
local SMTP server, a phone through an SMS-like gateway (the local DingTalk-like robot, the number as
its @-target). With no channel of that kind, nothing is queued. On SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import AuditEntry, CongressSession, NotifyDelivery, User
from qingxi import accounts, notify
from qingxi import proposals as P
from qingxi.core.permissions import Denied
from qingxi.notify import schedule, worker
from qingxi.proposals.rules import local_day
from tests.support.dingtalk import robots
from tests.support.smtp import smtp_server

PROPOSAL_EVENTS = "proposal.assigned,proposal.answered,proposal.deadline"


pytestmark = pytest.mark.usefixtures("notify_key")


@pytest.fixture
def inbox():
    with smtp_server() as server:
        yield server


@pytest.fixture
def robot():
    with robots(2) as made:
        yield made


def congress(engine) -> int:
    with session_scope(engine) as s:
        if (found := s.scalar(select(CongressSession.id))) is not None:
            return found
        cs = CongressSession(name_zh="第十六届一次会议", name_en="1st", congress=16, meeting=1, held_on=date(2026, 1, 10))
        s.add(cs)
        s.flush()
        return cs.id


def proposal_to_answer(people, t0: datetime, deputy=None, deadline: datetime | None = None) -> int:
    """Filed for `deputy` (the people's deputy by default), assigned, signed, contacted and answered."""
    deputy = deputy or people.deputy
    pid = P.file(people.engine, people.staff, title="关于清溪步道的建议", body="建议修步道。",
                 session_id=congress(people.engine), lead_deputy_id=deputy.id, now=t0)
    P.assign(people.engine, people.staff, pid, people.unit, deadline=deadline or t0 + timedelta(days=60), now=t0)
    P.sign(people.engine, people.handler, pid, now=t0 + timedelta(minutes=1))
    P.log_contact(people.engine, people.handler, pid, local_day(t0 + timedelta(minutes=2)), "phone", "电话沟通。",
                  now=t0 + timedelta(minutes=2))
    P.answer(people.engine, people.handler, pid, "B", "已列入计划。", now=t0 + timedelta(minutes=3))
    return pid


def deliveries(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(NotifyDelivery))


def test_a_deputy_hears_by_email_that_their_proposal_was_assigned_answered_and_nears_its_deadline(people, inbox, robot):
    notify.add(people.engine, None, "mail", inbox.mailto_url(), PROPOSAL_EVENTS, person=True)
    notify.add(people.engine, None, "units", robot[0].url(), PROPOSAL_EVENTS)  # the units' group
    assert accounts.set_own_contact(people.engine, people.deputy, " Zhou.Deputy@Example.ORG ") == \
        "Zhou.Deputy@example.org"
    accounts.set_own_contact(people.engine, people.other_deputy, "li.deputy@example.org")  # not the lead
    t0 = datetime.now(timezone.utc)
    deadline = t0 + timedelta(days=20)
    pid = proposal_to_answer(people, t0, deadline=deadline)
    worker.run_once(people.engine, scheduled=False)
    mails = inbox.received()
    assert [m.to for m in mails] == [["Zhou.Deputy@example.org"]] * 2
    assigned, answered = mails
    assert assigned.subject == "【清溪卫士】建议已交办" and "您领衔的建议“关于清溪步道的建议”已交办" in assigned.text
    assert answered.subject == "【清溪卫士】建议已答复，待代表评价" and "请登录查看并评价" in answered.text
    assert all(f"/proposal?id={pid}" in m.text for m in mails)
    assert schedule.raise_due(people.engine, deadline - timedelta(days=13)) == 0  # answered: no deadline reminder
    # the group's copies name no one and carry no address
    assert len(robot[0].texts) == 2 and not any("Zhou" in x or "example.org" in x for x in robot[0].texts)
    worker.run_once(people.engine, scheduled=False)
    assert len(inbox.received()) == 2  # once


def test_the_deadline_reminder_reaches_the_deputy_of_an_unanswered_proposal(people, inbox):
    notify.add(people.engine, None, "mail", inbox.mailto_url(), "proposal.deadline", person=True)
    accounts.set_own_contact(people.engine, people.deputy, "zhou@example.org")
    t0 = datetime.now(timezone.utc)
    deadline = t0 + timedelta(days=30)
    pid = P.file(people.engine, people.staff, title="关于护栏的建议", body="建议加护栏。",
                 session_id=congress(people.engine), lead_deputy_id=people.deputy.id, now=t0)
    P.assign(people.engine, people.staff, pid, people.unit, deadline=deadline, now=t0)
    assert schedule.raise_due(people.engine, deadline - timedelta(days=13)) == 1
    worker.run_once(people.engine, deadline - timedelta(days=13), scheduled=False)
    [mail] = inbox.received()
    assert mail.to == ["zhou@example.org"] and "办理期限是" in mail.text and "尚未答复" in mail.text


def test_a_deputy_with_a_mobile_number_gets_a_text_and_e_mail_channels_leave_it_alone(people, inbox, robot):
    sms = robot[1]
    notify.add(people.engine, None, "sms", sms.url().rstrip("/") + "/{to}/", PROPOSAL_EVENTS, person=True)
    notify.add(people.engine, None, "mail", inbox.mailto_url(), PROPOSAL_EVENTS, person=True)
    assert accounts.set_contact(people.engine, people.admin, people.deputy.id, "+86 138-0013-8001") == "13800138001"
    proposal_to_answer(people, datetime.now(timezone.utc))
    worker.run_once(people.engine, scheduled=False)
    assert [m.body["at"]["atMobiles"] for m in sms.messages] == [["13800138001"]] * 2
    assert any("请登录查看并评价" in m.text for m in sms.messages)
    assert inbox.received() == []


def test_without_a_channel_of_their_kind_nothing_is_queued_for_the_deputy(people, inbox, robot):
    accounts.set_own_contact(people.engine, people.deputy, "zhou@example.org")
    events = tuple(PROPOSAL_EVENTS.split(","))
    assert not notify.reaches_people(people.engine, "email", events)
    notify.add(people.engine, None, "sms", robot[1].url().rstrip("/") + "/{to}/", PROPOSAL_EVENTS, person=True)
    notify.add(people.engine, None, "mail-reports", inbox.mailto_url(), "report.update", person=True)
    assert notify.reaches_people(people.engine, "phone", events)
    assert not notify.reaches_people(people.engine, "email", events)  # the mail channel takes no proposal events
    proposal_to_answer(people, datetime.now(timezone.utc))
    worker.run_once(people.engine, scheduled=False)
    assert deliveries(people.engine) == 0 and inbox.received() == [] and robot[1].hits == 0
    notify.add(people.engine, None, "mail", inbox.mailto_url(), PROPOSAL_EVENTS, person=True)
    assert notify.reaches_people(people.engine, "email", events)
    notify.set_paused(people.engine, None, "mail", True)
    assert not notify.reaches_people(people.engine, "email", events)


def test_a_disabled_account_or_one_without_a_contact_gets_nothing(people, inbox):
    notify.add(people.engine, None, "mail", inbox.mailto_url(), PROPOSAL_EVENTS, person=True)
    proposal_to_answer(people, datetime.now(timezone.utc), deputy=people.other_deputy)  # no contact given
    accounts.set_own_contact(people.engine, people.deputy, "zhou@example.org")
    accounts.disable_user(people.engine, people.admin, people.deputy.id)
    proposal_to_answer(people, datetime.now(timezone.utc) + timedelta(minutes=10))
    worker.run_once(people.engine, scheduled=False)
    assert inbox.received() == [] and deliveries(people.engine) == 0


@pytest.mark.parametrize("typed", ["zhou@", "not an address", "0576-83312345", "1380013800", "a@b", "x" * 120 + "@e.org"])
def test_a_contact_that_is_neither_an_email_nor_a_mobile_is_refused_and_nothing_changes(people, typed):
    accounts.set_own_contact(people.engine, people.deputy, "zhou@example.org")
    with pytest.raises(accounts.AccountError) as err:
        accounts.set_own_contact(people.engine, people.deputy, typed)
    assert err.value.key == "bad_contact"
    with session_scope(people.engine) as s:
        assert s.get(User, people.deputy.id).contact == "zhou@example.org"


def test_only_the_person_and_admins_set_a_contact_and_the_audit_log_keeps_no_address(people):
    with pytest.raises(Denied):
        accounts.set_contact(people.engine, people.staff, people.deputy.id, "zhou@example.org")
    with pytest.raises(Denied):
        accounts.set_own_contact(people.engine, None, "zhou@example.org")
    accounts.set_contact(people.engine, people.admin, people.deputy.id, "zhou@example.org")
    assert accounts.set_own_contact(people.engine, people.deputy, "  ") is None  # cleared
    with session_scope(people.engine) as s:
        assert s.get(User, people.deputy.id).contact is None
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "user.contact").order_by(AuditEntry.id)))
    assert len(entries) == 2 and not any("zhou" in f"{e.before}{e.after}" for e in entries)


def test_a_person_channel_for_email_is_tested_on_an_address_the_admin_gives(people, inbox):
    notify.add(people.engine, None, "mail", inbox.mailto_url(), PROPOSAL_EVENTS, person=True)
    with pytest.raises(notify.NotifyError) as err:
        notify.test(people.engine, None, "mail", to="13700001111")  # a phone for an e-mail channel
    assert err.value.key == "test_needs_phone" and inbox.received() == []
    notify.test(people.engine, None, "mail", to="admin@example.org")
    assert [m.to for m in inbox.received()] == [["admin@example.org"]]
