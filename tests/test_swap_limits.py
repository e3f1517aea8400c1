"""Physical limits, the fidelity budget and the modes of ``swap_performance``."""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skyswap.payload.bsm import BellStateMeasurement, arm_efficiency
from skyswap.payload.source import PairSource
from skyswap.payload.swap import BUDGET_TERMS, PayloadQuantum, swap_performance
from tests.reference.pass_totals import pass_totals


def ideal_payload(mu=1e-4, **source_kw):
    src = PairSource(mean_pairs_per_pulse=mu, intrinsic_visibility=1.0, spectral_purity=1.0,
                     **source_kw)
    bsm = BellStateMeasurement(dark_count_rate_hz=0.0)
    return PayloadQuantum(source=src, bsm=bsm, polarisation_error_deg=0.0)


def test_fourfold_rate_scales_as_mu_squared_and_fidelity_tends_to_one():
    eta = np.array([1e-3, 0.5])
    lo = swap_performance("dual-downlink", eta, eta, payload=ideal_payload(1e-5))
    hi = swap_performance("dual-downlink", eta, eta, payload=ideal_payload(1e-4))
    np.testing.assert_allclose(hi.heralded_pair_rate_hz / lo.heralded_pair_rate_hz, 100.0, rtol=2e-3)
    np.testing.assert_allclose(hi.bsm_herald_rate_hz / lo.bsm_herald_rate_hz, 100.0, rtol=2e-3)
    assert np.all(lo.fidelity > 1 - 1e-4)
    assert np.all(hi.fidelity < lo.fidelity)  # multi-pair emission grows with mu


def test_low_mu_rates_match_single_pair_counting():
    """mu -> 0, psi-minus only: four-fold = mu^2 eta_bsm^2 eta_a eta_b / 4 per pulse.

    Both sources emit one pair (mu^2); the inner photons are in the psi-minus state
    with probability 1/4 and then give a psi-minus pattern when both BSM detectors
    click (eta_bsm^2); each outer photon is detected with eta.
    """
    mu, eta_a, eta_b = 1e-5, 0.2, 1e-3
    p = ideal_payload(mu)
    p = dataclasses.replace(p, bsm=dataclasses.replace(p.bsm, herald_states="psi-minus"))
    perf = swap_performance("dual-downlink", eta_a, eta_b, payload=p)
    eta_bsm = arm_efficiency(p.bsm)
    expected = mu ** 2 * eta_bsm ** 2 * eta_a * eta_b / 4 * p.source.repetition_rate_hz
    assert perf.heralded_pair_rate_hz == pytest.approx(expected, rel=1e-3)


def test_both_psi_heralds_double_the_rate():
    p = ideal_payload(1e-4)
    pm = dataclasses.replace(p, bsm=dataclasses.replace(p.bsm, herald_states="psi-minus"))
    both = swap_performance("dual-downlink", 0.1, 0.1, payload=p)
    minus = swap_performance("dual-downlink", 0.1, 0.1, payload=pm)
    assert both.heralded_pair_rate_hz == pytest.approx(2 * minus.heralded_pair_rate_hz, rel=1e-9)
    assert both.fidelity == pytest.approx(minus.fidelity, abs=1e-9)


def test_fidelity_falls_with_background():
    eta = 1e-3
    noise = np.array([0.0, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3])
    perf = swap_performance("dual-downlink", eta, eta, noise, noise, payload=ideal_payload(1e-3))
    assert np.all(np.diff(perf.fidelity) < 0)
    assert perf.fidelity[-1] < 0.6
    assert np.all(np.diff(perf.qber) > 0)


def test_werner_state_chsh():
    """Distribution of a Werner state (visibility V, mu -> 0, no noise): S = 2 sqrt2 V."""
    for v in (1.0, 0.9, 0.75):
        src = PairSource(mean_pairs_per_pulse=1e-6, intrinsic_visibility=v, spectral_purity=1.0)
        p = PayloadQuantum(source=src, polarisation_error_deg=0.0)
        perf = swap_performance("direct-downlink", 0.3, 0.4, payload=p)
        assert perf.chsh_s == pytest.approx(2 * np.sqrt(2) * v, abs=1e-5)
        assert perf.fidelity == pytest.approx((1 + 3 * v) / 4, abs=1e-5)
        assert perf.qber == pytest.approx((1 - v) / 2, abs=1e-5)


def test_swapped_visibility_is_product_of_source_visibilities_and_hom():
    src = PairSource(mean_pairs_per_pulse=1e-6, intrinsic_visibility=0.95, spectral_purity=0.9)
    p = PayloadQuantum(source=src, polarisation_error_deg=0.0)
    perf = swap_performance("dual-downlink", 0.3, 0.3, payload=p)
    v2, vh = 0.95 ** 2, 0.9
    assert perf.qber_z == pytest.approx((1 - v2) / 2, abs=1e-4)
    assert perf.qber_x == pytest.approx((1 - v2 * vh) / 2, abs=1e-4)


@settings(max_examples=30, deadline=None)
@given(log_eta_a=st.floats(-8, 0), log_eta_b=st.floats(-8, 0), log_mu=st.floats(-4, -1),
       log_bg=st.floats(-9, -4), pol_deg=st.floats(0, 10), vis=st.floats(0.8, 1.0),
       purity=st.floats(0.5, 1.0))
def test_budget_terms_sum_to_infidelity(log_eta_a, log_eta_b, log_mu, log_bg, pol_deg, vis, purity):
    src = PairSource(mean_pairs_per_pulse=10 ** log_mu, intrinsic_visibility=vis,
                     spectral_purity=purity)
    p = PayloadQuantum(source=src, polarisation_error_deg=pol_deg)
    perf = swap_performance("dual-downlink", 10 ** log_eta_a, 10 ** log_eta_b, 10 ** log_bg,
                            10 ** log_bg, payload=p, dark_a=1e-7, dark_b=1e-7)
    total = sum(perf.infidelity[t] for t in BUDGET_TERMS)
    assert total == pytest.approx(1 - perf.fidelity, abs=1e-12)
    assert 0.25 - 1e-9 <= perf.fidelity <= 1 + 1e-12
    for t in ("source_imperfection", "hom_distinguishability", "polarisation", "multi_pair"):
        assert perf.infidelity[t] >= -1e-9


def test_budget_terms_vanish_when_their_cause_is_absent():
    p = ideal_payload(1e-7)
    perf = swap_performance("dual-downlink", 1e-3, 1e-3, payload=p)
    for t in BUDGET_TERMS:
        assert abs(perf.infidelity[t]) < 1e-6
    src = PairSource(mean_pairs_per_pulse=0.05, intrinsic_visibility=0.97, spectral_purity=0.9)
    p2 = PayloadQuantum(source=src, polarisation_error_deg=3.0)
    perf2 = swap_performance("dual-downlink", 1e-3, 1e-3, 1e-6, 1e-6, payload=p2, dark_a=1e-6)
    assert perf2.infidelity["source_imperfection"] == pytest.approx((3 / 4) * (1 - 0.97 ** 2))
    assert perf2.infidelity["multi_pair"] > 0.01
    assert perf2.infidelity["background"] > 0
    assert perf2.infidelity["dark_counts"] > 0
    # polarisation: low-mu closed form, (V^2 / 4)(1 + V_HOM)(1 - cos 2 theta)
    expect = 0.97 ** 2 / 4 * (1 + 0.9) * (1 - np.cos(np.deg2rad(6.0)))
    assert perf2.infidelity["polarisation"] == pytest.approx(expect, rel=1e-9)


def test_multi_pair_term_vanishes_as_mu_to_zero():
    vals = []
    for mu in (1e-2, 1e-3, 1e-4):
        src = PairSource(mean_pairs_per_pulse=mu, intrinsic_visibility=0.9, spectral_purity=0.8)
        p = PayloadQuantum(source=src, polarisation_error_deg=5.0)
        vals.append(float(swap_performance("dual-downlink", 0.1, 0.2, payload=p).infidelity["multi_pair"]))
    assert vals[0] > 5 * vals[1] > 25 * vals[2] > 0


def test_onboard_rate_scales_with_detection_efficiency_to_the_fourth():
    base = ideal_payload(1e-4)
    rates = []
    for eff in (0.5, 0.25):
        bsm = dataclasses.replace(base.bsm, detector_efficiency=eff, optics_efficiency=1.0)
        p = dataclasses.replace(base, bsm=bsm, onboard_detection_efficiency=eff)
        rates.append(float(swap_performance("onboard", np.zeros(1), np.zeros(1), payload=p)
                           .heralded_pair_rate_hz[0]))
    assert rates[0] / rates[1] == pytest.approx(16.0, rel=1e-3)


def test_single_downlink_uses_onboard_detection_for_photon_b():
    p = ideal_payload(1e-4)
    single = swap_performance("single-downlink", 1e-4, 0.123, payload=p)
    dual = swap_performance("dual-downlink", 1e-4, p.onboard_detection_efficiency, payload=p)
    assert single.heralded_pair_rate_hz == pytest.approx(dual.heralded_pair_rate_hz, rel=1e-12)


def test_unknown_mode_names_the_value():
    with pytest.raises(ValueError, match="teleport"):
        swap_performance("teleport", 0.1, 0.1)


def test_arrays_broadcast_and_zero_transmittance_gives_nan_fidelity():
    eta = np.array([0.0, 1e-3, 1e-2])
    perf = swap_performance("dual-downlink", eta, 1e-2)
    assert perf.fidelity.shape == (3,)
    assert np.isnan(perf.fidelity[0]) and perf.heralded_pair_rate_hz[0] == 0.0
    assert np.all(np.isfinite(perf.fidelity[1:]))


def test_pass_totals_weight_by_pairs():
    eta = np.array([1e-3, 1e-2])
    perf = swap_performance("dual-downlink", eta, eta, 1e-6, 1e-6)
    tot = pass_totals(perf, 1.0)
    w = perf.heralded_pair_rate_hz
    assert tot["heralded_pairs"] == pytest.approx(w.sum())
    assert tot["fidelity"] == pytest.approx(np.sum(w * perf.fidelity) / w.sum())
    assert tot["bsm_heralds"] == pytest.approx(perf.bsm_herald_rate_hz.sum())


def test_chunked_evaluation_is_identical():
    rng = np.random.default_rng(1)
    eta_a = 10 ** rng.uniform(-8, 0, (7, 50))
    eta_b = 10 ** rng.uniform(-8, 0, (7, 50))
    whole = swap_performance("dual-downlink", eta_a, eta_b, 1e-6, 2e-6, chunk_size=10 ** 6)
    chunked = swap_performance("dual-downlink", eta_a, eta_b, 1e-6, 2e-6, chunk_size=64)
    assert chunked.fidelity.shape == (7, 50)
    np.testing.assert_array_equal(whole.fidelity, chunked.fidelity)
    np.testing.assert_array_equal(whole.heralded_pair_rate_hz, chunked.heralded_pair_rate_hz)
    for t in BUDGET_TERMS:
        np.testing.assert_array_equal(whole.infidelity[t], chunked.infidelity[t])


def test_direct_downlink_has_no_herald_counts_pairs_and_clips_out_of_domain_input():
    src = PairSource(pulsed=False, pair_rate_hz=5.9e6, coincidence_window_ps=2500.0)
    perf = swap_performance("direct-downlink", np.array([1e-3, 1.5]), 1e-3,
                            payload=PayloadQuantum(source=src))
    # no Bell-state measurement: no BSM herald (the pair emission rate is not a herald rate)
    np.testing.assert_array_equal(perf.bsm_herald_rate_hz, 0.0)
    # low-loss limit: coincidences = pair rate x eta_a x eta_b, plus multi-pair emission of order
    # mu = 5.9e6 Hz x 2.5 ns = 1.5 %
    assert perf.heralded_pair_rate_hz[0] == pytest.approx(5.9e6 * 1e-3 * 1e-3, rel=0.02)
    clipped = swap_performance("direct-downlink", 1.0, 1e-3, payload=PayloadQuantum(source=src))
    assert perf.heralded_pair_rate_hz[1] == pytest.approx(float(clipped.heralded_pair_rate_hz))


def test_continuous_source_swap_uses_jitter_reduced_hom_visibility():
    from skyswap.payload.source import coherence_time_ps, jitter_hom_factor
    src = PairSource(pulsed=False, pair_rate_hz=1e3, coincidence_window_ps=1000.0,
                     intrinsic_visibility=1.0, spectral_purity=1.0, bandwidth_nm=0.02)
    bsm = BellStateMeasurement(dark_count_rate_hz=0.0, timing_jitter_ps=40.0)
    p = PayloadQuantum(source=src, bsm=bsm, polarisation_error_deg=0.0)
    perf = swap_performance("dual-downlink", 0.5, 0.5, payload=p)
    v_hom = float(jitter_hom_factor(40.0, coherence_time_ps(810.0, 0.02)))
    assert 0.5 < v_hom < 0.99
    assert perf.qber_x == pytest.approx((1 - v_hom) / 2, abs=1e-4)
    assert perf.qber_z == pytest.approx(0.0, abs=1e-4)


def test_onboard_mode_has_no_frame_error():
    p = dataclasses.replace(ideal_payload(1e-6), polarisation_error_deg=10.0)
    assert float(swap_performance("onboard", 0.0, 0.0, payload=p).fidelity) == pytest.approx(1.0, abs=1e-5)
    assert float(swap_performance("single-downlink", 0.1, 0.0, payload=p).fidelity) < 0.98


@pytest.mark.parametrize("detector_efficiency", [1e-12, 0.5])
def test_vanishing_light_gives_an_undefined_fidelity_quietly_never_an_infinite_one(detector_efficiency):
    """Found by tools/combo_extremes.py (BSM detectors at 1e-12 efficiency): where a basis keeps no
    event at all (the four-fold probability underflows to 0 while the noise's correlation does not),
    its correlation was +-inf, their sum "invalid", and the command line printed "skyswap: warning:
    invalid value encountered in add". A basis that keeps nothing has no correlation: NaN, quietly;
    every defined fidelity stays in [0, 1]."""
    payload = PayloadQuantum(bsm=BellStateMeasurement(detector_efficiency=detector_efficiency))
    eta = np.concatenate([[0.0], 10.0 ** np.arange(-60.0, 0.01, 0.5)])
    ea, eb = np.meshgrid(eta, eta)
    with warnings.catch_warnings():  # numpy warns as the command line would show it
        warnings.simplefilter("error")
        perf = swap_performance("dual-downlink", ea, eb, 1e-6, 1e-6, payload=payload)
    f = perf.fidelity
    assert np.all(np.isnan(f) | ((f >= 0.0) & (f <= 1.0)))
    assert not np.any(np.isinf(perf.chsh_s)) and not np.any(np.isinf(perf.qber))
    assert np.all(np.isfinite(f[(ea > 1e-6) & (eb > 1e-6)]))  # wherever light arrives it is defined


@pytest.mark.parametrize("rule", ["squash", "discard"])
@pytest.mark.parametrize("mode", ["dual-downlink", "single-downlink", "onboard", "direct-downlink"])
def test_no_rate_is_negative_where_the_light_all_but_vanishes(mode, rule):
    """Found by tools/combo_extremes.py (BSM optics at 4.6e-8 efficiency and a BSM coincidence
    window of 4.5e-7 ps, so no dark click, in single downlink): the four-fold probability of
    <1e-22 a trial is a signed sum of terms that rounded to -4e-23, and the contact plan refused
    the pair rate of -3e-16 Hz it gave, as an internal error. A probability is clipped at 0 where
    it is such roundoff: every rate stays >= 0 over transmittances, optics efficiencies and BSM
    windows from the absurd to the ideal."""
    eta = np.concatenate([[0.0], 10.0 ** np.arange(-12.0, 0.01, 0.25)])
    ea, eb = np.meshgrid(eta, eta)
    for efficiency in (1e-12, 4.6e-8, 1e-4, 1.0):
        for window_ps in (4.5e-7, 1000.0):
            bsm = BellStateMeasurement(optics_efficiency=efficiency, coincidence_window_ps=window_ps)
            perf = swap_performance(mode, ea, eb, 1e-6, 1e-6, payload=PayloadQuantum(bsm=bsm, double_clicks=rule))
            for name in ("heralded_pair_rate_hz", "key_pair_rate_hz", "bsm_herald_rate_hz"):
                rate = np.asarray(getattr(perf, name))
                assert np.all(rate >= 0.0), (name, efficiency, window_ps, float(rate.min()))
