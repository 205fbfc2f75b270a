"""Translations: one `t()` over flat catalogs, zh-CN first, English complete."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import tomllib

from qingxi.core.settings import LANGUAGES

LOCALES = Path(__file__).with_name("locales")


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """All of `locales/<lang>/*.toml` (one file per area of the portal); a key defined twice is a bug."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.toml")):
        with path.open("rb") as fh:
            flat = _flatten(tomllib.load(fh))
        if clash := merged.keys() & flat.keys():
            raise ValueError(f"{path.name} redefines {sorted(clash)[:5]}")
        merged.update(flat)
    return merged


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def t(key: str, lang: str, **values) -> str:
    text = catalog(lang if lang in LANGUAGES else "zh")[key]
    return text.format(**values) if values else text


def pick_language(query: str | None, remembered: str | None, locale: str | None, default: str) -> str:
    """The URL wins (so a shared link keeps its language), then the session, then the browser."""
    for candidate in (query, remembered):
        if candidate in LANGUAGES:
            return candidate
    if locale:
        return "zh" if locale.lower().startswith("zh") else "en"
    return default
