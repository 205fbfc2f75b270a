"""Every page, in both languages, for a visitor, a staff member and an admin: no English from
Streamlit's own chrome and no raw message key in a Chinese page; no Chinese in an English page except
people's own words and place names."""
from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
import pytest
from google.protobuf.message import Message

from tests.pages.conftest import open_app, open_page

# What Streamlit writes by itself when a page does not say otherwise.
STREAMLIT_ENGLISH = ("Choose an option", "Choose options", "Select all", "None", "Upload", "Browse files",
                     "No results", "Press Enter", "Drag and drop", "per file", "Add options")
RAW_KEY = re.compile(r"^[a-z_]+\.[a-z_.]+$")
RAW_JSON = re.compile(r'^\s*[\[{]\s*"[^"]*"\s*[:,\]]')  # {"state": ...} or ["a", ...] shown as is
ISO_WEEK = re.compile(r"\b\d{4}-W\d{2}\b")  # say 第42周 / week 42
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Proto fields that are not words a person reads.
NOT_WORDS = {"id", "form_id", "icon", "type", "query_param_key", "url_path", "page_script_hash", "src", "url",
             "mimetype", "spec", "json", "data", "arrow_data", "vega_lite_chart", "deck_gl_json_chart",
             "default", "raw_value", "raw_values", "name", "page_name", "format", "ids", "key"}
# The language switch names each language in its own words, on purpose.
BILINGUAL = {"language_switch"}
# Elements whose words are people's or places' (the maps are drawn by ui.layers; charts carry data).
NOT_CHROME = {"deck_gl_json_chart", "arrow_vega_lite_chart", "vega_lite_chart", "bidi_component", "html",
              "iframe", "imgs", "code"}


def _strings(msg: Message):
    for field, value in msg.ListFields():
        if field.name in NOT_WORDS:
            continue
        for v in value if isinstance(value, Sequence) and not isinstance(value, str) else [value]:
            if isinstance(v, Message):
                yield from _strings(v)
            elif isinstance(v, str) and v.strip():
                yield field.name, v


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def seen(at) -> list[tuple[str, str]]:
    """(where, text) for every word on the page, as the browser would show it."""
    out = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if not isinstance(proto, Message) or node.type in NOT_CHROME or getattr(node, "key", None) in BILINGUAL:
            continue
        if node.type == "dataframe":
            frame = node.value
            out += [(f"{node.type}.column", str(c)) for c in frame.columns if not str(c).startswith("_")]
            out += [(f"{node.type}.index", str(i)) for i in frame.index.names if i]
            if not isinstance(frame.index, pd.RangeIndex):  # an index of words (weeks) is shown
                out += [(f"{node.type}.index", str(i)) for i in frame.index]
            if frame.isna().any().any():
                out.append((f"{node.type}.cell", "None"))  # what Streamlit shows in an empty cell
            out += [(f"{node.type}.cell", str(v)) for v in frame.astype(str).to_numpy().ravel()]
            continue
        if node.type == "markdown" and proto.body.lstrip().startswith("<style"):
            continue  # a style, never shown
        if node.type == "selectbox" and not proto.HasField("default") and not proto.placeholder:
            out.append(("selectbox.placeholder", "Choose an option"))
        if node.type == "multiselect":
            if not proto.placeholder:
                out.append(("multiselect.placeholder", "Choose options"))
            if proto.select_all:
                out.append(("multiselect.select_all", "Select all"))
        if node.type == "file_uploader" and not _uploader_hint(at):
            out += [("file_uploader", "Browse files"), ("file_uploader", "per file")]
        out += [(f"{node.type}.{field}", text) for field, text in _strings(proto)]
    return out


def _uploader_hint(at) -> bool:
    """ui.upload's CSS hides Streamlit's English chrome and says the same in the person's words."""
    return any("stFileUploaderDropzoneInstructions" in h.proto.body for h in at.get("html")) and \
        any(c.value for c in at.caption)


def _own_words() -> set[str]:
    """Place names and what people typed: every word the database holds is someone's (the portal's
    own words live in the locale files). These keep their language."""
    from sqlalchemy import JSON, String, Text, select

    from db.engine import engine_for, session_scope
    from db.models import Base
    from qingxi.core.settings import current

    words: set[str] = set()
    with session_scope(engine_for(current().database_url)) as s:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, (String, Text)):
                    for v in s.scalars(select(column).distinct()):
                        if v and HAN.search(v):  # the whole text and each of its lines (lists kept a line each)
                            words |= {v.strip(), *(line.strip() for line in v.splitlines() if line.strip())}
                elif isinstance(column.type, JSON):  # lists people typed (what to bring)
                    words |= {v for row in s.scalars(select(column)) if isinstance(row, list)
                              for v in row if isinstance(v, str) and HAN.search(v)}
    return words


def _chinese_problems(found):
    return [(w, s) for w, s in found
            if RAW_KEY.match(s.strip()) or RAW_JSON.match(s) or ISO_WEEK.search(s) or any(s.strip() == e or (len(e) > 4 and e in s) for e in STREAMLIT_ENGLISH)]


def _english_problems(found, own: set[str]):
    bad = []
    for where, s in found:
        if where.startswith("dataframe.cell"):
            continue  # rows are people's records
        rest = re.sub(r"\\(.)", r"\1", s)  # as the browser shows markdown-escaped text
        for word in sorted(own, key=len, reverse=True):
            rest = rest.replace(word, "")
        if HAN.search(rest) or RAW_KEY.match(s.strip()) or RAW_JSON.match(s) or ISO_WEEK.search(s):
            bad.append((where, s))
    return bad


def _pages(at) -> list[str]:
    return [info["url_pathname"] for info in at._registered_pages.values() if info.get("url_pathname")]


@pytest.mark.parametrize("role", [None, "staff", "admin"])
def test_every_page_speaks_one_language(demo_db, sign_in_as, role):
    if role:
        sign_in_as(role)
    shown = []
    for lang in ("zh", "en"):
        at = open_app(lang)
        for path in _pages(at):
            page = open_page(at, path)
            assert not page.exception, (lang, path, page.exception)
            found = seen(page)
            assert found, (lang, path)
            shown.append((lang, path, found))
    own = _own_words()  # after the pages ran: some seed what they show (the assistant's FAQ)
    problems = {}
    for lang, path, found in shown:
        bad = _chinese_problems(found) if lang == "zh" else _english_problems(found, own)
        if bad:
            problems[f"{lang} /{path}"] = sorted(set(bad))[:12]
    assert not problems, "\n".join(f"{page}: {bad}" for page, bad in problems.items())
