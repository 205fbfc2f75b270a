import pytest

from db.models import Report
from qingxi.core import codes
from qingxi.reports import KIND, Kind, State, TransitionError, kind_of, move


def new_report() -> Report:
    r = Report(code="ABC234", category="bank_litter", lon=121.4, lat=29.15, location_source="gps",
               state="submitted")
    r.history = []
    return r


def test_every_state_has_a_kind_and_closed_is_never_fixed():
    assert set(KIND) == set(State)
    assert [s for s, k in KIND.items() if k is Kind.FIXED] == [State.FIXED]
    assert kind_of("unfixed") is Kind.CLOSED


def test_path_to_fixed_stamps_milestones_and_history():
    r = new_report()
    for state in (State.SIGNED, State.DISPATCHED, State.IN_PROGRESS, State.FIXED):
        move(r, state, actor="站长", note="ok")
    assert r.state == "fixed"
    assert r.signed_at and r.dispatched_at and r.fixed_at and r.closed_at is None
    assert [h.to_state for h in r.history] == ["signed", "dispatched", "in_progress", "fixed"]
    assert r.history[0].actor == "站长"


def test_milestones_keep_the_first_time():
    r = new_report()
    move(r, State.SIGNED)
    first = r.signed_at
    move(r, State.INVALID)
    move(r, State.REOPENED)
    move(r, State.SIGNED)
    assert r.signed_at == first
    assert r.closed_at is None


def test_illegal_moves_are_refused_and_change_nothing():
    r = new_report()
    with pytest.raises(TransitionError):
        move(r, State.IN_PROGRESS)
    assert r.state == "submitted" and r.history == []
    move(r, State.FIXED)
    with pytest.raises(TransitionError):
        move(r, State.SIGNED)  # a fixed report must be reopened first


def test_tracking_codes_are_phone_friendly():
    seen = {codes.new_code() for _ in range(2000)}
    assert len(seen) == 2000
    assert all(len(c) == 6 and not set(c) & set("01OIL") for c in seen)
    assert codes.normalise(" ab-c 23 ") == "ABC23"
