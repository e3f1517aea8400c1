"""The scenario's ``payload`` section: the onboard package's parameters, grouped.

Each group is a frozen dataclass owned by the module that uses it; this container only gathers
them so that the scenario file has one ``payload:`` mapping.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PayloadConfig:
    """Onboard package: sources, Bell-state measurement, transmit optics, SWaP budget."""

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}
