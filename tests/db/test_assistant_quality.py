"""The assistant on its test set (tests/support/assistant_set.py), on SQLite and PostgreSQL: at
least 90 % answered right, at most 3 % answered wrongly, every live answer right (a code, the next
clean-ups, a proposal, a village), and the p95 answer time within 200 ms."""
from __future__ import annotations

from tests.support.assistant_set import H, LIVE_KINDS, QUESTIONS, make_world, score


def test_the_set_is_real_and_large_enough():
    assert len(QUESTIONS) >= 80
    assert sum(1 for q, _ in QUESTIONS if not any("\u4e00" <= ch <= "\u9fff" for ch in q)) >= 10  # English
    assert sum(1 for _, e in QUESTIONS if e == H) >= 8


def test_accuracy_wrong_answers_and_time_on_the_test_set(engine):
    make_world(engine)
    s = score(engine)
    assert s.accuracy >= 0.90, s.misses
    assert s.wrong / s.total <= 0.03, s.misses
    assert not [m for m in s.misses if m[1] in LIVE_KINDS or m[1] == H], s.misses
    assert s.p95_ms <= 200
