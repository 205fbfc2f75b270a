"""Asking, and the hand-over to a person.

`ask` is what every channel calls (the chat page, POST /assistant/ask, the DingTalk callback): it
counts the attempt against the anonymous limit (qingxi.core.limits "assistant.ask"), answers
(brain.answer), keeps the question (weekly counts, 👍/👎, FAQ candidates) and, when it hands over,
opens a conversation whose code the asker keeps. Staff and handlers read the open conversations and
reply (assistant.inbox); the reply reaches the asker by the conversation code, or through the
group chat's webhook (`deliver`, given by the caller). A question the assistant was not sure about
is an FAQ candidate staff turn into an entry with one click (`make_entry`) or dismiss."""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from db import assistant_queries as q
from db.engine import session_scope
from qingxi.assistant import brain, knowledge
from qingxi.assistant.errors import AssistantError
from qingxi.core import clock, codes, limits
from qingxi.core.acting import acting, snap
from qingxi.core.i18n import t
from qingxi.core.settings import current as settings

log = logging.getLogger(__name__)
CHANNELS = ("web", "api", "dingtalk")
MAX_REPLY = 1000
OUTCOME = {"faq": "answered", "unsure": "unsure", "human": "handover", "complaint": "handover"}


@dataclass(frozen=True)
class Reply:
    """What the asker gets: the answer, whether a person takes over (with the conversation code to
    come back with), and `ref`, their key to rate this answer."""

    text: str
    handover: bool
    sources: list[dict]
    ref: str
    conversation: str | None
    kind: str
    lang: str

    def as_json(self) -> dict:
        body = {"answer": self.text, "handover": self.handover, "sources": self.sources, "ref": self.ref}
        if self.conversation:
            body["conversation"] = self.conversation
        return body


@dataclass(frozen=True)
class Conversation:
    id: int
    code: str
    channel: str
    lang: str
    reason: str
    question: str
    attempt: str
    state: str
    reply: str | None
    created_at: datetime
    replied_at: datetime | None


def _conversation(row) -> Conversation:
    return Conversation(row.id, row.code, row.channel, row.lang, row.reason, row.question, row.attempt, row.state,
                        row.reply, row.created_at, row.replied_at)


def _new_code(length: int) -> str:
    return "".join(secrets.choice(codes.ALPHABET) for _ in range(length))


def _conversation_code() -> str:
    while True:  # at least one digit, so that it is never mistaken for a word
        code = _new_code(8)
        if any(ch.isdigit() for ch in code):
            return code


def ask(engine: Engine, question: str, lang: str = "zh", *, channel: str = "web", who: limits.Person | None = None,
        webhook: str | None = None, webhook_expires_at: datetime | None = None, now: datetime | None = None) -> Reply:
    """Answer one question, keep it, and open a conversation when a person takes over."""
    if channel not in CHANNELS:
        raise AssistantError("bad_channel")
    question = brain.check(question)
    at = clock.now(now)
    with limits.spending(engine, "assistant.ask", who or limits.Person(), now=at):
        got = brain.answer(engine, question, lang, now=at)
        if got.kind == "conversation":
            return _come_back(engine, got, question, channel, at)
        text, code = got.text, None
        with session_scope(engine) as s:
            if got.handover:
                code = _conversation_code()
                reason = {"human": "asked", "complaint": "complaint"}.get(got.kind, "unsure")
                q.add_conversation(s, code=code, channel=channel, lang=got.lang, reason=reason, question=question,
                                   attempt=got.text, webhook=webhook, webhook_expires_at=webhook_expires_at,
                                   state="open", created_at=at)
                text = got.text + "\n\n" + t("assistant.handover.code", got.lang, code=code)
            row = q.add_question(s, ref=secrets.token_hex(8), channel=channel, lang=got.lang, question=question,
                                 outcome=OUTCOME.get(got.kind, "live"), faq_key=got.faq_key, score=got.confidence,
                                 candidate="open" if got.kind == "unsure" else None, at=at)
            return Reply(text, got.handover, got.sources, row.ref, code, got.kind, got.lang)


def _come_back(engine: Engine, got: brain.Answer, question: str, channel: str, at: datetime) -> Reply:
    """The asker is back with their conversation code: the reply, or that it is still waiting."""
    code = got.sources[0]["code"]
    with session_scope(engine) as s:
        row = q.conversation_by_code(s, code)
        if row is None:
            words = t("assistant.conversation.unknown", got.lang, code=code)
        elif row.reply:
            words = t("assistant.conversation.reply", got.lang, reply=row.reply)
            row.delivered_at = row.delivered_at or at
        else:
            words = t("assistant.conversation.waiting", got.lang)
        ref = q.add_question(s, ref=secrets.token_hex(8), channel=channel, lang=got.lang, question=question,
                             outcome="live", faq_key=None, score=0.0, at=at).ref
    return Reply(words, False, [{"type": "live", "key": "conversation"}], ref, None, "conversation", got.lang)


def conversation(engine: Engine, code: str) -> Conversation | None:
    """The asker's own conversation by its code (the chat page shows the reply)."""
    with session_scope(engine) as s:
        row = q.conversation_by_code(s, codes.normalise(code))
        return _conversation(row) if row else None


def rate(engine: Engine, ref: str, helpful: bool) -> bool:
    """👍 / 👎 on one answer, by the asker's ref; the last word counts. False for an unknown ref."""
    with session_scope(engine) as s:
        row = q.question_by_ref(s, ref)
        if row is None:
            return False
        row.helpful = bool(helpful)
        return True


def inbox(engine: Engine, user, *, states: tuple[str, ...] = ("open",)) -> list[Conversation]:
    """The conversations handed over (staff and handlers), newest first."""
    with acting(engine, user, "assistant.inbox") as c:
        return [_conversation(r) for r in q.conversations(c.session, states)]


Deliver = Callable[[str, str], None]  # (webhook, text): posts a reply into the group chat


def reply(engine: Engine, user, conversation_id: int, words: str, *, deliver: Deliver | None = None,
          now: datetime | None = None) -> None:
    """A person answers: the reply is kept for the asker's code and, for a group chat whose webhook
    is still valid, posted there. Audited."""
    words = words.strip()
    if not words:
        raise AssistantError("reply_needed")
    if len(words) > MAX_REPLY:
        raise AssistantError("reply_too_long", most=MAX_REPLY)
    with acting(engine, user, "assistant.inbox", now=now, write=True) as c:
        row = q.conversation(c.session, conversation_id, lock=True)
        if row is None:
            raise AssistantError("not_found")
        if row.state == "closed":
            raise AssistantError("closed")
        before = snap(row, "state", "reply")
        row.reply, row.state, row.replied_at, row.replied_by_id = words, "answered", c.at, c.actor.id
        c.target = row
        c.audit("assistant.reply", before, snap(row, "state", "reply"), entity="assistant_conversation")
        hook = row.webhook if row.webhook and (row.webhook_expires_at is None or row.webhook_expires_at > c.at) else None
        lang = row.lang
    if hook and deliver is not None:
        try:
            deliver(hook, t("assistant.conversation.reply", lang, reply=words))
        except Exception:  # noqa: BLE001 - the reply is kept: the asker still reads it by the code
            log.warning("assistant: the reply to conversation %s could not be posted to the chat", conversation_id,
                        exc_info=True)
            return
        with session_scope(engine) as s:
            q.conversation(s, conversation_id).delivered_at = clock.now(now)


def close(engine: Engine, user, conversation_id: int, now: datetime | None = None) -> None:
    with acting(engine, user, "assistant.inbox", now=now) as c:
        row = q.conversation(c.session, conversation_id)
        if row is None:
            raise AssistantError("not_found")
        before = snap(row, "state")
        row.state = "closed"
        c.target = row
        c.audit("assistant.close", before, snap(row, "state"), entity="assistant_conversation")


@dataclass(frozen=True)
class Candidate:
    id: int
    question: str
    lang: str
    at: datetime


def candidates(engine: Engine, user) -> list[Candidate]:
    """Questions the assistant was not sure about, for staff to turn into entries."""
    with acting(engine, user, "assistant.faq") as c:
        return [Candidate(r.id, r.question, r.lang, r.at) for r in q.candidates(c.session)]


def make_entry(engine: Engine, user, question_id: int, answer: str, *, key: str | None = None,
               now: datetime | None = None) -> int:
    """One click: the candidate's question becomes a new entry with the staff's answer."""
    with acting(engine, user, "assistant.faq") as c:  # the role first, then the question
        row = q.question(c.session, question_id)
        if row is None or row.candidate != "open":
            raise AssistantError("not_found")
        question, lang = row.question[: knowledge.MAX_QUESTION], row.lang
    entry_id = knowledge.save_entry(engine, user, key=key or f"staff.{question_id}", lang=lang, question=question,
                                    answer=answer, now=now)
    with session_scope(engine) as s:
        q.question(s, question_id).candidate = "made"
    return entry_id


def dismiss(engine: Engine, user, question_id: int) -> None:
    with acting(engine, user, "assistant.faq") as c:
        row = q.question(c.session, question_id)
        if row is None:
            raise AssistantError("not_found")
        row.candidate = "dismissed"


@dataclass(frozen=True)
class Week:
    start: datetime   # local Monday 00:00
    asked: int
    answered: int     # from the FAQ or the database
    handed_over: int
    helpful: int
    unhelpful: int


def weeks(engine: Engine, user, *, count: int = 8, now: datetime | None = None) -> list[Week]:
    """The last `count` weeks, newest first (staff and handlers)."""
    tz = settings().timezone
    local = clock.now(now).astimezone(tz)
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [monday - timedelta(weeks=i) for i in range(count)]
    with acting(engine, user, "assistant.inbox") as c:
        rows = q.weekly_counts(c.session, starts[-1])
    out = []
    for start in starts:
        end = start + timedelta(weeks=1)
        mine = [r for r in rows if start <= r[0].astimezone(tz) < end]
        out.append(Week(start, len(mine), sum(r[1] in ("answered", "live") for r in mine),
                        sum(r[1] in ("handover", "unsure") for r in mine), sum(r[2] is True for r in mine),
                        sum(r[2] is False for r in mine)))
    return out
