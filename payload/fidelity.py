"""Per-pass totals of the swap model and the fidelity budget convention.

The fidelity budget of :func:`payload.swap.swap_performance` is an *ordered attribution*
(sequential switch-on): starting from the ideal state (F = 1), the imperfections are
switched on one at a time in the order

    source_imperfection -> hom_distinguishability -> polarisation -> multi_pair
    -> dark_counts -> background

and each term is the fidelity lost at its step.  The first three steps are evaluated in
the single-pair limit (mu -> 0, no noise), where the model reduces to
``F = (1 + V^2 [cos 2 theta (1 + V_HOM) + V_HOM]) / 4`` for two sources of visibility V,
HOM visibility V_HOM and polarisation error theta; the last three with the full model.
The terms telescope, so they sum to ``1 - F`` to rounding (tested to 1e-12).  The
attribution depends on the order (a later term is evaluated with the earlier ones on);
that is stated, not hidden.

Pass totals weight the per-sample fidelity and QBER by the heralded-pair rate (the
fidelity of the pairs actually delivered in the pass).
"""
from __future__ import annotations

import numpy as np

from .keyrate import bbm92_secret_key_bits
from .ragged import ragged_reduce, weighted_ragged_means
from .swap import BUDGET_TERMS


def window_totals(bsm_herald_rate_hz, heralded_pair_rate_hz, fidelity, qber, chsh_s, infidelity: dict,
                  sample_s, offsets, *, operated=None, key_pair_rate_hz=None, key_qber=None, epsilon=1e-10,
                  ec_efficiency=1.19, sifting_fraction=0.5, same_samples: dict | None = None) -> dict:
    """Totals of each window (or any blocks of samples): the one per-pass aggregation.

    Parameters
    ----------
    bsm_herald_rate_hz, heralded_pair_rate_hz : ndarray (n,)
        Per-sample rates of BSM heralds and of heralded pairs (the four-fold events), the samples
        of all windows one after another. [Hz]
    fidelity, qber, chsh_s : ndarray (n,)
        Per-sample values of the heralded pairs. [1]
    infidelity : dict term -> ndarray (n,)
        Per-sample fidelity budget. [1]
    sample_s : float or ndarray (n,)
        Duration each sample represents. [s]
    offsets : ndarray (n_windows + 1,)
        Window ``w`` owns samples ``offsets[w]:offsets[w + 1]``.
    operated : ndarray of bool (n,), optional
        Which samples the payload operated in (default: all).
    key_pair_rate_hz, key_qber : ndarray (n,), optional
        Pair rate and QBER under the squash rule, which the key always counts (``payload.swap``);
        default: the same as the heralded pairs and QBER (the squash rule itself). [Hz], [1]
    epsilon : float
        Security parameter of the finite-size key (one key block per window). [1]
    ec_efficiency : float
        Error-correction inefficiency f_EC. [1]
    sifting_fraction : float
        Fraction of heralded pairs measured in matching bases (1/2 for BBM92). [1]
    same_samples : dict, optional
        This function's result for the same samples under another ``operated``: where its weights
        are the same (the same bits, e.g. every window either served whole or delivering none at a
        step of 1 s), so are the means, and they are taken from there instead of summed again.

    Returns
    -------
    dict of ndarray (n_windows,)
        ``bsm_heralds``, ``heralded_pairs`` (sums over operated samples) [1]; ``fidelity``, ``qber``,
        ``chsh_s`` and ``infidelity_<term>``: means weighted by the heralded pairs delivered (by
        the pair rate over all samples where the window delivered none, so that a window that was
        not operated still shows what it would have given; NaN where no sample heralds);
        ``secret_key_bits`` (finite size, one block per window, squash-rule statistics) [bit]. Also
        ``sample_bsm_heralds`` and ``sample_heralded_pairs``: per sample (n,), the sums' terms, and
        ``sample_weights``, the means' weights.
    """
    offsets = np.asarray(offsets)
    rate_h = np.asarray(heralded_pair_rate_hz, dtype=float)
    step = np.broadcast_to(np.asarray(sample_s, dtype=float), rate_h.shape)
    on = np.ones(rate_h.shape, bool) if operated is None else np.asarray(operated, bool)
    sample_heralds = np.nan_to_num(np.asarray(bsm_herald_rate_hz, dtype=float) * step) * on
    sample_pairs = np.nan_to_num(rate_h * step) * on
    heralds = ragged_reduce(sample_heralds, offsets, np.add, 0.0)
    pairs = ragged_reduce(sample_pairs, offsets, np.add, 0.0)
    window_of_sample = np.repeat(np.arange(offsets.size - 1), np.diff(offsets))
    weights = np.where(pairs[window_of_sample] > 0, sample_pairs, rate_h)
    averaged = {"fidelity": fidelity, "qber": qber, "chsh_s": chsh_s,
                **{f"infidelity_{k}": infidelity[k] for k in BUDGET_TERMS}}
    if same_samples is not None and _same_bits(weights, same_samples["sample_weights"]):
        means = {k: same_samples[k] for k in averaged}
    else:
        means = weighted_ragged_means(averaged, weights, offsets)
    key_pairs, q = pairs, means["qber"]
    if key_pair_rate_hz is not None and key_pair_rate_hz is not heralded_pair_rate_hz:
        key_per_sample = np.nan_to_num(np.asarray(key_pair_rate_hz, dtype=float) * step) * on
        key_pairs = ragged_reduce(key_per_sample, offsets, np.add, 0.0)
        q = weighted_ragged_means({"q": key_qber}, key_per_sample, offsets)["q"]
    key = window_key_bits(key_pairs, q, epsilon=epsilon, ec_efficiency=ec_efficiency,
                          sifting_fraction=sifting_fraction)
    return {"bsm_heralds": heralds, "heralded_pairs": pairs, **means, "secret_key_bits": key,
            "sample_bsm_heralds": sample_heralds, "sample_heralded_pairs": sample_pairs, "sample_weights": weights}


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two float arrays hold the same bits (NaN payloads and the signs of zeros included)."""
    return a.shape == b.shape and bool(np.array_equal(a.view(np.uint64), b.view(np.uint64)))


def window_key_bits(heralded_pairs, qber, *, epsilon=1e-10, ec_efficiency=1.19, sifting_fraction=0.5) -> np.ndarray:
    """BBM92 finite-size key of each window's pairs, one block per window (a window with no
    defined QBER gives none).

    Parameters
    ----------
    heralded_pairs : ndarray
        Pairs delivered in each window. [1]
    qber : ndarray
        Their error rate (NaN: no pair heralds). [1]
    epsilon, ec_efficiency, sifting_fraction
        As in :func:`window_totals`.

    Returns
    -------
    ndarray
        Secret bits. [bit]
    """
    q = np.asarray(qber, dtype=float)
    q = np.where(np.isfinite(q), q, 0.5)
    return np.asarray(bbm92_secret_key_bits(sifting_fraction * np.asarray(heralded_pairs, dtype=float), q,
                                            epsilon, ec_efficiency), dtype=float)
