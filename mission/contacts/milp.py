"""The exact solver of any component (several satellites or lanes, stations shared between
satellites): an integer programme in which the retarget dead time is a time-expanded network per
resource, with no big-M rows.

Time is the component's grid: its segment boundaries ``tau`` refined with every boundary plus a
retarget time (where a switch lands, ready). Resources are each lane ``(s, l)`` of each satellite
(its targets: station sets) and each station (its targets: satellites).

Variables and rows
------------------
* ``w[u, q]`` (binary): service ``u`` (window ``i`` on lane ``l``) delivers over grid interval
  ``q``; the objective is ``sum weight_i * (C_i(grid[q+1]) - C_i(grid[q])) * w[u, q]``.
* For each resource with two or more targets and a positive retarget time ``R``, a unit of flow
  through states over time: *ready on target T* (``hold[T, q]``), *unpointed* (the start: it may
  enter any target at once, ``enter[T, p]``, at most once in all), and *slewing*: leaving target
  ``T`` at a segment boundary ``tau_j`` (``out[T, j]``) it arrives at ``tau_j + R`` and may take up
  any target there (``in[T', a]``). Rows: flow out of a state at a point is at most the flow in
  (conservation, ``<=``: a unit may stop); what arrives at ``a`` is at most what left ``R`` before.
* Linking: the services of one target of one resource deliver together at most what is ready on it,
  ``sum_u w[u, q] <= hold[T, q]`` (a resource that never retargets: ``sum_u w[u, q] <= 1``).
* A contact starts and ends at segment boundaries only, as in :func:`.model.evaluate`: where two
  services could hand a resource over inside a segment without a retarget (same target), a service
  variable ``x[u, k] >= w[u, q]`` (``q`` in segment ``k``) and ``sum_u x[u, k] <= 1``.

Why it is exact. A delivery needs each of its resources ready on its target; a resource that served
another target last is ready again only ``R`` after it left it, and it leaves a target only at a
boundary after its last service there, which is the blind rule of :func:`.model.evaluate` (the
refined grid holds every time a resource becomes ready). Leaving later than the last service, or
stopping, only costs. So the integer programme's optimum is the model's, and its assignment,
replayed by :func:`.model.evaluate`, delivers at least its objective.

Why it is tight. A resource's states form a network (its flow polytope is integral); the only
fractional freedom left in the LP relaxation is in how windows share resources. On the shared-station
groups of the benchmarks the relaxation's optimum is integral (all but one of the 252 groups of the
Walker 2 x 2 q4s year and of the 991 of the 4 x 2), so the integer programme is solved by one LP
(gap 0); where it is not, HiGHS's branch and bound finishes it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix

from .highs import quiet_stdout
from .model import Component, Solution


class _Rows:
    """A sparse ``A x <= b`` under construction, and the variables' objective and bounds."""

    def __init__(self):
        self.n_var = 0
        self.obj: list[np.ndarray] = []
        self.ub: list[np.ndarray] = []
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        self.n_row = 0

    @staticmethod
    def _fill(value, count: int) -> np.ndarray:
        return np.full(count, float(value)) if np.ndim(value) == 0 else np.asarray(value, float)

    def variables(self, count: int, obj=0.0, ub=1.0) -> np.ndarray:
        first = self.n_var
        self.n_var += count
        self.obj.append(self._fill(obj, count))
        self.ub.append(self._fill(ub, count))
        return np.arange(first, first + count)

    def rows(self, count: int, rhs) -> int:
        first = self.n_row
        self.n_row += count
        self.b.append(self._fill(rhs, count))
        return first

    def entries(self, row, col, val) -> None:
        row, col = np.asarray(row, np.int64), np.asarray(col, np.int64)
        row = np.full(col.shape, row) if row.ndim == 0 else row
        self.r.append(row)
        self.c.append(col)
        self.v.append(self._fill(val, row.size))

    def matrices(self):
        def cat(parts):
            return np.concatenate(parts) if parts else np.empty(0)

        A = coo_matrix((cat(self.v), (cat(self.r).astype(np.int64), cat(self.c).astype(np.int64))),
                       shape=(self.n_row, self.n_var)).tocsr()
        return cat(self.obj), cat(self.ub), A, cat(self.b)


@dataclass(frozen=True)
class _Services:
    """Every (window, lane) pair of the component and its delivery variables."""

    win: np.ndarray  # window of each service
    lane: np.ndarray  # lane of each service
    w_svc: np.ndarray  # service of each delivery variable
    w_q: np.ndarray  # grid interval of each delivery variable
    w_col: np.ndarray  # column of each delivery variable


def _services(comp: Component, weight: np.ndarray, lp: _Rows, scale: float) -> _Services:
    lanes = comp.lanes.astype(np.int64)
    win = np.repeat(np.arange(comp.n), lanes)
    lane = np.arange(win.size) - np.repeat(np.cumsum(lanes) - lanes, lanes)
    q0, q1 = comp.pk[comp.k0[win]], comp.pk[comp.k1[win]]
    length = q1 - q0
    w_svc = np.repeat(np.arange(win.size), length)
    w_q = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length) + np.repeat(q0, length)
    value = (weight[:, None] * np.diff(comp.cum_grid, axis=1) * scale)[win[w_svc], w_q]
    keep = value > 0
    w_svc, w_q, value = w_svc[keep], w_q[keep], value[keep]
    return _Services(win, lane, w_svc, w_q, lp.variables(w_svc.size, -value))


@dataclass(frozen=True)
class _Groups:
    """Each service's (resource, target) groups: one column per resource kind (its lane, its first
    and second station), -1 where none. Per group: its resource, whether that resource retargets
    (a network) and the span of grid points of its services."""

    of_svc: np.ndarray  # (n_svc, 3) group ids
    resource: np.ndarray  # resource of each group
    network: np.ndarray  # bool per group
    pa: np.ndarray
    pb: np.ndarray
    retarget_s: np.ndarray  # per resource [s]


def _groups(comp: Component, sv: _Services) -> _Groups:
    win, sat = sv.win, comp.sat[sv.win]
    max_lanes = int(comp.lanes.max())
    lane_res = sat * max_lanes + sv.lane
    sta = comp.stations[win]
    n_sat_ids = int(comp.retarget_sat_s.size) * max_lanes
    res = np.column_stack([lane_res, np.where(sta >= 0, n_sat_ids + sta, -1)])
    tgt = np.column_stack([comp.target_lane[win], sat, sat])
    r_of_res = np.concatenate([np.repeat(comp.retarget_sat_s, max_lanes), comp.retarget_station_s])
    ok = res >= 0
    n_tgt: dict[int, set] = {}
    for r, t in zip(res[ok].tolist(), tgt[ok].tolist()):
        n_tgt.setdefault(r, set()).add(t)
    networked = {r for r, ts in n_tgt.items() if len(ts) > 1 and r_of_res[r] > 0}
    # resources that never retarget here: one group each (capacity only)
    tgt = np.where(np.isin(res, list(networked)), tgt, 0)
    key = np.where(ok, res * (int(tgt.max()) + 1) + tgt, -1)
    uniq, inv = np.unique(key[ok], return_inverse=True)
    of_svc = np.full(res.shape, -1, np.int64)
    of_svc[ok] = inv.ravel()
    resource = uniq // (int(tgt.max()) + 1)
    q0, q1 = comp.pk[comp.k0[win]], comp.pk[comp.k1[win]]
    pa = np.full(uniq.size, np.iinfo(np.int64).max)
    pb = np.zeros(uniq.size, np.int64)
    for c in range(3):
        m = of_svc[:, c] >= 0
        np.minimum.at(pa, of_svc[m, c], q0[m])
        np.maximum.at(pb, of_svc[m, c], q1[m])
    return _Groups(of_svc, resource, np.isin(resource, list(networked)), pa, pb, r_of_res)


def _link_rows(lp: _Rows, sv: _Services, gr: _Groups, M: int) -> np.ndarray:
    """``sum_u w[u, q] <= hold[g, q]`` (networked groups) or ``<= 1``. Returns the column of
    ``hold[g, pa[g]]`` per group (-1: not networked); ``hold[g, q]`` is that plus ``q - pa[g]``."""
    grp = np.concatenate([gr.of_svc[sv.w_svc, c] for c in range(3)])
    col = np.tile(sv.w_col, 3)
    q = np.tile(sv.w_q, 3)
    ok = grp >= 0
    grp, col, q = grp[ok], col[ok], q[ok]
    keys, row_of, count = np.unique(grp * M + q, return_inverse=True, return_counts=True)
    row_of = row_of.ravel()
    net = gr.network[keys // M]
    keep = net | (count > 1)  # a lone delivery on a resource that never retargets: w <= 1 already
    new_row = np.cumsum(keep) - 1
    first = lp.rows(int(keep.sum()), np.where(net[keep], 0.0, 1.0))
    lp.entries(first + new_row[row_of][keep[row_of]], col[keep[row_of]], 1.0)
    span = np.where(gr.network, gr.pb - gr.pa, 0)
    hold0 = np.where(gr.network, lp.variables(int(span.sum()), ub=np.inf)[0] + np.cumsum(span) - span
                     if span.sum() else -1, -1)
    nk = keys[keep & net]
    lp.entries(first + new_row[keep & net], hold0[nk // M] + nk % M - gr.pa[nk // M], -1.0)
    return hold0


def _network_rows(lp: _Rows, comp: Component, gr: _Groups, hold0: np.ndarray) -> None:
    """Each networked resource's flow, per target: conservation at each point of its span (hold in,
    hold out, the one entry from the unpointed start at the span's first point, departures at
    boundaries, arrivals ``R`` after them, which may wait for the span to open); what arrives at a
    point is at most what left ``R`` before; one entry in all."""
    grid, pk, tau = comp.grid, comp.pk, comp.tau
    for r in np.unique(gr.resource[gr.network]).tolist():
        gs = np.flatnonzero(gr.network & (gr.resource == r))
        pa, pb = gr.pa[gs], gr.pb[gs]
        R = float(gr.retarget_s[r])
        land = np.searchsorted(grid, tau + R)
        ok = (land < pb.max()) & (tau + R <= grid[-1])  # departures that land, ready, while a target is open
        n_pts = pb - pa + 1
        row0 = lp.rows(int(n_pts.sum()), 0.0) + np.cumsum(n_pts) - n_pts  # conservation row of (g, pa[g])
        span = pb - pa
        g_of_q = np.repeat(np.arange(gs.size), span)
        q_off = np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span)
        h = hold0[gs][g_of_q] + q_off
        lp.entries(row0[g_of_q] + q_off, h, 1.0)  # hold[q] leaves point q
        lp.entries(row0[g_of_q] + q_off + 1, h, -1.0)  # and arrives at point q + 1
        enter = lp.variables(gs.size, ub=np.inf)
        lp.entries(row0, enter, -1.0)
        lp.entries(lp.rows(1, 1.0), enter, 1.0)
        dep = ok[None, :] & (pk[None, :] > pa[:, None]) & (pk[None, :] <= pb[:, None])  # (group, boundary)
        dg, dj = np.nonzero(dep)
        out = lp.variables(dg.size, ub=np.inf)
        lp.entries(row0[dg] + pk[dj] - pa[dg], out, 1.0)
        arrivals = np.unique(land[ok])
        arr = arrivals[None, :] < pb[:, None]
        ag, ai = np.nonzero(arr)
        inn = lp.variables(ag.size, ub=np.inf)
        lp.entries(row0[ag] + np.maximum(arrivals[ai], pa[ag]) - pa[ag], inn, -1.0)
        pool = lp.rows(arrivals.size, 0.0)  # per arrival point: sum in <= sum out
        lp.entries(pool + ai, inn, 1.0)
        lp.entries(pool + np.searchsorted(arrivals, land[dj]), out, -1.0)


def _handover_rows(lp: _Rows, comp: Component, sv: _Services, gr: _Groups) -> None:
    """Where two services of one target of one resource may both be open in a segment, one serves
    it at most (contacts begin and end at segment boundaries): ``w <= x``, ``sum x <= 1``."""
    seg = np.searchsorted(comp.pk, sv.w_q, side="right") - 1  # segment of each delivery variable
    K = comp.n_segments
    svc = np.tile(np.arange(sv.win.size), 3)
    grp = gr.of_svc.T.ravel()
    ok = grp >= 0
    svc, grp = svc[ok], grp[ok]
    lane_res = gr.resource[gr.of_svc[:, 0]]
    groups_k: list[tuple[int, np.ndarray]] = []
    for g in np.unique(grp):
        members = np.unique(svc[grp == g])
        if members.size < 2:
            continue
        if gr.resource[g] != lane_res[members[0]] and np.all(lane_res[members] == lane_res[members[0]]) \
                and gr.network[gr.of_svc[members[0], 0]] \
                and np.unique(comp.target_lane[sv.win[members]]).size == members.size:
            continue  # a station's services on one retargeting lane, each its own station set: no hand-over
        k0, k1 = comp.k0[sv.win[members]], comp.k1[sv.win[members]]
        open_ = (np.arange(K)[:, None] >= k0) & (np.arange(K)[:, None] < k1)
        for k in np.flatnonzero(open_.sum(axis=1) > 1).tolist():
            groups_k.append((k, members[open_[k]]))
    if not groups_k:
        return
    xs: dict[tuple[int, int], int] = {}
    for k, members in groups_k:
        row = lp.rows(1, 1.0)
        for u in members.tolist():
            if (u, k) not in xs:
                xs[u, k] = int(lp.variables(1)[0])
        lp.entries(np.full(members.size, row), [xs[u, k] for u in members.tolist()], 1.0)
    sel = [e for e in range(sv.w_svc.size) if (int(sv.w_svc[e]), int(seg[e])) in xs]
    if sel:
        sel_arr = np.asarray(sel)
        first = lp.rows(sel_arr.size, 0.0)
        rows = first + np.arange(sel_arr.size)
        lp.entries(rows, sv.w_col[sel_arr], 1.0)
        lp.entries(rows, [xs[int(sv.w_svc[e]), int(seg[e])] for e in sel], -1.0)


def solve_milp(comp: Component, weight: np.ndarray, time_limit_s: float = 20.0) -> Solution:
    """The best assignment of any component for window weights ``weight``: the LP relaxation, and
    branch and bound only when its optimum is fractional."""
    top = float(np.sum(weight * (comp.cum_grid[:, -1] - comp.cum_grid[:, 0])))
    scale = 1e3 / top if top > 0 else 1.0  # HiGHS's absolute gap is 1e-6: 1e-9 of the total
    lp = _Rows()
    sv = _services(comp, weight, lp, scale)
    lane = np.full((comp.n, comp.n_segments), -1, dtype=np.int64)
    if sv.w_col.size == 0:  # nothing is worth serving
        return Solution(lane, 0.0, "milp", "optimal", 0.0)
    gr = _groups(comp, sv)
    M = comp.grid.size - 1
    hold0 = _link_rows(lp, sv, gr, M)
    _network_rows(lp, comp, gr, hold0)
    _handover_rows(lp, comp, sv, gr)
    c, ub, A, b = lp.matrices()
    with quiet_stdout():
        res = linprog(c, A_ub=A, b_ub=b, bounds=np.column_stack([np.zeros_like(ub), ub]), method="highs")
    status, gap = "optimal", 0.0
    x = res.x if res.status == 0 else None
    if x is None or np.any(np.abs(x[sv.w_col] - np.round(x[sv.w_col])) > 1e-6):
        integrality = np.zeros(c.size)
        integrality[sv.w_col] = 1
        out = None
        for presolve in (False, True):  # without presolve: faster here; with it: a retry after a solve error
            with quiet_stdout():
                out = milp(c, integrality=integrality, bounds=Bounds(np.zeros_like(ub), ub),
                           constraints=[LinearConstraint(A, -np.inf, b)],
                           options={"disp": False, "presolve": presolve, "mip_rel_gap": 0.0, "time_limit": time_limit_s})
            if out.x is not None:
                break
        if out is None or out.x is None:
            return Solution(lane, 0.0, "milp", f"no solution ({getattr(out, 'message', '')})", np.inf)
        x = out.x
        status = "optimal" if out.status == 0 else str(out.message)
        gap = 0.0 if out.status == 0 else float(getattr(out, "mip_gap", np.nan) or np.nan)
    on = x[sv.w_col] > 0.5
    seg = np.searchsorted(comp.pk, sv.w_q[on], side="right") - 1
    lane[sv.win[sv.w_svc[on]], seg] = sv.lane[sv.w_svc[on]]
    return Solution(lane, float(-(c @ x)) / scale, "milp", status, gap)
