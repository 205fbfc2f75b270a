import re
import string

import pytest

from qingxi.core import i18n
from qingxi.reports import CATEGORIES, State


def test_catalogs_have_the_same_keys():
    assert set(i18n.catalog("zh")) == set(i18n.catalog("en"))


@pytest.mark.parametrize("key", sorted(i18n.catalog("zh")))
def test_each_string_is_translated_with_the_same_placeholders(key):
    zh, en = i18n.t(key, "zh"), i18n.t(key, "en")
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    assert zh.strip() and en.strip()
    assert fields(zh) == fields(en)


def test_english_has_no_chinese_left_except_quoted_names():
    han = re.compile(r"[\u4e00-\u9fff]")
    leaked = [k for k, v in i18n.catalog("en").items() if han.search(v) and k != "nav.language"]
    assert leaked == []


def test_every_category_and_state_has_words():
    for lang in ("zh", "en"):
        for c in CATEGORIES:
            assert i18n.t(f"category.{c}", lang)
        for s in State:
            assert i18n.t(f"state.{s.value}", lang)


@pytest.mark.parametrize("query, remembered, locale, default, expected", [
    ("en", "zh", "zh-CN", "zh", "en"),      # the URL wins
    (None, "en", "zh-CN", "zh", "en"),      # then the session
    (None, None, "en-US", "zh", "en"),      # then the browser
    (None, None, "zh-TW", "en", "zh"),
    ("xx", None, None, "zh", "zh"),         # nonsense falls back to the default
])
def test_language_choice(query, remembered, locale, default, expected):
    assert i18n.pick_language(query, remembered, locale, default) == expected
