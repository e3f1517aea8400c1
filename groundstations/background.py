"""Sky background and dark counts at a ground receiver.

Counts per coincidence window from the sky (Miao et al. 2005, Eq. 1):
    N = H_sky · Ω_FOV · A_rx · Δλ · Δt · η / (h·c/λ)

Sky radiance H_sky follows the Sun's elevation (night, twilight, day) and the Moon. The night and
moonlit values come from the standard V-band sky brightness in magnitudes per square arcsecond
(dark site ≈ 21.9, Benn & Ellison 1998; a full Moon brightens the sky by ≈ 3.5 mag,
Krisciunas & Schaefer 1991), converted with V = 0 ↔ 3.63e-11 W m⁻² nm⁻¹ (Bessell 1998) and
1 sr = 4.2545e10 arcsec². Near 800 nm the airglow makes a dark sky somewhat brighter than in V;
the defaults are order-of-magnitude values and a scenario may set its own.

References
----------
.. [1] E.-L. Miao et al., "Background noise of satellite-to-ground quantum key distribution",
   New J. Phys. 7, 215 (2005), doi:10.1088/1367-2630/7/1/215.
.. [2] C. R. Benn, S. L. Ellison, "Brightness of the night sky over La Palma", New Astron. Rev. 42,
   503 (1998), doi:10.1016/S1387-6473(98)00062-1.
.. [3] K. Krisciunas, B. E. Schaefer, "A model of the brightness of moonlight", PASP 103, 1033
   (1991), doi:10.1086/132921.
.. [4] M. S. Bessell, F. Castelli, B. Plez, A&A 333, 231 (1998): V-band zero point.
.. [5] "Measurements of spectral radiance of the horizon sky", Appl. Opt. 6, 2105 (1967),
   doi:10.1364/AO.6.002105 (abstract: north horizon at noon, meteorological range ≥ 30 km, peak
   5 µW cm⁻² sr⁻¹ nm⁻¹).
"""
from __future__ import annotations

import numpy as np

PLANCK_J_S = 6.62607015e-34
SPEED_OF_LIGHT_M_S = 299792458.0
_ARCSEC2_PER_SR = 4.2545e10
_V0_W_M2_NM = 3.63e-11  # [4]


def radiance_from_magnitude(mag_per_arcsec2):
    """Sky radiance from a V-band surface brightness. [W m⁻² sr⁻¹ nm⁻¹]"""
    return _V0_W_M2_NM * 10.0 ** (-0.4 * np.asarray(mag_per_arcsec2, float)) * _ARCSEC2_PER_SR


#: Dark-sky radiance, V = 21.9 mag/arcsec² [2]. [W m⁻² sr⁻¹ nm⁻¹]
DARK_SKY_RADIANCE = float(radiance_from_magnitude(21.9))
#: Extra radiance of a full-Moon sky, 3.5 mag brighter than dark [3]. [W m⁻² sr⁻¹ nm⁻¹]
FULL_MOON_RADIANCE = float(radiance_from_magnitude(21.9 - 3.5)) - DARK_SKY_RADIANCE
#: Clear daytime sky, 4 mag/arcsec² in V = 0.039 W m⁻² sr⁻¹ nm⁻¹: the order of the 0.05 W m⁻² sr⁻¹ nm⁻¹
#: (5 µW cm⁻² sr⁻¹ nm⁻¹) peak spectral radiance measured on a clear noon horizon sky [5]; near
#: 800 nm, away from the horizon, the day sky is fainter, so this errs bright. [W m⁻² sr⁻¹ nm⁻¹]
DAY_SKY_RADIANCE = float(radiance_from_magnitude(4.0))


def moon_brightness_relative_to_full(illuminated_fraction):
    """The Moon's brightness relative to full Moon by phase, Krisciunas & Schaefer (1991). [1]

    The Moon's V magnitude is m = −12.73 + 0.026|α| + 4e−9·α⁴ with α the phase angle in degrees
    (Eq. 20 of [3]); relative to α = 0 this is 10^(−0.4(0.026|α| + 4e−9·α⁴)). The phase angle follows
    from the illuminated fraction k = (1 + cos α)/2. Near quarter Moon (α = 90°) this gives 0.09,
    not the 0.5 of a brightness proportional to the lit fraction: the opposition surge.

    Parameters
    ----------
    illuminated_fraction : ndarray  [1]
    """
    k = np.clip(np.asarray(illuminated_fraction, float), 0.0, 1.0)
    alpha = np.degrees(np.arccos(2.0 * k - 1.0))
    return 10.0 ** (-0.4 * (0.026 * alpha + 4e-9 * alpha**4))  # Eq. 20 of [3], relative to α = 0


def sky_radiance(sun_elevation_deg, moon_elevation_deg, moon_illumination,
                 dark=DARK_SKY_RADIANCE, full_moon=FULL_MOON_RADIANCE, day=DAY_SKY_RADIANCE):
    """Sky radiance near the line of sight. [W m⁻² sr⁻¹ nm⁻¹]

    Night (Sun below −18°): dark sky plus the Moon's contribution, scaled by its phase law
    (``moon_brightness_relative_to_full``) while it is above the horizon. Day (Sun above 0°): the day value. Twilight:
    log-linear in Sun elevation between the two.

    Parameters
    ----------
    sun_elevation_deg, moon_elevation_deg : ndarray  [deg]
    moon_illumination : ndarray  [1]
    """
    sun = np.asarray(sun_elevation_deg, float)
    night = dark + full_moon * moon_brightness_relative_to_full(moon_illumination) * (np.asarray(moon_elevation_deg) > 0.0)
    frac = np.clip((sun + 18.0) / 18.0, 0.0, 1.0)
    return np.exp((1.0 - frac) * np.log(night) + frac * np.log(day))


def background_counts(radiance, fov_urad, aperture_m, obscuration_ratio, filter_bandwidth_nm,
                      window_s, efficiency, wavelength_nm):
    """Mean background photo-counts per detection window (Eq. 1 of [1]). [1]

    Parameters
    ----------
    radiance : ndarray  [W m⁻² sr⁻¹ nm⁻¹]
    fov_urad : float
        Full field of view. [µrad]
    aperture_m : float  [m]
    obscuration_ratio : float  [1]
    filter_bandwidth_nm : float  [nm]
    window_s : float
        Coincidence window. [s]
    efficiency : float
        Receiver optics × detector efficiency. [1]
    wavelength_nm : float  [nm]
    """
    omega_sr = np.pi * (0.5 * fov_urad * 1e-6) ** 2
    area_m2 = np.pi * (0.5 * aperture_m) ** 2 * (1.0 - obscuration_ratio**2)
    photon_j = PLANCK_J_S * SPEED_OF_LIGHT_M_S / (wavelength_nm * 1e-9)
    return np.asarray(radiance) * omega_sr * area_m2 * filter_bandwidth_nm * window_s * efficiency / photon_j


def noise_click_probability(mean_counts):
    """Probability of at least one noise click in a window, 1 − exp(−N) (Poisson). [1]"""
    return -np.expm1(-np.asarray(mean_counts, float))
