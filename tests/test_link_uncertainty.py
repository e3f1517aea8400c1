"""groundstations.link_uncertainty: the chain's error shared by every link, each station's own
independent; means, variances, correlations and the log-normal mean of the transmittance scale
recovered from draws."""
from __future__ import annotations

import numpy as np
import pytest

from skyswap.groundstations import link_uncertainty as lu
from skyswap.groundstations.calibration import MICIUS_CHAIN_LOSS_SIGMA_DB, MICIUS_LINK_LOSS_SIGMA_DB
from skyswap.groundstations.channel_config import ChannelConfig

N = 200_000


def test_mean_variance_and_correlation_as_stated():
    """σ_c = 0.6, σ_s = 0.8 dB over 5 stations: each station's offset has mean 0 and variance
    σ_c² + σ_s² = 1.0 dB², two stations correlate by σ_c²/(σ_c² + σ_s²) = 0.36; the sample
    covariance equals offset_covariance_db2 within its sampling error (var of a sample covariance
    entry ≈ (Σ_ij² + Σ_ii·Σ_jj)/N)."""
    off = lu.draw_link_offsets_db(N, 5, 0.6, 0.8, seed=1)
    assert off.shape == (N, 5)
    se_mean = np.sqrt(1.0 / N)
    assert np.all(np.abs(off.mean(axis=0)) < 4 * se_mean)
    expect = lu.offset_covariance_db2(5, 0.6, 0.8)
    cov = np.cov(off, rowvar=False)
    se = np.sqrt((expect**2 + np.outer(np.diag(expect), np.diag(expect))) / N)
    assert np.all(np.abs(cov - expect) < 4 * se)
    corr = np.corrcoef(off, rowvar=False)[np.triu_indices(5, 1)]
    assert np.all(np.abs(corr - 0.36) < 0.01)


def test_limits_fully_correlated_and_independent():
    chain_only = lu.draw_link_offsets_db(1000, 4, 1.0, 0.0, seed=2)
    assert np.all(chain_only == chain_only[:, :1])  # one number for every link of the payload
    own_only = lu.draw_link_offsets_db(N, 3, 0.0, 1.0, seed=2)
    corr = np.corrcoef(own_only, rowvar=False)[np.triu_indices(3, 1)]
    assert np.all(np.abs(corr) < 4 / np.sqrt(N))
    with pytest.raises(ValueError):
        lu.draw_link_offsets_db(10, 2, -1.0, 0.5)


def test_same_seed_same_draws_and_a_generator_works():
    a = lu.draw_link_offsets_db(50, 3, 0.3, 0.7, seed=7)
    b = lu.draw_link_offsets_db(50, 3, 0.3, 0.7, seed=7)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, lu.draw_link_offsets_db(50, 3, 0.3, 0.7, seed=8))
    g = lu.draw_link_offsets_db(50, 3, 0.3, 0.7, seed=np.random.default_rng(7))
    assert np.array_equal(a, g)


def test_pairs_sum_their_stations_and_their_variance():
    """A pair's offset is the sum of its stations'; var = 4σ_c² + 2σ_s² (chain twice, correlated)."""
    off = lu.draw_link_offsets_db(N, 3, 0.5, 0.9, seed=3)
    pair = np.column_stack([off[:, 0] + off[:, 1], off[:, 1] + off[:, 2]])
    assert np.array_equal(lu.link_scales(off, [(0, 1), (1, 2)], 2), lu.transmittance_scale(pair))
    var = lu.contact_offset_variance_db2(0.5, 0.9, 2)
    assert var == pytest.approx(4 * 0.25 + 2 * 0.81)
    assert np.var(pair[:, 1]) == pytest.approx(var, rel=4 * np.sqrt(2.0 / N))


def test_mean_scale_is_the_lognormal_mean():
    """E[10^(−X/10)] = exp(½(ln10/10)²σ²): for a pair with the Micius chain the draws' mean scale
    equals the analytic value within 4 standard errors; and it exceeds 1 (Jensen)."""
    sc, ss = MICIUS_CHAIN_LOSS_SIGMA_DB, MICIUS_LINK_LOSS_SIGMA_DB
    scale = lu.link_scales(lu.draw_link_offsets_db(N, 2, sc, ss, seed=4), [(0, 1)], 2)[:, 0]
    expect = lu.expected_transmittance_scale(lu.contact_offset_variance_db2(sc, ss, 2))
    assert scale.mean() == pytest.approx(float(expect), abs=4 * scale.std() / np.sqrt(N))
    assert expect > 1.0
    assert lu.transmittance_scale(3.0103) == pytest.approx(0.5, rel=1e-4)


def test_the_scenario_carries_the_fitted_sigmas():
    cfg = ChannelConfig()
    assert (cfg.chain_loss_sigma_db, cfg.link_loss_sigma_db) == (MICIUS_CHAIN_LOSS_SIGMA_DB, MICIUS_LINK_LOSS_SIGMA_DB)
