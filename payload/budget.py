"""Settings of the SWaP duty scheduler: the payload's SWaP budget and its operating rule.

The scenario's ``payload.swap_budget`` mapping. Each group of limits is owned by the module
that models it (:mod:`payload.power`, :mod:`payload.thermal`, :mod:`payload.storage`); this
module gathers them with the operating rule, so that the scheduler (:mod:`payload.operations.run`)
and its results (:mod:`payload.operations`) both import the settings from here and not from each
other. (A contact *policy* is the contact plan's: ``payload.contacts.policy``.)
"""
from __future__ import annotations

import dataclasses
from typing import Literal

from .power import PowerBudget
from .storage import DataBudget
from .thermal import ThermalLimits

__all__ = ["OperatingRule", "SwapBudget"]

#: How the SWaP scheduler runs the payload: ``ground-passes-first`` only for the contacts,
#: ``continuous-onboard`` whenever its limits allow, ``eclipse-onboard`` whenever they allow in the
#: Earth's shadow. What each asks of the payload is :data:`payload.operations.run.RULES` (a test
#: keeps the two lists equal).
OperatingRule = Literal["ground-passes-first", "continuous-onboard", "eclipse-onboard"]


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
        Bytes per detection event and per BSM herald, storage, downlink (:class:`DataBudget`).
    operating_rule
        ``"ground-passes-first"`` (run only for the demand windows),
        ``"continuous-onboard"`` (run whenever the limits allow) or ``"eclipse-onboard"`` (run
        whenever the limits allow while the satellite is in the Earth's shadow); see
        :mod:`payload.operations.run`. Default: the payload mode's
        (:attr:`payload.modes.PayloadMode.operating_rule`; :func:`payload.onboard.onboard_rule`
        for mode ``onboard`` over a span).
    """

    power: PowerBudget = dataclasses.field(default_factory=PowerBudget)
    thermal: ThermalLimits = dataclasses.field(default_factory=ThermalLimits)
    data: DataBudget = dataclasses.field(default_factory=DataBudget)
    operating_rule: OperatingRule | None = None

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}
