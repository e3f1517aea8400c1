"""The event-driven scheduler against a brute-force fixed-step integration of the same rules.

The reference walks the span in 0.1 s steps. At the start of every step it applies the same
state transitions (payload.operations.transitions) to inputs looked up directly from the sunlit
intervals and the windows (not from the scheduler's pieces), then integrates the step with
payload.power.battery_step and payload.storage.store_step. It knows nothing of event times:
each event is found up to one step late. The scheduler must agree with it on the battery
energy [Wh], the store content [B] and the operated seconds [s] within what misplacing each
event by one step can cost.

All input times lie on a 1 s lattice offset by 0.05 s from the 0.1 s grid, so the reference
finds every input edge and thermal event exactly 0.05 s late and no two of them fall within
one step of each other by accident (which would let the two integrations take different
branches, e.g. start a run in one and not in the other).
"""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skyswap.payload.budget import SwapBudget
from skyswap.payload.operations.run import run_operations
from skyswap.payload.operations.transitions import (
    IDLE,
    OPERATING,
    payload_draw_by_state_w,
    power_transition,
    run_transition,
    storage_transition,
)
from skyswap.payload.power import (
    SECONDS_PER_HOUR,
    PowerBudget,
    battery_step,
    eclipse_end_after,
    normalize_intervals,
    sunlit_at,
)
from skyswap.payload.storage import DataBudget, store_step
from skyswap.payload.thermal import ThermalLimits
from tests.reference.swap_run import soc_at

STEP_S = 0.1
OFFSET_S = 0.05  # input times are k + 0.05 s: half a step before a grid point


def brute_force(budget: SwapBudget, span_s: float, sunlit_s, windows_s, rates_b_s, contact,
                onboard_rate_b_s: float):
    """Fixed-step integration; returns step start times, energy and store at step starts, operated s."""
    pw, th, data = budget.power, budget.thermal, budget.data
    n = round(span_s / STEP_S)
    t = np.arange(n) * STEP_S
    sun = normalize_intervals(sunlit_s, span_s)
    sunlit = sunlit_at(sun, t)
    sunrise = eclipse_end_after(sun, t, span_s)
    win = np.clip(np.asarray(windows_s, dtype=float).reshape(-1, 2), 0.0, span_s)
    inside = (t[:, None] >= win[:, 0]) & (t[:, None] < win[:, 1])
    record = np.where(inside, rates_b_s, 0.0).max(axis=1, initial=0.0)
    downlink = (inside * np.where(contact, data.downlink_rate_bps / 8.0, 0.0)).sum(axis=1)
    if budget.operating_rule == "ground-passes-first":
        demanded = ((t[:, None] >= win[:, 0] - th.warmup_s) & (t[:, None] < win[:, 1])).any(axis=1)
    else:  # the onboard policies: all the time, or in eclipse only
        demanded = ~sunlit if budget.operating_rule == "eclipse-onboard" else np.ones(n, dtype=bool)
        record = np.where(inside.any(axis=1), record, onboard_rate_b_s)

    cap = pw.battery_capacity_wh
    floor = pw.battery_min_soc * cap
    resume_margin = (pw.battery_resume_soc - pw.battery_min_soc) * cap
    draw_w = payload_draw_by_state_w(pw)
    resume_b = data.storage_resume_fraction * data.storage_bytes
    e, s = pw.battery_initial_soc * cap, 0.0
    state, power_ok, store_ok, on_start, cool_until, run_id = IDLE, True, True, -np.inf, -np.inf, -1
    energy, store = np.empty(n + 1), np.empty(n + 1)
    energy[0], store[0] = e, s
    operated = 0.0
    for k, (tk, sun_k, rise_k, dem, rec, down) in enumerate(zip(
            t.tolist(), sunlit.tolist(), sunrise.tolist(), demanded.tolist(), record.tolist(), downlink.tolist())):
        reserve_wh = 0.0 if sun_k else pw.bus_base_load_w * (rise_k - tk) / SECONDS_PER_HOUR
        power_ok = power_transition(e - floor - reserve_wh, power_ok, resume_margin)
        store_ok, full = storage_transition(s, store_ok, rec, down, data.storage_bytes, resume_b)
        state, on_start, cool_until, run_id, store_ok = run_transition(
            state, tk, dem, power_ok, store_ok, full, on_start, cool_until, run_id, th)
        net_w = (pw.solar_generation_w if sun_k else 0.0) - pw.bus_base_load_w - draw_w[state]
        e = battery_step(e, float(net_w), STEP_S, cap, floor, pw.charge_efficiency)[0]
        s = store_step(s, rec if state == OPERATING else 0.0, down, STEP_S, data.storage_bytes)[0]
        operated += STEP_S if state == OPERATING else 0.0
        energy[k + 1], store[k + 1] = e, s
    return np.append(t, n * STEP_S), energy, store, operated


def _lattice(draw, lo, hi):
    return draw(st.integers(lo, hi)) + OFFSET_S


@st.composite
def cases(draw):
    span = float(draw(st.integers(3600, 10_800)))
    period, eclipse = draw(st.integers(1500, 6000)), draw(st.integers(0, 2500))
    phase = _lattice(draw, 0, period)
    starts = np.arange(-period, span + period, period) + phase
    sun = np.column_stack([starts + min(eclipse, period - 1), starts + period])
    n = draw(st.integers(1, 8))
    w0 = np.array([_lattice(draw, 0, int(span) - 10) for _ in range(n)])
    windows = np.column_stack([w0, w0 + [draw(st.integers(30, 2500)) for _ in range(n)]])
    rates = np.array([draw(st.floats(0, 1e4)) for _ in range(n)])
    contact = np.array([draw(st.booleans()) for _ in range(n)])
    min_soc = draw(st.floats(0, 0.8))
    power = PowerBudget(
        payload_standby_w=draw(st.floats(0, 20)), payload_warmup_w=draw(st.floats(0, 150)),
        payload_operating_w=draw(st.floats(0, 250)), idle_state=draw(st.sampled_from(["standby", "off"])),
        bus_base_load_w=draw(st.floats(0, 60)), solar_generation_w=draw(st.floats(0, 300)),
        battery_capacity_wh=draw(st.floats(5, 100)), battery_min_soc=min_soc,
        battery_resume_soc=min_soc + draw(st.floats(0.02, 0.19)),
        battery_initial_soc=draw(st.floats(min_soc + 0.01, 1.0)), charge_efficiency=draw(st.floats(0.5, 1.0)),
    )
    max_on = draw(st.integers(100, 3000))
    thermal = ThermalLimits(max_on_time_s=float(max_on), cooldown_s=float(draw(st.integers(1, 1500))),
                            warmup_s=float(draw(st.integers(0, max_on - 1))))
    data = DataBudget(storage_bytes=draw(st.sampled_from([1e5, 1e6, 1e9])),
                      downlink_rate_bps=draw(st.floats(0, 1e5)),
                      storage_resume_fraction=draw(st.floats(0, 0.9)))
    rule = draw(st.sampled_from(["ground-passes-first", "continuous-onboard", "eclipse-onboard"]))
    budget = SwapBudget(power=power, thermal=thermal, data=data, operating_rule=rule)
    return budget, span, sun, windows, rates, contact, draw(st.floats(0, 1e3))


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_event_loop_matches_a_fixed_step_integration_of_the_same_rules(case):
    budget, span, sun, windows, rates, contact, onboard = case
    sched = run_operations(budget, span, sun, windows, data_rate_bytes_s=rates,
                                window_is_contact=contact, onboard_data_rate_bytes_s=onboard)
    t, energy_ref, store_ref, operated_ref = brute_force(budget, span, sun, windows, rates, contact, onboard)

    # Each event of the exact schedule (a change of state, of sunlight, of the demand or data
    # rates) is found up to one step late by the reference; each misplaced event costs at
    # most one step of operation, of the largest power swing and of the largest data flow.
    tl = sched.timeline
    events = (2 + int(np.count_nonzero(np.diff(tl.state))) + int(np.count_nonzero(np.diff(tl.sunlit)))
              + 2 * len(windows))
    tol_s = STEP_S * events
    pw = budget.power
    # every payload state's draw counts: a case with only the standby draw non-zero (hypothesis found one)
    swing_w = pw.solar_generation_w + pw.bus_base_load_w + max(pw.payload_operating_w, pw.payload_warmup_w,
                                                               pw.payload_standby_w)
    tol_wh = swing_w * tol_s / SECONDS_PER_HOUR + 1e-9 * pw.battery_capacity_wh
    flow_b_s = max(float(np.max(rates, initial=0.0)), onboard) + budget.data.downlink_rate_bps / 8.0 * len(windows)
    tol_b = flow_b_s * tol_s + 1e-6

    assert abs(sched.totals.operating_hours * SECONDS_PER_HOUR - operated_ref) <= tol_s
    energy = soc_at(sched, t) * pw.battery_capacity_wh
    assert np.max(np.abs(energy - energy_ref)) <= tol_wh
    store = np.interp(t, tl.t_s, tl.store_bytes)
    assert np.max(np.abs(store - store_ref)) <= tol_b
