"""The exact solver of a component with one lane of one satellite (the Q4S-like case): a dynamic
programme, a longest path over (boundary, target the lane points at, ready).

The lane alone decides: its stations serve no other satellite in the component, so they follow
the lane and their own retargets never bind before the lane's (a station switches satellites only
between components).
"""
from __future__ import annotations

import numpy as np

from .model import Component, Solution


def _best_per_segment(comp: Component, weight: np.ndarray, n_targets: int):
    """The most valuable window of each target in each segment: value (K, P) and window (K, P)."""
    K = comp.n_segments
    cum = comp.cum
    best_val = np.zeros((K, n_targets))
    best_win = np.full((K, n_targets), -1)
    for i in range(comp.n):
        a, b, p = int(comp.k0[i]), int(comp.k1[i]), int(comp.target_lane[i])
        v = weight[i] * (cum[i, a + 1:b + 1] - cum[i, a:b])
        better = v > best_val[a:b, p]
        best_val[a:b, p] = np.where(better, v, best_val[a:b, p])
        best_win[a:b, p] = np.where(better, i, best_win[a:b, p])
    return best_val, best_win


def _best_after_landing(comp: Component, weight: np.ndarray, n_targets: int, land: np.ndarray, retarget_s: float):
    """For a switch made at ``tau[k]`` (ready at ``tau[k] + R``, inside segment ``land[k] - 1``): the
    most valuable window of each target over the rest of that segment, value (K, P) and window."""
    K = comp.n_segments
    cum = comp.cum
    part_val = np.zeros((K, n_targets))
    part_win = np.full((K, n_targets), -1)
    for i in range(comp.n):
        a, b, p = int(comp.k0[i]), int(comp.k1[i]), int(comp.target_lane[i])
        ks = np.flatnonzero((land[:K] - 1 >= a) & (land[:K] - 1 < b) & (land[:K] <= K))
        if ks.size:
            c_ready = comp.cum_grid[i, comp.at_grid(comp.tau[ks] + retarget_s)]
            v = weight[i] * (cum[i, land[ks]] - c_ready)
            better = v > part_val[ks, p]
            part_val[ks, p] = np.where(better, v, part_val[ks, p])
            part_win[ks, p] = np.where(better, i, part_win[ks, p])
    return part_val, part_win


def _trace(lane, kind, src_k, src_p, p: int, best_win, part_win, land) -> None:
    """Follow the longest path back from target ``p`` at the last boundary, marking in ``lane`` the
    window served in each segment."""
    K = lane.shape[1]
    P = best_win.shape[1]
    k = K
    while k > 0:
        kd, k_prev, p_prev = int(kind[k, p]), int(src_k[k, p]), int(src_p[k, p])
        if kd in (1, 2):
            if p < P and best_win[k_prev, p] >= 0:
                lane[best_win[k_prev, p], k_prev] = 0
        elif kd == 3:
            if land[k_prev] <= K and part_win[k_prev, p] >= 0:
                lane[part_win[k_prev, p], k - 1] = 0
        else:  # pragma: no cover - every reachable state has a predecessor
            raise RuntimeError("dynamic programme lost its path")
        k, p = k_prev, p_prev


def solve_dp(comp: Component, weight: np.ndarray) -> Solution:
    """The best assignment of a one-lane, one-satellite component for window weights ``weight``.

    States: at boundary ``tau[k]`` the lane points at target ``p`` and is ready (or points at nothing
    yet: the start). Moves: serve the best window of ``p`` in segment ``k`` or idle (to ``(k+1, p)``);
    or switch to a target ``b != p`` at ``tau[k]``: the lane is blind until ``tau[k] + R`` and lands,
    ready, at the first boundary ``k' >= tau[k] + R``, having served the best window of ``b`` over
    the part of segment ``k'-1`` after ``tau[k] + R``. Exact: a switch made later than the end of
    the last contact only costs more, and a second switch before the lane is ready is never better
    than switching to the second target at once (its dead time ends earlier).
    """
    n, K = comp.n, comp.n_segments
    tau = comp.tau
    retarget_s = float(comp.retarget_sat_s[comp.sat[0]])
    P = int(comp.target_lane.max()) + 1
    best_val, best_win = _best_per_segment(comp, weight, P)
    lane = np.full((n, K), -1, dtype=np.int64)
    if retarget_s <= 0.0:  # switching is free: the best window of every segment
        for k in range(K):
            p = int(np.argmax(best_val[k]))
            if best_val[k, p] > 0:
                lane[best_win[k, p], k] = 0
        return Solution(lane, float(best_val.max(axis=1).sum()), "dp", "optimal", 0.0)

    land = np.searchsorted(tau, tau + retarget_s, side="left")  # first boundary >= tau_k + R
    part_val, part_win = _best_after_landing(comp, weight, P, land, retarget_s)
    f = np.full((K + 1, P + 1), -np.inf)
    f[0, P] = 0.0
    kind = np.zeros((K + 1, P + 1), np.int8)  # 1 stay, 2 from start, 3 switch
    src_k = np.zeros((K + 1, P + 1), np.int64)
    src_p = np.zeros((K + 1, P + 1), np.int64)
    arange = np.arange(P)
    for k in range(K):
        fk = f[k]
        cand = fk[:P] + best_val[k]
        up = cand > f[k + 1, :P]
        f[k + 1, :P][up], kind[k + 1, :P][up], src_k[k + 1, :P][up], src_p[k + 1, :P][up] = cand[up], 1, k, arange[up]
        if fk[P] > -np.inf:
            cand = fk[P] + best_val[k]
            up = cand > f[k + 1, :P]
            f[k + 1, :P][up], kind[k + 1, :P][up], src_k[k + 1, :P][up], src_p[k + 1, :P][up] = cand[up], 2, k, P
            f[k + 1, P], kind[k + 1, P], src_k[k + 1, P], src_p[k + 1, P] = fk[P], 1, k, P
        if P > 1 and np.any(fk[:P] > -np.inf):
            order = np.argsort(-fk[:P], kind="stable")
            p1, p2 = int(order[0]), int(order[1])
            src = np.where(arange == p1, fk[p2], fk[p1])
            sp = np.where(arange == p1, p2, p1)
            kk = min(int(land[k]), K)
            cand = src + (part_val[k] if land[k] <= K else 0.0)
            up = cand > f[kk, :P]
            f[kk, :P][up], kind[kk, :P][up], src_k[kk, :P][up], src_p[kk, :P][up] = cand[up], 3, k, sp[up]
    p = int(np.argmax(f[K]))
    _trace(lane, kind, src_k, src_p, p, best_win, part_win, land)
    obj = float(f[K, p])
    return Solution(lane, obj, "dp", "optimal", 0.0)
