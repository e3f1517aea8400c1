"""Benchmark: 1,000 draws over a q4s-like year of ~2,600 contacts, over the weather alone and
over the weather and the link model's uncertainty.

Run from the repository root::

    python benchmarks/bench_year_draws.py [--draws 1000] [--contacts 2600] [--repeat 3]

A synthetic year like the q4s scenario's (20 catalog stations, 366 nights, ~2,600 contacts, a
tenth of them two-station contacts, ~190 links); prints, for the year over the weather alone
(``simulate_year``) and for both years (``simulate_years`` with the Micius link uncertainty), the
fastest wall and CPU time of ``--repeat`` runs and the peak of the memory the run allocates
(tracemalloc: numpy reports its arrays), the same for the sums alone (``years_of``: the sparse
link × month products and the pooled finite-size keys, given which contacts delivered), and the
process's peak resident set size.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skyswap.groundstations.calibration import MICIUS_CHAIN_LOSS_SIGMA_DB, MICIUS_LINK_LOSS_SIGMA_DB
from skyswap.groundstations.catalog import load_catalog
from skyswap.groundstations.cloud_grid import global_cloud_free_monthly
from skyswap.groundstations.link_uncertainty import LinkUncertainty
from skyswap.groundstations.year_draws import WEATHER_AND_LINK, nightly_clear_probability, simulate_year, simulate_years
from skyswap.groundstations.year_sums import years_of
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


def fastest(fn, repeat: int):
    """The fastest wall and CPU seconds of ``repeat`` calls of ``fn``, and its last result."""
    wall = cpu = float("inf")
    out = None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return wall, cpu, out


def peak_allocated_mib(fn) -> float:
    """Peak of the memory ``fn`` allocates while it runs (tracemalloc). [MiB]"""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--contacts", type=int, default=2600)
    ap.add_argument("--repeat", type=int, default=3)
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
    link = LinkUncertainty(MICIUS_CHAIN_LOSS_SIGMA_DB, MICIUS_LINK_LOSS_SIGMA_DB, downlinks=2)
    simulate_years(**{**kw, "n_draws": 2}, link_uncertainty=link)  # warm-up (imports, caches)
    n_links = len(np.unique(st, axis=0))
    print(f"stations {len(stations)}, nights {n_nights}, contacts {args.contacts} ({n_links} links), draws {args.draws}")

    def weather():
        return simulate_year(**kw).distribution()

    def both():
        years = simulate_years(**kw, link_uncertainty=link)
        return [y.distribution() for y in years.values()], years

    for label, fn in (("weather alone: simulate_year + distribution()", weather),
                      ("weather + link: simulate_years + both distributions", both)):
        wall, cpu, _ = fastest(fn, args.repeat)
        print(f"  {label:<54s} {wall:6.3f} s wall, {cpu:6.3f} s CPU, peak allocated {peak_allocated_mib(fn):6.0f} MiB")
    _, _, (dists, years) = fastest(both, 1)
    delivered = years[WEATHER_AND_LINK].delivered
    uniq, link_of = np.unique(st, axis=0, return_inverse=True)
    link_of = link_of.reshape(-1)
    names = [s.name for s in stations]
    scale = np.ones((args.draws, len(uniq)))  # the factor's values do not change the work
    for label, scales in (("the sums alone (years_of), weather", None),
                          ("the sums alone (years_of), weather + link", {"weather": None, "link": scale})):
        def sums(scales=scales):
            return years_of(delivered, names, st, month, pairs, qber, link_of, [str(i) for i in range(len(uniq))],
                            kw["key_bits"], scales)
        wall, cpu, _ = fastest(sums, args.repeat)
        print(f"  {label:<54s} {wall:6.3f} s wall, {cpu:6.3f} s CPU, peak allocated {peak_allocated_mib(sums):6.0f} MiB")
    print(f"  peak RSS of the process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    for name, d in zip(years, dists):
        hp = d["heralded_pairs"]
        print(f"  heralded pairs, {name}: mean {hp['mean']:.4g}, P10 {hp['p10']:.4g}, P50 {hp['p50']:.4g}, "
              f"P90 {hp['p90']:.4g}")


if __name__ == "__main__":
    main()
