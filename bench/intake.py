"""Reports filed per second through the intake service on SQLite, 4 concurrent writers."""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image
from sqlalchemy import func, select

from bench._concurrent import together
from db import migrate
from db.engine import make_engine, session_scope
from db.models import Report
from qingxi.core import photos, places
from qingxi.reports import intake

WRITERS, EACH = 4, 75


def _photo(n: int) -> bytes:
    """A phone-like 800×600 JPEG (gradients and sensor noise), different for every report:
    the same bytes twice would rightly be one report."""
    rng = np.random.default_rng(n)
    x, y = np.linspace(0, 255, 800)[None, :, None], np.linspace(0, 255, 600)[:, None, None]
    pixels = np.clip(x * 0.6 + y * 0.3 + rng.normal(0, 6, (600, 800, 3)), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate.upgrade(engine)
        with session_scope(engine) as s:
            places.install_reference(s)
            where = intake.place(s, 121.398, 29.1492, "gps")
        batches = [[_photo(w * EACH + i) for i in range(EACH)] for w in range(WRITERS)]
        elapsed, errors = together(batches, lambda data: intake.submit(
            engine, intake.Submission([data], "bank_litter", where), Path(tmp) / "photos"))
        with session_scope(engine) as s:
            stored = s.scalar(select(func.count()).select_from(Report))
        engine.dispose()
        # The reference: the same photos through the photo pipeline alone (no database), same threads.
        alone, _ = together(batches, lambda data: photos.save(photos.prepare(data), Path(tmp) / "alone"))
    total = WRITERS * EACH
    rate = total / elapsed
    return [
        {"benchmark": "intake", "case": f"SQLite, {WRITERS} writers, 800×600 JPEG", "figure": "reports/s",
         "value": rate, "unit": "/s", "reference": f"photo pipeline alone {total / alone:.0f}/s",
         "note": f"goal ≥ 100/s: {'met' if rate >= 100 else 'NOT met'}"},
        {"benchmark": "intake", "case": f"SQLite, {WRITERS} writers", "figure": "lost or errored",
         "value": (total - stored) + len(errors), "unit": "reports",
         "note": f"{stored} of {total} stored, {len(errors)} errors"},
    ]
