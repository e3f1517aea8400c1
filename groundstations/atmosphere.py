"""Atmospheric transmittance against elevation, wavelength and site altitude.

References
----------
.. [1] F. Kasten, A. T. Young, "Revised optical air mass tables and approximation formula",
   Appl. Opt. 28, 4735 (1989), doi:10.1364/AO.28.004735, Eq. (3), a fit to the air masses the
   paper tabulates for the ISO Standard Atmosphere 1972 (Table II: 38.0868 at the horizon).
.. [2] Beer–Lambert with an optical depth proportional to the air column: the Rayleigh part scales
   with surface pressure p/p0 = exp(−h/H), H = 8.43 km (U.S. Standard Atmosphere 1976, NOAA-S/T
   76-1562). Aerosols thin out faster with height, so the scaling is conservative.
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
