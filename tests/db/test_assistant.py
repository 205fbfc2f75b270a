"""The question assistant on SQLite and PostgreSQL: the seeded FAQ, live answers from the database
(a report by its code and never another's, the next clean-up days with seats left, a proposal by
its title, a village this month), the hand-over to a person and the reply coming back, FAQ
candidates, synonyms staff add, 👍/👎 and the weekly counts, the anonymous limit."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import (
    AssistantConversation, AssistantFaq, AssistantQuestion, AuditEntry, CongressSession, Proposal, Report
)
from qingxi import assistant as A
from qingxi import cleanups as cu
from qingxi.cleanups import Plan
from qingxi.core.limits import LimitError, Person
from qingxi.core.permissions import Denied

T0 = datetime(2026, 6, 10, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shaliu, a Wednesday
PLACE = {"lon": 121.40, "lat": 29.15, "location_source": "map"}


def add_report(engine, code: str, *, village: int | None = None, state: str = "dispatched", hidden: bool = False,
               created: datetime = T0 - timedelta(days=2), fixed_at: datetime | None = None) -> None:
    with session_scope(engine) as s:
        s.add(Report(code=code, category="sewage", state=state, hidden=hidden, village_id=village,
                     reporter_name="张秀兰", reporter_phone="13912345678", description="张家后门的排污口又在排",
                     created_at=created, fixed_at=fixed_at, **PLACE))


def counts(engine) -> tuple[int, int]:
    with session_scope(engine) as s:
        return (s.scalar(select(func.count()).select_from(AssistantQuestion)),
                s.scalar(select(func.count()).select_from(AssistantConversation)))


def test_the_seeded_faq_has_forty_topics_in_chinese_and_english(engine):
    assert A.ensure_seeded(engine) is True
    assert A.ensure_seeded(engine) is False  # once
    with session_scope(engine) as s:
        rows = list(s.scalars(select(AssistantFaq)))
    zh = {r.key for r in rows if r.lang == "zh"}
    en = {r.key for r in rows if r.lang == "en"}
    assert len(zh) >= 40 and zh == en
    assert all(r.active and r.answer and r.question for r in rows)


def test_a_report_by_its_code_in_plain_words_and_nothing_of_the_reporter(engine, people):
    add_report(engine, "K8MEC6")
    got = A.answer(engine, "我的举报 K8MEC6 怎么样了", "zh", now=T0)
    assert got.kind == "report" and not got.handover
    assert "已交给负责的单位处理" in got.text and "排污口排水" in got.text
    for private in ("张秀兰", "13912345678", "张家后门"):
        assert private not in got.text
    assert A.answer(engine, "k8mec6 进度", "zh", now=T0).kind == "report"  # lower case forgiven
    en = A.answer(engine, "what about report K8MEC6", "en", now=T0)
    assert en.kind == "report" and "Passed to the unit" in en.text


@pytest.mark.parametrize("question", ["我的举报 K8MEC7 怎么样了", "查询码 HD4567", "举报 K8MO56 到哪了"])
def test_an_unknown_or_hidden_code_is_said_to_be_unknown_never_guessed(engine, people, question):
    add_report(engine, "K8MEC6")
    add_report(engine, "HD4567", hidden=True)
    got = A.answer(engine, question, "zh", now=T0)
    assert got.kind == "unknown_code"
    assert "没有找到" in got.text and "已交给" not in got.text and "K8MEC6" not in got.text


def test_the_next_clean_up_days_with_seats_left(engine, people):
    start = T0 + timedelta(days=3)
    plan = Plan(title="沙柳村段清理日", starts_at=start, ends_at=start + timedelta(hours=3), km_from=1.0, km_to=2.0,
                capacity=30, meeting_km=1.0)
    cid = cu.create(engine, people.staff, plan, now=T0)
    draft = cu.create(engine, people.staff, Plan(**(plan.__dict__ | {"title": "草稿里的清理日"})), now=T0)
    cu.publish(engine, people.staff, cid, now=T0)
    cu.sign_up(engine, cid, "志愿者", "13800000001", companions=2, now=T0)
    got = A.answer(engine, "下次清理什么时候", "zh", now=T0)
    assert got.kind == "cleanups"
    assert "06-13" in got.text and "周六" in got.text and "还剩 27 个名额" in got.text
    assert "草稿" not in got.text and draft
    assert got.sources[0]["links"] == [f"cleanups?id={cid}"]
    assert "27 places left" in A.answer(engine, "when is the next clean-up?", "en", now=T0).text


def test_a_clean_up_on_the_day_asked_for(engine, people):
    start = T0 + timedelta(days=3)  # Saturday 13 June, 10:00 in Shaliu
    plan = Plan(title="周六清理日", starts_at=start, ends_at=start + timedelta(hours=3), km_from=1.0, km_to=2.0,
                capacity=30, meeting_km=1.0)
    cu.publish(engine, people.staff, cu.create(engine, people.staff, plan, now=T0), now=T0)
    for question in ("这周六有清理活动吗", "6月13日清理还有名额吗", "13号去清理行吗 还有名额伐"):
        got = A.answer(engine, question, "zh", now=T0)
        assert got.kind == "cleanups" and "周六清理日" in got.text and "那天没有" not in got.text, question
    sunday = A.answer(engine, "星期天有清理活动吗", "zh", now=T0)
    assert sunday.text.startswith("那天没有开放报名的清理日") and "周六清理日" in sunday.text
    assert "No clean-up day" in A.answer(engine, "any clean-up on Monday?", "en", now=T0).text


def test_no_clean_up_day_open_is_said_plainly(engine, people):
    got = A.answer(engine, "最近有没有清理活动可以报名", "zh", now=T0)
    assert got.kind == "cleanups" and "没有开放报名" in got.text


def test_a_published_proposal_by_words_of_its_title(engine, people):
    with session_scope(engine) as s:
        cs = CongressSession(name_zh="第一次会议", name_en="First meeting", congress=16, meeting=1,
                             held_on=date(2026, 1, 5))
        s.add(cs)
        s.flush()
        s.add_all([Proposal(number="2026-001", title="关于整治清溪沙柳段排污口的建议", session_id=cs.id,
                            lead_deputy_name="周代表", filed_on=date(2026, 1, 6), state="published",
                            published_at=T0 - timedelta(days=5)),
                   Proposal(number="2026-002", title="关于修复溪头杨村护栏的建议", session_id=cs.id,
                            lead_deputy_name="李代表", filed_on=date(2026, 1, 6), state="handling")])
    got = A.answer(engine, "排污口整治的建议进展怎么样", "zh", now=T0)
    assert got.kind == "proposal" and "关于整治清溪沙柳段排污口的建议" in got.text and "已公开" in got.text
    hidden = A.answer(engine, "护栏修复的建议办得怎么样了", "zh", now=T0)
    assert hidden.kind == "proposal" and "没有找到" in hidden.text and "护栏" not in hidden.text


def test_a_village_this_month(engine, people):
    add_report(engine, "AAAA22", village=people.village)                                  # open
    add_report(engine, "AAAA23", village=people.village, state="fixed", fixed_at=T0 - timedelta(days=1))
    add_report(engine, "AAAA24", village=people.village, state="fixed", created=T0 - timedelta(days=60),
               fixed_at=T0 - timedelta(days=40))                                          # last month
    add_report(engine, "AAAA25", village=people.village, hidden=True)
    add_report(engine, "AAAA26", village=people.other_village)
    got = A.answer(engine, "沙柳村这个月怎么样", "zh", now=T0)
    assert got.kind == "village"
    assert "还有 1 件" in got.text and "本月新上报 2 件" in got.text and "本月已解决 1 件" in got.text


def test_a_person_is_asked_for_and_the_staff_reply_comes_back(engine, people):
    asked = A.ask(engine, "转人工", "zh", channel="web", now=T0)
    assert asked.handover and asked.conversation and asked.conversation in asked.text
    assert [c.question for c in A.inbox(engine, people.handler)] == ["转人工"]
    with pytest.raises(Denied):
        A.inbox(engine, None)
    with pytest.raises(Denied):
        A.inbox(engine, people.deputy)
    waiting = A.ask(engine, f"我的对话码 {asked.conversation}", "zh", now=T0)
    assert "还没有回复" in waiting.text
    conv = A.inbox(engine, people.staff)[0]
    A.reply(engine, people.staff, conv.id, "您好，明天上午工作人员会到现场。", now=T0 + timedelta(minutes=5))
    back = A.ask(engine, asked.conversation.lower(), "zh", now=T0 + timedelta(minutes=9))
    assert "明天上午工作人员会到现场" in back.text and not back.handover
    assert A.conversation(engine, asked.conversation).reply == "您好，明天上午工作人员会到现场。"
    assert A.inbox(engine, people.staff) == []
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "assistant.reply")) == 1


def test_a_complaint_is_handed_over(engine, people):
    got = A.ask(engine, "我要投诉，报了一个月没人理", "zh", now=T0)
    assert got.handover and A.inbox(engine, people.staff)[0].reason == "complaint"


def test_a_reply_to_a_group_chat_goes_through_its_webhook_while_valid(engine, people):
    sent = []
    A.ask(engine, "转人工", "zh", channel="dingtalk", webhook="https://oapi.example/robot/sendBySession?s=1",
          webhook_expires_at=T0 + timedelta(hours=1), now=T0)
    A.ask(engine, "找人工", "zh", channel="dingtalk", webhook="https://oapi.example/robot/sendBySession?s=2",
          webhook_expires_at=T0 + timedelta(minutes=1), now=T0)
    for c in A.inbox(engine, people.staff):
        A.reply(engine, people.staff, c.id, "收到", deliver=lambda hook, words: sent.append((hook, words)),
                now=T0 + timedelta(minutes=30))
    assert sent == [("https://oapi.example/robot/sendBySession?s=1", "工作人员回复：收到")]


def test_a_reply_the_chat_cannot_take_is_still_kept_for_the_code(engine, people):
    asked = A.ask(engine, "转人工", "zh", channel="dingtalk", webhook="https://oapi.example/robot/sendBySession?s=3",
                  now=T0)

    def down(hook, words):
        raise OSError("network unreachable")

    A.reply(engine, people.staff, A.inbox(engine, people.staff)[0].id, "明天去看", deliver=down, now=T0)
    assert A.conversation(engine, asked.conversation).reply == "明天去看"


def test_not_sure_names_two_topics_hands_over_and_becomes_a_candidate(engine, people):
    got = A.ask(engine, "今天天气怎么样", "zh", now=T0)
    assert got.handover and got.kind == "unsure" and "不太确定" in got.text
    assert len(got.sources) == 2
    [cand] = A.candidates(engine, people.staff)
    assert cand.question == "今天天气怎么样"
    with pytest.raises(Denied):
        A.candidates(engine, people.handler)
    with pytest.raises(Denied):
        A.make_entry(engine, people.handler, cand.id, "乱答")
    A.make_entry(engine, people.staff, cand.id, "天气请看气象台；下雨天河边湿滑，请注意安全。", now=T0)
    again = A.answer(engine, "今天天气怎么样", "zh", now=T0)
    assert again.kind == "faq" and "气象台" in again.text
    assert A.candidates(engine, people.staff) == []


def test_staff_teach_a_synonym_and_retire_an_entry(engine, people):
    A.save_entry(engine, people.staff, key="boat", lang="zh", question="龙舟赛在哪里看", answer="在沙柳村埠头。",
                 now=T0)
    assert A.answer(engine, "划龙船去哪里看", "zh", now=T0).faq_key != "boat"
    A.add_synonym(engine, people.staff, "划龙船", "龙舟赛", now=T0)
    assert A.answer(engine, "划龙船去哪里看", "zh", now=T0).faq_key == "boat"
    boat = next(e for e in A.entries(engine, people.staff) if e.key == "boat")
    A.retire(engine, people.staff, boat.id, now=T0)
    assert A.answer(engine, "龙舟赛在哪里看", "zh", now=T0).faq_key != "boat"
    with pytest.raises(Denied):
        A.add_synonym(engine, people.handler, "x", "y")
    with pytest.raises(A.AssistantError) as err:
        A.add_synonym(engine, people.staff, "垃圾", "垃圾")
    assert err.value.key == "bad_synonym"


def test_ratings_and_weekly_counts(engine, people):
    a = A.ask(engine, "我的电话会公开吗", "zh", now=T0)
    b = A.ask(engine, "转人工", "zh", now=T0)
    A.ask(engine, "下次清理什么时候", "zh", now=T0 - timedelta(days=7))
    assert A.rate(engine, a.ref, True) and A.rate(engine, b.ref, False)
    assert A.rate(engine, "nosuchref", True) is False
    this, last = A.weeks(engine, people.staff, count=2, now=T0)
    assert (this.asked, this.answered, this.handed_over, this.helpful, this.unhelpful) == (2, 1, 1, 1, 1)
    assert (last.asked, last.answered) == (1, 1)


def test_bad_questions_are_refused_and_nothing_is_kept(engine):
    for question, key in (("   ", "empty"), ("清" * 301, "too_long")):
        with pytest.raises(A.AssistantError) as err:
            A.ask(engine, question, "zh", now=T0)
        assert err.value.key == key
    assert counts(engine) == (0, 0)


def test_anonymous_asks_are_limited_per_person(engine):
    who = Person(address="203.0.113.7", session="browser-1")
    for _ in range(40):
        A.ask(engine, "怎么上报", "zh", who=who, now=T0)
    with pytest.raises(LimitError):
        A.ask(engine, "怎么上报", "zh", who=who, now=T0)
    A.ask(engine, "怎么上报", "zh", who=Person(address="203.0.113.8", session="browser-2"), now=T0)
    assert counts(engine)[0] == 41
