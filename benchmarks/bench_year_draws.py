"""Benchmark: 1,000 weather draws over a q4s-like year of ~2,600 contacts.

Run from the repository root::

    python benchmarks/bench_year_draws.py [--draws 1000] [--contacts 2600]

A synthetic year like the q4s scenario's (20 catalog stations, 366 nights, ~2,600 contacts, a
tenth of them two-station contacts); prints the wall time of the cloud draws, of the contact
sums (pairs, passes, key per link and per month) and in total, and the peak resident set size.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skyswap.groundstations.catalog import load_catalog
from skyswap.groundstations.cloud_grid import global_cloud_free_monthly
from skyswap.groundstations.year_draws import nightly_clear_probability, simulate_year
from skyswap.payload.keyrate import bbm92_secret_key_bits


def synthetic_contacts(n_stations: int, n_contacts: int, n_nights: int = 366, seed: int = 0):
    rng = np.random.default_rng(seed)
    st = np.full((n_contacts, 2), -1)
    st[:, 0] = rng.integers(0, n_stations, n_contacts)
    dual = rng.random(n_contacts) < 0.1
    st[dual, 1] = (st[dual, 0] + 1 + rng.integers(0, n_stations - 1, dual.sum())) % n_stations
    night = np.where(st >= 0, rng.integers(0, n_nights, n_contacts)[:, None], -1)
    month = np.minimum(night[:, 0] * 12 // n_nights + 1, 12)
    pairs = rng.gamma(0.5, 2.0e4, n_contacts)
    qber = rng.uniform(0.02, 0.08, n_contacts)
    return st, night, month, pairs, qber


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--contacts", type=int, default=2600)
    args = ap.parse_args()
    stations = list(load_catalog().values())[:20]
    lat = [s.latitude_deg for s in stations]
    lon = [s.longitude_deg for s in stations]
    monthly = np.array([global_cloud_free_monthly(a, b) for a, b in zip(lat, lon)])
    n_nights = 366
    night_month = np.minimum(np.arange(n_nights) * 12 // n_nights + 1, 12)
    p = nightly_clear_probability(monthly, night_month)
    st, night, month, pairs, qber = synthetic_contacts(len(stations), args.contacts, n_nights)
    kw = {"station_names": [s.name for s in stations], "latitude_deg": lat, "longitude_deg": lon, "p_clear_nightly": p,
              "contact_station": st, "contact_night": night, "month": month, "pairs_if_clear": pairs, "qber": qber,
              "key_bits": lambda n, q: bbm92_secret_key_bits(0.5 * n, q), "n_draws": args.draws, "seed": 1}
    simulate_year(**{**kw, "n_draws": 2})  # warm-up (imports, caches)
    t, c = time.perf_counter(), time.process_time()
    y = simulate_year(**kw)
    dist = y.distribution()
    total, cpu = time.perf_counter() - t, time.process_time() - c
    print(f"stations {len(stations)}, nights {n_nights}, contacts {args.contacts}, draws {args.draws}")
    print(f"  simulate_year + distribution(): {total:.3f} s wall, {cpu:.3f} s CPU   "
          f"(peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")
    hp = dist["heralded_pairs"]
    print(f"  heralded pairs: mean {hp['mean']:.4g}, P10 {hp['p10']:.4g}, P50 {hp['p50']:.4g}, P90 {hp['p90']:.4g}")


if __name__ == "__main__":
    main()
