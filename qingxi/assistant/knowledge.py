"""The FAQ and the synonyms: seeding an empty table, the BM25 index over the active entries (rebuilt
when staff change anything), retrieval with a confidence, and the staff's edits.

Each entry's question and each variant is a document; an entry scores the best of its documents.
The confidence is the share of the question's weight (idf) that the best document covers: a
question whose telling words the FAQ never uses is not answered, however high its raw BM25 score."""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import datetime

import bm25s
import numpy as np
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from db import assistant_queries as q
from db.engine import session_scope
from db.models import AssistantFaq, AssistantSynonym
from qingxi.assistant import seed, text
from qingxi.assistant.errors import AssistantError
from qingxi.core.acting import acting, snap

LANGS = ("zh", "en")
MAX_QUESTION = 200
MAX_ANSWER = 2000
MAX_WORD = 40
THRESHOLD = 0.5   # confidence below which the assistant says it is not sure
ANSWER_PART = 0.7  # an answer's own words count for less than the ways the question is asked


@dataclass(frozen=True)
class Entry:
    id: int
    key: str
    lang: str
    question: str
    variants: tuple[str, ...]
    answer: str
    links: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float        # BM25
    confidence: float   # 0–1: the share of the question's weight the entry covers
    word_matched: bool = True  # a whole word matched, not single characters only


def _entry(row: AssistantFaq) -> Entry:
    return Entry(row.id, row.key, row.lang, row.question, tuple(v for v in row.variants.split("\n") if v.strip()),
                 row.answer, tuple(x for x in row.links.split("\n") if x.strip()), row.active)


def ensure_seeded(engine: Engine) -> bool:
    """Install the starting FAQ and synonyms into empty tables (once); True when it did. Two
    processes starting together: the second one's rows clash with the first's and are dropped."""
    try:
        return _seed(engine)
    except IntegrityError:
        return False


def _seed(engine: Engine) -> bool:
    with session_scope(engine) as s:
        if q.faq_count(s):
            return False
        for key, links, langs in seed.ENTRIES:
            for lang, (question, variants, answer) in langs.items():
                s.add(AssistantFaq(key=key, lang=lang, question=question, variants="\n".join(variants),
                                   answer=answer, links="\n".join(links), active=True))
        have = {r.word for r in q.synonyms(s)}
        for word, canonical in seed.SYNONYMS.items():
            if word not in have and word != canonical:
                s.add(AssistantSynonym(word=word, canonical=canonical))
    return True


class Index:
    """BM25 over one language's active entries."""

    def __init__(self, entries: list[Entry], synonyms: dict[str, str]):
        self.entries, self.synonyms = entries, synonyms
        self.docs: list[tuple[int, list[str]]] = []
        self.part: list[float] = []  # 1 for a question or variant, less for the answer's words
        for i, e in enumerate(entries):
            for doc, part in ((e.question, 1.0), *((v, 1.0) for v in e.variants), (e.answer, ANSWER_PART)):
                toks = text.tokens(doc, synonyms)
                if toks:
                    self.docs.append((i, toks))
                    self.part.append(part)
        self.retriever = None
        df: dict[str, int] = {}
        for _, toks in self.docs:
            for tok in set(toks):
                df[tok] = df.get(tok, 0) + 1
        n = max(len(self.docs), 1)
        self.idf = {tok: math.log(1 + (n - c + 0.5) / (c + 0.5)) for tok, c in df.items()}
        self.unknown_idf = 0.6 * math.log(1 + (n + 0.5) / 0.5)  # a word the FAQ never uses
        self.sets = [set(toks) for _, toks in self.docs]
        if self.docs:
            self.retriever = bm25s.BM25()
            self.retriever.index([toks for _, toks in self.docs], show_progress=False)

    def weight(self, tok: str) -> float:
        w = self.idf.get(tok, self.unknown_idf)
        return w * (0.35 if tok.startswith("#") else 1.0)  # single characters count less than words

    def search(self, question: str, top: int = 3) -> list[Hit]:
        toks = text.tokens(question, self.synonyms)
        if not toks or self.retriever is None:
            return []
        scores = np.asarray(self.retriever.get_scores(toks), dtype=float)
        total = sum(self.weight(t) for t in set(toks)) or 1.0
        best: dict[int, tuple[float, float]] = {}
        words: dict[int, bool] = {}
        for d in np.argsort(-scores)[: max(top * 8, 20)]:
            if scores[d] <= 0:
                break
            i, _ = self.docs[d]
            covered = self.part[d] * sum(self.weight(t) for t in set(toks) if t in self.sets[d]) / total
            score, conf = best.get(i, (0.0, 0.0))
            best[i] = (max(score, self.part[d] * float(scores[d])), max(conf, covered))
            words[i] = words.get(i, False) or any(not t.startswith("#") and t in self.sets[d] for t in toks)
        ranked = sorted(best.items(), key=lambda kv: (kv[1][1] * 0.6 + min(kv[1][0] / 12, 1) * 0.4), reverse=True)
        return [Hit(self.entries[i], score, conf, words[i]) for i, (score, conf) in ranked[:top]]


def sure(hits: list[Hit]) -> bool:
    """Confident enough to answer with the first hit: over the threshold, matched on a whole word
    (not single characters only), and not tied with a different topic."""
    top = hits[0]
    if top.confidence < THRESHOLD or not top.word_matched:
        return False
    if len(hits) > 1:
        second = hits[1]
        if second.confidence >= top.confidence - 0.02 and second.score >= 0.95 * top.score:
            return False
    return True


_CACHE: dict[str, tuple[tuple, dict[str, Index]]] = {}
_CACHE_LOCK = threading.Lock()


def indexes(engine: Engine) -> dict[str, Index]:
    """The index of each language, rebuilt when the FAQ or the synonyms changed."""
    with session_scope(engine) as s:
        version = q.knowledge_version(s)
    key = str(engine.url)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached and cached[0] == version:
            return cached[1]
        if version[0] == 0:
            ensure_seeded(engine)
            with session_scope(engine) as s:
                version = q.knowledge_version(s)
        with session_scope(engine) as s:
            rows = [_entry(r) for r in q.faq_entries(s)]
            syns = {r.word: r.canonical for r in q.synonyms(s)}
            village_names = [v.name for v in q.villages(s)]
        text.add_words([*syns.values(), *syns.keys(), *village_names, "查询码", "清理日", "转人工", "报名码"])
        built = {lang: Index([e for e in rows if e.lang == lang], syns) for lang in LANGS}
        _CACHE[key] = (version, built)
        return built


def entries(engine: Engine, user, *, active_only: bool = False) -> list[Entry]:
    """Every entry, for the staff's FAQ editor (the starting ones installed first if need be)."""
    with acting(engine, user, "assistant.faq"):
        pass  # the role is checked before anything is read or seeded
    ensure_seeded(engine)
    with acting(engine, user, "assistant.faq") as c:
        return [_entry(r) for r in q.faq_entries(c.session, active_only=active_only)]


def _check(key: str, lang: str, question: str, answer: str) -> None:
    if lang not in LANGS:
        raise AssistantError("bad_lang")
    if not key.strip() or len(key) > 40:
        raise AssistantError("bad_key")
    if not question.strip() or len(question) > MAX_QUESTION:
        raise AssistantError("bad_question", most=MAX_QUESTION)
    if not answer.strip() or len(answer) > MAX_ANSWER:
        raise AssistantError("bad_answer", most=MAX_ANSWER)


def save_entry(engine: Engine, user, *, key: str, lang: str, question: str, answer: str, variants: str = "",
               links: str = "", active: bool = True, now: datetime | None = None) -> int:
    """Add an entry, or change the one with this key and language; staff only, audited."""
    _check(key, lang, question, answer)
    with acting(engine, user, "assistant.faq", now=now) as c:
        row = q.faq_by_key(c.session, key.strip(), lang)
        fields = ("question", "variants", "answer", "links", "active")
        before = snap(row, *fields) if row else {}
        if row is None:
            row = AssistantFaq(key=key.strip(), lang=lang, created_at=c.at)
            c.session.add(row)
        row.question, row.answer, row.active = question.strip(), answer.strip(), active
        row.variants = "\n".join(v.strip() for v in variants.split("\n") if v.strip())
        row.links = "\n".join(x.strip().lstrip("/") for x in links.split("\n") if x.strip())
        row.updated_at = c.at
        c.session.flush()
        c.target = row
        c.audit("assistant.faq_save", before, snap(row, *fields), entity="assistant_faq")
        return row.id


def retire(engine: Engine, user, entry_id: int, active: bool = False, now: datetime | None = None) -> None:
    """Retire an entry (kept, never answered with) or bring it back."""
    with acting(engine, user, "assistant.faq", now=now) as c:
        row = q.faq_entry(c.session, entry_id)
        if row is None:
            raise AssistantError("not_found")
        before = snap(row, "active")
        row.active, row.updated_at = active, c.at
        c.target = row
        c.audit("assistant.faq_retire", before, snap(row, "active"), entity="assistant_faq")


def synonyms(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return {r.word: r.canonical for r in q.synonyms(s)}


def add_synonym(engine: Engine, user, word: str, canonical: str, now: datetime | None = None) -> None:
    """Staff teach a word: `word` is read as `canonical` (废弃物 → 垃圾)."""
    word, canonical = text.fold(word), text.fold(canonical)
    if not word or not canonical or word == canonical or len(word) > MAX_WORD or len(canonical) > MAX_WORD:
        raise AssistantError("bad_synonym", most=MAX_WORD)
    with acting(engine, user, "assistant.faq", now=now) as c:
        row = q.synonym(c.session, word)
        before = snap(row, "canonical") if row else {}
        if row is not None:  # a new row, so that the index's version changes
            c.session.delete(row)
            c.session.flush()
        row = AssistantSynonym(word=word, canonical=canonical, created_at=c.at)
        c.session.add(row)
        c.session.flush()
        c.target = row
        c.audit("assistant.synonym", before, snap(row, "canonical"), entity="assistant_synonym")
