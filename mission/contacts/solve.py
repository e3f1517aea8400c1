"""Exact solvers of one component for a weighted objective: a dynamic programme for one lane of one
satellite, a mixed-integer programme (HiGHS through ``scipy.optimize.milp``) for everything else.

Both maximise ``sum_i weight_i * value_i`` under the model of :mod:`.plan` and return the
assignment ``lane[i, k]`` (-1: window ``i`` not served in segment ``k``); :func:`.model.evaluate`
then gives what it delivers. The formulations and why they are exact are in :mod:`.plan`.
"""
from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from .model import Component, ValueCurves


@dataclass(frozen=True)
class Solution:
    """One component's assignment (lane serving each window in each segment), its objective, how
    it was solved and the proven relative gap."""

    lane: np.ndarray  # (n, K) lane serving window i in segment k, -1 none
    objective: float  # the solver's own value of the weighted objective [1]
    method: str  # "dp", "milp"
    status: str  # "optimal", or what HiGHS said
    gap: float  # relative optimality gap proven by the solver [1]


@contextlib.contextmanager
def quiet_stdout():
    """Send what C code writes to the process's standard output (file descriptor 1) to /dev/null
    for the duration, so that a solver's stray debug line cannot reach a user's output or pipe.
    Python-level ``sys.stdout`` is untouched; where descriptor 1 cannot be duplicated, nothing
    changes."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


# --------------------------------------------------------------------------- dynamic programme

def solve_dp(comp: Component, weight: np.ndarray, curves: ValueCurves, retarget_s: float) -> Solution:
    """One lane of one satellite: a longest path over (boundary k, target the lane points at, ready).

    States: at boundary ``tau[k]`` the lane points at target ``p`` and is ready (or points at nothing
    yet: the start). Moves: serve the best window of ``p`` in segment ``k`` or idle (to ``(k+1, p)``);
    or switch to a target ``b != p`` at ``tau[k]``: the lane is blind until ``tau[k] + R`` and lands,
    ready, at the first boundary ``k' >= tau[k] + R``, having served the best window of ``b`` over
    the part of segment ``k'-1`` after ``tau[k] + R``. Exact: a switch made later than the end of
    the last contact only costs more, and a second switch before the lane is ready is never better
    than switching to the second target at once (its dead time ends earlier).
    """
    n, K = comp.n, comp.n_segments
    tau, cum = comp.tau, comp.cum
    P = int(comp.target_lane.max()) + 1
    best_val = np.zeros((K, P))
    best_win = np.full((K, P), -1)
    for i in range(n):
        a, b, p = int(comp.k0[i]), int(comp.k1[i]), int(comp.target_lane[i])
        v = weight[i] * (cum[i, a + 1:b + 1] - cum[i, a:b])
        better = v > best_val[a:b, p]
        best_val[a:b, p] = np.where(better, v, best_val[a:b, p])
        best_win[a:b, p] = np.where(better, i, best_win[a:b, p])
    lane = np.full((n, K), -1, dtype=np.int64)
    if retarget_s <= 0.0:  # switching is free: the best window of every segment
        for k in range(K):
            p = int(np.argmax(best_val[k]))
            if best_val[k, p] > 0:
                lane[best_win[k, p], k] = 0
        return Solution(lane, float(best_val.max(axis=1).sum()), "dp", "optimal", 0.0)

    land = np.searchsorted(tau, tau + retarget_s, side="left")  # first boundary >= tau_k + R
    part_val = np.zeros((K, P))
    part_win = np.full((K, P), -1)
    for i in range(n):
        a, b, p = int(comp.k0[i]), int(comp.k1[i]), int(comp.target_lane[i])
        ks = np.flatnonzero((land[:K] - 1 >= a) & (land[:K] - 1 < b) & (land[:K] <= K))
        if ks.size:
            c_ready = curves.at(int(comp.windows[i]), tau[ks] + retarget_s)
            v = weight[i] * (cum[i, land[ks]] - c_ready)
            better = v > part_val[ks, p]
            part_val[ks, p] = np.where(better, v, part_val[ks, p])
            part_win[ks, p] = np.where(better, i, part_win[ks, p])

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
    obj = float(f[K, p])
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
    return Solution(lane, obj, "dp", "optimal", 0.0)


# ------------------------------------------------------------------------------ integer programme

def solve_milp(comp: Component, weight: np.ndarray, curves: ValueCurves, retarget_sat_s, retarget_station_s,
               time_limit_s: float = 20.0) -> Solution:
    """The general component: several satellites or lanes, stations shared between satellites.

    Variables: ``x[i,l,k]`` (binary) window ``i`` served by lane ``l`` of its satellite in segment
    ``k``; ``y[i,l,k] >= x[i,l,k] - x[i,l,k-1]`` (a contact starts); ``lam[i,l,k] >= 0`` the value its
    dead time costs, bounded below, for every resource ``r`` of the contact and every earlier segment
    ``j`` ending within ``R_r`` of ``tau[k]``, by ``L * (y[i,l,k] + sum of x[u,.,j] - 1)`` where ``u``
    are the windows that held ``r`` for another target in ``j`` and ``L`` the value of window ``i``
    over ``[tau[k], tau[j+1] + R_r)``.
    """
    n, K = comp.n, comp.n_segments
    tau, cum = comp.tau, comp.cum
    # HiGHS stops at an absolute gap of 1e-6: scale the objective so that is 1e-9 of the total
    top = float(np.sum(weight * (cum[:, -1] - cum[:, 0])))
    scale = 1e3 / top if top > 0 else 1.0
    weight = weight * scale
    lanes = comp.lanes.astype(np.int64)
    span = (comp.k1 - comp.k0).astype(np.int64)
    base = np.zeros((n, int(lanes.max())), np.int64)
    nx = 0
    for i in range(n):
        for ln in range(int(lanes[i])):
            base[i, ln] = nx
            nx += int(span[i])

    def xi(i, ln, k):
        return int(base[i, ln] + k - comp.k0[i])

    c = np.zeros(2 * nx)
    for i in range(n):
        seg = weight[i] * (cum[i, comp.k0[i] + 1:comp.k1[i] + 1] - cum[i, comp.k0[i]:comp.k1[i]])
        for ln in range(int(lanes[i])):
            c[base[i, ln]:base[i, ln] + span[i]] = -seg
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def row(entries, lb, ub):
        r = len(lo)
        for col, v in entries:
            rows.append(r)
            cols.append(col)
            vals.append(v)
        lo.append(lb)
        hi.append(ub)

    covers = [[i for i in range(n) if comp.k0[i] <= k < comp.k1[i]] for k in range(K)]
    stations = sorted({int(g) for g in comp.stations.ravel() if g >= 0})
    for k in range(K):
        for g in stations:
            e = [(xi(i, ln, k), 1.0) for i in covers[k] if g in comp.stations[i] for ln in range(int(lanes[i]))]
            if len(e) > 1:
                row(e, -np.inf, 1.0)
        for s in sorted({int(comp.sat[i]) for i in covers[k]}):
            for ln in range(int(lanes[next(i for i in covers[k] if comp.sat[i] == s)])):
                e = [(xi(i, ln, k), 1.0) for i in covers[k] if comp.sat[i] == s]
                if len(e) > 1:
                    row(e, -np.inf, 1.0)
    for i in range(n):
        for ln in range(int(lanes[i])):
            for k in range(int(comp.k0[i]), int(comp.k1[i])):
                e = [(nx + xi(i, ln, k), 1.0), (xi(i, ln, k), -1.0)]
                if k > comp.k0[i]:
                    e.append((xi(i, ln, k - 1), 1.0))
                row(e, 0.0, np.inf)
    # dead time
    n_lam = 0
    shifted: dict = {}
    for i in range(n):
        s = int(comp.sat[i])
        res = [("L", float(retarget_sat_s[s]))] + [(int(g), float(retarget_station_s[g])) for g in comp.stations[i] if g >= 0]
        for ln in range(int(lanes[i])):
            for k in range(int(comp.k0[i]), int(comp.k1[i])):
                cons = []
                for r, R in res:
                    if R <= 0:
                        continue
                    j = k - 1
                    while j >= 0 and tau[j + 1] > tau[k] - R:
                        if r == "L":
                            us = [(xi(u, ln, j), 1.0) for u in covers[j]
                                  if u != i and comp.sat[u] == s and ln < lanes[u] and comp.target_lane[u] != comp.target_lane[i]]
                        else:
                            us = [(xi(u, lu, j), 1.0) for u in covers[j]
                                  if r in comp.stations[u] and comp.sat[u] != s for lu in range(int(lanes[u]))]
                        if us:
                            key = (i, R)
                            if key not in shifted:
                                shifted[key] = curves.at(int(comp.windows[i]), tau + R)
                            L = weight[i] * (shifted[key][j + 1] - cum[i, k])
                            if L > 0:
                                cons.append((L, us))
                        j -= 1
                if cons:
                    lam = 2 * nx + n_lam
                    n_lam += 1
                    for L, us in cons:
                        row([(lam, 1.0), (nx + xi(i, ln, k), -L)] + [(col, -L) for col, _ in us], -L, np.inf)
    nv = 2 * nx + n_lam
    c = np.concatenate([c, np.ones(n_lam)])
    integrality = np.concatenate([np.ones(nx), np.zeros(nx + n_lam)])
    ub = np.concatenate([np.ones(2 * nx), np.full(n_lam, np.inf)])
    A = coo_matrix((vals, (rows, cols)), shape=(len(lo), nv)).tocsr()
    cons = [LinearConstraint(A, np.array(lo), np.array(hi))] if lo else []
    for presolve in (False, True):  # without presolve: faster here; with it: a retry after a solve error
        with quiet_stdout():  # HiGHS prints a debug line to stdout even when silenced (ERGO-Code/HiGHS#2783)
            out = milp(c, integrality=integrality, bounds=Bounds(np.zeros(nv), ub), constraints=cons,
                       options={"disp": False, "presolve": presolve, "mip_rel_gap": 0.0, "time_limit": time_limit_s})
        if out.x is not None:
            break
    lane = np.full((n, K), -1, dtype=np.int64)
    if out.x is None:
        return Solution(lane, 0.0, "milp", f"no solution ({out.message})", np.inf)
    x = out.x[:nx] > 0.5
    for i in range(n):
        for ln in range(int(lanes[i])):
            on = x[base[i, ln]:base[i, ln] + span[i]]
            ks = np.arange(int(comp.k0[i]), int(comp.k1[i]))[on]
            lane[i, ks] = ln
    status = "optimal" if out.status == 0 else str(out.message)
    gap = 0.0 if out.status == 0 else float(getattr(out, "mip_gap", np.nan) or np.nan)
    return Solution(lane, float(-out.fun) / scale, "milp", status, gap)
