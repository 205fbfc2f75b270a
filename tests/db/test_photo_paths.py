"""Every photo path with photos as phones and chat apps write them, on SQLite and PostgreSQL: a new
report, a "me too", "still there", a handler's after-photo, a proposal result's photos and a clean-up
day's before and after photos. Each stores the capture time as an aware UTC instant with its source,
keeps only metadata-free copies, and a report is placed where the photo's GPS says."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from db.engine import session_scope
from db.models import CleanupPhoto, CongressSession, Report, ResultPhoto
from qingxi import cleanups, proposals
from qingxi.reports import intake, track, triage
from tests.support import phone_photos
from tests.support.people import VILLAGE

NOW = datetime.now(timezone.utc)


def stored_ok(row, sample: phone_photos.Sample, folder: Path) -> None:
    """The row says when the photo was taken, as the sample's EXIF says; the files carry nothing."""
    assert (row.taken_at, row.taken_source) == (sample.taken_at, sample.taken_source), sample.name
    for name in (row.public_name, row.thumb_name):
        with Image.open(folder / name) as im:
            assert im.format == "JPEG" and not im.getexif() and not im.info.get("exif"), sample.name
    with Image.open(folder / row.public_name) as im:
        assert im.size == sample.upright, sample.name


def place_of(engine, sample: phone_photos.Sample) -> intake.Place:
    """Where the report form would put it: the photo's GPS, else the village the person picks."""
    with session_scope(engine) as s:
        if sample.gps:
            return intake.place(s, *sample.gps, "gps")
        return intake.village_place(s, VILLAGE)


def file(engine, sample: phone_photos.Sample, folder: Path, **kw) -> str:
    where = place_of(engine, sample)
    return intake.submit(engine, intake.Submission([sample.data], "bank_litter", where, **kw), folder).code


def report(engine, code: str) -> Report:
    with session_scope(engine) as s:
        r = s.scalars(select(Report).where(Report.code == code)).one()
        _ = r.photos, r.history
        return r


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "photos"


def test_a_new_report_from_each_phone_photo(people, folder):
    for sample in phone_photos.corpus(1):
        r = report(people.engine, file(people.engine, sample, folder))
        (row,) = r.photos
        stored_ok(row, sample, folder)
        assert r.location_source == ("gps" if sample.gps else "village")
        if sample.gps:
            assert 5.2 < r.river_km < 5.7 and r.distance_m < 50  # the photo's place, on the river


def test_me_too_with_each_phone_photo(people, folder):
    code = file(people.engine, phone_photos.android_jpeg(999), folder)
    rid = report(people.engine, code).id
    for sample in phone_photos.corpus(2):
        intake.support(people.engine, rid, "still", sample.data, folder)
    r = report(people.engine, code)
    seen = [p for p in r.photos if p.kind == "observation"]
    assert r.supporters == len(seen) == len(phone_photos.MAKERS)
    for row, sample in zip(seen, phone_photos.corpus(2)):
        stored_ok(row, sample, folder)


def test_still_there_with_each_phone_photo(people, folder):
    code = file(people.engine, phone_photos.android_jpeg(998), folder)
    for sample in phone_photos.corpus(3):
        track.still_there(people.engine, code, f"还在，{sample.name}", sample.data, folder)
    r = report(people.engine, code)
    seen = [p for p in r.photos if p.kind == "observation"]
    assert [h.note for h in r.history if h.step == "still_there"] == [f"还在，{s.name}" for s in phone_photos.corpus(3)]
    for row, sample in zip(seen, phone_photos.corpus(3)):
        stored_ok(row, sample, folder)


def test_after_photo_from_each_phone_photo(people, folder):
    for sample in phone_photos.corpus(4):
        code = file(people.engine, phone_photos.forwarded_jpeg(hash(sample.name) % 10_000), folder)
        rid = report(people.engine, code).id
        triage.sign(people.engine, people.staff, rid)
        triage.dispatch(people.engine, people.staff, rid, people.unit)
        triage.resolve(people.engine, people.handler, rid, sample.data, "已清理干净。", photo_dir=folder)
        (after,) = [p for p in report(people.engine, code).photos if p.kind == "after"]
        stored_ok(after, sample, folder)


def test_proposal_result_photos_from_each_phone_photo(people, folder):
    with session_scope(people.engine) as s:
        meeting = CongressSession(name_zh="三门县第十六届人民代表大会第一次会议", name_en="1st", congress=16, meeting=1,
                                  held_on=date(2017, 1, 10))
        s.add(meeting)
        s.flush()
        meeting_id = meeting.id
    pid = proposals.file(people.engine, people.staff, title="关于深化清溪两岸综合整治的建议", body="两岸垃圾多。",
                         session_id=meeting_id, lead_deputy_id=people.deputy.id)
    proposals.assign(people.engine, people.staff, pid, people.unit)
    proposals.sign(people.engine, people.handler, pid)
    samples = phone_photos.corpus(5)
    rid = proposals.add_result(people.engine, people.handler, pid, "greenway", "清溪绿道一期",
                               photos=[s.data for s in samples[:4]], photo_dir=folder)
    proposals.update_result(people.engine, people.handler, rid, 40, photos=[s.data for s in samples[4:]],
                            photo_dir=folder)
    with session_scope(people.engine) as s:
        rows = list(s.scalars(select(ResultPhoto).where(ResultPhoto.result_id == rid).order_by(ResultPhoto.id)))
    assert len(rows) == len(samples)
    for row, sample in zip(rows, samples):
        stored_ok(row, sample, folder)


def test_clean_up_before_and_after_photos_from_each_phone_photo(people, folder):
    start = NOW + timedelta(days=2)
    plan = cleanups.Plan(title="清溪清理日", starts_at=start, ends_at=start + timedelta(hours=3), km_from=1.0,
                         km_to=2.0, capacity=30, meeting_km=1.0)
    cid = cleanups.create(people.engine, people.staff, plan)
    cleanups.publish(people.engine, people.staff, cid)
    cleanups.mark_done(people.engine, people.staff, cid, now=start + timedelta(hours=3))
    samples = phone_photos.corpus(6)
    results = cleanups.Results(participants=12, hours=36.0, bags=20, kg=85.5, km_covered=0.8)
    for batch in (samples[:4], samples[4:]):
        cleanups.record_results(people.engine, people.staff, cid, results, before=[s.data for s in batch[:2]],
                                after=[s.data for s in batch[2:]], photo_dir=folder, now=start + timedelta(hours=4))
    with session_scope(people.engine) as s:
        rows = list(s.scalars(select(CleanupPhoto).where(CleanupPhoto.cleanup_id == cid).order_by(CleanupPhoto.id)))
    assert [r.kind for r in rows] == ["before", "before", "after", "after"] * 2
    for row, sample in zip(rows, samples):
        stored_ok(row, sample, folder)


def test_a_refused_photo_in_any_path_leaves_no_row_and_no_file(people, folder):
    """A good photo and a broken one together: nothing of either is kept."""
    good = phone_photos.android_jpeg(997).data
    broken = good[:len(good) // 2]  # a photo cut off on a weak signal
    code = file(people.engine, phone_photos.forwarded_jpeg(997), folder)
    before = sorted(p.name for p in folder.iterdir())
    rid = report(people.engine, code).id
    attempts = [
        lambda: intake.submit(people.engine, intake.Submission([good, broken], "bank_litter",
                                                               place_of(people.engine, phone_photos.android_jpeg())),
                              folder),
        lambda: intake.support(people.engine, rid, "still", broken, folder),
        lambda: track.still_there(people.engine, code, "还在", broken, folder),
    ]
    for attempt in attempts:
        with pytest.raises(Exception) as err:
            attempt()
        assert getattr(err.value, "key", None) == "truncated"
    assert sorted(p.name for p in folder.iterdir()) == before
    r = report(people.engine, code)
    assert len(r.photos) == 1 and r.supporters == 0 and [h.step for h in r.history] == ["submitted"]
