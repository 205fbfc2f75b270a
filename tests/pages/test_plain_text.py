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


# ---------------------------------------------------------------- issue 18: the pledge and face-to-face days

def typed(at) -> list[str]:
    """What the page shows as plain text: st.text and the cells of every table."""
    return [e.value for e in at.text] + [str(cell) for d in at.dataframe for col in d.value.columns
                                          for cell in d.value[col]]


def check_typed(at, raw: str, least: int = 1) -> None:
    """`raw` is on the page as typed (plain text, or escaped markdown) at least `least` times, and
    never live markdown or HTML."""
    assert not at.exception
    parts = shown(at)
    found = sum(raw in p.replace("\\", "") for p in parts) + sum(raw in p for p in typed(at))
    assert found >= least, raw
    for p in parts:
        assert raw not in p
        assert not re.search(r"(?<!\\)\]\((//|http://)evil|(?<!\\)<img", p)


def _alone(name: str) -> None:
    from pages import meetings, pledge

    {"pledge": pledge.render, "pledge-doors": pledge.doors, "meetings": meetings.render,
     "meetings-desk": meetings.desk}[name]()


def alone(name: str, **query):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_alone, args=(name,), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = str(value)
    return at.run()


@pytest.mark.parametrize("raw", HOSTILE)
def test_household_names_and_the_pledge_title_are_plain_text_on_the_pledge_pages(sign_in_as, raw):
    from qingxi import pledge
    from tests.support.people import VILLAGE

    staff = sign_in_as("staff")
    pledge.edit_text(db(), staff, f"倡议书 {raw}", f"正文 {raw}")
    pledge.sign(db(), VILLAGE, 3, "13800000001", household=raw[:30])
    at = alone("pledge")
    check_typed(at, raw[:30], least=3)  # the title, the text, the households that signed lately
    assert any(raw[:30] in e.value for e in at.text)  # the household as its family typed it
    rep = sign_in_as("representative", "rep")
    pledge.assign_representative(db(), staff, rep.id, VILLAGE)
    pledge.record_visit(db(), rep, VILLAGE, f"{raw[:20]}号", "not_home", note=raw)
    at = alone("pledge-doors")
    check_typed(at, raw)  # the note on the representative's table
    check_typed(at, f"{raw[:20]}号")  # ... and the door


@pytest.mark.parametrize("raw", HOSTILE)
def test_names_opinions_and_answers_are_plain_text_on_the_face_to_face_pages(sign_in_as, raw):
    from datetime import timedelta

    from db import accounts_queries
    from db.models import Meeting
    from qingxi import meetings as mt
    from qingxi.core import clock

    staff = sign_in_as("staff")
    with session_scope(db()) as s:
        unit = accounts_queries.add_unit(s, f"水利局 {raw}").id
    mid = mt.schedule(db(), staff, clock.now() + timedelta(days=3), f"联络站 {raw}", f"主题 {raw}",
                      f"水利局 — {raw}", 5)
    mt.publish(db(), staff, mid)
    check_typed(alone("meetings"), raw, least=3)  # the day's card: topic, place, invited
    mt.register(db(), mid, f"王{raw}"[:20], "13800000001", opinion=f"意见 {raw}")
    said = mt.record_opinion(db(), staff, mid, f"现场 {raw}")
    first = mt.staff_lines(db(), staff, mid)[0].opinion_id
    mt.respond(db(), staff, first, "commitment", f"答复 {raw}", official=raw[:60], unit_id=unit,
               due_on=clock.now().date() + timedelta(days=30))
    mt.respond(db(), staff, said, "answer", f"回答 {raw}")
    at = alone("meetings-desk")
    check_typed(at, raw, least=5)  # a registration's name, both opinions, both answers, the unit
    with session_scope(db()) as s:
        s.get(Meeting, mid).starts_at = clock.now() - timedelta(hours=1)
    check_typed(alone("meetings"), raw)  # the past day's link names its topic
    at = alone("meetings", id=mid)
    check_typed(at, raw, least=6)  # the minutes: topic, place, opinions, answers, the official, the unit
    assert not any(f"王{raw}"[:20] in p for p in shown(at) + typed(at))  # never a villager's name
