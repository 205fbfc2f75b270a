"""Limits on anonymous actions, on SQLite and PostgreSQL: kept in the database (every process counts
the same), exact when attempts arrive at once, and refusals visible to staff."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.engine import make_engine, session_scope
from db.models import Report
from qingxi.core import limits
from qingxi.core.limits import LimitError, Person
from qingxi.reports import intake
from tests.support import phone_photos

VILLAGER = Person(address="36.22.10.7", session="tab-1")


@pytest.fixture
def filed(people, tmp_path):
    """An open report, filed by someone else; its id."""
    with session_scope(people.engine) as s:
        where = intake.place(s, *phone_photos.RIVER, "gps")
    code = intake.submit(people.engine, intake.Submission([phone_photos.android_jpeg(70).data], "bank_litter", where),
                         tmp_path / "photos").code
    with session_scope(people.engine) as s:
        return s.scalar(select(Report.id).where(Report.code == code))


def supporters(engine, rid: int) -> int:
    with session_scope(engine) as s:
        return s.get(Report, rid).supporters


def refused(call) -> str:
    with pytest.raises(LimitError) as err:
        call()
    assert err.value.values["minutes"] >= 1
    return err.value.key


def test_two_hundred_me_toos_count_once_per_browser_and_a_few_per_address(people, filed):
    for _ in range(200):
        try:
            intake.support(people.engine, filed, who=VILLAGER)
        except LimitError:
            pass
    assert supporters(people.engine, filed) == 1
    # Other browsers behind the same address (a family, a carrier's shared address): three in all.
    for tab in range(2, 10):
        try:
            intake.support(people.engine, filed, who=Person(address=VILLAGER.address, session=f"tab-{tab}"))
        except LimitError:
            pass
    assert supporters(people.engine, filed) == 3
    assert intake.support(people.engine, filed, who=Person(address="36.22.99.1", session="tab-x")) is None
    assert supporters(people.engine, filed) == 4
    with session_scope(people.engine) as s:
        counts, latest = limits.refusals(s, limits.clock.now() - timedelta(hours=1))
    assert counts == {"report.support": 199 + 6}
    assert {r.shown for r in latest} >= {"36.22.*.*", "—"} and VILLAGER.address not in {r.shown for r in latest}


def test_filing_is_limited_per_address_and_per_phone_across_processes(people, tmp_path):
    other_process = make_engine(str(people.engine.url.render_as_string(hide_password=False)))
    with session_scope(people.engine) as s:
        where = intake.place(s, *phone_photos.RIVER, "gps")
    shots = iter(range(100, 200))

    def file(engine, who, phone=""):
        sub = intake.Submission([phone_photos.forwarded_jpeg(next(shots)).data], "bank_litter", where, phone=phone)
        return intake.submit(engine, sub, tmp_path / "photos", who=who)

    for i in range(20):  # alternately through two engines, as two app processes would
        file(people.engine if i % 2 else other_process, Person(address="36.22.10.7", session=f"s{i}"))
    assert refused(lambda: file(other_process, Person(address="36.22.10.7", session="new"))) == "too_many"
    for i in range(10):  # one phone, many addresses
        file(people.engine, Person(address=f"10.0.0.{i}"), phone="138 0000 1234")
    assert refused(lambda: file(people.engine, Person(address="10.0.1.1"), phone="+86 13800001234")) == "too_many"
    file(people.engine, Person(address="10.0.1.1"))  # the same person without the phone is another matter
    other_process.dispose()


def test_thirty_filings_at_once_from_one_address_never_pass_the_limit(people, tmp_path):
    with session_scope(people.engine) as s:
        where = intake.place(s, *phone_photos.RIVER, "gps")
    photos = [phone_photos.forwarded_jpeg(300 + i).data for i in range(30)]
    start, results = threading.Barrier(30), []

    def one(i: int) -> None:
        start.wait()
        try:
            intake.submit(people.engine, intake.Submission([photos[i]], "bank_litter", where), tmp_path / "photos",
                          who=Person(address="36.22.10.7", session=f"s{i}"))
            results.append("filed")
        except LimitError:
            results.append("refused")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(30)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results.count("filed") <= 20 and len(results) == 30
    with session_scope(people.engine) as s:
        assert len(s.scalars(select(Report.id)).all()) == results.count("filed")


def test_a_refused_action_does_not_count_against_the_person(people, filed):
    for _ in range(5):  # a closed report cannot be supported: these never happened
        with pytest.raises(intake.IntakeError):
            intake.support(people.engine, 999_999, who=VILLAGER)
    intake.support(people.engine, filed, who=VILLAGER)
    assert supporters(people.engine, filed) == 1


def test_a_forgiven_attempt_leaves_nothing(people):
    for _ in range(50):  # codes looked up and found are not guesses
        with limits.spending(people.engine, "code.miss", VILLAGER) as attempt:
            attempt.forgive()
    for _ in range(10):
        with limits.spending(people.engine, "code.miss", VILLAGER):
            pass
    assert refused(lambda: limits.spending(people.engine, "code.miss", VILLAGER).__enter__()) == "too_many"


def test_clean_up_sign_ups_are_limited_per_address_and_staff_see_the_refusal(people):
    from datetime import datetime, timezone

    from qingxi import cleanups as cu
    from qingxi.cleanups import CleanupError, Plan

    t0 = datetime(2026, 6, 1, 0, 0, tzinfo=timezone.utc)
    start = t0 + timedelta(days=5)
    cid = cu.create(people.engine, people.staff, Plan(
        title="清溪清理日", starts_at=start, ends_at=start + timedelta(hours=3), km_from=1.0, km_to=2.0, capacity=60,
        meeting_km=1.0, equipment=["手套"], leader_name="梅式业", leader_contact="13900001111"), now=t0)
    cu.publish(people.engine, people.staff, cid, now=t0)
    hall = Person(address="36.22.10.7", session="hall")   # a village hall's one line
    for n in range(3):  # refused for another reason: never happened, never counted
        with pytest.raises(CleanupError):
            cu.sign_up(people.engine, cid, "", f"1380000{n:04d}", now=t0, who=hall)
    for n in range(20):
        assert cu.sign_up(people.engine, cid, f"志愿者{n}", f"1390000{n:04d}", now=t0, who=hall).status == "seated"
    assert refused(lambda: cu.sign_up(people.engine, cid, "第二十一位", "13911110000", now=t0, who=hall)) == "too_many"
    assert cu.summary(people.engine, cid).public_taken == 20                      # nothing stored
    other = Person(address="36.22.99.1", session="phone-2")
    assert cu.sign_up(people.engine, cid, "邻村", "13911110000", now=t0, who=other).status == "seated"
    with session_scope(people.engine) as s:
        counts, latest = limits.refusals(s, t0 - timedelta(hours=1))
    assert counts.get("cleanup.signup") == 1
    assert [(r.action, r.scope, r.shown) for r in latest] == [("cleanup.signup", "address", "36.22.*.*")]
    assert "36.22.10.7" not in repr(latest)
