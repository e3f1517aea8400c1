"""The contact plan's batched pieces give the same bits as the plain, one-at-a-time definitions
written here: value curves (``np.interp`` through each window's knots, window by window), the
components' grids and values (one component at a time), and the dynamic programme's fast paths
(against the general longest path).
"""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skyswap.mission.contacts import dp
from skyswap.mission.contacts import model as sg
from skyswap.mission.contacts.model import ValueCurves

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _at_reference(c: ValueCurves, w: int, t_s) -> np.ndarray:
    """``C_w(t)`` by np.interp through window ``w``'s samples and its end (0 before the first
    sample, the total from the end on; 0 for a window without samples)."""
    t_s = np.asarray(t_s, float)
    lo, hi = c.offsets[w], c.offsets[w + 1]
    if hi == lo:
        return np.zeros_like(t_s)
    xs = np.append(c.t[lo:hi], c.end_s[w])
    ys = np.append(c.cum_before[lo:hi], c.total[w])
    out = np.interp(t_s, xs, ys, left=0.0, right=c.total[w])
    return np.where(t_s >= c.end_s[w], c.total[w], out)


@st.composite
def curves(draw):
    """Windows of 0-6 samples on a coarse time grid (so that queries hit samples, ends and repeated
    sample times), values spanning many magnitudes, and query times on and between them."""
    n = draw(st.integers(1, 5))
    tick = st.integers(0, 40).map(lambda x: 0.25 * x + 1000.0)
    start, end, t, v, off = [], [], [], [], [0]
    for _ in range(n):
        times = sorted(draw(st.lists(tick, max_size=6)))
        s = draw(tick)
        e = max([s, *times]) + draw(st.sampled_from([0.25, 0.5, 3.0, 1e-9]))
        start.append(min([s, *times]) if draw(st.booleans()) else s)
        end.append(e)
        t += times
        v += draw(st.lists(st.sampled_from([0.0, 1.0, 0.1, 3e-7, 12345.678, 2.0 / 3.0, 1e300]), min_size=len(times),
                           max_size=len(times)))
        off.append(len(t))
    c = ValueCurves(start, end, t, v, off)
    q = draw(st.lists(st.one_of(tick, tick.map(lambda x: x + 1.0 / 7.0), st.sampled_from(end), st.just(np.nan)),
                      min_size=1, max_size=12))
    return c, np.array(q)


@SETTINGS
@given(curves())
def test_value_curves_at_are_np_interp_bit_for_bit(cq):
    c, q = cq
    for w in range(c.total.size):
        ref = _at_reference(c, w, q)
        np.testing.assert_array_equal(c.at(w, q), ref)  # NaN where the reference has NaN
        assert c.at(np.full(q.size, w), q).tobytes() == ref.tobytes()
    ws = np.arange(q.size) % c.total.size
    assert c.at(ws, q).tobytes() == np.array([_at_reference(c, w, [x])[0] for w, x in zip(ws, q)]).tobytes()
    assert c.wanted().tobytes() == np.array([c.total[w] - _at_reference(c, w, c.start_s[w])
                                             for w in range(c.total.size)]).tobytes()


def test_value_curves_where_slopes_overflow_are_np_interp():
    """np.interp's special cases: a query on a knot takes the knot's value even where the slope
    after it is infinite; a slope of inf - inf takes the common value of its two knots."""
    steep = ValueCurves([0.0], [1.0 + 1e-9], [0.0, 1.0], [1.0, 1e300], [0, 2])  # slope 1e300 / 1e-9 = inf
    with np.errstate(over="ignore"):
        flat_inf = ValueCurves([0.0], [3.0], [0.0, 1.0, 2.0], [1e308, 1e308, 1.0], [0, 3])  # cumulative inf, inf
    for c, q in ((steep, [0.5, 1.0, 1.0 + 5e-10]), (flat_inf, [0.5, 1.0, 1.5, 2.0, 2.5])):
        q = np.array(q)
        with np.errstate(all="ignore"):
            ref = _at_reference(c, 0, q)
        assert c.at(0, q).tobytes() == ref.tobytes()
    assert steep.at(0, [1.0])[0] == 1.0 and flat_inf.at(0, [2.5])[0] == np.inf


def test_value_curves_with_a_sample_past_the_end_keep_np_interp():
    """A sample at or after its window's end leaves the knots out of order: still np.interp's answer."""
    c = ValueCurves([0.0, 5.0], [4.0, 9.0], [0.0, 2.0, 4.5, 5.0], [1.0, 2.0, 4.0, 1.0], [0, 3, 4])
    q = np.array([-1.0, 0.0, 1.0, 3.0, 4.0, 4.2, 7.0])
    for w in (0, 1):
        assert c.at(w, q).tobytes() == _at_reference(c, w, q).tobytes()
    # one query list over both windows: the late window's queries one by one, the other's at once
    ws = np.arange(q.size) % 2
    assert c.at(ws, q).tobytes() == np.array([_at_reference(c, w, [x])[0] for w, x in zip(ws, q)]).tobytes()
    assert c._unsorted.tolist() == [True, False]


def _component_reference(win, start_s, end_s, satellite, stations, lanes_of_sat, curves, cuts, r_sat, r_sta):
    """One component built on its own, from its definition (:class:`.model.Component`)."""
    win = win[np.lexsort((win, start_s[win]))]
    lo, hi = start_s[win].min(), end_s[win].max()
    tau = cuts[np.searchsorted(cuts, lo):np.searchsorted(cuts, hi, side="right")]
    st_ = np.sort(stations[win], axis=1)[:, ::-1]
    _, target = np.unique(st_, axis=0, return_inverse=True)
    sat = satellite[win]
    used = stations[win][stations[win] >= 0]
    r = np.unique(np.concatenate([r_sat[sat], r_sta[used]]))
    grid = np.unique(np.concatenate([tau, *(tau + x for x in r[r > 0])]))
    grid = grid[grid <= tau[-1]]
    return dict(windows=win, tau=tau, k0=np.searchsorted(tau, start_s[win]), k1=np.searchsorted(tau, end_s[win]),
                sat=sat, stations=stations[win], target_lane=target.ravel(), lanes=lanes_of_sat[sat], grid=grid,
                pk=np.searchsorted(grid, tau), cum_grid=np.vstack([_at_reference(curves, int(w), grid) for w in win]))


@st.composite
def window_sets(draw):
    """Up to 14 windows of 1-3 satellites over 2-5 stations (single or dual downlink, mixed),
    with sample profiles and retarget times of a few distinct values."""
    n = draw(st.integers(1, 14))
    n_sat, n_sta = draw(st.integers(1, 3)), draw(st.integers(2, 5))
    tick = st.integers(0, 60).map(lambda x: 5.0 * x)
    sat, sta, start, end, t, v, off = [], [], [], [], [], [], [0]
    for _ in range(n):
        a = draw(st.integers(0, n_sta - 1))
        b = draw(st.sampled_from([-1, *[x for x in range(n_sta) if x != a]]))
        s = draw(tick)
        e = s + draw(st.integers(1, 20)) * 5.0
        times = np.arange(s + draw(st.sampled_from([0.0, 0.3, 2.5])), e, draw(st.sampled_from([1.0, 4.0, 7.5])))
        sat.append(draw(st.integers(0, n_sat - 1)))
        sta.append((a, b))
        start.append(s)
        end.append(e)
        t += times.tolist()
        v += draw(st.lists(st.floats(0.0, 10.0), min_size=times.size, max_size=times.size))
        off.append(len(t))
    r_sat = np.array([draw(st.sampled_from([0.0, 5.0, 12.5, 30.0])) for _ in range(n_sat)])
    r_sta = np.array([draw(st.sampled_from([0.0, 5.0, 10.0, 30.0])) for _ in range(n_sta)])
    lanes = np.array([draw(st.integers(1, 2)) for _ in range(n_sat)])
    return (np.array(sat), np.array(sta, np.int64), np.array(start), np.array(end), lanes,
            ValueCurves(start, end, t, v, off), r_sat, r_sta)


@SETTINGS
@given(window_sets())
def test_components_built_at_once_equal_one_by_one(ws):
    sat, sta, start, end, lanes, curves_, r_sat, r_sta = ws
    label = sg.components(sat, sta, start, end, float(max(r_sat.max(), r_sta.max())))
    cuts = sg.cut_times(start, end, sat, sta, r_sat, r_sta)
    comps = sg.build_components(label, start, end, sat, sta, lanes, curves_, cuts, r_sat, r_sta)
    several = [ci for ci in range(label.max() + 1) if np.sum(label == ci) > 1]
    assert sorted(comps) == several
    for ci in several:
        ref = _component_reference(np.flatnonzero(label == ci), start, end, sat, sta, lanes, curves_, cuts, r_sat, r_sta)
        for name, want in ref.items():
            got = getattr(comps[ci], name)
            assert got.shape == want.shape and got.tobytes() == want.tobytes(), name
        assert comps[ci].retarget_sat_s.tobytes() == r_sat.tobytes()


@SETTINGS
@given(st.integers(1, 7).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 3), min_size=n, max_size=n),
    st.lists(st.lists(st.sampled_from([-np.inf, 0.0, -0.0, 1.0, 2.5, 2.5, 7.0]), min_size=3, max_size=3),
             min_size=n, max_size=n))))
def test_best_by_target_is_the_first_best_window_of_each_target(case):
    """All targets at once = target by target: the largest value and the first window reaching it
    (value 0 and window -1 where none is worth anything)."""
    target, value = np.array(case[0]), np.array(case[1])
    P = int(target.max()) + 1
    got_val, got_win = dp._best_by_target(value, target, P)
    want_val, want_win = np.zeros((3, P)), np.full((3, P), -1)
    for p in range(P):
        idx = np.flatnonzero(target == p)
        for k in range(3):
            if idx.size and value[idx, k].max() > 0:
                want_val[k, p] = value[idx, k].max()
                want_win[k, p] = idx[np.argmax(value[idx, k])]
    assert got_val.tobytes() == want_val.tobytes() and got_win.tolist() == want_win.tolist()


@SETTINGS
@given(st.lists(st.sampled_from([-np.inf, 0.0, 1.0, 2.0, 2.0, 3.5]), min_size=2, max_size=8))
def test_two_best_is_the_first_best_and_the_first_best_of_the_others(f):
    p1 = max(range(len(f)), key=lambda q: (f[q], -q))
    p2 = max((q for q in range(len(f)) if q != p1), key=lambda q: (f[q], -q))
    assert dp._two_best(f, len(f)) == (p1, p2)
