"""Tests of payload.operations.run: invariants over random pass sets, worked cases, references."""
import typing

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skyswap.payload.budget import OperatingRule, SwapBudget
from skyswap.payload.operations import operated_mask
from skyswap.payload.operations.run import RULES, run_operations
from skyswap.payload.power import (
    PowerBudget,
    battery_step,
    normalize_intervals,
    sunlit_at,
    sunlit_intervals_from_samples,
)
from skyswap.payload.storage import DataBudget
from skyswap.payload.thermal import ThermalLimits
from tests.reference.swap_run import duty_cycle_violations, soc_at

NO_THERMAL = ThermalLimits(max_on_time_s=1e7, cooldown_s=0.0, warmup_s=0.0)
GPF = "ground-passes-first"
GROUND = SwapBudget(operating_rule=GPF)  # the default limits, run for the windows only


def _orbit_sunlight(span_s, period_s=5677.0, eclipse_s=2100.0, phase_s=0.0):
    starts = np.arange(-period_s, span_s + period_s, period_s) + phase_s
    return np.column_stack([starts + eclipse_s, starts + period_s])


@st.composite
def scenarios(draw):
    span = draw(st.floats(20_000, 200_000))
    period = draw(st.floats(5400, 6200))
    ecl = draw(st.floats(0, 0.45)) * period
    sun = _orbit_sunlight(span, period, ecl, draw(st.floats(0, period)))
    n = draw(st.integers(0, 25))
    starts = np.array(draw(st.lists(st.floats(0, span), min_size=n, max_size=n)))
    durs = np.array(draw(st.lists(st.floats(30, 2500), min_size=n, max_size=n)))
    windows = np.column_stack([starts, starts + durs]) if n else np.empty((0, 2))
    rates = np.array(draw(st.lists(st.floats(0, 1e4), min_size=n, max_size=n)))
    contact = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    min_soc = draw(st.floats(0, 0.8))
    power = PowerBudget(
        payload_standby_w=draw(st.floats(0, 20)), payload_warmup_w=draw(st.floats(0, 150)),
        payload_operating_w=draw(st.floats(0, 250)), idle_state=draw(st.sampled_from(["standby", "off"])),
        bus_base_load_w=draw(st.floats(0, 60)), solar_generation_w=draw(st.floats(0, 300)),
        battery_capacity_wh=draw(st.floats(5, 400)), battery_min_soc=min_soc,
        battery_resume_soc=min_soc + draw(st.floats(0.01, 0.19)),
        battery_initial_soc=draw(st.floats(min_soc, 1.0)), charge_efficiency=draw(st.floats(0.5, 1.0)),
    )
    max_on = draw(st.floats(100, 4000))
    thermal = ThermalLimits(max_on_time_s=max_on, cooldown_s=draw(st.floats(1, 2000)),
                            warmup_s=draw(st.floats(0, 0.9)) * max_on)
    data = DataBudget(storage_bytes=draw(st.sampled_from([0.0, 1e5, 1e6, 1e9])),
                      downlink_rate_bps=draw(st.floats(0, 1e6)),
                      storage_resume_fraction=draw(st.floats(0, 0.9)))
    budget = SwapBudget(power=power, thermal=thermal, data=data,
                        operating_rule=draw(st.sampled_from(list(RULES))))
    return budget, span, sun, windows, rates, contact, draw(st.floats(0, 1e3))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_invariants_over_random_pass_sets(sc):
    budget, span, sun, windows, rates, contact, onboard_rate = sc
    s = run_operations(budget, span, sun, windows, data_rate_bytes_s=rates,
                            window_is_contact=contact, onboard_data_rate_bytes_s=onboard_rate)
    tot, tl, pw = s.totals, s.timeline, budget.power
    # energy conservation: generation - loads = delta battery + curtailed (+ charge loss, unserved)
    scale = max(1.0, tot.generation_wh, tot.load_wh)
    lhs = tot.generation_wh - tot.load_wh + tot.unserved_wh
    rhs = (tot.battery_end_wh - tot.battery_start_wh) + tot.curtailed_wh + tot.charge_loss_wh
    assert lhs == pytest.approx(rhs, abs=1e-9 * scale + 1e-9)
    # state of charge never leaves its bounds
    soc = tl.energy_wh / pw.battery_capacity_wh
    assert soc.min() >= pw.battery_min_soc - 1e-9 and soc.max() <= 1.0 + 1e-9
    # the payload only draws above the floor (shed at it)
    drawing = tl.payload_w > 0
    assert np.all(tl.energy_wh[:-1][drawing] >= pw.battery_min_soc * pw.battery_capacity_wh - 1e-6)
    # thermal duty cycle holds in every schedule
    v = duty_cycle_violations(s.run_intervals_s, budget.thermal, tolerance_s=1e-5)
    assert all(x.size == 0 for x in v.values()), v
    # every operating interval lies inside a run, after its warm-up
    runs = s.run_intervals_s
    for a, b in s.operating_intervals_s:
        j = np.searchsorted(runs[:, 0], a, side="right") - 1
        assert j >= 0 and b <= runs[j, 1] + 1e-6 and a >= runs[j, 0] + budget.thermal.warmup_s - 1e-5
    # store within bounds and bytes conserved
    assert tl.store_bytes.min() >= -1e-6 and tl.store_bytes.max() <= budget.data.storage_bytes + 1e-3
    assert tot.store_end_bytes == pytest.approx(tot.recorded_bytes - tot.downlinked_bytes, abs=1e-3)
    w = s.windows
    if budget.operating_rule == "ground-passes-first":
        # every demanded second is either operated or lost to a named limit
        lost = w.seconds_lost_power + w.seconds_lost_thermal + w.seconds_lost_storage
        np.testing.assert_allclose(w.operating_s + lost, w.end_s - w.start_s, atol=1e-5)
        # never operates outside the demand: windows and their warm-up lead (a gap
        # shorter than the warm-up between two windows is held on)
        demand = normalize_intervals(
            np.column_stack([w.start_s - budget.thermal.warmup_s, w.end_s]), span)
        for a, b in s.operating_intervals_s:
            j = np.searchsorted(demand[:, 0], a + 1e-9, side="right") - 1
            assert j >= 0 and b <= demand[j, 1] + 1e-6
    if budget.operating_rule == "eclipse-onboard":
        # swaps only in the Earth's shadow: every operating interval lies inside one shadow
        # interval (the complement of the sunlight). Containment, not sampled points: a shadow
        # may be one ulp long (abutting sunlight rows that miss each other by rounding), and the
        # interior points of an interval that short round onto its sunlit ends.
        lit = normalize_intervals(sun, span)
        edges = np.concatenate([[0.0], lit.ravel(), [span]])
        shadow = edges.reshape(-1, 2)
        shadow = shadow[shadow[:, 1] > shadow[:, 0]]
        for a, b in s.operating_intervals_s:
            j = np.searchsorted(shadow[:, 0], a, side="right") - 1
            assert j >= 0 and b <= shadow[j, 1], (a, b, shadow)
    assert np.all(np.isin(w.limited_by, ["none", "power", "thermal", "storage"]))


def test_payload_drawing_more_than_the_array_ends_up_power_limited():
    # 200 W payload + 10 W bus against a 100 W array in permanent sunlight, 50 Wh battery,
    # floor 0.3: the 35 Wh above the floor last 35 / 110 h = 1145.45 s of a 3000 s window.
    power = PowerBudget(payload_operating_w=200, payload_standby_w=0, bus_base_load_w=10,
                        solar_generation_w=100, battery_capacity_wh=50, battery_min_soc=0.3,
                        battery_resume_soc=0.5, charge_efficiency=1.0)
    s = run_operations(SwapBudget(power=power, thermal=NO_THERMAL, operating_rule=GPF), 10_000.0, [[0, 10_000]],
                            [[1000, 4000]])
    # Then the hysteresis: shed, recharge 10 Wh (resume 0.5) at 90 W in 400 s, run the 10 Wh
    # at 110 W for 327.27 s, ... Over the 3000 s: 1145.45 + 2 x 327.27 = 1800 s operated.
    w = s.windows
    assert s.operating_intervals_s[0, 1] - 1000 == pytest.approx(35 / 110 * 3600, abs=1e-6)
    assert s.operating_intervals_s[1, 0] - s.operating_intervals_s[0, 1] == pytest.approx(400.0, abs=1e-6)
    assert w.operating_s[0] == pytest.approx(1800.0, abs=1e-6)
    assert w.seconds_lost_power[0] == pytest.approx(1200.0, abs=1e-6)
    assert w.limited_by[0] == "power"
    assert s.totals.soc_min == pytest.approx(0.3, abs=1e-9)


def test_continuous_onboard_over_budget_is_power_limited_over_days():
    power = PowerBudget(payload_operating_w=200, payload_warmup_w=200, bus_base_load_w=10,
                        solar_generation_w=100, battery_capacity_wh=50, battery_min_soc=0.3,
                        battery_resume_soc=0.5)
    span = 3 * 86400.0
    s = run_operations(SwapBudget(power=power, thermal=NO_THERMAL, operating_rule="continuous-onboard"),
                            span, _orbit_sunlight(span), np.empty((0, 2)))
    lost = s.totals.seconds_lost
    assert lost["power"] > 0.5 * span and lost["thermal"] == 0.0 and lost["storage"] == 0.0
    assert s.totals.operating_hours * 3600 + lost["power"] == pytest.approx(span, abs=1e-3)
    # duty fraction cannot exceed what the array pays for: 100 W x sunlit share / 190 W surplus draw
    assert s.totals.operating_hours * 3600 / span < 1.0


def test_eclipse_reserve_keeps_the_bus_alive_until_sunrise():
    # Eclipse [0, 5000), then sun. Battery 100 Wh, floor 0.5, bus 20 W, payload 100 W.
    # Reserve at t: 50 + 20 (5000 - t)/3600 Wh; margin at 0 is 22.22 Wh, spent at 100 W in 800 s.
    power = PowerBudget(payload_operating_w=100, payload_standby_w=0, idle_state="off",
                        bus_base_load_w=20, solar_generation_w=200, battery_capacity_wh=100,
                        battery_min_soc=0.5, battery_resume_soc=0.6)
    s = run_operations(SwapBudget(power=power, thermal=NO_THERMAL, operating_rule=GPF), 10_000.0, [[5000, 10_000]],
                            [[0, 3000]])
    assert s.windows.operating_s[0] == pytest.approx(800.0, abs=1e-6)
    assert s.windows.limited_by[0] == "power"
    assert soc_at(s, 5000.0) == pytest.approx(0.5, abs=1e-9)
    assert s.totals.unserved_wh == pytest.approx(0.0, abs=1e-9)


def test_battery_matches_a_per_second_numerical_reference():
    # Re-integrate the battery second by second from the schedule's own loads and sunlight.
    span = 86400.0
    sun = _orbit_sunlight(span)
    rng = np.random.default_rng(7)
    st0 = np.sort(rng.uniform(0, span - 3000, 12))
    windows = np.column_stack([st0, st0 + rng.uniform(200, 900, 12)])
    budget = SwapBudget(power=PowerBudget(payload_operating_w=120, solar_generation_w=90,
                                          battery_capacity_wh=80), operating_rule=GPF)
    s = run_operations(budget, span, sun, windows)
    pw, tl = budget.power, s.timeline
    t = np.arange(0.0, span) + 0.5
    seg = np.searchsorted(tl.t_s, t, side="right") - 1
    load = pw.bus_base_load_w + tl.payload_w[seg]
    gen = np.where(sunlit_at(normalize_intervals(sun, span), t), pw.solar_generation_w, 0.0)
    e = np.empty(t.size + 1)
    e[0] = pw.battery_initial_soc * pw.battery_capacity_wh
    for k in range(t.size):
        e[k + 1] = battery_step(e[k], gen[k] - load[k], 1.0, pw.battery_capacity_wh,
                                pw.battery_min_soc * pw.battery_capacity_wh, pw.charge_efficiency)[0]
    ref = e[np.arange(0, int(span) + 1, 600)]
    got = soc_at(s, np.arange(0, int(span) + 1, 600)) * pw.battery_capacity_wh
    # per-second sampling misplaces each event by < 1 s: < 200 W x 1 s per event
    assert np.max(np.abs(ref - got)) < 0.5
    assert s.totals.seconds_lost["power"] > 0  # the case exercises the power limit


def test_operated_mask_agrees_with_operating_seconds():
    span = 86400.0
    rng = np.random.default_rng(3)
    st0 = np.sort(rng.uniform(0, span - 3000, 10))
    windows = np.column_stack([st0, st0 + rng.uniform(300, 2500, 10)])
    s = run_operations(GROUND, span, _orbit_sunlight(span), windows)
    t = np.arange(0.0, span, 1.0) + 0.5
    for i in range(len(windows)):
        assert operated_mask(s, i, t).sum() == pytest.approx(s.windows.operating_s[i], abs=2.0)
    assert operated_mask(s, None, t).sum() == pytest.approx(s.totals.operating_hours * 3600, abs=2 * len(windows))


def test_sunlit_intervals_from_samples():
    t = np.arange(0, 10.0)
    flag = np.array([0, 1, 1, 0, 0, 1, 1, 1, 0, 1], bool)
    np.testing.assert_array_equal(sunlit_intervals_from_samples(t, flag), [[1, 3], [5, 8], [9, 10]])


def test_summary_section_is_plain_json():
    import json
    s = run_operations(GROUND, 86400.0, _orbit_sunlight(86400.0), [[1000, 1600]])
    d = s.totals.as_summary()
    json.dumps(d)
    assert set(d["seconds_lost"]) == {"power", "thermal", "storage"} and d["operating_hours"] > 0


@pytest.mark.parametrize("kwargs, match", [
    ({"windows_s": [[10, 5]]}, r"windows_s\[0\] ends before it starts"),
    ({"windows_s": [1, 2, 3]}, "windows_s must have shape"),
    ({"span_s": 0.0}, "span_s"),
    ({"rule": "whenever"}, "rule must be one of ground-passes-first, continuous-onboard"),
    ({"budget": SwapBudget(operating_rule=None)}, "leaves the operating rule to the payload mode"),
    ({"data_rate_bytes_s": [1.0, 2.0]}, r"data_rate_bytes_s must have shape \(1,\)"),
    ({"data_rate_bytes_s": [-1.0]}, r"data_rate_bytes_s\[0\]"),
])
def test_bad_input_names_the_argument(kwargs, match):
    args = {"budget": GROUND, "span_s": 1000.0, "sunlit_intervals_s": [[0, 1000]],
            "windows_s": [[10, 50]]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        run_operations(**args)


def test_every_operating_rule_the_schema_accepts_is_described():
    assert tuple(RULES) == typing.get_args(OperatingRule)
