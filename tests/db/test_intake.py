"""Filing a report: placing it, duplicates, privacy, refusals, atomicity and idempotency,
on SQLite and on PostgreSQL."""
import threading
from itertools import count

import pytest
from sqlalchemy import func, select

from db.engine import session_scope
from db.models import Observation, Photo, Report, User
from qingxi.core import places
from qingxi.core.photos import PhotoError
from qingxi.reports import intake, track, triage
from qingxi.reports.intake import IntakeError, Submission
from tests.support.photo_samples import gps_ifd, jpeg

_sizes = count(300)
ON_RIVER = (121.398, 29.1492)  # just north of the Shaliu reach near the seat


def photo(lon: float | None = None, lat: float | None = None, **extra) -> bytes:
    """A distinct JPEG each call (the size differs), GPS-tagged when lon/lat are given."""
    n = next(_sizes)
    fields = {"gps": gps_ifd(lon, lat)} if lon is not None else {}
    return jpeg((n, 240), make="Phone", model="X1", **fields, **extra)


@pytest.fixture
def photo_dir(tmp_path):
    """Photos get their own folder (the SQLite file lives in tmp_path)."""
    return tmp_path / "photos"


@pytest.fixture
def ready(engine):
    with session_scope(engine) as s:
        places.install_reference(s)
    return engine


def at(engine, lon, lat, source="gps"):
    with session_scope(engine) as s:
        return intake.place(s, lon, lat, source)


def files(folder) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def rows(engine) -> tuple[int, int]:
    with session_scope(engine) as s:
        return (s.scalar(select(func.count()).select_from(Report)), s.scalar(select(func.count()).select_from(Photo)))


def sub(engine, data=None, **kw) -> Submission:
    data = data if data is not None else [photo(*ON_RIVER)]
    fields = dict(category="bank_litter", place=at(engine, *ON_RIVER)) | kw
    return Submission(data, **fields)


def fixed_by_staff(engine, code: str) -> None:
    """Staff close the report as fixed through the desk."""
    with session_scope(engine) as s:
        staff = User(username=f"staff-{code}", display_name="梅站长", role="staff")
        s.add(staff)
        rid = s.scalar(select(Report.id).where(Report.code == code))
    triage.sign(engine, staff, rid)
    triage.close_fixed(engine, staff, rid, "已清理。")


def test_a_report_lands_on_the_river_with_clean_photos(ready, photo_dir):
    receipt = intake.submit(ready, sub(ready, size="bag", name=" 王大姐 ", phone="138 0000 1234"), photo_dir)
    assert not receipt.again and len(receipt.code) == 6
    with session_scope(ready) as s:
        r = s.scalars(select(Report)).one()
        assert (r.code, r.category, r.size, r.state, r.location_source) == (receipt.code, "bank_litter", "bag", "submitted", "gps")
        assert 5.2 < r.river_km < 5.7 and r.distance_m < 50 and r.bank == "left" and not r.off_river
        assert r.village is not None and r.river_version_id is not None
        assert (r.reporter_name, r.reporter_phone) == ("王大姐", "13800001234")
        assert [h.to_state for h in r.history] == ["submitted"]
        assert r.priority == "normal"
        stored = {r.photos[0].public_name, r.photos[0].thumb_name}
    assert files(photo_dir) == stored
    for name in stored:
        assert b"Exif" not in (photo_dir / name).read_bytes()[:2048]


def test_pollution_is_urgent_from_the_start(ready, photo_dir):
    intake.submit(ready, sub(ready, category="sewage"), photo_dir)
    with session_scope(ready) as s:
        assert s.scalars(select(Report.priority)).one() == "urgent"


def test_anonymous_stores_no_name_or_phone(ready, photo_dir):
    intake.submit(ready, sub(ready, visibility="anonymous", name="李四", phone="13900000000"), photo_dir)
    with session_scope(ready) as s:
        r = s.scalars(select(Report)).one()
        assert (r.reporter_name, r.reporter_phone, r.visibility) == (None, None, "anonymous")


def test_status_page_never_shows_phone_and_name_only_when_public(ready, photo_dir):
    private = intake.submit(ready, sub(ready, name="王五", phone="13700000000"), photo_dir).code
    public = intake.submit(ready, sub(ready, [photo(*ON_RIVER)], name="赵六", visibility="public"), photo_dir).code
    assert track.status(ready, private).public_name is None
    assert track.status(ready, public).public_name == "赵六"
    assert "13700000000" not in repr(track.status(ready, private))


@pytest.mark.parametrize("change, key", [
    (dict(category="rubbish"), "no_category"),
    (dict(place=None), "no_location"),
    (dict(size="truck", category="dead_fish"), "bad_size"),
    (dict(visibility="everyone"), "bad_visibility"),
    (dict(phone="12345"), "bad_phone"),
    (dict(visibility="public", name=""), "public_needs_name"),
    (dict(name="名" * 31), "name_too_long"),
    (dict(description="字" * 501), "text_too_long"),
])
def test_bad_fields_are_refused_and_nothing_is_stored(ready, photo_dir, change, key):
    with pytest.raises(IntakeError) as err:
        intake.submit(ready, sub(ready, **change), photo_dir)
    assert err.value.key == key
    assert rows(ready) == (0, 0) and files(photo_dir) == set()


def test_photo_count_is_one_to_three(ready, photo_dir):
    for data, key in (([], "no_photo"), ([photo() for _ in range(4)], "too_many_photos")):
        with pytest.raises(IntakeError) as err:
            intake.submit(ready, sub(ready, data), photo_dir)
        assert err.value.key == key
    same = photo()
    with pytest.raises(IntakeError) as err:
        intake.submit(ready, sub(ready, [same, same]), photo_dir)
    assert err.value.key == "same_photo_twice"
    assert rows(ready) == (0, 0) and files(photo_dir) == set()


def test_a_bad_photo_among_good_ones_stores_nothing(ready, photo_dir):
    with pytest.raises(PhotoError):
        intake.submit(ready, sub(ready, [photo(*ON_RIVER), b"<html>not a photo</html>"]), photo_dir)
    assert rows(ready) == (0, 0) and files(photo_dir) == set()


@pytest.mark.parametrize("lon, lat, problem", [
    (0.0, 0.0, "zero"),
    (116.40, 39.90, "outside_area"),       # Beijing
    (121.398, 29.175, "far"),              # inside the box, ~2.9 km north of the river
])
def test_out_of_area_is_told_not_silently_accepted(ready, photo_dir, lon, lat, problem):
    where = at(ready, lon, lat)
    assert where.problem == problem
    with pytest.raises(IntakeError) as err:
        intake.submit(ready, sub(ready, place=where), photo_dir)
    assert err.value.key == f"place_{problem}"
    assert rows(ready) == (0, 0)
    code = intake.submit(ready, sub(ready, place=where, accept_problem=True), photo_dir).code
    with session_scope(ready) as s:
        r = s.scalars(select(Report).where(Report.code == code)).one()
        assert r.off_river is True  # staff see it flagged
        if problem != "zero":
            assert r.river_km is None  # never clamped to an end of the reach


def test_village_and_km_places(ready):
    with session_scope(ready) as s:
        village = intake.village_place(s, "331022003204")
        assert village.source == "village" and village.village_code == "331022003204"
        lon, lat = intake.km_point(s, 2.0)
        assert intake.place(s, lon, lat, "map").river_km == pytest.approx(2.0, abs=1e-3)
        with pytest.raises(IntakeError):
            intake.km_point(s, 99.0)
        with pytest.raises(IntakeError):
            intake.village_place(s, "000000000000")
        marks = places.markers(s)
        assert marks[0]["km"] == 0 and len(marks) > 80 and len({m["id"] for m in marks}) == len(marks)


def test_duplicates_are_same_category_open_and_within_radius(ready, photo_dir):
    base = intake.submit(ready, sub(ready), photo_dir).code
    intake.submit(ready, sub(ready, category="sewage"), photo_dir)
    with session_scope(ready) as s:
        near = intake.nearby(s, "bank_litter", intake.place(s, ON_RIVER[0] + 0.002, ON_RIVER[1], "map"))  # ~195 m east
        far = intake.nearby(s, "bank_litter", intake.place(s, ON_RIVER[0] + 0.003, ON_RIVER[1], "map"))   # ~290 m
        assert [n.category for n in near] == ["bank_litter"] and 150 < near[0].distance_m < 250
        assert near[0].thumb_name and far == []
        report = s.scalars(select(Report).where(Report.code == base)).one()
        report.state = "fixed"
    with session_scope(ready) as s:
        assert intake.nearby(s, "bank_litter", at(ready, *ON_RIVER)) == []


def test_me_too_counts_and_keeps_the_observation(ready, photo_dir):
    intake.submit(ready, sub(ready), photo_dir)
    with session_scope(ready) as s:
        rid = s.scalars(select(Report.id)).one()
    intake.support(ready, rid)
    intake.support(ready, rid, "more", photo(), photo_dir)
    with session_scope(ready) as s:
        r = s.get(Report, rid)
        assert r.supporters == 2
        assert sorted(p.kind for p in r.photos) == ["observation", "report"]
        obs = s.scalars(select(Observation).order_by(Observation.id)).all()
        assert [o.kind for o in obs] == [None, "more"] and obs[1].photo_id is not None
        r.state = "fixed"
    before = files(photo_dir)
    with pytest.raises(IntakeError) as err:
        intake.support(ready, rid, "still", photo(), photo_dir)
    assert err.value.key == "not_open" and files(photo_dir) == before


def test_same_photo_twice_gives_the_first_report(ready, photo_dir):
    data = [photo(*ON_RIVER)]
    first = intake.submit(ready, sub(ready, data), photo_dir)
    again = intake.submit(ready, sub(ready, data, category="sewage"), photo_dir)
    assert again.again and again.code == first.code
    assert rows(ready) == (1, 1)


def test_same_photo_sent_at_once_from_two_phones_makes_one_report(ready, photo_dir):
    data = [photo(*ON_RIVER)]
    receipts, start = [], threading.Barrier(4)

    def send():
        start.wait()
        receipts.append(intake.submit(ready, sub(ready, data), photo_dir))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len({r.code for r in receipts}) == 1 and len(receipts) == 4
    assert rows(ready) == (1, 1)


def test_a_failure_after_the_files_are_written_leaves_neither(ready, photo_dir, monkeypatch):
    def boom(*args, **kwargs):
        assert files(photo_dir), "photos are written before the row"
        raise RuntimeError("power cut")

    monkeypatch.setattr(intake, "_report", boom)
    with pytest.raises(RuntimeError):
        intake.submit(ready, sub(ready), photo_dir)
    assert rows(ready) == (0, 0) and files(photo_dir) == set()


def test_reporter_loop_confirm_reopen_rate(ready, photo_dir):
    code = intake.submit(ready, sub(ready), photo_dir).code
    with pytest.raises(IntakeError) as err:
        track.rate(ready, code, "satisfied")
    assert err.value.key == "rate_when_done"
    fixed_by_staff(ready, code)
    track.confirm_fixed(ready, code.lower())  # codes are forgiving about case
    st = track.status(ready, code)
    assert st.state == "fixed" and st.confirmed_fixed_at and not st.can_confirm and st.can_rate
    track.rate(ready, code, "basically")
    with pytest.raises(IntakeError) as err:
        track.still_there(ready, code, "   ")
    assert err.value.key == "comment_needed"
    track.still_there(ready, code, "又有人倒垃圾了", photo(), photo_dir)
    st = track.status(ready, code)
    assert st.state == "reopened" and st.confirmed_fixed_at is None
    assert [(e.state, e.note, e.by_reporter) for e in st.timeline][-1] == ("reopened", "又有人倒垃圾了", True)
    assert track.status(ready, code).rating == "basically"
    with pytest.raises(IntakeError):
        track.rate(ready, code, "great")
    assert track.status(ready, "ZZZZZZ") is None


def test_a_photo_sent_again_by_someone_else_never_reveals_the_first_reporters_code(ready, photo_dir):
    """A photo forwarded in a chat group "as original" has the same bytes as the reporter's."""
    from qingxi.core.limits import Person

    data = [photo(*ON_RIVER)]
    mine = intake.submit(ready, sub(ready, data), photo_dir, who=Person(address="36.22.1.1", session="tab-a"))
    again = intake.submit(ready, sub(ready, data), photo_dir, who=Person(address="36.22.1.1", session="tab-a"))
    assert again.again and again.code == mine.code  # the same browser session may have its receipt back
    other = intake.submit(ready, sub(ready, data), photo_dir, who=Person(address="36.22.9.9", session="tab-b"))
    assert other.code is None and other.joined and not other.again  # a "me too", not the code
    with session_scope(ready) as s:
        first = s.scalars(select(Report)).one()
        assert first.supporters == 1 and first.code == mine.code
        first.state = "fixed"
    later = intake.submit(ready, sub(ready, data), photo_dir, who=Person(address="36.22.9.9", session="tab-c"))
    assert later.code not in (None, mine.code) and not later.again  # closed: a new report of its own
    assert rows(ready) == (2, 2)
