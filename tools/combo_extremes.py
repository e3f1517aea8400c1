"""Several numbers of a scenario at once, each anywhere in its bounds: a plan must run or refuse.

    python tools/combo_extremes.py [--cases 200] [--fields 3] [--seed 0] [--days 1]

``bounds_extremes.py`` moves one field at a time to a bound; faults that need two settings together
(a tiny aperture with a long wavelength, a high mask with a short window) escape it. Here each case
draws ``--fields`` numeric fields of the scenario's JSON Schema at random and gives each a value
drawn from its range (a bound, just inside an exclusive one, or log-uniformly between), on the
one-day, two-station scenario of ``bounds_extremes.py`` in a mode drawn at random, and plans it.
A refusal (InputError) is the contract; any other exception, and any warning that would reach the
user's terminal, is listed at the end (exit status 1 when there is one). A case that takes longer
than ``--limit`` seconds is listed as slow.
"""
from __future__ import annotations

import argparse
import copy
import math
import random
import signal
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bounds_extremes import BASE, bound_values, numeric_fields  # noqa: E402

MODES = ("dual-downlink", "single-downlink", "onboard", "direct-downlink")


def draw_value(node: dict, rng: random.Random):
    """A bound, or a value between the bounds (log-uniform where both are positive)."""
    bounds = bound_values(node)
    integer = node.get("type") == "integer"
    lo = min(bounds) if bounds else -1e6
    hi = max(bounds) if len(bounds) > 1 else (lo + 1e6 if bounds and "minimum" in node or "exclusiveMinimum" in node
                                               else 1e6)
    if bounds and rng.random() < 0.4:
        return rng.choice(bounds)
    if lo > 0 and hi / lo > 100:
        v = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    else:
        v = rng.uniform(lo, hi)
    return int(round(v)) if integer else v


def put(data: dict, path: tuple, value) -> None:
    """Set ``value`` at ``path`` of a scenario document (a station field on an inline override of the
    first station; an ``elements`` or ``walker`` orbit field with that orbit put in place first)."""
    if path[0] == "stations":
        first = data["stations"][0]
        data["stations"][0] = {"name": first} if isinstance(first, str) else first
        data["stations"][0][path[-1]] = value
        return
    if path[0] == "orbit" and path[1] in ("elements", "walker") and path[1] not in data["orbit"]:
        data["orbit"] = ({"elements": {"altitude_km": 500.0, "inclination_deg": 97.4}} if path[1] == "elements" else
                         {"walker": {"altitude_km": 500, "inclination_deg": 97.4, "planes": 2,
                                     "satellites_per_plane": 1}})
    if path[0] == "orbit" and path[1] == "sun_synchronous" and "sun_synchronous" not in data["orbit"]:
        data["orbit"] = {"sun_synchronous": {"altitude_km": 500, "ltan_h": 22.5}}
    if path[:2] == ("orbit", "elements") and path[-1] == "semi_major_axis_km":
        data["orbit"]["elements"].pop("altitude_km", None)
    if path[:2] == ("orbit", "elements") and path[-1] == "altitude_km":
        data["orbit"]["elements"].pop("semi_major_axis_km", None)
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


class _Slow(Exception):
    pass


def run_case(data: dict, limit_s: float) -> tuple[str, list[str]]:
    """('ok' | 'refused: ...' | 'FAULT ...' | 'SLOW', the warnings it raised) for one document."""
    from skyswap.mission.planner import plan
    from skyswap.mission.scenario.errors import InputError
    from skyswap.mission.scenario.loading import validate_scenario_data

    def alarm(signum, frame):
        raise _Slow

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, limit_s)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                plan(validate_scenario_data(data))
                status = "ok"
            except InputError as exc:
                status = "refused: " + exc.line()
            except _Slow:
                status = "SLOW"
            except Exception as exc:  # noqa: BLE001 - the point is to catch any fault
                status = f"FAULT {type(exc).__name__}: {exc}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0.0)
        signal.signal(signal.SIGALRM, previous)
    return status, sorted({f"{w.category.__name__}: {str(w.message).splitlines()[0][:120]}" for w in caught})


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--fields", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--days", type=float, default=1.0)
    ap.add_argument("--limit", type=float, default=120.0, help="seconds before a case counts as slow")
    args = ap.parse_args()
    from skyswap.mission.scenario.schema import Scenario

    fields = numeric_fields(Scenario.model_json_schema())
    rng = random.Random(args.seed)
    bad = []
    for case in range(args.cases):
        data = copy.deepcopy(BASE)
        data["span"]["days"] = args.days
        data["mode"] = rng.choice(MODES)
        chosen = rng.sample(fields, args.fields)
        settings = []
        for path, node in chosen:
            value = draw_value(node, rng)
            put(data, path, value)
            settings.append(f"{'.'.join(path)}={value!r}")
        t0 = time.perf_counter()
        status, caught = run_case(data, args.limit)
        took = time.perf_counter() - t0
        line = f"[{case}] {data['mode']} {' '.join(settings)}: {status[:150]} ({took:.1f} s)"
        print(line + ("".join(f"\n      warning {w}" for w in caught)), flush=True)
        if status.startswith(("FAULT", "SLOW")) or caught:
            bad.append((line, caught, data))
    print(f"{args.cases} cases, {len(bad)} with a fault, a warning or slow")
    for line, caught, data in bad:
        print("  " + line)
        for w in caught:
            print("      warning " + w)
        print("      " + repr(data))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
