"""skyswap's mission layer: scenario, orbits, windows, the pipeline, outputs and the command line.

``skyswap.load_scenario`` and ``skyswap.plan`` are the same two functions. They are imported on
first use, so that the command line's entry point (:mod:`.cli`) starts without the pipeline's
libraries.
"""
from __future__ import annotations

__all__ = ["load_scenario", "plan"]


def __getattr__(name: str):
    if name == "plan":
        from .planner import plan

        return plan
    if name == "load_scenario":
        from .scenario.loading import load_scenario

        return load_scenario
    raise AttributeError(name)
