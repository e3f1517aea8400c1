"""Pass windows: rise/culmination/set per station, the night rule and common-view windows.

How the search works, for every station at once:

1. Propagate the satellite once on a coarse grid over the whole span (default 180 s step) and form,
   per station, ``f = elevation − mask(azimuth)`` (the mask may depend on azimuth).
2. A sign change of ``f`` between two grid points brackets a rise or a set. A pass shorter than a
   grid step can hide between points: every local maximum of ``f`` that is negative but within a
   margin of zero is refined (golden section); if the true maximum is above zero, it yields one
   rise and one set. The margin grows with the mask (:func:`hidden_pass_drop_deg`): a pass
   culminating just above a high mask is sharply peaked. Local minima near zero likewise split
   passes that dip under an azimuth mask (double culminations).
3. All brackets of all stations are refined together by Illinois regula falsi to ``tol_s``
   (1 ms default): each step is one SGP4 call over every bracket, ~5 steps in all.
4. Crossings are paired into [rise, set) windows; a pass under way at the span start or unfinished
   at its end is clipped to the span, not lost.

The night rule is the same search on ``limit − sun elevation`` (Sun from DE421), made first: rises
and sets whose coarse bracket lies in daylight are not refined, since only the visible windows'
overlap with the nights (the usable windows) is wanted. Common-view windows are interval
intersections. Elevations are geometric (no refraction).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..orbits import frames
from ..orbits.sources import MU_KM3_S2
from .intervals import EMPTY, find_roots, from_crossings, golden_max, intersect, touches

COARSE_STEP_S = 180.0
#: How far below the mask a coarse local maximum may sit and still be searched for a hidden pass,
#: at least (low masks); a high mask needs more (:func:`hidden_pass_drop_deg`).
HIDDEN_PASS_MARGIN_DEG = 10.0
#: Speed of the ground at the equator, 2π·6378.137 km / 86164.1 s. [km/s]
_EARTH_EQUATORIAL_SPEED_KM_S = 0.4651
SUN_GRID_STEP_S = 600.0
SUN_MARGIN_DEG = 3.0
#: How closely the golden-section search pins the peak of a hidden pass (or the bottom of a short
#: eclipse) before asking whether it crosses zero. [s] Only the sign of the peak value and a point
#: of that sign are needed (the crossings themselves are refined to ``tol_s`` afterwards); the value
#: at a peak found to within τ errs by f''·τ²/2: for a pass peaking near a 20° mask from 500 km
#: (f'' ≈ 4e-5 rad/s²) 5e-6 rad at τ = 0.5 s, so only a pass peaking less than 3e-4° above its mask,
#: shorter than one second, can be missed. 0.5 s needs 14 golden steps over a 360 s bracket
#: against 22 at 10 ms.
PEAK_TOL_S = 0.5


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


def sites_of(stations, default_mask_deg: float) -> list[Site]:
    """The window search's sites of catalog stations (:class:`groundstations.catalog.Station`): each
    with its own mask, or ``default_mask_deg``. [deg]"""
    return [make_site(st.name, st.latitude_deg, st.longitude_deg, st.altitude_m,
                      st.elevation_mask_deg if st.elevation_mask_deg is not None else default_mask_deg,
                      st.horizon_profile or ())
            for st in stations]


@dataclass(frozen=True)
class StationWindows:
    """Windows of one station over the span, all in seconds since the span start.

    Attributes
    ----------
    dark_s : ndarray (k, 2)
        Sun below the night limit at the station.
    usable_s : ndarray (m, 2)
        Visible and dark: the station's usable windows.
    peaks : (ndarray (m,), ndarray (m,)) or None
        Time and value of the highest elevation inside each usable window (:attr:`culmination_s`,
        :attr:`max_elevation_deg`); None where not searched (:func:`station_windows`
        ``peaks=False``: the pair modes read a pair window's culmination from its samples). [s], [deg]

    The visible windows themselves are not kept: their rises and sets in daylight are searched
    only to the coarse step (:func:`visible_windows` ``within``).
    """

    site: Site
    dark_s: np.ndarray
    usable_s: np.ndarray
    peaks: tuple[np.ndarray, np.ndarray] | None

    @property
    def culmination_s(self) -> np.ndarray:
        """Time of the highest elevation inside each usable window. [s]"""
        return self._peaks()[0]

    @property
    def max_elevation_deg(self) -> np.ndarray:
        """The highest elevation inside each usable window. [deg]"""
        return self._peaks()[1]

    def _peaks(self) -> tuple[np.ndarray, np.ndarray]:
        if self.peaks is None:
            raise RuntimeError("the culminations were not searched (station_windows(peaks=False))")
        return self.peaks


# ------------------------------------------------------------------------ generic root finding

def positive_intervals(grid_s, rows, evaluate, span_s, margin, tol_s=1e-3, minima=None, screen_deg=None,
                       within=None):
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
    margin : float or sequence of float (per row)
        Local maxima below zero but above ``-margin`` may hide a crossing pair between grid points.
        A parabola through the three grid values screens them; those whose parabola peaks within
        ``screen_deg`` of zero are refined by golden section.
    screen_deg : sequence of float, optional
        Per row, how far below zero a parabola peak may sit and still be refined: how much the
        parabola may underestimate the true peak (default ``margin / 5``). A sharply peaked
        function (a pass near the zenith) is far from a parabola over three grid points.
    minima : sequence of bool, optional
        Per row, whether local minima above zero may hide a dip below it (functions that are not
        unimodal between crossings, e.g. elevation against an azimuth-dependent mask). Such rows
        skip the parabola screen.
    within : sequence of ndarray (k, 2), optional
        Per row, the only intervals whose overlap with the result matters (a station's nights).
        Crossings whose coarse bracket touches none of them are not refined (left at the
        bracket's middle, which lies outside them), and hidden crossings are not searched there:
        the result intersected with ``within`` is the same, bit for bit, as without it, at a
        fraction of the propagations where ``within`` covers a fraction of the span.

    Returns
    -------
    list of ndarray (n, 2)
    """
    lo, hi, f_lo, f_hi, owner = [], [], [], [], []
    ext = {key: [] for key in ("lo", "hi", "f_lo", "f_hi", "sign", "owner")}
    settled: list[tuple[int, np.ndarray, np.ndarray]] = []  # (row, crossing times, rising) not refined
    inside_at_start = []
    n_rows = 0
    for k, f in enumerate(rows):
        n_rows += 1
        m = float(margin[k]) if np.ndim(margin) else float(margin)
        screen = m / 5.0 if screen_deg is None else float(screen_deg[k])
        pos = f > 0.0
        inside_at_start.append(bool(pos[0]))
        i = np.flatnonzero(pos[:-1] != pos[1:])
        if within is not None:
            # crossings whose bracket lies wholly outside ``within``: final at the bracket's middle
            near = touches(within[k], grid_s[i], grid_s[i + 1])
            far = i[~near]
            settled.append((k, 0.5 * (grid_s[far] + grid_s[far + 1]), f[far + 1] > 0.0))
            i = i[near]
        for acc, x in ((lo, grid_s[i]), (hi, grid_s[i + 1]), (f_lo, f[i]), (f_hi, f[i + 1])):
            acc.append(x)
        owner.append(np.full(i.size, k))
        rough = bool(minima is not None and minima[k])
        left, mid, right = f[:-2], f[1:-1], f[2:]
        is_max = (mid >= left) & (mid >= right) & (mid <= 0.0) & (mid > -m)
        # parabola through the three points: peak = mid + (right - left)² / (8 (2 mid - left - right))
        if not rough and screen < m:
            with np.errstate(divide="ignore", invalid="ignore"):
                peak = mid + (right - left) ** 2 / (8.0 * (2.0 * mid - left - right))
            is_max &= ~(peak < -screen)
        selections = [(is_max, 1.0)]
        if rough:
            selections.append(((mid <= left) & (mid <= right) & (mid > 0.0) & (mid < m), -1.0))
        for sel, sign in selections:
            j = np.flatnonzero(sel) + 1
            if within is not None:
                j = j[touches(within[k], grid_s[j - 1], grid_s[j + 1])]
            for key, x in (("lo", grid_s[j - 1]), ("hi", grid_s[j + 1]), ("f_lo", f[j - 1]), ("f_hi", f[j + 1]),
                           ("sign", np.full(j.size, sign)), ("owner", np.full(j.size, k))):
                ext[key].append(x)

    lo, hi, f_lo, f_hi, owner = (np.concatenate(x) for x in (lo, hi, f_lo, f_hi, owner))
    e = {key: np.concatenate(v) for key, v in ext.items()}
    if e["lo"].size:
        t_ext, v_ext = golden_max(lambda t, j: e["sign"][j] * evaluate(t, e["owner"][j]), e["lo"], e["hi"],
                                  tol_s=PEAK_TOL_S)
        hit = v_ext > 0.0  # the maximum rises above zero (or the minimum dips below it)
        t_ext, v_ext = t_ext[hit], e["sign"][hit] * v_ext[hit]
        e = {key: v[hit] for key, v in e.items()}
        lo = np.concatenate([lo, e["lo"], t_ext])
        hi = np.concatenate([hi, t_ext, e["hi"]])
        f_lo = np.concatenate([f_lo, e["f_lo"], v_ext])
        f_hi = np.concatenate([f_hi, v_ext, e["f_hi"]])
        owner = np.concatenate([owner, e["owner"], e["owner"]])

    roots = find_roots(lambda t, j: evaluate(t, owner[j]), lo, hi, f_lo, f_hi, tol_s=tol_s)
    rising = f_hi > 0.0
    out = []
    start, end = float(grid_s[0]), float(grid_s[-1])
    up = [roots[(owner == k) & rising] for k in range(n_rows)]
    down = [roots[(owner == k) & ~rising] for k in range(n_rows)]
    for k, t, r in settled:
        up[k] = np.concatenate([up[k], t[r]])
        down[k] = np.concatenate([down[k], t[~r]])
    for k in range(n_rows):
        iv = from_crossings(up[k], down[k], start, end, inside_at_start[k])
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


@dataclass(frozen=True)
class CoarseTrack:
    """The satellite on the padded coarse grid of a span (shared by every coarse search)."""

    grid_s: np.ndarray
    position_km: np.ndarray  # (3, N) ITRS
    rotation: frames.EarthRotation | None = None  # the Earth's at grid_s, for the Sun on the same grid


def coarse_track(satrec, t0, span_s, step_s=COARSE_STEP_S) -> CoarseTrack:
    """The satellite on the coarse search grid over the span (``step_s`` apart), shared by the
    station-window and sunlit searches, with the Earth's rotation there. [s]"""
    grid, rotation = coarse_grid(t0, span_s, step_s)
    return CoarseTrack(grid, frames.propagate_itrs(satrec, t0, grid, rotation).position_km, rotation)


#: Whether :func:`coarse_grid` and :func:`body_on_grid` keep their last results (:func:`keep_span_grids`).
_KEEP_SPAN_GRIDS = False


def keep_span_grids() -> None:
    """For a process that plans one orbit after another over the same span (a sweep's worker): keep
    the last spans' coarse grids, the Earth's rotation and the Sun on them (~20 MiB a year), which
    depend on the span only, for the next orbit. Elsewhere they are computed for each search and
    freed with it (a single plan would only hold them through its peak)."""
    global _KEEP_SPAN_GRIDS
    _KEEP_SPAN_GRIDS = True


def coarse_grid(t0, span_s: float, step_s: float = COARSE_STEP_S) -> tuple[np.ndarray, frames.EarthRotation]:
    """The padded coarse grid of a span and the Earth's rotation on it (read-only). They depend on
    the span only, not on the orbit: in a sweep's worker (:func:`keep_span_grids`) the points
    compute them once, with the Skyfield times' conversions SGP4 reads (the ``Time`` keeps them). [s]"""
    # the start's two parts in the key: equal Times split differently would round differently
    return _span_kept(_coarse_grid, t0, float(t0.whole), float(t0.tt_fraction), float(span_s), float(step_s))


def _span_kept(cached, *args):
    """``cached(*args)`` through its cache in a sweep's worker (:func:`keep_span_grids`), else
    computed afresh (the cache neither read nor filled)."""
    return cached(*args) if _KEEP_SPAN_GRIDS else cached.__wrapped__(*args)


@functools.lru_cache(maxsize=2)
def _coarse_grid(t0, whole: float, fraction: float, span_s: float, step_s: float):
    grid = padded_grid(span_s, step_s)
    rotation = frames.earth_rotation(t0, grid)
    for a in (grid, rotation.theta_rad, rotation.theta_dot_rad_day, rotation.cos, rotation.sin):
        a.flags.writeable = False
    return grid, rotation


def body_on_grid(body: frames.BodyTrack, rotation: frames.EarthRotation) -> np.ndarray:
    """A body's ITRS position at the times of a :func:`coarse_grid`'s rotation (read-only), kept
    with the grid in a sweep's worker (:func:`keep_span_grids`): its points rotate the Sun onto the
    grid once. [km]"""
    return _span_kept(_body_on_grid, body, rotation)


@functools.lru_cache(maxsize=2)
def _body_on_grid(body: frames.BodyTrack, rotation: frames.EarthRotation) -> np.ndarray:
    # (both by identity: the cache holds them)
    out = body.itrs_km_at(rotation.seconds, rotation)
    out.flags.writeable = False
    return out


def _coarse_rows(track: CoarseTrack, sites):
    """elevation − mask on the coarse grid, one site at a time.

    Sites without a horizon profile need no azimuth: sin(el) = up·(r − p)/|r − p| with
    |r − p|² = |r|² − 2 p·r + |p|², two dot products per sample.
    """
    r = track.position_km
    r2 = np.einsum("in,in->n", r, r)
    for site in sites:
        if site.horizon_azimuth_deg:
            az, el, _, _ = frames.topocentric(site.frame, r)
            yield el - site.mask_at(az)
            continue
        p, up = site.frame.position_km, site.frame.up
        dist = np.sqrt(r2 - 2.0 * frames.dot3(p, r) + p @ p)
        sin_el = (frames.dot3(up, r) - up @ p) / dist
        yield np.degrees(np.arcsin(np.clip(sin_el, -1.0, 1.0))) - site.mask_deg


def _near_pass_grid(track: CoarseTrack, site: Site, step_s: float, margin_deg: float) -> np.ndarray:
    """A fine grid covering only the coarse steps around the site's passes.

    An azimuth-dependent horizon can cut a pass with an obstruction narrower than a coarse step;
    for such sites the search runs again on ``step_s`` around every coarse point where the
    satellite is within the hidden-pass margin of the lowest part of the horizon.
    """
    floor = min(site.mask_deg, float(np.min(site.horizon_elevation_deg))) - margin_deg
    el = frames.elevation_deg(site.frame, track.position_km)
    near = el > floor
    near[1:] |= near[:-1].copy()
    near[:-1] |= near[1:].copy()
    near[0] = near[-1] = True  # keep the padded ends so the grid still brackets the span
    coarse_step = track.grid_s[1] - track.grid_s[0]
    starts = track.grid_s[near]
    sub = np.arange(0.0, coarse_step, step_s)
    return np.unique((starts[:, None] + sub[None, :]).ravel())


HORIZON_STEP_S = 10.0


def hidden_pass_drop_deg(mask_deg: float, step_s: float, altitude_km: float) -> float:
    """How far below the mask the grid point next to the peak of a pass culminating just above the
    mask can sit (with 50 % to spare). [deg]

    The grid point nearest the peak lies within half a step of it. Over a flat Earth a satellite at
    height h passing at ground distance d = h / tan(mask) sits at el(τ) = atan(h / sqrt(d² + (vτ)²))
    a time τ from its peak, v at most the orbital speed plus the Earth's equatorial rotation speed;
    the drop mask − el(step/2) is taken with 50 % to spare. Low passes fall slowly (0.3° in 30 s at
    20° from 500 km), where ``HIDDEN_PASS_MARGIN_DEG`` bounds them; near the zenith the drop is
    large: a pass culminating at 85° falls ~20° in 30 s.
    """
    h = max(float(altitude_km), 100.0)
    v = np.sqrt(MU_KM3_S2 / (frames.EARTH_EQUATORIAL_RADIUS_KM + h)) + _EARTH_EQUATORIAL_SPEED_KM_S
    mask = np.radians(np.clip(mask_deg, 0.1, 89.9))
    d = h / np.tan(mask)
    el = np.arctan2(h, np.hypot(d, v * 0.5 * step_s))
    return float(1.5 * np.degrees(mask - el))


def visible_windows(satrec, t0, span_s, sites, step_s=COARSE_STEP_S, tol_s=1e-3, track=None,
                    within=None) -> list[np.ndarray]:
    """Intervals where the satellite is above each site's mask. [s]

    ``within`` (per site, sorted disjoint intervals, e.g. its nights): only the parts of the
    windows inside them are wanted; rises and sets outside them are left at the coarse step
    (:func:`positive_intervals`), so that only the intersection with ``within`` is exact.
    """
    track = track or coarse_track(satrec, t0, span_s, step_s)
    evaluate = _site_function(sites)(satrec, t0)
    smooth = [k for k, s in enumerate(sites) if not s.horizon_azimuth_deg]
    out: list[np.ndarray | None] = [None] * len(sites)
    coarse_step = float(track.grid_s[1] - track.grid_s[0])
    altitude_km = satrec.altp * satrec.radiusearthkm  # perigee: the fastest elevation changes
    if smooth:
        drops = [hidden_pass_drop_deg(sites[k].mask_deg, coarse_step, altitude_km) for k in smooth]
        found = positive_intervals(track.grid_s, _coarse_rows(track, [sites[k] for k in smooth]),
                                   lambda t, j: evaluate(t, np.asarray(smooth)[j]), span_s,
                                   [max(HIDDEN_PASS_MARGIN_DEG, d) for d in drops], tol_s,
                                   screen_deg=[max(HIDDEN_PASS_MARGIN_DEG / 5.0, d) for d in drops],
                                   within=None if within is None else [within[k] for k in smooth])
        for k, iv in zip(smooth, found):
            out[k] = iv
    for k, site in enumerate(sites):
        if out[k] is not None:
            continue
        grid = _near_pass_grid(track, site, HORIZON_STEP_S, max(HIDDEN_PASS_MARGIN_DEG, hidden_pass_drop_deg(
            max(site.mask_deg, float(np.max(site.horizon_elevation_deg))), coarse_step, altitude_km)))
        fine = CoarseTrack(grid, frames.propagate_itrs(satrec, t0, grid).position_km)
        (out[k],) = positive_intervals(fine.grid_s, _coarse_rows(fine, [site]),
                                       lambda t, j, k=k: evaluate(t, np.full(t.size, k)), span_s,
                                       HIDDEN_PASS_MARGIN_DEG, tol_s, minima=[True],
                                       within=None if within is None else [within[k]])
    return [iv if iv is not None else EMPTY for iv in out]


def dark_windows(sun: frames.BodyTrack, span_s, sites, sun_elevation_max_deg, tol_s=1e-2) -> list[np.ndarray]:
    """Intervals where the Sun is below ``sun_elevation_max_deg`` at each site (≥ 90: always). [s]

    The nights depend on the sites and the span only, not on the orbit: the last few sets are
    kept (read-only), so the points of a sweep over orbits compute their stations' nights once.
    """
    if sun_elevation_max_deg >= 90.0:
        return [np.array([[0.0, span_s]]) for _ in sites]
    key = tuple(tuple(tuple(float(x) for x in v) for v in (s.frame.position_km, s.frame.east, s.frame.north,
                                                             s.frame.up)) for s in sites)
    return list(_nights(sun, float(span_s), float(sun_elevation_max_deg), float(tol_s), key))


@functools.lru_cache(maxsize=4)
def _nights(sun: frames.BodyTrack, span_s: float, sun_elevation_max_deg: float, tol_s: float,
            site_frames: tuple) -> tuple[np.ndarray, ...]:
    """:func:`dark_windows` of sites given by their frames' vectors (``sun`` by identity: the
    cache holds it)."""
    sites = [Site("", frames.SiteFrame(*(np.array(v) for v in f)), 0.0) for f in site_frames]
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
    out = positive_intervals(grid, rows, evaluate, span_s, SUN_MARGIN_DEG, tol_s)
    for iv in out:
        iv.flags.writeable = False
    return tuple(out)


def culminations(satrec, t0, windows_s: np.ndarray, owner: np.ndarray, sites) -> tuple[np.ndarray, np.ndarray]:
    """Time and value of the highest elevation inside each window. [s], [deg]

    ``owner[i]`` is the index into ``sites`` of window ``i``. Within one pass the elevation of a
    LEO satellite is unimodal, so its maximum is where the elevation rate changes sign,
    d(sin el)/dt = (u·v)/ρ − (u·d)(d·v)/ρ³ (d = r − p the line of sight, ρ = ‖d‖, u the local up,
    v the satellite's ITRS velocity); the rate's root is found to 10 ms by the same vectorised
    root finder as the rises and sets. A window cut while the satellite still climbs (or already
    sinks) peaks at its end (or start).
    """
    if not len(windows_s):
        return np.empty(0), np.empty(0)

    def rate_and_elevation(t, j):
        st = frames.propagate_itrs(satrec, t0, t)
        rate, el = np.empty(t.size), np.empty(t.size)
        for k in np.unique(owner[j]):
            sel = owner[j] == k
            frame = sites[k].frame
            d = st.position_km[:, sel] - frame.position_km[:, None]
            v = st.velocity_km_s[:, sel]
            rho = np.sqrt(np.einsum("in,in->n", d, d))
            up_d = frames.dot3(frame.up, d)
            rate[sel] = frames.dot3(frame.up, v) / rho - up_d * np.einsum("in,in->n", d, v) / rho**3
            el[sel] = np.degrees(np.arcsin(np.clip(up_d / rho, -1.0, 1.0)))
        return rate, el

    idx = np.arange(len(windows_s))
    lo, hi = windows_s[:, 0], windows_s[:, 1]
    r_lo, el_lo = rate_and_elevation(lo, idx)
    r_hi, el_hi = rate_and_elevation(hi, idx)
    t = np.where(r_lo <= 0.0, lo, hi)  # already sinking at the start, or still climbing at the end
    el = np.where(r_lo <= 0.0, el_lo, el_hi)
    inner = np.flatnonzero((r_lo > 0.0) & (r_hi < 0.0))
    if inner.size:
        t[inner] = find_roots(lambda x, j: rate_and_elevation(x, inner[j])[0], lo[inner], hi[inner],
                              r_lo[inner], r_hi[inner], tol_s=1e-2)
        el[inner] = rate_and_elevation(t[inner], inner)[1]
    return t, el


def station_windows(satrec, t0, span_s, sites, sun, sun_elevation_max_deg,
                    min_duration_s=0.0, track=None, peaks: bool = True) -> list[StationWindows]:
    """Visible, dark and usable windows for every site, and (unless ``peaks`` is False) the time
    and value of each usable window's highest elevation. See the module docstring."""
    dark = dark_windows(sun, span_s, sites, sun_elevation_max_deg)
    # the nights first: rises and sets in daylight are never refined (their passes are not usable)
    visible = visible_windows(satrec, t0, span_s, sites, track=track, within=dark)
    out = []
    usable_all, owners = [], []
    for k in range(len(sites)):
        usable, _, _ = intersect(visible[k], dark[k])
        keep = (usable[:, 1] - usable[:, 0]) >= max(min_duration_s, 1e-9)
        usable_all.append(usable[keep])
        owners.append(np.full(int(keep.sum()), k))
    if not peaks:
        return [StationWindows(site, dark[k], usable_all[k], None) for k, site in enumerate(sites)]
    all_windows = np.concatenate(usable_all) if usable_all else EMPTY
    owner = np.concatenate(owners) if owners else np.empty(0, int)
    t_c, el_c = culminations(satrec, t0, all_windows, owner, sites)
    for k, site in enumerate(sites):
        sel = owner == k
        out.append(StationWindows(site, dark[k], usable_all[k], (t_c[sel], el_c[sel])))
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
