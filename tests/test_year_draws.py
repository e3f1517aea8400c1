"""The yearly Monte Carlo engine: expectations, determinism, key pooling, alternatives, diversity."""
from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.special import ndtri

from skyswap.groundstations.cloud_process import (
    bivariate_normal_cdf,
    station_correlation_matrix,
)
from skyswap.groundstations.year_draws import (
    contact_deliveries,
    local_night_index,
    nightly_clear_probability,
    overlap_groups,
    serve_alternatives,
    simulate_year,
    station_diversity,
)
from skyswap.groundstations.year_sums import pooled_key_bits, quantile_summary
from skyswap.payload.keyrate import bbm92_secret_key_bits

NAMES = ("Graz", "Wettzell", "Tenerife")
LAT, LON = (47.07, 49.14, 28.30), (15.49, 12.88, -16.51)
N_NIGHTS = 60


def _key(n, q):
    return bbm92_secret_key_bits(0.5 * n, q)


def _contacts(seed=0, n=300):
    """Single and two-station contacts over 60 nights of a Jan-Feb span."""
    rng = np.random.default_rng(seed)
    st = np.full((n, 2), -1)
    st[:, 0] = rng.integers(0, 3, n)
    dual = rng.random(n) < 0.3
    st[dual, 0], st[dual, 1] = 0, 1  # Graz-Wettzell pairs
    nights = rng.integers(0, N_NIGHTS, n)
    night = np.where(st >= 0, nights[:, None], -1)
    month = np.where(nights < 31, 1, 2)
    pairs = rng.gamma(1.0, 5e4, n) * (rng.random(n) > 0.1)  # some contacts carry nothing
    qber = rng.uniform(0.02, 0.06, n)
    fade = np.where(rng.random(n) < 0.5, 0.1, 0.0)
    return st, night, month, pairs, qber, fade


def _p_nightly():
    monthly = np.array([[0.45] * 12, [0.5] * 12, [0.7] * 12])
    monthly[:, 1] = [0.3, 0.35, 0.8]  # February differs
    night_month = np.where(np.arange(N_NIGHTS) < 31, 1, 2)
    return nightly_clear_probability(monthly, night_month)


def _run(seed=1, n_draws=2000, length_km=300.0, **kw):
    st, night, month, pairs, qber, fade = _contacts()
    args = {"station_names": NAMES, "latitude_deg": LAT, "longitude_deg": LON, "p_clear_nightly": _p_nightly(),
                "contact_station": st, "contact_night": night, "month": month, "pairs_if_clear": pairs, "qber": qber,
                "fade_probability": fade, "key_bits": _key, "n_draws": n_draws, "seed": seed, "correlation_length_km": length_km}
    return simulate_year(**{**args, **kw}), (st, night, month, pairs, qber, fade)


def _analytic_delivery_probability(st, night, fade, length_km=300.0):
    p = _p_nightly()
    corr = station_correlation_matrix(LAT, LON, length_km)
    a = ndtri(p)
    prob = np.empty(len(st))
    for c, ((s0, s1), (n0, _)) in enumerate(zip(st, night)):
        if s1 < 0:
            prob[c] = p[s0, n0]
        else:  # same night at both stations: Phi2 of the two thresholds, latent correlation C[s0, s1]
            prob[c] = bivariate_normal_cdf(a[s0, n0], a[s1, n0], corr[s0, s1])
    return prob * (1.0 - fade)


def test_mean_of_the_draws_matches_the_analytic_expectation():
    y, (st, night, month, pairs, _qber, fade) = _run()
    prob = _analytic_delivery_probability(st, night, fade)
    n = y.delivered.shape[0]
    for q, w in (("heralded_pairs", pairs), ("passes_with_data", (pairs > 0).astype(float))):
        total = getattr(y, q)["total"]
        expect = float(prob @ w)
        se = total.std(ddof=1) / np.sqrt(n)
        assert abs(total.mean() - expect) < 4.0 * se, (q, total.mean(), expect, se)
        by_month = getattr(y, q)["monthly"]
        for m in (1, 2):
            e_m = float(prob[month == m] @ w[month == m])
            se_m = by_month[:, m - 1].std(ddof=1) / np.sqrt(n)
            assert abs(by_month[:, m - 1].mean() - e_m) < 4.0 * se_m
    # a station's total counts its single contacts whole and half of each two-station contact
    share = np.where(st[:, 1] >= 0, 0.5, 1.0)
    mine = (st == 0).any(axis=1)
    e_graz = float(prob[mine] @ (pairs * share)[mine])
    got = y.heralded_pairs["by_station"][:, 0]
    assert abs(got.mean() - e_graz) < 4.0 * got.std(ddof=1) / np.sqrt(n)


def test_totals_add_up_across_breakdowns():
    y, (_st, *_rest) = _run(n_draws=50)
    hp = y.heralded_pairs
    assert np.allclose(hp["monthly"].sum(axis=1), hp["total"])
    assert np.allclose(hp["by_link"].sum(axis=1), hp["total"])
    assert np.allclose(hp["by_station"].sum(axis=1), hp["total"])  # a pair's half at each station
    assert set(y.link_names) == {"Graz", "Wettzell", "Tenerife", "Graz–Wettzell"}
    assert np.allclose(y.secret_key_bits["by_link"].sum(axis=1), y.secret_key_bits["total"])


def test_same_seed_same_bytes_other_seed_other_draws():
    a, _ = _run(seed=7, n_draws=200)
    b, _ = _run(seed=7, n_draws=200)
    c, _ = _run(seed=8, n_draws=200)
    assert a.delivered.tobytes() == b.delivered.tobytes()
    for q in ("heralded_pairs", "secret_key_bits", "passes_with_data"):
        for k in ("total", "by_station", "by_link", "monthly"):
            assert getattr(a, q)[k].tobytes() == getattr(b, q)[k].tobytes()
    assert json.dumps(a.distribution(), sort_keys=True) == json.dumps(b.distribution(), sort_keys=True)
    assert a.delivered.tobytes() != c.delivered.tobytes()


def test_fades_only_remove_contacts_and_leave_the_clouds_alone():
    on, (*_, fade) = _run(seed=3, n_draws=300)
    off, _ = _run(seed=3, n_draws=300, fade_probability=None)
    assert np.all(on.delivered <= off.delivered)
    lost = (off.delivered & ~on.delivered)[:, fade > 0].mean() / off.delivered[:, fade > 0].mean()
    assert lost == pytest.approx(0.1, abs=0.01)
    assert not (off.delivered & ~on.delivered)[:, fade == 0].any()


def test_key_is_the_finite_size_key_of_the_pooled_block():
    y, (st, _night, month, pairs, qber, _fade) = _run(seed=4, n_draws=20)
    link = {n: i for i, n in enumerate(y.link_names)}["Graz–Wettzell"]
    in_link = (st[:, 0] == 0) & (st[:, 1] == 1)
    for d in range(3):
        sel = y.delivered[d] & in_link
        n = pairs[sel].sum()
        q = (pairs[sel] * qber[sel]).sum() / n
        assert y.secret_key_bits["by_link"][d, link] == pytest.approx(float(bbm92_secret_key_bits(0.5 * n, q)))
        # the month keys pool each month separately
        jan = sel & (month == 1)
        assert y.secret_key_bits["monthly"][d, 0] >= float(_key(pairs[jan].sum(), (pairs[jan] * qber[jan]).sum() / pairs[jan].sum()))
    # Graz's key is the sum of its links' keys (Graz alone and Graz-Wettzell)
    graz = y.secret_key_bits["by_link"][:, [link, {n: i for i, n in enumerate(y.link_names)}["Graz"]]].sum(axis=1)
    assert np.allclose(y.secret_key_bits["by_station"][:, 0], graz)


def test_pooled_key_is_zero_without_pairs():
    delivered = np.zeros((2, 3), bool)
    out = pooled_key_bits(delivered, [1e5, 1e5, 1e5], [0.03] * 3, [0, 0, 1], 2, _key)
    assert np.array_equal(out, np.zeros((2, 2)))


def test_alternatives_serve_the_best_clear_contact():
    delivered = np.array([[True, True, True], [False, True, True], [False, False, True], [False, False, False]])
    alt = np.array([0, 0, -1])
    pairs = np.array([10.0, 5.0, 1.0])
    out = serve_alternatives(delivered, alt, pairs)
    assert out.tolist() == [[True, False, True], [False, True, True], [False, False, True], [False, False, False]]
    # the larger contact wins even when listed second
    out = serve_alternatives(delivered[:, [1, 0, 2]], alt, pairs[[1, 0, 2]])
    assert out.tolist()[0] == [False, True, True]


def test_contact_deliveries_needs_every_sky_clear():
    clear = np.zeros((1, 2, 3), bool)
    clear[0, 0, 1] = True
    clear[0, 1, 1] = True
    clear[0, 1, 2] = True
    st = np.array([[0, -1], [0, 1], [0, 1], [1, -1]])
    night = np.array([[1, -1], [1, 1], [2, 1], [2, -1]])
    assert contact_deliveries(clear, st, night).tolist() == [[True, True, False, True]]
    with pytest.raises(ValueError, match="contact_night"):
        contact_deliveries(clear, st, night + 5)


def test_local_night_index():
    h = 3600.0
    assert local_night_index([11 * h, 20 * h, 28 * h, 37 * h], 0.0).tolist() == [-1, 0, 0, 1]
    # 120 E: local time = UTC + 8 h
    assert local_night_index([12 * h, 22 * h, 27 * h, 29 * h], 120.0).tolist() == [0, 0, 0, 1]


def test_distribution_has_the_summary_shape():
    y, _ = _run(n_draws=100)
    d = y.distribution()
    for q in ("heralded_pairs", "secret_key_bits", "passes_with_data"):
        assert d[q]["p10"] <= d[q]["p50"] <= d[q]["p90"]
        assert set(d[q]["by_station"]) == set(NAMES)
        assert "Graz–Wettzell" in d[q]["by_pair"]
        assert [m["month"] for m in d[q]["monthly"]] == list(range(1, 13))
        assert set(d[q]["monthly"][0]) == {"month", "mean", "p10", "p50", "p90"}
    json.dumps(d)  # plain floats all the way down
    assert quantile_summary(np.arange(101.0)) == {"mean": 50.0, "p10": 10.0, "p50": 50.0, "p90": 90.0}


def test_independent_stations_any_clear_and_what_more_stations_add():
    p = np.array([[0.4] * N_NIGHTS, [0.5] * N_NIGHTS, [0.6] * N_NIGHTS])
    n = N_NIGHTS
    st = np.array([[s, -1] for s in range(3) for _ in range(n)])
    night = np.array([[t, -1] for _ in range(3) for t in range(n)])
    pairs = np.full(3 * n, 100.0)
    y = simulate_year(station_names=NAMES, latitude_deg=LAT, longitude_deg=LON, p_clear_nightly=p,
                      contact_station=st, contact_night=night, month=np.ones(3 * n, int), pairs_if_clear=pairs,
                      n_draws=3000, seed=2, correlation_length_km=0.0, night_correlation=0.0)
    # nights with at least one clear station, from the contacts' deliveries
    any_clear = y.delivered.reshape(-1, 3, n).any(axis=1).mean()
    expect = 1 - 0.6 * 0.5 * 0.4
    assert abs(any_clear - expect) < 4.5 * np.sqrt(expect * (1 - expect) / (3000 * n))
    rows = station_diversity(y.delivered, pairs, st, [0, 1, 2])
    assert [r["stations"] for r in rows] == [[0], [0, 1], [0, 1, 2]]
    for r, e in zip(rows, np.cumsum([0.4, 0.5, 0.6]) * 100 * n):
        assert r["mean"] == pytest.approx(e, rel=0.01)
    assert all(r["added_p10"] > 0 and r["added_p50"] > 0 for r in rows)


def test_overlap_groups_chain_overlapping_windows():
    w = np.array([[0, 10], [5, 20], [19, 30], [40, 50], [50, 60], [70, 80]], float)
    g = overlap_groups(w[::-1])[::-1]  # order of the rows does not matter
    assert g[0] == g[1] == g[2] >= 0 and g[3] == -1 and g[4] == -1 and g[5] == -1  # touching is not overlapping
    assert overlap_groups(np.empty((0, 2))).size == 0


def test_diversity_with_one_telescope_is_any_clear_times_the_pairs():
    """Each night every station has a window at the same time and one telescope serves one: the
    group's year is pairs x nights x (1 - prod(1 - p_i)) for independent stations."""
    p = np.array([[0.4] * N_NIGHTS, [0.5] * N_NIGHTS, [0.6] * N_NIGHTS])
    n = N_NIGHTS
    st = np.array([[s, -1] for s in range(3) for _ in range(n)])
    night = np.array([[t, -1] for _ in range(3) for t in range(n)])
    windows = np.array([[t * 86400.0, t * 86400.0 + 300.0] for _ in range(3) for t in range(n)])
    pairs = np.full(3 * n, 100.0)
    y = simulate_year(station_names=NAMES, latitude_deg=LAT, longitude_deg=LON, p_clear_nightly=p,
                      contact_station=st, contact_night=night, month=np.ones(3 * n, int), pairs_if_clear=pairs,
                      n_draws=3000, seed=4, correlation_length_km=0.0, night_correlation=0.0)
    rows = station_diversity(y.delivered, pairs, st, [2, 1, 0], windows_s=windows)
    for k, r in enumerate(rows, start=1):
        q = 1 - np.prod(1 - np.array([0.6, 0.5, 0.4][:k]))
        se = 100 * n * np.sqrt(q * (1 - q) / (3000 * n))
        assert abs(r["mean"] - 100 * n * q) < 4.5 * se
    # without competition the same stations add their whole windows
    free = station_diversity(y.delivered, pairs, st, [2, 1, 0])
    assert free[2]["mean"] > rows[2]["mean"] * 1.5


def test_bad_contacts_are_refused():
    with pytest.raises(ValueError, match="month"):
        _run(n_draws=2, month=np.zeros(300, int))
    with pytest.raises(ValueError, match="one value per contact"):
        _run(n_draws=2, pairs_if_clear=np.ones(5))
