"""Tests of payload.thermal and of the thermal rule in the scheduler."""
import numpy as np
import pytest

from skyswap.payload.budget import SwapBudget
from skyswap.payload.operations import operated_mask
from skyswap.payload.operations.run import run_operations
from skyswap.payload.power import PowerBudget
from skyswap.payload.thermal import ThermalLimits
from tests.reference.swap_run import duty_cycle_violations

LIMITS = ThermalLimits(max_on_time_s=1800.0, cooldown_s=900.0, warmup_s=120.0)
PLENTY = PowerBudget(solar_generation_w=1000.0, battery_capacity_wh=1000.0)


def test_duty_cycle_violations_flags_each_kind():
    runs = np.array([[0, 1800], [2700, 4600], [5000, 5100], [5050, 5200]], dtype=float)
    v = duty_cycle_violations(runs, LIMITS)
    assert v["too_long"].tolist() == [1]  # 1900 s > 1800 s
    assert v["too_soon"].tolist() == [2, 3]  # 400 s and -50 s gaps < 900 s
    assert v["overlapping"].tolist() == [3]
    assert all(x.size == 0 for x in duty_cycle_violations(runs[:1], LIMITS).values())


def test_warmup_must_be_shorter_than_max_on_time():
    with pytest.raises(ValueError, match="warmup_s"):
        ThermalLimits(max_on_time_s=100.0, warmup_s=100.0)


def test_long_window_is_cut_by_max_on_time_and_resumes_after_cooldown():
    # Window [1000, 5000) in permanent sunlight with ample power.
    # Pre-warm from 880 s; run 1 = [880, 2680) (1800 s), operating [1000, 2680);
    # cool-down to 3580; run 2 warms [3580, 3700), operates [3700, 5000).
    sched = run_operations(SwapBudget(power=PLENTY, thermal=LIMITS, operating_rule="ground-passes-first"), 10_000.0,
                                [[0.0, 10_000.0]], [[1000.0, 5000.0]])
    np.testing.assert_allclose(sched.run_intervals_s, [[880, 2680], [3580, 5000]], atol=1e-6)
    np.testing.assert_allclose(sched.operating_intervals_s, [[1000, 2680], [3700, 5000]], atol=1e-6)
    w = sched.windows
    assert w.operating_s[0] == pytest.approx(1680 + 1300, abs=1e-6)
    assert w.seconds_lost_thermal[0] == pytest.approx(900 + 120, abs=1e-6)
    assert w.seconds_lost_power[0] == 0.0 and w.seconds_lost_storage[0] == 0.0
    assert w.limited_by[0] == "thermal"
    mask = operated_mask(sched, 0, np.arange(0, 6000, 10.0))
    assert mask.sum() * 10.0 == pytest.approx(2980, abs=20)


def test_prewarm_makes_a_short_window_fully_operated():
    sched = run_operations(SwapBudget(power=PLENTY, thermal=LIMITS, operating_rule="ground-passes-first"), 5000.0,
                                [[0.0, 5000.0]], [[1000.0, 1600.0]])
    assert sched.windows.operating_s[0] == pytest.approx(600.0, abs=1e-6)
    assert sched.windows.limited_by[0] == "none"
    np.testing.assert_allclose(sched.run_intervals_s, [[880, 1600]], atol=1e-6)


def test_back_to_back_windows_wait_for_cooldown():
    # Second window starts 300 s after the first ends: cool-down (900 s) and warm-up (120 s)
    # cost 900 + 120 - 300 = 720 s of it.
    sched = run_operations(SwapBudget(power=PLENTY, thermal=LIMITS, operating_rule="ground-passes-first"), 10_000.0,
                                [[0.0, 10_000.0]], [[1000.0, 1500.0], [1800.0, 3000.0]])
    w = sched.windows
    assert w.operating_s[0] == pytest.approx(500.0, abs=1e-6)
    assert w.seconds_lost_thermal[1] == pytest.approx(720.0, abs=1e-6)
    assert w.operating_s[1] == pytest.approx(1200.0 - 720.0, abs=1e-6)
    assert all(v.size == 0 for v in duty_cycle_violations(sched.run_intervals_s, LIMITS).values())
