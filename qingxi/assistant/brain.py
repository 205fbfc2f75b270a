"""What the assistant makes of one question, without writing anything: the rules first (a person
asked for, a complaint, a tracking code, a conversation code, the next clean-up days, a village
this month, a proposal by its title), then the FAQ. Below the confidence threshold it does not
guess: it says so, names the two nearest topics and hands over to a person."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from qingxi.assistant import knowledge, live, text
from qingxi.assistant.errors import AssistantError
from qingxi.core.i18n import t

MAX_ASK = 300

HUMAN = re.compile(r"转人工|人工客服|找人工|真人|人工服务|接人工|转接人工|找工作人员|跟人说|和人说|"
                   r"\bhuman\b|\bagent\b|\breal person\b|\bspeak to (a |some)?(person|one|staff)\b", re.I)
COMPLAINT = re.compile(r"投诉|不作为|敷衍|太差了|太慢了|气死|骂人|没人理|拖着不办|\bcomplain|\bcomplaint", re.I)
CLEANUP = re.compile(r"清理|清洁|捡垃圾|志愿|护河活动|clean.?up|volunteer", re.I)
WHEN = re.compile(r"下次|下一次|什么时候|啥时候|几号|哪天|哪一天|最近|近期|明天|后天|周.|星期.|礼拜.|\d+\s*[日号]|有没有|有吗|还有.{0,4}(名额|位置|空位)|名额|几时|"
                  r"when|next|upcoming|tomorrow|(mon|tues|wednes|thurs|fri|satur|sun)day|seats?\b|places? left", re.I)
PROPOSAL = re.compile(r"建议|提案|议案|proposal", re.I)
PROGRESS = re.compile(r"进展|进度|怎么样|到哪|办得|答复了|办好|状态|progress|status|how far", re.I)


@dataclass(frozen=True)
class Answer:
    text: str
    handover: bool
    kind: str            # faq / live kind / unsure / human / complaint
    lang: str
    sources: list[dict] = field(default_factory=list)
    faq_key: str | None = None
    confidence: float = 0.0
    nearest: tuple[str, ...] = ()   # the two nearest topics' questions (when unsure)


def language(question: str, lang: str) -> str:
    """The language to answer in: the question's own when it is plainly Chinese or English."""
    if text.is_chinese(question):
        return "zh"
    words = live.CODE_LIKE.sub(" ", question)  # a code alone says nothing of the language
    if re.search(r"[A-Za-z]{3,}", words):
        return "en"
    return lang if lang in knowledge.LANGS else "zh"


def check(question: str) -> str:
    question = question.strip()
    if not question:
        raise AssistantError("empty")
    if len(question) > MAX_ASK:
        raise AssistantError("too_long", most=MAX_ASK)
    return question


def _live(found: live.Live, lang: str) -> Answer:
    return Answer(found.text, False, found.kind, lang, [{"type": "live", "key": found.kind, "links": list(found.links)}])


def answer(engine: Engine, question: str, lang: str = "zh", *, now: datetime | None = None) -> Answer:
    question = check(question)
    lang = language(question, lang)
    if HUMAN.search(question):
        return Answer(t("assistant.handover.asked", lang), True, "human", lang)
    if COMPLAINT.search(question):
        return Answer(t("assistant.handover.complaint", lang), True, "complaint", lang)
    if code := live.find_conversation_code(question):
        return Answer("", False, "conversation", lang, [{"type": "live", "key": "conversation", "code": code}])
    if found := live.find_code(question):
        return _live(live.report_state(engine, *found, lang), lang)
    if CLEANUP.search(question) and WHEN.search(question):
        return _live(live.next_cleanups(engine, lang, now, question=question), lang)
    if found := live.village(engine, question, lang, now):
        return _live(found, lang)
    if PROPOSAL.search(question) and PROGRESS.search(question):
        if found := live.proposal(engine, question, lang, now):
            return _live(found, lang)
    hits = knowledge.indexes(engine)[lang].search(question, top=3)
    if hits and knowledge.sure(hits):
        e = hits[0].entry
        return Answer(e.answer, False, "faq", lang,
                      [{"type": "faq", "key": e.key, "title": e.question, "links": list(e.links)}],
                      e.key, round(hits[0].confidence, 3))
    nearest = tuple(h.entry.question.rstrip("？?") for h in hits[:2])
    if nearest:
        words = t("assistant.unsure.topics", lang, topics=t("assistant.list_sep", lang).join(nearest))
    else:
        words = t("assistant.unsure.none", lang)
    return Answer(words, True, "unsure", lang,
                  [{"type": "faq", "key": h.entry.key, "title": h.entry.question, "links": list(h.entry.links)}
                   for h in hits[:2]], None, round(hits[0].confidence, 3) if hits else 0.0, nearest)
