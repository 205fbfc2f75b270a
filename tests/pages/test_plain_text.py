"""Issue 14 item 10: what a person typed (names, titles, equipment, messages) is shown as plain text:
each hostile string below reaches the page escaped, so markdown never makes it an image, a link,
bold text or HTML, and it still reads literally once the escapes are shown. Pages: the clean-up
days (public and staff: roster, check-in), the status page, the desk, the proposals register and a
deputy's home, every proposal page for every role, the dashboard, the map (its tooltips are text
only), the accounts list and one's own account, the downloads."""
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

# ---------------------------------------------------------------- every other page, with hostile names everywhere

def everything_hostile(raw: str) -> None:
    """Every name and title a person typed, on every row the demo data has: accounts' display names,
    units, villages, proposals (title, lead, co-signers, answers' and contacts' authors, history,
    extension reason, results), clean-up days' titles; and an answer's attachment labelled `raw`."""
    from sqlalchemy import select

    from db import models as m
    from qingxi import proposals as P

    with session_scope(db()) as s:
        for i, unit in enumerate(s.scalars(select(m.Unit).order_by(m.Unit.id))):
            unit.name = f"{raw} {i}"                                   # unit names are unique
        s.execute(update(m.User).values(display_name=raw))
        s.execute(update(m.Village).values(name=m.Village.name + " " + raw))
        s.execute(update(m.Proposal).values(title=m.Proposal.title + " " + raw, lead_deputy_name=raw))
        s.execute(update(m.ProposalSigner).values(name=raw))
        s.execute(update(m.ProposalAnswer).values(author_name=raw))
        s.execute(update(m.ProposalContact).values(author_name=raw))
        s.execute(update(m.ProposalEvent).values(actor=raw))
        s.execute(update(m.ProposalExtension).values(reason=raw, requested_by_name=raw))
        s.execute(update(m.ProposalResult).values(title=m.ProposalResult.title + " " + raw))
        s.execute(update(Cleanup).values(title=Cleanup.title + " " + raw))
        answer = s.scalars(select(m.ProposalAnswer).order_by(m.ProposalAnswer.id)).first()
        folder = P.attachment_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "hostile.pdf").write_bytes(b"%PDF-1.4\n")
        s.add(m.ProposalAttachment(answer_id=answer.id, kind="pdf", label=raw, sha256="0" * 64,
                                   file_name="hostile.pdf", size=9))


def labelled(at) -> list[str]:
    """What Streamlit renders as markdown beyond shown(): progress bars', buttons', download and
    link buttons' and expanders' labels."""
    return ([p.proto.text for p in at.get("progress")] + [b.label for b in at.button]
            + [b.proto.label for kind in ("download_button", "link_button") for b in at.get(kind)]
            + [e.label for e in at.expander])


def check_all(at, raw: str, present: bool = True) -> None:
    """check() over every markdown-rendered piece; `present`: the raw text must be shown somewhere."""
    assert not at.exception, at.exception
    parts = shown(at) + labelled(at)
    if present:
        assert any(raw in p.replace("\\", "") for p in parts), raw
    for p in parts:
        assert raw not in p, p
        assert not re.search(r"(?<!\\)\]\((//|http://)evil|(?<!\\)<img", p), p


def as_demo(monkeypatch, username: str) -> None:
    import ui
    from qingxi import accounts
    from tests.support.demo_passwords import demo_password

    token = accounts.sign_in(db(), username, demo_password(username), "127.0.0.1")
    monkeypatch.setattr(ui, "session_token", lambda: token)


def proposal_ids() -> dict[int, str]:
    from sqlalchemy import select

    from db.models import Proposal

    with session_scope(db()) as s:
        return dict(s.execute(select(Proposal.id, Proposal.state)).all())


@pytest.mark.parametrize("raw", HOSTILE)
def test_the_proposals_register_and_a_deputys_home_show_titles_and_names_as_typed(demo_db, monkeypatch, raw):
    everything_hostile(raw)
    check_all(open_page(open_app(), "proposals"), raw)          # the public list: published titles, leads
    as_demo(monkeypatch, "demo-staff")
    check_all(open_page(open_app(), "proposals"), raw)          # the whole register: holders too
    as_demo(monkeypatch, "demo-deputy")
    at = open_page(open_app(), "my-proposals")                  # alerts name the proposal by its title
    check_all(at, raw)
    assert any(raw in e.value.replace("\\", "") for e in [*at.error, *at.warning])


@pytest.mark.parametrize("raw", HOSTILE)
def test_every_proposal_page_shows_titles_names_captions_and_results_as_typed(demo_db, monkeypatch, raw):
    everything_hostile(raw)
    ids = proposal_ids()
    for who in (None, "demo-staff", "demo-deputy", "demo-handler"):
        if who:
            as_demo(monkeypatch, who)
        for pid, state in ids.items():
            at = open_app()
            at.query_params["id"] = str(pid)
            at = open_page(at, "proposal")
            if at.error and at.error[0].value == "找不到这件建议，或您无权查看。":
                continue                                        # not theirs to see
            check_all(at, raw)
            assert raw in at.title[0].value.replace("\\", "")
    as_demo(monkeypatch, "demo-staff")
    published = next(pid for pid, state in ids.items() if state == "published")
    at = open_app()
    at.query_params["id"] = str(published)
    at = open_page(at, "proposal")
    assert any(raw in b.proto.label.replace("\\", "") for b in at.get("download_button"))  # the attachment's caption
    assert any(raw in p.proto.text.replace("\\", "") for p in at.get("progress"))        # a result's title


@pytest.mark.parametrize("raw", HOSTILE)
def test_the_status_page_names_linked_proposals_and_clean_up_days_as_typed(demo_db, raw):
    from sqlalchemy import select

    from db.models import Proposal, ProposalReportLink, Report

    everything_hostile(raw)
    with session_scope(db()) as s:
        code = s.scalar(select(Report.code).join(ProposalReportLink, ProposalReportLink.report_id == Report.id)
                        .join(Proposal, Proposal.id == ProposalReportLink.proposal_id)
                        .where(Proposal.state == "published"))
    at = open_app()
    at.query_params["code"] = code
    at = open_page(at, "track")
    check_all(at, raw)
    assert any(raw in p.proto.label.replace("\\", "") for p in at.get("page_link"))


def _cell_texts(at) -> str:
    return "\n".join(str(v) for df in at.dataframe for v in df.value.astype(str).to_numpy().ravel())


@pytest.mark.parametrize("raw", HOSTILE)
def test_the_dashboard_shows_villages_and_units_as_typed(demo_db, monkeypatch, raw):
    everything_hostile(raw)
    as_demo(monkeypatch, "demo-staff")
    at = open_page(open_app(), "dashboard")
    check_all(at, raw, present=False)
    assert raw in _cell_texts(at)                                # the overdue list's villages, as typed


@pytest.mark.parametrize("raw", HOSTILE)
def test_the_map_shows_village_names_in_text_tooltips_only(demo_db, raw):
    import json

    everything_hostile(raw)
    at = open_page(open_app(), "map")
    check_all(at, raw, present=False)
    [chart] = at.get("deck_gl_json_chart")
    assert json.loads(chart.proto.tooltip) == {"text": "{tip}"}  # the browser sets innerText, never innerHTML
    spec = json.loads(chart.proto.json)
    tips = [d.get("tip", "") for layer in spec["layers"] for d in (layer.get("data") or [])
            if isinstance(d, dict)]
    assert any(raw in tip for tip in tips)                       # the village's name travels as typed


@pytest.mark.parametrize("raw", HOSTILE)
def test_the_accounts_list_and_ones_own_account_show_display_names_as_typed(demo_db, monkeypatch, raw):
    everything_hostile(raw)
    as_demo(monkeypatch, "demo-admin")
    at = open_page(open_app(), "accounts")
    check_all(at, raw, present=False)
    assert raw in _cell_texts(at)
    at = open_page(open_app(), "account")                       # one's own name as the page's title
    check_all(at, raw)


@pytest.mark.parametrize("raw", HOSTILE)
def test_the_downloads_page_shows_no_typed_text(demo_db, monkeypatch, raw):
    everything_hostile(raw)
    check_all(open_page(open_app(), "downloads"), raw, present=False)
    as_demo(monkeypatch, "demo-staff")
    check_all(open_page(open_app(), "downloads"), raw, present=False)


def _day_alone() -> None:
    from pages import cleanups_staff

    cleanups_staff.day()


@pytest.mark.parametrize("raw", HOSTILE)
def test_the_staff_roster_and_the_check_in_message_show_a_volunteers_name_and_village_as_typed(
        demo_db, monkeypatch, raw):
    from streamlit.testing.v1 import AppTest

    ev = next(e for e in cu.events(db(), None) if "世界环境日" in e.title)
    from sqlalchemy import select

    from db.models import Village

    with session_scope(db()) as s:
        village = s.scalars(select(Village.code).order_by(Village.id)).first()
    code = cu.sign_up(db(), ev.id, raw, "13812345679", village_code=village).code
    everything_hostile(raw)                                     # the volunteer's village too
    as_demo(monkeypatch, "demo-staff")
    at = AppTest.from_function(_day_alone, default_timeout=60)
    at.query_params["id"] = str(ev.id)
    at = at.run()
    check_all(at, raw)                                          # the roster line: name and village
    at.text_input(key="checkin_code").input(code)
    at.button(key="FormSubmitter:check_in-签到").click().run()
    check_all(at, raw)
    assert raw in at.success[0].value.replace("\\", "")          # 签到成功：<the name as typed>
