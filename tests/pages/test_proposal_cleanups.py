"""A proposal's page shows the volunteer clean-up days linked to it, each a link to the day's page;
staff (and the proposal's deputies) link and unlink them there, refusals in words, nothing changed."""
from __future__ import annotations

from sqlalchemy import func, select

from db.engine import session_scope
from db.models import ProposalCleanupLink
from qingxi import cleanups as cu
from qingxi import proposals as P
from tests.pages.test_proposals import (  # noqa: F401
    _audit_count,
    _db,
    _md,
    _proposal,
    _staff,
    as_demo,
    proposal_page,
    texts,
)

LINK = "FormSubmitter:pa_cleanup-关联志愿者清理活动"


def _day(state: str) -> cu.Event:
    return next(e for e in cu.events(_db(), None) if e.state == state)


def _links(at, cid: int) -> list:
    return [p.proto for p in at.get("page_link") if p.proto.page == "cleanups" and p.proto.query_string == f"id={cid}"]


def _active_links(pid: int) -> int:
    with session_scope(_db()) as s:
        return s.scalar(select(func.count()).select_from(ProposalCleanupLink).where(
            ProposalCleanupLink.proposal_id == pid, ProposalCleanupLink.unlinked_at.is_(None)))


def test_staff_link_a_clean_up_day_through_the_page_and_it_links_to_the_day(as_demo):
    as_demo("demo-staff")
    pid, day = _proposal("两岸综合整治").id, _day("published")
    at = proposal_page(pid)
    assert "还没有关联的志愿者清理活动。" in texts(at) and not _links(at, day.id)
    at.selectbox(key="pa_cleanup_pick").select(day.id)
    at.button(key=LINK).click().run()
    assert not at.exception and at.success[0].value == "已办理。"
    [link] = _links(at, day.id)
    assert _md(day.title) in link.label and "报名中" in link.label
    assert not [o for o in at.selectbox(key="pa_cleanup_pick").options if day.title in o]  # no longer offered
    assert [c.id for c in P.detail(_db(), _staff(), pid).cleanups] == [day.id]
    assert "关联志愿者清理日" in texts(at)                                      # on the timeline


def test_unlinking_with_a_reason_removes_the_day_and_the_history_says_why(as_demo):
    as_demo("demo-staff")
    pid, day = _proposal("两岸综合整治").id, _day("published")
    P.link_cleanup(_db(), _staff(), pid, day.id)
    at = proposal_page(pid)
    assert _links(at, day.id)
    at.text_input(key=f"pa_uncleanup_reason_{day.id}").input("不是这件建议带来的活动")
    at.button(key=f"FormSubmitter:pa_uncleanup_{day.id}-取消关联").click().run()
    assert not at.exception and at.success[0].value == "已办理。"
    assert not _links(at, day.id) and "还没有关联的志愿者清理活动。" in texts(at)
    shown = texts(at)
    assert "取消关联志愿者清理日" in shown and f"#{day.id} 不是这件建议带来的活动" in shown
    assert _active_links(pid) == 0


def test_the_public_sees_the_linked_days_of_a_published_proposal_but_no_link_form(demo_db):
    pid, day = _proposal("两岸综合整治").id, _day("reported")
    P.link_cleanup(_db(), _staff(), pid, day.id)
    at = proposal_page(pid)
    assert not at.exception
    [link] = _links(at, day.id)
    assert _md(day.title) in link.label and "已公布成果" in link.label
    assert f"{day.results.kg:g} 公斤" in link.label
    assert not [f for f in at.get("form") if f.key.startswith("pa_")]
    assert not [e for e in at.expander if "清理活动" in e.label]


def test_linking_a_day_linked_meanwhile_is_refused_and_changes_nothing(as_demo):
    """The page was open when someone else linked the same day: the refusal in words, one link."""
    as_demo("demo-staff")
    pid, day = _proposal("两岸综合整治").id, _day("published")
    at = proposal_page(pid)
    P.link_cleanup(_db(), _staff(), pid, day.id)       # in another tab
    before = _audit_count()
    at.selectbox(key="pa_cleanup_pick").select(day.id)
    at.button(key=LINK).click().run()
    assert [e.value for e in at.error] == ["这次清理活动已经关联到本建议。"]
    assert _audit_count() == before and _active_links(pid) == 1
    at.button(key=LINK).click().run()                 # nothing picked
    assert [e.value for e in at.error] == ["找不到这次志愿者清理活动。"]
    assert _audit_count() == before


def test_unlinking_a_day_unlinked_meanwhile_is_refused(as_demo):
    as_demo("demo-staff")
    pid, day = _proposal("两岸综合整治").id, _day("published")
    P.link_cleanup(_db(), _staff(), pid, day.id)
    at = proposal_page(pid)
    P.unlink_cleanup(_db(), _staff(), pid, day.id, "另一个窗口")
    before = _audit_count()
    at.button(key=f"FormSubmitter:pa_uncleanup_{day.id}-取消关联").click().run()
    assert [e.value for e in at.error] == ["这次清理活动没有关联到本建议。"]
    assert _audit_count() == before


def test_english_words_for_the_linked_days(as_demo):
    as_demo("demo-staff")
    pid, day = _proposal("两岸综合整治").id, _day("reported")
    P.link_cleanup(_db(), _staff(), pid, day.id)
    at = proposal_page(pid, "en")
    assert not at.exception and "Clean-up days" in texts(at)
    [link] = _links(at, day.id)
    assert f"{day.results.kg:g} kg" in link.label
