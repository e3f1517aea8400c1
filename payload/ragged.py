"""Reductions over the ragged rows of a flat array: the per-window sums and means of per-sample values.

A list of windows' samples is stored flat, window after window; ``offsets[w]:offsets[w + 1]`` are
window ``w``'s (``len(values) == offsets[-1]``). These helpers reduce each window's slice without a
Python loop over windows; the payload's per-pass totals and the mission's tables share them.
"""
from __future__ import annotations

import numpy as np


def ranges(first, count) -> np.ndarray:
    """``first[j], first[j] + 1, ..., first[j] + count[j] - 1`` for every ``j``, one after another:
    the flat indices of ragged rows (``count[j]`` values from ``first[j]``). [1]"""
    ends = np.cumsum(count)
    return np.arange(ends[-1] if ends.size else 0) - np.repeat(ends - count - first, count)


def ragged_reduce(values: np.ndarray, offsets: np.ndarray, ufunc, empty=np.nan) -> np.ndarray:
    """``ufunc.reduceat`` over the rows ``offsets[i]:offsets[i+1]``; empty rows give ``empty``.

    ``values`` is the concatenation of the rows (``len(values) == offsets[-1]``), so the starts
    of the non-empty rows alone still delimit them.
    """
    counts = np.diff(offsets)
    out = np.full(counts.size, empty, dtype=float)
    nonempty = counts > 0
    if nonempty.any():
        out[nonempty] = ufunc.reduceat(values, offsets[:-1][nonempty])
    return out


def ragged_mean(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per-row mean; NaN for an empty row."""
    counts = np.diff(offsets)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, ragged_reduce(values, offsets, np.add, 0.0) / np.maximum(counts, 1), np.nan)


def weighted_ragged_mean(values: np.ndarray, weights: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per-row mean of ``values`` weighted by ``weights``; NaN where the weights sum to zero.

    Samples whose value is not finite or whose weight is not positive count with weight zero."""
    return weighted_ragged_means({"": values}, weights, offsets)[""]


def weighted_ragged_means(values: dict, weights: np.ndarray, offsets: np.ndarray) -> dict:
    """:func:`weighted_ragged_mean` of several arrays with the same weights (the weight sums are
    formed once; finite values with finite, non-negative weights skip the masking, same numbers)."""
    weights = np.asarray(weights, dtype=float)
    clean_w = bool(np.all(weights >= 0.0))  # False for any NaN as well
    w = weights if clean_w else np.where(weights > 0, weights, 0.0)
    den = ragged_reduce(w, offsets, np.add, 0.0)
    out = {}
    for name, v in values.items():
        v = np.asarray(v, dtype=float)
        if np.all(np.isfinite(v)):
            num = ragged_reduce(v * w, offsets, np.add, 0.0)
            d = den
        else:
            ok = np.isfinite(v)
            w_ok = np.where(ok, w, 0.0)
            num = ragged_reduce(np.where(ok, v, 0.0) * w_ok, offsets, np.add, 0.0)
            d = ragged_reduce(w_ok, offsets, np.add, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[name] = np.where(d > 0, num / np.where(d > 0, d, 1.0), np.nan)
    return out
