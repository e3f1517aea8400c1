"""Settings of the SWaP duty scheduler: the payload's SWaP budget and its operating rule.

The scenario's ``payload.swap_budget`` mapping. Each group of limits is owned by the module
that models it (:mod:`payload.power`, :mod:`payload.thermal`, :mod:`payload.storage`); this
module gathers them with the operating rule, so that the scheduler (:mod:`payload.operations.run`)
and its results (:mod:`payload.operations`) both import the settings from here and not from each
other. (A contact *policy* is the contact plan's: ``payload.contacts.policy``.)
"""
from __future__ import annotations

import dataclasses
from typing import Annotated, Literal

from annotated_types import Ge, Gt, Le

from .power import PowerBudget
from .storage import DataBudget
from .thermal import ThermalLimits

__all__ = ["CONTACT_POLICIES", "ContactPolicy", "ContactSettings", "OperatingRule", "SwapBudget"]

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


ContactPolicy = Literal["max-pairs", "fair", "priority", "first-come"]
#: The contact-plan policies (mission.contacts.plan).
CONTACT_POLICIES: tuple[str, ...] = ("max-pairs", "fair", "priority", "first-come")

#: Slew-and-acquisition time of the satellite's downlink telescope to a new target. [s]
#: Assumption: 30 s, within the "tens of seconds" of LEO-to-ground optical acquisition reported by
#: Gerard, Fraire & Cespedes, arXiv:2511.16063 (2025); not a figure of any Q4S-like payload.
RETARGET_S = 30.0


@dataclasses.dataclass(frozen=True)
class ContactSettings:
    """Which candidate window the payload serves when: the scenario's ``payload.contacts``.

    Fields
    ------
    policy
        ``max-pairs`` (most expected, cloud-weighted heralded pairs), ``fair`` (raise the
        worst-served pair's share of what it wanted), ``priority`` (weighted pairs, ``weights``)
        or ``first-come`` (the naive baseline); see :mod:`mission.contacts.plan`.
    downlink_telescopes
        Downlink telescopes on the satellite; one target each at a time. Default: what the mode
        needs at once (two for dual downlink, one otherwise). [1]
    retarget_s
        Slew and acquisition of a downlink telescope to a new target (assumption, see
        :data:`RETARGET_S`); each station has its own (``retarget_s`` in the station). [s]
    weights
        Priority weights by station pair ``"A+B"`` or station ``"A"`` (default 1). [1]
    milp_time_limit_s
        Time given to the integer programme of one group of overlapping windows. [s]
    """

    policy: ContactPolicy = "max-pairs"
    downlink_telescopes: Annotated[int, Ge(1), Le(16)] | None = None
    retarget_s: Annotated[float, Ge(0.0), Le(3600.0)] = RETARGET_S
    weights: dict[str, Annotated[float, Ge(0.0), Le(1e6)]] = dataclasses.field(default_factory=dict)
    milp_time_limit_s: Annotated[float, Gt(0.0), Le(600.0)] = 20.0

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}
