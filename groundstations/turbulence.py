"""Turbulence on a downlink: Hufnagel–Valley Cn² from the site's ground up, the ground layer from
the site's seeing, Rytov variance, aperture-averaged scintillation, the probability of a fade, and
the seeing-limited spot at the receiver's field stop.

The beam arriving at the ground is much wider than the coherence scale, so turbulence does not
change the power collected by the aperture; it costs light behind the aperture, where the
seeing-limited image (width ∝ λ/r0, growing as sec^(3/5) of the zenith angle) overfills the field
stop, and it makes the received power fluctuate (scintillation, fades).

References
----------
.. [1] L. C. Andrews, R. L. Phillips, *Laser Beam Propagation through Random Media*, 2nd ed.,
   SPIE Press (2005), doi:10.1117/3.626196, ch. 12: Eq. (12.1) Hufnagel–Valley model (p. 481;
   HV 5/7 is chosen so that r0 = 5 cm and θ0 = 7 µrad at 0.5 µm, text below Eq. (12.3));
   Eq. (12.23) Fried parameter of a slant path (p. 492); Eq. (12.38) Rytov variance of a downlink
   plane wave (p. 495, repeated as Eq. (12.92)); Eq. (12.39) aperture-averaged scintillation index
   of a downlink (p. 496); ch. 12 worked examples 1 and 2 (pp. 524–525) give the numbers the
   tests reproduce. Ch. 11, lognormal fade probability. Heights in Eq. (12.1) are above the ground.
.. [2] D. L. Fried, "Optical resolution through a randomly inhomogeneous medium for very long and
   very short exposures", J. Opt. Soc. Am. 56, 1372 (1966), doi:10.1364/JOSA.56.001372: the
   long-exposure optical transfer function exp[−3.44·(λf/r0)^(5/3)] (the tests integrate it into
   the encircled energy that [4] approximates).
.. [3] F. Roddier, "The effects of atmospheric turbulence in optical astronomy", Progress in
   Optics 19, 281 (1981), doi:10.1016/S0079-6638(08)70204-X: seeing (long-exposure FWHM)
   ε = 0.98·λ/r0, r0 = [0.423·k²·sec ζ·∫Cn² dh]^(−3/5), r0 ∝ λ^(6/5).
.. [4] I. Trujillo, J. A. L. Aguerri, J. Cepa, C. M. Gutiérrez, "The effects of seeing on Sérsic
   profiles – II. The Moffat PSF", Mon. Not. R. Astron. Soc. 328, 977 (2001),
   doi:10.1046/j.1365-8711.2001.04937.x: a Moffat profile I ∝ [1 + (r/α)²]^(−β) with β = 4.765
   describes the Kolmogorov long-exposure image; FWHM = 2α·sqrt(2^(1/β) − 1).
"""
from __future__ import annotations

import functools

import numpy as np

#: Top of the turbulent atmosphere for the integrals, above the site's ground. [m]
TURBULENCE_TOP_M = 20000.0
_HEIGHTS_M = TURBULENCE_TOP_M * np.linspace(0.0, 1.0, 2001) ** 2  # quadrature nodes above ground, dense low down
#: HV 5/7 (Eq. 12.1 of [1]): rms upper wind and ground-level Cn² (r0 = 5 cm at 0.5 µm). [m/s], [m^-2/3]
HV57_WIND_SPEED_M_S, HV57_GROUND_CN2_M_23 = 21.0, 1.7e-14
#: Seeing (long-exposure FWHM) in units of λ/r0 ([3]). [1]
SEEING_FWHM_LAMBDA_OVER_R0 = 0.98
#: Moffat index of the Kolmogorov long-exposure image ([4]). [1]
MOFFAT_BETA_KOLMOGOROV = 4.765
#: Diffraction FWHM of an unobstructed circular aperture, in units of λ/D (Airy pattern). [1]
AIRY_FWHM_LAMBDA_OVER_D = 1.029


def cn2_hufnagel_valley(height_m, wind_speed_m_s=HV57_WIND_SPEED_M_S, ground_cn2_m_23=HV57_GROUND_CN2_M_23):
    """Hufnagel–Valley refractive-index structure parameter (Eq. 12.1 of [1]).

    Cn²(h) = 0.00594·(v/27)²·(1e-5·h)^10·exp(−h/1000) + 2.7e-16·exp(−h/1500) + A·exp(−h/100);
    HV 5/7 is v = 21 m/s, A = 1.7e-14 m^-2/3.

    Parameters
    ----------
    height_m : ndarray
        Height above ground. [m]
    wind_speed_m_s : float
        rms high-altitude wind speed. [m/s]
    ground_cn2_m_23 : float
        Ground-level Cn², A. [m^-2/3]

    Returns
    -------
    ndarray  [m^-2/3]
    """
    h = np.asarray(height_m, dtype=float)
    return (0.00594 * (wind_speed_m_s / 27.0) ** 2 * (1e-5 * h) ** 10 * np.exp(-h / 1000.0)
            + 2.7e-16 * np.exp(-h / 1500.0) + ground_cn2_m_23 * np.exp(-h / 100.0))  # Eq. 12.1 of [1]


def _cn2_moments(wind_speed_m_s, ground_cn2_m_23):
    """∫Cn² dh and ∫Cn²·h^(5/6) dh over the profile above the site's ground. [m^1/3], [m^7/6]"""
    h = _HEIGHTS_M
    cn2 = cn2_hufnagel_valley(h, wind_speed_m_s, ground_cn2_m_23)
    return np.trapezoid(cn2, h), np.trapezoid(cn2 * h ** (5.0 / 6.0), h)


def ground_cn2_from_seeing(seeing_arcsec, wind_speed_m_s=HV57_WIND_SPEED_M_S, wavelength_nm=500.0):
    """Ground-layer strength A of the HV profile that reproduces a site's zenith seeing.

    r0 = 0.98·λ/ε ([3]) fixes ∫Cn² dh = r0^(−5/3)/(0.42·k²) (Eq. 12.23 of [1]); the HV upper
    layers (wind term and 2.7e-16·e^(−h/1500)) are kept, and the ground term A·e^(−h/100), whose
    integral is 100 m·A, takes the rest (Eq. 12.1 of [1]). A seeing better than the upper layers
    alone allow gives A = 0.

    Parameters
    ----------
    seeing_arcsec : float
        Median zenith seeing (long-exposure FWHM), e.g. a DIMM median, at ``wavelength_nm``. [arcsec]
    wind_speed_m_s : float
        rms upper wind of the HV profile. [m/s]
    wavelength_nm : float
        Wavelength the seeing refers to (500 nm for DIMM medians). [nm]

    Returns
    -------
    float  [m^-2/3]
    """
    k = 2.0 * np.pi / (wavelength_nm * 1e-9)
    r0 = SEEING_FWHM_LAMBDA_OVER_R0 * wavelength_nm * 1e-9 / (seeing_arcsec * np.pi / 648000.0)  # [3]
    total = r0 ** (-5.0 / 3.0) / (0.42 * k**2)  # Eq. 12.23 of [1] at the zenith
    upper, _ = _cn2_moments(wind_speed_m_s, 0.0)
    return max(0.0, (total - upper) / 100.0)


def rytov_variance_downlink(zenith_rad, wavelength_nm, *, wind_speed_m_s=HV57_WIND_SPEED_M_S,
                            ground_cn2_m_23=HV57_GROUND_CN2_M_23):
    """Rytov variance of a downlink plane wave (Eq. 12.38 of [1]).

    σ_R² = 2.25·k^(7/6)·sec^(11/6)(ζ)·∫_0^H Cn²(h)·h^(5/6) dh, h above the site's ground. The
    height integral does not depend on the sample, so it is computed once and scaled by sec^(11/6) ζ.

    Parameters
    ----------
    zenith_rad : ndarray  [rad]
    wavelength_nm : float  [nm]
    wind_speed_m_s : float  [m/s]
    ground_cn2_m_23 : float  [m^-2/3]
    """
    k = 2.0 * np.pi / (wavelength_nm * 1e-9)
    _, integral = _cn2_moments(wind_speed_m_s, ground_cn2_m_23)
    return 2.25 * k ** (7.0 / 6.0) * np.cos(np.asarray(zenith_rad)) ** (-11.0 / 6.0) * integral  # Eq. 12.38 of [1]


def fried_parameter_m(zenith_rad, wavelength_nm, *, wind_speed_m_s=HV57_WIND_SPEED_M_S,
                      ground_cn2_m_23=HV57_GROUND_CN2_M_23):
    """Fried parameter of a downlink (plane wave) through the HV profile (Eq. 12.23 of [1]).

    r0 = [0.42·k²·sec ζ·∫_0^H Cn²(h) dh]^(−3/5), h above the site's ground, with the book's
    constant 0.42 (Fried's 1966 value is 0.423; the two differ by 0.4 % in r0). HV 5/7 gives
    r0 ≈ 5 cm at 0.5 µm at the zenith, whatever the site's altitude.

    Parameters
    ----------
    zenith_rad : ndarray  [rad]
    wavelength_nm : float  [nm]
    wind_speed_m_s : float  [m/s]
    ground_cn2_m_23 : float  [m^-2/3]

    Returns
    -------
    ndarray  [m]
    """
    k = 2.0 * np.pi / (wavelength_nm * 1e-9)
    integral, _ = _cn2_moments(wind_speed_m_s, ground_cn2_m_23)
    return (0.42 * k**2 * integral / np.cos(np.asarray(zenith_rad, float))) ** (-3.0 / 5.0)  # Eq. 12.23 of [1]


def scintillation_index_downlink(zenith_rad, aperture_m, wavelength_nm, *, wind_speed_m_s=HV57_WIND_SPEED_M_S,
                                 ground_cn2_m_23=HV57_GROUND_CN2_M_23):
    """Aperture-averaged scintillation index of a downlink, weak fluctuations (Eq. 12.39 of [1])::

        σ_I²(D) = 8.70·k^(7/6)·H^(5/6)·sec^(11/6)ζ ·
                  Re ∫ Cn²(h)·{[kD²/(16L) + i·h/H]^(5/6) − [kD²/(16L)]^(5/6)} dh,

    h above the site's ground, L = H·sec ζ. For D → 0 it reduces to the Rytov variance
    (8.70·cos(5π/12) = 2.25). The integral depends on ζ only through kD²/16L ∝ cos ζ; it is
    evaluated on 64 values of cos ζ spaced geometrically from cos 89° to 1 and interpolated log–log,
    and the sec^(11/6) ζ factor is applied exactly for each sample (within 1e-4 of a direct
    quadrature up to ζ = 88.5°). Beyond ζ = 89° (where weak-fluctuation theory no longer holds
    anyway) the 89° value holds.

    Parameters
    ----------
    zenith_rad : ndarray  [rad]
    aperture_m : float  [m]
    wavelength_nm : float  [nm]
    wind_speed_m_s : float  [m/s]
    ground_cn2_m_23 : float  [m^-2/3]
    """
    k = 2.0 * np.pi / (wavelength_nm * 1e-9)
    depth = TURBULENCE_TOP_M
    grid_cos, log_integral = _aperture_integral(float(k), float(aperture_m), float(wind_speed_m_s),
                                                float(ground_cn2_m_23))
    cos_zenith = np.maximum(np.cos(np.asarray(zenith_rad, float)), grid_cos[0])  # beyond 89° the 89° value holds
    integral_at = np.exp(np.interp(np.log(cos_zenith), np.log(grid_cos), log_integral))
    return 8.70 * k ** (7.0 / 6.0) * depth ** (5.0 / 6.0) * cos_zenith ** (-11.0 / 6.0) * integral_at  # Eq. 12.39 of [1]


@functools.lru_cache(maxsize=256)
def _aperture_integral(k: float, aperture_m: float, wind_speed_m_s: float,
                       ground_cn2_m_23: float) -> tuple[np.ndarray, np.ndarray]:
    """The height integral of :func:`scintillation_index_downlink` on its grid of cos ζ, and its log
    (one quadrature of 64 × 2001 complex terms, ~14 ms: computed once per station and wavelength,
    not once per call; the arrays are read-only)."""
    h = _HEIGHTS_M
    depth = TURBULENCE_TOP_M
    cn2 = cn2_hufnagel_valley(h, wind_speed_m_s, ground_cn2_m_23)
    grid_cos = np.geomspace(np.cos(np.radians(89.0)), 1.0, 64)
    a = k * aperture_m**2 * grid_cos / (16.0 * depth)  # kD²/(16L), L = H·sec ζ
    x = h / depth
    term = (a[:, None] + 1j * x[None, :]) ** (5.0 / 6.0) - a[:, None] ** (5.0 / 6.0)
    integral = np.trapezoid(cn2[None, :] * term.real, h, axis=1)
    log_integral = np.log(integral)
    grid_cos.flags.writeable = False
    log_integral.flags.writeable = False
    return grid_cos, log_integral


def fade_probability(scintillation_index, threshold_fraction):
    """Probability that lognormal irradiance falls below ``threshold_fraction`` of its mean.

    With σ² = ln(1 + σ_I²): P = ½·[1 + erf((ln F + σ²/2)/(√2·σ))] (ch. 11 of [1]).

    Parameters
    ----------
    scintillation_index : ndarray  [1]
    threshold_fraction : float
        Fade threshold as a fraction of the mean irradiance (e.g. 0.5 for −3 dB). [1]
    """
    s2 = np.log1p(np.asarray(scintillation_index, float))
    s = np.sqrt(np.maximum(s2, 1e-300))
    from scipy.special import erf  # here, so that reading a scenario does not import scipy

    return 0.5 * (1.0 + erf((np.log(threshold_fraction) + 0.5 * s2) / (np.sqrt(2.0) * s)))


def seeing_fwhm_urad(fried_parameter_m, wavelength_nm):
    """Long-exposure seeing FWHM ε = 0.98·λ/r0 ([3]). [µrad]

    Parameters
    ----------
    fried_parameter_m : ndarray  [m]
    wavelength_nm : float  [nm]
    """
    return SEEING_FWHM_LAMBDA_OVER_R0 * wavelength_nm * 1e-3 / np.asarray(fried_parameter_m, float)


def spot_fwhm_urad(fried_parameter_m, wavelength_nm, aperture_m):
    """FWHM of the long-exposure image at the focal plane: seeing and diffraction in quadrature. [µrad]

    sqrt(ε² + (1.029·λ/D)²), ε from :func:`seeing_fwhm_urad`; adding the two widths in quadrature is
    an approximation (exact for two Gaussians) that is within a few per cent of the convolved
    profiles where either dominates (assumption, see docs/micius_2017.md).

    Parameters
    ----------
    fried_parameter_m : ndarray  [m]
    wavelength_nm : float  [nm]
    aperture_m : float  [m]
    """
    diffraction = AIRY_FWHM_LAMBDA_OVER_D * wavelength_nm * 1e-3 / aperture_m
    return np.hypot(seeing_fwhm_urad(fried_parameter_m, wavelength_nm), diffraction)


def field_stop_efficiency_moffat(field_of_view_urad, spot_fwhm_urad, beta=MOFFAT_BETA_KOLMOGOROV):
    """Fraction of a centred Moffat image inside a circular field stop (Trujillo et al. 2001 [4]).

    EE(R) = 1 − [1 + (R/α)²]^(1−β), R = FOV/2, α = FWHM/(2·sqrt(2^(1/β) − 1)): the integral of
    the Moffat profile of [4] over a disc. β = 4.765 is [4]'s fit to the Kolmogorov long-exposure
    image (tested against the encircled energy of Fried's long-exposure transfer function [2]).

    Parameters
    ----------
    field_of_view_urad : float
        Full angle of the receiver's field stop (or detector) on the sky. [µrad]
    spot_fwhm_urad : ndarray
        FWHM of the image. [µrad]
    beta : float
        Moffat index. [1]

    Returns
    -------
    ndarray  [1]
    """
    alpha = np.asarray(spot_fwhm_urad, float) / (2.0 * np.sqrt(2.0 ** (1.0 / beta) - 1.0))
    return 1.0 - (1.0 + (0.5 * field_of_view_urad / alpha) ** 2) ** (1.0 - beta)


def field_stop_efficiency_downlink(zenith_rad, field_of_view_urad, aperture_m, wavelength_nm, *,
                                   wind_speed_m_s=HV57_WIND_SPEED_M_S, ground_cn2_m_23=HV57_GROUND_CN2_M_23,
                                   beta=MOFFAT_BETA_KOLMOGOROV):
    """Share of a downlink's long-exposure image inside the receiver's field stop, per sample. [1]

    The composition :func:`field_stop_efficiency_moffat` ∘ :func:`spot_fwhm_urad` ∘
    :func:`fried_parameter_m`, written for speed: with r0(ζ) = r0(0)·cos^(3/5) ζ (Eq. 12.23 of [1])
    the squared spot is ε0²·cos^(−6/5) ζ + (1.029·λ/D)², so a sample costs two powers.

    Parameters
    ----------
    zenith_rad : ndarray  [rad]
    field_of_view_urad : float  [µrad]
    aperture_m : float  [m]
    wavelength_nm : float  [nm]
    wind_speed_m_s, ground_cn2_m_23 : float  [m/s], [m^-2/3]
    beta : float  [1]
    """
    r0_zenith = fried_parameter_m(0.0, wavelength_nm, wind_speed_m_s=wind_speed_m_s, ground_cn2_m_23=ground_cn2_m_23)
    seeing2 = float(seeing_fwhm_urad(r0_zenith, wavelength_nm)) ** 2
    diffraction2 = (AIRY_FWHM_LAMBDA_OVER_D * wavelength_nm * 1e-3 / aperture_m) ** 2
    spot2 = seeing2 * np.cos(np.asarray(zenith_rad, float)) ** (-6.0 / 5.0) + diffraction2
    x = field_of_view_urad**2 * (2.0 ** (1.0 / beta) - 1.0) / spot2  # (R/α)², R = FOV/2, α = FWHM/(2·sqrt(2^(1/β) − 1))
    return 1.0 - (1.0 + x) ** (1.0 - beta)  # [4]
