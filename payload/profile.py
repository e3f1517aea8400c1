"""Q4S-like payload profile and the closed-form onboard swap rate used to check it.

What Boeing has published about its Q4S payload: built with HRL Laboratories, four photons (two
entangled-pair sources and a Bell-state measurement that swaps their entanglement), high-fidelity
swaps in ground tests of the flight hardware, launch planned for 2027. Its volume, mass, power,
swap rate, wavelength, orbit and fidelity are *not* public. The envelope of :class:`Q4SProfile`
(12 L, 19 kg, 45 W, >= 100 swaps per hour) is an assumption of a small-satellite payload class
(larger than a whole 6U CubeSat: at most 12 kg in about 8.3 L, Cal Poly CubeSat Design
Specification Rev. 14.1), never a Q4S figure. Every other number of the profile is a cited
choice or a marked assumption (see ``scenarios/q4s_profile.yaml``).

:func:`onboard_swap_rate_hz` is the textbook low-gain closed form, kept here *only* to show
that the profile reaches its target within its power; the planner uses the full swap model
(``payload.swap.swap_performance``, multi-pair emission and threshold detectors included),
which replaces this function everywhere else.

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
"""
from __future__ import annotations

import dataclasses
from typing import Annotated

import numpy as np
from annotated_types import Gt, Interval

from .budget import SwapBudget

__all__ = [
    "BSM_SUCCESS_PSI_MINUS",
    "BSM_SUCCESS_PSI_MINUS_AND_PLUS",
    "Q4SProfile",
    "onboard_swap_rate_hz",
    "q4s_swap_budget",
]

#: Linear-optics BSM that identifies psi-minus only (one beam splitter, coincidence of the
#: two output ports), [1].
BSM_SUCCESS_PSI_MINUS = 0.25
#: Linear-optics BSM identifying psi-minus and psi-plus (polarising beam splitters after the
#: beam splitter), [2]; the linear-optics maximum, [3].
BSM_SUCCESS_PSI_MINUS_AND_PLUS = 0.5


def onboard_swap_rate_hz(pump_repetition_rate_hz, mean_pairs_per_pulse, detection_efficiency,
                         bsm_success_probability=BSM_SUCCESS_PSI_MINUS_AND_PLUS):
    """Heralded-swap rate of two pulsed SPDC sources with an onboard four-fold detection.

    R = f * mu^2 * P_BSM * eta^4: each pulse of the common pump makes a pair in each source
    with probability ~mu (mu << 1), the linear-optics Bell-state measurement succeeds with
    P_BSM, and all four photons are detected with probability eta^4.

    Parameters
    ----------
    pump_repetition_rate_hz : array_like
        Pulse repetition rate of the pump. [Hz]
    mean_pairs_per_pulse : array_like
        Mean pair number per pulse of each source, mu (low-gain regime, mu << 1). [-]
    detection_efficiency : array_like
        Probability that one photon is detected: collection, optics and detector. [-]
    bsm_success_probability : array_like
        1/4 for a psi-minus-only BSM, 1/2 for psi-minus and psi-plus (default). [-]

    Returns
    -------
    ndarray
        Swap (four-fold coincidence) rate. [Hz]

    Notes
    -----
    Lowest order in mu: multi-pair emission, dark counts and HOM visibility are ignored.
    For profile checks only; the planner uses ``payload.swap.swap_performance``.

    References
    ----------
    See the module references [1] to [4].
    """
    f = np.asarray(pump_repetition_rate_hz, dtype=float)
    mu = np.asarray(mean_pairs_per_pulse, dtype=float)
    eta = np.asarray(detection_efficiency, dtype=float)
    p_bsm = np.asarray(bsm_success_probability, dtype=float)
    return f * mu**2 * p_bsm * eta**4  # lowest-order four-fold rate of [4]; P_BSM of [1]-[3]


@dataclasses.dataclass(frozen=True)
class Q4SProfile:
    """An assumed small-satellite payload envelope and the source/detector numbers of the profile check.

    Fields
    ------
    envelope_volume_l
        Payload volume; assumption 12 L (small-satellite payload class; Q4S's is not public). [L]
    envelope_mass_kg
        Payload mass; assumption 19 kg (small-satellite payload class; Q4S's is not public). [kg]
    envelope_power_w
        Payload power; assumption 45 W (the breakdown in ``scenarios/q4s_profile.yaml``; Q4S's is not
        public). [W]
    target_swaps_per_hour
        Swap-rate target of this profile; assumption >= 100 swaps per hour (Q4S's rate is not
        public). [1/h]
    pump_repetition_rate_hz
        Pump pulse rate; assumption 100 MHz (mode-locked-laser class). [Hz]
    mean_pairs_per_pulse
        Mean pair number per pulse and source; assumption 0.005 (low gain keeps the
        multi-pair infidelity, which grows ~linearly in mu, near the percent level). [-]
    detector_efficiency
        Single-photon detector efficiency; Si SPAD class (SPCM-AQ: > 70 % peak at 700 nm,
        lower at ~800 nm); assumption 0.6. [-]
    collection_efficiency
        Probability that an emitted photon reaches its detector (fibre coupling, filters,
        BSM optics); assumption 0.3. [-]
    bsm_success_probability
        Linear-optics BSM success, psi-minus and psi-plus resolved: 1/2 ([2], [3]). [-]
    """

    envelope_volume_l: Annotated[float, Gt(0)] = 12.0
    envelope_mass_kg: Annotated[float, Gt(0)] = 19.0
    envelope_power_w: Annotated[float, Gt(0)] = 45.0
    target_swaps_per_hour: Annotated[float, Gt(0)] = 100.0
    pump_repetition_rate_hz: Annotated[float, Gt(0)] = 100e6
    mean_pairs_per_pulse: Annotated[float, Interval(gt=0, lt=1)] = 0.005
    detector_efficiency: Annotated[float, Interval(gt=0, le=1)] = 0.6
    collection_efficiency: Annotated[float, Interval(gt=0, le=1)] = 0.3
    bsm_success_probability: Annotated[float, Interval(gt=0, le=0.5)] = BSM_SUCCESS_PSI_MINUS_AND_PLUS

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    @property
    def detection_efficiency(self) -> float:
        """Per-photon detection probability: collection x detector. [-]"""
        return self.collection_efficiency * self.detector_efficiency

    def onboard_swap_rate_hz(self) -> float:
        """Closed-form onboard swap rate of this profile. [Hz]"""
        return float(onboard_swap_rate_hz(self.pump_repetition_rate_hz, self.mean_pairs_per_pulse,
                                          self.detection_efficiency, self.bsm_success_probability))


def q4s_swap_budget() -> SwapBudget:
    """The Q4S-like SWaP budget (the defaults of the budget containers, see the YAML fragment)."""
    return SwapBudget()
