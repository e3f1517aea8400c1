"""Every number of a scenario at each of its bounds: a plan must either run or refuse with one line.

    python tools/bounds_extremes.py [--only PREFIX] [--sample N --seed S]

Walks the scenario's JSON Schema (``skyswap schema``) for every numeric field with its lower and
upper bound (just inside an exclusive one), puts that value into a one-day, two-station scenario
(an inline override of a catalog station for station fields, an ``elements`` or ``walker`` orbit
for those sections) and plans it. A refusal (InputError) is the contract; any other exception is
a fault and is listed at the end (exit status 1 when there is one). ``tests/test_contract_limits.py``
runs a sample of these cases; the whole walk (~170 plans) takes minutes.
"""
from __future__ import annotations

import argparse
import copy
import random
import sys
import warnings

BASE = {"name": "extremes", "span": {"start": "2027-01-01T00:00:00Z", "days": 1},
        "orbit": {"sun_synchronous": {"altitude_km": 500, "ltan_h": 22.5}},
        "stations": ["Delingha", "Nanshan"], "mode": "dual-downlink", "elevation_mask_deg": 15,
        "outputs": {"draws": 20}}


def numeric_fields(schema: dict) -> list[tuple[tuple, dict]]:
    """(path, JSON Schema node) of every number of the scenario, refs and unions followed."""
    defs = schema.get("$defs", {})
    out: dict[tuple, dict] = {}

    def walk(node, path, seen):
        if "$ref" in node:
            name = node["$ref"].split("/")[-1]
            if name not in seen:
                walk(defs[name], path, seen | {name})
            return
        for sub in node.get("anyOf", []):
            walk(sub, path, seen)
        if node.get("type") in ("number", "integer"):
            out[path] = node
        for key, sub in node.get("properties", {}).items():
            walk(sub, (*path, key), seen)

    walk(schema, (), frozenset())
    return sorted(out.items())


def bound_values(node: dict) -> list[float]:
    """The field's bounds, an exclusive one moved just inside."""
    integer = node.get("type") == "integer"
    values = []
    for key in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        if key not in node:
            continue
        v = node[key]
        if key.startswith("exclusive"):
            step = 1 if integer else max(abs(v) * 1e-9, 1e-12)
            v = v + step if "Min" in key else v - step
        values.append(v)
    return values


def scenario_with(path: tuple, value) -> dict:
    """:data:`BASE` with ``value`` at ``path``."""
    data = copy.deepcopy(BASE)
    if path[0] == "stations":
        data["stations"] = [{"name": "Delingha", path[-1]: value}, "Nanshan"]
        return data
    if path[0] == "orbit" and path[1] == "elements":
        size = "semi_major_axis_km" if path[-1] == "semi_major_axis_km" else "altitude_km"
        data["orbit"] = {"elements": {size: 6878.0 if size == "semi_major_axis_km" else 500.0, "inclination_deg": 97.4}}
    elif path[0] == "orbit" and path[1] == "walker":
        data["orbit"] = {"walker": {"altitude_km": 500, "inclination_deg": 97.4, "planes": 2, "satellites_per_plane": 1}}
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return data


def cases(only: str = "") -> list[tuple[str, float, dict]]:
    """(dotted field, value, scenario document) of every numeric field at each bound."""
    from skyswap.mission.scenario.schema import Scenario

    out = []
    for path, node in numeric_fields(Scenario.model_json_schema()):
        dotted = ".".join(path)
        if dotted.startswith(only):
            out.extend((dotted, v, scenario_with(path, v)) for v in bound_values(node))
    return out


def run_case(data: dict) -> str:
    """'ok', 'refused: <line>' or 'FAULT <type>: <message>' for one scenario document."""
    from skyswap.mission.planner import plan
    from skyswap.mission.scenario.errors import InputError
    from skyswap.mission.scenario.loading import validate_scenario_data

    try:
        plan(validate_scenario_data(data))
    except InputError as exc:
        return "refused: " + exc.line()
    except Exception as exc:  # noqa: BLE001 - the point is to catch any fault
        return f"FAULT {type(exc).__name__}: {exc}"
    return "ok"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="only fields whose dotted path starts with this")
    ap.add_argument("--sample", type=int, default=0, help="run this many cases drawn at random")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    todo = cases(args.only)
    if args.sample:
        todo = random.Random(args.seed).sample(todo, min(args.sample, len(todo)))
    faults = []
    for field, value, data in todo:
        status = run_case(data)
        print(f"{field} = {value!r}: {status[:160]}", flush=True)
        if status.startswith("FAULT"):
            faults.append(f"{field} = {value!r}: {status}")
    print(f"{len(todo)} cases, {len(faults)} faults")
    for line in faults:
        print("  " + line)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
