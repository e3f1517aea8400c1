"""Orbit sources: TLE, CCSDS OMM, mean elements and designed orbits, all ending as a Skyfield
:class:`~skyfield.sgp4lib.EarthSatellite`.

SGP4 itself is the ``sgp4`` package (Vallado et al. 2006) driven through Skyfield; this module only
checks the user's input and builds the ``Satrec``.

References
----------
.. [1] D. A. Vallado, P. Crawford, R. Hujsak, T. S. Kelso, "Revisiting Spacetrack Report #3",
   AIAA 2006-6753 (2006). https://doi.org/10.2514/6.2006-6753
.. [2] D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., Microcosm
   Press (2013), §9.6 (J2 secular rates) and §11.4 (sun-synchronous orbits).
.. [3] CCSDS 502.0-B-3, *Orbit Data Messages* (2023), the OMM.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sgp4.api import WGS72, Satrec
from sgp4.earth_gravity import wgs72

from ..scenario.errors import InputError
from ..scenario.files import TLE_FIELDS, parse_tle, read_omm_fields, tle_checksum  # noqa: F401 (re-exported)
from . import skydata

#: SGP4's own constants (WGS-72, as the TLE theory requires [1]).
MU_KM3_S2 = wgs72.mu
EARTH_RADIUS_KM = wgs72.radiusearthkm
J2 = wgs72.j2
#: Rate of the mean Sun in right ascension: 360° per tropical year of 365.2421897 d [2].
SUN_MEAN_MOTION_RAD_S = 2.0 * math.pi / (365.2421897 * 86400.0)
#: Perigee altitude under which an orbit is treated as decayed.
MIN_PERIGEE_ALTITUDE_KM = 100.0
_JD_1949_12_31 = 2433281.5


class EpochWarning(UserWarning):
    """The element epoch lies far from the span: SGP4 accuracy degrades."""


@dataclass(frozen=True)
class OrbitInfo:
    """What the planner reports about the orbit it used.

    Attributes
    ----------
    source : str
        ``tle``, ``omm``, ``elements``, ``sun_synchronous`` or ``poliastro``.
    epoch_utc : str
        Element epoch, ISO 8601 UTC.
    semi_major_axis_km, eccentricity, inclination_deg, raan_deg : float
        Mean elements at epoch. [km], [1], [deg], [deg]
    period_min : float
        Kozai mean-motion period. [min]
    """

    source: str
    epoch_utc: str
    semi_major_axis_km: float
    eccentricity: float
    inclination_deg: float
    raan_deg: float
    period_min: float


# --------------------------------------------------------------------------------------------- TLE

def _satrec_from_tle(l1: str, l2: str, field: str) -> Satrec:
    try:
        sat = Satrec.twoline2rv(l1, l2, WGS72)
    except Exception as exc:  # sgp4 raises ValueError with its own wording on malformed fields
        raise InputError(field, l1, f"TLE cannot be read: {exc}") from None
    return sat


# ------------------------------------------------------------------------------------------- OMM

def _satrec_from_omm(path: str, field: str) -> Satrec:
    """The ``Satrec`` of the first CCSDS OMM record of a file (:func:`mission.scenario.files.read_omm_fields`) [3]."""
    from sgp4 import omm

    fields = read_omm_fields(path, field)
    sat = Satrec()
    try:
        omm.initialize(sat, fields)
    except Exception as exc:  # a field that is not a number or a date
        raise InputError(field, path, f"is not a CCSDS OMM ({type(exc).__name__} in its fields)") from None
    return sat


# -------------------------------------------------------------------------------- mean elements

def mean_motion_rad_s(semi_major_axis_km: float) -> float:
    """Two-body mean motion n = sqrt(μ/a³). [rad/s]"""
    return math.sqrt(MU_KM3_S2 / semi_major_axis_km**3)


def satrec_from_elements(
    semi_major_axis_km: float,
    eccentricity: float,
    inclination_deg: float,
    raan_deg: float,
    arg_perigee_deg: float,
    mean_anomaly_deg: float,
    epoch: datetime,
    bstar_per_earth_radius: float = 0.0,
    satnum: int = 99999,
) -> Satrec:
    """Initialise SGP4 from mean elements with ``Satrec.sgp4init`` [1].

    The mean motion is the two-body n = sqrt(μ/a³) for the given semi-major axis; SGP4 treats it
    as the Kozai mean motion, which for design work is the usual approximation (the difference is
    the J2 correction, a few km in a).

    Parameters
    ----------
    semi_major_axis_km : float  [km]
    eccentricity : float  [1]
    inclination_deg, raan_deg, arg_perigee_deg, mean_anomaly_deg : float  [deg]
        Angles in SGP4's TEME frame.
    epoch : datetime
        Element epoch, timezone-aware UTC.
    bstar_per_earth_radius : float
        SGP4 drag term B*. [1/earth radii]
    """
    epoch_jd = _datetime_to_jd(epoch)
    sat = Satrec()
    no_kozai_rad_min = mean_motion_rad_s(semi_major_axis_km) * 60.0
    sat.sgp4init(
        WGS72, "i", satnum, epoch_jd - _JD_1949_12_31, bstar_per_earth_radius, 0.0, 0.0,
        eccentricity, math.radians(arg_perigee_deg), math.radians(inclination_deg),
        math.radians(mean_anomaly_deg), no_kozai_rad_min, math.radians(raan_deg),
    )
    return sat


# ---------------------------------------------------------------------- sun-synchronous design

def sun_synchronous_inclination_deg(semi_major_axis_km: float, eccentricity: float = 0.0) -> float:
    """Inclination at which J2 turns the node at the Sun's mean rate.

    The secular J2 nodal rate is dΩ/dt = −(3/2)·n·J2·(R⊕/p)²·cos i (Eq. 9-41 of [2]); setting it
    to 360° per tropical year gives cos i = −(2/3)·Ω̇_sun·p²/(n·J2·R⊕²) (§11.4 of [2]).

    Parameters
    ----------
    semi_major_axis_km : float  [km]
    eccentricity : float  [1]

    Returns
    -------
    float
        Inclination, NaN where no sun-synchronous inclination exists (a too high). [deg]
    """
    n = mean_motion_rad_s(semi_major_axis_km)
    p_km = semi_major_axis_km * (1.0 - eccentricity**2)
    cos_i = -2.0 * SUN_MEAN_MOTION_RAD_S * p_km**2 / (3.0 * n * J2 * EARTH_RADIUS_KM**2)  # Eq. 9-41 of [2]
    if abs(cos_i) > 1.0:
        return float("nan")
    return math.degrees(math.acos(cos_i))


def sun_right_ascension_teme_deg(epoch: datetime) -> float:
    """Apparent right ascension of the Sun in SGP4's TEME frame at ``epoch``. [deg]

    From the JPL DE421 ephemeris shipped by skyfield-data, rotated into TEME so that it can be
    compared with SGP4's RAAN.
    """
    from skyfield.sgp4lib import TEME


    ts = skydata.timescale()
    eph = skydata.ephemeris()
    t = ts.from_datetime(epoch)
    _, lon, _ = eph["earth"].at(t).observe(eph["sun"]).apparent().frame_latlon(TEME)
    return float(lon.degrees % 360.0)


def sun_synchronous_raan_deg(ltan_h: float, epoch: datetime) -> float:
    """RAAN that puts the ascending node at local time ``ltan_h``: Ω = α☉ + 15°·(LTAN − 12 h).

    Local time here is apparent solar time: the angle is measured from the true Sun's right
    ascension at epoch (§11.4 of [2]).

    Parameters
    ----------
    ltan_h : float
        Local time of the ascending node. [h]
    epoch : datetime
        UTC epoch.

    Returns
    -------
    float  [deg], in [0, 360)
    """
    return (sun_right_ascension_teme_deg(epoch) + 15.0 * (ltan_h - 12.0)) % 360.0


# ----------------------------------------------------------------------------------- utilities

def _datetime_to_jd(dt: datetime) -> float:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    dt = dt.astimezone(UTC)
    unix = dt.timestamp()
    return 2440587.5 + unix / 86400.0


def satrec_epoch(sat: Satrec) -> datetime:
    """Element epoch of a ``Satrec`` as a timezone-aware UTC datetime."""
    jd = sat.jdsatepoch + sat.jdsatepochF
    unix = (jd - 2440587.5) * 86400.0
    return datetime.fromtimestamp(round(unix, 3), tz=UTC)


def orbit_info(sat: Satrec, source: str) -> OrbitInfo:
    """Mean elements of a ``Satrec`` for the report."""
    a_km = sat.a * EARTH_RADIUS_KM
    return OrbitInfo(
        source=source,
        epoch_utc=satrec_epoch(sat).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        semi_major_axis_km=float(a_km),
        eccentricity=float(sat.ecco),
        inclination_deg=math.degrees(sat.inclo),
        raan_deg=math.degrees(sat.nodeo) % 360.0,
        period_min=2.0 * math.pi / sat.no_kozai,
    )


def check_orbit(sat: Satrec, field: str) -> None:
    """Refuse orbits SGP4 cannot fly: hyperbolic, non-positive mean motion, decayed perigee.

    Raises
    ------
    InputError
    """
    if not (0.0 <= sat.ecco < 1.0):
        raise InputError(field, float(sat.ecco), "eccentricity must be in [0, 1): not a closed orbit")
    if not sat.no_kozai > 0.0:
        raise InputError(field, float(sat.no_kozai), "mean motion must be positive")
    perigee_km = sat.a * (1.0 - sat.ecco) * EARTH_RADIUS_KM - EARTH_RADIUS_KM
    if perigee_km < MIN_PERIGEE_ALTITUDE_KM:
        raise InputError(
            field, round(float(perigee_km), 1),
            f"perigee altitude below {MIN_PERIGEE_ALTITUDE_KM:.0f} km: the orbit has decayed",
        )


def check_epoch(
    sat: Satrec,
    span_start: datetime,
    span_end: datetime,
    field: str,
    warn_days: float = 14.0,
    max_days: float = 400.0,
) -> None:
    """Compare the element epoch with the span.

    Warns (:class:`EpochWarning`) when the span reaches more than ``warn_days`` from the epoch and
    raises :class:`InputError` past ``max_days``.
    """
    epoch = satrec_epoch(sat)
    reach_days = max(abs((span_start - epoch).total_seconds()), abs((span_end - epoch).total_seconds())) / 86400.0
    if reach_days > max_days:
        raise InputError(
            field, epoch.strftime("%Y-%m-%dT%H:%M:%SZ"),
            f"element epoch is {reach_days:.0f} days from the span; the limit is {max_days:g} days "
            "(orbit.max_epoch_offset_days)",
        )
    if reach_days > warn_days:
        warnings.warn(
            f"the span reaches {reach_days:.0f} days from the element epoch "
            f"{epoch:%Y-%m-%d}; SGP4 timing errors grow with that distance",
            EpochWarning,
            stacklevel=2,
        )


def check_propagates(sat: Satrec, span_start: datetime, span_end: datetime, field: str) -> None:
    """Propagate at a few times across the span; SGP4 error codes (decay, e ≥ 1) become InputError."""
    jd0 = _datetime_to_jd(span_start)
    jd1 = _datetime_to_jd(span_end)
    jd = np.linspace(jd0, jd1, 64)
    whole = np.floor(jd)
    err, _, _ = sat.sgp4_array(whole, jd - whole)
    bad = np.flatnonzero(err)
    if bad.size:
        from sgp4.api import SGP4_ERRORS

        when = (span_start + (span_end - span_start) * (bad[0] / 63.0)).strftime("%Y-%m-%d")
        raise InputError(field, when, f"SGP4 fails during the span: {SGP4_ERRORS[int(err[bad[0]])]}")


# ------------------------------------------------------------------------------ from a scenario

def build_orbit(orbit, span, where: str = "orbit") -> tuple[Satrec, OrbitInfo]:
    """The ``Satrec`` for one satellite's orbit over the scenario's ``span``, fully checked.

    Parameters
    ----------
    orbit : mission.scenario.schema.Orbit
        A single-satellite orbit (a Walker member comes as ``elements``: see ``Scenario.satellites``).
    span : mission.scenario.schema.Span
    where : str
        The orbit's field in the scenario, for error lines (``orbit``, ``orbit[1]``).

    Raises
    ------
    InputError
    """
    source = orbit.source
    field = f"{where}.{source}"
    if source == "tle":
        _, l1, l2 = parse_tle(orbit.tle, field)
        sat = _satrec_from_tle(l1, l2, field)
    elif source == "omm":
        sat = _satrec_from_omm(orbit.omm, field)
    elif source == "elements":
        el = orbit.elements
        a_km = el.semi_major_axis_km if el.semi_major_axis_km is not None else EARTH_RADIUS_KM + el.altitude_km
        sat = satrec_from_elements(
            a_km, el.eccentricity, el.inclination_deg, el.raan_deg, el.arg_perigee_deg,
            el.mean_anomaly_deg, el.epoch or span.start_utc, el.bstar_per_earth_radius,
        )
    else:
        sso = orbit.sun_synchronous
        epoch = sso.epoch or span.start_utc
        a_km = EARTH_RADIUS_KM + sso.altitude_km
        inc = sun_synchronous_inclination_deg(a_km)
        if math.isnan(inc):
            raise InputError(f"{where}.sun_synchronous.altitude_km", sso.altitude_km,
                             "no sun-synchronous orbit exists at this altitude")
        sat = satrec_from_elements(a_km, 0.0, inc, sun_synchronous_raan_deg(sso.ltan_h, epoch), 0.0,
                                   sso.mean_anomaly_deg, epoch)
    check_orbit(sat, field)
    if source in ("tle", "omm"):  # a tracked satellite's elements age; a designed orbit has no truth to drift from
        check_epoch(sat, span.start_utc, span.end_utc, field, orbit.warn_epoch_offset_days, orbit.max_epoch_offset_days)
    check_propagates(sat, span.start_utc, span.end_utc, field)
    return sat, orbit_info(sat, source)
