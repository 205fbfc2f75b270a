"""Clean-up days on SQLite and PostgreSQL: seats, reserved seats, the waitlist and its promotion,
200 simultaneous sign-ups for 30 seats, the where-to-clean ranking, reports closed through an
event, results, roster and numbers — and every bad input refused with its key, nothing changed."""
from __future__ import annotations

import csv
import io
import threading
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import icalendar
import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import (
    AuditEntry,
    Cleanup,
    CleanupGroup,
    CleanupItem,
    CleanupPhoto,
    CleanupReport,
    Report,
    Signup,
    StatusChange,
    User,
)
from qingxi import cleanups as cu
from qingxi.cleanups import CleanupError, Plan, Results
from qingxi.core.permissions import Denied
from qingxi.reports import track
from tests.support.people import VILLAGE, People
from tests.support.photo_samples import jpeg

T0 = datetime(2026, 6, 1, 0, 0, tzinfo=timezone.utc)   # 08:00 in Shaliu
START = T0 + timedelta(days=5)
DURATIONS: dict[str, list[float]] = {}


class W:
    def __init__(self, people: People):
        self.engine, self.staff, self.deputy, self.village = people.engine, people.staff, people.deputy, VILLAGE
        self.people = people


@pytest.fixture
def w(people) -> W:
    return W(people)


def plan(**kw) -> Plan:
    fields = dict(title="清溪清理日", starts_at=START, ends_at=START + timedelta(hours=3), km_from=1.0, km_to=2.0,
                  capacity=30, meeting_km=1.0, equipment=["手套", "垃圾袋"], leader_name="梅式业",
                  leader_contact="13900001111")
    return Plan(**(fields | kw))


def new_event(w: W, *, publish: bool = True, **kw) -> int:
    cid = cu.create(w.engine, w.staff, plan(**kw), now=T0)
    if publish:
        cu.publish(w.engine, w.staff, cid, now=T0)
    return cid


def phone(n: int) -> str:
    return f"138{n:08d}"


def join(w: W, cid: int, n: int, **kw) -> cu.Receipt:
    return cu.sign_up(w.engine, cid, f"志愿者{n}", phone(n), now=kw.pop("now", T0), **kw)


def snapshot(engine) -> dict:
    """Every row of every table an action could touch."""
    with session_scope(engine) as s:
        return {m.__tablename__: sorted((tuple(r) for r in s.execute(select(m.__table__))), key=repr)
                for m in (Cleanup, CleanupGroup, Signup, CleanupReport, CleanupItem, CleanupPhoto, Report,
                          StatusChange, AuditEntry)}


def refused(w: W, key: str, action, *args, **kw) -> None:
    before = snapshot(w.engine)
    with pytest.raises(CleanupError) as err:
        action(*args, **kw)
    assert err.value.key == key
    assert snapshot(w.engine) == before


def row(w: W, cid: int) -> Cleanup:
    with session_scope(w.engine) as s:
        return s.get(Cleanup, cid)


def statuses(w: W, cid: int) -> dict[str, int]:
    with session_scope(w.engine) as s:
        return dict(s.execute(select(Signup.status, func.count()).where(Signup.cleanup_id == cid)
                              .group_by(Signup.status)).all())


def new_report(w: W, km: float, category: str = "bank_litter", *, size: str | None = "bag", days: float = 1,
               supporters: int = 0, state: str = "submitted", hidden: bool = False, cleaned: bool = False) -> int:
    with session_scope(w.engine) as s:
        r = Report(code=uuid.uuid4().hex[:8].upper(), category=category, size=size, lon=121.39, lat=29.15,
                   location_source="gps", river_km=km, state=state, hidden=hidden, supporters=supporters,
                   cleaned_by_reporter=cleaned, created_at=T0 - timedelta(days=days), reporter_phone="13700000000")
        r.history = [StatusChange(to_state="submitted", at=T0 - timedelta(days=days))]
        s.add(r)
        s.flush()
        return r.id


# ---------------------------------------------------------------- seats and the waitlist

def test_seats_then_a_waitlist_in_order_and_the_event_fills(w):
    cid = new_event(w, capacity=3)
    got = [join(w, cid, n) for n in range(5)]
    assert [(r.status, r.position) for r in got] == [("seated", None)] * 3 + [("waitlisted", 1), ("waitlisted", 2)]
    ev = cu.event(w.engine, w.staff, cid)
    assert (ev.state, ev.public_taken, ev.public_left, ev.waitlisted) == ("full", 3, 0, 2)
    assert len({r.code for r in got}) == 5


def test_a_party_that_does_not_fit_is_told_the_seats_left_and_never_freezes_the_day(w):
    cid = new_event(w, capacity=5)
    assert join(w, cid, 1, companions=2).status == "seated"      # 3 seats, 2 left
    before = snapshot(w.engine)
    with pytest.raises(CleanupError) as told:                      # 3 more do not fit in 2
        join(w, cid, 2, companions=2)
    assert (told.value.key, told.value.values) == ("party_too_big", {"left": 2, "seats": 3})
    assert snapshot(w.engine) == before                            # nothing stored, the day still open
    family = join(w, cid, 2, companions=2, wait=True)              # they choose to wait ...
    assert (family.status, family.position) == ("waitlisted", 1)
    assert row(w, cid).state == "published"                        # ... without closing the day to others
    assert join(w, cid, 3).status == "seated"                      # 1 fits, and takes a seat
    assert join(w, cid, 4).status == "seated"
    assert row(w, cid).state == "full" and row(w, cid).seats_taken == 5
    refused(w, "party_too_big", join, w, cid, 5, companions=10, wait=True)  # 11 could never fit in 5


def test_cancel_promotes_every_waiting_party_that_fits_in_order_and_its_page_says_so(w):
    cid = new_event(w, capacity=2)
    a, b = join(w, cid, 1), join(w, cid, 2)
    c = join(w, cid, 3, companions=1)   # needs 2 seats: the day is full, so it queues
    d = join(w, cid, 4)
    assert row(w, cid).state == "full"
    promoted = cu.cancel_signup(w.engine, a.code, now=T0)         # 1 seat free: C needs 2, D fits
    st = cu.signup_status(w.engine, d.code, now=T0)
    assert len(promoted) == 1 and (st.status, st.promoted, st.position) == ("seated", True, None)
    assert st.promoted_at == T0
    assert cu.signup_status(w.engine, c.code, now=T0).position == 1  # C keeps the head of the line
    promoted = cu.cancel_signup(w.engine, b.code, now=T0)         # 1 free again: C still does not fit
    assert promoted == [] and row(w, cid).state == "published"
    cu.cancel_signup(w.engine, d.code, now=T0)                     # 2 free: C seated at last
    st = cu.signup_status(w.engine, c.code, now=T0)
    assert (st.status, st.promoted, st.seats) == ("seated", True, 2)
    ev = row(w, cid)
    assert (ev.state, ev.seats_taken) == ("full", 2)
    assert cu.signup_status(w.engine, a.code, now=T0).status == "cancelled"
    assert not cu.signup_status(w.engine, a.code, now=T0).promoted


def test_reserved_seats_go_to_their_group_first_then_public_ones(w):
    cid = new_event(w, capacity=10, reserved={"代表": 3})
    deputies = cu.event(w.engine, w.staff, cid).groups[0].id
    for n in range(7):
        assert join(w, cid, n).status == "seated"
    assert row(w, cid).state == "full" and join(w, cid, 50).status == "waitlisted"
    first = join(w, cid, 100, group_id=deputies, companions=1)    # 2 of the 3 reserved seats, though "full"
    assert first.status == "seated"
    refused(w, "party_too_big", join, w, cid, 101, group_id=deputies, companions=1)  # 1 reserved left, no public
    second = join(w, cid, 101, group_id=deputies, companions=1, wait=True)  # they choose to wait
    assert second.status == "waitlisted"
    ev = cu.event(w.engine, w.staff, cid)
    assert (ev.public_taken, ev.groups[0].taken, ev.seats_taken) == (7, 2, 9)
    cu.cancel_signup(w.engine, first.code, now=T0)
    # The head of the line (public, needs a public seat) does not fit; the deputy behind it does.
    assert cu.signup_status(w.engine, second.code, now=T0).status == "seated"
    refused(w, "unknown_group", join, w, cid, 102, group_id=deputies + 999)


def test_more_room_promotes_the_waitlist(w):
    cid = new_event(w, capacity=2)
    got = [join(w, cid, n) for n in range(4)]
    cu.update(w.engine, w.staff, cid, plan(capacity=3), now=T0)
    assert cu.signup_status(w.engine, got[2].code, now=T0).promoted
    assert cu.signup_status(w.engine, got[3].code, now=T0).position == 1
    refused(w, "capacity_below_taken", cu.update, w.engine, w.staff, cid, plan(capacity=2), now=T0)


def test_one_live_seat_per_phone_even_when_sent_at_once(w):
    cid = new_event(w, capacity=5)
    first = join(w, cid, 7)
    refused(w, "already_signed_up", cu.sign_up, w.engine, cid, "又是我", " +86 " + phone(7), now=T0)
    cu.cancel_signup(w.engine, first.code, now=T0)
    again = join(w, cid, 7)                                         # after cancelling, the phone may sign up again
    assert again.status == "seated"
    other = new_event(w, capacity=5)
    barrier, results = threading.Barrier(8), []

    def twin() -> None:
        barrier.wait()
        try:
            results.append(join(w, other, 8).status)
        except CleanupError as err:
            results.append(err.key)

    threads = [threading.Thread(target=twin) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["already_signed_up"] * 7 + ["seated"]


def test_200_simultaneous_sign_ups_for_30_seats_never_overbook(w, request):
    backend = w.engine.dialect.name
    spent = []
    for rep in range(20):
        cid = new_event(w, capacity=30)
        barrier = threading.Barrier(200)
        errors: list[BaseException] = []
        outcomes: list[str] = []

        def person(n: int) -> None:
            barrier.wait()
            try:
                outcomes.append(cu.sign_up(w.engine, cid, f"人{n}", phone(rep * 1000 + n), now=T0).status)
            except BaseException as err:  # noqa: BLE001 - every failure counts
                errors.append(err)

        threads = [threading.Thread(target=person, args=(n,)) for n in range(200)]
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        spent.append(time.perf_counter() - t0)
        assert errors == []
        assert sorted(outcomes).count("seated") == 30 and outcomes.count("waitlisted") == 170
        ev = row(w, cid)
        assert (ev.seats_taken, ev.state) == (30, "full")
        assert statuses(w, cid) == {"seated": 30, "waitlisted": 170}
    DURATIONS[backend] = spent
    print(f"\n{backend}: 20 × 200 sign-ups, {sum(spent):.2f} s in all, slowest {max(spent):.2f} s")


# ---------------------------------------------------------------- bad input, nothing changed

@pytest.mark.parametrize("state, key", [("cancelled", "event_cancelled"), ("closed", "closed"),
                                        ("draft", "not_open"), ("done", "over")])
def test_sign_up_to_an_event_not_open_is_refused(w, state, key):
    cid = new_event(w, publish=state != "draft")
    if state == "cancelled":
        cu.cancel(w.engine, w.staff, cid, "下雨取消", now=T0)
    elif state == "closed":
        cu.close_registration(w.engine, w.staff, cid, now=T0)
    elif state == "done":
        cu.mark_done(w.engine, w.staff, cid, now=START)
    refused(w, key, join, w, cid, 1)


def test_sign_up_after_the_start_is_refused(w):
    cid = new_event(w)
    refused(w, "past", join, w, cid, 1, now=START)
    refused(w, "not_found", join, w, cid + 99, 1)


@pytest.mark.parametrize("kw, key", [
    (dict(companions=-1), "bad_companions"), (dict(companions=11), "bad_companions"),
    (dict(companions=10**9), "bad_companions"), (dict(companions="3"), "bad_companions"),
    (dict(phone="12345"), "bad_phone"), (dict(phone=""), "phone_needed"), (dict(name="  "), "name_needed"),
    (dict(village_code="999"), "unknown_village"),
])
def test_bad_sign_up_details_are_refused(w, kw, key):
    cid = new_event(w)
    fields = dict(name="王大姐", phone=phone(1)) | kw
    refused(w, key, cu.sign_up, w.engine, cid, now=T0, **fields)


@pytest.mark.parametrize("kw, key", [
    (dict(km_from=-0.5), "section_outside_river"), (dict(km_to=9.0), "section_outside_river"),
    (dict(km_from=2.0, km_to=2.0), "section_outside_river"), (dict(km_from=3.0, km_to=2.0), "section_outside_river"),
    (dict(km_to=float("nan")), "section_outside_river"),
    (dict(capacity=0), "bad_capacity"), (dict(capacity=-5), "bad_capacity"), (dict(capacity=501), "bad_capacity"),
    (dict(capacity=10**9), "bad_capacity"), (dict(reserved={"代表": 0}), "bad_reserved"), (dict(reserved={"代表": -2}), "bad_reserved"),
    (dict(reserved={"代表": 31}), "reserved_over_capacity"),
    (dict(capacity=5, reserved={"代表": 3, "村队": 3}), "reserved_over_capacity"),
    (dict(ends_at=START - timedelta(hours=1)), "end_before_start"), (dict(title=""), "title_needed"),
    (dict(meeting_km=None, meeting_village_code="999"), "unknown_village"),
    (dict(meeting_km=12.0), "meeting_outside_river"), (dict(meeting_km=None), "meeting_point_needed"),
])
def test_bad_plans_are_refused(w, kw, key):
    refused(w, key, cu.create, w.engine, w.staff, plan(**kw), now=T0)


def test_plans_that_are_right_store_the_meeting_point_on_the_river(w):
    cid = new_event(w, publish=False, meeting_km=None, meeting_village_code=w.village, km_to=8.309)
    ev = cu.event(w.engine, w.staff, cid)
    assert ev.meeting_village == "沙柳村" and ev.state == "draft" and ev.leader_contact == "13900001111"
    assert cu.event(w.engine, None, cid) is None                  # the public never sees a draft
    with pytest.raises(Denied):
        cu.create(w.engine, None, plan(), now=T0)
    with pytest.raises(Denied):
        cu.create(w.engine, w.deputy, plan(), now=T0)


def test_cancelling_with_a_wrong_code_changes_nothing(w):
    cid = new_event(w, capacity=1)
    mine = join(w, cid, 1)
    join(w, cid, 2)
    refused(w, "bad_code", cu.cancel_signup, w.engine, "ZZZZZZ", now=T0)
    refused(w, "bad_code", cu.cancel_signup, w.engine, "", now=T0)
    cu.cancel_signup(w.engine, mine.code.lower(), now=T0)           # typed in lower case: forgiven
    refused(w, "already_cancelled", cu.cancel_signup, w.engine, mine.code, now=T0)


def test_a_cancelled_event_shows_its_message_on_every_sign_up_page(w):
    cid = new_event(w, capacity=1)
    seated, waiting = join(w, cid, 1), join(w, cid, 2)
    refused(w, "message_needed", cu.cancel, w.engine, w.staff, cid, " ", now=T0)
    cu.cancel(w.engine, w.staff, cid, "台风预警，活动取消", now=T0)
    for code in (seated.code, waiting.code):
        st = cu.signup_status(w.engine, code, now=T0)
        assert st.event_cancelled and st.cancel_message == "台风预警，活动取消" and not st.can_cancel
    refused(w, "event_cancelled", cu.cancel_signup, w.engine, seated.code, now=T0)
    cal = icalendar.Calendar.from_ical(cu.ics(w.engine, cid))
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


# ---------------------------------------------------------------- the day

def test_check_in_by_code_and_its_refusals(w):
    cid, other = new_event(w, capacity=1), new_event(w, capacity=1)
    seated, waiting = join(w, cid, 1), join(w, cid, 2)
    elsewhere = join(w, other, 3)
    gone = join(w, cid, 4)
    cu.cancel_signup(w.engine, gone.code, now=T0)
    refused(w, "other_event", cu.check_in, w.engine, w.staff, cid, elsewhere.code, now=START)
    refused(w, "waitlisted", cu.check_in, w.engine, w.staff, cid, waiting.code, now=START)
    refused(w, "signup_cancelled", cu.check_in, w.engine, w.staff, cid, gone.code, now=START)
    refused(w, "bad_code", cu.check_in, w.engine, w.staff, cid, "AAAAAA", now=START)
    scanned = cu.signup_url(seated.code)                           # a QR scan gives the whole URL
    assert cu.check_in(w.engine, w.staff, cid, scanned, now=START) == cu.CheckIn("志愿者1", 1, None)
    refused(w, "already_checked_in", cu.check_in, w.engine, w.staff, cid, seated.code, now=START)
    st = cu.signup_status(w.engine, seated.code, now=START)
    assert st.checked_in_at == START and st.attendance == "attended"
    with pytest.raises(Denied):
        cu.check_in(w.engine, w.deputy, cid, seated.code, now=START)


def test_walk_ins_are_counted_beyond_capacity_and_attendance_is_marked_after(w):
    cid = new_event(w, capacity=1)
    seated = join(w, cid, 1)
    code = cu.walk_in(w.engine, w.staff, cid, "路过的张师傅", companions=2, village_code=w.village, now=START)
    ev = cu.event(w.engine, w.staff, cid)
    assert (ev.walk_ins, ev.checked_in, ev.public_taken) == (3, 3, 1)
    assert cu.signup_status(w.engine, code, now=START).attendance == "attended"
    refused(w, "already_signed_up", cu.walk_in, w.engine, w.staff, cid, "又来", phone=phone(1), now=START)
    signup_id = next(r.id for r in cu.roster(w.engine, w.staff, cid) if r.code == seated.code)
    refused(w, "not_yet", cu.set_attendance, w.engine, w.staff, signup_id, "no_show", now=T0)
    cu.mark_done(w.engine, w.staff, cid, no_show_rest=True, now=START + timedelta(hours=4))
    assert cu.signup_status(w.engine, seated.code, now=START).attendance == "no_show"
    cu.set_attendance(w.engine, w.staff, signup_id, "attended", now=START + timedelta(hours=4))
    assert cu.signup_status(w.engine, seated.code, now=START).attendance == "attended"


# ---------------------------------------------------------------- results and reports

def done_event(w: W, **kw) -> int:
    cid = new_event(w, **kw)
    cu.mark_done(w.engine, w.staff, cid, now=START + timedelta(hours=3))
    return cid


GOOD = Results(participants=12, hours=36.0, bags=20, kg=85.5, km_covered=0.8,
               items={"plastic_bottles": 140, "foam": 12, "tyres": 1})


@pytest.mark.parametrize("bad, key", [
    (dict(kg=-1.0), "negative_kg"), (dict(kg=float("inf")), "bad_kg"), (dict(participants=-3), "bad_participants"),
    (dict(bags=2.5), "bad_bags"), (dict(hours=-1), "bad_hours"), (dict(km_covered=1.5), "bad_km_covered"),
    (dict(items={"gold": 1}), "bad_item"), (dict(items={"glass": -2}), "bad_item_count"),
])
def test_bad_results_are_refused(w, bad, key):
    cid = done_event(w)
    refused(w, key, cu.record_results, w.engine, w.staff, cid, replace(GOOD, **bad), now=START)


def test_results_with_photos_then_published(w, tmp_path):
    cid = new_event(w)
    refused(w, "wrong_state", cu.record_results, w.engine, w.staff, cid, GOOD, now=START)
    cu.mark_done(w.engine, w.staff, cid, now=START)
    refused(w, "no_results", cu.publish_results, w.engine, w.staff, cid, now=START)
    cu.record_results(w.engine, w.staff, cid, GOOD, before=[jpeg()], after=[jpeg((640, 480))],
                      photo_dir=tmp_path, now=START)
    cu.publish_results(w.engine, w.staff, cid, now=START)
    ev = cu.summary(w.engine, cid)
    assert ev.state == "reported" and ev.results == GOOD
    assert len(ev.before_photos) == 1 and len(ev.after_photos) == 1
    assert (tmp_path / ev.after_photos[0]).is_file()
    assert b"Exif" not in (tmp_path / ev.before_photos[0]).read_bytes()[:200]
    with pytest.raises(Denied):
        cu.record_results(w.engine, w.deputy, cid, GOOD, now=START)


def test_reports_closed_through_an_event_say_so_on_their_status_page(w):
    inside = new_report(w, 1.2)
    also = new_report(w, 1.4, "floating_litter")
    new_report(w, 1.3, "sewage")                                   # not litter: not attached
    new_report(w, 2.6)                                             # another section
    cid = cu.draft_from_section(w.engine, w.staff, 2, now=T0)      # km 1.0–1.5
    ev = cu.event(w.engine, w.staff, cid)
    assert sorted(r.id for r in ev.reports) == sorted([inside, also])
    assert (ev.km_from, ev.km_to, ev.state, ev.meeting_km) == (1.0, 1.5, "draft", 1.0)
    refused(w, "not_found", cu.ics, w.engine, cid)                # a draft has no calendar file yet
    cu.publish(w.engine, w.staff, cid, now=T0)
    refused(w, "wrong_state", cu.mark_cleaned, w.engine, w.staff, cid, [inside], now=T0)
    cu.mark_done(w.engine, w.staff, cid, now=ev.starts_at)
    stranger = new_report(w, 1.1)
    refused(w, "report_not_attached", cu.mark_cleaned, w.engine, w.staff, cid, [inside, stranger], now=ev.starts_at)
    assert cu.mark_cleaned(w.engine, w.staff, cid, [inside], now=ev.starts_at) == 1
    refused(w, "already_cleaned", cu.mark_cleaned, w.engine, w.staff, cid, [inside], now=ev.starts_at)
    with session_scope(w.engine) as s:
        code = s.get(Report, inside).code
        link = s.get(CleanupReport, (cid, inside))
        assert link.cleaned_by_volunteers and link.cleaned_at == ev.starts_at
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "report.cleaned_by_volunteers")).one()
        assert entry.entity_id == inside and '"cleanup_id": %d' % cid in entry.after
    st = track.status(w.engine, code)
    assert st.state == "fixed" and ev.title in st.timeline[-1].note
    view = cu.summary(w.engine, cid)
    assert [(r.id, r.cleaned_by_volunteers) for r in sorted(view.reports, key=lambda r: r.id)] == \
        sorted([(inside, True), (also, False)])


def test_a_closed_report_cannot_be_marked_cleaned(w):
    rid = new_report(w, 1.2)
    cid = cu.draft_from_section(w.engine, w.staff, 2, now=T0)
    with session_scope(w.engine) as s:
        s.get(Report, rid).state = "unfixed"
    cu.publish(w.engine, w.staff, cid, now=T0)
    cu.mark_done(w.engine, w.staff, cid, now=START + timedelta(days=3))
    refused(w, "report_not_open", cu.mark_cleaned, w.engine, w.staff, cid, [rid], now=START + timedelta(days=3))


# ---------------------------------------------------------------- where to clean

def test_sections_are_ranked_by_weighted_open_litter(w):
    layout = [  # km, category, size, age in days, supporters
        (0.1, "bank_litter", "bag", 1, 0), (0.3, "floating_litter", "truck", 40, 2),
        (2.2, "illegal_dumping", "wheelbarrow", 10, 0), (2.4, "construction_waste", "truck", 100, 30),
        (5.0, "bank_litter", None, 70, 1), (8.309, "bank_litter", "bag", 1, 0),
    ]
    for km, cat, size, days, backers in layout:
        new_report(w, km, cat, size=size, days=days, supporters=backers)
    new_report(w, 0.2, "sewage", size=None)                        # not litter
    new_report(w, 0.2, state="fixed")                               # not open
    new_report(w, 0.2, hidden=True)
    new_report(w, 0.2, cleaned=True)                                # the reporter cleaned it already
    got = cu.sections(w.engine, w.staff, now=T0)
    expect = {}
    for km, cat, size, days, backers in layout:
        idx = min(int(km // 0.5), 16)
        expect[idx] = expect.get(idx, 0) + cu.report_weight(cat, size, days, backers)
    assert [(s.index, s.score) for s in got] == sorted(((i, round(v, 3)) for i, v in expect.items()),
                                                       key=lambda x: -x[1])
    assert got[0].index == 4  # an old truckload with 30 supporters (10 counted) outweighs fresh bags
    top = next(s for s in got if s.index == 0)
    assert (top.km_from, top.km_to, top.reports) == (0.0, 0.5, 2)
    assert top.by_category == {"bank_litter": 1, "floating_litter": 1} and top.supporters == 2
    last = next(s for s in got if s.index == 16)
    assert (last.km_from, last.km_to) == (8.0, 8.309)
    assert 121.3 < top.lon < 121.5 and 29.1 < top.lat < 29.2
    with pytest.raises(Denied):
        cu.sections(w.engine, None, now=T0)
    refused(w, "section_outside_river", cu.draft_from_section, w.engine, w.staff, 17, now=T0)
    refused(w, "section_outside_river", cu.draft_from_section, w.engine, w.staff, -1, now=T0)


# ---------------------------------------------------------------- outputs and numbers

def test_roster_is_for_staff_and_the_public_summary_names_nobody(w):
    cid = new_event(w, capacity=3)
    join(w, cid, 1, village_code=w.village, companions=2)
    join(w, cid, 2)
    for who in (None, w.deputy):
        with pytest.raises(Denied):
            cu.roster_csv(w.engine, who, cid)
    rows = list(csv.DictReader(io.StringIO(cu.roster_csv(w.engine, w.staff, cid).decode("utf-8-sig"))))
    assert [(r["name"], r["phone"], r["village"], r["seats"], r["status"], r["position"]) for r in rows] == [
        ("志愿者1", phone(1), "沙柳村", "3", "seated", ""), ("志愿者2", phone(2), "", "1", "waitlisted", "1")]
    cu.sign_up(w.engine, cid, '=HYPERLINK("http://x")', phone(3), now=T0)
    last = list(csv.DictReader(io.StringIO(cu.roster_csv(w.engine, w.staff, cid).decode("utf-8-sig"))))[-1]
    assert last["name"] == "'=HYPERLINK(\"http://x\")"      # never a formula in Excel
    public = repr(cu.summary(w.engine, cid)) + repr(cu.events(w.engine, None, now=T0))
    for secret in (phone(1), "志愿者1", "13900001111"):
        assert secret not in public
    assert "13900001111" in repr(cu.event(w.engine, w.staff, cid))


def test_ics_has_the_event_in_local_time(w):
    cid = new_event(w, meeting_km=None, meeting_village_code=w.village)
    cal = icalendar.Calendar.from_ical(cu.ics(w.engine, cid, "en"))
    ev = cal.walk("VEVENT")[0]
    assert ev.decoded("dtstart") == START and ev.decoded("dtstart").utcoffset() == timedelta(hours=8)
    assert ev.decoded("dtstart").hour == 8 and ev.decoded("dtend") == START + timedelta(hours=3)
    assert str(ev["uid"]) == f"cleanup-{cid}@localhost" and str(ev["location"]) == "沙柳村"
    assert str(ev["url"]).endswith(f"/{cu.EVENTS_PATH}?id={cid}")
    assert cu.ics(w.engine, cid).count(b"UID:") == 1


def test_numbers_for_the_statistics_page(w):
    may = datetime(2026, 4, 30, 23, 0, tzinfo=timezone.utc)        # 1 May 07:00 in Shaliu
    a = cu.create(w.engine, w.staff, plan(starts_at=may, ends_at=may + timedelta(hours=3), km_from=0.0, km_to=1.0),
                  now=may - timedelta(days=5))
    cu.publish(w.engine, w.staff, a, now=may - timedelta(days=5))
    x = cu.sign_up(w.engine, a, "甲", phone(1), village_code=w.village, companions=1, now=may - timedelta(days=5))
    y = cu.sign_up(w.engine, a, "乙", phone(2), now=may - timedelta(days=5))
    cu.check_in(w.engine, w.staff, a, x.code, now=may)
    cu.walk_in(w.engine, w.staff, a, "丙", village_code=w.village, now=may)
    cu.mark_done(w.engine, w.staff, a, no_show_rest=True, now=may + timedelta(hours=3))
    cu.record_results(w.engine, w.staff, a, Results(3, 9.0, 10, 40.0, 0.8), now=may + timedelta(hours=4))
    b = done_event(w, km_from=2.0, km_to=3.0)                      # June, results 20 kg
    cu.record_results(w.engine, w.staff, b, Results(5, 10.0, 4, 20.0, 1.0), now=START + timedelta(hours=4))
    new_event(w)                                                    # not done: not counted
    st = cu.stats(w.engine, now=START)
    assert (st.events, st.participants, st.hours, st.bags, st.kg, st.km_covered) == (2, 8, 19.0, 14, 60.0, 1.8)
    assert st.by_month == [("2026-05", 40.0, 10, 1), ("2026-06", 20.0, 4, 1)]
    assert st.by_village == [("沙柳村", 3, 9.0)]                    # 甲 +1 and 丙 came; 9 h shared by 3 seats
    assert (st.attended, st.no_show, st.attendance_rate) == (2, 1, 2 / 3)   # 乙 did not come
    assert st.by_km == [(0, 40.0, 0.8, 50.0), (2, 20.0, 1.0, 20.0)]
    assert st.kg_per_km == pytest.approx(60 / 1.8)
    assert y.status == "seated"


# ---------------------------------------------------------------- who may do what

def _people(w: W) -> dict:
    with session_scope(w.engine) as s:
        # an admin, not People's disabled staff account: switched off, even the admin's rights are gone
        gone = User(username="gone_admin", display_name="离任", role="admin", disabled=True)
        s.add(gone)
    return {"public": None, "deputy": w.deputy, "staff": w.staff, "handler": w.people.handler,
            "admin": w.people.admin, "disabled_admin": gone}


def _ready(w: W, done: bool = False) -> dict:
    """An event with a seated sign-up and an attached open report (done: after the day)."""
    rid = new_report(w, 1.2)
    cid = new_event(w)
    cu.attach_reports(w.engine, w.staff, cid, [rid], now=T0)
    code = join(w, cid, 1).code
    if done:
        cu.mark_done(w.engine, w.staff, cid, now=START)
        cu.record_results(w.engine, w.staff, cid, GOOD, now=START)
    signup_id = cu.roster(w.engine, w.staff, cid)[0].id
    return {"cid": cid, "rid": rid, "code": code, "signup": signup_id}


STAFF_ACTIONS = {
    "create": (False, lambda w, u, c: cu.create(w.engine, u, plan(), now=T0)),
    "update": (False, lambda w, u, c: cu.update(w.engine, u, c["cid"], plan(capacity=40), now=T0)),
    "close_registration": (False, lambda w, u, c: cu.close_registration(w.engine, u, c["cid"], now=T0)),
    "cancel": (False, lambda w, u, c: cu.cancel(w.engine, u, c["cid"], "取消", now=T0)),
    "attach_reports": (False, lambda w, u, c: cu.attach_reports(w.engine, u, c["cid"], [new_report(w, 1.3)], now=T0)),
    "sections": (False, lambda w, u, c: cu.sections(w.engine, u, now=T0)),
    "draft_from_section": (False, lambda w, u, c: cu.draft_from_section(w.engine, u, 2, now=T0)),
    "check_in": (False, lambda w, u, c: cu.check_in(w.engine, u, c["cid"], c["code"], now=START)),
    "walk_in": (False, lambda w, u, c: cu.walk_in(w.engine, u, c["cid"], "路人", now=START)),
    "set_attendance": (False, lambda w, u, c: cu.set_attendance(w.engine, u, c["signup"], "no_show", now=START)),
    "mark_done": (False, lambda w, u, c: cu.mark_done(w.engine, u, c["cid"], now=START)),
    "roster_csv": (False, lambda w, u, c: cu.roster_csv(w.engine, u, c["cid"])),
    "record_results": (True, lambda w, u, c: cu.record_results(w.engine, u, c["cid"], GOOD, now=START)),
    "publish_results": (True, lambda w, u, c: cu.publish_results(w.engine, u, c["cid"], now=START)),
    "mark_cleaned": (True, lambda w, u, c: cu.mark_cleaned(w.engine, u, c["cid"], [c["rid"]], now=START)),
}


@pytest.mark.parametrize("name", list(STAFF_ACTIONS))
def test_only_staff_and_admins_plan_run_and_report_clean_ups(w, name):
    done, call = STAFF_ACTIONS[name]
    people = _people(w)
    for role, user in people.items():
        ctx = _ready(w, done)
        before = snapshot(w.engine)
        if role in ("staff", "admin"):
            call(w, user, ctx)
            continue
        with pytest.raises(Denied):
            call(w, user, ctx)
        if name not in ("attach_reports",):  # that call files a fresh report before it is refused
            assert snapshot(w.engine) == before, role


def test_anyone_signs_up_and_reads_public_pages(w):
    people = _people(w)
    cid = new_event(w)
    for n, (role, user) in enumerate(people.items()):
        assert join(w, cid, n).status == "seated"
        assert cu.event(w.engine, user, cid).leader_contact == ("13900001111" if role in ("staff", "admin") else None)
        assert [e.id for e in cu.events(w.engine, user, now=T0)] == [cid]


def test_the_database_itself_refuses_an_overbooked_event(w):
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    cid = new_event(w, capacity=10, reserved={"代表": 4})
    for bad in (update(Cleanup).where(Cleanup.id == cid).values(seats_taken=7),          # 7 + 4 reserved > 10
                update(CleanupGroup).where(CleanupGroup.cleanup_id == cid).values(seats_taken=5),
                update(Cleanup).where(Cleanup.id == cid).values(capacity=501)):
        before = snapshot(w.engine)
        with pytest.raises(IntegrityError):
            with session_scope(w.engine) as s:
                s.execute(bad)
        assert snapshot(w.engine) == before


def test_a_group_people_signed_up_with_cannot_be_removed(w):
    cid = new_event(w, capacity=10, reserved={"代表": 3, "村队": 2})
    team = next(g.id for g in cu.event(w.engine, w.staff, cid).groups if g.name == "村队")
    mine = join(w, cid, 1, group_id=team)
    cu.cancel_signup(w.engine, mine.code, now=T0)                  # cancelled: the row still names the group
    refused(w, "group_in_use", cu.update, w.engine, w.staff, cid, plan(capacity=10, reserved={"代表": 3}), now=T0)
    cu.update(w.engine, w.staff, cid, plan(capacity=10, reserved={"村队": 1}), now=T0)   # 代表 had nobody
    ev = cu.event(w.engine, w.staff, cid)
    assert [(g.name, g.seats) for g in ev.groups] == [("村队", 1)] and ev.public_capacity == 9
