"""What one sweep point costs, stage by stage, in this process: the CPU time of each stage of
``run_stages`` + the pass table for one-satellite q4s mission years (altitude x LTAN, as
``bench_scale.py sweep`` plans them), after one warm-up point.

Run: python benchmarks/bench_sweep_point.py [--points 6] [--profile N]

The 1,000-point sweep target (<= 10 min on 2 workers) needs a mean of about 1.1 s of CPU a point. CPU time
(``time.process_time``) rather than wall time, so that other work on the machine moves the figures
less; each stage is timed from one ``progress`` tick of ``run_stages`` to the next, the pass table
after it. ``--profile N`` prints the N most expensive functions (cProfile, internal time) over the
same points.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from pathlib import Path

import yaml
from _common import machine

ROOT = Path(__file__).resolve().parents[1]


def point_scenarios(n: int) -> list[dict]:
    """``n + 1`` scenario mappings: the q4s year at altitudes 450-700 km and LTAN 18-24 h."""
    base = yaml.safe_load((ROOT / "scenarios" / "q4s_year.yaml").read_text())
    out = []
    for i in range(n + 1):
        data = yaml.safe_load(yaml.safe_dump(base))
        data["orbit"] = {"sun_synchronous": {"altitude_km": 450.0 + 250.0 * (i % 4) / 3.0,
                                             "ltan_h": round(18.0 + 6.0 * (i * 7 % 11) / 11.0, 4)}}
        out.append(data)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=6)
    ap.add_argument("--profile", type=int, default=0, help="print the N most expensive functions")
    args = ap.parse_args()

    from skyswap.mission.sweep import run_batch

    scenarios = point_scenarios(args.points)
    run_batch([(0, "sweep point (warm-up)", scenarios[0])])  # imports, ephemeris, caches; the worker's memory policy
    prof = cProfile.Profile() if args.profile else None
    per_stage: dict[str, list[float]] = {}
    totals = []

    import skyswap.mission.planner as planner

    original = planner.run_stages
    for data in scenarios[1:]:
        marks: list[tuple[str, float]] = []

        def run_stages(scenario, workers=1, progress=None, threads=None, marks=marks):
            return original(scenario, workers, lambda name, d, t: marks.append((name, time.process_time())), threads)

        planner.run_stages = run_stages
        try:
            if prof:
                prof.enable()
            t0 = time.process_time()
            run_batch([(0, "sweep point", data)])
            t1 = time.process_time()
            if prof:
                prof.disable()
        finally:
            planner.run_stages = original
        totals.append(t1 - t0)
        bounds = [("set-up", t0)] + marks + [("", t1)]  # the last stage includes the pass table
        for (stage, a), (_, b) in zip(bounds[:-1], bounds[1:]):
            per_stage.setdefault(stage, []).append(b - a)

    print(f"bench_sweep_point: {machine()}; {args.points} one-satellite q4s years, CPU per point (median)")
    for stage, xs in per_stage.items():
        print(f"  {stage:<28s} {statistics.median(xs):6.3f} s")
    each = ", ".join(f"{x:.2f}" for x in totals)
    print(f"  {'total':<28s} {statistics.median(totals):6.3f} s, mean {statistics.fmean(totals):.3f} s "
          f"(what a sweep pays; each: {each})")
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
