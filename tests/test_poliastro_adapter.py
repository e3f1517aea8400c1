"""The optional poliastro/hapsira seam (runs in CI's second environment, numpy < 2)."""
from datetime import UTC, datetime

import numpy as np
import pytest

hapsira = pytest.importorskip("hapsira")

import astropy.units as u  # noqa: E402
from astropy.time import Time  # noqa: E402
from hapsira.bodies import Earth  # noqa: E402
from hapsira.twobody import Orbit  # noqa: E402

from skyswap.mission.orbits import skydata  # noqa: E402
from skyswap.mission.orbits.poliastro import elements_from_poliastro  # noqa: E402
from skyswap.mission.orbits.sources import satrec_from_elements  # noqa: E402
from skyswap.mission.scenario.schema import Elements  # noqa: E402

pytestmark = pytest.mark.poliastro


def test_hapsira_orbit_becomes_elements_that_sgp4_flies_close_to_hapsira():
    orb = Orbit.circular(Earth, 500 * u.km, inc=97.4 * u.deg, raan=30 * u.deg, epoch=Time("2027-01-01T00:00:00", scale="utc"))
    el = Elements.model_validate(elements_from_poliastro(orb))  # valid as a scenario section
    assert el.semi_major_axis_km == pytest.approx(6378.1366 + 500, abs=0.5)
    assert el.eccentricity < 1e-6
    assert el.inclination_deg == pytest.approx(97.4, abs=0.2)  # GCRS → TEME tilts the equator slightly
    sat = satrec_from_elements(el.semi_major_axis_km, el.eccentricity, el.inclination_deg, el.raan_deg,
                               el.arg_perigee_deg, el.mean_anomaly_deg, el.epoch)
    ts = skydata.timescale()
    t0 = ts.from_datetime(datetime(2027, 1, 1, tzinfo=UTC))
    # position at epoch + 5 min: SGP4 (with J2) against hapsira's two-body propagation, both in GCRS
    from skyfield.api import EarthSatellite

    es = EarthSatellite.from_satrec(sat, ts)
    t = ts.tt_jd(t0.tt + 300 / 86400)
    r_sgp4 = es.at(t).position.km
    r_kep = orb.propagate(300 * u.s).r.to_value(u.km)
    assert np.linalg.norm(r_sgp4 - r_kep) < 30.0  # km: J2 and mean-vs-osculating differences only
