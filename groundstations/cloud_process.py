"""Clouds as a random process: clear or cloudy per station and night, persistent and correlated.

A station's sky on night t is clear when a latent standard-normal variable Z[s, t] falls below
Φ⁻¹(p[s, t]), p being the month's cloud-free probability (a Gaussian copula). The latent field is

- stationary AR(1) from night to night, Z[s, t] = ρ_n·Z[s, t−1] + √(1 − ρ_n²)·ε[s, t], so every
  night keeps exactly its month's probability and clear and cloudy spells persist;
- correlated between stations, corr(ε[s], ε[s']) = exp(−d(s, s')/L), d the great-circle
  distance: the exponential decay with distance (and time) that Jones (1992) [1] found for
  observed cloud cover. The exponential of the great-circle distance is a valid correlation on the
  sphere (positive definite; the tests check it on random station sets).

Parameters and their status:

- ``night_correlation`` ρ_n (latent, between consecutive nights): **assumption 0.5**. Jones [1]
  found the autocorrelation of cloud cover to decay exponentially with half-lives of 5 to 40 h
  (as summarised in the STACIE documentation's cloud-cover example; the paper itself was not
  read), i.e. a correlation after 24 h of 2^(−24/5) = 0.04 to 2^(−24/40) = 0.66. ρ_n = 0.5 gives
  a clear/cloudy indicator correlation of 0.33 at p = 0.5 (:func:`indicator_correlation`), inside
  that range.
- ``correlation_length_km`` L: **assumption 300 km**, the synoptic scale of weather systems; [1]
  gives the exponential form, not a number we read.

One state per station and night: passes of one night at one station share it (an assumption
that overstates the correlation of passes hours apart).

References
----------
.. [1] P. A. Jones, "Cloud-cover distributions and correlations", J. Appl. Meteorol. 31, 732–741
   (1992), doi:10.1175/1520-0450(1992)031<0732:CCDAC>2.0.CO;2 (abstract: correlation exponential
   in time separation and in distance between stations).
.. [2] R. L. Plackett, "A reduction formula for normal multivariate integrals", Biometrika 41,
   351–360 (1954), doi:10.1093/biomet/41.3-4.351 (∂Φ₂/∂ρ = φ₂, integrated here in θ = arcsin r;
   the tests check it against scipy's multivariate normal CDF).
"""
from __future__ import annotations

import numpy as np

#: Latent night-to-night correlation of the cloud field (assumption, see module docstring). [1]
NIGHT_CORRELATION = 0.5
#: Length over which the latent correlation between stations falls by e (assumption). [km]
CORRELATION_LENGTH_KM = 300.0
#: Mean Earth radius for great-circle distances (IUGG). [km]
EARTH_MEAN_RADIUS_KM = 6371.0088

_GL_X, _GL_W = np.polynomial.legendre.leggauss(48)


def great_circle_distance_km(lat1_deg, lon1_deg, lat2_deg, lon2_deg):
    """Great-circle distance on a sphere of the Earth's mean radius (haversine). [km]

    Parameters
    ----------
    lat1_deg, lon1_deg, lat2_deg, lon2_deg : float or ndarray  [deg]
    """
    p1, p2 = np.radians(lat1_deg), np.radians(lat2_deg)
    dlat, dlon = p2 - p1, np.radians(np.asarray(lon2_deg, float) - np.asarray(lon1_deg, float))
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2.0 * EARTH_MEAN_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def station_correlation_matrix(latitude_deg, longitude_deg, correlation_length_km=CORRELATION_LENGTH_KM):
    """Latent correlation between stations, exp(−d/L) of their great-circle distance d ([1]).

    Parameters
    ----------
    latitude_deg, longitude_deg : sequence of float
        The stations. [deg]
    correlation_length_km : float
        L; 0 makes the stations independent. [km]

    Returns
    -------
    ndarray, shape (n, n)  [1]
    """
    lat, lon = np.asarray(latitude_deg, float), np.asarray(longitude_deg, float)
    if correlation_length_km < 0 or not np.isfinite(correlation_length_km):
        raise ValueError(f"correlation_length_km {correlation_length_km!r} must be >= 0")
    if correlation_length_km == 0:
        return np.eye(lat.size)
    d = great_circle_distance_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    return np.exp(-d / correlation_length_km)


def bivariate_normal_cdf(h, k, rho):
    """P(X ≤ h, Y ≤ k) for standard normals of correlation ρ (Plackett's identity [2]).

    Φ₂ = Φ(h)Φ(k) + (1/2π)∫₀^{arcsin ρ} exp(−(h² − 2hk·sin θ + k²)/(2cos²θ)) dθ, by 48-point
    Gauss–Legendre quadrature (the integrand is smooth in θ).

    Parameters
    ----------
    h, k : float or ndarray
        Upper limits. [1]
    rho : float or ndarray
        Correlation, in [−1, 1]. [1]

    Returns
    -------
    ndarray  [1]
    """
    h, k, rho = np.broadcast_arrays(*(np.asarray(v, float) for v in (h, k, rho)))
    top = np.arcsin(np.clip(rho, -1.0, 1.0))
    theta = 0.5 * top[..., None] * (_GL_X + 1.0)  # nodes on [0, arcsin ρ]
    s, c2 = np.sin(theta), np.cos(theta) ** 2
    hh, kk = h[..., None], k[..., None]
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        f = np.exp(-(hh * hh - 2.0 * hh * kk * s + kk * kk) / (2.0 * c2))
    f = np.where(c2 > 0, f, 0.0)
    integral = 0.5 * top * np.sum(_GL_W * f, axis=-1)
    from scipy.special import ndtr

    return np.clip(ndtr(h) * ndtr(k) + integral / (2.0 * np.pi), 0.0, 1.0)  # Plackett's identity [2]


def _threshold(p):
    from scipy.special import ndtri

    return ndtri(np.clip(np.asarray(p, float), 0.0, 1.0))


def p_both_clear(p1, p2, rho):
    """Probability that two stations are both clear: Φ₂(Φ⁻¹(p₁), Φ⁻¹(p₂); ρ) (p₁p₂ for ρ = 0).

    Parameters
    ----------
    p1, p2 : float or ndarray
        Clear probabilities. [1]
    rho : float or ndarray
        Latent correlation of the two stations' clouds. [1]

    Returns
    -------
    ndarray  [1]
    """
    p1, p2, rho = np.broadcast_arrays(*(np.asarray(v, float) for v in (p1, p2, rho)))
    joint = bivariate_normal_cdf(_threshold(p1), _threshold(p2), rho)
    return np.where(rho == 0.0, p1 * p2, joint)


def indicator_correlation(p1, p2, rho):
    """Correlation of two clear/cloudy indicators whose latent variables correlate by ρ.

    (Φ₂(a₁, a₂; ρ) − p₁p₂)/√(p₁(1−p₁)p₂(1−p₂)), a = Φ⁻¹(p).

    Parameters
    ----------
    p1, p2 : float or ndarray
        Clear probabilities, in (0, 1). [1]
    rho : float or ndarray
        Latent correlation. [1]
    """
    p1, p2 = np.asarray(p1, float), np.asarray(p2, float)
    joint = bivariate_normal_cdf(_threshold(p1), _threshold(p2), rho)
    return (joint - p1 * p2) / np.sqrt(p1 * (1 - p1) * p2 * (1 - p2))


def latent_correlation_from_joint(p1, p2, p_both):
    """The latent correlation ρ for which P(both clear) = ``p_both`` (inverse of Φ₂ in ρ).

    Fits the model to observed (or simulated) joint clear fractions, e.g. of consecutive nights
    or of two stations. Φ₂ increases monotonically in ρ, so bisection finds it.

    Parameters
    ----------
    p1, p2 : float
        Clear probabilities. [1]
    p_both : float
        Probability that both are clear, within the Fréchet bounds. [1]

    Returns
    -------
    float  [1]
    """
    a1, a2 = float(_threshold(p1)), float(_threshold(p2))
    lo, hi = -1.0, 1.0
    if not (bivariate_normal_cdf(a1, a2, lo) <= p_both <= bivariate_normal_cdf(a1, a2, hi)):
        raise ValueError(f"p_both {p_both!r} is outside what p1 {p1!r}, p2 {p2!r} allow")
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if bivariate_normal_cdf(a1, a2, mid) < p_both:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def p_any_clear_independent(p_clear):
    """Probability that at least one of a group of independent stations is clear: 1 − Π(1 − pᵢ).

    Parameters
    ----------
    p_clear : array_like, shape (..., n)
        Each station's clear probability (last axis: the group). [1]
    """
    return 1.0 - np.prod(1.0 - np.asarray(p_clear, float), axis=-1)


def p_any_clear_correlated(p_clear, correlation, seed=0):
    """Probability that at least one station of a group is clear, in the correlated model.

    1 − P(all Zᵢ > aᵢ) = 1 − Φ_n(−a; C): exact for one and two stations (Φ₂ by quadrature),
    scipy's Genz quasi-Monte Carlo integration (fixed ``seed``, error ~1e-5) for more.

    Parameters
    ----------
    p_clear : sequence of float, length n
        Each station's clear probability. [1]
    correlation : ndarray, shape (n, n)
        Latent correlation (:func:`station_correlation_matrix`). [1]
    seed : int
        Seed of the quasi-Monte Carlo integration (n ≥ 3).
    """
    from scipy.stats import multivariate_normal

    p = np.asarray(p_clear, float)
    c = np.asarray(correlation, float)
    if c.shape != (p.size, p.size):
        raise ValueError(f"correlation has shape {c.shape}, expected {(p.size, p.size)}")
    a = _threshold(p)
    if p.size == 0:
        return 0.0
    if p.size == 1:
        return float(p[0])
    if np.any(p >= 1.0):
        return 1.0
    if p.size == 2:
        return float(1.0 - bivariate_normal_cdf(-a[0], -a[1], c[0, 1]))
    keep = p > 0.0  # a station that is never clear adds nothing
    if keep.sum() < 2:
        return float(p[keep][0]) if keep.any() else 0.0
    cdf = multivariate_normal(mean=np.zeros(keep.sum()), cov=c[np.ix_(keep, keep)], allow_singular=True)
    return float(1.0 - cdf.cdf(-a[keep], rng=np.random.default_rng(seed)))


def _matrix_sqrt(correlation):
    w, v = np.linalg.eigh(np.asarray(correlation, float))
    return v * np.sqrt(np.clip(w, 0.0, None))  # B with B·Bᵀ = C, also for co-located (singular) stations


def simulate_clear_nights(p_clear, *, n_draws, rng, night_correlation=NIGHT_CORRELATION, correlation=None):
    """Draws of clear (True) or cloudy per station and night from the latent Gaussian model.

    Parameters
    ----------
    p_clear : ndarray, shape (n_stations, n_nights)
        Each station's clear probability on each night (its month's value). [1]
    n_draws : int
        Number of simulated years.
    rng : numpy.random.Generator
        The source of randomness (seeded by the caller: same seed, same draws).
    night_correlation : float
        Latent correlation between consecutive nights, in [0, 1). [1]
    correlation : ndarray, shape (n_stations, n_stations), optional
        Latent correlation between stations; None: independent. [1]

    Returns
    -------
    ndarray of bool, shape (n_draws, n_stations, n_nights)
    """
    p = np.asarray(p_clear, float)
    if p.ndim != 2:
        raise ValueError(f"p_clear must be (n_stations, n_nights), got shape {p.shape}")
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError("p_clear must lie in [0, 1]")
    if not 0.0 <= night_correlation < 1.0:
        raise ValueError(f"night_correlation {night_correlation!r} must be in [0, 1)")
    if n_draws < 1:
        raise ValueError(f"n_draws {n_draws!r} must be >= 1")
    n_st, n_nights = p.shape
    b = np.eye(n_st) if correlation is None else _matrix_sqrt(correlation)
    a = _threshold(p)  # clear when Z < a
    keep = np.sqrt(1.0 - night_correlation**2)
    out = np.empty((n_draws, n_st, n_nights), dtype=bool)
    z = rng.standard_normal((n_draws, n_st)) @ b.T  # stationary start: N(0, C)
    for t in range(n_nights):
        if t:
            z = night_correlation * z + keep * (rng.standard_normal((n_draws, n_st)) @ b.T)  # AR(1) in nights
        out[:, :, t] = z < a[:, t]
    return out
