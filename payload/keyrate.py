"""BBM92 secret-key length, asymptotic and with finite-size effects.

The finite-key length follows the bound of Tomamichel, Lim, Gisin & Renner (2012) for
BB84-type protocols with an entanglement source (BBM92 is BB84 with the source in the
middle; source-independent security): from ``n`` raw key bits and ``k`` bits sacrificed
for parameter estimation with observed error rate ``Q``,

    l = n [1 - h(Q + mu)] - leak_EC - log2(2 / (eps_sec^2 eps_cor)),
    mu = sqrt( (n + k)/(n k) * (k + 1)/k * ln(2/eps_sec) ),

with ``leak_EC = f_EC n h(Q)``.  The asymptotic rate is ``n [1 - h(Q) - f_EC h(Q)]``
(Shor & Preskill 2000).

References
----------
.. [1] M. Tomamichel, C. C. W. Lim, N. Gisin, R. Renner, "Tight finite-key analysis for
   quantum cryptography", Nat. Commun. 3, 634 (2012), doi:10.1038/ncomms1631
   (key length: the main result, Eq. (2) of the published article; mu defined with it).
.. [2] P. W. Shor, J. Preskill, "Simple proof of security of the BB84 quantum key
   distribution protocol", Phys. Rev. Lett. 85, 441 (2000),
   doi:10.1103/PhysRevLett.85.441
.. [3] J. Yin et al., "Entanglement-based secure quantum cryptography over 1,120
   kilometres", Nature 582, 501 (2020), doi:10.1038/s41586-020-2401-y (f_EC = 1.19).
"""
from __future__ import annotations

import numpy as np


def binary_entropy(p):
    """Binary Shannon entropy ``h(p)``, with ``h(p) = 1`` for ``p >= 0.5``.

    Parameters
    ----------
    p : float or ndarray
        Probability. [1]

    Returns
    -------
    float or ndarray
        Entropy. [bit]
    """
    p = np.clip(np.asarray(p, dtype=float), 0.0, 0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -p * np.log2(p) - (1.0 - p) * np.log2(1.0 - p)
    return np.where(p <= 0.0, 0.0, h)


def bbm92_asymptotic_key_bits(n_sifted, qber, ec_efficiency=1.19):
    """Asymptotic BBM92 key, ``n (1 - h(Q) - f h(Q))`` (Eq. of [2]), clipped at zero.

    Parameters
    ----------
    n_sifted : float or ndarray
        Sifted bits. [1]
    qber : float or ndarray
        Quantum bit error rate, equal in both bases. [1]
    ec_efficiency : float
        Error-correction inefficiency f_EC. [1]
    """
    h = binary_entropy(qber)
    return np.maximum(np.asarray(n_sifted, float) * (1.0 - h - ec_efficiency * h), 0.0)


def tomamichel2012_key_bits(n_key, k_estimation, qber, epsilon_sec=1e-10, epsilon_cor=1e-10,
                            ec_efficiency=1.19, deviation=None):
    """Finite-size secret-key length of [1], clipped at zero.

    Parameters
    ----------
    n_key : float or ndarray
        Raw key bits after sifting (used for the key). [1]
    k_estimation : float or ndarray
        Bits disclosed for parameter estimation. [1]
    qber : float or ndarray
        Observed error rate. [1]
    epsilon_sec, epsilon_cor : float
        Secrecy and correctness parameters. [1]
    ec_efficiency : float
        f_EC, leak_EC = f_EC n h(Q). [1]
    deviation : float, optional
        Statistical deviation ``mu`` of the phase-error estimate. Default: the
        Serfling-bound value of [1]; give a number to use another estimator (e.g. to
        compare with experiments that used a tighter one). [1]

    Returns
    -------
    float or ndarray
        Secret-key length. [bit]
    """
    n = np.asarray(n_key, dtype=float)
    k = np.asarray(k_estimation, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if deviation is None:
            mu = np.sqrt((n + k) / (n * k) * (k + 1.0) / k * np.log(2.0 / epsilon_sec))  # Eq. (2) of [1]
        else:
            mu = np.asarray(deviation, dtype=float)
    leak = ec_efficiency * n * binary_entropy(qber)
    ell = (n * (1.0 - binary_entropy(np.asarray(qber) + mu)) - leak
           - np.log2(2.0 / (epsilon_sec ** 2 * epsilon_cor)))  # Eq. (2) of [1]
    return np.where((n > 0) & (k > 0), np.maximum(ell, 0.0), 0.0)


def bbm92_secret_key_bits(n_sifted, qber, epsilon=1e-10, ec_efficiency=1.19,
                          estimation_fraction=None):
    """BBM92 finite-size secret key from a block of sifted bits.

    The error rate is estimated on the whole sifted block (``k = n = n_sifted``: in
    BBM92 with symmetric basis choice the error rate of each basis bounds the phase
    error of the other, so no key bit needs to be sacrificed) unless
    ``estimation_fraction`` is given, in which case ``k = fraction * n_sifted`` bits are
    disclosed and ``n = n_sifted - k`` form the key.  ``epsilon`` is used for both
    epsilon_sec and epsilon_cor.

    Parameters
    ----------
    n_sifted : float or ndarray
        Sifted bits in the block (e.g. one pass). [1]
    qber : float or ndarray
        Error rate. [1]
    epsilon : float
        Security parameter. [1]
    ec_efficiency : float
        Error-correction inefficiency. [1]
    estimation_fraction : float, optional
        Fraction of the sifted bits disclosed for estimation. [1]

    Returns
    -------
    float or ndarray
        Secret bits. [bit]
    """
    n_sifted = np.asarray(n_sifted, float)
    if estimation_fraction is None:
        n, k = n_sifted, n_sifted
    else:
        k = estimation_fraction * n_sifted
        n = n_sifted - k
    return tomamichel2012_key_bits(n, k, qber, epsilon, epsilon, ec_efficiency)


def bbm92_min_sifted_bits(qber, epsilon=1e-10, ec_efficiency=1.19, max_sifted_bits=1e15):
    """Fewest sifted bits in one block for which :func:`bbm92_secret_key_bits` gives a key.

    The finite-size length of [1] (``k = n``) is negative for small blocks: the statistical
    deviation ``mu`` and the ``log2(2 / eps^3)`` term dominate. Above the threshold the length
    grows with ``n`` (both costs shrink relative to ``n``), so the threshold is the root of
    ``l(n) = 0`` (Eq. (2) of [1]), found by bisection on ``log n`` (brentq), then rounded up.

    Parameters
    ----------
    qber : float
        Error rate of the block. [1]
    epsilon : float
        Security parameter (epsilon_sec = epsilon_cor). [1]
    ec_efficiency : float
        Error-correction inefficiency f_EC. [1]
    max_sifted_bits : float
        Search limit. [1]

    Returns
    -------
    float
        Sifted bits needed for a positive key [1]; ``inf`` when no block up to ``max_sifted_bits``
        gives one (e.g. a QBER above the asymptotic threshold, ~10 % for f_EC = 1.19).
    """
    from scipy.optimize import brentq

    q = float(qber)
    if not np.isfinite(q) or q >= 0.5:
        return float("inf")


    def ell(log_n):  # the unclipped length of Eq. (2) of [1] with k = n
        n = np.exp(log_n)
        mu = np.sqrt(2.0 / n * (n + 1.0) / n * np.log(2.0 / epsilon))
        return (n * (1.0 - binary_entropy(q + mu)) - ec_efficiency * n * binary_entropy(q)
                - np.log2(2.0 / epsilon ** 3))

    hi = np.log(max_sifted_bits)
    if ell(hi) <= 0.0:
        return float("inf")
    lo = 0.0
    root = brentq(ell, lo, hi, xtol=1e-9)
    n = float(np.ceil(np.exp(root)))
    while not bbm92_secret_key_bits(n, q, epsilon, ec_efficiency) > 0:  # the rounded-up block gives a key
        n += 1.0
    return n
