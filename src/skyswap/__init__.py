"""skyswap: plan a year of a satellite entanglement-distribution mission.

The installed distribution provides this one top-level name; the layers sit under it::

    skyswap.mission          scenario, orbits, windows, the pipeline, outputs, the command line
    skyswap.groundstations   station catalog, atmosphere, turbulence, sky background, clouds
    skyswap.payload          sources, Bell-state measurement, swap model, SWaP budget

Python API::

    import skyswap
    scenario = skyswap.load_scenario("scenarios/q4s_year.yaml")
    result = skyswap.plan(scenario)
    result.passes        # pandas DataFrame, one row per candidate window
    result.summary       # dict, the content of summary.json
    result.write("out/q4s-year")
"""
from __future__ import annotations

__all__ = ["__version__", "load_scenario", "plan"]


def load_scenario(path):
    """Read and validate a scenario file (:func:`skyswap.mission.scenario.loading.load_scenario`)."""
    from .mission.scenario.loading import load_scenario as load

    return load(path)


def plan(scenario, workers: int = 1, progress=None, threads=None):
    """Plan a scenario's whole span (:func:`skyswap.mission.planner.plan`); returns a MissionResult."""
    from .mission.planner import plan as run

    return run(scenario, workers=workers, progress=progress, threads=threads)


def __getattr__(name: str):
    """``skyswap.__version__``, read from the installed distribution on first use (importlib.metadata
    costs tens of milliseconds that the command line's start-up need not pay)."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("skyswap")
        except PackageNotFoundError:  # pragma: no cover - only when not installed
            return "0+unknown"
    raise AttributeError(name)
