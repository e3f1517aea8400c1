"""`skyswap map` as a user runs it: the q4s year on a global 2° grid, and Europe at 0.5°.

Run: python benchmarks/bench_map.py [--repeat 1] [--only global|europe|both] [--days 365]

Each case is the whole command in a fresh process (`skyswap map scenarios/q4s_year.yaml --quiet
--workers N --out DIR`, single downlink: no --partner), timed from launch to exit, with the
output set written. Targets (issue 26): global 2°, one year, <= 10 min on this 2-core machine
and >= 1.8x faster on 2 local workers than on 1; `--region` Europe (35..72 N, 12 W..45 E) at
0.5° in <= 5 min. The machine is shared: the script prints the load average before and after
each run, the CPU seconds of the command and its workers (what a run costs whatever the load), and
the median of --repeat runs.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import machine

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "q4s_year.yaml"
EUROPE = "35,72,-12,45"


def run(args: list[str], out: Path) -> tuple[float, float]:
    """Wall time and the CPU time of the command and every process it started (Dask workers
    included: they are reaped before it exits). [s]"""
    cmd = [sys.executable, "-m", "skyswap.mission.cli", "map", str(SCENARIO), "--quiet", "--out", str(out), *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--only", choices=("global", "europe", "both"), default="both")
    ap.add_argument("--days", type=float, default=None)
    args = ap.parse_args()
    days = ["--days", str(args.days)] if args.days else []
    cases = []
    if args.only in ("global", "both"):
        cases += [("global 2°, 1 worker", ["--workers", "1", *days]), ("global 2°, 2 workers", ["--workers", "2", *days])]
    if args.only in ("europe", "both"):
        cases += [("Europe 0.5°, 2 workers", ["--region", EUROPE, "--resolution", "0.5", "--workers", "2", *days])]
    print(machine())
    medians = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, extra in cases:
            times = []
            for r in range(args.repeat):
                before = os.getloadavg()[0]
                dt, cpu = run(extra, Path(tmp) / f"out{len(medians)}-{r}")
                after = os.getloadavg()[0]
                times.append(dt)
                print(f"{label}: {dt:7.1f} s wall, {cpu:7.1f} s CPU (load average {before:.1f} before, {after:.1f} "
                      "after)", flush=True)
            medians[label] = statistics.median(times)
            print(f"{label}: median {medians[label]:.1f} s of {len(times)}", flush=True)
    one, two = medians.get("global 2°, 1 worker"), medians.get("global 2°, 2 workers")
    if one and two:
        print(f"speed-up 2 workers / 1 worker: {one / two:.2f}x (target >= 1.8x); global 2 workers {two / 60:.1f} min "
              "(target <= 10 min)")
    if "Europe 0.5°, 2 workers" in medians:
        print(f"Europe 0.5°: {medians['Europe 0.5°, 2 workers'] / 60:.1f} min (target <= 5 min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
