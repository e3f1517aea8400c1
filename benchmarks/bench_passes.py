"""`skyswap passes` on a year of 20 stations and all 190 pairs, against a plain find_events loop.

Run: python benchmarks/bench_passes.py [--days 365] [--stations 20] [--repeat 3]

skyswap side: the whole command as a user runs it (`skyswap passes SCENARIO --out FILE.csv`, in
this process, through the CLI): orbit, windows (visible, night, culminations, common view, sunlit),
every candidate window's geometry on the 1 s grid, the link budget of every sample, the window
table and its CSV. Baseline: what a user would write with Skyfield alone — `find_events` per station
(rise/set only, no night, no link) and nested loops for the pairs (benchmarks/bench_windows.py).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml
from _common import benchmark_orbit, benchmark_stations, machine, peak_rss_mib
from bench_windows import plain_find_events


def scenario_file(folder: Path, days: float, stations) -> Path:
    """The benchmark scenario: the q4s orbit, the first N catalog stations, all pairs, dual downlink."""
    path = folder / "bench_passes.yaml"
    path.write_text(yaml.safe_dump({
        "name": "bench-passes",
        "span": {"start": "2027-01-01T00:00:00Z", "days": days},
        "orbit": {"sun_synchronous": {"altitude_km": 500, "ltan_h": 22.5}},
        "stations": [s.name for s in stations],
        "mode": "dual-downlink",
        "elevation_mask_deg": 20,
    }))
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=float, default=365.0)
    ap.add_argument("--stations", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from typer.testing import CliRunner

    from skyswap.mission.cli import app
    from skyswap.mission.orbits import skydata

    stations = benchmark_stations(args.stations)
    print(f"skyswap passes: {args.days:g} days × {len(stations)} stations × all pairs on {machine()}")
    skydata.ephemeris()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scenario = scenario_file(folder, args.days, stations)
        ours = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = CliRunner().invoke(app, ["passes", str(scenario), "--out", str(folder / "w.csv")])
            ours.append(time.perf_counter() - t)
            assert r.exit_code == 0, r.output
        rows = sum(1 for _ in (folder / "w.csv").open()) - 1
    satrec, epoch = benchmark_orbit()
    t0 = skydata.timescale().from_datetime(epoch)
    t = time.perf_counter()
    plain_find_events(satrec, t0, args.days * 86400.0, stations)
    base = time.perf_counter() - t
    print(f"  skyswap passes (CLI, {rows} pair windows with geometry and link): "
          f"min {min(ours):.2f} s, median {sorted(ours)[len(ours) // 2]:.2f} s, max {max(ours):.2f} s")
    print(f"  plain find_events loop + pair loops (rise/set only):            {base:.2f} s")
    print(f"  speed-up: {base / min(ours):.1f}× (best), {base / sorted(ours)[len(ours) // 2]:.1f}× (median); "
          f"peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
