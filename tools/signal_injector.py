"""Send SIGINT or SIGTERM at the N-th Python call of a skyswap command, for many N: the fault
contract's stress test (not part of the test suite: it takes minutes).

A signal at a random wall-clock moment lands mostly where a run spends its time; one at the N-th
call (``sys.setprofile`` counts the main thread's calls and C calls; the signal is sent once, to the
command's own process) lands anywhere: inside an import, a fork, a pool's start, an ``eval`` of
a string, an extension's callback. Each run is ``python -m`` (a small package written to a
temporary folder, which imports ``skyswap.mission.cli`` and runs ``main``), so CPython's own
``-m`` exit rules apply. A run is good when it ends 130 with exactly skyswap's line (SIGINT), 143
with nothing on stderr (SIGTERM), or 0 with nothing on stderr (N past the run's end). A run that
does not end within ``--timeout`` is a hang: its Python stacks (``PYTHONFAULTHANDLER``, SIGABRT)
and process tree are written beside the report.

    python tools/signal_injector.py --runs 300 -- passes tests/data/tiny.yaml --out /tmp/p.csv

Found with it (issue 25, sixth round): workers left by a signal inside a pool's start (a hang at
exit), "cannot join thread before it is started", a signal swallowed by pydantic-core, one wrapped
in pydantic-core's serialisation error, a half-built ``ZipFile``'s finaliser, and the KeyboardInterrupt
escaping an ``eval`` that made ``python -m`` die by SIGINT after the line.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures
import os
import random
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = '''
import os, signal, sys
N, SIG = int(sys.argv.pop(1)), getattr(signal, sys.argv.pop(1))
parent, count = os.getpid(), [0]


def counter(frame, event, arg):
    if os.getpid() != parent:  # a forked worker: not counted, never signalled
        sys.setprofile(None)
        return
    count[0] += 1
    if count[0] == N:
        sys.setprofile(None)
        os.kill(parent, SIG)


sys.argv[0] = "skyswap"
from skyswap.mission.cli import main

if N > 0:
    sys.setprofile(counter)
    main()
else:  # count the calls of a whole run
    sys.setprofile(counter)
    try:
        main()
    finally:
        sys.setprofile(None)
        print("calls", count[0], file=sys.stderr)
'''

WANT = {"SIGINT": (130, "skyswap: error: interrupted\n"), "SIGTERM": (143, "")}


def _run(folder: Path, n: int, sig: str, command: list[str], timeout: float, report: Path):
    env = {**os.environ, "PYTHONFAULTHANDLER": "1", "PYTHONPATH": str(folder)}
    proc = subprocess.Popen([sys.executable, "-m", "injected", str(n), sig, *command], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        tree = subprocess.run(["ps", "-o", "pid,ppid,stat,wchan:25,cmd", "-g", str(proc.pid)], capture_output=True,
                              text=True, check=False).stdout
        os.kill(proc.pid, signal.SIGABRT)
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            err = "(no stacks)"
        os.killpg(proc.pid, signal.SIGKILL)
        (report / f"hang_{n}_{sig}.txt").write_text(tree + "\n" + err)
        return n, sig, "hang", False, ""
    good = (proc.returncode, err) == WANT[sig] or (proc.returncode == 0 and err == "")
    return n, sig, proc.returncode, good, err


def run_injections(command: list[str], runs: int, seed: int = 0, timeout: float = 60.0,
                   report: Path = Path("signal_injector_report"), jobs: int | None = None,
                   say=print) -> tuple[int, collections.Counter, list]:
    """``runs`` runs of ``skyswap <command>``, each signalled at a random call: the count of calls
    in a whole run, the outcomes (signal, status, "good"/"BAD") and the bad runs (N, signal, status,
    the end of stderr)."""
    report.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "injected").mkdir()
        (folder / "injected" / "__init__.py").write_text("")
        (folder / "injected" / "__main__.py").write_text(CHILD)
        env = {**os.environ, "PYTHONPATH": str(folder)}
        whole = subprocess.run([sys.executable, "-m", "injected", "0", "SIGINT", *command], capture_output=True,
                               text=True, env=env, check=False)
        calls = int(whole.stderr.rsplit("calls", 1)[1].split()[0])
        say(f"{' '.join(command)}: {calls} calls in a whole run")
        rng = random.Random(seed)
        plan = [(rng.randrange(1, calls + 1), rng.choice(sorted(WANT))) for _ in range(runs)]
        outcomes: collections.Counter = collections.Counter()
        bad = []
        with concurrent.futures.ThreadPoolExecutor(jobs or os.cpu_count() or 1) as pool:
            for n, sig, status, good, err in pool.map(lambda job: _run(folder, *job, command, timeout, report), plan):
                outcomes[(sig, status, "good" if good else "BAD")] += 1
                if not good:
                    bad.append((n, sig, status, err[-400:]))
                    say(f"BAD N={n} {sig}: {status} {err[-400:]!r}")
    return calls, outcomes, bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a run counts as a hang")
    ap.add_argument("--report", type=Path, default=Path("signal_injector_report"))
    ap.add_argument("command", nargs=argparse.REMAINDER, help="-- then the skyswap command and its arguments")
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    _, outcomes, bad = run_injections(command, args.runs, args.seed, args.timeout, args.report,
                                      say=lambda line: print(line, flush=True))
    for key, count in sorted(outcomes.items(), key=str):
        print(*key, count)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
