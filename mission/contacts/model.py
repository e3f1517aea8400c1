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
  :func:`build_components` builds every component of a plan in one vectorised pass.
* :func:`evaluate` is the ground truth of the model: given which lane serves which window in each
  segment it replays every resource in time order and returns what each contact delivers. All
  solvers are checked against it.
* :func:`first_come` is the naive baseline policy.
"""
from __future__ import annotations

import functools
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
        # np.interp's knots of window w are its samples, then its end: in order when every sample
        # comes before its window's end (otherwise: np.interp, for that window's queries only)
        late = self.t >= np.repeat(self.end_s, np.diff(self.offsets))
        self._unsorted = np.bincount(np.repeat(np.arange(self.end_s.size), np.diff(self.offsets))[late],
                                     minlength=self.end_s.size) > 0

    def at(self, w, t_s) -> np.ndarray:
        """Value of window ``w`` (an index, or one per time) accrued from its first sample up to
        times ``t_s``: ``np.interp`` through its samples and its end, 0 before the first sample and
        the window's total from its end on (a window without samples: 0). [1]"""
        t_s = np.asarray(t_s, float)
        w = np.broadcast_to(np.asarray(w, np.int64), t_s.shape)
        if self.t.size == 0:  # no window has samples
            return np.zeros(t_s.shape)
        out = self._at_sorted(w, t_s)
        odd = self._unsorted[w]
        if np.any(odd):  # knots out of order in these windows: np.interp, one query at a time
            out = np.array(out, dtype=float, copy=True)
            out[odd] = [self._interp(int(a), b) for a, b in zip(w[odd], t_s[odd])]
        return out

    def _at_sorted(self, w: np.ndarray, t_s: np.ndarray) -> np.ndarray:
        """:meth:`at` where each window's samples come before its end: all queries at once, as
        ``np.interp`` computes each. [1]"""
        first, stop = self.offsets[w], self.offsets[w + 1]
        j = self._samples_up_to(first, stop, t_s) - 1  # the last sample at or before t_s
        end, total = self.end_s[w], self.total[w]
        inside = (j >= first) & (t_s < end)
        j = np.minimum(np.where(inside, j, first), self.t.size - 1)  # (a window without samples: any)
        nxt = np.clip(j + 1, 0, np.maximum(stop - 1, 0))
        last = j + 1 >= stop  # between the last sample and the end
        x0, y0 = self.t[j], self.cum_before[j]
        x1 = np.where(last, end, self.t[nxt])
        y1 = np.where(last, total, self.cum_before[nxt])
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            # as np.interp computes it (numpy/_core/src/multiarray/compiled_base.c, arr_interp)
            slope = (y1 - y0) / (x1 - x0)
            v = slope * (t_s - x0) + y0
            bad = np.isnan(v)
            if np.any(bad):  # non-finite one way: the other way, or the common value
                v2 = slope * (t_s - x1) + y1
                v = np.where(bad, np.where(np.isnan(v2) & (y0 == y1), y0, v2), v)
        v = np.where(x0 == t_s, y0, v)
        out = np.where(inside, v, np.where(t_s >= end, total, 0.0))
        return np.where(stop > first, np.where(np.isnan(t_s), t_s, out), 0.0)

    def _samples_up_to(self, first: np.ndarray, stop: np.ndarray, t_s: np.ndarray) -> np.ndarray:
        """Per query, the index past the last sample in ``first:stop`` whose time is <= ``t_s``
        (``np.searchsorted(..., side="right")`` within each query's own window): a bisection of all
        queries at once. [1]"""
        lo, hi = first.copy(), stop.copy()
        top = self.t.size - 1
        active = lo < hi
        while np.any(active):
            mid = (lo + hi) // 2
            go = self.t[np.minimum(mid, top)] <= t_s
            lo = np.where(active & go, mid + 1, lo)
            hi = np.where(active & ~go, mid, hi)
            active = lo < hi
        return lo

    def _interp(self, w: int, t_s: float) -> float:
        """``at`` of one time, by ``np.interp`` (knots out of order: a sample at or after its window's
        end). [1]"""
        lo, hi = self.offsets[w], self.offsets[w + 1]
        if hi == lo:
            return 0.0
        xs = np.append(self.t[lo:hi], self.end_s[w])
        ys = np.append(self.cum_before[lo:hi], self.total[w])
        out = np.interp(t_s, xs, ys, left=0.0, right=self.total[w])
        return float(self.total[w] if t_s >= self.end_s[w] else out)

    def wanted(self) -> np.ndarray:
        """Value of each whole window, [start, end]. [1]"""
        return self.total - self.at(np.arange(self.total.size), self.start_s)


def _complex_key(index, t_s) -> np.ndarray:
    """``index + 1j * t_s`` without arithmetic (an infinite time stays exact): numpy orders complex
    numbers by real part, then imaginary part."""
    key = np.empty(np.shape(t_s), complex)
    key.real, key.imag = index, t_s
    return key


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

    @functools.cached_property
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


def _ranges(first, count) -> np.ndarray:
    """``first[j], first[j] + 1, ..., first[j] + count[j] - 1`` for every ``j``, one after another
    (``payload.ragged.ranges``: the contact plan imports nothing from the other layers). [1]"""
    ends = np.cumsum(count)
    return np.arange(ends[-1] if ends.size else 0) - np.repeat(ends - count - first, count)


def _run_starts(*keys) -> np.ndarray:
    """Where each run of equal rows of sorted ``keys`` (arrays of the same length) begins."""
    out = np.zeros(len(keys[0]), bool)
    out[:1] = True
    for k in keys:
        differ = k[1:] != k[:-1]
        out[1:] |= differ if differ.ndim == 1 else differ.any(axis=1)
    return out


def build_components(label: np.ndarray, start_s, end_s, satellite, stations, lanes_of_sat, curves: ValueCurves,
                     cuts: np.ndarray, retarget_sat_s, retarget_station_s) -> dict[int, Component]:
    """The segments of every component of several windows (``label`` per window, from
    :func:`components`), by label: each component's ``cuts`` within its span, refined by the landing
    times of its resources' retargets, and its windows' value at every grid time. All components at
    once: a few sorts over all the windows rather than a few dozen small calls per component."""
    start_s, end_s = np.asarray(start_s, float), np.asarray(end_s, float)
    retarget_sat_s, retarget_station_s = np.asarray(retarget_sat_s, float), np.asarray(retarget_station_s, float)
    size = np.bincount(label) if label.size else np.zeros(0, np.int64)
    win = np.flatnonzero(size[label] > 1)
    if win.size == 0:
        return {}
    win = win[np.lexsort((win, start_s[win], label[win]))]  # by component, then local order (start, index)
    cid = label[win]
    first = np.flatnonzero(_run_starts(cid))
    n_win = np.diff(np.append(first, win.size))
    of = np.repeat(np.arange(first.size), n_win)  # each window's component, counted from 0
    # segments: the cuts within each component's span
    a = np.searchsorted(cuts, start_s[win[first]])
    e = np.searchsorted(cuts, np.maximum.reduceat(end_s[win], first), side="right")
    k0 = np.searchsorted(cuts, start_s[win]) - a[of]
    k1 = np.searchsorted(cuts, end_s[win]) - a[of]
    # targets: a lane's station set, numbered in each component in sorted order of the sets
    sta = stations[win]
    st = np.sort(sta, axis=1)[:, ::-1]  # larger first: -1 last
    o = np.lexsort((*st.T[::-1], of))
    rank = np.cumsum(_run_starts(of[o], st[o])) - 1
    target = np.empty(win.size, np.int64)
    target[o] = rank - rank[_run_starts(of[o])][of[o]]
    # grid: every boundary plus every distinct positive retarget time of the component's resources
    sat = satellite[win]
    used = sta >= 0
    rc = np.concatenate([of, np.broadcast_to(of[:, None], sta.shape)[used]])
    rv = np.concatenate([retarget_sat_s[sat], retarget_station_s[sta[used]]])
    rc, rv = rc[rv > 0], rv[rv > 0]
    o = np.lexsort((rv, rc))
    rc, rv = rc[o], rv[o]
    fresh = _run_starts(rc, rv)
    rc, rv = rc[fresh], rv[fresh]
    n_tau = e - a
    tau_of = np.repeat(np.arange(first.size), n_tau)
    tau = cuts[_ranges(a, n_tau)]
    gc = np.concatenate([tau_of, np.repeat(rc, n_tau[rc])])
    gv = np.concatenate([tau, cuts[_ranges(a[rc], n_tau[rc])] + np.repeat(rv, n_tau[rc])])
    keep = gv <= cuts[e - 1][gc]
    gc, gv = gc[keep], gv[keep]
    o = np.lexsort((gv, gc))
    gc, gv = gc[o], gv[o]
    fresh = _run_starts(gc, gv)
    gc, gv = gc[fresh], gv[fresh]
    g_first = np.searchsorted(gc, np.arange(first.size + 1))
    pk = np.searchsorted(_complex_key(gc, gv), _complex_key(tau_of, tau)) - g_first[tau_of]
    # each window's value at each grid time of its component
    n_grid = np.diff(g_first)
    cum = curves.at(np.repeat(win, n_grid[of]), gv[_ranges(g_first[of], n_grid[of])])
    c_first = np.concatenate([[0], np.cumsum(n_win * n_grid)])
    t_first = np.concatenate([[0], np.cumsum(n_tau)])
    lanes = lanes_of_sat[sat]
    out = {}
    for j, (w0, w1) in enumerate(zip(first.tolist(), (first + n_win).tolist())):
        out[int(cid[w0])] = Component(
            win[w0:w1], tau[t_first[j]:t_first[j + 1]], k0[w0:w1], k1[w0:w1], sat[w0:w1], sta[w0:w1], target[w0:w1],
            lanes[w0:w1], gv[g_first[j]:g_first[j + 1]], pk[t_first[j]:t_first[j + 1]],
            cum[c_first[j]:c_first[j + 1]].reshape(w1 - w0, -1), retarget_sat_s, retarget_station_s)
    return out


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

    (Plain Python floats and lists: the same operations, in the same order, as on numpy scalars,
    for a fraction of the overhead. A contact's first delivering time is a boundary plus a retarget
    time, a point of the component's grid, whose value is already in ``cum_grid``.)
    """
    n, K = lane.shape
    tau = comp.tau.tolist()
    cum = comp.cum.tolist()
    grid = {t: g for g, t in enumerate(comp.grid.tolist())}
    cum_grid = comp.cum_grid
    windows = comp.windows.tolist()
    retarget_sat_s, retarget_station_s = comp.retarget_sat_s.tolist(), comp.retarget_station_s.tolist()
    resources = [[(("L", s), t, retarget_sat_s[s]), *((("G", g), s, retarget_station_s[g]) for g in row if g >= 0)]
                 for s, t, row in zip(comp.sat.tolist(), comp.target_lane.tolist(), comp.stations.tolist())]
    last_target: dict = {}
    last_end: dict = {}
    blind: dict = {}
    value = [0.0] * n
    sched = [0.0] * n
    deliv = [0.0] * n
    contacts: list[tuple] = []
    open_contact: dict = {}
    busy = lane >= 0
    for k in np.flatnonzero(busy.any(axis=0)).tolist():
        served = [(i, ln) for i, ln in enumerate(lane[:, k].tolist()) if ln >= 0]
        t0, t1 = tau[k], tau[k + 1]
        for i, ln in served:
            b = -np.inf
            for (kind, x), tgt, r in resources[i]:
                key = (kind, x, ln) if kind == "L" else (kind, x)
                if key in last_target and last_target[key] != tgt:
                    blind[key] = max(blind.get(key, -np.inf), last_end[key] + r)
                last_target[key] = tgt
                b = max(b, blind.get(key, -np.inf))
            lo = min(max(t0, b), t1)
            if lo > t0:
                g = grid.get(lo)
                c = float(cum_grid[i, g]) if g is not None else float(curves.at(windows[i], [lo])[0])
            else:
                c = cum[i][k]
            got = cum[i][k + 1] - c
            value[i] += got
            sched[i] += t1 - t0
            deliv[i] += t1 - lo
            held = (i, ln)
            if held in open_contact and open_contact[held][1] == k:
                c0 = open_contact[held][0]
                _, _, a, b0, d0, v0 = contacts[c0]
                contacts[c0] = (i, ln, a, t1, d0 if d0 < b0 else lo, v0 + got)  # still blind: later
            else:
                contacts.append((i, ln, t0, t1, lo, got))
                c0 = len(contacts) - 1
            open_contact[held] = (c0, k + 1)
        for i, ln in served:  # resources busy in k end at tau[k+1]
            for (kind, x), _, _ in resources[i]:
                last_end[(kind, x, ln) if kind == "L" else (kind, x)] = t1
    return Evaluation(np.array(value), np.array(sched), np.array(deliv), contacts)


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
    took = waiting.astype(np.int64) @ served.T > 0
    if not np.all(comp.sat == comp.sat[0]):  # (windows of one satellite all share it)
        st = comp.stations
        share = comp.sat[:, None] == comp.sat[None, :]
        for a in range(st.shape[1]):
            for b in range(st.shape[1]):
                share |= (st[:, a, None] == st[None, :, b]) & (st[:, a, None] >= 0)
        took &= share
    order = np.argsort(comp.windows, kind="stable")  # takers listed by global index
    ids, took = comp.windows[order].tolist(), took[:, order].tolist()
    return [tuple(w for w, t in zip(ids, row) if t) for row in took]
