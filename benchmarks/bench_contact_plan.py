"""Benchmark: the contact plan (mission.contacts) on a year of candidate windows.

Run from the repository root::

    python benchmarks/bench_contact_plan.py [--windows passes.csv] [--policies max-pairs,first-come,fair]

Two synthetic years shaped like the real ones (one satellite in a 94.6-min orbit, night passes over
a European and a Chinese cluster of stations, pair windows = overlaps of the two stations' passes,
1 s value samples with an elevation-like profile):

* q4s-like: 11 stations, 9 pairs, ~2,600 pair windows, up to ~6 open at once;
* 20 stations, all 190 pairs, ~11,600 pair windows, up to ~28 open at once.

``--windows FILE`` plans the pair rows (``kind == pair``) of a ``skyswap passes --out FILE`` table
instead (start_utc/end_utc; a synthetic value profile, since that table has no rates).
Prints wall time per policy (scheduler alone: value curves, components, solvers, outputs), the
worst component, the totals and the peak resident set size.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skyswap.mission.contacts.plan import (
    CandidateWindows,
    Resources,
    plan_contacts,
)

PERIOD_S = 5677.0


def synthetic_year(clusters, pairs, seed=0, days=365, extra_prob=0.2, seen_prob=0.9, phases_s=(0.0,)):
    """Pair windows of satellites over station clusters.

    ``clusters``: list of lists of station indices. Every night each satellite (one per entry of
    ``phases_s``, its pass time offset by that much) passes over each cluster once, and with
    probability ``extra_prob`` once more an orbit later; each pass sees each station of the cluster
    with probability ``seen_prob`` for 2-9 min, centred within ±150 s of the cluster's pass time.
    Returns satellite, station a, station b, start, end and a value rate per window.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for sat, phase in enumerate(phases_s):
        st_win = {}
        for ci, cl in enumerate(clusters):
            for d in range(days):
                for extra in range(1 + (rng.random() < extra_prob)):
                    t_c = d * 86400.0 + ci * 4 * 3600.0 + extra * PERIOD_S + phase + rng.uniform(0, 600)
                    for g in cl:
                        if rng.random() < seen_prob:
                            c = t_c + rng.uniform(-150, 150)
                            h = rng.uniform(60, 270)
                            st_win.setdefault(g, []).append((c - h, c + h))
        for a, b in pairs:
            wa, wb = st_win.get(a, []), st_win.get(b, [])
            j = 0
            for s, e in wa:
                while j < len(wb) and wb[j][1] <= s:
                    j += 1
                k = j
                while k < len(wb) and wb[k][0] < e:
                    lo, hi = max(s, wb[k][0]), min(e, wb[k][1])
                    if hi - lo >= 10.0:
                        rows.append((sat, a, b, lo, hi))
                    k += 1
    rows.sort(key=lambda r: (r[3], r[0], r[1], r[2]))
    sat, a, b, s, e = (np.array(x) for x in zip(*rows))
    return sat, a, b, s, e, rng.uniform(0.5, 2.0, len(rows)) * 1e-4


def windows_from_csv(path):
    import pandas as pd

    d = pd.read_csv(path)
    p = d[d["kind"] == "pair"]
    sat = np.zeros(len(p), np.int64)
    t0 = pd.to_datetime(p["start_utc"]).min().floor("D")
    s = (pd.to_datetime(p["start_utc"]) - t0).dt.total_seconds().to_numpy()
    e = (pd.to_datetime(p["end_utc"]) - t0).dt.total_seconds().to_numpy()
    names = sorted(set(p["station_a"]) | set(p["station_b"]))
    ix = {n: i for i, n in enumerate(names)}
    rate = np.random.default_rng(0).uniform(0.5, 2.0, len(p)) * 1e-4
    return sat, p["station_a"].map(ix).to_numpy(), p["station_b"].map(ix).to_numpy(), s, e, rate


def candidate_windows(sat, a, b, s, e, rate, step_s=1.0):
    """1 s samples with a sin² profile (an elevation-like rise and fall), CSR layout."""
    counts = np.maximum(np.floor((e - s) / step_s).astype(int), 1)
    off = np.concatenate([[0], np.cumsum(counts)])
    w = np.repeat(np.arange(s.size), counts)
    k = np.arange(off[-1]) - off[w]
    t = s[w] + k * step_s
    x = (t - s[w]) / (e[w] - s[w])
    v = rate[w] * step_s * 2.0 * np.sin(np.pi * x) ** 2
    return CandidateWindows(sat, a, b, s, e, t, v, off)


def max_open(s, e):
    ev = np.concatenate([s, e])
    d = np.concatenate([np.ones(s.size), -np.ones(e.size)])
    o = np.lexsort((d, ev))
    return int(np.cumsum(d[o]).max())


def run(label, sat, a, b, s, e, rate, policies, repeat):
    print(f"\n{label}: {s.size} pair windows of {sat.max() + 1} satellite(s), {len(set(zip(a, b)))} pairs, "
          f"{len(set(a) | set(b))} stations, up to {max_open(s, e)} open at once, "
          f"window time {np.sum(e - s):.0f} s")
    for policy in policies:
        best = np.inf
        for _ in range(repeat if policy != "fair" else 1):
            t0 = time.perf_counter()
            cw = candidate_windows(sat, a, b, s, e, rate)
            plan = plan_contacts(cw, Resources(telescopes=2), policy)
            best = min(best, time.perf_counter() - t0)
        methods = dict(zip(*np.unique(plan.component_method, return_counts=True)))
        big = int(plan.component_size.max())
        extra = f", bound {plan.fair_bound:.4f}" if policy == "fair" else ""
        print(f"  {policy:>10}: {best:6.2f} s  value {plan.total_value:8.4f}  worst pair share {plan.worst_share:.3f}{extra}  "
              f"scheduled {plan.scheduled_s.sum():.0f} s  contacts {plan.contact_window.size}  "
              f"components {plan.component_size.size} (largest {big} windows) {methods}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--windows", help="a `skyswap passes --out` CSV to plan instead of the synthetic years")
    ap.add_argument("--policies", default="first-come,max-pairs,fair")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    policies = args.policies.split(",")
    if args.windows:
        run(args.windows, *windows_from_csv(args.windows), policies, args.repeat)
    else:
        europe, china = list(range(7)), list(range(7, 11))
        q4s_pairs = [(0, 1), (0, 2), (2, 3), (3, 4), (4, 1), (5, 2), (7, 8), (7, 9), (7, 10)]
        run("q4s-like year", *synthetic_year([europe, china], q4s_pairs, seed=1, extra_prob=0.1, seen_prob=0.87),
            policies, args.repeat)
        # all 190 pairs asked for; as in the real 20-station year only pairs of nearby stations
        # (here: the same cluster, 28 + 10 + 3 + 1 + 1 = 43 pairs) ever share a window
        clusters = [list(range(8)), list(range(8, 13)), [13, 14, 15], [16, 17], [18, 19]]
        all_pairs = [(i, j) for i in range(20) for j in range(i + 1, 20)]
        run("20 stations, 190 pairs", *synthetic_year(clusters, all_pairs, seed=2, extra_prob=0.15, seen_prob=0.82),
            policies, args.repeat)
        # a 2-plane x 2 constellation: four satellites over the q4s stations, nightly passes a few
        # minutes apart, so stations are contended between satellites (integer programmes)
        run("4 satellites, q4s stations", *synthetic_year([europe, china], q4s_pairs, seed=3, extra_prob=0.1,
                                                          seen_prob=0.87, phases_s=(0.0, 240.0, 2838.0, 3078.0)),
            policies, args.repeat)
    print(f"\npeak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
