"""The ``fair`` policy: maximise the worst-served pair's share of what it wanted, over the whole span.

The worst share couples every component (a pair's share is summed over the year), so the exact
per-component solvers are combined by column generation (Dantzig-Wolfe):

1. Each contested component (two or more pairs that want something) starts with two candidate
   plans (columns): its ``max-pairs`` plan and the plan maximising the sum of shares.
2. Master LP: choose a convex mix of each component's columns maximising ``z`` subject to
   ``fixed_p + sum_c V_pc >= z * W_p`` for every pair ``p`` (``W_p`` what it wanted, ``fixed_p`` what
   uncontested components give it). Its duals ``mu_p >= 0`` (``sum_p mu_p W_p = 1``) price the pairs.
3. Pricing: per component, the exact solver maximises ``sum_p mu_p V_pc``; a plan worth more than
   the component's dual becomes a new column. ``sum_p mu_p fixed_p + sum_c max_S sum_p mu_p V_pc``
   is an upper bound on the worst share of *any* plan (Lagrangian bound), kept as ``bound``.
4. When no column improves (or after ``max_iter``), an integer master picks one column per
   component maximising ``z``; a second integer master then maximises the total value among the
   choices that keep every share at least that ``z``.

The plan's worst share is never below ``max-pairs``'s (its columns are in the master); the gap to
``bound`` is reported (0 means proven optimal over all plans of the model).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix

from .highs import quiet_stdout


@dataclass(frozen=True)
class FairResult:
    """The fair plan's column choice per contested component, its worst share, the column
    generation's upper bound on it, and how many iterations it took. [1]"""

    choice: list  # chosen column index per contested component
    worst_share: float
    bound: float
    iterations: int


def _master(cols, fixed, wanted, integer, z_floor=None, fix=None):
    """Columns ``cols[c] = [(group_values (G,), total, lane), ...]``. Maximise z (or the total when
    ``z_floor`` is given) over one (integer) or a mix (LP) of columns per component; ``fix`` maps
    components to the columns they may use. The LP also returns each component's support (the
    columns it mixes)."""
    C = len(cols)
    G = wanted.size
    live = np.flatnonzero(wanted > 0)
    starts = np.cumsum([0] + [len(c) for c in cols])
    nt = int(starts[-1])
    rows, cc, vv = [], [], []
    for c in range(C):
        for j, (gv, _, _) in enumerate(cols[c]):
            nz = np.flatnonzero(gv[live] != 0)
            rows += nz.tolist()
            cc += [starts[c] + j] * nz.size
            vv += (-gv[live][nz]).tolist()
    n_live = live.size
    share = coo_matrix((vv, (rows, cc)), shape=(n_live, nt + 1)).tolil()
    conv = coo_matrix((np.ones(nt), (np.repeat(np.arange(C), np.diff(starts)), np.arange(nt))), shape=(C, nt + 1))
    if z_floor is None:
        share[:, nt] = wanted[live].reshape(-1, 1)
        c_obj = np.zeros(nt + 1)
        c_obj[nt] = -1.0
        b_share = fixed[live]
        z_bounds = (0.0, np.inf)
    else:
        c_obj = np.concatenate([-np.array([t for col in cols for _, t, _ in col]), [0.0]])
        b_share = fixed[live] - z_floor * wanted[live]
        z_bounds = (0.0, 0.0)
    share = share.tocsr()
    c_obj = c_obj * (1e6 / max(np.abs(c_obj).max(), 1e-300))  # HiGHS's absolute gap is 1e-6
    if not integer:
        res = linprog(c_obj, A_ub=share, b_ub=b_share, A_eq=conv.tocsr(), b_eq=np.ones(C),
                      bounds=[(0, None)] * nt + [z_bounds], method="highs")
        if res.x is None:
            return res, None, None, None
        mu = np.zeros(G)
        mu[live] = -res.ineqlin.marginals
        theta = res.x[:nt]
        support = {c: np.flatnonzero(theta[starts[c]:starts[c + 1]] > 1e-9).tolist() or
                   [int(np.argmax(theta[starts[c]:starts[c + 1]]))] for c in range(C)}
        return res, mu, -res.eqlin.marginals, support
    lb, ub = np.zeros(nt + 1), np.ones(nt + 1)
    lb[nt], ub[nt] = z_bounds
    for c, js in (fix or {}).items():
        ub[starts[c]:starts[c + 1]] = 0.0
        ub[starts[c] + np.asarray(js, np.int64)] = 1.0
    with quiet_stdout():  # HiGHS's stray stdout line (see solve.quiet_stdout)
        res = milp(c_obj, integrality=np.concatenate([np.ones(nt), [0]]), bounds=Bounds(lb, ub),
                   constraints=[LinearConstraint(share, -np.inf, b_share), LinearConstraint(conv.tocsr(), 1.0, 1.0)],
                   options={"disp": False, "mip_rel_gap": 1e-4, "time_limit": 5.0})  # a rounding step: the gap is reported
    if res.x is None:
        return res, None
    pick = [int(np.argmax(res.x[starts[c]:starts[c + 1]])) for c in range(C)]
    return res, pick


def solve_fair(price, cols, groups_of, fixed, wanted, max_iter: int = 50, tol: float = 1e-9) -> FairResult:
    """Column generation. ``cols[c]`` is the list of columns ``(group_values (G,), total, payload)``
    of contested component ``c`` (new ones are appended); ``groups_of[c]`` its groups;
    ``price(cs, mu)`` returns the best column of each component of the list ``cs`` for group weights
    ``mu`` (all at once, so that they may be solved in parallel); ``fixed`` (G,) what the
    uncontested components give each group and ``wanted`` (G,) what each group wanted."""
    bound = np.inf
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (the count of iterations is reported)
        res, mu, pi, support = _master(cols, fixed, wanted, integer=False)
        lag = float(mu @ fixed)
        added = False
        priced = [c for c in range(len(cols)) if np.any(mu[groups_of[c]] > 0)]  # others: worth 0 <= pi
        for c, col in zip(priced, price(priced, mu)):
            worth = float(mu @ col[0])
            lag += max(worth, 0.0)
            if worth > pi[c] + tol * max(1.0, abs(pi[c])):
                cols[c].append(col)
                added = True
        norm = float(mu @ wanted)
        if norm > 0:
            bound = min(bound, lag / norm)
        if not added:
            bound = min(bound, float(res.x[-1]))
            break
    if added:  # stopped at max_iter: the LP over every column
        res, mu, pi, support = _master(cols, fixed, wanted, integer=False)
    live = wanted > 0

    def worst_of(pick):
        got = fixed + sum(cols[c][pick[c]][0] for c in range(len(cols)))
        return float(np.min(got[live] / wanted[live])) if live.any() else 1.0

    # A basic LP optimum mixes columns in at most as many components as there are pairs: keep the
    # components it serves with one whole column and choose among the mixed columns of the others
    # by an integer programme (a rounding: its distance to ``bound`` is the reported gap); never
    # worse than the max-pairs columns (column 0 of every component).
    _, pick = _master(cols, fixed, wanted, integer=True, fix=support)
    pick = max([p for p in (pick, [0] * len(cols)) if p is not None], key=worst_of)
    z = worst_of(pick)
    # then the most value among the plans that keep every share at least z (same rounding)
    lp2 = _master(cols, fixed, wanted, integer=False, z_floor=z * (1 - 1e-12))
    if lp2[0].x is not None:
        allow = {c: sorted(set(js) | {pick[c]}) for c, js in lp2[3].items()}
        _, pick2 = _master(cols, fixed, wanted, integer=True, z_floor=z * (1 - 1e-12), fix=allow)
        if pick2 is not None and worst_of(pick2) >= z * (1 - 1e-9):
            pick = pick2
    worst = worst_of(pick)
    return FairResult(pick, worst, max(bound, worst), it)
