"""Issue 23 item 2: what would change the headline. Each lever's number is what re-running the plan
with the parameter changed gives (a short span where the contact plan and the SWaP schedule stay the
same), and the searches' answers are where re-planned runs cross the line."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from skyswap import mission
from skyswap.mission import levers, planner

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"


def _scenario(**payload_changes):
    """The tiny scenario (one pair, two nights: no contention) with no data limit, so that a faster
    source does not fill the store and change the SWaP schedule."""
    sc = mission.load_scenario(TINY)
    budget = sc.payload.swap_budget
    data = replace(budget.data, bytes_per_event=0.0, bytes_per_herald_record=0.0)
    return sc.model_copy(update={"payload": replace(sc.payload, swap_budget=replace(budget, data=data),
                                                    **payload_changes)})


def _plan(sc):
    return planner.mission_result(sc, planner.run_stages(sc), with_levers=False)


@pytest.fixture(scope="module")
def base():
    sc = _scenario()
    return sc, planner.plan(sc)


def _row(summary, lever, step):
    return next(r for r in summary["levers"]["levers"] if r["lever"] == lever and r["step"] == step)


def _same_contacts(a, b):
    cols = ["pass_id", "start_utc", "end_utc"]
    assert a.schedule[cols].equals(b.schedule[cols]), "the contact plan changed: the lever cannot reproduce it"


def test_the_baseline_is_the_plan(base):
    _, res = base
    b, t = res.summary["levers"]["baseline"], res.summary["totals"]
    for k in ("heralded_pairs", "expected_heralded_pairs", "secret_key_bits"):
        assert b[k] == pytest.approx(t[k], rel=1e-12, abs=0)
    assert res.summary["levers"]["stride"] == 1  # a short span: every sample, so the numbers are exact


@pytest.mark.parametrize("lever, step, change", [
    ("aperture", 2.0, lambda sc: {"stations": [replace(s, aperture_m=2 * s.aperture_m) for s in sc.stations]}),
    ("divergence", 0.5, lambda sc: {"payload": replace(sc.payload, transmitter=replace(
        sc.payload.transmitter, divergence_urad=0.5 * sc.payload.transmitter.divergence_urad))}),
    ("source_rate", 2.0, lambda sc: {"payload": replace(sc.payload, source=replace(
        sc.payload.source, repetition_rate_hz=2 * sc.payload.source.repetition_rate_hz))}),
    ("station_detectors", 2.0, lambda sc: {"stations": [replace(s, detector_efficiency=min(1.0, 2 * s.detector_efficiency))
                                                        for s in sc.stations]}),
])
def test_a_lever_is_what_the_replanned_scenario_gives(base, lever, step, change):
    sc, res = base
    row = _row(res.summary, lever, step)
    again = _plan(sc.model_copy(update=change(sc)))
    _same_contacts(res, again)
    for k in ("heralded_pairs", "expected_heralded_pairs", "secret_key_bits"):
        assert row[k] == pytest.approx(again.summary["totals"][k], rel=1e-9, abs=1e-15), k
    assert row["ratio"] == pytest.approx(again.summary["totals"]["expected_heralded_pairs"]
                                         / res.summary["totals"]["expected_heralded_pairs"], rel=1e-9)


def test_the_source_rate_scales_the_pairs_and_nothing_else(base):
    """At the same pairs per pulse, twice the repetition rate is twice every count (the QBER stays)."""
    _, res = base
    t = res.summary["totals"]
    for step in (0.5, 2.0):
        row = _row(res.summary, "source_rate", step)
        assert row["heralded_pairs"] == pytest.approx(step * t["heralded_pairs"], rel=1e-12)


def test_a_raised_mask_drops_the_samples_below_it(base):
    """The mask lever against the per-sample table: the pairs of the samples above both masks + 10°."""
    sc, res = base
    s = res.samples()
    keep = (s["elevation_a_deg"] >= sc.elevation_mask_deg + 10) & (s["elevation_b_deg"] >= sc.elevation_mask_deg + 10)
    row = _row(res.summary, "elevation_mask", 10.0)
    assert row["heralded_pairs"] == pytest.approx(s.loc[keep, "heralded_pairs"].sum(), rel=1e-9)
    assert 0 < row["heralded_pairs"] < res.summary["totals"]["heralded_pairs"]


def test_ten_times_the_pairs_where_the_search_says(base):
    """The link gain for 10x the pairs, reproduced by re-planning with the chain that much lighter
    (a uniform gain on every downlink, the noise untouched)."""
    sc, res = base
    gain = res.summary["levers"]["searches"]["link_gain_db_for_tenfold_pairs"]
    assert gain is not None and 0 < gain < levers.MAX_GAIN_DB
    target = levers.PAIRS_FACTOR * res.summary["totals"]["expected_heralded_pairs"]

    def expected_at(g):
        lighter = sc.model_copy(update={"channel": replace(sc.channel, chain_loss_db=sc.channel.chain_loss_db - g)})
        again = _plan(lighter)
        _same_contacts(res, again)
        return again.summary["totals"]["expected_heralded_pairs"]

    assert expected_at(gain) >= target > expected_at(gain - levers.GAIN_RESOLUTION_DB)


def test_a_finite_key_appears_where_the_searches_say(base):
    sc, res = base
    found = res.summary["levers"]["searches"]
    assert res.summary["totals"]["secret_key_bits"] == 0
    gain = found["link_gain_db_for_key"]
    assert gain is not None

    def key_with_gain(g):
        lighter = sc.model_copy(update={"channel": replace(sc.channel, chain_loss_db=sc.channel.chain_loss_db - g)})
        return _plan(lighter).summary["totals"]["secret_key_bits"]

    assert key_with_gain(gain) > 0 == key_with_gain(gain - levers.GAIN_RESOLUTION_DB)
    # the loss of a served window at which the key appears: its median less the gain on both downlinks
    median = res.summary["loss_budget"]["median_window_loss_total_db"]
    assert found["loss_total_db_for_key"] == pytest.approx(median - 2 * gain)
    factor = found["source_rate_factor_for_key"]
    key = res.summary["secret_key"]
    assert factor == pytest.approx(key["closest_contact_heralded_pairs_needed"] / key["closest_contact_heralded_pairs"])

    def key_with_rate(f):
        src = replace(sc.payload.source, repetition_rate_hz=sc.payload.source.repetition_rate_hz * f)
        return _plan(sc.model_copy(update={"payload": replace(sc.payload, source=src)})).summary["totals"]["secret_key_bits"]

    assert key_with_rate(factor * 1.001) > 0 == key_with_rate(factor * 0.999)


def test_modes_without_a_link_have_only_payload_levers():
    sc = mission.load_scenario(TINY)  # with its data budget: the onboard counts are the records sent down
    onboard = sc.model_copy(update={"mode": "onboard", "pairs": []})
    lv = planner.plan(onboard).summary["levers"]
    assert {r["lever"] for r in lv["levers"]} == {"source_rate", "onboard_detectors"}
    assert set(lv["not_applicable"]) == {"aperture", "divergence", "pointing", "station_detectors", "elevation_mask"}
    assert lv["searches"]["link_gain_db_for_tenfold_pairs"] is None
    # the counts are the records sent down: the lever schedules the payload again, as a re-plan does
    src = onboard.payload.source
    faster = replace(src, **({"repetition_rate_hz": 2 * src.repetition_rate_hz} if src.pulsed
                             else {"pair_rate_hz": 2 * src.pair_rate_hz}))
    again = _plan(onboard.model_copy(update={"payload": replace(onboard.payload, source=faster)})).summary["totals"]
    assert lv["baseline"]["expected_heralded_pairs"] > 0
    assert _row({"levers": lv}, "source_rate", 2.0)["expected_heralded_pairs"] == pytest.approx(
        again["expected_heralded_pairs"], rel=1e-9)


def test_a_long_plan_is_thinned_to_a_bounded_sample_set():
    rng = np.random.default_rng(1)
    contact = np.sort(rng.integers(0, 50, 100_000))
    es = levers.evaluation_set(contact, np.ones(contact.size, bool), 50, max_samples=1000)
    assert es.stride == 100 and es.index.size <= 1000 + 50
    assert np.all(np.diff(es.offsets) >= 1)  # every contact keeps a sample
    assert np.array_equal(contact[es.index], np.repeat(np.arange(50), np.diff(es.offsets)))


def test_the_searches_bisect_to_their_resolution():
    assert levers.smallest_gain_db(lambda g: g >= 17.23) == pytest.approx(17.3)
    assert levers.smallest_gain_db(lambda g: True) == 0.0
    assert levers.smallest_gain_db(lambda g: False) is None


def test_the_evaluation_samples_are_the_plans_own(base):
    """The levers compute the geometry again at the evaluation samples' times only: the same time,
    elevation and azimuth as the plan kept for those samples, in the order asked."""
    sc, _ = base
    st = planner.run_stages(sc)
    rng = np.random.default_rng(3)
    index = rng.choice(st.samples.n_samples, size=min(50, st.samples.n_samples), replace=False)
    sub = planner.evaluation_samples(sc, st, index)
    assert sub.n_samples == index.size
    for leg in range(len(st.samples.legs)):
        rows = st.samples.legs[leg][index]
        np.testing.assert_array_equal(sub.leg("time_s", leg), st.samples.rows.time_s[rows])
        np.testing.assert_array_equal(sub.leg("elevation_deg", leg), st.samples.rows.elevation_deg[rows])
        np.testing.assert_array_equal(sub.leg("azimuth_deg", leg), st.samples.rows.azimuth_deg[rows])
