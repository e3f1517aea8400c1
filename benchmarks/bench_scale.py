"""Issue 25's targets, as whole processes a user runs: memory of a plan, the q4s year's time,
``skyswap passes`` against a plain find_events loop, and a sweep of one-satellite mission years on
one and two local Dask workers.

Run: python benchmarks/bench_scale.py [memory] [q4s] [passes] [sweep] [--repeat 3]
                                       [--years 3] [--points 40] [--skyswap PATH]

Every figure is a child process (``skyswap plan|passes|sweep``) measured with ``os.wait4`` and by
polling its process tree (for descendants the child does not wait for, such as workers forked
from a server process): its wall time, its CPU time (user + system, every descendant included) and its peak
resident memory (the largest of any one process); on Linux also the machine's idle share and the
share the host "stole" (a virtual machine's CPUs ready to run while the host ran something else,
from /proc/stat), which no program can use. ``--skyswap`` runs another checkout's command (for
example today's ``main`` installed in its own virtual environment), so both sides are measured by
the same script on the same machine, turn about. Each figure is the median of ``--repeat`` runs,
and the machine's load average is printed before and after: on a shared machine the wall time
says how long a user waited, the CPU time what the run itself cost.

The command runs with compiled bytecode, as an installed package does (a first run writes it;
``PYTHONDONTWRITEBYTECODE`` is removed from the child's environment).

* ``memory``: ``skyswap plan`` of the q4s year as shipped (target <= 350 MiB) and of the q4s
  payload over the first 20 catalog stations and all 190 pairs for ``--years`` years (target
  <= 1.2 GiB for 3 years).
* ``q4s``: the q4s year's whole process (target: not slower than today's main).
* ``passes``: ``skyswap passes`` of the first 20 catalog stations for a year in single-downlink
  mode (every station window with its link samples) against the plain per-station find_events
  loop and pair loops of ``bench_windows.plain_find_events`` run in this process (target >= 8x).
* ``sweep``: ``skyswap sweep`` of ``--points`` one-satellite q4s mission years (altitude x LTAN)
  with ``--workers 1`` and ``--workers 2``: points per minute, the time 1,000 points would take at
  that rate (target <= 10 min) and the two-worker speed-up (target >= 1.8x).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from _common import benchmark_stations, machine

ROOT = Path(__file__).resolve().parents[1]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} cores"


def _tree_usage(pid: int, seen: dict) -> None:
    """Record the CPU time [s] (each process's own) and resident memory [MiB] of ``pid`` and every
    descendant now."""
    import psutil

    try:
        top = psutil.Process(pid)
        procs = [top] + top.children(recursive=True)
    except psutil.Error:
        return
    for c in procs:
        try:
            cpu = c.cpu_times()
            rss = c.memory_info().rss / 2**20
        except psutil.Error:
            continue
        old = seen.get(c.pid, (0.0, 0.0))
        seen[c.pid] = (max(old[0], cpu.user + cpu.system), max(old[1], rss))


def _cpu_ticks() -> dict | None:
    """The machine's CPU time by state since boot (the ``cpu`` line of Linux's /proc/stat, in
    clock ticks), or None where there is none."""
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    names = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
    return dict(zip(names, values))


def _shares(before: dict | None, after: dict | None) -> dict:
    """Idle and stolen shares of the machine's CPU time between two :func:`_cpu_ticks`. "Steal" is
    time a virtual machine's CPUs were ready to run but the host ran something else: what the
    machine did not have, whatever the program does."""
    if not before or not after:
        return {}
    d = {k: after[k] - before[k] for k in before}
    total = sum(d.values())
    return {"idle_share": d["idle"] / total, "steal_share": d["steal"] / total} if total else {}


def run(cmd: list[str]) -> dict:
    """One child process: wall [s], CPU [s] and peak RSS [MiB] (of it and its children).

    ``os.wait4`` gives the child's CPU with that of the descendants it waited for, and their largest
    RSS. Descendants it does not wait for (for example workers forked from multiprocessing's fork
    server, whose parent is the server, which is not waited for) are followed by polling the process tree
    every 0.1 s: the CPU is the larger of wait4's figure and the sum of every process's own last
    polled CPU (which misses at most a poll interval of each), the peak the largest of all."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    ticks = _cpu_ticks()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    seen: dict = {}
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        _tree_usage(proc.pid, seen)
        time.sleep(0.1)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()[-400:]}")
    cpu = max(usage.ru_utime + usage.ru_stime, sum(c for c, _ in seen.values()))
    return {"wall": wall, "cpu": cpu, "rss": max([usage.ru_maxrss / 1024.0] + [r for _, r in seen.values()]),
            **_shares(ticks, _cpu_ticks())}


def repeated(cmd: list[str], repeat: int) -> dict:
    runs = [run(cmd) for _ in range(repeat)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]} | {"n": repeat,
                                                                          "all_wall": [r["wall"] for r in runs]}


def show(label: str, r: dict) -> None:
    machine_time = (f"; machine idle {100 * r['idle_share']:.0f} %, stolen by the host {100 * r['steal_share']:.1f} %"
                    if "steal_share" in r else "")
    print(f"  {label:<58s} wall {r['wall']:7.2f} s  CPU {r['cpu']:7.2f} s  peak {r['rss']:7.0f} MiB"
          f"  (median of {r['n']}{machine_time})", flush=True)


def twenty_stations(folder: Path, days: float, mode: str | None = None, q4s_payload: bool = True) -> Path:
    """The q4s scenario over the first 20 catalog stations and all their pairs (or ``mode``)."""
    data = yaml.safe_load((ROOT / "scenarios" / "q4s_year.yaml").read_text())
    if not q4s_payload:
        data = {k: data[k] for k in ("name", "span", "orbit", "elevation_mask_deg")}
    data["stations"] = [s.name for s in benchmark_stations(20)]
    data.pop("pairs", None)
    data["span"] = {"start": "2027-01-01T00:00:00Z", "days": days}
    data["name"] = f"bench-20-{int(days)}"
    if mode:
        data["mode"] = mode
    path = folder / f"twenty-{int(days)}-{mode or 'dual'}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def sweep_file(folder: Path, points: int) -> Path:
    """One-satellite q4s mission years: altitude x LTAN, ``points`` of them (as near as a grid allows)."""
    n_alt = max(1, round(points ** 0.5 / 1.6))
    n_ltan = max(1, -(-points // n_alt))
    data = {"name": "bench-sweep", "base": str(ROOT / "scenarios" / "q4s_year.yaml"),
            "axes": {"orbit.sun_synchronous.altitude_km": [450.0 + 250.0 * i / max(n_alt - 1, 1) for i in range(n_alt)],
                     "orbit.sun_synchronous.ltan_h": [round(18.0 + 6.0 * i / n_ltan, 4) for i in range(n_ltan)]}}
    path = folder / "bench_sweep.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", nargs="*", default=["memory", "q4s", "passes", "sweep"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--years", type=float, default=3.0, help="span of the 20-station memory case")
    ap.add_argument("--points", type=int, default=40, help="sweep points (1,000 is the issue's sweep)")
    ap.add_argument("--skyswap", default=str(Path(sys.executable).parent / "skyswap"),
                    help="the skyswap command to measure (another checkout's, for a side-by-side)")
    args = ap.parse_args()
    exe = args.skyswap
    print(f"bench_scale: {exe} on {machine()}; {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        q4s = str(ROOT / "scenarios" / "q4s_year.yaml")
        run([exe, "plan", q4s, "--days", "2", "--quiet", "--out", str(folder / "warm")])  # bytecode, caches
        if "memory" in args.what or "q4s" in args.what:
            show("plan q4s year (whole process, every file)",
                 repeated([exe, "plan", q4s, "--quiet", "--out", str(folder / "q4s")], args.repeat))
        if "memory" in args.what:
            days = 365.0 * args.years
            big = twenty_stations(folder, days)
            show(f"plan 20 stations x 190 pairs x {args.years:g} years",
                 repeated([exe, "plan", str(big), "--quiet", "--out", str(folder / "big")], 1))
        if "passes" in args.what:
            single = twenty_stations(folder, 365.0, "single-downlink", q4s_payload=False)
            ours = repeated([exe, "passes", str(single), "--out", str(folder / "w.csv")], args.repeat)
            show("passes 20 stations x year, single-downlink (whole process)", ours)
            sys.path.insert(0, str(Path(__file__).parent))
            from _common import benchmark_orbit
            from bench_windows import plain_find_events

            from skyswap.mission.orbits import skydata

            satrec, epoch = benchmark_orbit()
            skydata.ephemeris()
            t0 = skydata.timescale().from_datetime(epoch)
            walls, cpus = [], []
            for _ in range(args.repeat):
                w, c = time.perf_counter(), time.process_time()
                plain_find_events(satrec, t0, 365 * 86400.0, benchmark_stations(20))
                walls.append(time.perf_counter() - w)
                cpus.append(time.process_time() - c)
            base = {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}
            print(f"  plain find_events loop + pair loops (in process)             wall {base['wall']:7.2f} s  "
                  f"CPU {base['cpu']:7.2f} s")
            print(f"  passes speed-up: {base['wall'] / ours['wall']:.1f}x wall, {base['cpu'] / ours['cpu']:.1f}x CPU "
                  f"(target >= 8x)")
        if "sweep" in args.what:
            spec = sweep_file(folder, args.points)
            n = len(yaml.safe_load(spec.read_text())["axes"]["orbit.sun_synchronous.altitude_km"]) * \
                len(yaml.safe_load(spec.read_text())["axes"]["orbit.sun_synchronous.ltan_h"])
            results = {}
            for workers in (1, 2):
                r = repeated([exe, "sweep", str(spec), "--workers", str(workers), "--quiet", "--out",
                              str(folder / f"sweep{workers}")], 1)
                results[workers] = r
                rate = n / r["wall"] * 60.0
                show(f"sweep {n} one-satellite years, {workers} worker(s): {rate:.1f} points/min", r)
                print(f"    -> 1,000 points at this rate: {1000.0 / rate:.1f} min (target <= 10 min with 2 workers); "
                      f"CPU per point {r['cpu'] / n:.2f} s")
            print(f"  two workers / one worker: {results[1]['wall'] / results[2]['wall']:.2f}x (target >= 1.8x)")
            if "steal_share" in results[2]:
                # with both CPUs busy, what the host took bounds the speed-up whatever the program does
                print(f"    the host took {100 * results[2]['steal_share']:.1f} % of the two CPUs' time during the "
                      f"two-worker run (one worker: {100 * results[1]['steal_share']:.1f} %): two workers can be at "
                      f"most about {2 * (1 - results[2]['steal_share']):.2f}x one on this machine then")
    print(f"done; {load()}")


if __name__ == "__main__":
    main()
