"""Channel physics against published values, hand calculations and properties."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundstations import atmosphere, background, turbulence
from groundstations.catalog import get_station
from groundstations.channel_config import ChannelConfig
from mission import channel
from payload import optics


def test_kasten_young_airmass():
    # Kasten & Young (1989): AM = 37.92 at the horizon (the paper's abstract) and 1 at the zenith.
    assert atmosphere.airmass_kastenyoung1989(0.0) == pytest.approx(37.92, abs=0.01)
    assert atmosphere.airmass_kastenyoung1989(90.0) == pytest.approx(1.0, abs=3e-4)
    # Eq. 3 evaluated by hand: 5° → 1/(0.087156 + 0.50572·11.07995^-1.6364) = 10.31;
    # 30° → 1.9943; 60° → 1.1540 (within 0.1 % of the plane-parallel sec z at z = 30°)
    assert atmosphere.airmass_kastenyoung1989(5.0) == pytest.approx(10.31, abs=0.01)
    assert atmosphere.airmass_kastenyoung1989(30.0) == pytest.approx(1.9943, abs=5e-4)
    assert atmosphere.airmass_kastenyoung1989(60.0) == pytest.approx(1.1540, abs=1e-4)
    assert atmosphere.airmass_kastenyoung1989(60.0) == pytest.approx(1.0 / np.sin(np.radians(60.0)), rel=1e-3)
    assert np.isnan(atmosphere.airmass_kastenyoung1989(-1.0))


def test_gaussian_beam_by_hand():
    # 810 nm, 10 µrad full-angle divergence: w0 = 2λ/(πθ) = 2·810e-9/(π·1e-5) = 0.051566 m,
    # zR = π w0²/λ = 10.313 km; at 1000 km w = w0·sqrt(1 + (1000/10.313)²) = 5.0003 m.
    w0 = optics.waist_from_divergence_m(10.0, 810.0)
    assert w0 == pytest.approx(0.0515662, rel=1e-5)
    w = optics.beam_radius_m(1000.0, w0, 810.0)
    assert w == pytest.approx(5.00026, rel=1e-4)
    # a 1.2 m aperture with no obscuration catches 1 − exp(−2·0.6²/w²) = 2.839 %
    assert optics.collected_fraction(w, 1.2) == pytest.approx(1 - np.exp(-2 * 0.36 / w**2), rel=1e-12)
    assert optics.collected_fraction(w, 1.2) == pytest.approx(0.028389, rel=1e-3)
    # near field: at 1 km the beam is still ~w0 and a 1.2 m aperture catches everything
    assert optics.collected_fraction(optics.beam_radius_m(1.0, w0, 810.0), 1.2) == pytest.approx(1.0)


def test_pointing_average_matches_monte_carlo():
    rng = np.random.default_rng(3)
    w, length_km, bias, jitter = 5.0, 1000.0, 2.0, 3.0
    offsets = rng.normal(0, jitter * 1e-6 * length_km * 1e3, (200000, 2)) + np.array([bias * 1e-6 * length_km * 1e3, 0])  # m
    mc = np.mean(np.exp(-2 * np.sum(offsets**2, axis=1) / w**2))
    assert optics.pointing_efficiency(w, length_km, bias, jitter) == pytest.approx(mc, rel=5e-3)


def test_hufnagel_valley_at_known_heights():
    # HV 5/7 at the ground: A + 2.7e-16 = 1.727e-14; at 10 km: 0.00594·(21/27)²·(0.1)^10·e^-10 + 2.7e-16·e^(-20/3) + ...
    assert turbulence.cn2_hufnagel_valley(0.0) == pytest.approx(1.7e-14 + 2.7e-16, rel=1e-12)
    expected_10km = 0.00594 * (21 / 27) ** 2 * 0.1**10 * np.exp(-10) + 2.7e-16 * np.exp(-10000 / 1500) + 1.7e-14 * np.exp(-100)
    assert turbulence.cn2_hufnagel_valley(10000.0) == pytest.approx(expected_10km, rel=1e-12)
    # HV 5/7 is named for its Fried parameter r0 = 5 cm at 0.5 µm at the zenith (Andrews & Phillips
    # §12.2): r0 = (0.423·k²·∫Cn² dh)^(-3/5)
    h = np.linspace(0.0, 30000.0, 300001)
    k = 2 * np.pi / 0.5e-6
    r0 = (0.423 * k**2 * np.trapezoid(turbulence.cn2_hufnagel_valley(h), h)) ** (-3 / 5)
    assert r0 == pytest.approx(0.05, rel=0.05)


def test_scintillation_reduces_to_rytov_for_a_point_aperture():
    # Andrews & Phillips Eq. 12.64 → 12.38 as D → 0 (8.70·cos(5π/12) = 2.2517 ≈ 2.25)
    z = np.radians([0.0, 30.0, 60.0])
    rytov = turbulence.rytov_variance_downlink(z, 810.0, 3000.0)
    point = turbulence.scintillation_index_downlink(z, 1e-6, 810.0, 3000.0)
    np.testing.assert_allclose(point, rytov * 8.70 * np.cos(5 * np.pi / 12) / 2.25, rtol=2e-3)
    # weak fluctuations on a downlink away from the horizon (A&P ch. 12), growing with sec^(11/6)
    assert rytov[0] < 1.0
    np.testing.assert_allclose(rytov / rytov[0], np.cos(z) ** (-11 / 6), rtol=1e-12)
    # aperture averaging: a 1 m aperture sees far less scintillation than a point
    big = turbulence.scintillation_index_downlink(z, 1.0, 810.0, 3000.0)
    assert np.all(big < 0.2 * point)


def test_fade_probability_lognormal():
    # median of a lognormal with mean 1 is exp(−σ²/2): P(I < median) = 1/2
    s_i2 = 0.3
    median = np.exp(-0.5 * np.log1p(s_i2))
    assert turbulence.fade_probability(s_i2, median) == pytest.approx(0.5, abs=1e-12)
    assert turbulence.fade_probability(1e-6, 0.5) < 1e-12


def test_background_radiance_and_counts():
    # V = 21.9 mag/arcsec²: 3.63e-11·10^(−8.76)·4.2545e10 = 2.68e-9 W m⁻² sr⁻¹ nm⁻¹
    assert background.DARK_SKY_RADIANCE == pytest.approx(2.684e-9, rel=2e-3)
    rad = background.sky_radiance(np.array([-30.0, -30.0, -9.0, 10.0]), np.array([-5.0, 40.0, -5.0, -5.0]), np.ones(4))
    assert rad[0] < rad[1] < rad[2] < rad[3]
    # counts by hand: N = H Ω A Δλ Δt η λ/(hc)
    n = background.background_counts(1e-8, 100.0, 1.0, 0.0, 1.0, 1e-9, 1.0, 800.0)
    by_hand = 1e-8 * np.pi * (50e-6) ** 2 * np.pi * 0.25 * 1.0 * 1e-9 * 800e-9 / (6.62607015e-34 * 299792458.0)
    assert n == pytest.approx(by_hand, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(el=st.floats(1.0, 90.0), r=st.floats(300.0, 3000.0), d_el=st.floats(0.5, 30.0), d_r=st.floats(1.0, 1000.0),
       ap=st.floats(0.1, 2.0), d_ap=st.floats(0.01, 1.0))
def test_link_properties(el, r, d_el, d_r, ap, d_ap):
    cfg, tx = ChannelConfig(), optics.Transmitter()
    s = get_station("Graz")
    from dataclasses import replace

    def total(elev, rng, aperture):
        return channel.link_budget(np.array([elev]), np.array([rng]), replace(s, aperture_m=aperture), tx, 810.0, cfg).total[0]

    t = total(el, r, ap)
    assert 0.0 <= t <= 1.0
    assert total(el, r + d_r, ap) <= t  # loss grows with range
    assert total(max(el - d_el, 0.5), r, ap) <= t + 1e-15  # ... and with zenith angle
    assert total(el, r, ap + d_ap) >= t  # a bigger aperture never loses more
