"""Mode ``onboard`` over a span (payload.onboard): the payload swaps whenever its SWaP budget allows,
in eclipse only under ``eclipse-onboard``, and the contacts drain the store at the downlink rate.

The expected operating times are worked out by hand from the thermal duty cycle (a run of
``max_on_time_s``, warm-up included, then ``cooldown_s`` off), not taken from the code."""
import dataclasses

import numpy as np
import pytest

from skyswap.payload.budget import SwapBudget
from skyswap.payload.onboard import onboard_record_rate_bytes_s, onboard_rule, plan_onboard
from skyswap.payload.power import normalize_intervals, sunlit_at
from skyswap.payload.profile import Q4SProfile, onboard_fourfold, q4s_payload

PERIOD_S, ECLIPSE_S = 5677.0, 2100.0  # a 500 km orbit: 94.6 min, 35 min in the Earth's shadow


def _sunlight(span_s):
    starts = np.arange(-PERIOD_S, span_s + PERIOD_S, PERIOD_S)
    return np.column_stack([starts + ECLIPSE_S, starts + PERIOD_S])


def _contacts(span_s, per_day=9, length_s=180.0):
    """Nine 3-min contacts a day (the q4s year's stations give ~3,200 contacts of ~3 min)."""
    starts = np.arange(1800.0, span_s - length_s, 86400.0 / per_day)
    return np.column_stack([starts, starts + length_s])


def _with_rule(payload, rule):
    return dataclasses.replace(payload, swap_budget=dataclasses.replace(payload.swap_budget, operating_rule=rule))


def test_onboard_rule_is_the_budgets_when_it_swaps_between_contacts():
    assert onboard_rule(SwapBudget()) == "continuous-onboard"  # left to the mode
    assert onboard_rule(SwapBudget(operating_rule="ground-passes-first")) == "continuous-onboard"
    assert onboard_rule(SwapBudget(operating_rule="continuous-onboard")) == "continuous-onboard"
    assert onboard_rule(SwapBudget(operating_rule="eclipse-onboard")) == "eclipse-onboard"


def test_the_profile_swaps_all_day_within_its_thermal_duty_cycle_over_a_year():
    span = 365 * 86400.0
    payload = q4s_payload()
    th = payload.swap_budget.thermal
    plan = plan_onboard(payload, span, _sunlight(span), _contacts(span))
    assert plan.operating_rule == "continuous-onboard"
    tot = plan.operations.totals
    # the ~45 W payload fits the bus and the store drains at the contacts: only the duty cycle limits
    assert tot.seconds_lost["power"] == 0.0 and tot.seconds_lost["storage"] == 0.0
    assert tot.unserved_wh == 0.0 and tot.soc_min >= payload.swap_budget.power.battery_min_soc
    # back-to-back runs: (max_on - warm-up) operated in every (max_on + cool-down):
    # 1680 s in 2700 s = 62.2 % of the year, to within one run at the end of the span
    duty = (th.max_on_time_s - th.warmup_s) / (th.max_on_time_s + th.cooldown_s)
    assert plan.operating_hours * 3600.0 == pytest.approx(duty * span, abs=th.max_on_time_s + th.cooldown_s)
    # sunlit hours count: far more than the eclipses alone could give (35 of 94.6 min)
    assert plan.operating_hours * 3600.0 > 1.5 * span * ECLIPSE_S / PERIOD_S
    # per operating hour the profile's rate: the stated 100+ at F >= 0.9
    profile = Q4SProfile()
    assert profile.target_fourfold_swaps_per_hour <= plan.fourfold_swaps_per_operating_hour \
        <= profile.max_fourfold_swaps_per_hour
    assert plan.fourfold_swaps == pytest.approx(plan.fourfold_swaps_per_operating_hour * plan.operating_hours)
    assert plan.fidelity == pytest.approx(onboard_fourfold(payload).fidelity) and plan.fidelity >= 0.9


def test_eclipse_onboard_swaps_only_in_the_shadow_one_run_per_eclipse():
    span = 30 * 86400.0
    sun = _sunlight(span)
    payload = _with_rule(q4s_payload(), "eclipse-onboard")
    th = payload.swap_budget.thermal
    plan = plan_onboard(payload, span, sun, _contacts(span))
    assert plan.operating_rule == "eclipse-onboard"
    sunlit = normalize_intervals(sun, span)
    for a, b in plan.operations.operating_intervals_s:
        assert not sunlit_at(sunlit, np.linspace(a, b, 9)[1:-1]).any()
    # each 2100 s eclipse: warm up 120 s, operate until the 1800 s on-time limit -> 1680 s, then
    # cool down past the eclipse's end; eclipses wholly inside the span count, the first starts at 0
    eclipses = int(np.sum(np.arange(0.0, span, PERIOD_S) + ECLIPSE_S <= span))
    per_eclipse = min(th.max_on_time_s, ECLIPSE_S) - th.warmup_s
    assert plan.operating_hours * 3600.0 == pytest.approx(eclipses * per_eclipse, abs=1e-3)
    assert plan.operations.totals.seconds_lost["power"] == 0.0


def test_contacts_drain_the_store_at_the_downlink_rate():
    span = 2 * 86400.0
    contacts = _contacts(span, per_day=4, length_s=300.0)
    payload = q4s_payload()
    # a downlink slower than the recording: every contact sends at its full rate, the store fills
    # and the payload pauses for storage
    slow_data = dataclasses.replace(payload.swap_budget.data, downlink_rate_bps=8.0e4, storage_bytes=2.0e8)
    slow = dataclasses.replace(payload, swap_budget=dataclasses.replace(payload.swap_budget, data=slow_data))
    plan = plan_onboard(slow, span, _sunlight(span), contacts)
    w = plan.operations.windows
    np.testing.assert_allclose(w.downlinked_bytes, 1.0e4 * (contacts[:, 1] - contacts[:, 0]), rtol=1e-9)
    assert plan.operations.totals.seconds_lost["storage"] > 0.0
    tot = plan.operations.totals
    assert tot.recorded_bytes == pytest.approx(plan.record_rate_bytes_s * tot.operating_hours * 3600.0, rel=1e-9)
    assert tot.store_end_bytes == pytest.approx(tot.recorded_bytes - tot.downlinked_bytes, abs=1e-3)


def test_record_rate_counts_every_onboard_click_and_each_herald():
    payload = q4s_payload()
    src, data = payload.source, payload.swap_budget.data
    # four onboard detectors each see ~ f * mu * eta photons plus dark counts; one record per herald
    per_detector_hz = src.repetition_rate_hz * src.mean_pairs_per_pulse * payload.onboard_detection_efficiency \
        + payload.bsm.dark_count_rate_hz
    heralds_hz = 2.0
    assert onboard_record_rate_bytes_s(payload, heralds_hz) == pytest.approx(
        4 * per_detector_hz * data.bytes_per_event + heralds_hz * data.bytes_per_herald_record)
