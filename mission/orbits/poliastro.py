"""Optional seam: a poliastro / hapsira ``Orbit`` as a skyswap orbit source.

poliastro cannot be installed on Python ≥ 3.11 (its last release, 0.17.0, declares
``Requires-Python <3.11``; the project is archived). Its maintained fork hapsira 0.18.0 installs
but imports only with astropy < 6.1 and numpy < 2 (with astropy 7: ``cannot import name
'matrix_product'``). So the core never imports either; ``pip install 'skyswap[poliastro]'``
brings hapsira with those pins, and this module turns its ``Orbit`` into the mapping of a
scenario's ``orbit.elements`` section::

    from hapsira.bodies import Earth
    from hapsira.twobody import Orbit
    orb = Orbit.circular(Earth, 500 * u.km, inc=97.4 * u.deg, epoch=Time("2027-01-01"))
    scenario = scenario.with_orbit({"elements": elements_from_poliastro(orb)})

The state vector is rotated from GCRS into SGP4's TEME frame at the orbit's epoch (Skyfield's
TEME frame), and the osculating elements there are handed to SGP4 as mean elements — the usual
approximation for design work (short-period J2 terms, a few km).
"""
from __future__ import annotations

import math
from datetime import UTC


def elements_from_poliastro(orbit) -> dict:
    """``orbit.elements`` mapping from a poliastro/hapsira ``Orbit`` around the Earth."""
    import numpy as np

    from . import skydata

    try:
        import astropy.units as u
        attractor = orbit.attractor.name
    except AttributeError as exc:
        raise TypeError(f"expected a poliastro/hapsira Orbit, got {type(orbit).__name__}") from exc
    if attractor != "Earth":
        raise ValueError(f"the orbit's attractor is {attractor}, not the Earth")
    from skyfield.sgp4lib import TEME

    epoch = orbit.epoch.to_datetime(timezone=UTC)
    t = skydata.timescale().from_datetime(epoch)
    rot = TEME.rotation_at(t)
    r = rot @ orbit.r.to_value(u.km)
    v = rot @ orbit.v.to_value(u.km / u.s)
    teme = type(orbit).from_vectors(orbit.attractor, r * u.km, v * (u.km / u.s), epoch=orbit.epoch)
    a, ecc, inc, raan, argp, nu = teme.classical()
    e = float(ecc.to_value(u.one))
    nu_rad = float(nu.to_value(u.rad))
    # true → eccentric → mean anomaly (Kepler's equation)
    ecc_anomaly = 2.0 * math.atan2(math.sqrt(1.0 - e) * math.sin(nu_rad / 2.0), math.sqrt(1.0 + e) * math.cos(nu_rad / 2.0))
    mean_anomaly = ecc_anomaly - e * math.sin(ecc_anomaly)
    return {
        "semi_major_axis_km": float(a.to_value(u.km)),
        "eccentricity": e,
        "inclination_deg": float(inc.to_value(u.deg)),
        "raan_deg": float(raan.to_value(u.deg)) % 360.0,
        "arg_perigee_deg": float(argp.to_value(u.deg)) % 360.0,
        "mean_anomaly_deg": float(np.degrees(mean_anomaly)) % 360.0,
        "epoch": epoch.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }
