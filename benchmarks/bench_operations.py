"""Benchmark: the SWaP duty scheduler over a synthetic year (~5,000 windows, ~11,000 sunlight transitions).

Run from the repository root::

    python benchmarks/bench_operations.py

Prints wall time per operating rule and the peak resident set size of the process.
"""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skyswap.payload.budget import SwapBudget  # noqa: E402
from skyswap.payload.operations.run import run_operations  # noqa: E402


def synthetic_year(seed: int = 0, n_windows: int = 5000):
    """A year of 94.6-min orbits with 35-min eclipses and random passes of 3-10 min."""
    rng = np.random.default_rng(seed)
    span_s = 365 * 86400.0
    period_s, eclipse_s = 5677.0, 2100.0
    starts = np.arange(0.0, span_s, period_s)
    sunlit = np.column_stack([starts + eclipse_s, starts + period_s])
    w0 = np.sort(rng.uniform(0.0, span_s - 900.0, n_windows))
    windows = np.column_stack([w0, w0 + rng.uniform(180.0, 600.0, n_windows)])
    rates = rng.uniform(1e3, 1e5, n_windows)
    contact = rng.random(n_windows) < 0.8
    return span_s, sunlit, windows, rates, contact


def main() -> None:
    span_s, sunlit, windows, rates, contact = synthetic_year()
    print(f"windows: {len(windows)}, sunlight transitions: {2 * len(sunlit)}")
    for rule in ("ground-passes-first", "continuous-onboard"):
        best = np.inf
        for _ in range(3):
            t0 = time.perf_counter()
            sched = run_operations(SwapBudget(operating_rule=rule), span_s, sunlit, windows,
                                        data_rate_bytes_s=rates, window_is_contact=contact,
                                        onboard_data_rate_bytes_s=1e4)
            best = min(best, time.perf_counter() - t0)
        print(f"{rule:>20}: {best * 1e3:7.1f} ms (best of 3), {sched.timeline.state.size} pieces, "
              f"operating {sched.totals.operating_hours:.0f} h, lost {sched.totals.seconds_lost}")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS: {peak_kib / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
