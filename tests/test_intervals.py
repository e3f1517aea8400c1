"""The vectorised root finder and maximiser under the window search, against known answers."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from skyswap.mission.windows.intervals import find_roots, golden_max


def _counting(f):
    calls = {"n": 0}

    def g(t, j):
        calls["n"] += np.size(t)
        return f(t, j)

    return g, calls


@settings(max_examples=50, deadline=None)
@given(st.floats(1e-3, 0.05), st.floats(0.0, 6.0), st.integers(1, 200))
def test_find_roots_of_smooth_crossings_to_tolerance_in_few_evaluations(omega, phase, n):
    # brackets of 60 s around the zeros of sin(ωt + φ): t* = (kπ − φ)/ω
    k = np.arange(1, n + 1)
    root = (k * np.pi - phase) / omega
    lo = root - np.linspace(1.0, 59.0, n)
    hi = lo + 60.0
    f, calls = _counting(lambda t, j: np.sin(omega * t + phase))
    got = find_roots(f, lo, hi, f(lo, None), f(hi, None), tol_s=1e-3)
    calls["n"] -= 2 * n  # the bracket ends
    assert np.max(np.abs(got - root)) <= 1e-3
    assert calls["n"] / n <= 8  # superlinear: bisection would need 16


def test_find_roots_of_a_step_still_closes_the_bracket():
    edge = np.array([3.3, 17.77, 41.0])
    f = lambda t, j: np.where(t > edge[j], 1.0, -1.0)  # noqa: E731
    lo, hi = np.zeros(3), np.full(3, 60.0)
    got = find_roots(f, lo, hi, -np.ones(3), np.ones(3), tol_s=1e-3)
    assert np.max(np.abs(got - edge)) <= 1e-3


def test_golden_max_of_parabolas():
    peak = np.array([10.0, 33.3, 59.0])
    t, v = golden_max(lambda t, j: 5.0 - (t - peak[j]) ** 2, np.zeros(3), np.full(3, 60.0), tol_s=1e-2)
    assert np.max(np.abs(t - peak)) <= 1e-2
    np.testing.assert_allclose(v, 5.0, atol=1e-4)


def test_touches_equals_a_loop_over_the_intervals():
    from skyswap.mission.windows.intervals import touches

    rng = np.random.default_rng(3)
    edges = np.sort(rng.choice(np.arange(0, 1000, 5), 20, replace=False)).astype(float)
    iv = edges.reshape(-1, 2)
    a = rng.uniform(-20, 1020, 500)
    b = a + rng.uniform(0, 30, 500)
    a[0], b[0] = iv[0, 1], iv[0, 1] + 2.0  # starts on an interval's end: touches
    a[1], b[1] = iv[2, 0] - 3.0, iv[2, 0]  # ends on an interval's start: touches
    a[2], b[2] = iv[0, 1] + 1e-9, iv[1, 0] - 1e-9  # wholly in a gap: does not
    expected = [any(lo <= y and x <= hi for lo, hi in iv) for x, y in zip(a, b)]
    assert touches(iv, a, b).tolist() == expected and expected[:3] == [True, True, False]
    assert not touches(np.empty((0, 2)), a, b).any()
