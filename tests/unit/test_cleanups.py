"""The pure parts of clean-up days: ranking weights, the reminder text, the .ics file."""
from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from qingxi import cleanups as cu
from qingxi.core.i18n import t

START = datetime(2026, 6, 6, 0, 30, tzinfo=timezone.utc)  # 08:30 in Shaliu


def event(**kw) -> cu.Event:
    fields = dict(
        id=7, title="清溪第 1.0–1.5 公里清理日", state="published", starts_at=START,
        ends_at=START + timedelta(hours=3), meeting_village=None, meeting_km=1.0, meeting_lon=121.35,
        meeting_lat=29.147, km_from=1.0, km_to=1.5, capacity=30, public_capacity=25, public_taken=3,
        groups=[cu.GroupSeats(1, "代表", 5, 2)], waitlisted=0, walk_ins=0, checked_in=0,
        equipment=["手套", "雨靴"], leader_name="梅式业", leader_contact=None, notes="", cancel_message="",
        results=None, before_photos=[], after_photos=[], reports=[], is_demo=False)
    return cu.Event(**(fields | kw))


@pytest.mark.parametrize("size, weight", [("bag", 1), ("wheelbarrow", 3), ("truck", 8), (None, 1)])
def test_bigger_heaps_weigh_more(size, weight):
    assert cu.report_weight("bank_litter", size, 0, 0) == weight


@pytest.mark.parametrize("days, weight", [(0, 1.0), (6.9, 1.0), (7, 1.5), (29, 1.5), (30, 2.0), (60, 2.5), (900, 2.5)])
def test_older_reports_weigh_more_up_to_a_cap(days, weight):
    assert cu.report_weight("floating_litter", "bag", days, 0) == weight


def test_supporters_add_weight_but_only_the_first_ten():
    assert cu.report_weight("bank_litter", "bag", 0, 2) == 2.0
    assert cu.report_weight("bank_litter", "bag", 0, 10) == cu.report_weight("bank_litter", "bag", 0, 500) == 6.0


def test_only_litter_counts_and_construction_waste_at_half():
    assert cu.report_weight("sewage", "bag", 100, 5) == 0
    assert cu.report_weight("dead_fish", None, 0, 0) == 0
    assert cu.report_weight("construction_waste", "truck", 0, 0) == 4.0
    assert set(cu.LITTER_CATEGORIES) == set(cu.CATEGORY_WEIGHT)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_reminder_has_the_local_time_place_and_what_to_bring(lang):
    text = cu.reminder_text(event(), lang, code="AB3CDE")
    assert "2026-06-06 08:30–11:30" in text
    assert t("cleanups.meeting_km", lang, km="1.0") in text
    assert "手套" in text and "雨靴" in text and "1.0–1.5" in text
    assert "/cleanups?id=7" in text and "/cleanup-signup?code=AB3CDE" in text
    assert "AB3CDE" not in cu.reminder_text(event(), lang)  # without a code: for a group chat


def test_the_reminder_names_a_village_meeting_point_and_says_when_nothing_is_needed():
    text = cu.reminder_text(event(meeting_village="沙柳村", meeting_km=None, equipment=[]), "en")
    assert "Meet at: 沙柳村" in text and t("cleanups.no_equipment", "en") in text


def test_the_calendar_file_parses_with_times_in_shaliu():
    cal = icalendar.Calendar.from_ical(cu.calendar_file(event(notes="带上水"), "zh"))
    (ev,) = cal.walk("VEVENT")
    start, end = ev.decoded("dtstart"), ev.decoded("dtend")
    assert start == START and end == START + timedelta(hours=3)
    assert start.utcoffset() == timedelta(hours=8) and (start.hour, start.minute) == (8, 30)
    assert ev["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(ev["uid"]) == "cleanup-7@localhost"
    assert str(ev["summary"]) == "清溪第 1.0–1.5 公里清理日"
    assert str(ev["location"]) == "清溪第 1.0 公里标志处"
    assert "手套" in str(ev["description"]) and "带上水" in str(ev["description"])
    assert str(ev["url"]) == "http://localhost:8501/cleanups?id=7"
    assert str(ev["status"]) == "CONFIRMED"
    again = icalendar.Calendar.from_ical(cu.calendar_file(event(title="改名了"), "zh"))
    assert str(again.walk("VEVENT")[0]["uid"]) == str(ev["uid"])  # the same event keeps its UID


def test_a_sign_up_qr_opens_its_own_page():
    assert cu.signup_url("AB3CDE") == "http://localhost:8501/cleanup-signup?code=AB3CDE"
    assert cu.signup_qr_png("AB3CDE").startswith(b"\x89PNG")
    assert "<svg" in cu.signup_qr_svg("AB3CDE")


def test_every_state_item_and_status_has_words():
    for lang in ("zh", "en"):
        for s in cu.STATES:
            assert t(f"cleanups.state.{s}", lang)
        for item in cu.ITEM_TYPES:
            assert t(f"cleanups.item.{item}", lang)
        for s in ("seated", "waitlisted", "cancelled"):
            assert t(f"cleanups.status.{s}", lang)
        for a in cu.ATTENDANCE:
            assert t(f"cleanups.attendance.{a}", lang)


def test_every_refusal_has_words():
    import re
    from pathlib import Path

    source = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(cu.__file__).parent.glob("*.py")))
    keys = set(re.findall(r'CleanupError\(\s*"(\w+)"', source))
    keys |= set(re.findall(r'"(\w+)": "(\w+)"', source.split("refusal = {")[1].split("}")[0])[i][1]
                for i in range(5))
    keys |= {f"bad_{f}" for f in ("participants", "hours", "bags", "kg", "km_covered", "item_count")}
    assert len(keys) > 40
    for lang in ("zh", "en"):
        for key in keys:
            assert t(f"cleanups.error.{key}", lang, most=1, low=0, high=1, length=8, group="g", taken=1, report=1,
                     item="x", state="s", left=1, seats=2)
