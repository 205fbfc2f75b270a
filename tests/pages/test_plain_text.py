"""Issue 14 item 10: what a person typed (names, titles, equipment, messages) is shown as plain text:
each hostile string below reaches the page escaped, so markdown never makes it an image, a link,
bold text or HTML, and it still reads literally once the escapes are shown."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from db.engine import engine_for, session_scope
from db.models import Cleanup
from qingxi import cleanups as cu
from qingxi.core.settings import current
from tests.pages.conftest import open_app, open_page

HOSTILE = ["![x](//evil.example/r.png)", "[link](http://evil.example)", "<img src=x onerror=alert(1)>", "**bold**"]


def db():
    return engine_for(current().database_url)


def shown(at) -> list[str]:
    """Every piece of the page Streamlit renders as markdown."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success",
                                  "warning", "error") for e in getattr(at, kind)]
    return parts + [p.proto.label for p in at.get("page_link")]


def check(at, raw: str) -> None:
    assert not at.exception
    parts = shown(at)
    assert any(raw in p.replace("\\", "") for p in parts), raw         # it is there, literally
    for p in parts:
        assert raw not in p                                             # ... never as live markdown or HTML
        assert not re.search(r"(?<!\\)\]\((//|http://)evil|(?<!\\)<img", p)  # no unescaped link or tag


@pytest.mark.parametrize("raw", HOSTILE)
def test_a_days_title_leader_and_equipment_are_plain_text_on_every_clean_up_page(demo_db, raw):
    ev = next(e for e in cu.events(db(), None) if "世界环境日" in e.title)
    with session_scope(db()) as s:
        s.execute(update(Cleanup).where(Cleanup.id == ev.id).values(
            title=f"清理日 {raw}", leader_name=raw, equipment=raw))  # one item a line
    check(open_page(open_app(), "cleanups"), raw)          # the public list's card
    at = open_app()
    at.query_params["id"] = str(ev.id)
    at = open_page(at, "cleanups")                          # the day's page: title, leader, equipment
    check(at, raw)
    assert sum(raw in p.replace("\\", "") for p in shown(at)) >= 3
    code = cu.sign_up(db(), ev.id, "志愿者", "13812345678").code
    at = open_app()
    at.query_params["code"] = code
    check(open_page(at, "cleanup-signup"), raw)             # the sign-up's page links the day by its title


@pytest.mark.parametrize("raw", HOSTILE)
def test_a_reporters_public_name_is_plain_text_on_the_status_page(file_report, raw):
    code = file_report(name=raw, visibility="public")
    at = open_app()
    at.query_params["code"] = code
    check(open_page(at, "track"), raw)


@pytest.mark.parametrize("raw", HOSTILE)
def test_the_desk_shows_a_reporters_name_as_typed(file_report, sign_in_as, raw):
    from sqlalchemy import select
    from streamlit.testing.v1 import AppTest

    from db.models import Report

    code = file_report(name=raw, phone="13700000000")
    with session_scope(db()) as s:
        rid = s.scalars(select(Report.id).where(Report.code == code)).one()
    sign_in_as("staff")
    at = AppTest.from_function(_desk_alone, default_timeout=30).run()
    at.button(key=f"open{rid}").click().run()
    check(at, raw)


def _desk_alone() -> None:
    from pages import triage

    triage.render()
