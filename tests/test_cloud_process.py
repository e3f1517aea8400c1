"""The latent Gaussian cloud process: bivariate normal, correlation, site diversity, parameter recovery."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtr, ndtri
from scipy.stats import multivariate_normal

from skyswap.groundstations.cloud_process import (
    EARTH_MEAN_RADIUS_KM,
    bivariate_normal_cdf,
    great_circle_distance_km,
    indicator_correlation,
    latent_correlation_from_joint,
    p_any_clear_correlated,
    p_any_clear_independent,
    simulate_clear_nights,
    station_correlation_matrix,
)


def _within(sim, expect, n, k=4.5):
    """|sim - expect| within k binomial standard errors of n independent samples."""
    se = np.sqrt(max(expect * (1 - expect), 1e-12) / n)
    assert abs(sim - expect) < k * se, (sim, expect, se)


@pytest.mark.parametrize("rho", [-0.95, -0.5, 0.0, 0.3, 0.7, 0.99])
@pytest.mark.parametrize("h, k", [(0.0, 0.0), (-1.2, 0.4), (1.5, 2.0), (-2.5, -0.3)])
def test_bivariate_normal_matches_scipy(h, k, rho):
    ref = multivariate_normal.cdf([h, k], mean=[0, 0], cov=[[1, rho], [rho, 1]], abseps=1e-10, releps=1e-10,
                                  rng=np.random.default_rng(0))
    assert bivariate_normal_cdf(h, k, rho) == pytest.approx(ref, abs=2e-7)


def test_bivariate_normal_limits():
    h, k = -0.4, 0.9
    assert bivariate_normal_cdf(h, k, 0.0) == pytest.approx(ndtr(h) * ndtr(k), abs=1e-15)
    assert bivariate_normal_cdf(h, k, 1.0) == pytest.approx(ndtr(min(h, k)), abs=1e-12)
    assert bivariate_normal_cdf(h, k, -1.0) == pytest.approx(max(0.0, ndtr(h) + ndtr(k) - 1.0), abs=1e-10)


def test_indicator_correlation_at_one_half_is_sheppards_arcsine():
    # Sheppard (1899): for thresholds at the median, corr of the indicators = (2/pi) arcsin(rho)
    for rho in (0.1, 0.5, 0.9):
        assert indicator_correlation(0.5, 0.5, rho) == pytest.approx(2 / np.pi * np.arcsin(rho), abs=1e-10)
    assert indicator_correlation(0.5, 0.5, 0.5) == pytest.approx(1 / 3, abs=1e-10)


def test_great_circle_distance():
    assert great_circle_distance_km(90, 0, -90, 0) == pytest.approx(np.pi * EARTH_MEAN_RADIUS_KM)
    assert great_circle_distance_km(0, 0, 0, 90) == pytest.approx(np.pi / 2 * EARTH_MEAN_RADIUS_KM)
    assert great_circle_distance_km(10, 179.5, 10, -179.5) == pytest.approx(
        great_circle_distance_km(10, 0, 10, 1.0))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(-89, 89), st.floats(-180, 180)), min_size=2, max_size=12),
       st.floats(10.0, 5000.0))
def test_correlation_matrix_is_a_correlation_matrix(sites, length_km):
    lat, lon = zip(*sites)
    c = station_correlation_matrix(lat, lon, length_km)
    assert np.allclose(np.diag(c), 1.0) and np.allclose(c, c.T)
    assert np.all((c >= 0) & (c <= 1.0))
    assert np.linalg.eigvalsh(c).min() > -1e-9  # positive semi-definite: a valid latent covariance


def test_zero_length_means_independent():
    assert np.array_equal(station_correlation_matrix([0, 1], [0, 1], 0.0), np.eye(2))
    with pytest.raises(ValueError, match="correlation_length_km"):
        station_correlation_matrix([0], [0], -1.0)


def test_independent_stations_any_clear_matches_the_product_formula():
    p = np.array([0.3, 0.5, 0.7])
    rng = np.random.default_rng(11)
    clear = simulate_clear_nights(np.repeat(p[:, None], 60, axis=1), n_draws=4000, rng=rng, night_correlation=0.0)
    sim = clear.any(axis=1).mean()
    expect = p_any_clear_independent(p)
    assert expect == pytest.approx(1 - 0.7 * 0.5 * 0.3)
    _within(sim, expect, 4000 * 60)
    # each station keeps its own probability
    for s in range(3):
        _within(clear[:, s].mean(), p[s], 4000 * 60)


def test_correlated_diversity_matches_simulation_and_is_below_independence():
    p = np.array([0.4, 0.55, 0.6])
    corr = station_correlation_matrix([47.07, 48.1, 46.9], [15.49, 12.9, 7.47], 300.0)  # Graz, Wettzell, Zimmerwald
    expect = p_any_clear_correlated(p, corr)
    clear = simulate_clear_nights(np.repeat(p[:, None], 40, axis=1), n_draws=5000, rng=np.random.default_rng(3),
                                  night_correlation=0.0, correlation=corr)
    _within(clear.any(axis=1).mean(), expect, 5000 * 40)
    assert expect < p_any_clear_independent(p) - 0.03
    two = p_any_clear_correlated(p[:2], corr[:2, :2])
    assert two == pytest.approx(1 - bivariate_normal_cdf(-ndtri(p[0]), -ndtri(p[1]), corr[0, 1]))
    assert p_any_clear_correlated(p[:1], corr[:1, :1]) == pytest.approx(p[0])
    assert p_any_clear_correlated(p, np.eye(3)) == pytest.approx(p_any_clear_independent(p), abs=1e-4)


def test_persistence_and_station_correlation_are_recovered_from_a_long_simulation():
    rho_night, length_km = 0.5, 300.0
    lat, lon = [47.07, 48.1], [15.49, 12.9]
    corr = station_correlation_matrix(lat, lon, length_km)
    p = np.array([0.35, 0.6])
    clear = simulate_clear_nights(np.repeat(p[:, None], 2000, axis=1), n_draws=200, rng=np.random.default_rng(5),
                                  night_correlation=rho_night, correlation=corr)
    for s in range(2):
        c = clear[:, s]
        ps = c.mean()
        lag1 = (c[:, 1:] & c[:, :-1]).mean()
        lag2 = (c[:, 2:] & c[:, :-2]).mean()
        assert latent_correlation_from_joint(ps, ps, lag1) == pytest.approx(rho_night, abs=0.02)
        assert latent_correlation_from_joint(ps, ps, lag2) == pytest.approx(rho_night**2, abs=0.02)  # AR(1)
    both = (clear[:, 0] & clear[:, 1]).mean()
    got = latent_correlation_from_joint(clear[:, 0].mean(), clear[:, 1].mean(), both)
    assert got == pytest.approx(corr[0, 1], abs=0.02)


def test_monthly_probabilities_hold_night_by_night_with_persistence():
    p = np.tile([0.2, 0.8], 30)[None, :]  # probability jumps every night: the marginals must follow
    clear = simulate_clear_nights(p, n_draws=20000, rng=np.random.default_rng(2), night_correlation=0.8)
    for t in (0, 1, 30, 59):
        _within(clear[:, 0, t].mean(), p[0, t], 20000)


def test_same_generator_state_same_draws_and_bad_inputs():
    p = np.full((2, 10), 0.5)
    a = simulate_clear_nights(p, n_draws=7, rng=np.random.default_rng(9))
    b = simulate_clear_nights(p, n_draws=7, rng=np.random.default_rng(9))
    assert a.tobytes() == b.tobytes()
    with pytest.raises(ValueError, match="night_correlation"):
        simulate_clear_nights(p, n_draws=2, rng=np.random.default_rng(0), night_correlation=1.0)
    with pytest.raises(ValueError, match="p_clear"):
        simulate_clear_nights(p + 1.0, n_draws=2, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="n_draws"):
        simulate_clear_nights(p, n_draws=0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="p_both"):
        latent_correlation_from_joint(0.5, 0.5, 0.6)
