"""The input checks every proposal command makes before it opens a transaction, and the refusal
they raise: `ProposalError(key)` (locale "proposals.error.<key>") means nothing was written."""
from __future__ import annotations

import math
from collections.abc import Sequence

from qingxi.core.refusals import Refusal

MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_NOTE = 2000
MAX_NAME = 100


class ProposalError(Refusal):
    """A refusal the person can act on; `key` names the message (proposal.error.<key>)."""

    area = "proposals"


def text(value: str | None, key: str = "text_needed", *, required: bool = True, most: int = MAX_NOTE) -> str:
    return ProposalError.checked_text(value, most, key, required=required)


def one_of(value, allowed: Sequence, key: str):
    if value not in allowed:
        raise ProposalError(key)
    return value


def km_range(km_from: float | None, km_to: float | None) -> None:
    """A stretch of river: kilometres that are numbers, not negative, in order."""
    for km in (km_from, km_to):
        if km is not None and (not isinstance(km, (int, float)) or not math.isfinite(km) or km < 0):
            raise ProposalError("bad_km")
    if km_from is not None and km_to is not None and km_from > km_to:
        raise ProposalError("bad_km")


def progress(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 <= value <= 100 or int(value) != value:
        raise ProposalError("bad_progress")
    return int(value)


def weight(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ProposalError("bad_weight")
    return float(value)
