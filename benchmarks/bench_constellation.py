"""Benchmark: constellations whose satellites share stations (the contact plan's integer programmes).

Run from the repository root::

    python benchmarks/bench_constellation.py [--cases walker2x2,walker4x2,walker24] [--repeat 3] [--workers 1]
    python benchmarks/bench_constellation.py --process q4s_year --repeat 3   # whole `skyswap plan` process

Cases (each a whole ``skyswap.plan`` in this process, imports warmed first):

* ``walker2x2``: the shipped q4s year (11 stations, 9 pairs, dual downlink) flown by a Walker 2 × 2
  constellation (500 km, 97.4°, phasing 1);
* ``walker4x2``: the same year by a Walker 4 planes × 2;
* ``walker24``: a 24-satellite Walker 24/6/1 (550 km, 53°) over the 20 first catalog stations and all
  their 190 pairs, for 30 days.

For each: the median wall time of the plan and of its contact stage, the groups of windows by how
they were solved, their solver status, and the proven gap (the largest relative gap between a
group's plan and its solver's proven bound; 0 when every group is proven optimal).
``--process NAME`` times ``skyswap plan scenarios/NAME.yaml --quiet`` as a whole process instead.
The script runs on any checkout (it reads only what every version of the contact plan reports), so
the same command gives the before/after figures side by side.
"""
from __future__ import annotations

import argparse
import functools
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import machine, peak_rss_mib

ROOT = Path(__file__).resolve().parents[1]


def _base():
    from skyswap.mission.scenario import load_scenario

    return load_scenario(ROOT / "scenarios" / "q4s_year.yaml").model_dump(mode="json")


def case(name: str):
    """The scenario of a benchmark case."""
    from skyswap.groundstations.catalog import load_catalog
    from skyswap.mission.scenario import parse_scenario

    data = _base()
    if name in ("walker2x2", "walker4x2"):
        planes, per_plane = (2, 2) if name == "walker2x2" else (4, 2)
        data["orbit"] = {"walker": {"altitude_km": 500, "inclination_deg": 97.4, "planes": planes,
                                    "satellites_per_plane": per_plane, "phasing": 1}, "name": "w"}
    elif name == "walker24":
        data["orbit"] = {"walker": {"altitude_km": 550, "inclination_deg": 53.0, "planes": 6,
                                    "satellites_per_plane": 4, "phasing": 1}, "name": "w"}
        data["stations"] = list(load_catalog())[:20]
        data["pairs"] = []
        data["span"] = {"start": data["span"]["start"], "days": 30}
    else:
        raise SystemExit(f"unknown case {name!r}")
    return parse_scenario(data)


def _cpu_s() -> float:
    """CPU time of this process and its finished children (user + system). [s]"""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_case(name: str, repeat: int, workers: int) -> None:
    from skyswap import mission
    from skyswap.mission import planner

    sc = case(name)
    stage_s: list[float] = []
    original = planner.contact_stage

    @functools.wraps(original)
    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return original(*a, **k)
        finally:
            stage_s.append(time.perf_counter() - t)

    planner.contact_stage = timed
    walls, cpus = [], []
    try:
        for _ in range(repeat):
            t, c = time.perf_counter(), _cpu_s()
            kw = {"workers": workers} if workers > 1 else {}
            result = mission.plan(sc, **kw)
            walls.append(time.perf_counter() - t)
            cpus.append(_cpu_s() - c)
    finally:
        planner.contact_stage = original
    cp = result.summary["contact_plan"]
    print(f"  {name}: plan {statistics.median(walls):7.2f} s (median of {repeat}: "
          f"{', '.join(f'{w:.1f}' for w in walls)}; CPU {statistics.median(cpus):.1f} s), "
          f"contact stage {statistics.median(stage_s):7.2f} s, "
          f"{len(result.passes)} windows, {len(result.schedule)} contacts, "
          f"objective {cp['objective_value']:.6g}", flush=True)
    print(f"      solved by {cp['solved_by']}, status {cp['solver_status']}, "
          f"largest proven gap {cp['largest_proven_gap']}, peak RSS {peak_rss_mib():.0f} MiB", flush=True)


def run_process(name: str, repeat: int) -> None:
    exe = Path(sys.executable).with_name("skyswap")
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            t, c = time.perf_counter(), _cpu_s()
            subprocess.run([str(exe), "plan", str(ROOT / "scenarios" / f"{name}.yaml"), "--quiet", "--out", tmp],
                           check=True, stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - t)
            cpus.append(_cpu_s() - c)
    print(f"  skyswap plan {name}.yaml (whole process): {statistics.median(walls):.2f} s "
          f"(median of {repeat}: {', '.join(f'{w:.2f}' for w in walls)}; CPU {statistics.median(cpus):.2f} s)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default="walker2x2,walker4x2,walker24")
    ap.add_argument("--process", help="time `skyswap plan scenarios/NAME.yaml` as a whole process instead")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    import skyswap

    print(f"constellation benchmark on {machine()}, skyswap from {Path(skyswap.__file__).parents[2]}", flush=True)
    if args.process:
        run_process(args.process, args.repeat)
        return
    from skyswap import mission

    mission.plan(case("walker2x2").with_days(1))  # warm imports and caches
    for name in args.cases.split(","):
        run_case(name, args.repeat, args.workers)


if __name__ == "__main__":
    main()
