"""Start-up of the light commands, as whole processes: wall and CPU time, and what they import.

Run: python benchmarks/bench_startup.py [--repeat 7] [--python PATH]

Each command runs as a user runs it (``python -m skyswap.mission.cli ...``, a fresh interpreter
each time); the figure is the median of ``--repeat`` runs. CPU time (user + system of the child) is
shown beside the wall time because it is less sensitive to other load on a shared machine. The last
column lists which of the heavy libraries (plotly, scipy, dask, distributed, pandas, pyarrow)
the command imported, read from ``python -X importtime``.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
HEAVY = ("plotly", "scipy", "dask", "distributed", "pandas", "pyarrow")


def commands(tmp: Path) -> dict[str, list[str]]:
    return {
        "--help": ["--help"],
        "schema": ["schema"],
        "stations": ["stations", "--json"],
        "validate": ["validate", str(TINY)],
        "passes (1 day)": ["passes", str(TINY), "--days", "1", "--out", str(tmp / "w.csv")],
    }


def run_once(python: str, args: list[str], env: dict) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([python, "-m", "skyswap.mission.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{args}: exit {proc.returncode}: {proc.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def heavy_imports(python: str, args: list[str], env: dict) -> list[str]:
    proc = subprocess.run([python, "-X", "importtime", "-m", "skyswap.mission.cli", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, check=False)
    top = {m.group(1).split(".")[0] for m in re.finditer(r"\|\s+([\w.]+)\s*$", proc.stderr, re.M)}
    return [name for name in HEAVY if name in top]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    print(f"start-up, median of {args.repeat} whole processes ({args.python})")
    print(f"  {'command':<16s} {'wall [s]':>9s} {'cpu [s]':>8s}   heavy imports")
    with tempfile.TemporaryDirectory() as tmp:
        for label, argv in commands(Path(tmp)).items():
            run_once(args.python, argv, env)  # warm the file cache
            walls, cpus = zip(*(run_once(args.python, argv, env) for _ in range(args.repeat)))
            heavy = heavy_imports(args.python, argv, env)
            print(f"  {label:<16s} {statistics.median(walls):9.2f} {statistics.median(cpus):8.2f}   "
                  f"{', '.join(heavy) or '-'}", flush=True)


if __name__ == "__main__":
    main()
