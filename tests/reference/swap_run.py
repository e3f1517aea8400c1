"""Checks of a SWaP scheduler run used as test oracles: the thermal duty-cycle rule over a set of
runs, and the battery's state of charge read off a run's timeline."""
from __future__ import annotations

import numpy as np

from skyswap.payload.operations import OperationsRun
from skyswap.payload.thermal import ThermalLimits


def duty_cycle_violations(run_intervals_s, limits: ThermalLimits, tolerance_s: float = 1e-6) -> dict:
    """Check a set of payload runs against the duty-cycle rule.

    Parameters
    ----------
    run_intervals_s : array_like, shape (k, 2)
        Sorted ``[start, end)`` of each run (warm-up included). [s]
    limits : ThermalLimits
        The duty-cycle limits.
    tolerance_s : float
        Slack allowed for rounding. [s]

    Returns
    -------
    dict
        ``{"too_long": indices of runs longer than max_on_time_s,
        "too_soon": indices i of runs starting less than cooldown_s after run i-1 ended,
        "overlapping": indices i of runs that start before run i-1 ended}``;
        all empty means the rule holds.
    """
    runs = np.asarray(run_intervals_s, dtype=float).reshape(-1, 2)
    length_s = runs[:, 1] - runs[:, 0]
    gap_s = runs[1:, 0] - runs[:-1, 1]
    return {
        "too_long": np.flatnonzero(length_s > limits.max_on_time_s + tolerance_s),
        "too_soon": np.flatnonzero(gap_s < limits.cooldown_s - tolerance_s) + 1,
        "overlapping": np.flatnonzero(gap_s < -tolerance_s) + 1,
    }


def soc_at(run: OperationsRun, t_s) -> np.ndarray:
    """Battery state of charge at given times (exact: linear between events).

    Parameters
    ----------
    run : OperationsRun
        The scheduler's result.
    t_s : array_like
        Times since the span start. [s]

    Returns
    -------
    ndarray
        State of charge. [-]
    """
    tl = run.timeline
    return np.interp(np.asarray(t_s, dtype=float), tl.t_s, tl.energy_wh) / run.budget.power.battery_capacity_wh
