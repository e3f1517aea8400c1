"""Zenith transmittance for the wavelength: Bodhaine et al. (1999) Rayleigh optical depth checked
against their first-principles route, Ångström aerosols, and its use in the link budget."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from skyswap.groundstations import atmosphere
from skyswap.groundstations.catalog import get_station
from skyswap.groundstations.channel_config import ChannelConfig
from skyswap.mission import channel
from skyswap.payload import optics


def rayleigh_optical_depth_first_principles(wavelength_um):
    """Bodhaine et al. (1999), §2–5: σ = 24π³(n²−1)²/(λ⁴N_s²(n²+2)²)·F_air (their Eq. 2), τ = σ·P·A/(m_a·g)
    (Eq. 22), with the Peck & Reeder (1972) refractive index of standard air corrected to 360 ppm CO2
    (Eqs. 4, 19), the King factors of Bates (1984) (Eqs. 5, 6, 23) and g at 45° N, sea level."""
    lam = np.asarray(wavelength_um, float)
    inv2 = lam**-2
    co2 = 360e-6
    n300_1 = (8060.51 + 2480990.0 / (132.274 - inv2) + 17455.7 / (39.32957 - inv2)) * 1e-8
    n = 1.0 + n300_1 * (1.0 + 0.54 * (co2 - 0.0003))
    f_n2 = 1.034 + 3.17e-4 * inv2
    f_o2 = 1.096 + 1.385e-3 * inv2 + 1.448e-4 * inv2**2
    pct = co2 * 100.0
    f_air = (78.084 * f_n2 + 20.946 * f_o2 + 0.934 * 1.00 + pct * 1.15) / (78.084 + 20.946 + 0.934 + pct)
    ns = 2.546899e19  # molecules cm^-3 at 288.15 K, 1013.25 hPa
    lam_cm = lam * 1e-4
    sigma = 24.0 * np.pi**3 * (n**2 - 1.0) ** 2 / (lam_cm**4 * ns**2 * (n**2 + 2.0) ** 2) * f_air  # cm²
    pressure = 1013.25e3  # dyn cm^-2
    avogadro = 6.0221367e23
    m_air = 15.0556 * co2 + 28.9595  # g/mol
    g = 980.6160  # cm s^-2 at 45° N, sea level
    return sigma * pressure * avogadro / (m_air * g)


@pytest.mark.parametrize("wavelength_nm", [400.0, 532.0, 633.0, 780.0, 810.0, 850.0])
def test_rayleigh_fit_matches_first_principles(wavelength_nm):
    ref = rayleigh_optical_depth_first_principles(wavelength_nm * 1e-3)
    assert atmosphere.rayleigh_optical_depth_bodhaine1999(wavelength_nm) == pytest.approx(ref, rel=2e-3)


def test_rayleigh_fit_beyond_its_range_and_lambda_minus_four():
    ref = rayleigh_optical_depth_first_principles(1.55)
    assert atmosphere.rayleigh_optical_depth_bodhaine1999(1550.0) == pytest.approx(ref, rel=0.02)
    r = atmosphere.rayleigh_optical_depth_bodhaine1999(1100.0) / atmosphere.rayleigh_optical_depth_bodhaine1999(550.0)
    assert r == pytest.approx(1 / 16, rel=0.1)


def test_angstrom_law():
    assert atmosphere.aerosol_optical_depth_angstrom(550.0, 0.2, 1.3) == pytest.approx(0.2)
    assert atmosphere.aerosol_optical_depth_angstrom(1100.0, 0.2, 1.3) == pytest.approx(0.2 * 2.0**-1.3)
    assert atmosphere.aerosol_optical_depth_angstrom(810.0, 0.2, 0.0) == pytest.approx(0.2)


def test_zenith_transmittance_grows_with_wavelength_and_falls_with_aerosols():
    lam = np.array([450.0, 600.0, 810.0, 1064.0, 1550.0])
    t = np.array([atmosphere.clear_sky_transmittance(90.0, w, 0.0, 0.1, 1.3, 0.0) for w in lam])
    assert np.all((t > 0) & (t < 1)) and np.all(np.diff(t) > 0)
    assert atmosphere.clear_sky_transmittance(90.0, 810.0, 0.0, 0.3, 1.3, 0.0) < t[2]
    tau = -np.log(atmosphere.clear_sky_transmittance(90.0, 810.0, 0.0, 0.0, 1.3, 0.0))
    assert tau == pytest.approx(atmosphere.rayleigh_optical_depth_bodhaine1999(810.0) * airmass_at_zenith(), rel=1e-9)


def airmass_at_zenith():
    return float(atmosphere.airmass_kastenyoung1989(90.0))


def test_link_budget_uses_the_site_aerosol_unless_a_zenith_value_is_given():
    s, tx = get_station("Graz"), optics.Transmitter()
    el, rng = np.array([30.0]), np.array([1000.0])
    cfg = ChannelConfig()
    atm_810 = channel.link_budget(el, rng, s, tx, 810.0, cfg).atmosphere[0]
    atm_600 = channel.link_budget(el, rng, s, tx, 600.0, cfg).atmosphere[0]
    assert atm_600 < atm_810
    # the default: 23 km rural profile with a 2 km scale height, cut at Graz's 539 m, + water vapour
    aod = 0.3171 * np.exp(-s.altitude_m / 2000.0)
    assert atmosphere.default_aerosol_optical_depth_550nm(s.altitude_m) == pytest.approx(aod, abs=5e-4)
    expect = atmosphere.clear_sky_transmittance(30.0, 810.0, s.altitude_m, aod, 1.3, 1.4)
    assert atm_810 == pytest.approx(float(expect), rel=1e-3)
    # a scenario-wide sea-level AOD replaces the visibility's, cut at the site the same way
    by_aod = channel.link_budget(el, rng, s, tx, 810.0, ChannelConfig(aerosol_optical_depth_550nm=0.1)).atmosphere[0]
    expect = atmosphere.clear_sky_transmittance(30.0, 810.0, s.altitude_m, 0.1 * np.exp(-s.altitude_m / 2000.0), 1.3, 1.4)
    assert by_aod == pytest.approx(float(expect), rel=1e-9)
    # a station's own photometer value (and exponent) wins over both
    own = replace(s, aerosol_optical_depth_550nm=0.02, angstrom_exponent=1.0)
    atm_own = channel.link_budget(el, rng, own, tx, 810.0, ChannelConfig(aerosol_optical_depth_550nm=0.1)).atmosphere[0]
    assert atm_own == pytest.approx(float(atmosphere.clear_sky_transmittance(30.0, 810.0, s.altitude_m, 0.02, 1.0, 1.4)))
    fixed = ChannelConfig(zenith_transmittance_sea_level=0.7)
    a = channel.link_budget(el, rng, s, tx, 600.0, fixed).atmosphere[0]
    b = channel.link_budget(el, rng, s, tx, 810.0, fixed).atmosphere[0]
    assert a == b == pytest.approx(float(atmosphere.transmittance_kastenyoung1989(30.0, 0.7, s.altitude_m)))
