"""Tests of payload.storage and of the storage rule in the scheduler."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skyswap.payload.budget import SwapBudget
from skyswap.payload.operations.run import run_operations
from skyswap.payload.power import PowerBudget
from skyswap.payload.storage import DataBudget, recorded_data_rate_bytes_s, store_step
from skyswap.payload.thermal import ThermalLimits

PLENTY = PowerBudget(solar_generation_w=1000.0, battery_capacity_wh=1000.0)
NO_THERMAL = ThermalLimits(max_on_time_s=1e6, cooldown_s=0.0, warmup_s=0.0)

# store_step has one rule and two ways in: Python floats (the scheduler's fast path) and
# arrays (broadcast element by element); its physics tests run both ways.
WAYS = [pytest.param(float, id="floats"), pytest.param(np.asarray, id="arrays")]


def test_recorded_data_rate_worked_example():
    # 1e5 events/s of 8 B plus 2 swaps/s of 32 B = 800 064 B/s
    d = DataBudget(bytes_per_event=8, bytes_per_herald_record=32)
    assert recorded_data_rate_bytes_s(1e5, 2.0, d) == pytest.approx(800_064.0)
    np.testing.assert_allclose(recorded_data_rate_bytes_s([0, 1], [1, 0], d), [32, 8])


@pytest.mark.parametrize("way", WAYS)
def test_store_step_worked_examples(way):
    # Fill: 100 held, record 10 B/s, no downlink, 20 s, capacity 250 -> 250 held, 50 dropped.
    s1, rec, dl, drop = store_step(way(100.0), way(10.0), way(0.0), way(20.0), 250.0)
    assert (s1, rec, dl, drop) == pytest.approx((250.0, 150.0, 0.0, 50.0))
    # Drain: 100 held, downlink 30 B/s, 10 s -> all 100 down, 0 held (capacity 300 B unused).
    s1, rec, dl, drop = store_step(way(100.0), way(0.0), way(30.0), way(10.0), 1000.0)
    assert (s1, rec, dl, drop) == pytest.approx((0.0, 0.0, 100.0, 0.0))


@pytest.mark.parametrize("way", WAYS)
@settings(max_examples=200, deadline=None)
@given(s0=st.floats(0, 1e6), r=st.floats(0, 1e4), d=st.floats(0, 1e4), dt=st.floats(0, 1e3),
       cap=st.floats(0, 1e6))
def test_store_step_conserves_bytes(way, s0, r, d, dt, cap):
    s0 = min(s0, cap)
    s1, rec, dl, drop = store_step(way(s0), way(r), way(d), way(dt), cap)
    assert s1 == pytest.approx(s0 + rec - dl, abs=1e-6 * max(1.0, s0 + r * dt))
    assert rec + drop == pytest.approx(r * dt, abs=1e-6 * max(1.0, r * dt))
    assert -1e-9 <= s1 <= cap + 1e-9 and dl <= d * dt + 1e-9


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1e4), st.floats(0, 1e4), st.floats(0, 1e3),
                          st.floats(0, 1e6)), min_size=1, max_size=20))
def test_store_step_arrays_are_the_float_rule_element_by_element(rows):
    # one rule: the array way equals the float way to the last bit; floats in give floats out
    cols = [np.array(c) for c in zip(*rows)]
    cols[0] = cols[0] * cols[4]  # store as a fraction of the capacity
    got = store_step(*cols)
    for k in range(len(rows)):
        one = store_step(*(float(c[k]) for c in cols))
        assert all(type(x) is float for x in one)
        assert [float(x[k]) for x in got] == list(one)


def _budget(storage_bytes, downlink_rate_bps=0.0, resume=0.5):
    return SwapBudget(power=PLENTY, thermal=NO_THERMAL, operating_rule="ground-passes-first",
                      data=DataBudget(storage_bytes=storage_bytes, downlink_rate_bps=downlink_rate_bps,
                                      storage_resume_fraction=resume))


def test_zero_capacity_store_records_nothing_and_says_storage():
    sched = run_operations(_budget(0.0), 10_000.0, [[0, 10_000]], [[1000, 2000], [5000, 6000]],
                                data_rate_bytes_s=[100.0, 100.0], window_is_contact=[False, False])
    assert sched.totals.recorded_bytes == 0.0
    assert sched.totals.operating_hours == 0.0
    np.testing.assert_array_equal(sched.windows.limited_by, ["storage", "storage"])
    np.testing.assert_allclose(sched.windows.seconds_lost_storage, [1000, 1000])


def test_full_store_stops_recording():
    # 50 000 B store, 100 B/s, no downlink: 500 s of recording, then the rest of the
    # 1000 s window is lost to storage; the next window records nothing.
    sched = run_operations(_budget(50_000.0), 10_000.0, [[0, 10_000]], [[1000, 2000], [3000, 3500]],
                                data_rate_bytes_s=[100.0, 100.0], window_is_contact=[False, False])
    w = sched.windows
    assert w.operating_s[0] == pytest.approx(500.0, abs=1e-6)
    assert w.seconds_lost_storage[0] == pytest.approx(500.0, abs=1e-6)
    assert w.store_bytes_end[0] == pytest.approx(50_000.0)
    assert w.operating_s[1] == 0.0 and w.limited_by[1] == "storage"


def test_data_is_carried_to_the_next_contact():
    # Window 0 (no contact) records 100 B/s for 1000 s = 100 kB; window 1 is a 100 s contact
    # with 8000 bit/s = 1000 B/s -> 100 kB down; contact 2 finds what window 1 recorded.
    sched = run_operations(
        _budget(1e9, downlink_rate_bps=8000.0), 20_000.0, [[0, 20_000]],
        [[1000, 2000], [5000, 5100], [9000, 9500]],
        data_rate_bytes_s=[100.0, 10.0, 0.0], window_is_contact=[False, True, True])
    w = sched.windows
    assert w.store_bytes_end[0] == pytest.approx(100_000.0)
    assert w.recorded_bytes[1] == pytest.approx(1000.0)
    assert w.downlinked_bytes[1] == pytest.approx(100_000.0)  # capacity-limited: 1000 B/s x 100 s
    assert w.store_bytes_end[1] == pytest.approx(1000.0)  # what was recorded in the contact
    assert w.downlinked_bytes[2] == pytest.approx(1000.0)
    assert sched.totals.store_end_bytes == pytest.approx(0.0, abs=1e-6)
    assert sched.totals.recorded_bytes == pytest.approx(sched.totals.downlinked_bytes)


def test_explicit_downlink_capacity_per_contact():
    sched = run_operations(_budget(1e9), 10_000.0, [[0, 10_000]], [[1000, 2000], [4000, 4100]],
                                data_rate_bytes_s=[100.0, 0.0], window_is_contact=[False, True],
                                downlink_bytes=[0.0, 30_000.0])
    assert sched.windows.downlinked_bytes[1] == pytest.approx(30_000.0)
    assert sched.windows.store_bytes_end[1] == pytest.approx(70_000.0)
