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

from .keyrate import bbm92_asymptotic_key_bits, bbm92_secret_key_bits
from .swap import BUDGET_TERMS, SwapPerformance


def pass_totals(perf: SwapPerformance, step_s, *, epsilon=1e-10, ec_efficiency=1.19,
                sifting_fraction=0.5):
    """Totals of one pass (or any block of samples) for the pass report.

    Parameters
    ----------
    perf : SwapPerformance
        Per-sample results of the pass (1-D arrays over its samples).
    step_s : float or ndarray
        Duration represented by each sample. [s]
    epsilon : float
        Security parameter of the finite-size key (one key block per pass). [1]
    ec_efficiency : float
        Error-correction inefficiency f_EC. [1]
    sifting_fraction : float
        Fraction of heralded pairs measured in matching bases (1/2 for BBM92 with
        symmetric random basis choice). [1]

    Returns
    -------
    dict
        ``swaps``, ``heralded_pairs`` [1], ``fidelity``, ``qber``, ``chsh_s``
        (pair-weighted means; the payload's double-click rule), ``secret_key_bits``
        (finite size) and ``asymptotic_key_bits`` [bit] (always from the squash-rule
        ``key_pair_rate_hz`` and ``key_qber``), and ``infidelity_<term>`` (pair-weighted).
    """
    step = np.broadcast_to(np.asarray(step_s, float), perf.heralded_pair_rate_hz.shape)
    swaps = float(np.nansum(perf.swap_rate_hz * step))
    pairs_per_sample = np.nan_to_num(perf.heralded_pair_rate_hz * step)
    pairs = float(pairs_per_sample.sum())
    out = {"swaps": swaps, "heralded_pairs": pairs}

    def wmean(x):
        return _weighted_mean(x, pairs_per_sample)

    out["fidelity"] = wmean(perf.fidelity)
    out["qber"] = wmean(perf.qber)
    out["chsh_s"] = wmean(perf.chsh_s)
    for term in BUDGET_TERMS:
        out[f"infidelity_{term}"] = wmean(perf.infidelity[term])
    # the key counts squashed events whatever the payload's double-click rule (payload.swap)
    if perf.key_pair_rate_hz is perf.heralded_pair_rate_hz and perf.key_qber is perf.qber:
        key_pairs, q = pairs, out["qber"]  # squash rule: the same arrays
    else:
        key_per_sample = np.nan_to_num(perf.key_pair_rate_hz * step)
        key_pairs, q = float(key_per_sample.sum()), _weighted_mean(perf.key_qber, key_per_sample)
    n_sifted = sifting_fraction * key_pairs
    q = q if np.isfinite(q) else 0.5
    out["secret_key_bits"] = float(bbm92_secret_key_bits(n_sifted, q, epsilon, ec_efficiency))
    out["asymptotic_key_bits"] = float(bbm92_asymptotic_key_bits(n_sifted, q, ec_efficiency))
    return out


def _weighted_mean(x, weights):
    """Mean of the finite ``x`` over samples of positive weight; NaN if there are none."""
    x = np.asarray(x, float)
    ok = np.isfinite(x) & (weights > 0)
    w = weights[ok]
    return float(np.sum(w * x[ok]) / np.sum(w)) if w.sum() > 0 else float("nan")
