"""skyswap's mission layer: scenario, orbit, passes, geometry, the planner and its exports.

Python API::

    import mission
    scenario = mission.load_scenario("scenarios/q4s_year.yaml")
    result = mission.plan(scenario)
    result.passes        # pandas DataFrame, one row per usable window
    result.summary       # dict, the content of summary.json
    result.write("out/q4s-year")
"""
from __future__ import annotations

__version__ = "0.1.0"


def load_scenario(path):
    """Read and validate a scenario file (see :func:`mission.scenario.load_scenario`)."""
    from mission.scenario import load_scenario as _load

    return _load(path)


def plan(scenario, workers: int = 1, progress=None, threads=None):
    """Plan a scenario (see :func:`mission.planner.plan`)."""
    from mission.planner import plan as _plan

    return _plan(scenario, workers=workers, progress=progress, threads=threads)


__all__ = ["load_scenario", "plan"]
