"""Link budget for one year of 1 s samples over 20 stations (all their usable windows), against a
plain Python loop calling the same physics one sample at a time (timed on a slice, scaled).

Run: python benchmarks/bench_channel.py
"""
from __future__ import annotations

import time

import numpy as np
from _common import benchmark_stations, machine, peak_rss_mib


def main():
    from pathlib import Path

    from skyswap import mission
    from skyswap.mission import channel, persample, planner
    from skyswap.mission.windows import passes

    base = mission.load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "q4s_year.yaml")
    sc = base.model_copy(update={"stations": benchmark_stations(20), "pairs": [], "mode": "single-downlink"})
    orbit = planner.orbit_stage(sc.satellites, sc.span)
    sites = passes.sites_of(sc.stations, sc.elevation_mask_deg)
    windows = planner.window_stage(orbit, sites, sc.night.sun_elevation_max_deg, sc.min_window_duration_s, [],
                                   pair_mode=False)
    cands = planner.candidate_windows(windows)
    smp = persample.sample_stage(orbit, sites, cands, sc.sample_step_s)
    n = smp.station_of_row.size
    print(f"channel benchmark on {machine()}: {n} samples (365 days, 20 stations, all usable windows)")
    best = np.inf
    for _ in range(3):
        t = time.perf_counter()
        persample.channel_stage(smp, list(sc.stations), sc.payload.transmitter, sc.payload.source.wavelength_nm,
                              sc.channel, threads=1)
        best = min(best, time.perf_counter() - t)
    vec = best
    g, st = smp.rows, sc.stations[int(smp.station_of_row[0])]
    m = min(500, g.time_s.size)
    t = time.perf_counter()
    for i in range(m):
        channel.link_budget(g.elevation_deg[i:i + 1], g.range_km[i:i + 1], st, sc.payload.transmitter,
                            sc.payload.source.wavelength_nm, sc.channel)
        channel.noise_probabilities(g.sun_elevation_deg[i:i + 1], g.moon_elevation_deg[i:i + 1],
                                    g.moon_illumination[i:i + 1], st, sc.payload.source.wavelength_nm, sc.channel)
    loop = (time.perf_counter() - t) / m * n
    print(f"  vectorised link budget + noise (best of 3, one thread): {vec:.2f} s ({vec / n * 1e9:.0f} ns/sample)")
    print(f"  per-sample Python loop (extrapolated from {m} samples): {loop:.0f} s → {loop / vec:.0f}× slower")
    print(f"  peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
