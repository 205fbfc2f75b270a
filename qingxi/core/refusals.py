"""The one shape of a refusal: bad input or an action the person may fix, never a crash."""
from __future__ import annotations

from qingxi.core import i18n


class Refusal(ValueError):
    """`key` names the message (`<area>.error.<key>` in the locales, `area` set by each subclass)
    and `values` fill its placeholders. Services raise it before anything is written, so nothing
    changes."""

    area: str

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values

    def message(self, lang: str) -> str:
        return i18n.t(f"{self.area}.error.{self.key}", lang, **self.values)
