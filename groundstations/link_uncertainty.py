"""How sure the link is: the chain calibration's error per link, and how it correlates.

The link model carries one fitted chain constant c per downlink (``channel.chain_loss_db``, the
joint fit of groundstations.calibration) whose error is of two kinds, and a simulated year draws
both, once per year, as an offset in dB added to each station's modelled loss:

    offset[draw, s] = σ_c·z0[draw] + σ_s·z[draw, s],      z0, z ~ N(0, 1) independent,

- **the chain**, σ_c = ``chain_loss_sigma_db`` (the fit's Jacobian uncertainty): one number shared
  by every link of the payload, so *fully correlated* across stations, pairs and passes of a year;
- **the station**, σ_s = ``link_loss_sigma_db`` (the fit's residual scatter of one link about the
  chain): how far one station's real receiver chain sits from the shared constant; *independent*
  between stations, the same for all passes of one station in one year.

So var(offset[s]) = σ_c² + σ_s², cov(offset[s], offset[s']) = σ_c² (s ≠ s'), and the correlation
between two stations is σ_c²/(σ_c² + σ_s²). A contact whose pairs cross n downlinks (the payload
mode's ``downlinks``: 0 on board, 1 single downlink, 2 dual or direct downlink) loses the sum of
its n stations' offsets, of variance n²σ_c² + nσ_s² (:class:`LinkUncertainty`). Each link's
transmittance is scaled by 10^(−offset/10), so a rate proportional to the product of the links'
transmittances (heralded pairs ∝ η_a·η_b in dual downlink, ∝ η_a in single downlink) is scaled by
10^(−Σ offsets/10), with expectation exp(½·(ln 10/10)²·var) (the log-normal mean, [1]).

**Where the product rule holds.** Given a herald, a station clicks on its photon with probability
~η and on noise with probability n per coincidence window (sky background and dark counts), so the
four-fold rate is proportional to the product of the links' transmittances while the noise clicks
are rare beside the signal's, n ≪ η at every station; the QBER then does not depend on η either,
and a draw keeps each contact's QBER. (A high η does not break it: with a mean pair number per
pulse ≪ 1 the threshold detectors do not saturate.) Where noise makes a share of the four-folds
(n/η ≳ 0.01: twilight or daylight background, a bright Moon near the beam, a weak link near its
noise floor), the accidental four-folds scale with one link or none: the counted pairs fall more
slowly than the rule as the links worsen (and rise more slowly as they improve) while their QBER
rises, so a draw by the rule undercounts four-folds on the weak side, overcounts them on the strong
side, and follows the signal pairs. Measured against the swap model by rescaling every link
(``tests/test_link_draws.py``): in the tests' Micius-pair plan (26–40 dB per station, n ~ 2.5e-7,
n/η ≤ 0.003) each window's pairs stay within 0.6 % of the rule at ±3 dB and the QBER within 0.004;
in the q4s year (32–53 dB per link, n/η 0.006 at the pair-weighted median, 0.03 at P90) the year's
four-folds are −1.2 % / +1.5 % off the rule at ∓0.8 dB per link (a pair's ∓1.6 dB, about the
band's P90 and P10), −3.1 % / +5.8 % at ∓2.5 dB, and the pooled QBER moves 0.072 → 0.067 / 0.078
at ∓0.8 dB; single downlink about a third of that.

The draws are per year (not per pass): the chain's error is a fixed unknown of the hardware, not
noise that averages out over passes. Within a year every contact of a station is scaled alike.

References
----------
.. [1] J. Aitchison, J. A. C. Brown, *The Lognormal Distribution*, Cambridge University Press
   (1957): for ln X ~ N(μ, σ²), E[X] = exp(μ + σ²/2) (here X = 10^(−offset/10),
   ln X = −offset·ln 10/10).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: dB to natural-log units of a transmittance: ln X = −offset_db·LN10_OVER_10. [1/dB]
LN10_OVER_10 = np.log(10.0) / 10.0


def draw_link_offsets_db(n_draws: int, n_stations: int, chain_sigma_db: float, station_sigma_db: float,
                         seed: int | np.random.Generator = 0) -> np.ndarray:
    """Link-loss offsets of ``n_stations`` stations in ``n_draws`` simulated years. [dB]

    offset[d, s] = σ_c·z0[d] + σ_s·z[d, s] (module docstring): the chain's error shared by every
    station of a draw, each station's own independent.

    Parameters
    ----------
    n_draws : int
        Simulated years.
    n_stations : int
        Stations (the scenario's order).
    chain_sigma_db : float
        σ_c, the shared chain constant's uncertainty. [dB]
    station_sigma_db : float
        σ_s, one station's scatter about the chain. [dB]
    seed : int or numpy Generator
        Makes the draws reproducible (same seed, same offsets).

    Returns
    -------
    ndarray, shape (n_draws, n_stations)
        Loss to add to each station's modelled loss: positive is more loss. [dB]
    """
    if n_draws < 0 or n_stations < 0:
        raise ValueError("n_draws and n_stations must be >= 0")
    if chain_sigma_db < 0.0 or station_sigma_db < 0.0:
        raise ValueError("standard deviations must be >= 0")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    shared = rng.standard_normal((n_draws, 1))
    own = rng.standard_normal((n_draws, n_stations))
    return chain_sigma_db * shared + station_sigma_db * own


def offset_covariance_db2(n_stations: int, chain_sigma_db: float, station_sigma_db: float) -> np.ndarray:
    """Covariance of the station offsets the draws follow: σ_c²·11ᵀ + σ_s²·I. [dB²]"""
    return np.full((n_stations, n_stations), chain_sigma_db**2) + station_sigma_db**2 * np.eye(n_stations)


def transmittance_scale(offset_db) -> np.ndarray:
    """The factor an offset applies to a transmittance (or to a rate linear in it): 10^(−offset/10). [1]"""
    return np.exp(-LN10_OVER_10 * np.asarray(offset_db, float))


def expected_transmittance_scale(variance_db2) -> np.ndarray:
    """E[10^(−X/10)] for X ~ N(0, variance): exp(½·(ln 10/10)²·variance) ([1]). [1]

    For a single link the variance is σ_c² + σ_s²; for the product of a pair's two links it is
    var(o_a + o_b) = 4σ_c² + 2σ_s².

    Parameters
    ----------
    variance_db2 : float or ndarray  [dB²]
    """
    return np.exp(0.5 * LN10_OVER_10**2 * np.asarray(variance_db2, float))  # [1]


def contact_offset_variance_db2(chain_sigma_db: float, station_sigma_db: float, downlinks: int) -> float:
    """Variance of the summed offset of a contact whose pairs cross ``downlinks`` links of distinct
    stations: (n·σ_c)² + n·σ_s² (the chain fully correlated, the stations independent). [dB²]

    0 for a contact with no downlink (counts made on board), σ_c² + σ_s² for one, 4σ_c² + 2σ_s²
    for a pair's two (the chain counted twice, fully correlated; two independent stations).
    """
    n = int(downlinks)
    if n < 0:
        raise ValueError("downlinks must be >= 0")
    return (n * chain_sigma_db) ** 2 + n * station_sigma_db**2


def link_scales(offsets_db: np.ndarray, link_stations: np.ndarray, downlinks: int) -> np.ndarray:
    """Each link's factor on its pairs in each draw: 10^(−Σ offsets/10) over the first ``downlinks``
    stations of the link (−1 entries: no station). [1]

    Parameters
    ----------
    offsets_db : ndarray, shape (n_draws, n_stations)
        :func:`draw_link_offsets_db`. [dB]
    link_stations : ndarray of int, shape (n_links, 2)
        The station(s) of each link (a station, or a station pair).
    downlinks : int
        How many of a link's stations its photons reach: 0 (counts made on board: factor 1), 1 (the
        first), 2 (both).

    Returns
    -------
    ndarray, shape (n_draws, n_links)  [1]
    """
    off = np.asarray(offsets_db, float)
    st = np.asarray(link_stations, int).reshape(-1, 2)[:, :max(0, min(int(downlinks), 2))]
    total = np.zeros((off.shape[0], st.shape[0]))
    for k in range(st.shape[1]):
        used = np.flatnonzero(st[:, k] >= 0)
        total[:, used] += off[:, st[used, k]]
    return transmittance_scale(total)


@dataclass(frozen=True)
class LinkUncertainty:
    """The link model's uncertainty as a simulated year applies it to a payload mode's contacts.

    Attributes
    ----------
    chain_sigma_db : float
        σ_c, the shared chain constant's uncertainty (``channel.chain_loss_sigma_db``). [dB]
    station_sigma_db : float
        σ_s, one station's scatter about the chain (``channel.link_loss_sigma_db``). [dB]
    downlinks : int
        Links a contact's pairs cross: the payload mode's ``downlinks`` (0, 1 or 2).
    """

    chain_sigma_db: float
    station_sigma_db: float
    downlinks: int

    def __post_init__(self):
        if self.chain_sigma_db < 0.0 or self.station_sigma_db < 0.0:
            raise ValueError("standard deviations must be >= 0")
        if self.downlinks not in (0, 1, 2):
            raise ValueError("downlinks must be 0, 1 or 2")

    def variance_db2(self) -> float:
        """Variance of one contact's summed offset (:func:`contact_offset_variance_db2`). [dB²]"""
        return contact_offset_variance_db2(self.chain_sigma_db, self.station_sigma_db, self.downlinks)

    def expected_scale(self) -> float:
        """E[10^(−Σ offsets/10)]: the factor on a contact's expected pairs (:func:`expected_transmittance_scale`). [1]"""
        return float(expected_transmittance_scale(self.variance_db2()))
