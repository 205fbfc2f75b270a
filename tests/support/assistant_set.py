"""The assistant's test set: questions as villagers type them (typos, dialect words, English), each
with what a right answer is: an FAQ topic's key, a live answer's kind, or "handover" (a person must
take it). Shared by tests/db/test_assistant_quality.py and bench/assistant.py, with the small world
the live answers read (a report, a clean-up day, a published proposal).

A wrong answer is an answer to another topic (or an answer where a hand-over was expected); handing
over a question the FAQ could have answered is not wrong, only not right."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Engine

from db.engine import session_scope
from db.models import CongressSession, Proposal, Report, User
from qingxi import assistant
from qingxi import cleanups as cu
from qingxi.core import places

T0 = datetime(2026, 6, 10, 2, 0, tzinfo=timezone.utc)
H = "handover"

QUESTIONS: list[tuple[str, str]] = [
    # reporting
    ("怎么举报河里的垃圾", "report.how"),
    ("河边有人倒垃圾 我要怎么反映", "report.how"),
    ("在哪里报问题啊", "report.how"),
    ("发现河里有污染怎么报", "report.how"),
    ("咋个上报嘛", "report.how"),
    ("怎么上抱问题", "report.how"),
    ("照片传不上去 是不是格式不对", "report.photos"),
    ("可以传几张照片", "report.photos"),
    ("没有照片能不能报", "report.photos"),
    ("苹果手机HEIC照片可以吗", "report.photos"),
    ("定位不准怎么办", "report.location"),
    ("照片没有定位 位置咋选", "report.location"),
    ("能报哪些问题", "report.categories"),
    ("问题类别有哪些", "report.categories"),
    ("我的电话会不会被别人看到", "privacy.phone"),
    ("手机号会公开伐", "privacy.phone"),
    ("举报人信息保密吗 怕被报复", "privacy.phone"),
    ("名字会不会被人晓得", "privacy.phone"),
    ("可以匿名举报吗", "privacy.anonymous"),
    ("不想留电话行不行", "privacy.anonymous"),
    ("查询码是啥", "report.code"),
    ("查询码丢了怎么办", "report.code_lost"),
    ("忘记编号了", "report.code_lost"),
    ("我报的事情处理到哪一步了", "track.how"),
    ("怎么查进度", "track.how"),
    ("待签收是什么意思", "track.states"),
    ("已办结待核实啥意思", "track.states"),
    ("怎么确认已经解决", "track.confirm"),
    ("说解决了但是垃圾还在", "track.still_there"),
    ("问题又出现了怎么办", "track.still_there"),
    ("对处理不满意怎么评价", "track.rate"),
    ("报了以后多久能处理", "clocks"),
    ("要等几天才有人来", "clocks"),
    ("河里好多死鱼很急", "urgent"),
    ("谁负责处理上报的问题", "report.who"),
    ("别人已经报过了我还要报吗", "report.me_too"),
    ("报错了想撤回", "report.edit"),
    ("我自己已经清理了还要报吗", "report.cleaned"),
    ("上报要不要注册账号", "report.free"),
    ("要下载APP吗", "report.free"),
    ("河边柱子上的二维码是干啥的", "signs"),
    ("地图上的颜色什么意思", "map"),
    ("别人能看到我上报的照片吗", "map.public"),
    ("可以下载数据吗", "downloads"),
    ("有人电鱼", "fishing"),
    ("有人偷挖沙子怎么办", "fishing"),
    ("排污口在排黑水", "sewage"),
    ("水发臭变色了", "sewage"),
    ("河边栏杆坏了", "facility"),
    # clean-ups
    ("志愿者清理日是什么", "cleanup.what"),
    ("我想参加清理活动怎么报名", "cleanup.signup"),
    ("报名清理要填啥", "cleanup.signup"),
    ("报了名去不了 怎么取消", "cleanup.cancel"),
    ("名额满了还能报吗", "cleanup.waitlist"),
    ("参加清理要带手套吗", "cleanup.bring"),
    ("清理当天怎么签到", "cleanup.checkin"),
    ("上次清理捡了多少垃圾", "cleanup.results"),
    ("下次清理什么时候", "cleanups"),
    ("最近有清理活动吗 还有名额伐", "cleanups"),
    ("下一次志愿活动是哪天", "cleanups"),
    # proposals
    ("代表建议是什么", "proposal.what"),
    ("建议是怎么办理的", "proposal.lifecycle"),
    ("答复的B类是什么意思", "proposal.classes"),
    ("我有意见怎么向人大代表反映", "proposal.give"),
    ("排污口整治的建议进展怎么样", "proposal"),
    # the station, the river, the portal
    ("联络站是干什么的", "station"),
    ("清溪沙柳段是哪一段", "river"),
    ("沿河有哪些村", "villages"),
    ("沙柳村这个月怎么样", "village"),
    ("溪头杨这个月有多少问题", "village"),
    ("工作人员怎么登录", "signin"),
    ("忘记密码了", "signin"),
    ("你是机器人吗", "assistant.what"),
    ("在钉钉群里怎么问", "dingtalk"),
    ("有没有统计数据", "dashboard"),
    # live: codes
    ("我的举报 K8MEC6 怎么样了", "report"),
    ("K8MEC6", "report"),
    ("查下 k8mec6", "report"),
    ("我的举报 K8MEC7 怎么样了", "unknown_code"),
    ("查询码 Q2W3E4 到哪了", "unknown_code"),
    # a person
    ("转人工", H),
    ("我要找真人", H),
    ("我要投诉你们 拖着不办", H),
    ("今天天气怎么样", H),
    ("村里低保怎么申请", H),
    ("我家房子漏水找谁", H),
    ("宅基地审批要多久", H),
    ("你好", H),
    # English
    ("How do I report litter on the river?", "report.how"),
    ("Is my phone number public?", "privacy.phone"),
    ("when is the next clean-up?", "cleanups"),
    ("how do I sign up for a clean up day", "cleanup.signup"),
    ("What happened to my report K8MEC6", "report"),
    ("I want to talk to a human", H),
    ("What is the tracking code?", "report.code"),
    ("how long until my report is handled", "clocks"),
    ("What are deputies' proposals?", "proposal.what"),
    ("where can I download the data", "downloads"),
    ("what is the weather tomorrow", H),
]

LIVE_KINDS = frozenset({"report", "unknown_code", "cleanups", "proposal", "village"})


def make_world(engine: Engine) -> None:
    """What the live answers read: a report K8MEC6, an open clean-up day, a published proposal."""
    with session_scope(engine) as s:
        places.install_reference(s)
        s.add(Report(code="K8MEC6", category="sewage", state="dispatched", lon=121.40, lat=29.15,
                     location_source="map", created_at=T0 - timedelta(days=2)))
        staff = User(username="bench-staff", display_name="站长", role="staff")
        s.add(staff)
        cs = CongressSession(name_zh="第一次会议", name_en="First meeting", congress=16, meeting=1,
                             held_on=date(2026, 1, 5))
        s.add(cs)
        s.flush()
        s.add(Proposal(number="2026-001", title="关于整治清溪沙柳段排污口的建议", session_id=cs.id,
                       lead_deputy_name="周代表", filed_on=date(2026, 1, 6), state="published",
                       published_at=T0 - timedelta(days=5)))
    start = T0 + timedelta(days=3)
    cid = cu.create(engine, staff, cu.Plan(title="沙柳村段清理日", starts_at=start, ends_at=start + timedelta(hours=3),
                                           km_from=1.0, km_to=2.0, capacity=30, meeting_km=1.0), now=T0)
    cu.publish(engine, staff, cid, now=T0)


@dataclass(frozen=True)
class Score:
    total: int
    right: int
    handed_over: int     # of all questions
    wrong: int
    p95_ms: float
    misses: list[tuple[str, str, str]]  # (question, expected, got)

    @property
    def accuracy(self) -> float:
        return self.right / self.total


def got_what(a: assistant.Answer) -> str:
    if a.handover:
        return H
    return a.faq_key if a.kind == "faq" else a.kind


def score(engine: Engine, questions: list[tuple[str, str]] = QUESTIONS, now: datetime = T0) -> Score:
    assistant.answer(engine, "预热", "zh", now=now)  # the index is built once, not timed
    right = wrong = handed = 0
    times, misses = [], []
    for question, expected in questions:
        lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in question) else "en"
        t = time.perf_counter()
        got = got_what(assistant.answer(engine, question, lang, now=now))
        times.append((time.perf_counter() - t) * 1000)
        handed += got == H
        if got == expected:
            right += 1
        else:
            misses.append((question, expected, got))
            wrong += got != H
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return Score(len(questions), right, handed, wrong, p95, misses)
