"""Atmospheric transmittance against elevation, wavelength and site altitude.

References
----------
.. [1] F. Kasten, A. T. Young, "Revised optical air mass tables and approximation formula",
   Appl. Opt. 28, 4735 (1989), doi:10.1364/AO.28.004735, Eq. (3), a fit to the air masses the
   paper tabulates for the ISO Standard Atmosphere 1972 (Table II: 38.0868 at the horizon).
.. [2] Beer–Lambert with an optical depth proportional to the air column: the Rayleigh part scales
   with surface pressure p/p0 = exp(−h/H), H = 8.43 km (U.S. Standard Atmosphere 1976, NOAA-S/T
   76-1562). Aerosols thin out faster with height, so the scaling is conservative.
.. [3] B. A. Bodhaine, N. B. Wood, E. G. Dutton, J. R. Slusser, "On Rayleigh optical depth
   calculations", J. Atmos. Oceanic Technol. 16, 1854 (1999), doi:10.1175/1520-0426(1999)016<1854:ORODC>2.0.CO;2,
   Eq. (30): Rayleigh optical depth at sea level (1013.25 hPa, 45° N, 360 ppm CO2).
.. [4] A. Ångström, "On the atmospheric transmission of sun radiation and on dust in the air",
   Geogr. Ann. 11, 156 (1929): aerosol optical depth τ_a(λ) = τ_a(λ0)·(λ/λ0)^−α; α ≈ 1.3 is his
   typical exponent.
.. [5] Rayleigh cross section σ = 24π³(n²−1)²/(λ⁴N_s²(n²+2)²)·F_air (Eq. 2 of [3]) with the
   refractive index of E. R. Peck, K. Reeder, J. Opt. Soc. Am. 62, 958 (1972) and the King factor
   of D. R. Bates, Planet. Space Sci. 32, 785 (1984) — the first-principles route [3] recommends;
   used in the tests as the independent reference for Eq. (30).
"""
from __future__ import annotations

import numpy as np

#: Pressure scale height of the lower atmosphere (U.S. Standard Atmosphere 1976). [m]
PRESSURE_SCALE_HEIGHT_M = 8434.0


def airmass_kastenyoung1989(elevation_deg):
    """Relative optical air mass, Kasten & Young (1989).

    AM = 1 / (sin h + 0.50572·(h + 6.07995°)^−1.6364), h the elevation in degrees (Eq. 3 of [1]).
    AM(90°) = 1.0, AM(0°) = 37.92. The paper's table gives 38.0868 at the horizon, so the formula
    is 0.44 % low there and within 0.2 % of the table from 1° up (tests). Below the horizon the
    result is NaN.

    Parameters
    ----------
    elevation_deg : ndarray  [deg]

    Returns
    -------
    ndarray  [1]
    """
    h = np.asarray(elevation_deg, dtype=float)
    with np.errstate(invalid="ignore"):
        am = 1.0 / (np.sin(np.radians(h)) + 0.50572 * (h + 6.07995) ** -1.6364)  # Eq. 3 of [1]
    return np.where(h >= 0.0, am, np.nan)


#: Aerosol optical depth at 550 nm at sea level (assumption 0.1: a clear continental sky; mountain
#: observatories often see 0.02–0.05, hazy sites 0.3 or more — set it per scenario). [1]
AEROSOL_OPTICAL_DEPTH_550NM = 0.1
#: Ångström exponent of the aerosol optical depth (Ångström's typical 1.3, [4]). [1]
ANGSTROM_EXPONENT = 1.3


def rayleigh_optical_depth_bodhaine1999(wavelength_nm):
    """Zenith Rayleigh optical depth of the whole atmosphere at sea level (Eq. 30 of [3]). [1]

    τ_R = 0.0021520·(1.0455996 − 341.29061·λ⁻² − 0.90230850·λ²) / (1 + 0.0027059889·λ⁻² − 85.968563·λ²),
    λ in µm; a fit to the first-principles calculation [5] made for 250–850 nm: within 0.2 % of it
    there and 1 % at 1550 nm (tested against [5]).

    Parameters
    ----------
    wavelength_nm : float or ndarray  [nm]
    """
    lam2 = (np.asarray(wavelength_nm, dtype=float) * 1e-3) ** 2
    return 0.0021520 * (1.0455996 - 341.29061 / lam2 - 0.90230850 * lam2) / (1.0 + 0.0027059889 / lam2 - 85.968563 * lam2)


def aerosol_optical_depth_angstrom(wavelength_nm, aod_550nm=AEROSOL_OPTICAL_DEPTH_550NM, angstrom_exponent=ANGSTROM_EXPONENT):
    """Aerosol zenith optical depth τ_a(λ) = τ_a(550 nm)·(λ/550 nm)^−α (Ångström's law [4]). [1]

    Parameters
    ----------
    wavelength_nm : float or ndarray  [nm]
    aod_550nm : float
        Aerosol optical depth at 550 nm. [1]
    angstrom_exponent : float  [1]
    """
    return aod_550nm * (np.asarray(wavelength_nm, dtype=float) / 550.0) ** -angstrom_exponent


def zenith_transmittance_sea_level(wavelength_nm, aod_550nm=AEROSOL_OPTICAL_DEPTH_550NM, angstrom_exponent=ANGSTROM_EXPONENT):
    """Clear-sky zenith transmittance at sea level, Rayleigh [3] and aerosol [4] extinction. [1]

    exp(−τ_R − τ_a). Molecular absorption is left out: at the 700–900 nm downlink wavelengths it is
    confined to the O₂ A band (759–771 nm) and the water bands near 720 and 820 nm, which a filter
    placed in a window avoids; inside a band, use a user table (``atmosphere_model: table``).

    Parameters
    ----------
    wavelength_nm : float or ndarray  [nm]
    aod_550nm : float  [1]
    angstrom_exponent : float  [1]
    """
    return np.exp(-rayleigh_optical_depth_bodhaine1999(wavelength_nm)
                  - aerosol_optical_depth_angstrom(wavelength_nm, aod_550nm, angstrom_exponent))


def zenith_optical_depth(zenith_transmittance_sea_level, altitude_m):
    """Zenith optical depth at a site: −ln(T0)·exp(−altitude/H) [2]. [1]

    Parameters
    ----------
    zenith_transmittance_sea_level : float
        Clear-sky zenith transmittance at sea level for the wavelength. [1]
    altitude_m : float
        Site altitude. [m]
    """
    return -np.log(zenith_transmittance_sea_level) * np.exp(-altitude_m / PRESSURE_SCALE_HEIGHT_M)


def transmittance_kastenyoung1989(elevation_deg, zenith_transmittance_sea_level, altitude_m):
    """Clear-sky transmittance T = exp(−τ_site·AM(elevation)) (Beer–Lambert with [1], [2]). [1]

    Parameters
    ----------
    elevation_deg : ndarray  [deg]
    zenith_transmittance_sea_level : float  [1]
    altitude_m : float  [m]
    """
    tau = zenith_optical_depth(zenith_transmittance_sea_level, altitude_m)
    return np.exp(-tau * airmass_kastenyoung1989(elevation_deg))


def transmittance_from_table(elevation_deg, table_elevation_deg, table_transmittance):
    """Transmittance interpolated (linearly in elevation) from a user table, e.g. MODTRAN or
    libRadtran output for the site; outside the table the end values hold. [1]

    Parameters
    ----------
    elevation_deg : ndarray  [deg]
    table_elevation_deg : sequence, increasing  [deg]
    table_transmittance : sequence  [1]
    """
    return np.interp(elevation_deg, np.asarray(table_elevation_deg, float), np.asarray(table_transmittance, float))
