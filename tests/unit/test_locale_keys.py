"""Every message key the code names exists in both languages: a missing key would show a raw
`triage.xyz` to a villager instead of words."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from qingxi.core import i18n, refusals

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "app.py", *[p for d in ("pages", "ui", "qingxi", "web") for p in (ROOT / d).rglob("*.py")]]
# t("key"), t(f"prefix.{x}"), labels("prefix"), _word("prefix", …), denied="key", done="key": the ways code
# names a message
NAMED = re.compile(r"""(?:\bt\(|i18n\.t\(|labels\(|_word\(|denied=|done=)\s*(f?)["']([a-z_]+\.?[a-z_.{}]*)["']""")
PREFIXED = ("labels(", "_word(")


def _named() -> list[tuple[str, str, bool]]:
    found = []
    for path in SOURCES:
        for m in NAMED.finditer(path.read_text()):
            fstring, key = m.group(1) == "f", m.group(2)
            is_prefix = fstring and "{" in key or key.endswith(".") or m.group(0).lstrip().startswith(PREFIXED)
            found.append((str(path.relative_to(ROOT)), key.split("{")[0] if is_prefix else key, is_prefix))
    return found


NAMED_KEYS = _named()


def test_the_scan_sees_the_code():
    assert len(NAMED_KEYS) > 300  # a regex that matched nothing would pass everything below


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_named_key_has_words(lang):
    words = i18n.catalog(lang)
    missing = [(where, key) for where, key, prefix in NAMED_KEYS
               if not (any(k.startswith(key) for k in words) if prefix else key in words)]
    assert not missing, missing


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_refusal_area_has_its_messages(lang):
    words = i18n.catalog(lang)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import qingxi.accounts  # noqa: F401 - every area's refusals registered
    import qingxi.cleanups  # noqa: F401
    import qingxi.proposals  # noqa: F401
    import qingxi.reports.triage  # noqa: F401

    areas = {sub.area for sub in subclasses(refusals.Refusal) if getattr(sub, "area", None)}
    assert {"report", "triage", "signin", "cleanups", "proposals"} <= areas
    assert all(any(k.startswith(f"{area}.error.") for k in words) for area in areas), areas


def test_one_locale_file_per_area():
    names = {p.stem for p in (ROOT / "qingxi" / "core" / "locales" / "zh").glob("*.toml")}
    assert names == {p.stem for p in (ROOT / "qingxi" / "core" / "locales" / "en").glob("*.toml")}
    for name in names - {"core", "ops"}:  # an area's file holds only that area's keys
        tree = __import__("tomllib").loads((ROOT / "qingxi" / "core" / "locales" / "zh" / f"{name}.toml").read_text())
        assert set(tree) == {name}, (name, set(tree))
