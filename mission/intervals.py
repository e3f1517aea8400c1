"""Interval algebra and root refinement on sorted ``(n, 2)`` arrays of [start, end) seconds.

Pure numpy, no Python loop over intervals: window finding, night clipping and common-view
windows are all built from these few operations.
"""
from __future__ import annotations

import numpy as np

EMPTY = np.empty((0, 2))


def as_intervals(a) -> np.ndarray:
    """An ``(n, 2)`` float array (an empty input gives shape (0, 2))."""
    a = np.asarray(a, dtype=float)
    return a.reshape(-1, 2) if a.size else EMPTY.copy()


def intersect(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intersection of two sorted lists of disjoint intervals.

    Returns
    -------
    out : ndarray (m, 2)
        The non-empty overlaps, sorted.
    ia, ib : ndarray (m,)
        Index of the interval of ``a`` and of ``b`` that each overlap came from.
    """
    a, b = as_intervals(a), as_intervals(b)
    if not len(a) or not len(b):
        return EMPTY.copy(), np.empty(0, int), np.empty(0, int)
    # b intervals that may overlap a[i]: those ending after a[i].start and starting before a[i].end
    lo = np.searchsorted(b[:, 1], a[:, 0], side="right")
    hi = np.searchsorted(b[:, 0], a[:, 1], side="left")
    count = np.maximum(hi - lo, 0)
    ia = np.repeat(np.arange(len(a)), count)
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    ib = np.repeat(lo, count) + offsets
    out = np.stack([np.maximum(a[ia, 0], b[ib, 0]), np.minimum(a[ia, 1], b[ib, 1])], axis=1)
    keep = out[:, 1] > out[:, 0]
    return out[keep], ia[keep], ib[keep]


def from_crossings(
    up_s: np.ndarray, down_s: np.ndarray, start_s: float, end_s: float, inside_at_start: bool
) -> np.ndarray:
    """Pair sorted upward and downward crossings of a function into [start, end) intervals.

    A function that is already positive at ``start_s`` opens an interval there (clipped), one
    still positive at ``end_s`` closes at ``end_s``. Up and down crossings must alternate, which
    holds when they come from sign changes of one function.
    """
    up = np.sort(np.asarray(up_s, dtype=float))
    down = np.sort(np.asarray(down_s, dtype=float))
    if inside_at_start:
        up = np.concatenate([[start_s], up])
    if len(down) < len(up):
        down = np.concatenate([down, [end_s]])
    if len(up) != len(down) or np.any(down < up):
        raise RuntimeError("up and down crossings do not alternate")  # an internal fault, not input
    return np.stack([up, down], axis=1) if len(up) else EMPTY.copy()


def bisect(func, lo_s: np.ndarray, hi_s: np.ndarray, rising: np.ndarray, tol_s: float = 1e-3) -> np.ndarray:
    """Vectorised bisection of many brackets of one function at once.

    ``func(t_s, index)`` evaluates the function of bracket ``index`` at ``t_s`` (arrays of equal
    length). ``rising`` says, per bracket, that the function goes from negative to positive.
    Each step halves every bracket with one call of ``func``.
    """
    lo = np.asarray(lo_s, dtype=float).copy()
    hi = np.asarray(hi_s, dtype=float).copy()
    if not lo.size:
        return lo
    idx = np.arange(lo.size)
    n_iter = int(np.ceil(np.log2(max(np.max(hi - lo), tol_s) / tol_s)))
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        positive = func(mid, idx) > 0.0
        go_lo = positive == rising  # the crossing lies below mid
        hi = np.where(go_lo, mid, hi)
        lo = np.where(go_lo, lo, mid)
    return 0.5 * (lo + hi)


def golden_max(func, lo_s: np.ndarray, hi_s: np.ndarray, tol_s: float = 1e-2) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised golden-section search for the maximum of unimodal brackets.

    Returns the time of the maximum and the function value there, per bracket.
    """
    lo = np.asarray(lo_s, dtype=float).copy()
    hi = np.asarray(hi_s, dtype=float).copy()
    idx = np.arange(lo.size)
    if not lo.size:
        return lo, lo.copy()
    g = (np.sqrt(5.0) - 1.0) / 2.0
    c = hi - g * (hi - lo)
    d = lo + g * (hi - lo)
    fc, fd = func(c, idx), func(d, idx)
    n_iter = int(np.ceil(np.log(max(np.max(hi - lo), tol_s) / tol_s) / -np.log(g)))
    for _ in range(n_iter):
        left = fc > fd  # the maximum lies in [lo, d]
        hi = np.where(left, d, hi)
        lo = np.where(left, lo, c)
        new = np.where(left, hi - g * (hi - lo), lo + g * (hi - lo))
        fnew = func(new, idx)
        d, fd, c, fc = (
            np.where(left, c, new), np.where(left, fc, fnew),
            np.where(left, new, d), np.where(left, fnew, fd),
        )
    t = 0.5 * (lo + hi)
    return t, func(t, idx)
