"""The pledge screens under AppTest: a villager signs on the public page and sees the thank-you with
its QR and their village's coverage rise; a second signature from the same phone is refused; a
representative records a door and imports a paper sheet (a bad sheet names its rows and imports
nothing); staff set households and write a new version of the text."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from db.engine import engine_for, session_scope
from db.models import PledgeSignature
from qingxi import pledge
from qingxi.core.settings import current
from tests.support.people import VILLAGE


def _page(name: str) -> None:
    from pages import pledge as pages_pledge

    {"public": pages_pledge.render, "doors": pages_pledge.doors}[name]()


def page(name: str) -> AppTest:
    return AppTest.from_function(_page, args=(name,), default_timeout=60).run()


def db():
    return engine_for(current().database_url)


def signatures() -> int:
    with session_scope(db()) as s:
        return s.scalar(select(func.count()).select_from(PledgeSignature))


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "text", "info", "success", "warning",
                                  "error", "code") for e in getattr(at, kind)]
    parts += [str(d.value) for d in at.dataframe]
    return "\n".join(parts)


@pytest.fixture
def ready(sign_in_as):
    staff = sign_in_as("staff")
    pledge.install_demo_text(db())
    pledge.set_households(db(), staff, VILLAGE, 10)
    return staff


def sign_on_page(phone: str) -> AppTest:
    at = page("public")
    at.selectbox(key="pl_village").set_value(VILLAGE)
    at.number_input(key="pl_people").set_value(4)
    at.text_input(key="pl_phone").input(phone)
    return at.button(key="FormSubmitter:pledge_form-我家签名").click().run()


def coverage_of(at: AppTest, name: str) -> str:
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    dots = next(layer for layer in deck["layers"] if layer["id"] == "coverage")
    return next(d["tip"] for d in dots["data"] if d["label"] == name)


def test_a_villager_signs_and_sees_coverage_rise(ready):
    at = page("public")
    assert not at.exception
    assert "演示文本" in texts(at)
    assert coverage_of(at, "沙柳村") == "沙柳村：0 户已签（0%）"
    at = sign_on_page("13800000001")
    assert not at.exception
    assert "谢谢！沙柳村已有 1 户签名。" in texts(at)
    assert at.image[0].captions == ["扫码转给邻居和亲友"] and at.code[0].value.endswith("/pledge")  # the QR, its link
    assert coverage_of(at, "沙柳村") == "沙柳村：1 户已签（10%）"
    assert "13800000001" not in texts(at)
    assert signatures() == 1


def test_a_second_signature_from_the_same_phone_is_refused(ready):
    sign_on_page("13800000001")
    at = sign_on_page("13800000001")
    assert [e.value for e in at.error] == ["这个手机号码已经签过名了，谢谢！"]
    assert signatures() == 1


def test_the_door_to_door_page_is_closed_to_the_public(app_env):
    at = page("doors")
    assert [e.value for e in at.error] == ["这一页只对选民代表和工作人员开放，请先登录。"]


def test_a_representative_records_a_door_and_imports_a_sheet(sign_in_as):
    staff = sign_in_as("staff", "boss")
    pledge.install_demo_text(db())
    rep = sign_in_as("representative", "rep")
    pledge.assign_representative(db(), staff, rep.id, VILLAGE)
    at = page("doors")
    assert "你负责：**沙柳村**" in texts(at)
    at.text_input(key="pv_household").input("1组3号")
    at.radio(key="pv_outcome").set_value("not_home")
    at = at.button(key="FormSubmitter:pledge_visit-保存").click().run()
    assert "已记录入户情况。" in texts(at) and "不在家" in texts(at)
    bad = "村,户名,人数\n沙柳村,2组1号,3\n,2组2号,2\n沙柳村,2组3号,80\n".encode("utf-8-sig")
    at.get("file_uploader")[0].upload("paper.csv", bad, "text/csv")
    at = at.run()
    shown = texts(at)
    assert "缺少村名。" in shown and "户内人数应为 1 到 30 之间的整数。" in shown
    assert "表格中有 2 行有问题，一行也没有导入。请改正后再上传。" in shown
    assert signatures() == 0
    good = "村,户名,人数,电话\n沙柳村,2组1号,3,\n331022003204,2组2号,2,13800000021\n".encode("utf-8-sig")
    at.get("file_uploader")[0].upload("paper.csv", good, "text/csv")
    at = at.run()
    at = at.button(key="pd_import").click().run()
    assert "已导入 2 户签名。" in texts(at)
    assert signatures() == 2 and "2组2号" in texts(at)
    assert not at.error  # the uploader is empty again: no stale preview of the imported sheet


def test_staff_write_a_new_version(ready):
    at = page("doors")
    at.text_input(key="pt_title").input("关于保护清溪母亲河的倡议书")
    at.text_area(key="pt_body").input("正式文本：人人护河。")
    at = at.button(key="FormSubmitter:pledge_text-保存为新版本").click().run()
    assert "已保存为第 2 版。" in texts(at)
    at = page("public")
    assert "演示文本" not in texts(at) and "正式文本：人人护河。" in texts(at)


def test_a_representative_has_the_door_to_door_page_in_the_menu(sign_in_as):
    from tests.pages.conftest import menu, open_app

    sign_in_as("representative", "rep")
    at = open_app("zh")
    assert not at.exception
    paths = menu(at)
    assert {"pledge-doors", "pledge", "meetings"} <= paths
    assert not {"triage", "meetings-desk", "dashboard"} & paths


def xlsx(rows: list[list]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_representative_walks_a_street_and_imports_an_excel_sheet(sign_in_as):
    """Done when (issue 18): a representative records a street of households — each call with its
    outcome, one signed on the spot — then imports the paper sheet as an Excel workbook; a wrong
    file type and a bad workbook import nothing, with their reasons."""
    staff = sign_in_as("staff", "boss")
    pledge.install_demo_text(db())
    pledge.set_households(db(), staff, VILLAGE, 8)
    rep = sign_in_as("representative", "rep")
    pledge.assign_representative(db(), staff, rep.id, VILLAGE)
    at = page("doors")
    street = [("1组1号", "visited", "", "再来一次"), ("1组2号", "signed", "13800000031", ""),
              ("1组3号", "not_home", "", "晚上再来"), ("1组4号", "declined", "", ""), ("1组3号", "signed", "", "")]
    for door, how, phone, note in street:
        at.text_input(key="pv_household").input(door)
        at.radio(key="pv_outcome").set_value(how)
        at.text_input(key="pv_phone").input(phone)
        at.text_input(key="pv_note").input(note)
        at = at.button(key="FormSubmitter:pledge_visit-保存").click().run()
        assert not at.error, door
    [table] = [d.value for d in at.dataframe]
    assert list(table["户（户名或门牌）"]) == ["1组1号", "1组2号", "1组3号", "1组4号"]
    assert list(table["结果"]) == ["已走访", "已签名", "已签名", "婉拒"]  # a door's latest call
    assert list(table["走访次数"]) == [1, 1, 2, 1]
    assert signatures() == 2
    # a wrong file type: refused by its bytes, whatever its name says
    at.get("file_uploader")[0].upload("paper.xlsx", b"\x89PNG\r\n\x1a\n not a workbook", "application/octet-stream")
    at = at.run()
    assert "文件类型不对：请上传 CSV 或 Excel（.xlsx）表格。" in [e.value for e in at.error]
    # a workbook with an unknown village and a duplicate row: each named, nothing imported
    bad = xlsx([["村", "户名", "人数", "电话"], ["沙柳村", "2组1号", 3, None], ["没有这个村", "2组2号", 2, None],
                ["沙柳村", "2组1号", 3, None], ["沙柳村", "1组2号", 4, None]])
    at.get("file_uploader")[0].upload("paper.xlsx", bad, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at = at.run()
    shown = texts(at)
    assert "没有这个村（社区）。" in shown and "与表格中前面的一行重复。" in shown
    assert "这一户已经签过名了。" in shown  # 1组2号 signed on the spot
    assert "表格中有 3 行有问题，一行也没有导入。请改正后再上传。" in shown and signatures() == 2
    good = xlsx([["村", "户名", "人数", "电话"], ["沙柳村", "2组1号", 3, None], ["沙柳村", "2组2号", 5, 13800000032]])
    at.get("file_uploader")[0].upload("paper.xlsx", good, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at = at.run()
    at = at.button(key="pd_import").click().run()
    assert "已导入 2 户签名。" in texts(at) and signatures() == 4
    [share] = [c.share for c in pledge.coverage(db()) if c.code == VILLAGE]
    assert share == 0.5  # 4 of the village's 8 households
    public = page("public")
    assert coverage_of(public, "沙柳村") == "沙柳村：4 户已签（50%）"
