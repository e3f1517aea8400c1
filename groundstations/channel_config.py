"""The scenario's ``channel`` section: atmosphere, turbulence, background and cloud settings."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChannelConfig:
    """Channel model choices shared by every downlink of a scenario."""

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}
