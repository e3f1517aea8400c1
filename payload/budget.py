"""Settings of the operations scheduler: the payload's SWaP budget and the operations policy.

The scenario's ``payload.swap_budget`` mapping. Each group of limits is owned by the module
that models it (:mod:`payload.power`, :mod:`payload.thermal`, :mod:`payload.storage`); this
module gathers them with the policy, so that the scheduler (:mod:`payload.operations.run`) and its
results (:mod:`payload.operations`) both import the settings from here and not from each other.
"""
from __future__ import annotations

import dataclasses
from typing import Literal

from .power import PowerBudget
from .storage import DataBudget
from .thermal import ThermalLimits

__all__ = ["POLICIES", "OperationsPolicy", "SwapBudget"]

OperationsPolicy = Literal["ground-passes-first", "continuous-onboard"]

#: The policies :func:`payload.operations.run_operations` knows, in the order of its docs.
POLICIES: tuple[str, ...] = ("ground-passes-first", "continuous-onboard")


@dataclasses.dataclass(frozen=True)
class SwapBudget:
    """Size/weight/power budget of the payload: the scenario's ``payload.swap_budget``.

    Fields
    ------
    power
        Payload draw by state, bus generation and load, battery (:class:`PowerBudget`).
    thermal
        Warm-up, maximum on-time and cool-down (:class:`ThermalLimits`).
    data
        Bytes per event and per swap, storage, downlink (:class:`DataBudget`).
    policy
        ``"ground-passes-first"`` (run only for the demand windows) or
        ``"continuous-onboard"`` (run whenever the limits allow); see
        :mod:`payload.operations.run`. Default ``"ground-passes-first"``.
    """

    power: PowerBudget = dataclasses.field(default_factory=PowerBudget)
    thermal: ThermalLimits = dataclasses.field(default_factory=ThermalLimits)
    data: DataBudget = dataclasses.field(default_factory=DataBudget)
    policy: OperationsPolicy = "ground-passes-first"

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}
