"""What every cell of a site map shares: one propagation of each satellite, the Sun and the Moon.

The map integrates each window on a grid of ``step_s`` (``candidate.step_s``, 10 s by default):
times ``t_k = k·step_s`` after the span start. Each satellite is propagated once, at the grid
times at which it could be above the mask of some cell of the map at night — found on a coarse
track (:data:`COARSE_STEP_S`): the sub-satellite point within reach of a cell (the central angle of
:func:`reach_angle_rad`, plus the ground track's motion over one coarse step) and the Sun low
enough near it. Every cell then reads its own samples out of these arrays (:mod:`.cells`) through a
k-d tree of the satellite's directions; nothing is propagated per cell.

Every process computes the same arrays from the same inputs (the region's cells, not a chunk's),
so a cell's numbers do not depend on which worker or chunk evaluates it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from scipy.spatial import cKDTree

from ..orbits import frames, skydata
from ..scenario.errors import InputError

#: Coarse step of the search for the grid times any cell may use. [s]
COARSE_STEP_S = 60.0
#: Mean Earth radius used for geocentric directions of sites (the polar radius, 6356.752 km, makes
#: the reach of :func:`reach_angle_rad` conservative). [km]
POLAR_RADIUS_KM = 6356.752
#: Elevation below the mask down to which samples are kept, so that every window edge has a sample
#: on each side (a LEO satellite climbs < 4° in 10 s at 20°). [deg]
EDGE_MARGIN_DEG = 6.0


def reach_angle_rad(elevation_deg: float, satellite_radius_km: float, site_radius_km: float = POLAR_RADIUS_KM) -> float:
    """Earth central angle between a site and a satellite seen at ``elevation_deg``. [rad]

    ψ = arccos(R·cos(el)/r) − el (the triangle geocentre–site–satellite, e.g. Vallado 2013,
    *Fundamentals of Astrodynamics*, §11.3 "ground-station coverage").
    """
    el = np.radians(max(float(elevation_deg), 0.0))
    return float(np.arccos(site_radius_km * np.cos(el) / satellite_radius_km) - el)


def unit_vectors(latitude_deg, longitude_deg) -> np.ndarray:
    """Geocentric unit vectors (n, 3) of geodetic positions (the up vector: within 0.2° of geocentric)."""
    lat, lon = np.radians(np.asarray(latitude_deg, float)), np.radians(np.asarray(longitude_deg, float))
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


@dataclass(frozen=True)
class SatelliteTrack:
    """One satellite at the grid times any cell may use.

    Attributes
    ----------
    k : ndarray of int64 (n,)
        Grid indices, increasing (t = k·step_s). [1]
    position_km, sun_km, moon_km : ndarray (3, n)
        Satellite, Sun and Moon in ITRS. [km]
    sun_unit : ndarray (3, n)
        The Sun's geocentric direction (for a quick night test before the exact elevation). [1]
    moon_illumination : ndarray (n,)  [1]
    radius_max_km : float
        Largest geocentric distance of the satellite. [km]
    tree : cKDTree
        Of the satellite's geocentric unit vectors, for the samples within reach of a site.
    """

    k: np.ndarray
    position_km: np.ndarray
    sun_km: np.ndarray
    moon_km: np.ndarray
    moon_illumination: np.ndarray
    sun_unit: np.ndarray
    radius_max_km: float
    tree: cKDTree


@dataclass(frozen=True)
class SharedStage:
    """Everything the cells of a map share.

    Attributes
    ----------
    t0 : skyfield Time
        The span start.
    span_s, step_s : float
        Span and integration step. [s]
    satellites : list of SatelliteTrack
    month_start_s : ndarray
        Start of each calendar month (UTC) that begins within the span, after the span start. [s]
    first_month : int
        Month (1..12) of the span start.
    """

    t0: object
    span_s: float
    step_s: float
    satellites: list
    month_start_s: np.ndarray
    first_month: int

    def month_of(self, time_s) -> np.ndarray:
        """Calendar month (1..12, UTC) of times after the span start. [s]"""
        n = np.searchsorted(self.month_start_s, np.asarray(time_s, float), side="right")
        return (self.first_month - 1 + n) % 12 + 1


def month_starts(t0, span_s: float) -> tuple[np.ndarray, int]:
    """The UTC month starts inside the span, as seconds after ``t0`` (TT), and the first month."""
    ts = skydata.timescale()
    y, m = (int(x) for x in t0.utc[:2])
    out = []
    while True:
        m, y = (1, y + 1) if m == 12 else (m + 1, y)
        s = (ts.from_datetime(datetime(y, m, 1, tzinfo=UTC)).tt - t0.tt) * 86400.0
        if s > span_s:
            break
        out.append(s)
    return np.asarray(out, float), int(t0.utc[1])


#: Most satellite grid times a map may propagate: span / ``candidate.step_s`` × satellites. Each
#: satellite is tracked at every grid time some site may use — for a global map about every night
#: time — at ~110 B a time (position, Sun, Moon, a search tree): 60 days at 1 s over a 10° map held
#: 570 MB above the libraries' ~240 MB. This keeps a map near 2 GiB; a year at the default 10 s is
#: 3.2e6 a satellite. [1]
MAX_TRACK_POINTS = 2e7


def check_track_points(span_s: float, step_s: float, satellites: int) -> None:
    """Refuse a map whose tracks would hold more than :data:`MAX_TRACK_POINTS` times (span /
    ``step_s`` × ``satellites``), before anything is propagated, naming the step that would fit. [s]

    Raises
    ------
    InputError
        Naming ``candidate.step_s``, the count and the step at which the tracks would fit.
    """
    points = span_s / step_s * satellites
    if points > MAX_TRACK_POINTS:
        fits = step_s * points / MAX_TRACK_POINTS
        raise InputError("candidate.step_s", step_s,
                         f"{span_s / 86400:.4g} d / {step_s:g} s x {satellites} satellite(s) = {points:.2g} track "
                         f"times, more than the {MAX_TRACK_POINTS:.0e} a map propagates (memory); use "
                         f"candidate.step_s >= {fits:.2g} s, a shorter span or fewer satellites")


def shared_stage(orbit, step_s: float, site_lat_deg, site_lon_deg, mask_deg: float,
                 sun_elevation_max_deg: float) -> SharedStage:
    """Propagate each satellite of ``orbit`` (:class:`mission.stages.OrbitStage`) once, at the grid
    times any of the sites (all cells of the map, the catalog stations and partners) may use.

    ``mask_deg`` is the lowest elevation mask of those sites, ``sun_elevation_max_deg`` the night
    rule. [deg]
    """
    span_s = float(orbit.span_s)
    n_grid = int(np.floor(span_s / step_s + 1e-9)) + 1
    sites = unit_vectors(site_lat_deg, site_lon_deg)
    site_tree = cKDTree(sites)
    coarse = np.arange(0.0, span_s + COARSE_STEP_S, COARSE_STEP_S)
    sun_coarse = orbit.sun.itrs_km_at(coarse)
    sun_dir = sun_coarse / np.linalg.norm(sun_coarse, axis=0)
    tracks = []
    for satrec in orbit.satrecs:
        r_coarse = frames.propagate_itrs(satrec, orbit.t0, coarse).position_km
        radius = np.linalg.norm(r_coarse, axis=0)
        r_max = float(radius.max()) * 1.001
        psi = reach_angle_rad(mask_deg - EDGE_MARGIN_DEG, r_max)
        ground_rad_s = float(np.max(np.linalg.norm(np.diff(r_coarse, axis=1), axis=0) / radius[:-1])) / COARSE_STEP_S
        reach = psi + ground_rad_s * COARSE_STEP_S
        u = (r_coarse / radius).T
        dist, _ = site_tree.query(u, k=1, distance_upper_bound=2.0 * np.sin(min(reach, np.pi / 2) / 2.0))
        near = np.isfinite(dist)
        # the Sun's elevation at a site within `reach` of the sub-point differs from the sub-point's by < reach
        sun_el_sub = np.degrees(np.arcsin(np.clip(np.einsum("ni,in->n", u, sun_dir), -1.0, 1.0)))
        near &= sun_el_sub < sun_elevation_max_deg + np.degrees(reach) + 1.0
        per = COARSE_STEP_S / step_s
        c = np.flatnonzero(near)  # the grid times within one coarse step of a needed coarse time
        lo = np.clip(np.floor((c - 1) * per).astype(np.int64), 0, n_grid)
        hi = np.clip(np.ceil((c + 1) * per).astype(np.int64) + 1, 0, n_grid)
        edges = np.zeros(n_grid + 1, np.int64)
        np.add.at(edges, lo, 1)
        np.add.at(edges, hi, -1)
        k = np.flatnonzero(np.cumsum(edges)[:n_grid] > 0).astype(np.int64)
        t = k * step_s
        pos = frames.propagate_itrs(satrec, orbit.t0, t).position_km
        norm = np.linalg.norm(pos, axis=0)
        sun = orbit.sun.itrs_km_at(t)
        tracks.append(SatelliteTrack(k, pos, sun, orbit.moon.itrs_km_at(t), orbit.moon.illumination_at(t),
                                     sun / np.linalg.norm(sun, axis=0), float(norm.max()) if norm.size else r_max,
                                     cKDTree((pos / norm).T if norm.size else np.zeros((1, 3)))))
    starts, first = month_starts(orbit.t0, span_s)
    return SharedStage(orbit.t0, span_s, float(step_s), tracks, starts, first)
