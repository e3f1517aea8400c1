"""The sample plumbing of the planner: station rows shared by pairs, segment reductions.

These functions only move numbers around, so each is checked against a plain per-window loop
that a reader can verify by eye.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skyswap.mission.outputs import tables
from skyswap.mission.windows import geometry
from skyswap.payload import ragged


@st.composite
def window_lists(draw):
    n_sites = draw(st.integers(1, 5))
    n = draw(st.integers(0, 25))
    starts = draw(st.lists(st.floats(0.0, 500.0), min_size=n, max_size=n))
    lengths = draw(st.lists(st.floats(0.0, 60.0), min_size=n, max_size=n))
    legs = [draw(st.lists(st.integers(0, n_sites - 1), min_size=n, max_size=n)) for _ in range(2)]
    w = np.array([[s, s + d] for s, d in zip(starts, lengths)]).reshape(-1, 2)
    step = draw(st.sampled_from([0.5, 1.0, 7.0]))
    return w, [np.array(x, dtype=np.int64) for x in legs], step, n_sites


@settings(max_examples=200, deadline=None)
@given(window_lists())
def test_station_rows_are_the_distinct_station_samples(case):
    windows, legs, step, n_sites = case
    rows = geometry.station_rows(windows, legs, step, n_sites)
    k, offsets = geometry.grid_indices(windows, step)
    np.testing.assert_array_equal(rows.offsets, offsets)
    expected = set()
    for leg, row_of_sample in zip(legs, rows.leg_rows):
        station_of_sample = np.repeat(leg, np.diff(offsets))
        # every sample points at the row of its own (station, grid index)
        np.testing.assert_array_equal(rows.station[row_of_sample], station_of_sample)
        np.testing.assert_array_equal(rows.k[row_of_sample], k)
        expected |= set(zip(station_of_sample.tolist(), k.tolist()))
    # one row per distinct (station, grid index), grouped by station, time-ordered
    assert list(zip(rows.station.tolist(), rows.k.tolist())) == sorted(expected)
    for s in range(n_sites):
        assert np.all(rows.station[rows.bounds[s]:rows.bounds[s + 1]] == s)
    assert rows.bounds[-1] == rows.k.size
    np.testing.assert_array_equal(geometry.distinct_grid_indices(windows, step), np.unique(k))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, 1.0, 2.5, np.nan, -3.0]), max_size=6), min_size=1, max_size=12))
def test_argmax_times_is_the_first_largest_sample(groups):
    values = np.array([v for g in groups for v in g], dtype=float)
    offsets = np.concatenate([[0], np.cumsum([len(g) for g in groups])])
    time_s = np.arange(values.size) * 10.0 + 3.0
    windows = np.array([[100.0 * i, 100.0 * i + 50.0] for i in range(len(groups))])
    got = tables.argmax_times(values, time_s, offsets, windows)
    for i, g in enumerate(groups):
        g = np.array(g, dtype=float)
        if g.size and not np.all(np.isnan(g)):
            assert got[i] == time_s[offsets[i] + int(np.nanargmax(g))]
        else:
            assert got[i] == 100.0 * i + 25.0


@given(st.lists(st.integers(-50, 50), max_size=40), st.booleans())
def test_sorted_distinct_equals_unique(values, presort):
    k = np.array(sorted(values) if presort else values, dtype=np.int64)
    np.testing.assert_array_equal(geometry.sorted_distinct(k), np.unique(k))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from([0.5, -2.0, 3.0, np.nan, np.inf]),
                                   st.sampled_from([0.0, 1.0, 2.5, -1.0, np.nan])), max_size=6), min_size=1, max_size=10))
def test_weighted_ragged_means_equal_a_per_segment_loop(groups):
    values = np.array([v for g in groups for v, _ in g], dtype=float)
    weights = np.array([w for g in groups for _, w in g], dtype=float)
    offsets = np.concatenate([[0], np.cumsum([len(g) for g in groups])])
    expected = []
    for g in groups:
        use = [(v, w) for v, w in g if np.isfinite(v) and w > 0]
        den = sum(w for _, w in use)
        expected.append(sum(v * w for v, w in use) / den if den > 0 else np.nan)
    got = ragged.weighted_ragged_means({"x": values, "y": np.where(np.isfinite(values), values, 0.0)}, weights, offsets)
    np.testing.assert_allclose(got["x"], expected, rtol=1e-12)
    np.testing.assert_array_equal(got["x"], ragged.weighted_ragged_mean(values, weights, offsets))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-10**6, 10**6), st.integers(0, 7)), max_size=12))
def test_ranges_are_each_rows_consecutive_indices(rows):
    """ragged.ranges (the windows' grid indices, the station rows, the contact plan's grids): each
    row's ``count`` integers from its ``first``, one row after another."""
    first = np.array([f for f, _ in rows], np.int64)
    count = np.array([c for _, c in rows], np.int64)
    expected = [f + i for f, c in rows for i in range(c)]
    got = ragged.ranges(first, count)
    assert got.tolist() == expected and got.dtype == np.int64


# ISS (ZARYA), the TLE of tests/test_orbit.py
_ISS = ("1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927",
        "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537")


def _satellite(orbit):
    from datetime import UTC, datetime

    from sgp4.api import Satrec

    from skyswap.mission.orbits import skydata
    from skyswap.mission.orbits.sources import satrec_from_elements

    ts = skydata.timescale()
    if orbit == "iss":
        return Satrec.twoline2rv(*_ISS), ts.utc(2008, 9, 21)
    ep = datetime(2027, 3, 1, tzinfo=UTC)
    if orbit == "low":  # 300 km sun-synchronous: the fastest LEO
        return satrec_from_elements(6678.137, 0.0005, 97.0, 40.0, 270.0, 0.0, ep), ts.from_datetime(ep)
    a = (6878.137 + 39_800.0 + 6378.137) / 2.0  # Molniya: perigee 500 km, apogee 39,800 km (SDP4)
    return satrec_from_elements(a, 1.0 - 6878.137 / a, 63.4, 40.0, 270.0, 0.0, ep), ts.from_datetime(ep)


@pytest.mark.parametrize("orbit, pos_m, vel_m_s", [("iss", 1e-4, 1e-4), ("low", 1e-4, 1e-4),
                                                   ("molniya", 3e-3, 1e-2)])
def test_dense_samples_are_sgp4_sun_and_moon_at_every_sample(orbit, pos_m, vel_m_s):
    """shared_state interpolates dense samples from 30 s nodes: against SGP4, the Sun and the Moon
    computed at every one of them, every half second of two days (in windows of ~10 minutes)."""
    from skyswap.mission.orbits import frames

    sat, t0 = _satellite(orbit)
    sun, moon = frames.body_tracks(float(t0.tt), 3 * 86400.0)
    k = np.concatenate([np.arange(s, s + 1200) for s in range(7, 4 * 86400 - 1200, 2900)])
    got = geometry.shared_state(sat, t0, k, 0.5, sun, moon)
    t = k * 0.5
    direct = frames.propagate_itrs(sat, t0, t)
    assert np.max(np.linalg.norm(got.sat_km - direct.position_km, axis=0)) * 1e3 < pos_m
    assert np.max(np.linalg.norm(got.sat_v_km_s - direct.velocity_km_s, axis=0)) * 1e3 < vel_m_s
    for body, track in ((got.sun_km, sun), (got.moon_km, moon)):
        ref = track.itrs_km_at(t)
        unit = body / np.linalg.norm(body, axis=0) - ref / np.linalg.norm(ref, axis=0)
        assert np.degrees(np.linalg.norm(unit, axis=0)).max() < 1e-7  # the direction, to 1e-7°
    # the illumination is tabulated hourly and interpolated linearly: its kinks cost ~1e-8
    np.testing.assert_allclose(got.moon_illumination, moon.illumination_at(t), rtol=0, atol=1e-7)
    # where the shadow test is not on a knife edge, it agrees sample by sample
    np.testing.assert_array_equal(got.sunlit, frames.sunlit(direct.position_km, sun.itrs_km_at(t)))


def test_fine_steps_in_short_windows_interpolate_per_sample():
    """A 0.05 s step (600 steps between nodes) in windows of 2 s every 1,000 s: the node intervals
    are mostly empty, so the samples take their own weights (memory ~ the samples, not 600 phases
    of every interval); the same accuracy against SGP4."""
    from skyswap.mission.orbits import frames

    sat, t0 = _satellite("iss")
    sun, moon = frames.body_tracks(float(t0.tt), 2 * 86400.0)
    k = np.concatenate([np.arange(s, s + 40) for s in range(1000, 86400 * 20, 20_000)])
    grid = frames.dense_grid(t0, k, 0.05)
    assert grid is not None and grid.stencil.shape[0] * grid.weights.shape[1] > 2 * k.size
    got = geometry.shared_state(sat, t0, k, 0.05, sun, moon)
    direct = frames.propagate_itrs(sat, t0, k * 0.05)
    assert np.max(np.linalg.norm(got.sat_km - direct.position_km, axis=0)) * 1e3 < 1e-4
    assert np.max(np.linalg.norm(got.sat_v_km_s - direct.velocity_km_s, axis=0)) * 1e3 < 1e-4
    # both ways of interpolating give the same numbers (to rounding)
    dense = frames.DenseGrid(grid.nodes_s, grid.stencil, grid.row, grid.phase, grid.weights)
    values = np.random.default_rng(1).normal(size=(grid.nodes_s.size, 3))
    blocks = np.einsum("jq,ijc->iqc", dense.weights, values[dense.stencil])[dense.row, dense.phase]
    np.testing.assert_allclose(dense.interpolate(values), blocks, rtol=0, atol=1e-12)


def test_samples_on_nodes_sparse_samples_and_a_leap_second():
    from datetime import UTC, datetime

    from skyswap.mission.orbits import frames, skydata
    from skyswap.mission.orbits.sources import satrec_from_elements

    sat, t0 = _satellite("iss")
    sun, moon = frames.body_tracks(float(t0.tt), 3 * 86400.0)
    # on a node, a sample is SGP4's own value (up to the interpolation's rounding)
    on = geometry.shared_state(sat, t0, np.arange(600), 1.0, sun, moon)
    ref = frames.propagate_itrs(sat, t0, np.arange(0.0, 600.0, 30.0))
    np.testing.assert_allclose(on.sat_km[:, ::30], ref.position_km, rtol=0, atol=1e-9)
    # sparse samples (fewer than the nodes they would need): computed at each
    sparse = np.arange(86400, 2 * 86400, 600)
    got = geometry.shared_state(sat, t0, sparse, 1.0, sun, moon)
    assert got.moon_illumination.shape == got.sunlit.shape == sparse.shape
    np.testing.assert_array_equal(got.moon_illumination, moon.illumination_at(sparse * 1.0))
    np.testing.assert_array_equal(got.sat_km, frames.propagate_itrs(sat, t0, sparse * 1.0,
                                                                    frames.earth_rotation(t0, sparse * 1.0)).position_km)
    # across the leap second of 2016-12-31T23:59:60 SGP4 (on UTC) jumps: computed at each sample
    ep = datetime(2016, 12, 31, 20, tzinfo=UTC)
    leap_sat = satrec_from_elements(6878.137, 0.001, 97.4, 120.0, 30.0, 10.0, ep)
    t1 = skydata.timescale().from_datetime(ep)
    sun1, moon1 = frames.body_tracks(float(t1.tt), 86400.0)
    k = np.arange(8 * 3600)
    got = geometry.shared_state(leap_sat, t1, k, 1.0, sun1, moon1)
    np.testing.assert_array_equal(got.sat_km, frames.propagate_itrs(leap_sat, t1, k * 1.0,
                                                                    frames.earth_rotation(t1, k * 1.0)).position_km)
    assert frames.dense_grid(t1, k, 1.0) is None and frames.dense_grid(t0, np.arange(600), 1.0) is not None


def test_lagrange_weights_reproduce_quintics_exactly():
    from skyswap.mission.orbits import frames

    s = np.linspace(-0.5, 1.5, 41)
    w = frames.lagrange6_weights(s)
    np.testing.assert_allclose(w.sum(axis=0), 1.0, rtol=0, atol=1e-13)
    nodes = np.arange(-2, 4, dtype=float)
    for coef in ([1.0, -2.0, 0.5, 0.25, -0.125, 0.03], [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]):
        np.testing.assert_allclose(w.T @ np.polyval(coef, nodes), np.polyval(coef, s), rtol=0, atol=1e-12)
