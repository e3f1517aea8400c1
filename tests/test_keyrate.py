"""BBM92 key length: entropy, asymptotic threshold, Tomamichel et al. (2012) finite size."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from skyswap.payload.keyrate import bbm92_asymptotic_key_bits, bbm92_secret_key_bits, binary_entropy, tomamichel2012_key_bits

# Yin et al., Nature 582, 501 (2020), p. 504 and Extended Data Fig. 4 (values read in the
# search store): f_e = 1.19, R_asymptotic = 0.43 bit/s, R_finite = 0.12 bit/s with
# eps = 1e-10, 3,100 s of data, 372-bit key, QBER 4.5 %, positive finite key needs
# QBER below "about 6.0 %".
F_EC, T_S, QBER, EPS = 1.19, 3100.0, 0.045, 1e-10


def test_binary_entropy_values():
    assert binary_entropy(0.0) == 0.0
    assert binary_entropy(0.5) == pytest.approx(1.0)
    assert binary_entropy(0.11) == pytest.approx(0.49992, abs=1e-5)
    assert binary_entropy(0.7) == pytest.approx(1.0)  # clipped


def test_asymptotic_threshold_is_shor_preskill_11_percent():
    q0 = brentq(lambda q: 1 - 2 * binary_entropy(q), 0.05, 0.2)
    assert q0 == pytest.approx(0.1100, abs=1e-4)
    assert bbm92_asymptotic_key_bits(1000, q0 + 1e-3, ec_efficiency=1.0) == 0.0
    assert bbm92_asymptotic_key_bits(1000, q0 - 1e-3, ec_efficiency=1.0) > 0.0


def test_serfling_deviation_of_tomamichel():
    """mu = sqrt((n+k)/(nk) (k+1)/k ln(2/eps)); n = k = 1e4, eps = 1e-10 -> 0.0689."""
    n = k = 1.0e4
    mu = np.sqrt((n + k) / (n * k) * (k + 1) / k * np.log(2 / EPS))
    assert mu == pytest.approx(0.06888, abs=1e-4)
    # the implemented key length uses exactly this mu
    direct = n * (1 - binary_entropy(0.02 + mu)) - F_EC * n * binary_entropy(0.02) - np.log2(2 / EPS ** 3)
    assert tomamichel2012_key_bits(n, k, 0.02, EPS, EPS, F_EC) == pytest.approx(direct, rel=1e-12)


def test_finite_key_tends_to_asymptotic_rate():
    n = 1e13
    finite = tomamichel2012_key_bits(n, n, 0.03, EPS, EPS, F_EC) / n
    asym = bbm92_asymptotic_key_bits(1.0, 0.03, F_EC)
    assert finite == pytest.approx(asym, abs=2e-3)
    assert finite < asym


@settings(max_examples=40, deadline=None)
@given(log_n=st.floats(3, 9), q=st.floats(0.0, 0.1), dq=st.floats(1e-3, 0.02))
def test_key_monotone_in_block_size_and_error_rate(log_n, q, dq):
    n = 10 ** log_n
    k1 = bbm92_secret_key_bits(n, q)
    assert bbm92_secret_key_bits(2 * n, q) >= k1
    assert bbm92_secret_key_bits(n, q + dq) <= k1
    assert k1 <= bbm92_asymptotic_key_bits(n, q) + 1e-9


def test_yin2020_published_key_numbers_are_consistent_with_the_key_length_formula():
    """Yin 2020's asymptotic rate fixes the sifted block; their finite key fixes mu.

    n_sifted = 0.43 bit/s * 3100 s / (1 - h(Q) - f h(Q)) = 3.17e3 bits.  Solving the
    key-length formula for the deviation that gives the published 372 bits yields
    mu ~ 0.08; with that mu the formula predicts the zero-key QBER, which the paper
    gives independently as about 6.0 % (Extended Data Fig. 4).
    """
    n_sifted = 0.43 * T_S / (1 - (1 + F_EC) * binary_entropy(QBER))
    assert n_sifted == pytest.approx(3173, rel=0.01)
    assert bbm92_asymptotic_key_bits(n_sifted, QBER, F_EC) / T_S == pytest.approx(0.43, rel=1e-9)
    mu = brentq(lambda m: tomamichel2012_key_bits(n_sifted, n_sifted, QBER, EPS, EPS, F_EC,
                                                  deviation=m) - 0.12 * T_S, 1e-3, 0.3)
    assert mu == pytest.approx(0.08, abs=0.005)
    q_zero = brentq(lambda q: tomamichel2012_key_bits(n_sifted, n_sifted, q, EPS, EPS, F_EC,
                                                      deviation=mu) - 0.5, 0.045, 0.1)
    assert q_zero == pytest.approx(0.060, abs=0.003)


def test_tomamichel_serfling_bound_is_looser_than_yin2020_estimate():
    """Documented finding: with Tomamichel's own (Serfling) deviation the Micius 2020
    block (3.2e3 sifted bits) gives almost no key (mu = 0.12 > 0.08), so the published
    0.12 bit/s must rest on a tighter phase-error estimate."""
    n = 3173.0
    mu = np.sqrt(2 / n * (n + 1) / n * np.log(2 / EPS))
    assert mu == pytest.approx(0.122, abs=0.002)
    assert bbm92_secret_key_bits(n, QBER, EPS, F_EC) / T_S < 0.01


@settings(max_examples=25, deadline=None)
@given(st.floats(0.0, 0.085))
def test_min_sifted_bits_is_the_first_block_with_a_key(q):
    """The root-found threshold equals a direct scan of every block size (numerical reference)."""
    from skyswap.payload.keyrate import bbm92_min_sifted_bits

    n = bbm92_min_sifted_bits(q)
    scan = np.arange(1.0, 2.0e5)
    first = scan[np.argmax(bbm92_secret_key_bits(scan, q) > 0)]
    assert n == first
    assert bbm92_secret_key_bits(n - 1.0, q) == 0.0 < bbm92_secret_key_bits(n, q)


def test_min_sifted_bits_beyond_the_asymptotic_threshold_is_infinite():
    from skyswap.payload.keyrate import bbm92_min_sifted_bits

    # 1 - h(Q) - 1.19 h(Q) < 0 from Q ~ 9.9 %: no block size gives a key
    q0 = brentq(lambda q: 1 - (1 + F_EC) * binary_entropy(q), 0.05, 0.2)
    assert bbm92_min_sifted_bits(q0 + 1e-3) == float("inf")
    assert np.isfinite(bbm92_min_sifted_bits(q0 - 5e-3))
    assert bbm92_min_sifted_bits(float("nan")) == float("inf")
