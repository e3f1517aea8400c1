"""The scenario's ``payload`` section: the onboard package's parameters, grouped.

Each group is a frozen dataclass owned by the module that uses it; this container gathers them so
that the scenario file has one ``payload:`` mapping. It *is* a :class:`payload.swap.PayloadQuantum`
(sources, Bell-state measurement, polarisation error, onboard detection), extended with the transmit
optics and the SWaP budget. (The scenario's ``payload`` adds the contact plan's settings,
``payload.contacts``, which the mission layer owns: ``mission.contacts.settings``.)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .budget import SwapBudget
from .modes import mode_of
from .optics import Transmitter
from .source import mean_pairs_per_window, trials_per_second
from .swap import PayloadQuantum


@dataclass(frozen=True)
class PayloadConfig(PayloadQuantum):
    """Onboard package: quantum payload, transmit optics and SWaP budget."""

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    transmitter: Transmitter = field(default_factory=Transmitter)
    swap_budget: SwapBudget = field(default_factory=SwapBudget)


def onboard_event_rate_hz(mode: str, payload: PayloadConfig) -> float:
    """Time-tag events per second on board while operating: singles of every onboard detector.

    Each detector sees the pair source's photons at ~trials·μ·η (one photon of a pair per
    detector arm, η the onboard detection efficiency) plus its dark counts; the mode says how many
    detectors there are (:attr:`payload.modes.PayloadMode.onboard_detectors`). [Hz]
    """
    per_detector = (trials_per_second(payload.source) * mean_pairs_per_window(payload.source)
                    * payload.onboard_detection_efficiency + payload.bsm.dark_count_rate_hz)
    return mode_of(mode).onboard_detectors * per_detector


def downlink_telescopes(mode: str, given: int | None = None) -> int:
    """The satellite's downlink telescopes: ``given`` (the scenario's ``payload.contacts``), or what
    the mode needs at once (:attr:`payload.modes.PayloadMode.telescopes_needed`). [1]"""
    return mode_of(mode).telescopes_needed if given is None else int(given)
