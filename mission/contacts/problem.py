"""The contact plan's inputs, checked and cut into independent components, and how a component's
assignment is recorded (replayed exactly by :func:`.model.evaluate`).

:func:`prepare` is what every policy starts from: the windows' arrays, their value curves, what
each wanted, their groups (station pairs) and components; :meth:`Problem.decision` turns a
component's assignment into a :class:`Decision` with what it delivers.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import model as sg
from .settings import RETARGET_S

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
    slew-and-acquisition times (default :data:`groundstations.catalog.RETARGET_S`) [s]."""

    telescopes: object = 2
    retarget_satellite_s: object = RETARGET_S
    retarget_station_s: object = RETARGET_S


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


def per_item(value, n: int, name: str, dtype=float) -> np.ndarray:
    """``value`` (a scalar, or an array of at least ``n`` of which the first ``n`` count) as ``n``
    finite values >= 0, or a ValueError naming ``name``."""
    a = np.asarray(value, dtype)
    a = np.full(n, a.item(), dtype) if a.ndim == 0 else a
    if a.ndim != 1 or a.size < n:
        raise ValueError(f"{name}: {a.size} values, the windows use {n}")
    a = a[:n]
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"{name} = {a.tolist()!r}: must be finite and >= 0")
    return a


# ---------------------------------------------------------------------------------- problem

@dataclass(frozen=True)
class Decision:
    """How one component of several windows was planned: the assignment (after contacts that
    deliver nothing were dropped), how it was found, and what it delivers."""

    lane: np.ndarray
    method: str
    status: str
    gap: float
    evaluation: sg.Evaluation


@dataclass(frozen=True)
class Problem:
    """The checked inputs of one plan, and its components.

    Per window: ``sat``, ``sta`` (W, 2), ``start``, ``end`` [s], ``wanted`` (its value served whole)
    [1], ``component``, ``group`` (its station pair or station). ``comps`` holds the components of
    several windows by index, ``alone`` the windows that are a component on their own.
    """

    sat: np.ndarray
    sta: np.ndarray
    start: np.ndarray
    end: np.ndarray
    curves: sg.ValueCurves
    wanted: np.ndarray
    component: np.ndarray
    component_size: np.ndarray
    group: np.ndarray
    group_stations: np.ndarray
    comps: dict
    alone: np.ndarray

    @property
    def n(self) -> int:
        """Candidate windows."""
        return self.start.size

    @property
    def n_groups(self) -> int:
        """Groups of windows (station pairs, or single stations)."""
        return self.group_stations.shape[0]

    def decision(self, ci: int, lane: np.ndarray, method: str, status: str, gap: float, clean: bool = True) -> Decision:
        """Record the assignment ``lane`` of component ``ci``: replayed exactly, with the contacts that
        deliver nothing dropped first (unless ``clean`` is False: the baseline keeps them)."""
        comp = self.comps[ci]
        while True:
            ev = sg.evaluate(comp, lane, self.curves)
            dead = [c for c in ev.contacts if c[5] <= 0.0] if clean else []
            if not dead:
                return Decision(lane, method, status, gap, ev)
            lane = lane.copy()
            for i, ln, a, b, _, _ in dead:
                ks = np.flatnonzero((comp.tau[:-1] >= a) & (comp.tau[1:] <= b))
                lane[i, ks[lane[i, ks] == ln]] = -1

    def group_values(self, ci: int, value: np.ndarray) -> np.ndarray:
        """Per group, what the windows of component ``ci`` deliver when they deliver ``value``. [1]"""
        return np.bincount(self.group[self.comps[ci].windows], weights=value, minlength=self.n_groups).astype(float)


def prepare(windows: CandidateWindows, resources: Resources) -> Problem:
    """Check the inputs (ValueError naming the field) and cut the windows into components."""
    windows.validate()
    sat = np.asarray(windows.satellite, np.int64)
    sta = np.column_stack([windows.station_a, windows.station_b]).astype(np.int64)
    start, end = np.asarray(windows.start_s, float), np.asarray(windows.end_s, float)
    n = start.size
    n_sat = int(sat.max()) + 1 if n else 0
    n_sta = int(sta.max()) + 1 if n else 0
    tel = per_item(resources.telescopes, n_sat, "telescopes", np.int64)
    r_sat = per_item(resources.retarget_satellite_s, n_sat, "retarget_satellite_s")
    r_sta = per_item(resources.retarget_station_s, n_sta, "retarget_station_s")
    need = np.zeros(n_sat, np.int64)
    np.maximum.at(need, sat, (sta >= 0).sum(axis=1))
    if np.any(tel < need):
        s = int(np.flatnonzero(tel < need)[0])
        raise ValueError(f"telescopes = {int(tel[s])} for satellite {s}: its windows need {int(need[s])} at once")
    lanes_of_sat = np.where(need > 0, tel // np.maximum(need, 1), 1)
    curves = sg.ValueCurves(start, end, windows.sample_time_s, windows.sample_value, windows.sample_offsets)
    horizon = float(max(r_sat.max(initial=0.0), r_sta.max(initial=0.0)))
    label = sg.components(sat, sta, start, end, horizon)
    group_stations, group = np.unique(np.sort(sta, axis=1)[:, ::-1], axis=0, return_inverse=True)
    order = np.lexsort((np.arange(n), label))
    bounds = np.searchsorted(label[order], np.arange(label.max() + 2 if n else 1))
    size = np.diff(bounds)
    cuts = sg.cut_times(start, end, sat, sta, r_sat, r_sta)
    comps = sg.build_components(label, start, end, sat, sta, lanes_of_sat, curves, cuts, r_sat, r_sta)
    return Problem(sat, sta, start, end, curves, curves.wanted(), label, size, group.ravel(), group_stations, comps,
                   order[bounds[:-1][size == 1]])
