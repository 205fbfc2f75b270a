"""The question assistant on its test set (tests/support/assistant_set.py: questions as villagers
type them, typos, dialect words and English): top-1 accuracy, the share handed over to a person,
the share answered wrongly (worse than a hand-over) and the answer time (p95), on SQLite.
Goals (issue 17): ≥ 90 % right, ≤ 3 % wrong, p95 ≤ 200 ms."""
from __future__ import annotations

import tempfile
from pathlib import Path

from db import migrate
from db.engine import make_engine
from tests.support.assistant_set import make_world, score

GOALS = {"right": 0.90, "wrong": 0.03, "p95_ms": 200.0}


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate.upgrade(engine)
        make_world(engine)
        s = score(engine)
        engine.dispose()
    case = f"{s.total} questions"
    right, wrong, handed = s.right / s.total, s.wrong / s.total, s.handed_over / s.total
    met = right >= GOALS["right"] and wrong <= GOALS["wrong"] and s.p95_ms <= GOALS["p95_ms"]
    note = "goals met" if met else "DISAGREE with the goals"
    return [
        {"benchmark": "assistant", "case": case, "figure": "top-1 right", "value": f"{right:.1%}", "unit": "",
         "reference": "goal ≥ 90 %", "note": note},
        {"benchmark": "assistant", "case": case, "figure": "handed over", "value": f"{handed:.1%}", "unit": "",
         "reference": "", "note": ""},
        {"benchmark": "assistant", "case": case, "figure": "wrong", "value": f"{wrong:.1%}", "unit": "",
         "reference": "goal ≤ 3 %", "note": ""},
        {"benchmark": "assistant", "case": case, "figure": "answer time p95", "value": round(s.p95_ms, 1),
         "unit": "ms", "reference": "goal ≤ 200 ms", "note": ""},
    ]


if __name__ == "__main__":
    from bench.__main__ import show

    show(run())
