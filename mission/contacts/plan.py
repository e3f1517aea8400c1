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

How it is solved, exactly
-------------------------
Windows that share no resource within the largest ``R`` of each other cannot influence each other,
so the span splits into independent components (:func:`.model.components`); most hold one
window (served whole). For the others:

* one satellite with one lane (the Q4S-like case): a dynamic programme over (boundary, target the
  lane points at, ready), :func:`.solve.solve_dp`. A switch to target ``b`` at ``tau_k`` lands, ready,
  at the first boundary after ``tau_k + R`` with the best window of ``b`` served over the rest of
  the segment in between. Exact because a later switch only costs more dead time and a second switch
  before the lane is ready is never better than switching to the second target at once.
* anything else: a mixed-integer programme, :func:`.solve.solve_milp` (HiGHS, ``mip_rel_gap = 0``,
  the objective scaled to 1e3 so that HiGHS's absolute gap of 1e-6 is negligible, no presolve):
  binaries ``x[i,l,k]``; capacity rows per lane and per station and segment; contact starts
  ``y[i,l,k] >= x[i,l,k] - x[i,l,k-1]``; the value lost to dead time ``lam[i,l,k] >= L (y[i,l,k] +
  sum_u x[u,.,j] - 1)`` for every resource of the contact, every earlier segment ``j`` ending less
  than ``R`` before ``tau_k`` and ``u`` the windows holding that resource for another target in ``j``;
  ``L`` is window ``i``'s value over ``[tau_k, tau_j+1 + R)``. The maximum over these rows is the
  exact dead time of the contact. ``L`` is not cut at the contact's own end, so a contact shorter
  than its dead time is charged more than it has; such a contact delivers nothing and removing it
  frees resources without adding dead time to anyone, so the optimum is unchanged (and the plan is
  re-evaluated exactly by :func:`.model.evaluate`, which also drops contacts that deliver
  nothing).
* a component whose programme is too large (``max_milp_windows``) or runs out of time keeps the best
  plan HiGHS found and reports its proven gap; with none found it falls back to ``first-come``.

Ties are broken by fixed rules (local order by start then index; the first best move), and HiGHS
is deterministic, so the same input gives the same plan.

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
from .fair import solve_fair
from .solve import solve_dp, solve_milp

#: Slew-and-acquisition time of a lane or a station. [s] Assumption: 30 s, chosen within the "tens
#: of seconds" of LEO optical acquisitions that a summary of [1] (module docstring) reports; not a
#: measured figure for any Q4S-like payload or for the shipped stations.
DEFAULT_RETARGET_S = 30.0
POLICIES = ("max-pairs", "fair", "priority", "first-come")


# ------------------------------------------------------------------------------------- inputs

@dataclass(frozen=True)
class CandidateWindows:
    """Candidate windows and their value samples (CSR layout: window ``w`` owns samples
    ``sample_offsets[w]:sample_offsets[w+1]``).

    ``satellite`` (W,) satellite index; ``station_a``, ``station_b`` (W,) station indices
    (``station_b = -1`` for a single station); ``start_s``, ``end_s`` (W,) [s];
    ``sample_time_s`` (n,) [s]; ``sample_value`` (n,) value of each sample, accruing uniformly until
    the next sample (the last until the window end) [1]; ``sample_offsets`` (W+1,).
    """

    satellite: np.ndarray
    station_a: np.ndarray
    station_b: np.ndarray
    start_s: np.ndarray
    end_s: np.ndarray
    sample_time_s: np.ndarray
    sample_value: np.ndarray
    sample_offsets: np.ndarray

    @classmethod
    def piecewise_constant(cls, satellite, station_a, station_b, start_s, end_s, rate_per_s):
        """Windows with a constant value rate each (one sample at the start). [1/s]"""
        start_s, end_s = np.asarray(start_s, float), np.asarray(end_s, float)
        rate = np.asarray(rate_per_s, float)
        n = start_s.size
        return cls(np.asarray(satellite, np.int64), np.asarray(station_a, np.int64), np.asarray(station_b, np.int64),
                   start_s, end_s, start_s.copy(), rate * (end_s - start_s), np.arange(n + 1))

    def validate(self) -> None:
        """Raise ValueError naming the first bad field and value."""
        n = np.asarray(self.start_s).size
        for name in ("satellite", "station_a", "station_b", "start_s", "end_s"):
            a = np.asarray(getattr(self, name))
            if a.shape != (n,):
                raise ValueError(f"{name}: shape {a.shape}, expected ({n},)")
        off = np.asarray(self.sample_offsets)
        n_samples = np.asarray(self.sample_time_s).size
        if off.shape != (n + 1,) or off[0] != 0 or np.any(np.diff(off) < 0) or off[-1] != n_samples:
            raise ValueError(f"sample_offsets: must be non-decreasing, start at 0 and end at {n_samples}")
        if np.asarray(self.sample_value).shape != np.asarray(self.sample_time_s).shape:
            raise ValueError("sample_value: must have the shape of sample_time_s")
        checks = (
            ("start_s", ~np.isfinite(self.start_s)), ("end_s", ~(np.asarray(self.end_s) > np.asarray(self.start_s))),
            ("satellite", np.asarray(self.satellite) < 0), ("station_a", np.asarray(self.station_a) < 0),
            ("station_b", (np.asarray(self.station_b) < -1) | (np.asarray(self.station_b) == np.asarray(self.station_a))),
        )
        for name, bad in checks:
            if np.any(bad):
                k = int(np.flatnonzero(bad)[0])
                raise ValueError(f"{name}[{k}] = {np.asarray(getattr(self, name))[k].item()!r}: invalid"
                                 + (" (end must be after start)" if name == "end_s" else ""))
        v = np.asarray(self.sample_value, float)
        if np.any(~np.isfinite(v) | (v < 0)):
            k = int(np.flatnonzero(~np.isfinite(v) | (v < 0))[0])
            raise ValueError(f"sample_value[{k}] = {v[k].item()!r}: must be finite and >= 0")
        t = np.asarray(self.sample_time_s, float)
        inner = np.ones(t.size, bool)
        inner[off[1:-1][off[1:-1] < t.size]] = False  # first sample of each window has no predecessor
        if t.size and np.any(np.diff(t)[inner[1:]] < 0):
            raise ValueError("sample_time_s: must be sorted inside each window")


@dataclass(frozen=True)
class Resources:
    """``telescopes``: downlink telescopes per satellite (scalar or per satellite) [1];
    ``retarget_satellite_s`` per satellite and ``retarget_station_s`` per station (scalar or array):
    slew-and-acquisition times [s]."""

    telescopes: object = 2
    retarget_satellite_s: object = DEFAULT_RETARGET_S
    retarget_station_s: object = DEFAULT_RETARGET_S


def window_weights(station_a, station_b, pair_weight: dict | None = None, station_weight: dict | None = None):
    """Priority weight of each window: the weight of its station pair (keys ``(a, b)`` in either
    order; single-station windows use ``(a, -1)``), default 1, times the weights of its stations,
    default 1. [1]"""
    pair_weight = {tuple(sorted(k)): float(v) for k, v in (pair_weight or {}).items()}
    station_weight = station_weight or {}
    out = []
    for a, b in zip(np.asarray(station_a).tolist(), np.asarray(station_b).tolist()):
        w = pair_weight.get(tuple(sorted((a, b))), 1.0) * float(station_weight.get(a, 1.0))
        out.append(w * (float(station_weight.get(b, 1.0)) if b >= 0 else 1.0))
    return np.array(out)


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

def _per(value, n: int, name: str, dtype=float) -> np.ndarray:
    a = np.asarray(value, dtype)
    a = np.full(n, a.item(), dtype) if a.ndim == 0 else a
    if a.ndim != 1 or a.size < n:
        raise ValueError(f"{name}: {a.size} values, the windows use {n}")
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"{name} = {a.tolist()!r}: must be finite and >= 0")
    return a


def _clean(comp, lane, curves, r_sat, r_sta):
    """Drop contacts that deliver nothing (exactly), until none is left; evaluate."""
    while True:
        ev = sg.evaluate(comp, lane, curves, r_sat, r_sta)
        dead = [c for c in ev.contacts if c[5] <= 0.0]
        if not dead:
            return lane, ev
        lane = lane.copy()
        for i, ln, a, b, _, _ in dead:
            ks = np.flatnonzero((comp.tau[:-1] >= a) & (comp.tau[1:] <= b))
            lane[i, ks[lane[i, ks] == ln]] = -1


def plan_contacts(windows: CandidateWindows, resources: Resources = Resources(), policy: str = "max-pairs",
                  weights=None, *, solver: str = "auto", milp_time_limit_s: float = 20.0,
                  max_milp_windows: int = 80, fair_max_iter: int = 50) -> ContactPlan:
    """Plan the contacts of ``windows`` on ``resources`` under ``policy`` (see the module docstring).

    ``weights`` (W,) are the window weights of the ``priority`` policy [1]. ``solver``: ``"auto"``
    (the dynamic programme where it applies, the integer programme elsewhere) or ``"milp"`` (the
    integer programme everywhere: a cross-check). Returns a :class:`ContactPlan`.
    """
    if policy not in POLICIES:
        raise ValueError(f"policy = {policy!r}: expected one of {', '.join(POLICIES)}")
    if solver not in ("auto", "milp"):
        raise ValueError(f"solver = {solver!r}: expected 'auto' or 'milp'")
    windows.validate()
    sat = np.asarray(windows.satellite, np.int64)
    sta = np.column_stack([windows.station_a, windows.station_b]).astype(np.int64)
    start, end = np.asarray(windows.start_s, float), np.asarray(windows.end_s, float)
    n = start.size
    n_sat = int(sat.max()) + 1 if n else 0
    n_sta = int(sta.max()) + 1 if n else 0
    tel = _per(resources.telescopes, n_sat, "telescopes", np.int64)
    r_sat = _per(resources.retarget_satellite_s, n_sat, "retarget_satellite_s")
    r_sta = _per(resources.retarget_station_s, n_sta, "retarget_station_s")
    need = np.zeros(n_sat, np.int64)
    np.maximum.at(need, sat, (sta >= 0).sum(axis=1))
    if np.any(tel < need):
        s = int(np.flatnonzero(tel < need)[0])
        raise ValueError(f"telescopes = {int(tel[s])} for satellite {s}: its windows need {int(need[s])} at once")
    lanes_of_sat = np.where(need > 0, tel // np.maximum(need, 1), 1)
    if policy == "priority":
        if weights is None:
            raise ValueError("weights: the priority policy needs a weight per window")
        weights = _per(weights, n, "weights")
    else:
        weights = np.ones(n)

    curves = sg.ValueCurves(start, end, windows.sample_time_s, windows.sample_value, windows.sample_offsets)
    wanted = curves.wanted()
    horizon = float(max(r_sat.max(initial=0.0), r_sta.max(initial=0.0)))
    label = sg.components(sat, sta, start, end, horizon)
    gst = np.sort(sta, axis=1)[:, ::-1]
    group_stations, group = np.unique(gst, axis=0, return_inverse=True)
    group = group.ravel()
    n_grp = group_stations.shape[0]

    order = np.lexsort((np.arange(n), label))
    bounds = np.searchsorted(label[order], np.arange(label.max() + 2 if n else 1))
    n_comp = bounds.size - 1

    value = np.zeros(n)
    sched = np.zeros(n)
    deliv = np.zeros(n)
    lost = [()] * n
    contacts = []  # (window, lane, start, end, deliv_from, value)
    c_size = np.diff(bounds)
    c_seg = np.zeros(n_comp, np.int64)
    c_method = ["single"] * n_comp
    c_status = ["optimal"] * n_comp
    c_gap = np.zeros(n_comp)

    def solve(comp, wts):
        if solver == "auto" and comp.single_lane():
            s = int(comp.sat[0])
            return solve_dp(comp, wts, curves, float(r_sat[s]))
        if comp.n > max_milp_windows:
            return None
        return solve_milp(comp, wts, curves, r_sat, r_sta, milp_time_limit_s)

    def record(ci, comp, lane, method, status, gap):
        lane, ev = (lane, sg.evaluate(comp, lane, curves, r_sat, r_sta)) if method == "first-come" else \
            _clean(comp, lane, curves, r_sat, r_sta)
        value[comp.windows] = ev.value
        sched[comp.windows] = ev.scheduled_s
        deliv[comp.windows] = ev.delivering_s
        for i, lt in zip(comp.windows, sg.lost_to(comp, lane)):
            lost[i] = lt
        for i, ln, a, b, d, v in ev.contacts:
            contacts.append((int(comp.windows[i]), ln, a, b, d, v))
        c_seg[ci], c_method[ci], c_status[ci], c_gap[ci] = comp.n_segments, method, status, gap

    singles = c_size == 1
    one = order[bounds[:-1][singles]]
    serve_one = np.ones(one.size, bool) if policy == "first-come" else wanted[one] * weights[one] > 0
    for w in one[serve_one]:
        value[w], sched[w], deliv[w] = wanted[w], end[w] - start[w], end[w] - start[w]
        contacts.append((int(w), 0, start[w], end[w], start[w], wanted[w]))
    c_seg[singles] = 1

    multi = np.flatnonzero(~singles)
    cuts = sg.cut_times(start, end, sat, sta, r_sat, r_sta)
    comps = {int(ci): sg.build_component(order[bounds[ci]:bounds[ci + 1]], start, end, sat, sta, lanes_of_sat, curves, cuts)
             for ci in multi}
    fair_bound = np.nan
    contested = []
    for ci, comp in comps.items():
        if policy == "first-come":
            record(ci, comp, sg.first_come(comp), "first-come", "baseline", np.nan)
            continue
        if policy == "fair":
            gs = np.unique(group[comp.windows][wanted[comp.windows] > 0])
            if gs.size > 1:
                contested.append((ci, gs))
                continue
        sol = solve(comp, weights[comp.windows])
        if sol is None or not np.isfinite(sol.gap):
            why = "too large" if sol is None else sol.status
            record(ci, comp, sg.first_come(comp), "first-come", "fallback: " + why, np.nan)
        else:
            record(ci, comp, sol.lane, sol.method, sol.status, sol.gap)

    if contested:
        grp_wanted = np.bincount(group, weights=wanted, minlength=n_grp)
        fixed = np.bincount(group, weights=value, minlength=n_grp)

        def column(comp, lane):
            lane, ev = _clean(comp, lane, curves, r_sat, r_sta)
            return np.bincount(group[comp.windows], weights=ev.value, minlength=n_grp), float(ev.value.sum()), lane

        def price(c, mu):
            comp = comps[contested[c][0]]
            sol = solve(comp, mu[group[comp.windows]])
            return column(comp, sol.lane if sol is not None else sg.first_come(comp))

        cols = []
        for ci, _groups in contested:
            comp = comps[ci]
            gw = grp_wanted[group[comp.windows]]
            first = [solve(comp, np.ones(comp.n)), solve(comp, np.where(gw > 0, 1.0 / np.where(gw > 0, gw, 1.0), 0.0))]
            cols.append([column(comp, s.lane if s is not None else sg.first_come(comp)) for s in first])
        res = solve_fair(price, cols, [gs for _, gs in contested], fixed, grp_wanted, max_iter=fair_max_iter)
        fair_bound = res.bound
        for (ci, _), col, j in zip(contested, cols, res.choice):
            gap = 0.0 if res.bound - res.worst_share <= 1e-9 else res.bound - res.worst_share
            record(ci, comps[ci], col[j][2], "column generation", f"{res.iterations} iterations", gap)

    contacts.sort(key=lambda c: (c[2], c[0], c[1]))
    ca = np.array(contacts, dtype=float).reshape(-1, 6)
    cw = ca[:, 0].astype(np.int64)
    grp_wanted = np.bincount(group, weights=wanted, minlength=n_grp)
    grp_value = np.bincount(group, weights=value, minlength=n_grp)
    total = float(value.sum())
    if policy == "fair":
        with np.errstate(invalid="ignore", divide="ignore"):
            sh = np.where(grp_wanted > 0, grp_value / grp_wanted, np.nan)
        objective, name = (float(np.nanmin(sh)) if np.any(np.isfinite(sh)) else 1.0), "worst_pair_share"
        if not contested:  # every group got its own best: nothing to trade
            fair_bound = objective
    elif policy == "priority":
        objective, name = float(weights @ value), "weighted_value"
    else:
        objective, name = total, "value"
    return ContactPlan(
        policy, objective, name, total, cw, sat[cw], ca[:, 1].astype(np.int64), ca[:, 2], ca[:, 3], ca[:, 4], ca[:, 5],
        sched, deliv, value, wanted, tuple(lost), label, group, group_stations, grp_wanted, grp_value,
        c_size, c_seg, tuple(c_method), tuple(c_status), c_gap, fair_bound)
