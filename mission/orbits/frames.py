"""Time, propagation and frames: the one place that turns seconds into ITRS vectors.

Time inside skyswap is a float array of TT seconds since the span start ``t0`` (a Skyfield
``Time``); at 1e8 s a float64 still resolves 15 ns. Everything is vectorised over that axis.

* The satellite: SGP4 (``Satrec.sgp4_array``) gives TEME vectors; TEME → ITRS is a rotation by
  Greenwich mean sidereal time (IAU-82 GMST, Skyfield's ``theta_GMST1982``), exactly Skyfield's own
  ``TEME_to_ITRF`` path (Vallado et al. 2006, AIAA 2006-6753, §4). Polar motion is neglected
  (≈ 10 m at the surface).
* The Sun and Moon: apparent geocentric positions from DE421 (skyfield-data) on a 1-hour grid,
  rotated to TEME with a precession–nutation matrix tabulated daily, interpolated linearly to the
  sample times, then rotated to ITRS like the satellite. Linear interpolation of the TEME vector
  errs by ~1e-5° for the Sun and ~1e-3° for the Moon (tests compare with Skyfield's full chain).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from skyfield.sgp4lib import theta_GMST1982

from . import skydata

DAY_S = 86400.0
#: WGS-84 equatorial radius, used for the Earth-shadow test. [km]
EARTH_EQUATORIAL_RADIUS_KM = 6378.137
#: Step of the Sun and Moon tables that samples read by linear interpolation. [s]
BODY_GRID_STEP_S = 3600.0
#: Skyfield evaluates the bodies every this many table steps; six-point Lagrange interpolation
#: fills the table between (:meth:`BodyTrack.__init__`).
BODY_NODE_EVERY = 6
ROTATION_GRID_STEP_S = DAY_S


def times(t0, seconds):
    """Skyfield ``Time`` array at ``seconds`` TT after ``t0`` (precision kept in two parts)."""
    ts = skydata.timescale()
    return ts.tt_jd(t0.whole, t0.tt_fraction + np.asarray(seconds, dtype=float) / DAY_S)


@dataclass(frozen=True, eq=False)
class EarthRotation:
    """The Earth's rotation at a set of times (``seconds`` after the span start): the Skyfield
    ``Time`` of each, and GMST, its cosine and sine and its rate (IAU-82, Skyfield's
    ``theta_GMST1982``). Computed once and shared by every body rotated to ITRS at those times
    (the satellite, the Sun, the Moon). [s], [rad], [1], [rad/day] (Compared and hashed by
    identity.)"""

    seconds: np.ndarray
    time: Any
    theta_rad: np.ndarray
    theta_dot_rad_day: np.ndarray
    cos: np.ndarray
    sin: np.ndarray


def earth_rotation(t0, seconds) -> EarthRotation:
    """:class:`EarthRotation` at ``seconds`` TT after ``t0``. [s]"""
    s = np.atleast_1d(np.asarray(seconds, dtype=float))
    t = times(t0, s)
    theta, theta_dot = theta_GMST1982(t.whole, t.ut1_fraction)
    return EarthRotation(s, t, theta, theta_dot, np.cos(theta), np.sin(theta))


def _gmst_rotate(t, r_teme_km, v_teme_km_s=None, rotation: EarthRotation | None = None):
    """Rotate TEME vectors (3, N) to ITRS (pseudo Earth-fixed) by GMST; velocity gains ω×r
    (``rotation``: the GMST of ``t``, when computed already)."""
    if rotation is not None:
        theta_dot, c, s = rotation.theta_dot_rad_day, rotation.cos, rotation.sin
    else:
        theta, theta_dot = theta_GMST1982(t.whole, t.ut1_fraction)
        c, s = np.cos(theta), np.sin(theta)
    x, y, z = r_teme_km
    r = np.stack([c * x + s * y, -s * x + c * y, z])
    if v_teme_km_s is None:
        return r, None
    vx, vy, vz = v_teme_km_s
    omega = theta_dot / DAY_S  # rad/s
    v = np.stack([c * vx + s * vy + omega * r[1], -s * vx + c * vy - omega * r[0], vz])
    return r, v


@dataclass(frozen=True)
class StateITRS:
    """Satellite position and velocity in ITRS, shape (3, N). [km], [km/s]

    ``error`` holds SGP4's error code per sample (0 = fine).
    """

    position_km: np.ndarray
    velocity_km_s: np.ndarray
    error: np.ndarray


def propagate_itrs(satrec, t0, seconds, rotation: EarthRotation | None = None) -> StateITRS:
    """Propagate a ``Satrec`` with SGP4 and rotate to ITRS.

    Parameters
    ----------
    satrec : sgp4.api.Satrec
    t0 : skyfield.timelib.Time
        Span start.
    seconds : array_like
        TT seconds since ``t0``. [s]
    rotation : EarthRotation, optional
        The Earth's rotation at ``seconds`` (:func:`earth_rotation`), when computed already.
    """
    t = times(t0, seconds) if rotation is None else rotation.time
    # SGP4 takes UTC Julian dates (Vallado et al. 2006), as Skyfield's EarthSatellite does.
    err, r, v = satrec.sgp4_array(np.atleast_1d(t.whole), np.atleast_1d(t.tai_fraction - t._leap_seconds() / DAY_S))
    r_itrs, v_itrs = _gmst_rotate(t, r.T, v.T, rotation)
    return StateITRS(r_itrs, v_itrs, err)


#: Node spacing of :class:`DenseGrid`. [s] With six-point Lagrange interpolation, satellite samples
#: between SGP4 nodes differ from SGP4 at the same instant by < 0.1 mm (and < 0.1 mm/s) in LEO and
#: ~1 mm at a Molniya perigee (tests/test_sample_plumbing.py compares every sample of two days):
#: far below SGP4's own error against the real orbit, of order 1 km within a few days of the
#: element epoch in LEO (as Wikipedia's "Two-line element set" states it, citing T. S. Kelso,
#: AAS 07-127, 2007, which this project has not read: an order of magnitude, not a bound we use).
DENSE_NODE_STEP_S = 30.0
_STENCIL = np.arange(-2, 4)  # the six nodes around a sample: m - 2 to m + 3 (m: the node before it)


def lagrange6_weights(s: np.ndarray) -> np.ndarray:
    """Weights (6, N) of the six equally spaced nodes -2 to 3 for interpolating at ``s`` (in node
    steps after node 0; 0 <= s < 1 for the best-centred use): the Lagrange basis polynomials
    ``l_j(s) = Π_{m≠j} (s - m) / (j - m)``."""
    s = np.asarray(s, dtype=float)
    d = [s - m for m in _STENCIL]
    out = np.empty((_STENCIL.size, s.size))
    for a, j in enumerate(_STENCIL):
        w = np.full(s.size, 1.0 / float(np.prod([j - m for m in _STENCIL if m != j])))
        for b, m in enumerate(_STENCIL):
            if m != j:
                w *= d[b]
        out[a] = w
    return out


def lagrange6(values: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``values`` (c, n) on equally spaced nodes 0 … n-1 interpolated at ``x`` (in node steps;
    2 <= x < n - 3, so that each point has its six nodes m - 2 … m + 3): (c, len(x))."""
    x = np.asarray(x, dtype=float)
    m = np.floor(x).astype(np.int64)
    w = lagrange6_weights(x - m)
    return np.einsum("jn,cjn->cn", w, values[:, m[None, :] + _STENCIL[:, None]])


@dataclass(frozen=True)
class DenseGrid:
    """Nodes every ``q`` steps of a sample grid ``t = k · step``, around sorted distinct ``k``, and
    six-point Lagrange interpolation from them to the samples.

    The weights depend only on ``k mod q``, so interpolation is one small matrix product per node
    interval (``(6, q)`` weights times the interval's six node values) and a gather.
    """

    nodes_s: np.ndarray  # (n_nodes,) node times [s]
    stencil: np.ndarray  # (n_intervals, 6) node rows around each interval holding samples
    row: np.ndarray      # (n,) each sample's interval
    phase: np.ndarray    # (n,) k mod q
    weights: np.ndarray  # (6, q)

    def interpolate(self, values: np.ndarray) -> np.ndarray:
        """``values`` (n_nodes, c) at the nodes → (n, c) at the samples.

        Where the intervals are well filled (at most half their ``q`` phases empty on average), all
        ``q`` phases of every interval in one product and a gather; else (a fine step, short
        windows: ``q`` may be thousands) each sample's six weights, so that memory stays ~n·c."""
        n, q = self.row.size, self.weights.shape[1]
        if self.stencil.shape[0] * q <= 2 * n:
            # einsum, not matmul (2x faster here): matmul goes to BLAS, whose per-CPU kernels may
            # round differently between machines (see dot3); einsum sums the six nodes in order
            per_interval = np.einsum("jq,ijc->iqc", self.weights, values[self.stencil])
            return per_interval[self.row, self.phase]
        w = self.weights[:, self.phase]
        rows = self.stencil[self.row]
        out = w[0][:, None] * values[rows[:, 0]]
        for j in range(1, _STENCIL.size):
            out += w[j][:, None] * values[rows[:, j]]
        return out


def dense_grid(t0, k: np.ndarray, step_s: float, node_step_s: float = DENSE_NODE_STEP_S) -> DenseGrid | None:
    """The :class:`DenseGrid` of sorted distinct grid indices ``k``, or None where interpolating would
    not pay (nodes no fewer than samples) or would be wrong for SGP4 (a leap second among the nodes:
    SGP4 runs on UTC, which jumps there)."""
    k = np.asarray(k, dtype=np.int64)
    q = max(1, int(round(node_step_s / float(step_s))))
    m0, phase = np.divmod(k, q)
    first = np.ones(m0.size, dtype=bool)
    np.not_equal(m0[1:], m0[:-1], out=first[1:])
    intervals = m0[first]
    nodes = np.unique((intervals[:, None] + _STENCIL).ravel())
    if nodes.size >= k.size:
        return None
    nodes_s = nodes * (q * float(step_s))
    leap = times(t0, nodes_s[[0, -1]])._leap_seconds()
    if leap[0] != leap[1]:
        return None
    stencil = np.searchsorted(nodes, intervals)[:, None] + _STENCIL
    return DenseGrid(nodes_s, stencil, np.cumsum(first) - 1, phase, lagrange6_weights(np.arange(q) / q))


# --------------------------------------------------------------------------------- Sun and Moon

class BodyTrack:
    """Apparent geocentric Sun or Moon over a span, cheap to evaluate in ITRS at any time.

    Parameters
    ----------
    body : str
        ``"sun"`` or ``"moon"``.
    t0 : skyfield.timelib.Time
        Span start.
    span_s : float
        Span length. [s]
    gcrs_to_teme : ndarray (3, 3, n), optional
        The rotation at the table's times (:meth:`table_s`), when computed already (the Sun's and
        the Moon's tables share their times).
    """

    @staticmethod
    def table_s(span_s: float) -> np.ndarray:
        """The table's times: every ``BODY_GRID_STEP_S`` from half a step before the span to past its end. [s]"""
        n = int(np.ceil(span_s / BODY_GRID_STEP_S)) + 2
        return (np.arange(n) - 0.5) * BODY_GRID_STEP_S

    def __init__(self, body: str, t0, span_s: float, gcrs_to_teme: np.ndarray | None = None):
        self.t0 = t0
        eph = skydata.ephemeris()
        self.grid_s = self.table_s(span_s)
        n = self.grid_s.size
        # Skyfield's apparent position (light time, aberration, deflection) is the expensive part:
        # it runs on nodes every BODY_NODE_EVERY table steps, two before the table to three after,
        # and the table between comes by six-point Lagrange interpolation; tables filled so differ
        # from Skyfield at the same instants by < 1 m (tests/test_orbit.py), far below what the
        # linear interpolation of samples between table steps moves (km for the Moon).
        every = BODY_NODE_EVERY
        node_s = self.grid_s[0] + np.arange(-2, (n - 1) // every + 4) * (every * BODY_GRID_STEP_S)
        at_table = 2.0 + np.arange(n) / every  # each table time, in node steps
        t = times(t0, node_s)
        gcrs = lagrange6(eph["earth"].at(t).observe(eph[body]).apparent().position.km, at_table)  # (3, n)
        rot = _gcrs_to_teme(t0, self.grid_s) if gcrs_to_teme is None else gcrs_to_teme  # (3, 3, n)
        self.teme_km = np.einsum("ijn,jn->in", rot, gcrs)
        if body == "moon":
            from skyfield import almanac

            self.illumination = lagrange6(almanac.fraction_illuminated(eph, "moon", t)[None], at_table)[0]
        else:
            self.illumination = None

    def teme_km_at(self, seconds) -> np.ndarray:
        """Linear interpolation on the grid; (3, N). [km]"""
        s = np.asarray(seconds, dtype=float)
        return np.stack([np.interp(s, self.grid_s, row) for row in self.teme_km])

    def itrs_km_at(self, seconds, rotation: EarthRotation | None = None) -> np.ndarray:
        """Position in ITRS at ``seconds`` after ``t0``; (3, N) (``rotation``: the Earth's rotation
        at ``seconds``, when computed already). [km]"""
        s = np.atleast_1d(np.asarray(seconds, dtype=float))
        r, _ = _gmst_rotate(times(self.t0, s) if rotation is None else rotation.time, self.teme_km_at(s),
                            rotation=rotation)
        return r

    def illumination_at(self, seconds) -> np.ndarray:
        """Illuminated fraction of the Moon's disc (0..1). [1]"""
        if self.illumination is None:
            raise AttributeError("illumination is tabulated for the Moon only")
        return np.interp(np.asarray(seconds, dtype=float), self.grid_s, self.illumination)


def _gcrs_to_teme(t0, seconds) -> np.ndarray:
    """GCRS → TEME rotation matrices (3, 3, N), from Skyfield's TEME frame tabulated daily."""
    from skyfield.sgp4lib import TEME

    s = np.asarray(seconds, dtype=float)
    lo, hi = s.min(), s.max()
    n = int(np.ceil((hi - lo) / ROTATION_GRID_STEP_S)) + 1
    grid = lo + np.arange(n + 1) * ROTATION_GRID_STEP_S
    table = TEME.rotation_at(times(t0, grid))  # (3, 3, n+1)
    out = np.empty((3, 3, s.size))
    for i in range(3):
        for j in range(3):
            out[i, j] = np.interp(s, grid, table[i, j])
    return out


@functools.lru_cache(maxsize=8)
def body_tracks(t0_tt: float, span_s: float):
    """Sun and Moon tracks for a span, cached by (t0 TT Julian date, span)."""
    t0 = skydata.timescale().tt_jd(t0_tt)
    rot = _gcrs_to_teme(t0, BodyTrack.table_s(span_s))
    return BodyTrack("sun", t0, span_s, rot), BodyTrack("moon", t0, span_s, rot)


def sunlit(sat_itrs_km: np.ndarray, sun_itrs_km: np.ndarray) -> np.ndarray:
    """True where the line from the satellite to the Sun's centre misses the Earth.

    Line-of-sight test against a sphere of the WGS-84 equatorial radius, the model of
    Skyfield's ``is_sunlit``; penumbra is not resolved (it lasts ~10 s per eclipse in LEO).

    Parameters
    ----------
    sat_itrs_km, sun_itrs_km : ndarray, shape (3, N)  [km]
    """
    d = sun_itrs_km - sat_itrs_km
    d_hat = d / np.linalg.norm(d, axis=0)
    along = -np.sum(sat_itrs_km * d_hat, axis=0)  # distance along the ray to the closest approach to the geocentre
    closest_sq = np.sum(sat_itrs_km**2, axis=0) - along**2
    return (along < 0.0) | (closest_sq > EARTH_EQUATORIAL_RADIUS_KM**2)


# -------------------------------------------------------------------------------------- sites

@dataclass(frozen=True)
class SiteFrame:
    """A ground site's ITRS position and its local east/north/up unit vectors."""

    position_km: np.ndarray  # (3,)
    east: np.ndarray
    north: np.ndarray
    up: np.ndarray


def site_frame(latitude_deg: float, longitude_deg: float, altitude_m: float) -> SiteFrame:
    """WGS-84 geodetic site → ITRS position and ENU axes (Skyfield's ``wgs84.latlon``)."""
    from skyfield.api import wgs84

    pos = wgs84.latlon(latitude_deg, longitude_deg, elevation_m=altitude_m).itrs_xyz.km
    lat, lon = np.radians(latitude_deg), np.radians(longitude_deg)
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    east = np.array([-np.sin(lon), np.cos(lon), 0.0])
    north = np.cross(up, east)
    return SiteFrame(np.asarray(pos, dtype=float), east, north, up)


def dot3(v: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``v · m[:, n]`` for every column of a (3, N) array (``v`` a 3-vector, or (3, N) itself for
    column-by-column products): three products and two sums, elementwise.

    Written out rather than ``v @ m``: numpy hands that product to BLAS, whose kernels are picked per
    CPU (so the last bit may differ between machines) and which is ~10x slower for this shape
    (7.6 ms against 0.7 ms for 175,000 columns on the benchmark machine; a year's window search
    and sample geometry take millions of them). Elementwise ufuncs give the same bits everywhere.
    """
    return v[0] * m[0] + v[1] * m[1] + v[2] * m[2]


def elevation_deg(site: SiteFrame, target_itrs_km: np.ndarray) -> np.ndarray:
    """Geometric elevation of targets (3, N) above the site's geodetic horizon. [deg]"""
    d = target_itrs_km - site.position_km[:, None]
    rng = np.sqrt(dot3(d, d))
    return np.degrees(np.arcsin(np.clip(dot3(site.up, d) / rng, -1.0, 1.0)))


def topocentric(site: SiteFrame, r_km: np.ndarray, v_km_s: np.ndarray | None = None):
    """Azimuth, elevation, range and range rate of targets (3, N) from a site.

    Returns
    -------
    azimuth_deg : ndarray  [deg], from north through east, in [0, 360)
    elevation_deg : ndarray  [deg]
    range_km : ndarray  [km]
    range_rate_km_s : ndarray or None  [km/s], positive when receding
    """
    d = r_km - site.position_km[:, None]
    rng = np.sqrt(dot3(d, d))
    e, n, u = dot3(site.east, d), dot3(site.north, d), dot3(site.up, d)
    az = np.degrees(np.arctan2(e, n)) % 360.0
    el = np.degrees(np.arcsin(np.clip(u / rng, -1.0, 1.0)))
    rr = None if v_km_s is None else dot3(d, v_km_s) / rng
    return az, el, rng, rr


def utc_iso(t0, seconds, unit: str = "ms") -> np.ndarray:
    """ISO 8601 UTC strings with a trailing ``Z`` for ``seconds`` after ``t0`` (vectorised).

    Leap seconds are honoured through Skyfield's UTC calendar; a time inside a leap second is
    shown as the first instant of the next day.
    """
    s = np.atleast_1d(np.asarray(seconds, dtype=float))
    if not s.size:
        return np.empty(0, dtype=object)
    y, mo, d, h, mi, sec = (np.atleast_1d(x) for x in times(t0, s).utc)
    months = ((y.astype(np.int64) - 1970) * 12 + (mo.astype(np.int64) - 1)).astype("datetime64[M]")
    day = months.astype("datetime64[D]") + (d.astype(np.int64) - 1)
    ns = (h.astype(np.int64) * 3600 + mi.astype(np.int64) * 60) * 1_000_000_000 + np.round(sec * 1e9).astype(np.int64)
    stamp = day.astype("datetime64[ns]") + ns
    return np.char.add(np.datetime_as_string(stamp, unit=unit), "Z").astype(object)  # type: ignore[call-overload]
