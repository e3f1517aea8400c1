"""The contact plan: which candidate window is served when, one target per telescope.

Candidate windows (a satellite over one station for single downlink, over a station pair for dual
downlink) overlap in time and share resources; :func:`plan_contacts` picks a conflict-free plan
under a policy. Pure numpy/scipy, nothing from the rest of ``mission``.

The model
---------
Resources. Each satellite ``s`` has ``telescopes[s]`` downlink telescopes; a window needs one per
station (two for dual downlink). They form ``lanes = telescopes // need`` lanes, each serving one
window at a time (a spare odd telescope is unused). Each ground station tracks one satellite at a
time (one window at a time: its one receiver takes one beam).

Segments and decisions. Time is cut into segments ``[tau_k, tau_k+1)`` at every window edge and
at every window start less the retarget time of each of its resources (the moment to leave the
previous target so as to be ready when the window opens); in each segment each window is served by
one lane of its satellite or not at all. A window may be served in several pieces; a *contact* is a
maximal run of segments in which the same lane serves the same window.

Retargeting. What a resource points at (its target) is, for a lane, the window's station set and,
for a station, the satellite. A resource that takes up a target different from its last one is
*blind* until the end of its last service plus its retarget time ``R`` (``retarget_satellite_s``
for a lane, ``retarget_station_s`` for a station): slewing and acquisition start when it leaves the
old target, so an idle gap before the switch counts towards ``R``, and a resource pointed at its
next target while idle (the start of a pass) loses nothing. A contact delivers only where none of
its resources is blind: the first part of a contact begun within ``R`` of a switch delivers nothing.

Value. Window ``w`` delivers ``C_w(b) - C_w(a)`` over ``[a, b)``, ``C_w`` piecewise linear through
the cumulative sums of its value samples (e.g. expected, cloud-weighted heralded pairs per sample).

Policies
--------
``max-pairs``
    maximise the delivered value (expected heralded pairs).
``priority``
    maximise ``sum_w weight_w * value_w`` (:func:`window_weights` maps pair and station weights
    onto the windows).
``fair``
    maximise the worst pair's share of what it wanted (value delivered / value of its windows
    served whole), then the total among plans reaching that share; see :mod:`.fair` (column
    generation over the exact per-component solvers).
``first-come``
    the naive baseline: in order of start, a window takes its resources as soon as all are free
    and keeps them until it ends.

Each policy is an object of :mod:`.policies`; a scenario names one in ``payload.contacts``
(:mod:`.settings`).

How it is solved, exactly
-------------------------
Windows that share no resource within the largest ``R`` of each other cannot influence each other,
so the span splits into independent components (:func:`.model.components`); most hold one
window (served whole). The others are solved one by one, or in ``workers`` processes
(:class:`.solve.Solver`; the plan is the same for any number):

* one satellite with one lane (the Q4S-like case): a dynamic programme over (boundary, target the
  lane points at, ready), :func:`.dp.solve_dp`. A switch to target ``b`` at ``tau_k`` lands, ready,
  at the first boundary after ``tau_k + R`` with the best window of ``b`` served over the rest of
  the segment in between. Exact because a later switch only costs more dead time and a second switch
  before the lane is ready is never better than switching to the second target at once.
* anything else: an integer programme, :func:`.milp.solve_milp`, on the segments refined by
  every boundary plus a retarget time: binaries ``w[u, q]`` (service ``u`` delivers over interval
  ``q``), and for every resource that retargets a time-expanded network of its states (ready on a
  target, slewing for ``R`` after leaving one at a boundary, unpointed at the start) that each
  delivery needs to be ready on its target. No big-M row: the LP relaxation is exact on the
  benchmarks' shared-station groups, so one LP solves most of them (proven gap 0); where its
  optimum is fractional, HiGHS's branch and bound (``mip_rel_gap = 0``, objective scaled to 1e3)
  finishes it.
* a component whose programme is too large (``max_milp_windows``) or runs out of time keeps the best
  plan HiGHS found and reports its proven gap; with none found it falls back to ``first-come``.

Every plan is replayed by :func:`.model.evaluate`, which also drops contacts that deliver nothing.
Ties are broken by fixed rules (local order by start then index; the first best move), and HiGHS
is deterministic, so the same input gives the same plan. (A programme stopped by its time limit is
the exception: where it stopped depends on the machine's speed.)

References
----------
.. [1] J. Gerard, J. A. Fraire, S. Cespedes, "Modeling pointing, acquisition, and tracking delays
   in free-space optical satellite networks", IEEE WiSEE 2025 (STINT workshop), arXiv:2511.16063.
   Models retargeting (pointing, acquisition, tracking) delays on NASA TBIRD, LLCD, DSOC and ESA
   mission data; a published summary of it gives observed acquisition times of "tens of seconds"
   for LEO links (no figure read in the paper itself: the default below is an assumption).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import model as sg
from .policies import MaxPairs, Planned, policy_named
from .problem import CandidateWindows, Problem, Resources, prepare, window_weights
from .solve import SOLVERS, Solver, SolverOptions

__all__ = ["CandidateWindows", "ContactPlan", "Resources", "plan_contacts", "window_weights"]


# ------------------------------------------------------------------------------------ outputs

@dataclass(frozen=True)
class ContactPlan:
    """The plan. Contacts are sorted by start, then window. Per window: ``scheduled_s`` contact
    time, ``delivering_s`` contact time after dead time [s], ``value`` delivered and ``wanted`` (the
    window served whole) [1], ``lost_to`` the windows that held its resources while it was open and
    not served. Per group (station pair, or single station): ``group_stations`` (G, 2),
    ``group_wanted``, ``group_value`` [1]. Per component: size, segments, method ("single", "dp",
    "milp", "first-come"), solver status and proven relative gap."""

    policy: str
    objective: float
    objective_name: str
    total_value: float
    contact_window: np.ndarray
    contact_satellite: np.ndarray
    contact_lane: np.ndarray
    contact_start_s: np.ndarray
    contact_end_s: np.ndarray
    contact_delivering_from_s: np.ndarray
    contact_value: np.ndarray
    scheduled_s: np.ndarray
    delivering_s: np.ndarray
    value: np.ndarray
    wanted: np.ndarray
    lost_to: tuple
    component: np.ndarray
    group: np.ndarray
    group_stations: np.ndarray
    group_wanted: np.ndarray
    group_value: np.ndarray
    component_size: np.ndarray
    component_segments: np.ndarray
    component_method: tuple
    component_status: tuple
    component_gap: np.ndarray
    fair_bound: float = np.nan  # upper bound on the worst share (fair policy) [1]

    @property
    def group_share(self) -> np.ndarray:
        """Each group's (station pair's) value served over value wanted; NaN where it wanted none. [1]"""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.group_wanted > 0, self.group_value / self.group_wanted, np.nan)

    @property
    def worst_share(self) -> float:
        """The lowest group share (what the ``fair`` policy raises); 1 when no group wanted any. [1]"""
        s = self.group_share
        return float(np.nanmin(s)) if np.any(np.isfinite(s)) else 1.0


# ---------------------------------------------------------------------------------- the plan

def plan_contacts(windows: CandidateWindows, resources: Resources | None = None, policy: str = "max-pairs",
                  weights=None, *, solver: str = "auto", milp_time_limit_s: float = 20.0,
                  max_milp_windows: int = 80, fair_max_iter: int = 50, workers: int = 1, pool=None) -> ContactPlan:
    """Plan the contacts of ``windows`` on ``resources`` under ``policy`` (see the module docstring).

    ``weights`` (W,) are the window weights of the ``priority`` policy [1]. ``solver``: ``"auto"``
    (the dynamic programme where it applies, the integer programme elsewhere) or ``"milp"`` (the
    integer programme everywhere: a cross-check). ``workers`` processes solve the components (the
    plan does not depend on it), started by ``pool`` (see :class:`.solve.Solver`). ``resources``
    default to :class:`Resources` ``()``. Returns a :class:`ContactPlan`.
    """
    rule = policy_named(policy)
    if solver not in SOLVERS:
        raise ValueError(f"solver = {solver!r}: expected one of {', '.join(repr(s) for s in SOLVERS)}")
    prob = prepare(windows, Resources() if resources is None else resources)
    w = rule.weights(prob.n, weights)
    with Solver(SolverOptions(solver, milp_time_limit_s, max_milp_windows, fair_max_iter), workers, pool) as solve:
        planned = rule.plan(prob, w, solve)
    return _assemble(prob, rule, w, planned)


def _assemble(prob: Problem, rule: MaxPairs, weights: np.ndarray, planned: Planned) -> ContactPlan:
    """The plan's tables: lone windows served whole where the policy wants them, every other
    component as decided."""
    n, n_comp = prob.n, prob.component_size.size
    value, sched, deliv = np.zeros(n), np.zeros(n), np.zeros(n)
    lost: list[tuple] = [()] * n
    alone = prob.alone[rule.serves_alone(prob.wanted[prob.alone] * weights[prob.alone])]
    value[alone], sched[alone] = prob.wanted[alone], prob.end[alone] - prob.start[alone]
    deliv[alone] = sched[alone]
    contacts = [(int(w), 0, prob.start[w], prob.end[w], prob.start[w], prob.wanted[w]) for w in alone]
    c_seg = np.ones(n_comp, np.int64)
    c_method, c_status, c_gap = ["single"] * n_comp, ["optimal"] * n_comp, np.zeros(n_comp)
    for ci, d in planned.decisions.items():
        comp, ev = prob.comps[ci], d.evaluation
        value[comp.windows], sched[comp.windows], deliv[comp.windows] = ev.value, ev.scheduled_s, ev.delivering_s
        for i, taken in zip(comp.windows, sg.lost_to(comp, d.lane)):
            lost[i] = taken
        contacts += [(int(comp.windows[i]), ln, a, b, f, v) for i, ln, a, b, f, v in ev.contacts]
        c_seg[ci], c_method[ci], c_status[ci], c_gap[ci] = comp.n_segments, d.method, d.status, d.gap
    contacts.sort(key=lambda c: (c[2], c[0], c[1]))
    ca = np.array(contacts, dtype=float).reshape(-1, 6)
    cw = ca[:, 0].astype(np.int64)
    objective = rule.objective(prob, weights, value)
    return ContactPlan(
        rule.name, objective, rule.objective_name, float(value.sum()), cw, prob.sat[cw], ca[:, 1].astype(np.int64),
        ca[:, 2], ca[:, 3], ca[:, 4], ca[:, 5], sched, deliv, value, prob.wanted, tuple(lost), prob.component,
        prob.group, prob.group_stations, np.bincount(prob.group, weights=prob.wanted, minlength=prob.n_groups),
        np.bincount(prob.group, weights=value, minlength=prob.n_groups), prob.component_size, c_seg,
        tuple(c_method), tuple(c_status), c_gap, objective if planned.bound is None else planned.bound)
