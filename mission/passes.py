"""Pass windows: rise/culmination/set per station, the night rule and common-view windows.

How the search works, for every station at once:

1. Propagate the satellite once on a coarse grid over the whole span (default 30 s step) and form,
   per station, ``f = elevation − mask(azimuth)`` (the mask may depend on azimuth).
2. A sign change of ``f`` between two grid points brackets a rise or a set. A pass shorter than a
   grid step can hide between points: every local maximum of ``f`` that is negative but within a
   margin of zero is refined (golden section); if the true maximum is above zero, it yields one
   rise and one set. Local minima near zero likewise split passes that dip under an azimuth mask
   (double culminations).
3. All brackets of all stations are refined together by bisection to ``tol_s`` (1 ms default):
   each step is one SGP4 call over every bracket.
4. Crossings are paired into [rise, set) windows; a pass under way at the span start or unfinished
   at its end is clipped to the span, not lost.

The night rule is the same search on ``limit − sun elevation`` (Sun from DE421), and common-view
windows are interval intersections. Elevations are geometric (no refraction).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mission import frames
from mission.intervals import EMPTY, bisect, from_crossings, golden_max, intersect

COARSE_STEP_S = 30.0
#: How far below the mask a coarse local maximum may sit and still be searched for a hidden pass.
#: A LEO elevation curve cannot rise more than ~10° above a point sampled within 15 s of its peak
#: unless the pass is already far above any mask.
HIDDEN_PASS_MARGIN_DEG = 10.0
SUN_GRID_STEP_S = 600.0
SUN_MARGIN_DEG = 3.0


@dataclass(frozen=True)
class Site:
    """What the window search needs of a ground station.

    Attributes
    ----------
    name : str
    frame : frames.SiteFrame
        ITRS position and local axes.
    mask_deg : float
        Elevation mask where no horizon profile is given. [deg]
    horizon_azimuth_deg, horizon_elevation_deg : tuple of float, optional
        Azimuth-dependent horizon profile, interpolated periodically in azimuth. [deg]
    """

    name: str
    frame: frames.SiteFrame
    mask_deg: float
    horizon_azimuth_deg: tuple[float, ...] = ()
    horizon_elevation_deg: tuple[float, ...] = ()

    def mask_at(self, azimuth_deg: np.ndarray) -> np.ndarray | float:
        """Elevation mask in the direction ``azimuth_deg``. [deg]"""
        if not self.horizon_azimuth_deg:
            return self.mask_deg
        profile = np.maximum(np.asarray(self.horizon_elevation_deg), self.mask_deg)
        return np.interp(azimuth_deg, np.asarray(self.horizon_azimuth_deg), profile, period=360.0)


def make_site(name, latitude_deg, longitude_deg, altitude_m, mask_deg, horizon=()) -> Site:
    """A :class:`Site` from geodetic coordinates and a mask (``horizon`` = [(az, el), ...])."""
    az = tuple(float(a) for a, _ in horizon)
    el = tuple(float(e) for _, e in horizon)
    return Site(name, frames.site_frame(latitude_deg, longitude_deg, altitude_m), float(mask_deg), az, el)


@dataclass(frozen=True)
class StationWindows:
    """Windows of one station over the span, all in seconds since the span start.

    Attributes
    ----------
    visible_s : ndarray (n, 2)
        Satellite above the mask (clipped to the span).
    dark_s : ndarray (k, 2)
        Sun below the night limit at the station.
    usable_s : ndarray (m, 2)
        Visible and dark: the station's usable windows.
    culmination_s, max_elevation_deg : ndarray (m,)
        Time and value of the highest elevation inside each usable window. [s], [deg]
    pass_index : ndarray (m,)
        Which visible pass each usable window belongs to.
    """

    site: Site
    visible_s: np.ndarray
    dark_s: np.ndarray
    usable_s: np.ndarray
    culmination_s: np.ndarray
    max_elevation_deg: np.ndarray
    pass_index: np.ndarray


# ------------------------------------------------------------------------ generic root finding

def positive_intervals(grid_s, rows, evaluate, span_s, margin, tol_s=1e-3):
    """Intervals inside [0, span_s] where each of several functions is positive.

    Parameters
    ----------
    grid_s : ndarray (N,)
        Coarse grid, reaching at least one step beyond both ends of the span. [s]
    rows : iterable of ndarray (N,)
        The coarse values of each function (consumed one at a time, so they need not all sit in
        memory together).
    evaluate : callable ``(t_s, row_index) -> values``
        Evaluates the functions at arbitrary times; ``row_index`` says which function per time.
    margin : float
        Local maxima below zero but above ``-margin`` (and minima above zero but below
        ``margin``) are refined to catch crossings hidden between grid points.

    Returns
    -------
    list of ndarray (n, 2)
    """
    lo, hi, rising, owner = [], [], [], []
    ext_lo, ext_hi, ext_sign, ext_owner, ext_mid = [], [], [], [], []
    inside_at_start = []
    n_rows = 0
    for k, f in enumerate(rows):
        n_rows += 1
        pos = f > 0.0
        inside_at_start.append(bool(pos[0]))
        i = np.flatnonzero(pos[:-1] != pos[1:])
        lo.append(grid_s[i]); hi.append(grid_s[i + 1]); rising.append(~pos[i]); owner.append(np.full(i.size, k))
        c = f[1:-1]
        is_max = (c >= f[:-2]) & (c >= f[2:]) & (c <= 0.0) & (c > -margin)
        is_min = (c <= f[:-2]) & (c <= f[2:]) & (c > 0.0) & (c < margin)
        for sel, sign in ((is_max, 1.0), (is_min, -1.0)):
            j = np.flatnonzero(sel) + 1
            ext_lo.append(grid_s[j - 1]); ext_hi.append(grid_s[j + 1]); ext_mid.append(grid_s[j])
            ext_sign.append(np.full(j.size, sign)); ext_owner.append(np.full(j.size, k))

    lo, hi = np.concatenate(lo), np.concatenate(hi)
    rising, owner = np.concatenate(rising), np.concatenate(owner)
    e_lo, e_hi = np.concatenate(ext_lo), np.concatenate(ext_hi)
    e_sign, e_owner = np.concatenate(ext_sign), np.concatenate(ext_owner)
    if e_lo.size:
        t_ext, v_ext = golden_max(lambda t, j: e_sign[j] * evaluate(t, e_owner[j]), e_lo, e_hi)
        hit = v_ext > 0.0  # the maximum rises above zero (or the minimum dips below it)
        t_ext, e_lo, e_hi, e_sign, e_owner = t_ext[hit], e_lo[hit], e_hi[hit], e_sign[hit], e_owner[hit]
        lo = np.concatenate([lo, e_lo, t_ext])
        hi = np.concatenate([hi, t_ext, e_hi])
        rising = np.concatenate([rising, e_sign > 0, e_sign < 0])
        owner = np.concatenate([owner, e_owner, e_owner])

    roots = bisect(lambda t, j: evaluate(t, owner[j]), lo, hi, rising, tol_s=tol_s)
    out = []
    start, end = float(grid_s[0]), float(grid_s[-1])
    for k in range(n_rows):
        mine = owner == k
        iv = from_crossings(roots[mine & rising], roots[mine & ~rising], start, end, inside_at_start[k])
        iv, _, _ = intersect(iv, np.array([[0.0, span_s]]))
        out.append(iv)
    return out


def padded_grid(span_s: float, step_s: float) -> np.ndarray:
    """Grid from one step before 0 to one step after ``span_s`` (so every span point has neighbours)."""
    n = int(np.ceil(span_s / step_s))
    return np.concatenate([np.arange(-1, n + 1) * step_s, [span_s + step_s]])


# --------------------------------------------------------------------------- the three searches

def _site_function(sites):
    """``evaluate(t, site_index)`` for elevation − mask, one SGP4 call for all times."""

    def build(satrec, t0):
        def evaluate(t, owner):
            st = frames.propagate_itrs(satrec, t0, t)
            out = np.empty(t.size)
            for k in np.unique(owner):
                sel = owner == k
                az, el, _, _ = frames.topocentric(sites[k].frame, st.position_km[:, sel])
                out[sel] = el - sites[k].mask_at(az)
            return out

        return evaluate

    return build


def visible_windows(satrec, t0, span_s, sites, step_s=COARSE_STEP_S, tol_s=1e-3) -> list[np.ndarray]:
    """Intervals where the satellite is above each site's mask. [s]"""
    grid = padded_grid(span_s, step_s)
    state = frames.propagate_itrs(satrec, t0, grid)

    def rows():
        for site in sites:
            az, el, _, _ = frames.topocentric(site.frame, state.position_km)
            yield el - site.mask_at(az)

    evaluate = _site_function(sites)(satrec, t0)
    return positive_intervals(grid, rows(), evaluate, span_s, HIDDEN_PASS_MARGIN_DEG, tol_s)


def dark_windows(sun: frames.BodyTrack, span_s, sites, sun_elevation_max_deg, tol_s=1e-2) -> list[np.ndarray]:
    """Intervals where the Sun is below ``sun_elevation_max_deg`` at each site (≥ 90: always). [s]"""
    if sun_elevation_max_deg >= 90.0:
        return [np.array([[0.0, span_s]]) for _ in sites]
    grid = padded_grid(span_s, SUN_GRID_STEP_S)
    sun_grid = sun.itrs_km_at(grid)

    def evaluate(t, owner):
        r = sun.itrs_km_at(t)
        out = np.empty(t.size)
        for k in np.unique(owner):
            sel = owner == k
            out[sel] = sun_elevation_max_deg - frames.elevation_deg(sites[k].frame, r[:, sel])
        return out

    rows = (sun_elevation_max_deg - frames.elevation_deg(s.frame, sun_grid) for s in sites)
    return positive_intervals(grid, rows, evaluate, span_s, SUN_MARGIN_DEG, tol_s)


def culminations(satrec, t0, windows_s: np.ndarray, owner: np.ndarray, sites) -> tuple[np.ndarray, np.ndarray]:
    """Time and value of the highest elevation inside each window (golden section). [s], [deg]

    ``owner[i]`` is the index into ``sites`` of window ``i``. Within one pass the elevation of a
    LEO satellite is unimodal, so the search needs no bracket beyond the window.
    """
    if not len(windows_s):
        return np.empty(0), np.empty(0)

    def evaluate(t, j):
        st = frames.propagate_itrs(satrec, t0, t)
        out = np.empty(t.size)
        for k in np.unique(owner[j]):
            sel = owner[j] == k
            out[sel] = frames.topocentric(sites[k].frame, st.position_km[:, sel])[1]
        return out

    return golden_max(evaluate, windows_s[:, 0], windows_s[:, 1], tol_s=1e-2)


def station_windows(satrec, t0, span_s, sites, sun, sun_elevation_max_deg,
                    min_duration_s=0.0, step_s=COARSE_STEP_S) -> list[StationWindows]:
    """Visible, dark and usable windows for every site. See the module docstring."""
    visible = visible_windows(satrec, t0, span_s, sites, step_s)
    dark = dark_windows(sun, span_s, sites, sun_elevation_max_deg)
    out = []
    usable_all, owners = [], []
    for k, site in enumerate(sites):
        usable, i_pass, _ = intersect(visible[k], dark[k])
        keep = (usable[:, 1] - usable[:, 0]) >= max(min_duration_s, 1e-9)
        usable_all.append((usable[keep], i_pass[keep]))
        owners.append(np.full(int(keep.sum()), k))
    all_windows = np.concatenate([u for u, _ in usable_all]) if usable_all else EMPTY
    owner = np.concatenate(owners) if owners else np.empty(0, int)
    t_c, el_c = culminations(satrec, t0, all_windows, owner, sites)
    for k, site in enumerate(sites):
        sel = owner == k
        usable, i_pass = usable_all[k]
        out.append(StationWindows(site, visible[k], dark[k], usable, t_c[sel], el_c[sel], i_pass))
    return out


@dataclass(frozen=True)
class PairWindows:
    """Common-view windows of two stations: both above their masks and both dark. [s]

    ``index_a``/``index_b`` point into each station's usable windows.
    """

    a: int
    b: int
    usable_s: np.ndarray
    index_a: np.ndarray
    index_b: np.ndarray


def common_view(windows: list[StationWindows], pairs: list[tuple[int, int]], min_duration_s=0.0) -> list[PairWindows]:
    """Common-view windows for the requested station pairs (interval intersections)."""
    out = []
    for a, b in pairs:
        iv, ia, ib = intersect(windows[a].usable_s, windows[b].usable_s)
        keep = (iv[:, 1] - iv[:, 0]) >= max(min_duration_s, 1e-9)
        out.append(PairWindows(a, b, iv[keep], ia[keep], ib[keep]))
    return out
