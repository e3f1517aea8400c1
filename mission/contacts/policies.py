"""The contact-plan policies: what each maximises and how its plan is found, one object per name of
:data:`.settings.POLICIES` (the table :data:`POLICY`). Adding a policy: its name in
``settings.ContactPolicy``, its object here.

Every policy plans the components of several windows (:class:`.problem.Problem`) and returns a
:class:`.problem.Decision` for each; a window alone in its component is served whole when the
policy finds it worth anything (:meth:`MaxPairs.serves_alone`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import model as sg
from .fair import solve_fair
from .problem import Decision, Problem, per_item
from .settings import POLICIES
from .solve import Solver


@dataclass(frozen=True)
class Planned:
    """A policy's decisions per component of several windows, and (``fair``) its proven upper bound
    on the objective (None: the plan's own objective is proven optimal; NaN: not reported). [1]"""

    decisions: dict
    bound: float | None = np.nan


def first_come(prob: Problem, ci: int, status: str) -> Decision:
    """The naive baseline's decision for component ``ci`` (contacts that deliver nothing kept)."""
    return prob.decision(ci, sg.first_come(prob.comps[ci]), "first-come", status, np.nan, clean=False)


def solve_exactly(prob: Problem, cis: list, weights: np.ndarray, solve: Solver) -> dict:
    """The best plan of each component of ``cis`` for window weights ``weights``; a component too
    large for the integer programme, or left without a solution, falls back to first-come."""
    solutions = solve([(prob.comps[ci], weights[prob.comps[ci].windows]) for ci in cis])
    out = {}
    for ci, sol in zip(cis, solutions):
        if sol is None or not np.isfinite(sol.gap):
            out[ci] = first_come(prob, ci, "fallback: " + ("too large" if sol is None else sol.status))
        else:
            out[ci] = prob.decision(ci, sol.lane, sol.method, sol.status, sol.gap)
    return out


class MaxPairs:
    """``max-pairs``: maximise the delivered value (expected, cloud-weighted heralded pairs)."""

    name = "max-pairs"
    objective_name = "value"

    def weights(self, n: int, given) -> np.ndarray:
        """Window weights of the objective. [1]"""
        return np.ones(n)

    def serves_alone(self, worth: np.ndarray) -> np.ndarray:
        """Which lone windows are served, given their weighted value."""
        return worth > 0

    def plan(self, prob: Problem, weights: np.ndarray, solve: Solver) -> Planned:
        """Decisions for every component of several windows."""
        return Planned(solve_exactly(prob, sorted(prob.comps), weights, solve))

    def objective(self, prob: Problem, weights: np.ndarray, value: np.ndarray) -> float:
        """The plan's objective. [1]"""
        return float(value.sum())


class Priority(MaxPairs):
    """``priority``: maximise ``sum_w weight_w * value_w`` (:func:`.problem.window_weights`)."""

    name = "priority"
    objective_name = "weighted_value"

    def weights(self, n: int, given) -> np.ndarray:
        """The given window weights, checked. [1]"""
        if given is None:
            raise ValueError("weights: the priority policy needs a weight per window")
        return per_item(given, n, "weights")

    def objective(self, prob: Problem, weights: np.ndarray, value: np.ndarray) -> float:
        """The weighted value delivered. [1]"""
        return float(weights @ value)


class FirstCome(MaxPairs):
    """``first-come``: the naive baseline; in order of start, a window takes its resources as soon
    as all are free and keeps them until it ends."""

    name = "first-come"

    def serves_alone(self, worth: np.ndarray) -> np.ndarray:
        """Every lone window, worth something or not."""
        return np.ones(worth.shape, bool)

    def plan(self, prob: Problem, weights: np.ndarray, solve: Solver) -> Planned:
        """The baseline's decisions."""
        return Planned({ci: first_come(prob, ci, "baseline") for ci in sorted(prob.comps)})


class Fair(MaxPairs):
    """``fair``: maximise the worst group's (station pair's) share of what it wanted, then the total
    among plans reaching that share; column generation over the exact per-component solvers
    (:mod:`.fair`)."""

    name = "fair"
    objective_name = "worst_pair_share"

    def plan(self, prob: Problem, weights: np.ndarray, solve: Solver) -> Planned:
        """Uncontested components (one group wants anything) as max-pairs, the others by column
        generation."""
        contested = [ci for ci in sorted(prob.comps) if self._groups(prob, ci).size > 1]
        decisions = solve_exactly(prob, [ci for ci in sorted(prob.comps) if ci not in contested], weights, solve)
        if not contested:  # every group got its own best: nothing to trade
            return Planned(decisions, None)
        wanted = np.bincount(prob.group, weights=prob.wanted, minlength=prob.n_groups)
        fixed = np.bincount(prob.group[prob.alone], weights=prob.wanted[prob.alone], minlength=prob.n_groups).astype(float)
        for ci, d in decisions.items():
            fixed += prob.group_values(ci, d.evaluation.value)

        def columns(cis, group_weights):
            jobs = [(ci, gw) for ci, gws in zip(cis, group_weights) for gw in gws]
            sols = solve([(prob.comps[ci], gw[prob.group[prob.comps[ci].windows]]) for ci, gw in jobs])
            out = []
            for (ci, _), sol in zip(jobs, sols):
                d = prob.decision(ci, sol.lane, "column generation", "", 0.0) if sol is not None and np.isfinite(sol.gap) \
                    else first_come(prob, ci, "")
                out.append((prob.group_values(ci, d.evaluation.value), float(d.evaluation.value.sum()), d))
            return out

        share_weight = np.where(wanted > 0, 1.0 / np.where(wanted > 0, wanted, 1.0), 0.0)
        first = columns(contested, [(np.ones(prob.n_groups), share_weight)] * len(contested))
        cols = [first[2 * c:2 * c + 2] for c in range(len(contested))]
        res = solve_fair(lambda cs, mu: columns([contested[c] for c in cs], [(mu,)] * len(cs)), cols,
                         [self._groups(prob, ci) for ci in contested], fixed, wanted, max_iter=solve.options.fair_max_iter)
        gap = 0.0 if res.bound - res.worst_share <= 1e-9 else res.bound - res.worst_share
        for ci, col, j in zip(contested, cols, res.choice):
            d = col[j][2]
            decisions[ci] = Decision(d.lane, "column generation", f"{res.iterations} iterations", gap, d.evaluation)
        return Planned(decisions, res.bound)

    def objective(self, prob: Problem, weights: np.ndarray, value: np.ndarray) -> float:
        """The worst group's share of what it wanted; 1 when no group wanted any. [1]"""
        wanted = np.bincount(prob.group, weights=prob.wanted, minlength=prob.n_groups)
        got = np.bincount(prob.group, weights=value, minlength=prob.n_groups)
        live = wanted > 0
        return float(np.min(got[live] / wanted[live])) if live.any() else 1.0

    @staticmethod
    def _groups(prob: Problem, ci: int) -> np.ndarray:
        w = prob.comps[ci].windows
        return np.unique(prob.group[w][prob.wanted[w] > 0])


#: The policy of each name of :data:`.settings.POLICIES`.
POLICY = {p.name: p for p in (MaxPairs(), Fair(), Priority(), FirstCome())}


def policy_named(name: str) -> MaxPairs:
    """The policy called ``name`` (ValueError naming the choices otherwise)."""
    if name not in POLICY:
        raise ValueError(f"policy = {name!r}: expected one of {', '.join(POLICIES)}")
    return POLICY[name]
