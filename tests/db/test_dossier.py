"""The printable dossier (qingxi.dossier) of a proposal walked through the services: parsed with
html.parser, it holds the text, signers, units, history, every reply, the evaluation, results with
progress, an inline SVG of the river section and the linked reports' thumbnails as data: URIs —
all user text escaped, and never a reporter's name or phone, nor the communication log."""
from __future__ import annotations

import base64
from datetime import timedelta
from html.parser import HTMLParser

from sqlalchemy import select

from db.engine import session_scope
from db.models import Report
from qingxi import proposals as P
from qingxi.core import places
from qingxi.proposals import dossier
from qingxi.reports import intake
from tests.db.test_proposals import T0, new_proposal, u, w  # noqa: F401  (w is a fixture)
from tests.support.photo_samples import gps_ifd, jpeg


class Parsed(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)

    @property
    def words(self) -> str:
        return "\n".join(self.text)

    def all(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]


def _walk(w, tmp_path):  # noqa: F811
    """A proposal with a tricky title, a linked report filed with a name and phone, contact, answer
    with an image attachment, a result with progress, a follow-up; evaluated and published."""
    e, staff, handler, lead = w.engine, u(w, "staff"), u(w, "lead_handler"), u(w, "lead")
    with session_scope(e) as s:
        where = intake.place(s, 121.398, 29.1492, "gps")
    code = intake.submit(e, intake.Submission([jpeg((640, 480), gps=gps_ifd(121.398, 29.1492))], "bank_litter",
                                              where, name="王小明", phone="13912345678"), w.photo_dir).code
    with session_scope(e) as s:
        rid = s.scalar(select(Report.id).where(Report.code == code))
    pid = new_proposal(w, title='关于<script>alert("x")</script>清溪 & 绿道的建议',
                       body="第一段：<b>不是标签</b>\n第二段。")
    P.assign(e, staff, pid, w.u_lead, [w.u_co], now=T0)
    P.sign(e, handler, pid, now=T0 + timedelta(days=1))
    P.log_contact(e, handler, pid, (T0 + timedelta(days=2)).date(), "phone", "电话联系代表 13800001111",
                  now=T0 + timedelta(days=2))
    P.answer(e, handler, pid, "B", "绿道列入计划分年实施。", [("现场照片", jpeg((800, 600)))],
             now=T0 + timedelta(days=10), photo_dir=w.photo_dir)
    P.add_result(e, handler, pid, "greenway", "新建绿道一期", weight=2, progress=40, status="in_progress",
                 river_km=2.0, now=T0 + timedelta(days=11), photo_dir=w.photo_dir)
    P.evaluate(e, lead, pid, "basically", "希望加快", now=T0 + timedelta(days=12))
    P.link_report(e, staff, pid, rid, now=T0 + timedelta(days=12))
    P.publish(e, staff, pid, now=T0 + timedelta(days=13))
    return pid, code


def test_the_dossier_holds_everything_escaped_with_embedded_images(w, tmp_path):  # noqa: F811
    pid, code = _walk(w, tmp_path)
    d = P.detail(w.engine, u(w, "staff"), pid, now=T0 + timedelta(days=14))
    html = dossier.build(d, "zh", places.river_section(w.engine, d.km_from, d.km_to), photo_dir=w.photo_dir)
    page = Parsed(html)
    words = page.words
    assert '关于<script>alert("x")</script>清溪 & 绿道的建议' in words       # shown as text …
    assert "<script>" not in html and not page.all("script") and not page.all("b")  # … never as markup
    assert "第一段：<b>不是标签</b>" in words
    assert "周代表" in words and "张代表" in words and "王五" in words           # lead and co-signers
    assert "三门县水利局" in words and "沙柳街道办事处" in words                  # lead and co-units
    assert "绿道列入计划分年实施。" in words and "B类：正在解决或列入计划解决" in words
    assert "基本满意" in words
    assert "新建绿道一期" in words and "40%" in words
    assert any("width:40%" in (a.get("style") or "") for a in page.all("span"))   # the progress bar
    for event in ("交办", "签收", "答复", "代表评价", "公开"):
        assert event in words
    assert "@media print" in page.style
    svg = page.all("svg")
    assert len(svg) == 1 and page.all("polyline")
    assert {c.get("class") for c in page.all("circle")} == {"result", "report"}
    images = [a["src"] for a in page.all("img")]
    assert images and all(src.startswith("data:image/jpeg;base64,") for src in images)
    assert base64.b64decode(images[0].split(",", 1)[1])[:2] == b"\xff\xd8"        # a real JPEG
    assert not [a for a in page.all("link")] and "http" not in "".join(images)     # self-contained
    # privacy: no reporter name or phone, no tracking code, no communication log
    assert "王小明" not in html and "13912345678" not in html and code not in html
    assert "13800001111" not in html and "电话联系代表" not in html


def test_the_dossier_in_english_and_without_results_or_section(w, tmp_path):  # noqa: F811
    pid = new_proposal(w, km_from=None, km_to=None)
    d = P.detail(w.engine, u(w, "staff"), pid, now=T0)
    page = Parsed(dossier.build(d, "en", None, photo_dir=w.photo_dir))
    assert "No results recorded yet" in page.words and "Not answered yet." in page.words
    assert not page.all("svg") and not page.all("img")
    assert page.all("html")[0]["lang"] == "en"


def test_the_section_follows_the_km_range(w):  # noqa: F811
    whole = places.river_section(w.engine, None, None)
    part = places.river_section(w.engine, 1.0, 3.5)
    assert (part.km_from, part.km_to) == (1.0, 3.5) and whole.km_from == 0.0 and whole.km_to > 8
    assert part.path[0] != whole.path[0] and len(part.path) == places.SECTION_POINTS
    clamped = places.river_section(w.engine, 5.0, 99.0)
    assert clamped.km_to == whole.km_to


def test_the_dossier_lists_the_linked_clean_up_days_escaped(w):  # noqa: F811
    from tests.db.test_proposal_cleanups import event

    pid = new_proposal(w)
    cid = event(w, title='<b>清溪</b> & "护河" 清理日')
    other = event(w, title="已取消关联的清理日")
    staff = u(w, "staff")
    P.link_cleanup(w.engine, staff, pid, cid, now=T0)
    P.link_cleanup(w.engine, staff, pid, other, now=T0)
    P.unlink_cleanup(w.engine, staff, pid, other, "关联错了", now=T0)
    d = P.detail(w.engine, staff, pid, now=T0)
    html = dossier.build(d, "zh", None, photo_dir=w.photo_dir)
    page = Parsed(html)
    assert '<b>清溪</b> & "护河" 清理日' in page.words and not page.all("b")   # text, never markup
    line = next(x for x in page.text if "护河" in x)
    assert (T0 + timedelta(days=30)).astimezone(dossier.settings().timezone).date().isoformat() in line
    assert "报名中" in line
    assert "已取消关联的清理日" not in html                                    # unlinked: gone
