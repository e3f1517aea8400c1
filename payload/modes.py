"""The payload modes: one frozen description per mode, the one place a mode is defined.

A mode says which photons go where. Everything else that differs between modes — the scenario's
choices (``mode:`` in a scenario file and its JSON Schema), whether candidate windows are station
pairs, whether a link is computed, the swap model's photon paths, the onboard detectors and the
downlink telescopes, the SWaP scheduler's operating rule, how a contact's counts are attributed
and which outputs apply — is read from :data:`MODES`, never from a mode's name. Adding a mode is
an entry here, its physics (:mod:`payload.swap`) and its tests.

=====================  ======  =========  ===================================================
mode                   swaps   downlinks  which photons go where
=====================  ======  =========  ===================================================
``onboard``            yes     0          two sources, the BSM and both partner photons'
                                          analysers on board; contacts carry the records down
``single-downlink``    yes     1          partner photon a to one station, b analysed on board
``dual-downlink``      yes     2          partner photons a and b to two stations in common
                                          view; the onboard BSM heralds entanglement between them
``direct-downlink``    no      2          one source, its two photons to two stations, no BSM
                                          (the Micius validation case: Yin et al. 2017, "satellite-
                                          based distribution of entangled photon pairs [...]
                                          through two satellite-to-ground downlinks")
=====================  ======  =========  ===================================================

``direct-downlink`` was called ``distribution`` before: :data:`RENAMED` keeps the old name only to
say the new one ("distribution" is the year over the weather, ``summary.json``'s ``distribution``).

References
----------
.. [1] J. Yin et al., "Satellite-based entanglement distribution over 1200 kilometers", Science 356,
   1140–1144 (2017), doi:10.1126/science.aan3211
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .budget import OperatingRule

__all__ = ["MODES", "RENAMED", "PayloadMode", "find_mode", "mode_names", "mode_of"]


@dataclass(frozen=True)
class PayloadMode:
    """What one payload mode does with its photons, and what follows from it.

    Attributes
    ----------
    name : str
        The scenario's ``mode:`` value.
    description : str
        One line for the schema and the docs.
    swaps : bool
        Two sources and an onboard Bell-state measurement that heralds (False: one source whose
        pair is sent down as it is: no BSM herald, no four-fold swap).
    downlinks : int
        Photons sent to ground stations at once, 0, 1 or 2: the legs of a candidate window (a
        station's pass for one, a pair's common view for two).
    onboard_detectors : int
        Detectors that time-tag events on board: the BSM's two (with a swap), plus the analyser of
        each partner photon kept on board (:func:`payload.config.onboard_event_rate_hz`). [1]
    telescopes_needed : int
        Downlink telescopes a contact needs at once (the default of
        ``payload.contacts.downlink_telescopes``); ``onboard`` needs one for the records. [1]
    delivery : {"live", "stored"}
        ``live``: the counted events are detected at the stations during the contact, sample by
        sample. ``stored``: they are made on board whenever the SWaP budget lets the payload
        operate (:func:`payload.onboard.plan_onboard`, the whole span), recorded, and carried down
        over the classical downlink by the contacts: a contact delivers the events whose records
        it sent down (bounded by the store and the downlink rate).
    clouds_touch_counts : bool
        Whether a contact's counts are weighted by (and drawn over) the clouds at its stations
        (the planner gives a mode whose counts they do not touch always-clear skies, in the
        contact plan's weights and in the weather draws alike). False for ``onboard``: nothing
        optical leaves the satellite, and the records go down by radio.
    operating_rule : {"ground-passes-first", "continuous-onboard", "eclipse-onboard"}
        How the SWaP scheduler runs the payload (:data:`payload.operations.run.RULES`) when the
        scenario's ``payload.swap_budget.operating_rule`` is not given: the registry decides it.
        ``ground-passes-first`` for the modes whose photons go down (they need a pass);
        ``continuous-onboard`` for ``onboard`` (whenever the budget allows, day and night:
        :mod:`payload.onboard` says why stray light does not stop it).
    """

    name: str
    description: str
    swaps: bool
    downlinks: int
    onboard_detectors: int
    telescopes_needed: int
    delivery: Literal["live", "stored"]
    clouds_touch_counts: bool
    operating_rule: OperatingRule

    def __post_init__(self):
        if self.downlinks not in (0, 1, 2):
            raise ValueError(f"mode {self.name}: downlinks must be 0, 1 or 2, not {self.downlinks}")
        if self.telescopes_needed < max(self.downlinks, 1):
            raise ValueError(f"mode {self.name}: a contact needs a telescope for each downlink")
        if self.stored != (self.downlinks == 0):
            raise ValueError(f"mode {self.name}: counts are stored on board exactly when no photon goes down")
        if self.clouds_touch_counts != (self.downlinks > 0):
            raise ValueError(f"mode {self.name}: clouds touch the counts exactly when a photon goes down")
        if self.stored and self.operating_rule == "ground-passes-first":
            raise ValueError(f"mode {self.name}: counts made on board need a rule that operates between contacts")

    # which photons go where ---------------------------------------------------------------------

    @property
    def photon_a_onboard(self) -> bool:
        """Partner photon a is analysed on board (no downlink at all)."""
        return self.downlinks == 0

    @property
    def photon_b_onboard(self) -> bool:
        """Partner photon b is analysed on board (fewer than two downlinks)."""
        return self.downlinks < 2

    @property
    def frame_error(self) -> bool:
        """The two analysers sit in different frames (at least one on the ground), so the residual
        polarisation rotation applies; on board they share the payload's frame."""
        return self.downlinks > 0

    @property
    def stored(self) -> bool:
        """The counts are made on board and carried down by the next contact (``delivery``)."""
        return self.delivery == "stored"

    # what the mission does with it --------------------------------------------------------------

    @property
    def station_pairs(self) -> bool:
        """Candidate windows are station pairs' common-view windows (the scenario's ``pairs``)."""
        return self.downlinks == 2

    @property
    def channel(self) -> bool:
        """A link (transmittance, background) is computed for the candidate windows."""
        return self.downlinks > 0

    # which outputs apply ------------------------------------------------------------------------

    @property
    def station_b_columns(self) -> bool:
        """``passes.csv``/``schedule.csv`` fill the ``*_b`` columns and the report ranks pairs."""
        return self.station_pairs

    @property
    def link_columns(self) -> bool:
        """The loss columns and the "no light" note apply (a photon crosses a link)."""
        return self.channel

    @property
    def if_served_columns(self) -> bool:
        """``*_if_served`` (what a candidate window would give served whole) apply: its counts
        belong to its own samples (``live``); stored counts belong to no window."""
        return not self.stored


#: Every payload mode, in the order of the docs and the schema.
MODES: dict[str, PayloadMode] = {m.name: m for m in (
    PayloadMode("onboard", "both pairs, the Bell-state measurement and all four detections on board; "
                "contacts carry the records down",
                swaps=True, downlinks=0, onboard_detectors=4, telescopes_needed=1, delivery="stored",
                clouds_touch_counts=False, operating_rule="continuous-onboard"),
    PayloadMode("single-downlink", "one photon of the swapped pair to one station, the other measured on board",
                swaps=True, downlinks=1, onboard_detectors=3, telescopes_needed=1, delivery="live",
                clouds_touch_counts=True, operating_rule="ground-passes-first"),
    PayloadMode("dual-downlink", "the two outer photons to two stations in common view; the onboard "
                "Bell-state measurement heralds entanglement between them",
                swaps=True, downlinks=2, onboard_detectors=2, telescopes_needed=2, delivery="live",
                clouds_touch_counts=True, operating_rule="ground-passes-first"),
    PayloadMode("direct-downlink", "one source, both photons down to a station pair, no swap: "
                "Micius-like entanglement distribution",
                swaps=False, downlinks=2, onboard_detectors=0, telescopes_needed=2, delivery="live",
                clouds_touch_counts=True, operating_rule="ground-passes-first"),
)}

#: Old mode names, refused with the new one.
RENAMED: dict[str, str] = {"distribution": "direct-downlink"}


def mode_names() -> tuple[str, ...]:
    """The modes a scenario may name, in registry order."""
    return tuple(MODES)


def find_mode(name: object) -> PayloadMode | None:
    """The mode called ``name``, or None (a result or summary that names no known mode)."""
    return MODES.get(name) if isinstance(name, str) else None


def mode_of(name: object) -> PayloadMode:
    """The mode called ``name``.

    Raises
    ------
    ValueError
        One clause naming the new name of a renamed mode, or the known modes.
    """
    found = find_mode(name)
    if found is not None:
        return found
    if isinstance(name, str) and name in RENAMED:
        new = MODES[RENAMED[name]]
        raise ValueError(f"renamed: write mode: {new.name} ({new.description})")
    raise ValueError(f"unknown payload mode; expected one of {', '.join(MODES)}")
