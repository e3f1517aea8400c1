"""Tests of payload.power: closed-form battery integration, intervals, the container."""
import numpy as np
import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skyswap.payload.power import (
    PowerBudget,
    battery_step,
    eclipse_end_after,
    normalize_intervals,
    sunlit_at,
)

# battery_step has one rule and two ways in: Python floats (the scheduler's fast path) and
# arrays (broadcast element by element); every physics test below runs both ways.
WAYS = [pytest.param(float, id="floats"), pytest.param(np.asarray, id="arrays")]


@pytest.mark.parametrize("way", WAYS)
def test_battery_step_charge_to_full_worked_example(way):
    # 100 W surplus for one hour into a 100 Wh battery at 50 Wh, eta = 0.9:
    # 50 Wh fit, taken from the array 50/0.9 = 55.56 Wh, the rest (44.44 Wh) curtailed.
    e1, curt, loss, unserved = battery_step(way(50.0), way(100.0), way(3600.0), 100.0, 20.0, 0.9)
    assert e1 == pytest.approx(100.0, abs=1e-12)
    assert curt == pytest.approx(100.0 - 50.0 / 0.9, abs=1e-9)
    assert loss == pytest.approx(50.0 / 0.9 - 50.0, abs=1e-9)
    assert unserved == 0.0


@pytest.mark.parametrize("way", WAYS)
def test_battery_step_discharge_stops_at_floor(way):
    # 60 W deficit for one hour from 50 Wh with a 20 Wh floor: 30 Wh delivered, 30 Wh unserved.
    e1, curt, loss, unserved = battery_step(way(50.0), way(-60.0), way(3600.0), 100.0, 20.0, 0.9)
    assert e1 == pytest.approx(20.0)
    assert unserved == pytest.approx(30.0)
    assert curt == 0.0 and loss == 0.0


@pytest.mark.parametrize("way", WAYS)
def test_battery_step_partial_charge_is_linear(way):
    e1, curt, loss, _ = battery_step(way(10.0), way(36.0), way(1000.0), 100.0, 0.0, 0.5)
    # 36 W * 1000 s = 10 Wh supplied, half stored
    assert e1 == pytest.approx(15.0)
    assert loss == pytest.approx(5.0)
    assert curt == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("way", WAYS)
@settings(max_examples=200, deadline=None)
@given(
    e0=st.floats(0, 500), p=st.floats(-300, 300), dt=st.floats(0, 1e5),
    cap=st.floats(1, 500), floor_frac=st.floats(0, 0.99), eta=st.floats(0.05, 1.0),
)
def test_battery_step_conserves_energy_and_respects_bounds(way, e0, p, dt, cap, floor_frac, eta):
    floor = floor_frac * cap
    e0 = min(max(e0, floor), cap)
    e1, curt, loss, unserved = battery_step(way(e0), way(p), way(dt), cap, floor, eta)
    supplied = p * dt / 3600.0
    assert supplied + unserved == pytest.approx((e1 - e0) + curt + loss, abs=1e-9 * max(1, abs(supplied)))
    assert floor - 1e-9 <= e1 <= cap + 1e-9
    assert curt >= -1e-9 and loss >= -1e-9 and unserved >= -1e-9


def test_battery_step_broadcasts_over_time_axis():
    e1, *_ = battery_step(np.array([10.0, 50.0, 90.0]), 36.0, 1000.0, 100.0, 0.0, 1.0)
    np.testing.assert_allclose(e1, [20.0, 60.0, 100.0])
    e1, *_ = battery_step(np.array([[10.0], [50.0]]), np.array([36.0, -36.0]), 1000.0, 100.0, 5.0, 1.0)
    np.testing.assert_allclose(e1, [[20.0, 5.0], [60.0, 40.0]])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(-300, 300), st.floats(0, 1e5), st.floats(1, 500),
                          st.floats(0, 0.99), st.floats(0.05, 1.0)), min_size=1, max_size=20))
def test_battery_step_arrays_are_the_float_rule_element_by_element(rows):
    # the array way and the float way are one rule: identical to the last bit, and floats in
    # give floats out (no numpy on the scheduler's per-event path)
    e0 = [f * cap for f, _, _, cap, _, _ in rows]
    cols = [np.array(e0)] + [np.array(c) for c in list(zip(*rows))[1:]]
    cols[4] = cols[4] * cols[3]  # floor as a fraction of the capacity
    got = battery_step(*cols)
    for k in range(len(rows)):
        one = battery_step(*(float(c[k]) for c in cols))
        assert all(type(x) is float for x in one)
        assert [float(x[k]) for x in got] == list(one)


def test_normalize_intervals_sorts_merges_and_clips():
    out = normalize_intervals([[50, 70], [-10, 5], [60, 80], [90, 120], [30, 30]], 100.0)
    np.testing.assert_array_equal(out, [[0, 5], [50, 80], [90, 100]])


def test_normalize_intervals_names_the_field_on_bad_input():
    with pytest.raises(ValueError, match=r"sunlit_intervals_s\[1\] ends before it starts"):
        normalize_intervals([[0, 1], [5, 2]], 10.0, "sunlit_intervals_s")


def test_sunlit_at_and_next_sunrise():
    sun = np.array([[10.0, 20.0], [40.0, 50.0]])
    t = np.array([0, 10, 15, 20, 30, 45, 50, 60])
    np.testing.assert_array_equal(sunlit_at(sun, t), [0, 1, 1, 0, 0, 1, 0, 0])
    np.testing.assert_array_equal(eclipse_end_after(sun, [0, 25, 45, 55], 100.0), [10, 40, 100, 100])


def test_power_budget_cross_field_checks():
    with pytest.raises(ValueError, match="battery_resume_soc"):
        PowerBudget(battery_min_soc=0.5, battery_resume_soc=0.4)
    with pytest.raises(ValueError, match="battery_initial_soc"):
        PowerBudget(battery_min_soc=0.5, battery_resume_soc=0.6, battery_initial_soc=0.3)
    assert PowerBudget(idle_state="off").payload_idle_w == 0.0
    assert PowerBudget().payload_idle_w == PowerBudget().payload_standby_w


def test_power_budget_embeds_in_pydantic_with_bounds_and_no_extra_keys():
    ta = pydantic.TypeAdapter(PowerBudget)
    assert ta.validate_python({"battery_capacity_wh": 100}).battery_capacity_wh == 100.0
    with pytest.raises(pydantic.ValidationError, match="battery_capacity_wh"):
        ta.validate_python({"battery_capacity_wh": -1})
    with pytest.raises(pydantic.ValidationError, match="battery_wh"):
        ta.validate_python({"battery_wh": 100})
    with pytest.raises(pydantic.ValidationError):
        ta.validate_python({"solar_generation_w": float("nan")})
