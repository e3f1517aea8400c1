"""Interval algebra and root refinement on sorted ``(n, 2)`` arrays of [start, end) seconds.

Pure numpy, no Python loop over intervals: window finding, night clipping and common-view
windows are all built from these few functions.
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


def touches(intervals_s: np.ndarray, a_s: np.ndarray, b_s: np.ndarray) -> np.ndarray:
    """Whether each closed bracket ``[a, b]`` meets one of the sorted, disjoint ``intervals_s``."""
    iv = as_intervals(intervals_s)
    if not iv.shape[0]:
        return np.zeros(np.size(a_s), dtype=bool)
    j = np.searchsorted(iv[:, 1], a_s, side="left")  # first interval ending at or after a
    return (j < iv.shape[0]) & (iv[np.minimum(j, iv.shape[0] - 1), 0] <= b_s)


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


def find_roots(func, lo_s, hi_s, f_lo, f_hi, tol_s: float = 1e-3, max_iter: int = 40) -> np.ndarray:
    """Vectorised Illinois regula falsi over many brackets of one function at once.

    ``func(t_s, index)`` evaluates the function of bracket ``index`` at ``t_s``; ``f_lo``/``f_hi``
    are its (opposite-signed) values at the bracket ends, usually known from the coarse grid.
    Illinois' modification (Dowell & Jarratt 1971, BIT 11, 168) keeps the convergence
    superlinear: smooth crossings converge to ``tol_s`` in ~5 steps instead of bisection's ~15.
    Brackets whose width falls below ``tol_s`` are final. A secant point closer than ``tol_s / 2``
    to a bracket end is moved to ``tol_s / 2`` inside it (the step-past-the-root rule of Brent's
    zeroin): once the secant has found the root, the next evaluation just beyond it closes the
    bracket, instead of regula falsi creeping up on the root from one side. A non-finite secant
    point falls back to bisection.
    """
    lo = np.asarray(lo_s, dtype=float).copy()
    hi = np.asarray(hi_s, dtype=float).copy()
    flo = np.asarray(f_lo, dtype=float).copy()
    fhi = np.asarray(f_hi, dtype=float).copy()
    if not lo.size:
        return lo
    root = 0.5 * (lo + hi)
    active = np.flatnonzero(hi - lo > tol_s)
    side = np.zeros(lo.size, dtype=np.int8)  # which end was kept last time (-1 lo, +1 hi)
    for _ in range(max_iter):
        if not active.size:
            break
        a, b, fa, fb = lo[active], hi[active], flo[active], fhi[active]
        with np.errstate(invalid="ignore", divide="ignore"):
            x = b - fb * (b - a) / (fb - fa)
        x = np.where(np.isfinite(x), x, 0.5 * (a + b))
        x = np.clip(x, a + 0.5 * tol_s, b - 0.5 * tol_s)  # active brackets are wider than tol_s
        fx = func(x, active)
        same_as_lo = np.sign(fx) == np.sign(fa)
        # move the end with the same sign; Illinois: halve the other end's value if it was kept twice
        keep_hi_twice = same_as_lo & (side[active] == 1)
        keep_lo_twice = ~same_as_lo & (side[active] == -1)
        lo[active] = np.where(same_as_lo, x, a)
        flo[active] = np.where(same_as_lo, fx, np.where(keep_lo_twice, 0.5 * fa, fa))
        hi[active] = np.where(same_as_lo, b, x)
        fhi[active] = np.where(same_as_lo, np.where(keep_hi_twice, 0.5 * fb, fb), fx)
        side[active] = np.where(same_as_lo, 1, -1)
        root[active] = x
        exact = fx == 0.0
        lo[active[exact]] = hi[active[exact]] = x[exact]
        active = active[(hi[active] - lo[active]) > tol_s]
    # converged brackets are narrower than tol_s: their middle is the answer
    return np.where(hi - lo <= tol_s, 0.5 * (lo + hi), root)


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
