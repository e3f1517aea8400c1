"""Issue 15 physics: turbulence from the site's ground up, the seeing-limited image at the field
stop, the visibility aerosol model and water vapour (groundstations.turbulence, .atmosphere)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.optimize import brentq
from scipy.special import j0, j1

from skyswap.groundstations import atmosphere, turbulence
from skyswap.groundstations.catalog import get_station
from skyswap.groundstations.channel_config import ChannelConfig
from skyswap.mission import channel
from skyswap.payload import optics

ARCSEC_RAD = np.pi / 648000.0


def test_xinglong_seeing_gives_r0_6cm():
    """Zhang et al., PASP 127, 1292 (2015), abstract: Xinglong's median DIMM seeing is ~1.7″. With
    ε = 0.98·λ/r0 (Roddier 1981) r0 = 0.98·500 nm/1.7″ = 5.94 cm at 500 nm (the issue's ≈ 6 cm),
    and the HV profile with that ground layer must give the same r0 (Eq. 12.23 of Andrews & Phillips)."""
    xl = get_station("Xinglong")
    assert xl.median_seeing_arcsec == 1.7 and "PASP 127, 1292" in xl.seeing_source
    a = ChannelConfig().ground_cn2_m_23(xl.median_seeing_arcsec)
    r0 = turbulence.fried_parameter_m(0.0, 500.0, ground_cn2_m_23=a)
    assert r0 == pytest.approx(0.98 * 500e-9 / (1.7 * ARCSEC_RAD), rel=1e-3)
    assert r0 == pytest.approx(0.0594, abs=0.0005)
    assert turbulence.seeing_fwhm_urad(r0, 500.0) == pytest.approx(1.7 * ARCSEC_RAD * 1e6, rel=1e-3)
    # r0 ∝ λ^(6/5) cos^(3/5) ζ
    assert turbulence.fried_parameter_m(np.radians(60.0), 810.0, ground_cn2_m_23=a) == pytest.approx(
        r0 * (810 / 500) ** 1.2 * 0.5**0.6, rel=1e-9)


def test_seeing_better_than_the_upper_layers_leaves_no_ground_layer():
    upper_only_r0 = turbulence.fried_parameter_m(0.0, 500.0, ground_cn2_m_23=0.0)
    upper_only_seeing = turbulence.seeing_fwhm_urad(upper_only_r0, 500.0) / (ARCSEC_RAD * 1e6)
    assert turbulence.ground_cn2_from_seeing(0.9 * upper_only_seeing) == 0.0
    assert turbulence.ground_cn2_from_seeing(1.1 * upper_only_seeing) > 0.0


def test_ground_layer_precedence_scenario_station_hv57():
    assert ChannelConfig().ground_cn2_m_23(None) == 1.7e-14  # HV 5/7
    assert ChannelConfig(hv_ground_cn2_m_23=3e-15).ground_cn2_m_23(1.7) == 3e-15  # the scenario wins
    assert ChannelConfig().ground_cn2_m_23(1.0) < ChannelConfig().ground_cn2_m_23(2.0)


def test_profile_starts_at_the_ground_whatever_the_altitude():
    """HV heights are above the ground (Eq. 12.1 of Andrews & Phillips): an elevated copy of a
    station keeps its whole ground layer, so coupling and scintillation are unchanged."""
    s, tx, cfg = get_station("Xinglong"), optics.Transmitter(), ChannelConfig()
    el, rng = np.array([20.0, 45.0, 80.0]), np.array([1200.0, 700.0, 510.0])
    low = channel.link_budget(el, rng, s, tx, 810.0, cfg)
    high = channel.link_budget(el, rng, replace(s, altitude_m=4000.0), tx, 810.0, cfg)
    np.testing.assert_array_equal(low.terms_db["turbulence"], high.terms_db["turbulence"])
    np.testing.assert_array_equal(low.scintillation_index, high.scintillation_index)


def _fried_long_exposure(lam_over_r0=1.0):
    """FWHM and encircled energy of the long-exposure image by Fried's (1966) transfer function
    exp[−3.44·(λf/r0)^(5/3)], Hankel-transformed numerically (angles in λ/r0)."""
    def otf(f):
        return np.exp(-3.44 * (f * lam_over_r0) ** (5 / 3))
    def psf(th):
        return 2 * np.pi * quad(lambda f: otf(f) * j0(2 * np.pi * f * th) * f, 0, 20, limit=500)[0]
    peak = psf(0.0)
    fwhm = 2 * brentq(lambda th: psf(th) - peak / 2, 0.1, 2.0)
    def ee(r):
        return quad(lambda f: otf(f) * 2 * np.pi * r * j1(2 * np.pi * f * r), 0, 20, limit=1000)[0]
    return fwhm, ee


def test_moffat_field_stop_against_fried_long_exposure_image():
    """Trujillo et al. (2001): a Moffat profile with β = 4.765 stands for the Kolmogorov
    long-exposure image. Against the numerical encircled energy of Fried's transfer function the
    Moffat form is within 0.005 in the core (R ≤ FWHM/2) and within 0.035 everywhere (its wings are
    lighter), i.e. at most 0.16 dB of coupling; the FWHM is Roddier's 0.98·λ/r0 within 0.5 %."""
    fwhm, ee = _fried_long_exposure()
    assert fwhm == pytest.approx(0.98, rel=0.005)
    for x in (0.25, 0.5):
        assert turbulence.field_stop_efficiency_moffat(2 * x * fwhm, fwhm) == pytest.approx(ee(x * fwhm), abs=0.005)
    for x in (0.75, 1.0, 1.5, 2.0, 3.0):
        assert turbulence.field_stop_efficiency_moffat(2 * x * fwhm, fwhm) == pytest.approx(ee(x * fwhm), abs=0.035)


@settings(max_examples=50, deadline=None)
@given(seeing=st.floats(0.5, 4.0), fov=st.floats(5.0, 300.0), aperture=st.floats(0.3, 2.0))
def test_field_stop_coupling_falls_with_zenith_angle(seeing, fov, aperture):
    a = turbulence.ground_cn2_from_seeing(seeing)
    zen = np.radians(np.linspace(0.0, 80.0, 17))
    spot = turbulence.spot_fwhm_urad(turbulence.fried_parameter_m(zen, 810.0, ground_cn2_m_23=a), 810.0, aperture)
    eff = turbulence.field_stop_efficiency_moffat(fov, spot)
    assert np.all((eff > 0) & (eff <= 1)) and np.all(np.diff(eff) <= 1e-15)
    assert np.all(np.diff(spot) > 0)


def test_visibility_aerosol_koschmieder():
    """23 km rural: β(550) = 3.912/23 km − β_R = 0.17009 − 0.01154 = 0.15855 km⁻¹ at sea level, an
    exponential profile of 2 km scale height → τ_a(550) = 0.3171; at 810 nm ×(810/550)^−1.3 = 0.6046
    → 0.1917."""
    beta_r = atmosphere.rayleigh_optical_depth_bodhaine1999(550.0) / 8.434
    assert beta_r == pytest.approx(0.01154, abs=5e-5)
    tau = atmosphere.aerosol_optical_depth_sea_level_koschmieder(23.0)
    assert tau == pytest.approx(2 * (3.912 / 23 - beta_r), rel=1e-9)
    assert tau == pytest.approx(0.3171, abs=5e-4)
    assert atmosphere.aerosol_optical_depth_angstrom(810.0, tau, 1.3) == pytest.approx(0.1917, abs=5e-4)
    assert atmosphere.aerosol_optical_depth_sea_level_koschmieder(1000.0) == 0.0  # clearer than Rayleigh: none


def test_water_vapour_bird_riordan():
    """Bird & Riordan (1984) Section 2: T_w = exp[−0.2385·aWM/(1 + 20.07·aWM)^0.45]; at the table's
    823.7 nm row a_w = 2.5 cm⁻¹: W = 1 cm, M = 1 → aWM = 2.5, T = exp(−0.59625/5.875) = 0.9035."""
    t = atmosphere.water_vapour_transmittance_birdriordan1984(823.7, 1.0, np.array([1.0]))[0]
    assert t == pytest.approx(np.exp(-0.2385 * 2.5 / (1 + 20.07 * 2.5) ** 0.45), rel=1e-12)
    assert t == pytest.approx(0.9035, abs=5e-4)
    m = np.array([1.0, 2.0, 5.0])
    t810 = atmosphere.water_vapour_transmittance_birdriordan1984(810.0, 1.4, m)
    assert np.all(np.diff(t810) < 0) and np.all(t810 < 1)
    assert atmosphere.water_vapour_transmittance_birdriordan1984(810.0, 0.0, m) == pytest.approx(1.0)
    assert np.all(atmosphere.water_vapour_transmittance_birdriordan1984(1550.0, 1.4, m) == 1.0)  # outside the table
    # 785 nm sits in a window, 823.7 nm in the band's core
    assert (atmosphere.water_vapour_transmittance_birdriordan1984(785.0, 1.4, m)
            > atmosphere.water_vapour_transmittance_birdriordan1984(823.7, 1.4, m)).all()


@settings(max_examples=30, deadline=None)
@given(seeing=st.floats(0.5, 4.0), fov=st.floats(5.0, 300.0), aperture=st.floats(0.3, 2.0), lam=st.floats(500.0, 1600.0))
def test_fast_downlink_field_stop_equals_the_composition(seeing, fov, aperture, lam):
    a = turbulence.ground_cn2_from_seeing(seeing)
    zen = np.radians(np.linspace(0.0, 85.0, 18))
    slow = turbulence.field_stop_efficiency_moffat(
        fov, turbulence.spot_fwhm_urad(turbulence.fried_parameter_m(zen, lam, ground_cn2_m_23=a), lam, aperture))
    fast = turbulence.field_stop_efficiency_downlink(zen, fov, aperture, lam, ground_cn2_m_23=a)
    np.testing.assert_allclose(fast, slow, rtol=1e-10, atol=1e-13)
