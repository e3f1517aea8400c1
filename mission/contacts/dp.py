"""The exact solver of a component with one lane of one satellite (the Q4S-like case): a dynamic
programme, a longest path over (boundary, target the lane points at, ready).

The lane alone decides: its stations serve no other satellite in the component, so they follow
the lane and their own retargets never bind before the lane's (a station switches satellites only
between components).
"""
from __future__ import annotations

import numpy as np

from .model import Component, Solution


def _best_by_target(value: np.ndarray, target: np.ndarray, n_targets: int):
    """Per column and target, the most valuable window (the first in local order on ties) and its
    value, or -1 and 0 where none is worth anything: ``value`` (n, K), -inf where not allowed.
    All targets at once: the windows sorted by target (stable), a maximum and a first position
    where it is reached per run of one target (a target of one window each: that window)."""
    n, K = value.shape
    best_val = np.zeros((K, n_targets))
    best_win = np.full((K, n_targets), -1)
    if n == n_targets and np.all(np.bincount(target, minlength=n_targets) == 1):  # one window each
        worth = value > 0
        best_val[:, target] = np.where(worth, value, 0.0).T
        best_win[:, target] = np.where(worth, np.arange(n)[:, None], -1).T
        return best_val, best_win
    order = np.argsort(target, kind="stable")
    runs = np.flatnonzero(np.concatenate([[True], target[order][1:] != target[order][:-1]]))
    sub = value[order]
    top = np.maximum.reduceat(sub, runs, axis=0)  # (targets present, K)
    of_run = np.repeat(np.arange(runs.size), np.diff(np.append(runs, n)))
    at_top = np.where(sub == top[of_run], np.arange(n)[:, None], n)
    first = np.minimum(np.minimum.reduceat(at_top, runs, axis=0), n - 1)
    worth = top > 0
    present = target[order][runs]
    best_val[:, present] = np.where(worth, top, 0.0).T
    best_win[:, present] = np.where(worth, order[first], -1).T
    return best_val, best_win


def _best_per_segment(comp: Component, weight: np.ndarray, n_targets: int):
    """The most valuable window of each target in each segment: value (K, P) and window (K, P)."""
    cum = comp.cum
    k = np.arange(comp.n_segments)
    open_ = (k >= comp.k0[:, None]) & (k < comp.k1[:, None])
    value = np.where(open_, weight[:, None] * (cum[:, 1:] - cum[:, :-1]), -np.inf)
    return _best_by_target(value, comp.target_lane, n_targets)


def _best_after_landing(comp: Component, weight: np.ndarray, n_targets: int, land: np.ndarray, retarget_s: float):
    """For a switch made at ``tau[k]`` (ready at ``tau[k] + R``, inside segment ``land[k] - 1``): the
    most valuable window of each target over the rest of that segment, value (K, P) and window."""
    K = comp.n_segments
    lands = land[:K] <= K
    seg = land[:K] - 1
    allowed = lands & (seg >= comp.k0[:, None]) & (seg < comp.k1[:, None])  # (n, K)
    ks = np.flatnonzero(lands)
    value = np.full((comp.n, K), -np.inf)
    ready = comp.cum_grid[:, comp.at_grid(comp.tau[ks] + retarget_s)]
    value[:, ks] = weight[:, None] * (comp.cum[:, land[ks]] - ready)
    return _best_by_target(np.where(allowed, value, -np.inf), comp.target_lane, n_targets)


def _two_best(f: list, P: int) -> tuple[int, int]:
    """The best and the second best of ``f[:P]`` (``P >= 2``; the first on ties). [1]"""
    p1, p2 = (0, 1) if f[0] >= f[1] else (1, 0)
    for q in range(2, P):
        if f[q] > f[p1]:
            p1, p2 = q, p1
        elif f[q] > f[p2]:
            p2 = q
    return p1, p2


def _longest_path(best_val: list, part_val: list, land: list, K: int, P: int):
    """The longest-path table over (boundary, target; ``P``: pointing at nothing yet) and each
    state's predecessor (kind 1 stay, 2 from the start, 3 switch), in plain Python: the targets are
    few, so lists beat arrays here. Ties keep the earlier move, as in order of the moves below."""
    inf = float("-inf")
    f = [[inf] * (P + 1) for _ in range(K + 1)]
    f[0][P] = 0.0
    kind = [[0] * (P + 1) for _ in range(K + 1)]
    src_k = [[0] * (P + 1) for _ in range(K + 1)]
    src_p = [[0] * (P + 1) for _ in range(K + 1)]
    for k in range(K):
        fk, nxt, bv = f[k], f[k + 1], best_val[k]
        for p in range(P):  # serve the best window of p (or idle), pointing at p
            c = fk[p] + bv[p]
            if c > nxt[p]:
                nxt[p], kind[k + 1][p], src_k[k + 1][p], src_p[k + 1][p] = c, 1, k, p
        if fk[P] > inf:  # still at the start: take up any target at once
            for p in range(P):
                c = fk[P] + bv[p]
                if c > nxt[p]:
                    nxt[p], kind[k + 1][p], src_k[k + 1][p], src_p[k + 1][p] = c, 2, k, P
            nxt[P], kind[k + 1][P], src_k[k + 1][P], src_p[k + 1][P] = fk[P], 1, k, P
        if P > 1 and max(fk[:P]) > inf:  # switch: from the best other target, land ready at land[k]
            p1, p2 = _two_best(fk, P)
            kk = min(land[k], K)
            gain = part_val[k] if land[k] <= K else [0.0] * P
            row = f[kk]
            for p in range(P):
                sp = p2 if p == p1 else p1
                c = fk[sp] + gain[p]
                if c > row[p]:
                    row[p], kind[kk][p], src_k[kk][p], src_p[kk][p] = c, 3, k, sp
    return f, kind, src_k, src_p


def _trace(lane, kind, src_k, src_p, p: int, best_win, part_win, land) -> None:
    """Follow the longest path back from target ``p`` at the last boundary, marking in ``lane`` the
    window served in each segment."""
    K = lane.shape[1]
    P = best_win.shape[1]
    k = K
    while k > 0:
        kd, k_prev, p_prev = kind[k][p], src_k[k][p], src_p[k][p]
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
    f, kind, src_k, src_p = _longest_path(best_val.tolist(), part_val.tolist(), land.tolist(), K, P)
    p = max(range(P + 1), key=lambda q: (f[K][q], -q))  # the first best
    _trace(lane, kind, src_k, src_p, p, best_win, part_win, land)
    obj = float(f[K][p])
    return Solution(lane, obj, "dp", "optimal", 0.0)
