"""The sample plumbing of the planner: station rows shared by pairs, segment reductions.

These functions only move numbers around, so each is checked against a plain per-window loop
that a reader can verify by eye.
"""
import numpy as np
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
