"""Components, segments, value curves and the exact evaluation of a contact assignment.

The model is stated in :mod:`.plan`; this module holds the pieces every solver shares:

* :func:`components` splits the candidate windows into groups that cannot influence one another
  (no shared satellite or station within ``horizon_s`` of each other), vectorised with a sweep per
  resource and ``scipy.sparse.csgraph.connected_components``.
* :class:`ValueCurves` integrates each window's value samples: the cumulative value ``C_w(t)``
  is piecewise linear through the sample times (sample ``i`` accrues uniformly from its time to the
  next sample's, the last one to the window's end), so any interval's value is two look-ups.
* :class:`Component` cuts one group into segments at every window edge (of any window) and at
  every window start less a retarget time (:func:`cut_times`), and refines them with every
  boundary plus a retarget time (where a switch lands): the grid its solvers value.
* :func:`evaluate` is the ground truth of the model: given which lane serves which window in each
  segment it replays every resource in time order and returns what each contact delivers. All
  solvers are checked against it.
* :func:`first_come` is the naive baseline policy.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

# ------------------------------------------------------------------------------ value curves

class ValueCurves:
    """Cumulative value of each window, from per-sample values (CSR layout).

    Parameters
    ----------
    start_s, end_s : ndarray (W,)
        Window edges. [s]
    sample_time_s : ndarray (n,)
        Sample times, window after window, sorted inside each window. [s]
    sample_value : ndarray (n,)
        Value of each sample, e.g. expected heralded pairs of that sample (rate × step × cloud-free
        probability); it accrues uniformly from the sample's time to the next sample's (the last
        sample's to the window end). [1]
    sample_offsets : ndarray (W + 1,)
        Samples of window ``w`` are ``offsets[w]:offsets[w + 1]``. [1]
    """

    def __init__(self, start_s, end_s, sample_time_s, sample_value, sample_offsets):
        self.start_s = np.asarray(start_s, float)
        self.end_s = np.asarray(end_s, float)
        self.t = np.asarray(sample_time_s, float)
        v = np.asarray(sample_value, float)
        self.offsets = np.asarray(sample_offsets, np.int64)
        # cumulative value *before* each sample, per window: cum[i] = sum of v[offsets[w]:i]
        c = np.concatenate([[0.0], np.cumsum(v)])
        self.cum_before = c[:-1] - np.repeat(c[self.offsets[:-1]], np.diff(self.offsets))
        self.total = c[self.offsets[1:]] - c[self.offsets[:-1]]

    def at(self, w: int, t_s) -> np.ndarray:
        """Value of window ``w`` accrued from its first sample up to times ``t_s``. [1]"""
        t_s = np.asarray(t_s, float)
        lo, hi = self.offsets[w], self.offsets[w + 1]
        if hi == lo:
            return np.zeros_like(t_s)
        xs = np.append(self.t[lo:hi], self.end_s[w])
        ys = np.append(self.cum_before[lo:hi], self.total[w])
        out = np.interp(t_s, xs, ys, left=0.0, right=self.total[w])
        return np.where(t_s >= self.end_s[w], self.total[w], out)

    def wanted(self) -> np.ndarray:
        """Value of each whole window, [start, end]. [1]"""
        return np.array([self.total[w] - self.at(w, self.start_s[w]) for w in range(self.total.size)])


# -------------------------------------------------------------------------------- components

def components(satellite, stations, start_s, end_s, horizon_s: float) -> np.ndarray:
    """Label of the independent group of each window.

    Two windows are linked when they use a common resource (the same satellite, or a common
    station) and come within ``horizon_s`` of each other (the largest retarget time: a switch
    between them could cost dead time). Labels are numbered in order of the groups' first start.
    """
    n = len(start_s)
    if n == 0:
        return np.empty(0, np.int64)
    start_s, end_s = np.asarray(start_s, float), np.asarray(end_s, float)
    sat = np.asarray(satellite, np.int64)
    sta = np.asarray(stations, np.int64)
    off = int(sat.max()) + 1
    # (resource, window) pairs: the satellite, then each station (offset past the satellites)
    key = np.concatenate([sat, *(np.where(c >= 0, c + off, -1) for c in sta.T)])
    win = np.tile(np.arange(n), 1 + sta.shape[1])
    ok = key >= 0
    key, win = key[ok], win[ok]
    order = np.lexsort((win, start_s[win], key))
    key, win = key[order], win[order]
    src, dst = [], []
    if win.size > 1:
        same = key[1:] == key[:-1]
        run_end = np.empty(win.size)  # running maximum of the ends, restarted at each new resource
        seg = np.concatenate([[0], np.flatnonzero(~same) + 1, [win.size]])
        for a, b in itertools.pairwise(seg):
            run_end[a:b] = np.maximum.accumulate(end_s[win[a:b]])
        link = same & (start_s[win[1:]] < run_end[:-1] + horizon_s)
        src.append(win[1:][link])
        dst.append(win[:-1][link])
    if src:
        s, d = np.concatenate(src), np.concatenate(dst)
    else:
        s = d = np.empty(0, np.int64)
    g = coo_matrix((np.ones(s.size), (s, d)), shape=(n, n))
    _, lab = connected_components(g, directed=False)
    first = np.full(lab.max() + 1, np.inf)
    np.minimum.at(first, lab, start_s)
    rank = np.empty_like(lab)
    rank[np.lexsort((np.arange(first.size), first))] = np.arange(first.size)
    return rank[lab]


# ------------------------------------------------------------------------------- a component

@dataclass(frozen=True)
class Component:
    """One group of windows cut into segments ``[tau[k], tau[k+1])``, with everything its solvers
    need (a component is solved on its own, possibly in another process).

    Windows are in local order (by start, then global index); ``k0[i]:k1[i]`` are the segments
    window ``i`` covers; ``target_lane[i]`` is what a lane of its satellite points at (the station
    set), ``sat[i]`` and ``stations[i]`` (two columns, -1 for none) its resources, ``lanes[i]`` the
    number of lanes of its satellite. ``grid`` refines the segment boundaries with every boundary
    plus every retarget time of the component's resources (where a switch made at a boundary lands,
    ready); ``tau == grid[pk]``; ``cum_grid[i, g] = C_i(grid[g])``. ``retarget_sat_s`` and
    ``retarget_station_s`` are the retarget times of every satellite and station (global indices). [s]
    """

    windows: np.ndarray
    tau: np.ndarray
    k0: np.ndarray
    k1: np.ndarray
    sat: np.ndarray
    stations: np.ndarray
    target_lane: np.ndarray
    lanes: np.ndarray
    grid: np.ndarray
    pk: np.ndarray
    cum_grid: np.ndarray
    retarget_sat_s: np.ndarray
    retarget_station_s: np.ndarray

    @property
    def n(self) -> int:
        """Windows in the component."""
        return self.windows.size

    @property
    def n_segments(self) -> int:
        """Segments the component's windows are cut into."""
        return self.tau.size - 1

    @property
    def cum(self) -> np.ndarray:
        """``cum[i, k] = C_i(tau[k])``: each window's cumulative value at the segment boundaries. [1]"""
        return self.cum_grid[:, self.pk]

    def single_lane(self) -> bool:
        """One satellite with one lane: the lane alone decides (stations follow)."""
        return bool(np.all(self.sat == self.sat[0]) and self.lanes[0] == 1)

    def at_grid(self, t_s) -> np.ndarray:
        """Index in ``grid`` of each time ``t_s``, which must be grid points (a boundary, or a boundary
        plus a retarget time of the component). [1]"""
        t_s = np.asarray(t_s, float)
        g = np.minimum(np.searchsorted(self.grid, t_s), self.grid.size - 1)
        if not np.all(self.grid[g] == t_s):  # pragma: no cover - the grid holds every such time
            raise RuntimeError("a landing time is missing from the component's grid")
        return g


def cut_times(start_s, end_s, satellite, stations, retarget_sat_s, retarget_station_s) -> np.ndarray:
    """Every time a decision may be taken: the window edges, and each window's start less the
    retarget time of each of its resources (leaving the previous target then makes the resource
    ready exactly when the window opens). Sorted, distinct. [s]"""
    ready = [start_s - retarget_sat_s[satellite]]
    for col in np.asarray(stations).T:
        ok = col >= 0
        ready.append(start_s[ok] - retarget_station_s[col[ok]])
    return np.unique(np.concatenate([start_s, end_s, *ready]))


def build_component(win: np.ndarray, start_s, end_s, satellite, stations, lanes_of_sat,
                    curves: ValueCurves, cuts: np.ndarray, retarget_sat_s, retarget_station_s) -> Component:
    """Segments of one group of windows (global indices ``win``): the ``cuts`` within its span,
    refined by the landing times of its resources' retargets."""
    win = win[np.lexsort((win, start_s[win]))]
    lo, hi = start_s[win].min(), end_s[win].max()
    tau = cuts[np.searchsorted(cuts, lo):np.searchsorted(cuts, hi, side="right")]
    k0 = np.searchsorted(tau, start_s[win])
    k1 = np.searchsorted(tau, end_s[win])
    st = np.sort(stations[win], axis=1)[:, ::-1]  # larger first: -1 last
    _, target = np.unique(st, axis=0, return_inverse=True)
    sat = satellite[win]
    used = stations[win][stations[win] >= 0]
    r = np.unique(np.concatenate([retarget_sat_s[sat], retarget_station_s[used]]))
    grid = np.unique(np.concatenate([tau, *(tau + x for x in r[r > 0])]))
    grid = grid[grid <= tau[-1]]
    cum_grid = np.vstack([curves.at(int(w), grid) for w in win])
    return Component(win, tau, k0, k1, sat, stations[win], target.ravel(), lanes_of_sat[sat], grid,
                     np.searchsorted(grid, tau), cum_grid, np.asarray(retarget_sat_s, float),
                     np.asarray(retarget_station_s, float))


# --------------------------------------------------------------------------------- solutions

@dataclass(frozen=True)
class Solution:
    """One component's assignment (lane serving each window in each segment), its objective, how
    it was solved and the proven relative gap."""

    lane: np.ndarray  # (n, K) lane serving window i in segment k, -1 none
    objective: float  # the solver's own value of the weighted objective [1]
    method: str  # "dp", "milp"
    status: str  # "optimal", or what HiGHS said
    gap: float  # relative optimality gap proven by the solver [1]


# -------------------------------------------------------------------------------- evaluation

@dataclass(frozen=True)
class Evaluation:
    """What an assignment delivers (per local window) and its contacts."""

    value: np.ndarray  # delivered value per window [1]
    scheduled_s: np.ndarray  # contact time per window (dead time included) [s]
    delivering_s: np.ndarray  # contact time after dead time [s]
    contacts: list  # (local window, lane, start_s, end_s, delivering_from_s, value)


def evaluate(comp: Component, lane: np.ndarray, curves: ValueCurves) -> Evaluation:
    """Replay an assignment exactly.

    ``lane[i, k]`` is the lane of window ``i``'s satellite that serves it in segment ``k`` (-1:
    not served). Each resource (a lane of a satellite; a station) remembers its last target, the
    end of the last segment it served it, and until when it is blind: when it takes up a target
    different from its last one, it is blind until that end plus its retarget time. A contact
    delivers only where none of its resources is blind.
    """
    n, K = lane.shape
    tau, cum = comp.tau, comp.cum
    retarget_sat_s, retarget_station_s = comp.retarget_sat_s, comp.retarget_station_s
    last_target: dict = {}
    last_end: dict = {}
    blind: dict = {}
    value = np.zeros(n)
    sched = np.zeros(n)
    deliv = np.zeros(n)
    contacts: list[tuple] = []
    open_contact: dict = {}
    for k in range(K):
        served = np.flatnonzero(lane[:, k] >= 0)
        for i in served:
            s, ln = int(comp.sat[i]), int(lane[i, k])
            res: list[tuple[tuple, int, float]] = [(("L", s, ln), int(comp.target_lane[i]), float(retarget_sat_s[s]))]
            res += [(("G", int(g)), s, float(retarget_station_s[g])) for g in comp.stations[i] if g >= 0]
            b = -np.inf
            for key, tgt, r in res:
                if key in last_target and last_target[key] != tgt:
                    blind[key] = max(blind.get(key, -np.inf), last_end[key] + r)
                last_target[key] = tgt
                b = max(b, blind.get(key, -np.inf))
            lo = min(max(tau[k], b), tau[k + 1])
            c = curves.at(int(comp.windows[i]), [lo])[0] if lo > tau[k] else cum[i, k]
            got = cum[i, k + 1] - c
            value[i] += got
            sched[i] += tau[k + 1] - tau[k]
            deliv[i] += tau[k + 1] - lo
            key = (int(i), ln)
            if key in open_contact and open_contact[key][1] == k:
                c0 = open_contact[key][0]
                _, _, a, b0, d0, v0 = contacts[c0]
                contacts[c0] = (int(i), ln, a, tau[k + 1], d0 if d0 < b0 else lo, v0 + got)  # still blind: later
            else:
                contacts.append((int(i), ln, tau[k], tau[k + 1], lo, got))
                c0 = len(contacts) - 1
            open_contact[key] = (c0, k + 1)
        for i in served:  # resources busy in k end at tau[k+1]
            s, ln = int(comp.sat[i]), int(lane[i, k])
            last_end[("L", s, ln)] = tau[k + 1]
            for g in comp.stations[i]:
                if g >= 0:
                    last_end[("G", int(g))] = tau[k + 1]
    return Evaluation(value, sched, deliv, contacts)


# ------------------------------------------------------------------------------- first come

def first_come(comp: Component) -> np.ndarray:
    """The naive baseline: in order of start (then index), a window takes its resources as soon as
    they are all free (the lowest free lane of its satellite) and keeps them until it ends."""
    n, K = comp.n, comp.n_segments
    lane = np.full((n, K), -1, dtype=np.int64)
    lane_free_at: dict = {}
    station_free_at: dict = {}
    started = np.zeros(n, bool)
    for k in range(K):
        for i in range(n):  # local order is by start, then index
            if started[i] or not (comp.k0[i] <= k < comp.k1[i]):
                continue
            gs = [int(g) for g in comp.stations[i] if g >= 0]
            if any(station_free_at.get(g, 0) > k for g in gs):
                continue
            s = int(comp.sat[i])
            free = [ln for ln in range(int(comp.lanes[i])) if lane_free_at.get((s, ln), 0) <= k]
            if not free:
                continue
            ln = free[0]
            lane[i, k:comp.k1[i]] = ln
            started[i] = True
            lane_free_at[(s, ln)] = int(comp.k1[i])
            for g in gs:
                station_free_at[g] = int(comp.k1[i])
    return lane


def lost_to(comp: Component, lane: np.ndarray) -> list[tuple[int, ...]]:
    """Per local window: global indices of the windows served in a segment where it was open but not
    served, and that share its satellite or a station with it (dead time is not listed here)."""
    K = lane.shape[1]
    k = np.arange(K)
    waiting = (k >= comp.k0[:, None]) & (k < comp.k1[:, None]) & (lane < 0)  # open, not served
    served = (lane >= 0).astype(np.int64)
    st = comp.stations
    share = comp.sat[:, None] == comp.sat[None, :]
    for a in range(st.shape[1]):
        for b in range(st.shape[1]):
            share |= (st[:, a, None] == st[None, :, b]) & (st[:, a, None] >= 0)
    took = (waiting.astype(np.int64) @ served.T > 0) & share
    order = np.argsort(comp.windows, kind="stable")  # takers listed by global index
    return [tuple(int(w) for w in comp.windows[order][took[i, order]]) for i in range(lane.shape[0])]
