"""The one shape of a refusal: bad input or an action the person may fix, never a crash."""
from __future__ import annotations


class Refusal(ValueError):
    """`key` names the message (each area's `<area>.error.<key>` in the locales) and `values` fill
    its placeholders. Services raise it before anything is written, so nothing changes."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values
