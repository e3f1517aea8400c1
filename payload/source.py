"""Photon-pair (SPDC) sources: parameters and the derived per-window quantities.

A polarisation-entangled SPDC source emits, per coincidence window (a pump pulse for a
pulsed source, a coincidence window for a continuous one), a state that is a product of
two-mode squeezed vacua: two polarisation terms of the singlet times K Schmidt
(spectral-temporal) modes.  Its pair-number statistics are thermal per mode, so a
spectrally pure source (K = 1) has the strongest multi-pair emission, and the HOM
visibility between two identical independent sources equals their spectral purity
1/K (Mosley et al. 2008).

References
----------
.. [1] M. Takeoka, R.-B. Jin, M. Sasaki, New J. Phys. 17, 043030 (2015),
   doi:10.1088/1367-2630/17/4/043030
.. [2] P. J. Mosley et al., "Heralded generation of ultrafast single photons in pure
   quantum states", Phys. Rev. Lett. 100, 133601 (2008), doi:10.1103/PhysRevLett.100.133601
.. [3] M. Halder et al., "Entangling independent photons by time measurement",
   Nat. Phys. 3, 692 (2007), doi:10.1038/nphys700
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
from annotated_types import Gt, Interval, Le

_PS = 1e-12
SPEED_OF_LIGHT_M_S = 299_792_458.0


@dataclass(frozen=True)
class PairSource:
    """One polarisation-entangled SPDC photon-pair source (psi-minus).

    Fields
    ------
    pulsed : bool
        True: pulsed pump (``repetition_rate_hz``, ``mean_pairs_per_pulse``); False:
        continuous pump (``pair_rate_hz``, ``coincidence_window_ps``).
    repetition_rate_hz : float
        Pump pulse repetition rate, pulsed only. [Hz] Default 100 MHz: assumption.
    mean_pairs_per_pulse : float
        Mean number of pairs emitted per pulse, all modes (mu), pulsed only. [1]
        Default 0.01: assumption.
    pair_rate_hz : float
        Emitted pair rate, continuous only. [Hz] Default 1e7: assumption.
    coincidence_window_ps : float
        Coincidence window of a continuous source (one "window" = one trial). [ps]
        Default 1000 ps: assumption.
    intrinsic_visibility : float
        Polarisation visibility V of the source alone at low mu (Werner parameter: the
        source emits V ``|psi-><psi-|`` + (1-V) 1/4, modelled as a Pauli channel on the
        outer photon). [1] Default 0.98: assumption.
    spectral_purity : float
        Spectral purity P = 1/K of each photon (K: effective Schmidt number). Sets the
        multi-pair statistics and, between identical sources, the HOM visibility. [1]
        Default 0.95: assumption (group-velocity-matched ppKTP with filtering).
    hom_mode_overlap : float
        Extra intensity overlap of the two sources' modes (timing, centre wavelength,
        polarisation-independent mismatch), multiplies the HOM visibility. [1]
        Default 1.0.
    wavelength_nm : float
        Centre wavelength of the photons. [nm] Default 810 nm: assumption (Micius band).
    bandwidth_nm : float
        Filter bandwidth (FWHM) of the photons, sets the coherence time used for
        continuous sources with detector jitter. [nm] Default 1.0 nm: assumption.
    """

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    pulsed: bool = True
    repetition_rate_hz: Annotated[float, Gt(0), Le(1e11)] = 1.0e8  # up to 100 GHz (mode-locked lasers reach ~10 GHz)
    mean_pairs_per_pulse: Annotated[float, Interval(gt=0, le=1.0)] = 0.01
    pair_rate_hz: Annotated[float, Gt(0), Le(1e11)] = 1.0e7  # 10x the brightest sources reported (~1e10 pairs/s)
    coincidence_window_ps: Annotated[float, Gt(0), Le(1e6)] = 1000.0  # at most 1 µs
    intrinsic_visibility: Annotated[float, Interval(ge=0, le=1)] = 0.98
    spectral_purity: Annotated[float, Interval(gt=0, le=1)] = 0.95
    hom_mode_overlap: Annotated[float, Interval(ge=0, le=1)] = 1.0
    wavelength_nm: Annotated[float, Interval(gt=200, lt=3000)] = 810.0
    bandwidth_nm: Annotated[float, Gt(0), Le(100.0)] = 1.0  # broadband SPDC spans tens of nm


def mean_pairs_per_window(source: PairSource) -> float:
    """Mean number of pairs per trial (pulse or coincidence window).

    Parameters
    ----------
    source : PairSource
        The source.

    Returns
    -------
    float
        ``mu``. [1]
    """
    if source.pulsed:
        return float(source.mean_pairs_per_pulse)
    return float(source.pair_rate_hz * source.coincidence_window_ps * _PS)


def trials_per_second(source: PairSource) -> float:
    """Number of trials (pulses or coincidence windows) per second. [Hz]"""
    if source.pulsed:
        return float(source.repetition_rate_hz)
    return float(1.0 / (source.coincidence_window_ps * _PS))


def coherence_time_ps(wavelength_nm, bandwidth_nm):
    """Coherence time ``lambda^2 / (c * dlambda)`` of a filtered photon.

    Parameters
    ----------
    wavelength_nm : float or ndarray
        Centre wavelength. [nm]
    bandwidth_nm : float or ndarray
        Spectral width (FWHM). [nm]

    Returns
    -------
    float or ndarray
        Coherence time. [ps]
    """
    lam_m = np.asarray(wavelength_nm) * 1e-9
    return lam_m ** 2 / (SPEED_OF_LIGHT_M_S * np.asarray(bandwidth_nm) * 1e-9) / _PS


def jitter_hom_factor(timing_jitter_ps, coherence_ps):
    """Reduction of two-photon interference of CW photons by detector timing jitter.

    For continuous sources the interfering photons are selected by detection time; a
    relative timing jitter comparable to the coherence time washes the interference
    out ([3]).  Gaussian approximation: ``1 / sqrt(1 + 2 (sigma_t / tau_c)^2)``
    (two detectors, each with rms jitter ``sigma_t``); an approximation, not exact.

    Parameters
    ----------
    timing_jitter_ps : float
        RMS timing jitter of one detector. [ps]
    coherence_ps : float
        Photon coherence time. [ps]
    """
    ratio = np.asarray(timing_jitter_ps) / np.asarray(coherence_ps)
    return 1.0 / np.sqrt(1.0 + 2.0 * ratio ** 2)


def hom_visibility(source: PairSource, timing_jitter_ps: float = 0.0) -> float:
    """HOM visibility between two identical copies of ``source`` [2].

    ``V_HOM = P * overlap`` for pulsed sources, times the jitter factor for CW sources.

    Parameters
    ----------
    source : PairSource
        Both sources are copies of this one.
    timing_jitter_ps : float
        RMS jitter of the BSM detectors (continuous sources only). [ps]
    """
    v = source.spectral_purity * source.hom_mode_overlap
    if not source.pulsed and timing_jitter_ps > 0:
        v *= float(jitter_hom_factor(timing_jitter_ps,
                                     coherence_time_ps(source.wavelength_nm, source.bandwidth_nm)))
    return float(v)


def schmidt_number(source: PairSource) -> float:
    """Effective number K of thermal modes per trial (multi-pair statistics). [1]

    Pulsed: ``K = 1/P`` (Schmidt number of a source of purity P).  Continuous: a
    coincidence window holds about ``window / coherence time`` independent temporal
    modes, so ``K = max(1/P, window/tau_c)`` (statistics close to Poissonian).
    """
    k = 1.0 / source.spectral_purity
    if not source.pulsed:
        tau_c = float(coherence_time_ps(source.wavelength_nm, source.bandwidth_nm))
        k = max(k, source.coincidence_window_ps / tau_c)
    return float(k)


def multi_pair_probability(mu, schmidt_number_k):
    """Probability of two or more pairs in a trial, thermal statistics in 2K modes.

    Each of the 2K TMSVs (2 polarisation terms, K Schmidt modes) is thermal with mean
    ``mu/(2K)``; the vacuum probability is ``(1 + mu/2K)^(-2K)`` and the one-pair
    probability ``mu (1 + mu/2K)^(-2K-1)`` (Eq. 3 of [1], generalised to 2K modes).

    Parameters
    ----------
    mu : float or ndarray
        Mean pair number per trial. [1]
    schmidt_number_k : float
        Effective Schmidt number K. [1]
    """
    mu = np.asarray(mu, dtype=float)
    m = mu / (2.0 * schmidt_number_k)
    p0 = (1.0 + m) ** (-2.0 * schmidt_number_k)
    p1 = mu * (1.0 + m) ** (-2.0 * schmidt_number_k - 1.0)
    return 1.0 - p0 - p1


__all__ = ["PairSource", "mean_pairs_per_window", "trials_per_second", "coherence_time_ps",
           "jitter_hom_factor", "hom_visibility", "schmidt_number", "multi_pair_probability"]
