"""skyswap's mission layer: scenario, orbits, windows, the pipeline, outputs and the command line.

``skyswap.load_scenario`` and ``skyswap.plan`` are the same two functions.
"""
from __future__ import annotations

from .planner import plan
from .scenario.loading import load_scenario

__all__ = ["load_scenario", "plan"]
