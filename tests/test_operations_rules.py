"""Unit tests of the scheduler's rules: state transitions, waits until the next event, loss reason.

Worked values are computed by hand from the rules stated in payload.operations.run; the property
tests check that each wait lands exactly on its threshold when the tested closed forms
(payload.power.battery_step, payload.storage.store_step) integrate over it.
"""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skyswap.payload.operations.events import (
    battery_rate_wh_s,
    battery_wait_s,
    margin_wait_s,
    next_event_s,
    store_waits_s,
    thermal_waits_s,
)
from skyswap.payload.operations.transitions import (
    IDLE,
    LOST_POWER,
    LOST_STORAGE,
    LOST_THERMAL,
    NOT_LOST,
    OFF,
    OPERATING,
    WARMUP,
    loss_reason,
    payload_draw_by_state_w,
    power_transition,
    run_transition,
    storage_transition,
)
from skyswap.payload.power import PowerBudget, battery_step
from skyswap.payload.storage import store_step
from skyswap.payload.thermal import ThermalLimits

TH = ThermalLimits(max_on_time_s=1800.0, cooldown_s=900.0, warmup_s=120.0)
INF = math.inf


# ------------------------------------------------------------------------- power transition

@pytest.mark.parametrize("margin_wh, power_ok, expected", [
    (0.0, True, False),       # at the eclipse-reserve line: shed
    (-1.0, False, False),     # below it: stays shed
    (5.0, True, True),        # above the line, below the resume level: keeps drawing
    (5.0, False, False),      # shed and below the resume level: hysteresis keeps it off
    (10.0, False, True),      # back at the resume level (10 Wh): may draw again
    (10.0 - 1e-10, False, True),  # within the 1e-9 Wh tolerance of it
    (9.99, False, False),
])
def test_power_transition_sheds_at_the_line_and_resumes_at_the_hysteresis_level(margin_wh, power_ok, expected):
    assert power_transition(margin_wh, power_ok, 10.0) is expected


# ----------------------------------------------------------------------- storage transition

def test_storage_transition_resumes_at_the_resume_level_and_reports_a_full_store():
    # paused store of 1000 B, resume at 500 B
    assert storage_transition(600.0, False, 10.0, 0.0, 1000.0, 500.0)[0] is False
    assert storage_transition(500.0, False, 10.0, 0.0, 1000.0, 500.0)[0] is True
    assert storage_transition(900.0, True, 10.0, 0.0, 1000.0, 500.0)[0] is True  # never paused here
    # full = at capacity and recording would outpace the downlink
    assert storage_transition(1000.0, True, 10.0, 5.0, 1000.0, 500.0)[1] is True
    assert storage_transition(1000.0, True, 5.0, 10.0, 1000.0, 500.0)[1] is False  # drains while full
    assert storage_transition(999.0, True, 10.0, 5.0, 1000.0, 500.0)[1] is False
    assert storage_transition(0.0, True, 10.0, 0.0, 0.0, 0.0) == (True, True)  # no store at all


# --------------------------------------------------------------------------- run transition

def _run(state, t, demanded=True, power_ok=True, store_ok=True, store_full=False, on_start=-INF,
         cool_until=-INF, run_id=-1, thermal=TH):
    return run_transition(state, t, demanded, power_ok, store_ok, store_full, on_start, cool_until, run_id, thermal)


def test_run_transition_follows_the_thermal_duty_cycle():
    # idle and demanded at 1000 s: switch on, warm up
    assert _run(IDLE, 1000.0) == (WARMUP, 1000.0, -INF, 0, True)
    # still warming at 1119 s, operating once the 120 s warm-up is over
    assert _run(WARMUP, 1119.0, on_start=1000.0, run_id=0)[0] == WARMUP
    assert _run(WARMUP, 1120.0, on_start=1000.0, run_id=0)[0] == OPERATING
    # longest run reached at 1000 + 1800 s: stop, cool down until 2800 + 900 s
    assert _run(OPERATING, 2800.0, on_start=1000.0, run_id=0) == (IDLE, 1000.0, 3700.0, 0, True)
    # cooling down: no restart before 3700 s, a new run at 3700 s
    assert _run(IDLE, 3699.0, on_start=1000.0, cool_until=3700.0, run_id=0)[0] == IDLE
    assert _run(IDLE, 3700.0, on_start=1000.0, cool_until=3700.0, run_id=0) == (WARMUP, 3700.0, 3700.0, 1, True)


def test_run_transition_stops_for_demand_power_and_storage():
    # demand over: stop and cool down 900 s
    assert _run(OPERATING, 2000.0, demanded=False, on_start=1000.0, run_id=0) == (IDLE, 1000.0, 2900.0, 0, True)
    # power shed: stop, shown as OFF (0 W), cool-down started all the same
    assert _run(WARMUP, 1050.0, power_ok=False, on_start=1000.0, run_id=0) == (OFF, 1000.0, 1950.0, 0, True)
    # store full while operating: stop and pause recording (store_ok False)
    assert _run(OPERATING, 2000.0, store_full=True, on_start=1000.0, run_id=0) == (IDLE, 1000.0, 2900.0, 0, False)
    # a full store does not stop a warm-up (nothing is recorded yet) ...
    assert _run(WARMUP, 1050.0, store_full=True, on_start=1000.0, run_id=0)[0] == WARMUP
    # ... and an idle payload neither starts on a full or paused store nor when shed
    assert _run(IDLE, 1000.0, store_full=True)[0] == IDLE
    assert _run(IDLE, 1000.0, store_ok=False)[0] == IDLE
    assert _run(IDLE, 1000.0, power_ok=False)[0] == OFF
    assert _run(OFF, 1000.0, demanded=False)[0] == IDLE  # power back, nothing demanded


def test_run_transition_without_warmup_or_cooldown():
    no_warm = ThermalLimits(max_on_time_s=100.0, cooldown_s=0.0, warmup_s=0.0)
    assert _run(IDLE, 10.0, thermal=no_warm) == (OPERATING, 10.0, -INF, 0, True)
    # at the longest run with no cool-down the next run starts at once
    assert _run(OPERATING, 110.0, on_start=10.0, run_id=0, thermal=no_warm) == (OPERATING, 110.0, 110.0, 1, True)


def test_payload_draw_by_mode():
    pw = PowerBudget(payload_standby_w=5.0, payload_warmup_w=35.0, payload_operating_w=45.0)
    assert payload_draw_by_state_w(pw) == (0.0, 5.0, 35.0, 45.0)
    assert payload_draw_by_state_w(PowerBudget(idle_state="off"))[IDLE] == 0.0


# ------------------------------------------------------------------------------ loss reason

@pytest.mark.parametrize("kwargs, expected", [
    ({"demanded": False}, NOT_LOST),
    ({"state": OPERATING}, NOT_LOST),
    ({"state": WARMUP}, LOST_THERMAL),
    ({"state": WARMUP, "power_ok": False}, LOST_THERMAL),  # warming up counts as thermal
    ({"state": OFF, "power_ok": False}, LOST_POWER),
    ({"power_ok": False, "store_full": True, "cool_until": 1e9}, LOST_POWER),  # power first
    ({"store_ok": False}, LOST_STORAGE),
    ({"store_full": True, "cool_until": 1e9}, LOST_STORAGE),  # storage before thermal
    ({"cool_until": 1000.0 + 1.0}, LOST_THERMAL),  # cooling down
    ({"cool_until": 1000.0}, LOST_POWER),  # cool-down just over: refused start counts as power
])
def test_loss_reason_attributes_each_demanded_unused_step_to_one_limit(kwargs, expected):
    args = {"demanded": True, "state": IDLE, "power_ok": True, "store_ok": True, "store_full": False,
            "cool_until": -INF} | kwargs
    assert loss_reason(args["demanded"], args["state"], args["power_ok"], args["store_ok"],
                       args["store_full"], 1000.0, args["cool_until"]) == expected


# ------------------------------------------------------------------------------- the waits

def test_thermal_waits():
    # warming up since 1000 s, now 1050 s: longest run in 1750 s, warm-up over in 70 s
    assert thermal_waits_s(WARMUP, 1050.0, True, 1000.0, -INF, TH) == (1750.0, 70.0)
    assert thermal_waits_s(OPERATING, 1500.0, True, 1000.0, -INF, TH) == (1300.0, INF)
    # idle in demanded time, cooling down until 3700 s
    assert thermal_waits_s(IDLE, 3000.0, True, 1000.0, 3700.0, TH) == (INF, 700.0)
    assert thermal_waits_s(IDLE, 3000.0, False, 1000.0, 3700.0, TH) == (INF, INF)
    assert thermal_waits_s(OFF, 4000.0, True, 1000.0, 3700.0, TH) == (INF, INF)


def test_battery_rate_and_wait():
    # 100 W surplus, eta 0.9: 0.025 Wh/s; from 50 Wh the 100 Wh battery is full in 2000 s
    assert battery_rate_wh_s(50.0, 100.0, 100.0, 20.0, 0.9) == pytest.approx(0.025, abs=1e-15)
    assert battery_wait_s(50.0, 0.025, 100.0, 20.0) == pytest.approx(2000.0, abs=1e-9)
    # 36 W deficit: -0.01 Wh/s; from 50 Wh the 20 Wh floor is reached in 3000 s
    assert battery_rate_wh_s(50.0, -36.0, 100.0, 20.0, 0.9) == pytest.approx(-0.01, abs=1e-15)
    assert battery_wait_s(50.0, -0.01, 100.0, 20.0) == pytest.approx(3000.0, abs=1e-9)
    # pinned at full charge or at the floor: constant, no event
    assert battery_rate_wh_s(100.0, 100.0, 100.0, 20.0, 0.9) == 0.0
    assert battery_rate_wh_s(20.0, -36.0, 100.0, 20.0, 0.9) == 0.0
    assert battery_wait_s(20.0, 0.0, 100.0, 20.0) == INF


def test_margin_wait():
    # 10 Wh above the line, falling 0.01 Wh/s: a drawing payload is shed in 1000 s
    assert margin_wait_s(10.0, -0.01, True, True, 5.0) == pytest.approx(1000.0, abs=1e-9)
    assert margin_wait_s(10.0, -0.01, False, True, 5.0) == INF  # nothing to shed
    # shed at 4 Wh, rising 0.02 Wh/s: back at the 10 Wh resume level in 300 s
    assert margin_wait_s(4.0, 0.02, False, False, 10.0) == pytest.approx(300.0, abs=1e-9)
    assert margin_wait_s(4.0, 0.02, True, True, 10.0) == INF  # not shed: no resume event


def test_store_waits():
    # 100 B held, filling at 10 B/s into 250 B: full in 15 s
    assert store_waits_s(100.0, 10.0, 250.0, True, 125.0) == (15.0, INF)
    assert store_waits_s(250.0, 10.0, 250.0, False, 125.0) == (INF, INF)  # already full
    # draining 30 B/s: empty in 3.33 s; paused with resume at 40 B: resume in 2 s
    assert store_waits_s(100.0, -30.0, 250.0, True, 40.0) == pytest.approx((100 / 30, INF))
    assert store_waits_s(100.0, -30.0, 250.0, False, 40.0) == pytest.approx((100 / 30, 2.0))
    assert store_waits_s(0.0, -30.0, 250.0, True, 0.0) == (INF, INF)  # empty already


def test_next_event_takes_the_first_wait_beyond_the_tolerance():
    assert next_event_s(1000.0, 1100.0, 50.0, 20.0, INF) == (20.0, 1020.0)
    assert next_event_s(1000.0, 1100.0, 1e-7, -5.0, 30.0) == (30.0, 1030.0)  # now or past: skipped
    assert next_event_s(1000.0, 1100.0) == (100.0, 1100.0)
    assert next_event_s(1000.0, 1100.0, 200.0) == (100.0, 1100.0)  # beyond the segment
    # an event within the 1e-6 s tolerance of the segment end is snapped onto it
    assert next_event_s(1000.0, 1100.0, 100.0 - 5e-7) == (100.0, 1100.0)


# ------------------------------------------------- waits agree with the closed-form integration

@settings(max_examples=200, deadline=None)
@given(e_frac=st.floats(0, 1), p=st.floats(-300, 300), cap=st.floats(1, 500), floor_frac=st.floats(0, 0.99),
       eta=st.floats(0.05, 1.0))
def test_battery_wait_lands_on_full_or_floor_under_battery_step(e_frac, p, cap, floor_frac, eta):
    floor = floor_frac * cap
    e = floor + e_frac * (cap - floor)
    wait = battery_wait_s(e, battery_rate_wh_s(e, p, cap, floor, eta), cap, floor)
    if math.isinf(wait):
        return
    e_end = battery_step(e, p, wait, cap, floor, eta)[0]
    target = cap if p > 0 else floor
    assert e_end == pytest.approx(target, abs=1e-9 * cap)
    # just before the event the battery is still strictly inside its range
    e_before = battery_step(e, p, 0.99 * wait, cap, floor, eta)[0]
    assert abs(e_before - target) == pytest.approx(0.01 * abs(e - target), rel=1e-6, abs=1e-9 * cap)


@settings(max_examples=200, deadline=None)
@given(s_frac=st.floats(0, 1), rec=st.floats(0, 1e4), down=st.floats(0, 1e4), cap=st.floats(1, 1e6))
def test_store_wait_lands_on_full_or_empty_under_store_step(s_frac, rec, down, cap):
    s = s_frac * cap
    wait = store_waits_s(s, rec - down, cap, True, 0.0)[0]
    if math.isinf(wait):
        return
    s_end, _, _, dropped = store_step(s, rec, down, wait, cap)
    assert s_end == pytest.approx(cap if rec > down else 0.0, abs=1e-9 * cap)
    assert dropped == pytest.approx(0.0, abs=1e-9 * cap)  # the wait stops before any data is lost
