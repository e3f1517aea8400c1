"""The Q4S-like payload profile: Boeing's stated requirements and an assumed payload that meets them.

What Boeing has said in public about its Q4S payload: built with HRL Laboratories, four photons (two
entangled-pair sources and a Bell-state measurement that swaps their entanglement), high-fidelity
swaps in ground tests of the space-qualified flight hardware, launch planned for 2027, about a year
in orbit. A talk by Boeing's John "Jay" Lowell, as reported by the Quantum World Congress [5],
adds the requirements that the benchtop validator set for the payload: "<12 liters, ~19 kg, ~45 W
draw, and a target of 100+ swaps/hour at high fidelity"; success "scales with pair-creation rate
and the fourth power of detection efficiency (four photons)", and "they changed wavelength to gain
power efficiency even at a slight cost in detection" (no value given). These are **Boeing's stated
requirements, reported second-hand**: the fields of :class:`Q4SProfile`.

Still not public: the wavelength, the orbit, the pump and pair rates, the efficiencies, the
detectors and the fidelity reached. :func:`q4s_payload` holds skyswap's *assumed* values for them,
chosen (each for a stated reason, ``scenarios/q4s_profile.yaml``) so that the full swap model
(:func:`payload.swap.swap_performance` in ``onboard`` mode: thermal multi-pair emission, threshold
detectors, dark counts) gives a four-fold swap rate per operating hour of the order of the stated
target (100 to 300 per hour) at a fidelity >= 0.9 with the heralded Bell state
(:func:`onboard_fourfold`). A four-fold swap is a BSM herald with both partner photons detected.

The brightness knob: ``source.repetition_rate_hz``. At a fixed mean pair number per pulse the
four-fold rate is proportional to it and the fidelity does not change (each pulse is the same
experiment); the pump's average power, i.e. the payload's power, grows with it. Raising
``source.mean_pairs_per_pulse`` instead buys rate as its square but costs fidelity (multi-pair
emission).

:func:`onboard_fourfold_rate_hz` is the textbook lowest-order closed form, kept only as a documented
cross-check of the full model at low pair number (tests/test_q4s_profile.py); the planner never
uses it.

References
----------
.. [1] Pan, J.-W., Bouwmeester, D., Weinfurter, H., Zeilinger, A., "Experimental
   entanglement swapping: entangling photons that never interacted", Phys. Rev. Lett. 80,
   3891 (1998). https://doi.org/10.1103/PhysRevLett.80.3891 (psi-minus-only BSM: 1/4).
.. [2] Weinfurter, H., "Experimental Bell-state analysis", Europhys. Lett. 25, 559 (1994);
   Braunstein, S. L., Mann, A., "Measurement of the Bell operator and quantum
   teleportation", Phys. Rev. A 51, R1727 (1995) (psi-minus and psi-plus: 1/2).
.. [3] Calsamiglia, J., Lütkenhaus, N., "Maximum efficiency of a linear-optical Bell-state
   analyzer", Appl. Phys. B 72, 67 (2001). https://doi.org/10.1007/s003400000484
   (1/2 is the bound for linear optics without ancillas).
.. [4] Pan, J.-W. et al., "Multiphoton entanglement and interferometry", Rev. Mod. Phys.
   84, 777 (2012). https://doi.org/10.1103/RevModPhys.84.777 (four-fold coincidences of
   two pulsed SPDC sources scale as the square of the pair probability per pulse times
   the fourth power of the detection efficiency).
.. [5] Quantum World Congress, "Boeing's Jay Lowell: Building the First Global Quantum
   Entanglement Networks", news and updates,
   https://www.quantumworldcongress.com/news-and-updates/boeings-jay-lowell-building-the-first-global-quantum-entanglement-networks
   (a write-up of the talk, not a Boeing publication: the figures are reported second-hand).
"""
from __future__ import annotations

import dataclasses
from typing import Annotated

import numpy as np
from annotated_types import Gt, Interval

from .bsm import BellStateMeasurement
from .budget import SwapBudget
from .config import PayloadConfig
from .optics import Transmitter
from .source import PairSource
from .swap import PayloadQuantum, swap_performance

__all__ = [
    "BSM_SUCCESS_PSI_MINUS",
    "BSM_SUCCESS_PSI_MINUS_AND_PLUS",
    "OnboardFourfold",
    "Q4SProfile",
    "onboard_fourfold",
    "onboard_fourfold_rate_hz",
    "q4s_payload",
    "q4s_swap_budget",
]

#: Linear-optics BSM that identifies psi-minus only (one beam splitter, coincidence of the
#: two output ports), [1].
BSM_SUCCESS_PSI_MINUS = 0.25
#: Linear-optics BSM identifying psi-minus and psi-plus (polarising beam splitters after the
#: beam splitter), [2]; the linear-optics maximum, [3].
BSM_SUCCESS_PSI_MINUS_AND_PLUS = 0.5

SECONDS_PER_HOUR = 3600.0


def onboard_fourfold_rate_hz(pump_repetition_rate_hz, mean_pairs_per_pulse, detection_efficiency,
                         bsm_success_probability=BSM_SUCCESS_PSI_MINUS_AND_PLUS,
                         outer_detection_efficiency=None):
    """Lowest-order four-fold swap rate of two pulsed SPDC sources detected on board.

    R = f * mu^2 * P_BSM * eta_BSM^2 * eta_outer^2: each pulse of the common pump makes a pair in
    each source with probability ~mu (mu << 1), the linear-optics Bell-state measurement succeeds
    with P_BSM (its two photons detected with eta_BSM each), and both partner photons are detected
    with eta_outer each; eta^4 when all four photons share one efficiency ([4]).

    Parameters
    ----------
    pump_repetition_rate_hz : array_like
        Pulse repetition rate of the pump. [Hz]
    mean_pairs_per_pulse : array_like
        Mean pair number per pulse of each source, mu (low-gain regime, mu << 1). [-]
    detection_efficiency : array_like
        Probability that one photon of the BSM is detected: collection, optics and detector. [-]
    bsm_success_probability : array_like
        1/4 for a psi-minus-only BSM, 1/2 for psi-minus and psi-plus (default). [-]
    outer_detection_efficiency : array_like, optional
        Probability that one partner (outer) photon is detected on board; default
        ``detection_efficiency``. [-]

    Returns
    -------
    ndarray
        Four-fold swap rate. [Hz]

    Notes
    -----
    Lowest order in mu: multi-pair emission, dark counts and HOM visibility are ignored (with
    single pairs the herald probability does not depend on the HOM visibility: orthogonally
    polarised photons give a psi herald pattern whether they interfere or not). A cross-check of
    :func:`onboard_fourfold` only; the planner uses ``payload.swap.swap_performance``.

    References
    ----------
    See the module references [1] to [4].
    """
    f = np.asarray(pump_repetition_rate_hz, dtype=float)
    mu = np.asarray(mean_pairs_per_pulse, dtype=float)
    eta = np.asarray(detection_efficiency, dtype=float)
    eta_out = eta if outer_detection_efficiency is None else np.asarray(outer_detection_efficiency, dtype=float)
    p_bsm = np.asarray(bsm_success_probability, dtype=float)
    return f * mu**2 * p_bsm * eta**2 * eta_out**2  # lowest-order four-fold rate of [4]; P_BSM of [1]-[3]


@dataclasses.dataclass(frozen=True)
class Q4SProfile:
    """Boeing's stated requirements for the Q4S payload, reported second-hand ([5]), and the floor
    skyswap reads into "high fidelity".

    Fields
    ------
    envelope_volume_l
        Payload volume, at most: "<12 liters" ([5]). [L]
    envelope_mass_kg
        Payload mass: "~19 kg" ([5]). [kg]
    envelope_power_w
        Payload power draw: "~45 W draw" ([5]). [W]
    target_fourfold_swaps_per_hour
        Swap target: "100+ swaps/hour at high fidelity" ([5]); a swap there is a four-photon
        event (success "scales with pair-creation rate and the fourth power of detection
        efficiency (four photons)"), i.e. skyswap's four-fold swap. [1/h]
    max_fourfold_swaps_per_hour
        Upper end of the band the assumed profile must land in: assumption, 3x the stated
        target, so that the profile meets the target without exceeding it by a large factor
        with no reason (issue 21: the former profile gave ~47x). [1/h]
    fidelity_floor
        Fidelity of the delivered outer-photon state with the heralded Bell state (psi-minus
        after a psi-minus herald, psi-plus after a psi-plus herald) that "high fidelity" is read
        as: assumption 0.9 ([5] gives no number). [1]

    The payload that meets these is :func:`q4s_payload` (all of its quantum parameters are
    assumptions; the brightness knob is ``source.repetition_rate_hz``, see the module docstring).
    """

    envelope_volume_l: Annotated[float, Gt(0)] = 12.0
    envelope_mass_kg: Annotated[float, Gt(0)] = 19.0
    envelope_power_w: Annotated[float, Gt(0)] = 45.0
    target_fourfold_swaps_per_hour: Annotated[float, Gt(0)] = 100.0
    max_fourfold_swaps_per_hour: Annotated[float, Gt(0)] = 300.0
    fidelity_floor: Annotated[float, Interval(gt=0.25, le=1)] = 0.9

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}


def q4s_swap_budget() -> SwapBudget:
    """The Q4S-like SWaP budget (the defaults of the budget containers, see the YAML fragment)."""
    return SwapBudget()


def q4s_payload() -> PayloadConfig:
    """The assumed Q4S-like payload: the ``payload:`` section of ``scenarios/q4s_profile.yaml``.

    Every value is an assumption (Boeing has not published any of them) with its reason in the
    YAML; the values equal ``scenarios/q4s_year.yaml`` and ``scenarios/site_comparison.yaml``
    (tests/test_q4s_profile.py keeps the three and this function in step).
    """
    return PayloadConfig(
        source=PairSource(pulsed=True, repetition_rate_hz=3.5e6, mean_pairs_per_pulse=0.005,
                          intrinsic_visibility=0.98, spectral_purity=0.95, wavelength_nm=810.0),
        bsm=BellStateMeasurement(detector_efficiency=0.6, optics_efficiency=0.3,
                                 herald_states="psi-plus-and-minus"),
        onboard_detection_efficiency=0.18,
        transmitter=Transmitter(aperture_diameter_m=0.1, divergence_urad=10.0, pointing_jitter_urad=1.0,
                                optics_efficiency=0.24),
        swap_budget=q4s_swap_budget(),
    )


@dataclasses.dataclass(frozen=True)
class OnboardFourfold:
    """What the payload gives per operating hour in ``onboard`` mode (full swap model).

    Attributes
    ----------
    bsm_heralds_per_hour : float
        Bell-state-measurement heralds (two photons at the onboard BSM). [1/h]
    fourfold_swaps_per_hour : float
        Four-fold swaps: a herald and both partner photons detected on board (``squash`` rule:
        at least one click at each analyser). [1/h]
    fidelity : float
        Fidelity of the partner photons' state with the heralded Bell state. [1]
    """

    bsm_heralds_per_hour: float
    fourfold_swaps_per_hour: float
    fidelity: float


def onboard_fourfold(payload: PayloadQuantum) -> OnboardFourfold:
    """BSM heralds, four-fold swaps per operating hour and fidelity of a payload in ``onboard`` mode.

    The full swap model (:func:`payload.swap.swap_performance`): thermal multi-pair emission,
    threshold detectors, dark counts, HOM visibility. No link enters: all four photons are
    detected on board.

    Parameters
    ----------
    payload : PayloadQuantum
        The payload (a :class:`payload.config.PayloadConfig` is one).
    """
    one = np.ones(1)
    perf = swap_performance("onboard", one, one, payload=payload)
    return OnboardFourfold(bsm_heralds_per_hour=float(perf.bsm_herald_rate_hz[0]) * SECONDS_PER_HOUR,
                           fourfold_swaps_per_hour=float(perf.heralded_pair_rate_hz[0]) * SECONDS_PER_HOUR,
                           fidelity=float(perf.fidelity[0]))
