"""Shared helpers for the benchmarks: timing, peak memory, the benchmark orbit and stations."""
from __future__ import annotations

import resource
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime

sys.path.insert(0, __file__.rsplit("/benchmarks/", 1)[0])


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far. [MiB]"""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


@contextmanager
def timed(label: str, results: dict):
    t = time.perf_counter()
    yield
    results[label] = time.perf_counter() - t
    print(f"  {label:<48s} {results[label]:8.3f} s   (peak RSS so far {peak_rss_mib():7.0f} MiB)", flush=True)


def benchmark_orbit():
    """A designed 500 km sun-synchronous orbit, LTAN 22:30, epoch 2027-01-01 (the q4s_year orbit)."""
    from skyswap.mission.orbits.sources import (
        EARTH_RADIUS_KM,
        satrec_from_elements,
        sun_synchronous_inclination_deg,
        sun_synchronous_raan_deg,
    )

    epoch = datetime(2027, 1, 1, tzinfo=UTC)
    a = EARTH_RADIUS_KM + 500.0
    return satrec_from_elements(a, 0.0, sun_synchronous_inclination_deg(a), sun_synchronous_raan_deg(22.5, epoch),
                                0.0, 0.0, epoch), epoch


def benchmark_stations(n: int = 20):
    """The first ``n`` stations of the shipped catalog."""
    from skyswap.groundstations.catalog import load_catalog

    stations = list(load_catalog().values())
    if len(stations) < n:
        raise SystemExit(f"the catalog has {len(stations)} stations, the benchmark needs {n}")
    return stations[:n]


def machine() -> str:
    import os
    import platform

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
