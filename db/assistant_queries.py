"""Queries for the question assistant (the only SQL qingxi.assistant runs): FAQ entries and
synonyms, the questions asked, the conversations handed over to a person, and a village's report
counts for live answers."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from db.models import AssistantConversation, AssistantFaq, AssistantQuestion, AssistantSynonym, Report, Village

# ---------------------------------------------------------------- knowledge

def faq_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AssistantFaq)) or 0


def faq_entries(session: Session, *, active_only: bool = True) -> list[AssistantFaq]:
    query = select(AssistantFaq).order_by(AssistantFaq.key, AssistantFaq.lang)
    if active_only:
        query = query.where(AssistantFaq.active.is_(True))
    return list(session.scalars(query))


def faq_entry(session: Session, entry_id: int) -> AssistantFaq | None:
    return session.get(AssistantFaq, entry_id)


def faq_by_key(session: Session, key: str, lang: str) -> AssistantFaq | None:
    return session.scalar(select(AssistantFaq).where(AssistantFaq.key == key, AssistantFaq.lang == lang))


def synonyms(session: Session) -> list[AssistantSynonym]:
    return list(session.scalars(select(AssistantSynonym).order_by(AssistantSynonym.word)))


def synonym(session: Session, word: str) -> AssistantSynonym | None:
    return session.scalar(select(AssistantSynonym).where(AssistantSynonym.word == word))


def knowledge_version(session: Session) -> tuple:
    """Changes whenever an entry or a synonym is added, edited or retired (the index is rebuilt)."""
    active = case((AssistantFaq.active.is_(True), 1), else_=0)
    faq = session.execute(select(func.count(), func.max(AssistantFaq.updated_at), func.sum(AssistantFaq.id),
                                 func.sum(active), func.sum(func.length(AssistantFaq.question)
                                                            + func.length(AssistantFaq.variants)))).one()
    syn = session.execute(select(func.count(), func.max(AssistantSynonym.id))).one()
    return tuple(faq) + tuple(syn)


# ---------------------------------------------------------------- questions asked

def add_question(session: Session, **fields) -> AssistantQuestion:
    row = AssistantQuestion(**fields)
    session.add(row)
    session.flush()
    return row


def question_by_ref(session: Session, ref: str) -> AssistantQuestion | None:
    return session.scalar(select(AssistantQuestion).where(AssistantQuestion.ref == ref))


def question(session: Session, question_id: int) -> AssistantQuestion | None:
    return session.get(AssistantQuestion, question_id)


def candidates(session: Session, limit: int = 50) -> list[AssistantQuestion]:
    return list(session.scalars(select(AssistantQuestion).where(AssistantQuestion.candidate == "open")
                                .order_by(AssistantQuestion.at.desc()).limit(limit)))


def weekly_counts(session: Session, since: datetime) -> list[tuple[datetime, str, bool | None]]:
    """(asked at, outcome, helpful) of every question since then; the caller buckets them by local week."""
    return list(session.execute(select(AssistantQuestion.at, AssistantQuestion.outcome, AssistantQuestion.helpful)
                                .where(AssistantQuestion.at >= since)))


# ---------------------------------------------------------------- conversations

def add_conversation(session: Session, **fields) -> AssistantConversation:
    row = AssistantConversation(**fields)
    session.add(row)
    session.flush()
    return row


def conversation_by_code(session: Session, code: str) -> AssistantConversation | None:
    return session.scalar(select(AssistantConversation).where(AssistantConversation.code == code))


def conversation(session: Session, conversation_id: int, *, lock: bool = False) -> AssistantConversation | None:
    query = select(AssistantConversation).where(AssistantConversation.id == conversation_id)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def conversations(session: Session, states: Sequence[str], limit: int = 100) -> list[AssistantConversation]:
    return list(session.scalars(select(AssistantConversation).where(AssistantConversation.state.in_(states))
                                .order_by(AssistantConversation.created_at.desc()).limit(limit)))


# ---------------------------------------------------------------- live answers

def villages(session: Session) -> list[Village]:
    return list(session.scalars(select(Village).order_by(Village.name)))


def village_counts(session: Session, village_id: int, open_states: Sequence[str], month: datetime
                   ) -> tuple[int, int, int]:
    """A village's open reports now, reports filed since `month` and reports fixed since `month`
    (hidden ones never count)."""
    base = select(func.count()).select_from(Report).where(Report.village_id == village_id,
                                                         Report.hidden.is_(False))
    open_now = session.scalar(base.where(Report.state.in_(open_states))) or 0
    filed = session.scalar(base.where(Report.created_at >= month)) or 0
    fixed = session.scalar(base.where(Report.state == "fixed", Report.fixed_at >= month)) or 0
    return open_now, filed, fixed
