"""Geometry samples inside windows, and the satellite's sunlight over the span.

Samples sit on one grid for the whole span, ``t = k · sample_step_s`` after the span start, so that
windows of different stations share sample times: the satellite is propagated once per distinct
sample time and that state is reused for every station and every pair.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...payload.ragged import ranges
from ..orbits import frames
from ..parallel import thread_map
from .passes import CoarseTrack, Site, body_on_grid, coarse_track, positive_intervals


@dataclass(frozen=True)
class Samples:
    """Per-sample geometry of a list of windows seen from one station per window (one leg).

    Window ``w`` owns samples ``offsets[w]:offsets[w + 1]``. All arrays have one entry per sample.

    Attributes
    ----------
    offsets : ndarray (n_windows + 1,)
    time_s : ndarray
        Seconds after the span start (TT). [s]
    azimuth_deg, elevation_deg : ndarray
        Satellite direction from the station. [deg]
    range_km, range_rate_km_s : ndarray
        Slant range and its rate (positive receding). [km], [km/s]
    sun_elevation_deg : ndarray
        Sun elevation at the station. [deg]
    moon_elevation_deg : ndarray
        Moon elevation at the station. [deg]
    moon_angle_deg : ndarray
        Angle between the Moon and the satellite seen from the station. [deg]
    moon_illumination : ndarray
        Illuminated fraction of the Moon's disc. [1]
    sunlit : ndarray of bool
        Satellite outside the Earth's shadow.
    """

    offsets: np.ndarray
    time_s: np.ndarray
    azimuth_deg: np.ndarray
    elevation_deg: np.ndarray
    range_km: np.ndarray
    range_rate_km_s: np.ndarray
    sun_elevation_deg: np.ndarray
    moon_elevation_deg: np.ndarray
    moon_angle_deg: np.ndarray
    moon_illumination: np.ndarray
    sunlit: np.ndarray

    def window(self, w: int) -> slice:
        """The samples of window ``w``."""
        return slice(int(self.offsets[w]), int(self.offsets[w + 1]))

    @property
    def window_of_sample(self) -> np.ndarray:
        """Index of the window each sample belongs to."""
        return np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))


def _grid_bounds(windows_s: np.ndarray, step_s: float) -> tuple[np.ndarray, np.ndarray]:
    """First and last grid index (t = k·step) inside each window [start, end] (last < first: none)."""
    windows_s = np.asarray(windows_s, dtype=float).reshape(-1, 2)
    k0 = np.ceil(windows_s[:, 0] / step_s - 1e-9).astype(np.int64)
    k1 = np.floor(windows_s[:, 1] / step_s + 1e-9).astype(np.int64)
    return k0, k1


def grid_counts(windows_s: np.ndarray, step_s: float) -> np.ndarray:
    """Number of grid points (t = k·step) inside each window [start, end]: its samples."""
    k0, k1 = _grid_bounds(windows_s, step_s)
    return np.maximum(k1 - k0 + 1, 0)


def grid_indices(windows_s: np.ndarray, step_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Grid indices k (t = k·step) inside each window [start, end], flattened, and the offsets."""
    k0, k1 = _grid_bounds(windows_s, step_s)
    count = np.maximum(k1 - k0 + 1, 0)
    return ranges(k0, count), np.concatenate([[0], np.cumsum(count)])


@dataclass(frozen=True)
class SharedState:
    """Satellite, Sun and Moon at a set of distinct grid indices (shared by all stations)."""

    k: np.ndarray  # sorted distinct grid indices
    sat_km: np.ndarray  # (3, n)
    sat_v_km_s: np.ndarray
    sun_km: np.ndarray
    moon_km: np.ndarray
    moon_illumination: np.ndarray
    sunlit: np.ndarray


def sorted_distinct(k: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted; no sort when ``k`` is sorted already
    (``np.unique`` hashes: ~0.2 s for the 4e5 sample times of a year, this takes ~1 ms)."""
    k = np.asarray(k)
    if k.size > 1 and np.any(k[1:] < k[:-1]):
        k = np.sort(k)
    keep = np.ones(k.size, dtype=bool)
    np.not_equal(k[1:], k[:-1], out=keep[1:])
    return k[keep]


def shared_state(satrec, t0, k: np.ndarray, step_s: float, sun, moon) -> SharedState:
    """The satellite, the Sun and the Moon once per distinct grid index in ``k``.

    Dense samples (the 1 s samples of the windows) are interpolated in ITRS from nodes every 30 s
    (:func:`mission.orbits.frames.dense_grid`): SGP4, the Earth's rotation and the two bodies run on
    the nodes only, and one matrix product per node interval carries all thirteen components to
    the samples. Sparse ones are computed at each sample.
    """
    k = sorted_distinct(k)
    grid = frames.dense_grid(t0, k, step_s)
    t = k * step_s if grid is None else grid.nodes_s
    # GMST once for the satellite, the Sun and the Moon. The times are the satellite's: the body
    # tracks' start (a TT Julian date in one float) may sit microseconds from ``t0``, which moves
    # the satellite by centimetres but the Earth by 3e-10 rad.
    rotation = frames.earth_rotation(t0, t)
    st = frames.propagate_itrs(satrec, t0, t, rotation)
    parts = [st.position_km, st.velocity_km_s, sun.itrs_km_at(t, rotation), moon.itrs_km_at(t, rotation),
             moon.illumination_at(t)[None]]
    if grid is not None:
        parts = np.split(grid.interpolate(np.concatenate(parts).T).T, [3, 6, 9, 12])
    sat_km, sat_v, sun_km, moon_km, illumination = parts
    return SharedState(k, sat_km, sat_v, sun_km, moon_km, illumination[0], frames.sunlit(sat_km, sun_km))


@dataclass(frozen=True)
class StationRows:
    """Every distinct (station, grid index) that a list of windows needs, and where each leg's
    samples find theirs.

    Windows of different pairs overlap at a station (a station's night pass is shared by every pair
    it belongs to), so geometry and link are computed once per row and gathered to the legs.

    Attributes
    ----------
    station, k : ndarray (n_rows,)
        Site index and grid index of each row; rows are grouped by station, time-ordered within.
    bounds : ndarray (n_sites + 1,)
        Station ``s`` owns rows ``bounds[s]:bounds[s + 1]``.
    leg_rows : list of ndarray
        For each leg, the row of each of its samples (samples in window order, as
        :func:`grid_indices`).
    offsets : ndarray (n_windows + 1,)
        Window ``w`` owns samples ``offsets[w]:offsets[w + 1]`` of every leg.
    """

    station: np.ndarray
    k: np.ndarray
    bounds: np.ndarray
    leg_rows: list
    offsets: np.ndarray


def _merge_grid_intervals(group: np.ndarray, k0: np.ndarray, k1: np.ndarray):
    """Union of integer intervals [k0, k1] within each group (non-empty intervals only).

    Returns the merged intervals' group-major keys ``group·base + k`` (start, end), the merged
    interval each input interval falls in, and ``base``.
    """
    base = int(k1.max()) + 2 if k1.size else 1
    a0, a1 = group * base + k0, group * base + k1
    order = np.argsort(a0, kind="stable")
    s0, run = a0[order], np.maximum.accumulate(a1[order])
    new = np.ones(order.size, dtype=bool)
    new[1:] = s0[1:] > run[:-1] + 1
    gid = np.empty(order.size, dtype=np.int64)
    gid[order] = np.cumsum(new) - 1
    last = np.append(new[1:], True) if order.size else new
    return s0[new], run[last], gid, base


def station_rows(windows_s: np.ndarray, legs: list[np.ndarray], step_s: float, n_sites: int) -> StationRows:
    """The distinct station samples of windows seen from one station per window and leg.

    Parameters
    ----------
    windows_s : ndarray (n_windows, 2)
        Window start and end after the span start. [s]
    legs : list of ndarray (n_windows,)
        Site index of each window, one array per leg (e.g. station a and station b of pairs).
    step_s : float
        Sample step. [s]
    n_sites : int
    """
    k0, k1 = _grid_bounds(windows_s, step_s)
    count = np.maximum(k1 - k0 + 1, 0)
    offsets = np.concatenate([[0], np.cumsum(count)])
    full = count > 0
    group = np.concatenate([np.asarray(s, dtype=np.int64)[full] for s in legs]) if legs else np.empty(0, np.int64)
    starts = np.tile(k0[full], len(legs))
    ends = np.tile((k0 + count - 1)[full], len(legs))
    m0, m1, gid, base = _merge_grid_intervals(group, starts, ends)
    keys = ranges(m0, m1 - m0 + 1)
    row_offsets = np.concatenate([[0], np.cumsum(m1 - m0 + 1)])
    station, row_k = keys // base, keys % base
    first_row = row_offsets[gid] + (group * base + starts - m0[gid])  # row of each window's first sample
    within = np.arange(offsets[-1]) - np.repeat(offsets[:-1], count)
    n_full = int(full.sum())
    leg_rows = [np.repeat(first_row[i * n_full:(i + 1) * n_full], count[full]) + within for i in range(len(legs))]
    bounds = np.searchsorted(station, np.arange(n_sites + 1))
    return StationRows(station, row_k, bounds, leg_rows, offsets)


def distinct_grid_indices(windows_s: np.ndarray, step_s: float) -> np.ndarray:
    """Sorted distinct grid indices inside a list of windows (their union on the grid)."""
    k0, k1 = _grid_bounds(windows_s, step_s)
    full = k1 >= k0
    m0, m1, _, _ = _merge_grid_intervals(np.zeros(int(full.sum()), np.int64), k0[full], k1[full])
    return ranges(m0, m1 - m0 + 1)


def station_geometry(shared: SharedState, sites: list[Site], rows: StationRows, step_s: float,
                     threads: int = 1) -> Samples:
    """Geometry of every row of ``rows`` from its own station (``offsets`` are the station bounds);
    stations run on ``threads`` threads (identical results for any count)."""
    at = np.searchsorted(shared.k, rows.k)
    n = rows.k.size
    out = {name: np.empty(n) for name in (
        "azimuth_deg", "elevation_deg", "range_km", "range_rate_km_s",
        "sun_elevation_deg", "moon_elevation_deg", "moon_angle_deg")}

    def station(s):
        sel = slice(int(rows.bounds[s]), int(rows.bounds[s + 1]))
        idx = at[sel]
        frame = sites[s].frame
        r = shared.sat_km[:, idx]
        az, el, rng, rr = frames.topocentric(frame, r, shared.sat_v_km_s[:, idx])
        out["azimuth_deg"][sel], out["elevation_deg"][sel] = az, el
        out["range_km"][sel], out["range_rate_km_s"][sel] = rng, rr
        out["sun_elevation_deg"][sel] = frames.elevation_deg(frame, shared.sun_km[:, idx])
        # the Moon's line of sight and its length once, for its elevation and its angle to the satellite
        d_moon = shared.moon_km[:, idx] - frame.position_km[:, None]
        r_moon = np.sqrt(frames.dot3(d_moon, d_moon))
        out["moon_elevation_deg"][sel] = np.degrees(np.arcsin(np.clip(frames.dot3(frame.up, d_moon) / r_moon, -1.0, 1.0)))
        cos = frames.dot3(r - frame.position_km[:, None], d_moon) / (rng * r_moon)
        out["moon_angle_deg"][sel] = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))

    thread_map(station, [s for s in range(len(sites)) if rows.bounds[s + 1] > rows.bounds[s]], threads)
    return Samples(
        offsets=rows.bounds, time_s=rows.k * step_s, moon_illumination=shared.moon_illumination[at],
        sunlit=shared.sunlit[at], **out,
    )


_FIELDS = tuple(f for f in Samples.__dataclass_fields__ if f != "offsets")


def sunlit_intervals(satrec, t0, span_s: float, sun, track: CoarseTrack | None = None) -> np.ndarray:
    """Intervals in which the satellite is in sunlight, refined to 10 ms. [s]

    The function searched is ψ − asin(R⊕/r), with ψ the angle between the satellite and the
    anti-Sun direction: positive in sunlight, continuous across shadow entry and exit, and the
    same criterion as :func:`mission.orbits.frames.sunlit`.
    """
    track = track or coarse_track(satrec, t0, span_s)

    def shadow_function(r, s):
        r_norm = np.linalg.norm(r, axis=0)
        cos_psi = -np.einsum("in,in->n", r, s) / (r_norm * np.linalg.norm(s, axis=0))
        psi = np.arccos(np.clip(cos_psi, -1.0, 1.0))
        return psi - np.arcsin(np.clip(frames.EARTH_EQUATORIAL_RADIUS_KM / r_norm, -1.0, 1.0))

    def evaluate(t, _):
        return shadow_function(frames.propagate_itrs(satrec, t0, t).position_km, sun.itrs_km_at(t))

    coarse = shadow_function(track.position_km, body_on_grid(sun, track.rotation)
                             if track.rotation is not None else sun.itrs_km_at(track.grid_s))
    # An eclipse shorter than a grid step (a dawn–dusk orbit near the start or end of its eclipse
    # season) is a dip below zero between two positive grid points: every local minimum within what
    # ψ can change in half a step (the orbital rate, 50 % to spare) is refined.
    step_s = float(track.grid_s[1] - track.grid_s[0])
    margin = max(0.05, 1.5 * satrec.no_kozai / 60.0 * 0.5 * step_s)  # no_kozai: [rad/min]
    (out,) = positive_intervals(track.grid_s, [coarse], evaluate, span_s, margin, 1e-2, minima=[True])
    return out


def concat(parts: list[Samples]) -> Samples:
    """Join the samples of several window lists into one (windows keep their order)."""
    if not parts:
        k, offsets = grid_indices(np.empty((0, 2)), 1.0)
        empty = np.empty(0)
        return Samples(offsets, empty, empty, empty, empty, empty, empty, empty, empty, empty, np.empty(0, bool))
    return Samples(concat_offsets([p.offsets for p in parts]),
                   **{f: np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS})


def concat_offsets(parts: list[np.ndarray]) -> np.ndarray:
    """Offsets of joined ragged arrays: each list's offsets shifted by the items before it."""
    out, base = [parts[0]], parts[0][-1]
    for p in parts[1:]:
        out.append(p[1:] + base)
        base += p[-1]
    return np.concatenate(out)
