"""A deputy in a real browser: signs in, sees the overdue proposal flagged on their home, opens
the answered one, rates it 不满意 with reasons, sees it back in handling and downloads its dossier."""
import pytest
from sqlalchemy import select

from db.engine import make_engine, session_scope
from db.models import Proposal
from tests.support.browser import sign_in, wait_idle

pytestmark = pytest.mark.e2e


def _state(engine, title_part: str) -> str:
    with session_scope(engine) as s:
        return s.scalars(select(Proposal.state).where(Proposal.title.contains(title_part))).one()


def test_a_deputy_rates_an_answer_unsatisfied_and_it_goes_back_to_handling(chromium, demo_server):
    engine = make_engine(demo_server.env["DATABASE_URL"])
    page = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(page, demo_server.url, "demo-deputy", demo_server.demo_password("demo-deputy"))
    page.goto(f"{demo_server.url}/my-proposals?lang=zh")
    wait_idle(page)
    page.get_by_role("heading", name="我的建议").first.wait_for(timeout=30_000)
    overdue = page.get_by_test_id("stAlertContentError").filter(has_text="关于在清溪沿岸增设垃圾收集点的建议")
    overdue.wait_for(timeout=30_000)
    assert "已超过办理期限" in overdue.inner_text()
    awaiting = page.get_by_test_id("stAlertContentWarning").filter(has_text="非法捕捞")
    assert "已答复，请您评价" in awaiting.inner_text()

    with session_scope(engine) as s:
        number = s.scalars(select(Proposal.number).where(Proposal.title.contains("非法捕捞"))).one()
    page.get_by_role("link", name=f"打开建议 {number}").click()
    page.wait_for_url(lambda url: "/proposal?" in url and "id=" in url)
    wait_idle(page)
    page.get_by_role("heading", name="关于加强清溪水域非法捕捞整治的建议").first.wait_for(timeout=30_000)
    form = page.get_by_test_id("stForm").filter(has_text="评价意见")
    form.get_by_text("不满意", exact=True).click()
    form.get_by_label("评价意见（不满意时必填）").fill("夜间巡查没有覆盖下游的几个村。")
    form.get_by_role("button", name="评价").click()
    wait_idle(page)
    page.get_by_text("已办理。").wait_for(timeout=30_000)
    page.get_by_test_id("stAlertContentInfo").filter(has_text="办理中").wait_for(timeout=30_000)
    assert _state(engine, "非法捕捞") == "handling"
    page.get_by_text("夜间巡查没有覆盖下游的几个村。").first.wait_for()   # the reason is on the timeline

    with page.expect_download() as download:
        page.get_by_role("button", name="下载打印卷宗（HTML）").click()
    html = open(download.value.path(), encoding="utf-8").read()
    assert "关于加强清溪水域非法捕捞整治的建议" in html and "<svg" in html and "@media print" in html
    assert "夜间巡查没有覆盖下游的几个村。" in html and "电话告知联合巡查安排。" not in html  # no contact log
