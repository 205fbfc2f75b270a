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

    @classmethod
    def checked_text(cls, value: str | None, most: int, key: str, *, required: bool = False) -> str:
        """What a person typed, trimmed; refused in this area's words when it is required and empty
        (`key`) or longer than `most` characters (`text_too_long`)."""
        value = (value or "").strip()
        if required and not value:
            raise cls(key)
        if len(value) > most:
            raise cls("text_too_long", most=most)
        return value
