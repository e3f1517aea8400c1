"""The scenario's ``payload`` section: the onboard package's parameters, grouped.

Each group is a frozen dataclass owned by the module that uses it; this container gathers them so
that the scenario file has one ``payload:`` mapping. It *is* a :class:`payload.swap.PayloadQuantum`
(sources, Bell-state measurement, polarisation error, onboard detection), extended with the transmit
optics, the SWaP budget and the contact-plan settings.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .budget import ContactSettings, SwapBudget
from .modes import mode_of
from .optics import Transmitter
from .source import mean_pairs_per_window, trials_per_second
from .swap import PayloadQuantum


@dataclass(frozen=True)
class PayloadConfig(PayloadQuantum):
    """Onboard package: quantum payload, transmit optics, SWaP budget and contact settings."""

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    transmitter: Transmitter = field(default_factory=Transmitter)
    swap_budget: SwapBudget = field(default_factory=SwapBudget)
    contacts: ContactSettings = field(default_factory=ContactSettings)


def onboard_event_rate_hz(mode: str, payload: PayloadConfig) -> float:
    """Time-tag events per second on board while operating: singles of every onboard detector.

    Each detector sees the pair source's photons at ~trials·μ·η (one photon of a pair per
    detector arm, η the onboard detection efficiency) plus its dark counts; the mode says how many
    detectors there are (:attr:`payload.modes.PayloadMode.onboard_detectors`). [Hz]
    """
    per_detector = (trials_per_second(payload.source) * mean_pairs_per_window(payload.source)
                    * payload.onboard_detection_efficiency + payload.bsm.dark_count_rate_hz)
    return mode_of(mode).onboard_detectors * per_detector


def downlink_telescopes(mode: str, payload: PayloadConfig) -> int:
    """The satellite's downlink telescopes: the scenario's, or what the mode needs at once
    (:attr:`payload.modes.PayloadMode.telescopes_needed`). [1]"""
    given = payload.contacts.downlink_telescopes
    return mode_of(mode).telescopes_needed if given is None else int(given)
