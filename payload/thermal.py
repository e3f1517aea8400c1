"""Thermal duty-cycle limits of the payload: warm-up, maximum on-time, cool-down.

A *run* (on-period) of the payload starts when the pump lasers and crystal ovens are
switched on. For the first ``warmup_s`` the sources settle to a stable temperature and the
detectors cool; no swaps are counted. The payload then operates until the run ends. A run
never lasts longer than ``max_on_time_s`` (warm-up included: the heat load is there from
switch-on), and after any run, whatever ended it, the payload stays off for at least
``cooldown_s`` so that the radiator can reject the stored heat. This is the lumped
"maximum on-time / minimum off-time" duty-cycle rule of spacecraft thermal control.

References
----------
.. [1] Gilmore, D. G. (ed.), *Spacecraft Thermal Control Handbook, Vol. I: Fundamental
   Technologies*, 2nd ed., The Aerospace Press (2002) (duty-cycled dissipating units;
   operating temperature limits).
.. [2] Lim, H. Y. et al., "Thermo-mechanical design for a miniaturized quantum light source
   on board the SpooQy-1 CubeSat", arXiv:2006.14442 (2020): the SPDC crystal and pump are
   held at a set temperature, so the source needs a settling period after switch-on.
"""
from __future__ import annotations

import dataclasses
from typing import Annotated

import numpy as np
from annotated_types import Ge, Gt

__all__ = ["ThermalLimits", "duty_cycle_violations"]


@dataclasses.dataclass(frozen=True)
class ThermalLimits:
    """Duty-cycle limits of the payload.

    Fields
    ------
    max_on_time_s
        Longest continuous run, warm-up included; assumption 1800 s (a full ~10 min pass
        plus margin, well short of a ~95 min orbit). [s]
    cooldown_s
        Shortest off-time after a run before the next may start; assumption 900 s. [s]
    warmup_s
        Time from switch-on until the sources are stable and swaps count; assumption
        120 s (crystal oven and pump-diode temperature settling, cf. [2]_). [s]
    """

    max_on_time_s: Annotated[float, Gt(0)] = 1800.0
    cooldown_s: Annotated[float, Ge(0)] = 900.0
    warmup_s: Annotated[float, Ge(0)] = 120.0

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    def __post_init__(self) -> None:
        if not self.warmup_s < self.max_on_time_s:
            raise ValueError(
                f"warmup_s={self.warmup_s} must be shorter than max_on_time_s={self.max_on_time_s}"
            )


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
