"""Demo proposals: the 1st–5th meetings of the 16th Sanmen County People's Congress and the
article's eight proposals (seed/article.txt), walked through the real services of
qingxi.proposals with a frozen clock, so their history, audit and deadlines are what the app
itself would have written.

Two are the article's, by title, with the deputies it names (周衍超, 张学法, as names: they have no
account); the other six are invented and say 【演示数据 DEMO】 in their title. The demo deputy
account leads four of them so its home is not empty. The meeting dates are plausible (the first
in January 2017, as the article says), not checked against the county's records.

Loaded by `python -m qingxi setup` after the demo reports and accounts (first run only).
"""
from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import Engine

from db import accounts_queries, places_queries
from db import proposals_queries as q
from db.engine import session_scope
from db.models import CongressSession, utcnow
from qingxi import proposals as P
from qingxi.core import places
from qingxi.ops import demo

DEMO = demo.DEMO_NOTE
SESSIONS = [  # meeting, held on
    (1, date(2017, 1, 10)), (2, date(2018, 1, 16)), (3, date(2019, 1, 15)), (4, date(2020, 5, 12)),
    (5, date(2021, 1, 19)),
]
ORDINAL_ZH = "一二三四五"
ORDINAL_EN = ("1st", "2nd", "3rd", "4th", "5th")
UNITS = {"water": "三门县水利局（演示）", "subdistrict": "沙柳街道办事处（演示）",
         "tourism": "三门县文化和旅游局（演示）", "environment": "台州市生态环境局三门分局（演示）"}


def _at(day: date, hour: int = 10) -> datetime:
    """10:00 in Shanghai on that day, as UTC."""
    return datetime.combine(day, time(hour - 8), timezone.utc)


def _picture(title: str, progress: int) -> bytes:
    img = Image.new("RGB", (960, 720), (90, 150, 110))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 430, 960, 720), fill=(70, 120, 170))
    draw.text((40, 40), "DEMO", fill=(255, 255, 255), font=ImageFont.load_default(size=64))
    draw.text((40, 130), f"{progress}%", fill=(255, 255, 255), font=ImageFont.load_default(size=48))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _sessions(engine: Engine) -> dict[int, int]:
    with session_scope(engine) as s:
        ids = {}
        for meeting, held in SESSIONS:
            row = q.session_by_meeting(s, 16, meeting)
            if row is None:
                row = CongressSession(
                    name_zh=f"三门县第十六届人民代表大会第{ORDINAL_ZH[meeting - 1]}次会议",
                    name_en=f"{ORDINAL_EN[meeting - 1]} Meeting of the 16th Sanmen County People's Congress",
                    congress=16, meeting=meeting, held_on=held)
                q.add(s, row)
            ids[meeting] = row.id
        return ids


def load(engine: Engine, photo_dir: Path, now: datetime | None = None) -> int:
    """Add the eight demo proposals once (0 when they exist or the demo accounts are missing)."""
    now = now or utcnow()
    with session_scope(engine) as s:
        if q.demo_proposal_count(s):
            return 0
        staff, handler, deputy = (accounts_queries.user_by_name(s, n) for n in ("demo-staff", "demo-handler",
                                                                               "demo-deputy"))
        if staff is None or handler is None or deputy is None:
            return 0
        units = {key: (accounts_queries.unit_by_name(s, name) or accounts_queries.add_unit(s, name)).id
                 for key, name in UNITS.items()}
        units["village"] = handler.unit_id
        river = places.model(s)
        spots = river.candidates(step_m=250)
        village_ids = places_queries.village_ids(s)
        evidence = [r.id for r in q.demo_reports(s, 40)]

    def villages(km_from: float, km_to: float) -> list[int]:
        codes = spots[(spots.km >= km_from) & (spots.km <= km_to)].village_code.unique()
        return [village_ids[c] for c in codes if c in village_ids]

    sessions = _sessions(engine)
    e = engine

    def new(meeting: int, title: str, body: str, topic: str, lead, cosigners, km: tuple[float, float],
            filed: date) -> int:
        lead_id, lead_name = (lead.id, None) if not isinstance(lead, str) else (None, lead)
        return P.file(e, staff, title=title, body=body, session_id=sessions[meeting], topic=topic,
                      lead_deputy_id=lead_id, lead_deputy_name=lead_name, cosigners=cosigners, filed_on=filed,
                      village_ids=villages(*km), km_from=km[0], km_to=km[1], is_demo=True,
                      now=_at(filed + timedelta(days=2)))

    def result(pid: int, kind: str, title: str, km: float, weight: float, steps: list[tuple[date, int, str]],
               actor=staff) -> None:
        first_day, first_progress, first_note = steps[0]
        rid = P.add_result(e, actor, pid, kind, title, weight=weight, progress=first_progress,
                           status="planned" if first_progress == 0 else "in_progress", river_km=km,
                           now=_at(first_day), photo_dir=photo_dir)
        for day, progress, note in steps[1:]:
            P.update_result(e, actor, rid, progress, note=note, happened_on=day, now=_at(day),
                            photos=[_picture(title, progress)] if progress == 100 else [], photo_dir=photo_dir)

    def handled(pid: int, lead: str, co: list[str], assigned: date, signed: date,
                contact: tuple[date, str, str, int], reply: tuple[date, str, str]) -> None:
        """Assigned and signed by staff, one contact (day, method, summary, hour), answered (day, class, text)."""
        P.assign(e, staff, pid, units[lead], [units[c] for c in co], now=_at(assigned))
        P.sign(e, staff, pid, now=_at(signed))
        day, method, summary, hour = contact
        P.log_contact(e, staff, pid, day, method, summary, now=_at(day, hour))
        day, klass, text = reply
        P.answer(e, staff, pid, klass, text, now=_at(day))

    def link(pid: int, picks: list[int]) -> None:
        for i in picks:
            if i < len(evidence):
                P.link_report(e, staff, pid, evidence[i], now=now - timedelta(days=1))

    # 1. The article's first: deepen the comprehensive improvement of both banks (1st meeting, 2017).
    p1 = new(1, "关于深化清溪两岸综合整治的建议",
             "清溪是沙柳的母亲河。两岸堤岸破损、垃圾堆放、亲水设施缺乏，建议县政府统筹水利、街道等部门，"
             "深化清溪两岸综合整治：修复堤岸，建设绿道，设置下河踏步和亲水平台，并对沿溪绿道进行景观绿化。",
             "bank_improvement", "周衍超", ["张学法", deputy.id], (0.0, 4.5), date(2017, 1, 10))
    handled(p1, "water", ["subdistrict"], date(2017, 2, 20), date(2017, 2, 22),
            (date(2017, 3, 10), "meeting",
             "水利局负责人到沙柳街道代表联络站，与代表和沿溪村民面对面听取清溪改造提升意见。", 16),
            (date(2017, 5, 8), "B",
             "清溪沙柳段综合整治已列入全县“美丽河湖”建设计划，分年度实施堤岸修复、绿道和亲水设施建设。"))
    P.evaluate(e, staff, p1, "satisfied", "代表书面反馈：满意。", now=_at(date(2017, 5, 20)))
    P.publish(e, staff, p1, now=_at(date(2017, 6, 1)))
    result(p1, "greenway", "清溪沙柳段新建绿道", 1.8, 3,
           [(date(2017, 9, 1), 0, ""), (date(2018, 10, 15), 40, "书带看至沙柳村段开工"),
            (date(2019, 11, 20), 80, "沙柳村至流源村段完成"), (date(2020, 9, 30), 100, "全线贯通")])
    result(p1, "landscaping", "沿溪绿道景观绿化提升", 3.2, 2,
           [(date(2019, 3, 1), 0, ""), (date(2020, 4, 10), 60, "种植乡土树种"), (date(2020, 11, 5), 100, "完成")])
    P.follow_up(e, staff, p1, "A", "清溪沙柳段成功入选 2020 年全省“美丽河湖”，绿道、景观绿化已全部完成。",
                now=_at(date(2020, 12, 20)))
    link(p1, [0, 5])

    # 2. The article's second: start building a Qingxi leisure-tourism zone (2nd meeting, 2018).
    p2 = new(2, "关于要求启动清溪休闲旅游区建设的建议",
             "清溪沿岸风景秀美，建议启动清溪休闲旅游区建设，建设休闲平台、亲水平台和下河平台，带动沿溪村庄发展。",
             "tourism_leisure", "张学法", ["周衍超"], (2.0, 6.0), date(2018, 1, 16))
    handled(p2, "tourism", ["water", "subdistrict"], date(2018, 2, 26), date(2018, 2, 28),
            (date(2018, 4, 2), "visit", "文旅局、水利局陪同代表沿溪踏勘选址。", 15),
            (date(2018, 5, 15), "B", "休闲平台、亲水平台和下河平台结合“美丽河湖”项目分步建设，旅游区规划正在编制。"))
    P.evaluate(e, staff, p2, "basically", "代表书面反馈：基本满意，希望加快旅游区规划。", now=_at(date(2018, 5, 30)))
    P.publish(e, staff, p2, now=_at(date(2018, 6, 8)))
    result(p2, "waterside_platform", "沙柳村亲水平台", 3.1, 1,
           [(date(2019, 4, 1), 0, ""), (date(2020, 6, 30), 100, "建成开放")])
    result(p2, "steps", "下河平台（踏步）三处", 4.0, 1,
           [(date(2019, 4, 1), 0, ""), (date(2020, 8, 15), 100, "三处踏步完工")])
    result(p2, "leisure_platform", "流源村休闲平台", 5.2, 2,
           [(date(2020, 3, 1), 0, ""), (date(2021, 5, 20), 70, "主体完工，配套设施在建")])
    link(p2, [12])

    # 3. Demo: sewage interception, class C, tracked (3rd meeting, 2019).
    p3 = new(3, f"{DEMO}关于加强清溪沿岸污水截污纳管的建议",
             "部分沿溪村庄生活污水直排清溪，建议加快截污纳管，消除排污口。", "sewage", deputy, ["周衍超"],
             (3.0, 7.0), date(2019, 1, 15))
    handled(p3, "environment", ["subdistrict"], date(2019, 2, 25), date(2019, 2, 27),
            (date(2019, 3, 20), "phone", "电话沟通排污口位置清单。", 10),
            (date(2019, 5, 20), "C", "截污纳管工程列入 2020—2022 年计划，分村实施。"))
    P.evaluate(e, deputy, p3, "satisfied", now=_at(date(2019, 6, 1)))
    P.publish(e, staff, p3, now=_at(date(2019, 6, 10)))
    result(p3, "other", "沿溪村截污纳管", 5.0, 1,
           [(date(2020, 3, 1), 0, ""), (date(2021, 6, 1), 40, "两个村完成")])

    # 4. Demo: flood safety, class D, evaluated, not yet published (4th meeting, 2020).
    p4 = new(4, f"{DEMO}关于清溪沙柳段防洪堤加高的建议",
             "建议将清溪沙柳段防洪堤整体加高一米。", "flood_safety", "周衍超", [], (0.0, 8.0), date(2020, 5, 12))
    handled(p4, "water", [], date(2020, 6, 1), date(2020, 6, 3),
            (date(2020, 7, 1), "letter", "书面说明防洪标准评估结论。", 10),
            (date(2020, 8, 20), "D", "经评估现有堤防已达到二十年一遇防洪标准，整体加高投入大，暂留作参考。"))
    P.evaluate(e, staff, p4, "basically", "代表书面反馈：基本满意。", now=_at(date(2020, 9, 1)))

    # 5. Demo: litter collection points; in handling and overdue, an extension request pending.
    p5 = new(5, f"{DEMO}关于在清溪沿岸增设垃圾收集点的建议",
             "沿岸垃圾收集点少，村民随手丢弃，建议每五百米设置一处收集点并定时清运。", "water_protection", deputy,
             ["张学法"], (1.0, 4.0), date(2021, 1, 19))
    P.assign(e, staff, p5, units["village"], [units["subdistrict"]], now=now - timedelta(days=120))
    P.sign(e, handler, p5, now=now - timedelta(days=118))
    P.log_contact(e, handler, p5, (now - timedelta(days=100)).date(), "visit", "村委会与代表沿岸查看垃圾堆放点。",
                  now=now - timedelta(days=100))
    result(p5, "other", "沿岸垃圾收集点（八处）", 2.5, 1,
           [((now - timedelta(days=90)).date(), 0, ""), ((now - timedelta(days=40)).date(), 30, "已设置三处")],
           actor=handler)
    P.request_extension(e, handler, p5, 2, "收集点选址需征求沿岸村民意见。", now=now - timedelta(days=25))
    link(p5, [2, 3, 8])

    # 6. Demo: illegal fishing; answered, awaiting the demo deputy's evaluation.
    p6 = new(5, f"{DEMO}关于加强清溪水域非法捕捞整治的建议",
             "夜间电鱼、网箱捕捞时有发生，建议加强巡查。", "water_protection", deputy, [], (0.0, 8.0),
             date(2021, 1, 19))
    P.assign(e, staff, p6, units["water"], [units["subdistrict"]], now=now - timedelta(days=60))
    P.sign(e, staff, p6, now=now - timedelta(days=58))
    P.log_contact(e, staff, p6, (now - timedelta(days=50)).date(), "phone", "电话告知联合巡查安排。",
                  now=now - timedelta(days=50))
    P.answer(e, staff, p6, "A", "已建立水利、街道、村联合夜查机制，近两个月未发现电鱼。", now=now - timedelta(days=5))

    # 7. Demo: railings on the steps; withdrawn by the deputy (folded into proposal 2).
    p7 = new(3, f"{DEMO}关于清溪下河踏步增设安全护栏的建议",
             "下河踏步缺少护栏，老人小孩有落水风险。", "flood_safety", "张学法", [], (3.5, 4.5), date(2019, 1, 15))
    P.assign(e, staff, p7, units["water"], now=_at(date(2019, 2, 25)))
    P.withdraw(e, staff, p7, "代表书面申请撤回：已并入《关于要求启动清溪休闲旅游区建设的建议》一并办理。",
               now=_at(date(2019, 3, 5)))

    # 8. Demo: waste sorting in riverside villages; just assigned to the demo unit (to sign or return).
    p8 = new(4, f"{DEMO}关于推进清溪沿岸村庄生活垃圾分类的建议",
             "建议在沿溪村庄推行生活垃圾分类，从源头减少入河垃圾。", "water_protection", deputy, ["周衍超"],
             (0.0, 3.0), date(2020, 5, 12))
    P.assign(e, staff, p8, units["village"], [units["subdistrict"]], now=now - timedelta(days=2))
    return 8
