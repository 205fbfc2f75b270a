"""Run every benchmark module in bench/ and print one table: `python -m bench`.

Each module exposes run() -> list of rows (benchmark, case, figure, value, unit, reference, note):
`reference` names what a headline figure is measured against in the same run (a plain decode,
geopandas, a read-then-write check, the 1,000-report database) with its own value. A row whose
value is "DISAGREE" (an answer check failed) makes the exit status non-zero.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

COLUMNS = ("benchmark", "case", "figure", "value", "unit", "reference", "note")


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def show(rows: list[dict]) -> None:
    table = [COLUMNS] + [tuple(_fmt(r.get(c, "")) for c in COLUMNS) for r in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(COLUMNS))]
    for i, r in enumerate(table):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main() -> int:
    rows = []
    for mod in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if not mod.name.startswith("_"):
            rows += importlib.import_module(f"bench.{mod.name}").run()
    show(rows)
    return 1 if any(r["value"] == "DISAGREE" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
