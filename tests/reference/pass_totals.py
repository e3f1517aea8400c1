"""Totals of one pass of swap-model samples, with the asymptotic key: a test convenience over
:func:`skyswap.payload.fidelity.window_totals` (the planner's one per-window aggregation)."""
from __future__ import annotations

import numpy as np

from skyswap.payload.fidelity import window_totals
from skyswap.payload.keyrate import bbm92_asymptotic_key_bits
from skyswap.payload.ragged import weighted_ragged_means
from skyswap.payload.swap import SwapPerformance


def pass_totals(perf: SwapPerformance, step_s, *, epsilon=1e-10, ec_efficiency=1.19,
                sifting_fraction=0.5) -> dict:
    """Totals of one pass (``window_totals`` of one window), with the asymptotic key too.

    Parameters
    ----------
    perf : SwapPerformance
        Per-sample results of the pass (1-D arrays over its samples).
    step_s : float or ndarray
        Duration represented by each sample. [s]
    epsilon, ec_efficiency, sifting_fraction
        As in ``window_totals``.

    Returns
    -------
    dict
        ``bsm_heralds``, ``heralded_pairs`` [1], ``fidelity``, ``qber``, ``chsh_s`` and
        ``infidelity_<term>`` (pair-weighted; the payload's double-click rule),
        ``secret_key_bits`` (finite size) and ``asymptotic_key_bits`` [bit] (both from the
        squash-rule ``key_pair_rate_hz`` and ``key_qber``).
    """
    n = perf.heralded_pair_rate_hz.size
    offsets = np.array([0, n])
    tot = window_totals(perf.bsm_herald_rate_hz, perf.heralded_pair_rate_hz, perf.fidelity, perf.qber, perf.chsh_s,
                        perf.infidelity, step_s, offsets, key_pair_rate_hz=perf.key_pair_rate_hz,
                        key_qber=perf.key_qber, epsilon=epsilon, ec_efficiency=ec_efficiency,
                        sifting_fraction=sifting_fraction)
    out = {k: float(v[0]) for k, v in tot.items() if not k.startswith("sample_")}
    # the asymptotic key from the same squash-rule statistics as the finite one
    key_per_sample = np.nan_to_num(perf.key_pair_rate_hz * np.broadcast_to(np.asarray(step_s, float), (n,)))
    q = float(weighted_ragged_means({"q": perf.key_qber}, key_per_sample, offsets)["q"][0])
    q = q if np.isfinite(q) else 0.5
    out["asymptotic_key_bits"] = float(bbm92_asymptotic_key_bits(sifting_fraction * float(key_per_sample.sum()), q,
                                                                 ec_efficiency))
    return out

