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

from annotated_types import Ge, Gt, Le

__all__ = ["ThermalLimits"]


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
        120 s (crystal oven and pump-diode temperature settling, cf. [2]). [s]
    """

    max_on_time_s: Annotated[float, Gt(0), Le(1e9)] = 1800.0  # 1e9 s: 32 years, longer than any span
    cooldown_s: Annotated[float, Ge(0), Le(1e7)] = 900.0
    warmup_s: Annotated[float, Ge(0), Le(86400.0)] = 120.0

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    def __post_init__(self) -> None:
        if not self.warmup_s < self.max_on_time_s:
            raise ValueError(
                f"warmup_s={self.warmup_s} must be shorter than max_on_time_s={self.max_on_time_s}"
            )
