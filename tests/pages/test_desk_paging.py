"""The desk at scale, as staff see it: the queue comes a page at a time with the total, and the
search finds any report by its tracking code (ended ones too) or by category."""
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import engine_for, session_scope
from db.models import Report
from qingxi.core.settings import current
from qingxi.reports import triage
from tests.pages.test_desk import desk


def _ids(at: AppTest) -> list[int]:
    return [int(b.key[4:]) for b in at.button if b.key and b.key.startswith("open")]


def test_the_queue_comes_a_page_at_a_time_with_the_total(file_report, sign_in_as, monkeypatch):
    monkeypatch.setattr(triage, "PAGE_SIZE", 2)
    codes = [file_report() for _ in range(5)]
    sign_in_as("staff")
    at = desk()
    assert not at.exception
    first = _ids(at)
    assert len(first) == 2 and "第 1 / 3 页，共 5 条" in [c.value for c in at.caption]
    at.number_input(key="desk_page").set_value(3).run()
    last = _ids(at)
    at.number_input(key="desk_page").set_value(2).run()
    middle = _ids(at)
    with session_scope(engine_for(current().database_url)) as s:
        every = set(s.scalars(select(Report.id).where(Report.code.in_(codes))))
    assert len(last) == 1 and set(first) | set(middle) | set(last) == every and len(first + middle + last) == 5


def test_a_report_just_filed_is_on_page_one_when_the_newest_come_first(file_report, sign_in_as, monkeypatch):
    monkeypatch.setattr(triage, "PAGE_SIZE", 2)
    for _ in range(4):
        file_report()
    code = file_report()
    with session_scope(engine_for(current().database_url)) as s:
        newest = s.scalar(select(Report.id).where(Report.code == code))
    sign_in_as("staff")
    at = desk()
    assert newest not in _ids(at)  # the first clock to run out first: the older reports
    at.number_input(key="desk_page").set_value(3).run()
    at.toggle(key="desk_newest").set_value(True).run()
    assert not at.exception and _ids(at)[0] == newest
    assert at.number_input(key="desk_page").value == 1 and "第 1 / 3 页，共 5 条" in [c.value for c in at.caption]


def test_staff_find_a_closed_report_by_its_code(file_report, sign_in_as):
    code = file_report()
    other = file_report(category="sewage")
    with session_scope(engine_for(current().database_url)) as s:
        s.execute(Report.__table__.update().where(Report.code == code).values(state="fixed"))
        rid = s.scalar(select(Report.id).where(Report.code == code))
        other_id = s.scalar(select(Report.id).where(Report.code == other))
    sign_in_as("staff")
    at = desk()
    assert rid not in _ids(at)  # ended: not on the queue
    at.text_input(key="find_code").input(code.lower())
    at.button(key="FormSubmitter:desk_search-查找").click().run()
    assert any(f"#{rid}" in m.value and "已解决" in m.value for m in at.markdown)  # by its number, never its code
    at.button(key=f"find{rid}").click().run()
    assert any(f"#{rid}" in h.value for h in at.subheader)  # opened on the desk
    at.text_input(key="find_code").input("")
    at.selectbox(key="find_category").select("sewage")
    at.button(key="FormSubmitter:desk_search-查找").click().run()
    shown = [m.value for m in at.markdown]
    assert any(f"#{other_id}" in v for v in shown) and not any(f"#{rid} " in v or v.startswith(f"#{rid}") for v in shown)
    at.text_input(key="find_code").input("ZZZZZZ")
    at.button(key="FormSubmitter:desk_search-查找").click().run()
    assert "没有符合条件的问题上报。" in [i.value for i in at.info]
