"""Live answers from the database, each through the area that owns the data: a report's state by
its tracking code (qingxi.reports.track: the state in plain words, nothing about the reporter), the
next clean-up days with seats left (qingxi.cleanups), a published proposal found by words of its
title (qingxi.proposals) and a village's reports this month. An unknown code is said to be unknown,
never guessed."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine

from db import assistant_queries as q
from db.engine import session_scope
from qingxi import cleanups
from qingxi import proposals as P
from qingxi.assistant import text
from qingxi.core import clock, codes
from qingxi.core.i18n import t
from qingxi.core.settings import current as settings
from qingxi.reports import OPEN_STATES, track

# A tracking code: 6 characters of the codes' alphabet (no 0/O/1/I/L). Typed among Chinese or
# English words; an all-letter word counts only when typed in capitals or named as a code.
_WORD = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]{6}|[A-Za-z0-9]{8})(?![A-Za-z0-9])")
_CODE_WORDS = re.compile(r"查询码|编号|码|举报|上报|报的|code|report|track", re.I)
CONVERSATION_LENGTH = 8
CODE_LIKE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]*\d[A-Za-z0-9]*(?![A-Za-z0-9])|(?<![A-Za-z0-9])[A-Z0-9]{6,8}(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Live:
    kind: str                    # report / unknown_code / cleanups / proposal / village / conversation
    text: str
    links: tuple[str, ...] = ()
    data: dict = field(default_factory=dict)


def find_code(question: str) -> tuple[str, bool] | None:
    """(code, well_formed) of a tracking code in the question, or None. A code typed with a letter
    the codes never use (0 O 1 I L) is still a code, just one that cannot exist."""
    for m in _WORD.finditer(question):
        word = m.group(1)
        if len(word) == CONVERSATION_LENGTH:
            continue
        has_digit = any(ch.isdigit() for ch in word)
        named = bool(_CODE_WORDS.search(question))
        if not (has_digit or word.isupper() or named):
            continue
        if word.isalpha() and word.islower() and not text.is_chinese(question):
            continue  # an English word ("status", "report"), not a code
        upper = word.upper()
        return upper, all(ch in codes.ALPHABET for ch in upper)
    return None


def find_conversation_code(question: str) -> str | None:
    for m in _WORD.finditer(question):
        word = m.group(1).upper()
        if len(word) == CONVERSATION_LENGTH and all(ch in codes.ALPHABET for ch in word) and \
                any(ch.isdigit() for ch in word):
            return word
    return None


def report_state(engine: Engine, code: str, well_formed: bool, lang: str) -> Live:
    found = track.status(engine, code) if well_formed else None
    if found is None:
        return Live("unknown_code", t("assistant.live.unknown_code", lang, code=code), ("track",))
    words = t("assistant.live.report", lang, code=found.code, category=t(f"category.{found.category}", lang),
              now=t(f"track.now.{found.state}", lang), next=t(f"track.next.{found.state}", lang))
    return Live("report", words, (f"track?code={found.code}",), {"state": found.state})


def _local(at: datetime) -> datetime:
    return at.astimezone(settings().timezone)


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def asked_day(question: str, today: date) -> tuple[str, object] | None:
    """The day a question names, if any: ("date", a date) for 明天 / 后天 / 6月13日 / 13号 /
    tomorrow, ("weekday", 0–6) for 周六 / 星期六 / 礼拜六 / 周末 / Saturday."""
    folded = question.lower()
    if "明天" in question or "tomorrow" in folded:
        return "date", today + timedelta(days=1)
    if "后天" in question:
        return "date", today + timedelta(days=2)
    if m := re.search(r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号]", question):
        month, day = int(m.group(1) or today.month), int(m.group(2))
        try:
            found = date(today.year, month, day)
        except ValueError:
            return None
        return "date", found if found >= today else date(today.year + 1, month, day)
    if m := re.search(r"(?:周|星期|礼拜)([一二三四五六日天])|周(末)", question):
        return "weekday", _WEEKDAYS[m.group(1) or m.group(2)]
    for i, name in enumerate(_EN_WEEKDAYS):
        if name in folded:
            return "weekday", i
    return None


def next_cleanups(engine: Engine, lang: str, now: datetime | None = None, most: int = 3,
                  question: str = "") -> Live:
    at = clock.now(now)
    days = [e for e in cleanups.events(engine, None, now=at, upcoming_only=True)
            if e.state in ("published", "full") and e.starts_at > at]
    wanted = asked_day(question, _local(at).date())
    if wanted is not None:
        kind, value = wanted
        on_day = [e for e in days if (_local(e.starts_at).date() == value if kind == "date"
                                      else _local(e.starts_at).weekday() == value)]
        if not on_day:
            other = next_cleanups(engine, lang, now, most)
            return Live("cleanups", t("assistant.live.none_that_day", lang) + "\n" + other.text, other.links,
                        other.data)
        days = on_day
    days = days[:most]
    if not days:
        return Live("cleanups", t("assistant.live.no_cleanups", lang), ("cleanups",))
    lines = []
    for e in days:
        start = _local(e.starts_at)
        seats = (t("assistant.live.seats_left", lang, n=e.public_left) if e.public_left > 0
                 else t("assistant.live.seats_full", lang))
        lines.append(t("assistant.live.cleanup_line", lang, date=start.strftime("%m-%d"),
                       weekday=t(f"assistant.weekday.{start.weekday()}", lang), time=start.strftime("%H:%M"),
                       title=e.title, seats=seats))
    links = tuple(f"cleanups?id={e.id}" for e in days)
    return Live("cleanups", t("assistant.live.cleanups", lang, lines="\n".join(lines)), links,
                {"ids": [e.id for e in days], "seats": [e.public_left for e in days]})


_PROPOSAL_WORDS = frozenset("建议 提案 议案 代表 进展 进度 情况 办理 怎么样 到哪 答复 结果 状态 那个 关于 的 件 条 "
                            "proposal progress status deputy about the".split())


def proposal(engine: Engine, question: str, lang: str, now: datetime | None = None) -> Live | None:
    """The published proposal whose title shares the most words with the question (None when the
    question names no title words)."""
    asked = {w for w in text.tokens(question) if not w.startswith("#") and w not in _PROPOSAL_WORDS}
    if not asked:
        return None
    best, best_score = None, 0.0
    for row in P.register(engine, None, now=clock.now(now)):
        title = {w for w in text.tokens(row.title) if not w.startswith("#")}
        score = sum(len(w) for w in asked & title)
        if score > best_score:
            best, best_score = row, score
    if best is None or best_score < 2:
        return Live("proposal", t("assistant.live.no_proposal", lang), ("proposals",))
    progress = (t("assistant.live.progress", lang, pct=round(best.progress)) if best.progress is not None else "")
    words = t("assistant.live.proposal", lang, title=best.title, number=best.number,
              state=t(f"proposals.state.{best.state}", lang), progress=progress)
    return Live("proposal", words, (f"proposal?id={best.id}",), {"id": best.id, "state": best.state})


_MONTH_WORDS = re.compile(r"这个月|本月|这月|最近|这段时间|多少|几个|几件|几起|this month|how many|lately", re.I)


def _village_names(session) -> list[tuple[int, str, list[str]]]:
    out = []
    for v in q.villages(session):
        forms = [v.name]
        short = re.sub(r"(村|社区)$", "", v.name)
        if short != v.name and len(short) >= 2 and short != "清溪":
            forms.append(short)
        out.append((v.id, v.name, forms))
    return out


def village(engine: Engine, question: str, lang: str, now: datetime | None = None) -> Live | None:
    """A village's open reports and this month's filed and fixed ones, when the question names a
    village and asks about now (None otherwise)."""
    if not _MONTH_WORDS.search(question):
        return None
    with session_scope(engine) as s:
        named = [(vid, name) for vid, name, forms in _village_names(s) if any(f in question for f in forms)]
        if not named:
            return None
        vid, name = max(named, key=lambda x: len(x[1]))
        local = _local(clock.now(now))
        month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        open_now, filed, fixed = q.village_counts(s, vid, [x.value for x in OPEN_STATES], month)
    words = t("assistant.live.village", lang, village=name, open=open_now, filed=filed, fixed=fixed)
    return Live("village", words, ("map",), {"open": open_now, "filed": filed, "fixed": fixed})
