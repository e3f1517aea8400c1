"""Transmit optics: Gaussian-beam diffraction to a ground receiver and pointing loss.

References
----------
.. [1] A. E. Siegman, *Lasers*, University Science Books (1986), ch. 17: Gaussian beams,
   w(z) = w0·sqrt(1 + (z/zR)²), zR = π·w0²/λ (Eqs. 17.5-17.6).
.. [2] A. A. Farid, S. Hranilovic, "Outage capacity optimization for free-space optical links with
   pointing errors", J. Lightwave Technol. 25, 1702 (2007), doi:10.1109/JLT.2007.899174:
   collected fraction of a Gaussian beam by a circular aperture, Gaussian pointing jitter.
.. [3] L. C. Andrews, R. L. Phillips, *Laser Beam Propagation through Random Media*, 2nd ed.,
   SPIE Press (2005), ch. 12 (satellite downlinks).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from annotated_types import Ge, Gt, Le, Lt


@dataclass(frozen=True)
class Transmitter:
    """The satellite's transmit telescope and pointing.

    Attributes
    ----------
    aperture_diameter_m : float
        Transmit aperture; the beam is truncated by it only if ``truncate`` (assumption 0.1 m,
        a compact payload). [m]
    divergence_urad : float
        Far-field full-angle 1/e² divergence, 2·λ/(π·w0) (Micius: ~10 µrad, Yin et al. 2017). [µrad]
    pointing_bias_urad : float
        Static pointing error. [µrad]
    pointing_jitter_urad : float
        Pointing jitter, rms per axis (assumption 1 µrad; Micius reported < 0.5 µrad fine pointing,
        Liao et al. 2017). [µrad]
    pointing_jitter_per_zenith_urad : float
        Extra jitter per radian of zenith angle at the station (elevation-dependent tracking; 0 by
        default). [µrad/rad]
    optics_efficiency : float
        Transmission of the onboard optics from source to aperture (assumption 0.8). [1]
    truncate : bool
        Apply the aperture's truncation of the beam (power outside the aperture is lost).
    """

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    aperture_diameter_m: Annotated[float, Gt(0.0), Le(5.0)] = 0.1
    divergence_urad: Annotated[float, Gt(0.0), Lt(1e4)] = 10.0
    pointing_bias_urad: Annotated[float, Ge(0.0), Lt(1e4)] = 0.0
    pointing_jitter_urad: Annotated[float, Ge(0.0), Lt(1e4)] = 1.0
    pointing_jitter_per_zenith_urad: Annotated[float, Ge(0.0), Lt(1e4)] = 0.0
    optics_efficiency: Annotated[float, Gt(0.0), Le(1.0)] = 0.8
    truncate: bool = False


def waist_from_divergence_m(divergence_urad, wavelength_nm):
    """Beam waist radius w0 from the full-angle far-field divergence θ = 2λ/(π·w0) [1]. [m]

    Parameters
    ----------
    divergence_urad : float or ndarray  [µrad]
    wavelength_nm : float or ndarray  [nm]
    """
    return 2.0 * wavelength_nm * 1e-9 / (np.pi * divergence_urad * 1e-6)


def beam_radius_m(range_km, waist_m, wavelength_nm):
    """1/e² beam radius after propagating ``range_km``: w = w0·sqrt(1 + (L/zR)²), zR = π·w0²/λ [1]. [m]

    Parameters
    ----------
    range_km : ndarray  [km]
    waist_m : float  [m]
    wavelength_nm : float  [nm]
    """
    z_r = np.pi * waist_m**2 / (wavelength_nm * 1e-9)  # Eq. 17.6 of [1]
    return waist_m * np.sqrt(1.0 + (np.asarray(range_km) * 1e3 / z_r) ** 2)  # Eq. 17.5 of [1]


def collected_fraction(beam_radius_m, aperture_m, obscuration_ratio=0.0):
    """Power fraction of a centred Gaussian beam caught by an annular aperture.

    exp(−2·r_in²/w²) − exp(−2·r_out²/w²), the integral of the Gaussian irradiance over the annulus
    (Eq. 8 of [2] for r_in = 0).

    Parameters
    ----------
    beam_radius_m : ndarray
        1/e² radius at the receiver. [m]
    aperture_m : float
        Receiver aperture diameter. [m]
    obscuration_ratio : float
        Central obscuration diameter / aperture diameter. [1]
    """
    w2 = np.asarray(beam_radius_m) ** 2
    r_out, r_in = 0.5 * aperture_m, 0.5 * aperture_m * obscuration_ratio
    return np.exp(-2.0 * r_in**2 / w2) - np.exp(-2.0 * r_out**2 / w2)


def truncation_fraction(waist_m, aperture_diameter_m):
    """Power of a Gaussian beam of waist ``waist_m`` passed by a circular transmit aperture. [1]"""
    return 1.0 - np.exp(-2.0 * (0.5 * aperture_diameter_m) ** 2 / waist_m**2)


def pointing_efficiency(beam_radius_m, range_km, bias_urad, jitter_urad):
    """Mean on-axis irradiance factor under a static offset and Gaussian jitter.

    With offset b = bias·L and jitter σ = jitter·L per axis, the receiver sees the beam at a
    Rice-distributed radial offset; averaging exp(−2r²/w²) over it gives
    w²/(w² + 4σ²) · exp(−2b²/(w² + 4σ²)) (the Gaussian-jitter average of [2], Eq. 9, extended
    with a bias). Valid when the aperture is small compared with the beam, as in every downlink.

    Parameters
    ----------
    beam_radius_m : ndarray  [m]
    range_km : ndarray  [km]
    bias_urad, jitter_urad : float or ndarray  [µrad]
    """
    w2 = np.asarray(beam_radius_m) ** 2
    length_m = np.asarray(range_km) * 1e3
    s2 = (np.asarray(jitter_urad) * 1e-6 * length_m) ** 2
    b2 = (np.asarray(bias_urad) * 1e-6 * length_m) ** 2
    return w2 / (w2 + 4.0 * s2) * np.exp(-2.0 * b2 / (w2 + 4.0 * s2))


def downlink_geometric_transmittance(range_km, zenith_rad, tx: Transmitter, wavelength_nm,
                                     aperture_m, obscuration_ratio):
    """Diffraction × pointing × onboard optics (× truncation) for one downlink, per sample.

    Returns
    -------
    diffraction, pointing : ndarray  [1]
        The two factors separately (onboard optics and truncation are folded into ``diffraction``).
    """
    w0 = waist_from_divergence_m(tx.divergence_urad, wavelength_nm)
    w = beam_radius_m(range_km, w0, wavelength_nm)
    diffraction = collected_fraction(w, aperture_m, obscuration_ratio) * tx.optics_efficiency
    if tx.truncate:
        diffraction = diffraction * truncation_fraction(w0, tx.aperture_diameter_m)
    jitter = tx.pointing_jitter_urad + tx.pointing_jitter_per_zenith_urad * np.asarray(zenith_rad)
    return diffraction, pointing_efficiency(w, range_km, tx.pointing_bias_urad, jitter)
