"""Response clocks on in-memory reports with a frozen `now`."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.models import Report
from qingxi.reports import clocks
from qingxi.reports.clocks import CLOCKS, DEFAULTS, default_priority, next_due, status

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
S = timedelta(seconds=1)


def report(priority="normal", state="submitted", **milestones) -> Report:
    return Report(code="ABC234", category="bank_litter", lon=121.4, lat=29.15, location_source="gps",
                  state=state, priority=priority, created_at=T0, **milestones)


def states(r, now, targets=DEFAULTS) -> dict[str, str]:
    return {c.name: c.state for c in status(r, targets, now)}


def test_defaults_cover_every_clock_and_urgent_is_tighter():
    for p in clocks.PRIORITIES:
        assert tuple(DEFAULTS[p]) == CLOCKS
    assert all(DEFAULTS["urgent"][c] < DEFAULTS["normal"][c] for c in CLOCKS)
    assert DEFAULTS["urgent"]["sign"] == 30 and DEFAULTS["urgent"]["dispatch"] == 60 and DEFAULTS["urgent"]["callback"] == 120


@pytest.mark.parametrize("category, priority", [("sewage", "urgent"), ("dead_fish", "urgent"),
                                                ("water_colour_smell", "urgent"), ("bank_litter", "normal"),
                                                ("other", "normal")])
def test_default_priority(category, priority):
    assert default_priority(category) == priority


def test_a_fresh_report_runs_then_goes_overdue_clock_by_clock():
    r = report("urgent")
    assert set(states(r, T0).values()) == {"running"}
    assert states(r, T0 + 30 * S)["sign"] == "overdue"           # due at exactly 30 s: no longer running
    assert states(r, T0 + 29 * S)["sign"] == "running"
    later = states(r, T0 + 200 * S)
    assert later == {"sign": "overdue", "dispatch": "overdue", "callback": "overdue", "onsite": "running",
                     "resolve": "running"}


def test_met_and_late_depend_on_the_milestone_not_on_now():
    r = report("urgent", "in_progress", signed_at=T0 + 30 * S, dispatched_at=T0 + 61 * S,
               called_back_at=T0 + 100 * S)
    found = {c.name: c for c in status(r, DEFAULTS, T0 + timedelta(days=30))}
    assert (found["sign"].state, found["dispatch"].state, found["callback"].state) == ("met", "late", "met")
    assert found["dispatch"].due_at == T0 + 60 * S and found["dispatch"].done_at == T0 + 61 * S
    assert (found["onsite"].state, found["resolve"].state) == ("overdue", "overdue")


def test_the_same_times_against_normal_targets():
    r = report("normal", "dispatched", signed_at=T0 + 1000 * S, dispatched_at=T0 + timedelta(hours=5))
    assert states(r, T0 + timedelta(hours=6)) == {"sign": "met", "dispatch": "late", "callback": "running",
                                                  "onsite": "running", "resolve": "running"}


def test_resolve_stops_at_fixed_or_closed_and_ended_reports_skip_the_rest():
    fixed = report("normal", "fixed", signed_at=T0 + S, fixed_at=T0 + timedelta(days=8))
    assert states(fixed, T0 + timedelta(days=9)) == {"sign": "met", "dispatch": "skipped", "callback": "skipped",
                                                     "onsite": "skipped", "resolve": "late"}
    refused = report("urgent", "invalid", closed_at=T0 + 10 * S)
    assert states(refused, T0 + timedelta(days=1))["resolve"] == "met"
    assert next_due(refused, DEFAULTS, T0 + timedelta(days=1)) is None


def test_next_due_is_the_earliest_ticking_clock():
    r = report("normal", "signed", signed_at=T0 + S)
    assert next_due(r, DEFAULTS, T0) == T0 + timedelta(seconds=DEFAULTS["normal"]["dispatch"])
    r.priority = "urgent"
    assert next_due(r, DEFAULTS, T0) == T0 + 60 * S


def test_edited_targets_move_the_due_times():
    edited = {p: dict(c) for p, c in DEFAULTS.items()}
    edited["normal"]["sign"] = 60
    r = report("normal")
    assert states(r, T0 + 120 * S)["sign"] == "running"
    assert states(r, T0 + 120 * S, edited)["sign"] == "overdue"
    assert status(r, edited, T0)[0].due_at == T0 + 60 * S


def test_an_unknown_priority_counts_as_normal():
    assert status(report("whenever"), DEFAULTS, T0)[0].due_at == T0 + DEFAULTS["normal"]["sign"] * S


offsets = st.one_of(st.none(), st.integers(0, 10**7))


@settings(max_examples=300, deadline=None)
@given(priority=st.sampled_from(clocks.PRIORITIES), state=st.sampled_from(["signed", "in_progress", "fixed", "unfixed"]),
       signed=offsets, dispatched=offsets, called=offsets, onsite=offsets, fixed=offsets, now=st.integers(0, 10**7))
def test_each_clock_has_exactly_the_state_its_times_say(priority, state, signed, dispatched, called, onsite, fixed, now):
    at = lambda o: None if o is None else T0 + o * S  # noqa: E731
    r = report(priority, state, signed_at=at(signed), dispatched_at=at(dispatched), called_back_at=at(called),
               on_site_at=at(onsite), fixed_at=at(fixed))
    moment = T0 + now * S
    for c in status(r, DEFAULTS, moment):
        assert c.due_at == T0 + DEFAULTS[priority][c.name] * S
        if c.done_at is not None:
            assert c.state == ("met" if c.done_at <= c.due_at else "late")
        elif state in ("fixed", "unfixed"):
            assert c.state == "skipped"
        else:
            assert c.state == ("running" if moment < c.due_at else "overdue")
    ticking = [c.due_at for c in status(r, DEFAULTS, moment) if c.state in ("running", "overdue")]
    assert next_due(r, DEFAULTS, moment) == (min(ticking) if ticking else None)
