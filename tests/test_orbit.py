"""Orbit sources: TLE checks, OMM, elements, sun-synchronous design."""
from __future__ import annotations

import math
import warnings
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from skyswap.mission.orbits import frames, skydata
from skyswap.mission.orbits.sources import (
    EpochWarning,
    check_epoch,
    check_orbit,
    orbit_info,
    parse_tle,
    satrec_from_elements,
    sun_synchronous_inclination_deg,
    sun_synchronous_raan_deg,
    tle_checksum,
)
from skyswap.mission.scenario.errors import InputError

# ISS (ZARYA), a TLE reproduced in Vallado et al. 2006 style test sets; the checksum digits are the TLE's own.
L1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927"
L2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537"


def test_checksums_of_a_published_tle():
    assert tle_checksum(L1) == 7
    assert tle_checksum(L2) == 7


@pytest.mark.parametrize("text, fragment", [
    (L1 + "\n" + L2[:-1] + "8", "checksum"),
    (L1 + "\n" + L2[:60], "columns"),
    (L2 + "\n" + L1, "swapped"),
    (L1, "2 or 3 lines"),
    (L1 + "\n" + (lambda x: x[:68] + str(tle_checksum(x)))(L2.replace("25544", "25545", 1)), "catalog numbers"),
])
def test_malformed_tles_are_refused_with_one_clear_line(text, fragment):
    with pytest.raises(InputError) as err:
        parse_tle(text)
    assert fragment in str(err.value)
    assert err.value.field == "orbit.tle"
    assert "\n" not in str(err.value)


def test_three_line_tle_keeps_the_name():
    name, l1, l2 = parse_tle("ISS (ZARYA)\n" + L1 + "\n" + L2)
    assert name == "ISS (ZARYA)" and l1 == L1 and l2 == L2


def test_elements_round_trip_through_sgp4init():
    ep = datetime(2027, 1, 1, tzinfo=UTC)
    sat = satrec_from_elements(6878.137, 0.001, 97.4, 120.0, 30.0, 10.0, ep)
    info = orbit_info(sat, "elements")
    assert info.inclination_deg == pytest.approx(97.4, abs=1e-9)
    assert info.raan_deg == pytest.approx(120.0, abs=1e-9)
    assert info.eccentricity == pytest.approx(0.001)
    assert info.epoch_utc.startswith("2027-01-01T00:00:00")
    # two-body period of a 6878 km orbit: 2π sqrt(a³/μ) = 94.62 min
    assert info.period_min == pytest.approx(2 * math.pi * math.sqrt(6878.137**3 / 398600.8) / 60, rel=1e-9)


def test_sun_synchronous_node_tracks_the_sun():
    """The designed orbit's node stays at the same local time: after 90 days the RAAN has moved
    with the mean Sun (0.9856°/day), so the angle between node and Sun is kept within the
    equation of time (±4°)."""
    ep = datetime(2027, 1, 1, tzinfo=UTC)
    a = 6378.135 + 500
    inc = sun_synchronous_inclination_deg(a)
    raan = sun_synchronous_raan_deg(22.5, ep)
    sat = satrec_from_elements(a, 0.0, inc, raan, 0.0, 0.0, ep)
    # secular node rate from SGP4 itself: nodedot [rad/min]
    rate_deg_day = math.degrees(sat.nodedot) * 1440.0
    assert rate_deg_day == pytest.approx(360.0 / 365.2421897, rel=2e-3)
    later = ep + timedelta(days=90)
    raan_later = raan + rate_deg_day * 90
    ltan_later = ((raan_later - (sun_synchronous_raan_deg(12.0, later))) / 15.0 + 12.0) % 24
    assert ltan_later == pytest.approx(22.5, abs=4.0 / 15.0 * 4)


def test_ltan_puts_the_node_at_local_time():
    """At the ascending node of a 22:30 LTAN orbit the Sun's hour angle at the node is 10.5 h."""
    ep = datetime(2027, 3, 1, tzinfo=UTC)
    raan_noon = sun_synchronous_raan_deg(12.0, ep)
    raan = sun_synchronous_raan_deg(22.5, ep)
    assert (raan - raan_noon) % 360 == pytest.approx(157.5)


def test_hyperbolic_and_decayed_orbits_are_refused():
    ep = datetime(2027, 1, 1, tzinfo=UTC)
    low = satrec_from_elements(6378.135 + 80, 0.0, 51.6, 0, 0, 0, ep)
    with pytest.raises(InputError, match="decayed"):
        check_orbit(low, "orbit.elements")


def test_epoch_far_from_span_warns_then_refuses():
    sat = Satrec.twoline2rv(L1, L2, WGS72)  # epoch 2008-09-20
    start = datetime(2008, 10, 20, tzinfo=UTC)
    with pytest.warns(EpochWarning):
        check_epoch(sat, start, start + timedelta(days=1), "orbit.tle")
    with pytest.raises(InputError, match="days from the span"):
        check_epoch(sat, datetime(2012, 1, 1, tzinfo=UTC), datetime(2012, 1, 2, tzinfo=UTC), "orbit.tle")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_epoch(sat, datetime(2008, 9, 21, tzinfo=UTC), datetime(2008, 9, 22, tzinfo=UTC), "orbit.tle")


def test_fast_itrs_path_matches_skyfields_full_chain():
    """TEME→ITRS by GMST (used for every sample) against Skyfield's GCRS→ITRS with nutation."""
    from skyfield.api import EarthSatellite
    from skyfield.framelib import itrs

    ts = skydata.timescale()
    sat = EarthSatellite(L1, L2, "ISS", ts)
    t0 = ts.utc(2008, 9, 21)
    s = np.linspace(0, 86400, 50)
    fast = frames.propagate_itrs(sat.model, t0, s).position_km
    full = sat.at(frames.times(t0, s)).frame_xyz(itrs).km
    assert np.max(np.linalg.norm(fast - full, axis=0)) < 0.05  # km (polar motion neglected, ~10 m)


def test_sun_and_moon_tracks_match_skyfield():
    from skyfield.api import wgs84

    ts = skydata.timescale()
    eph = skydata.ephemeris()
    t0 = ts.utc(2027, 1, 1)
    sun, moon = frames.BodyTrack("sun", t0, 3 * 86400), frames.BodyTrack("moon", t0, 3 * 86400)
    site = frames.site_frame(47.0671, 15.4933, 539.4)
    topos = eph["earth"] + wgs84.latlon(47.0671, 15.4933, elevation_m=539.4)
    s = np.linspace(0, 3 * 86400, 37) + 123.4
    t = frames.times(t0, s)
    for track, body in ((sun, "sun"), (moon, "moon")):
        ours = frames.elevation_deg(site, track.itrs_km_at(s))
        ref = topos.at(t).observe(eph[body]).apparent().altaz()[0].degrees
        assert np.max(np.abs(ours - ref)) < 0.01  # deg
    illum = moon.illumination_at(s)
    from skyfield import almanac

    assert np.max(np.abs(illum - almanac.fraction_illuminated(eph, "moon", t))) < 0.005


def test_body_tables_between_skyfield_nodes_equal_skyfield_at_every_step():
    """The Sun and Moon tables are filled by six-point Lagrange interpolation between Skyfield
    evaluations every BODY_NODE_EVERY steps: at every table time of a year they equal Skyfield's
    apparent position (rotated by the same GCRS → TEME matrices) within 1 m and the Moon's
    illuminated fraction within 1e-8 (at the nodes to rounding)."""
    from skyfield import almanac

    ts = skydata.timescale()
    eph = skydata.ephemeris()
    t0 = ts.utc(2027, 3, 1, 7, 13, 5.25)
    span_s = 365 * 86400.0
    sun, moon = frames.body_tracks(float(t0.tt), span_s)
    t = frames.times(sun.t0, sun.grid_s)
    rot = frames._gcrs_to_teme(sun.t0, sun.grid_s)
    assert frames.BODY_NODE_EVERY > 1 and sun.grid_s.size > 8000
    for track, body in ((sun, "sun"), (moon, "moon")):
        ref = np.einsum("ijn,jn->in", rot, eph["earth"].at(t).observe(eph[body]).apparent().position.km)
        err_km = np.linalg.norm(track.teme_km - ref, axis=0)
        assert err_km.max() < 1e-3
        on_node = slice(0, None, frames.BODY_NODE_EVERY)  # table steps on a node: rounding only
        assert (err_km[on_node] / np.linalg.norm(ref[:, on_node], axis=0)).max() < 1e-13
    assert np.abs(moon.illumination - almanac.fraction_illuminated(eph, "moon", t)).max() < 1e-8


def test_lagrange6_is_exact_for_quintics():
    x = np.linspace(2.0, 6.99, 41)
    nodes = np.arange(10.0)
    coeffs = [0.3, -1.2, 0.05, 0.7, -0.01, 0.002]
    poly = np.polynomial.Polynomial(coeffs)
    got = frames.lagrange6(np.stack([poly(nodes), 2.0 * poly(nodes)]), x)
    np.testing.assert_allclose(got, np.stack([poly(x), 2.0 * poly(x)]), rtol=1e-12, atol=1e-12)


def test_utc_strings_are_iso_with_z():
    ts = skydata.timescale()
    t0 = ts.utc(2027, 1, 1)
    out = frames.utc_iso(t0, np.array([0.0, 86400.0 + 1.5, 59 * 86400.0]))
    assert list(out) == ["2027-01-01T00:00:00.000Z", "2027-01-02T00:00:01.500Z", "2027-03-01T00:00:00.000Z"]
