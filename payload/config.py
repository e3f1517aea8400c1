"""The scenario's ``payload`` section: the onboard package's parameters, grouped.

Each group is a frozen dataclass owned by the module that uses it; this container only gathers
them so that the scenario file has one ``payload:`` mapping.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from payload.optics import Transmitter
from payload.schedule import SwapBudget


@dataclass(frozen=True)
class PayloadConfig:
    """Onboard package: transmit optics and the SWaP budget (sources and BSM: payload.swap)."""

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    transmitter: Transmitter = field(default_factory=Transmitter)
    swap_budget: SwapBudget = field(default_factory=SwapBudget)
