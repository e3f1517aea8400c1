"""Linear-optics Bell-state measurement (BSM) and threshold detectors.

A 50:50 beam splitter followed by a polarising beam splitter in each output and four
threshold detectors (Weinfurter 1994; Braunstein & Mann 1995).  Two clicks in different
outputs with orthogonal polarisations herald psi-minus, two clicks in the same output
with orthogonal polarisations herald psi-plus; phi-plus/minus cannot be told apart, so
the success probability with ideal single photons is at most 50 % (both psi heralds)
or 25 % (psi-minus only).

References
----------
.. [1] H. Weinfurter, "Experimental Bell-state analysis", Europhys. Lett. 25, 559 (1994),
   doi:10.1209/0295-5075/25/8/001
.. [2] S. L. Braunstein, A. Mann, "Measurement of the Bell operator and quantum
   teleportation", Phys. Rev. A 51, R1727 (1995), doi:10.1103/PhysRevA.51.R1727
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
from annotated_types import Ge, Gt, Interval, Le, Lt

_PS = 1e-12


@dataclass(frozen=True)
class BellStateMeasurement:
    """Onboard linear-optics BSM with four threshold detectors.

    Fields
    ------
    detector_efficiency : float
        Detection efficiency of each BSM detector. [1] Default 0.6: assumption
        (Si SPAD at 810 nm, flight-qualifiable).
    optics_efficiency : float
        Transmission of the BSM optics (coupling, BS, PBS) per arm. [1]
        Default 0.9: assumption.
    dark_count_rate_hz : float
        Dark-count rate of each detector. [Hz] Default 100 Hz: assumption.
    timing_jitter_ps : float
        RMS timing jitter of each detector. [ps] Default 50 ps: assumption.
    coincidence_window_ps : float
        Window in which a dark count can fake a BSM click. [ps] Default 1000 ps:
        assumption.
    herald_states : {"psi-minus", "psi-plus-and-minus"}
        Which Bell states the BSM heralds (25 % or 50 % ideal efficiency).
        Default "psi-plus-and-minus".
    """

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    detector_efficiency: Annotated[float, Interval(gt=0, le=1)] = 0.6
    optics_efficiency: Annotated[float, Interval(gt=0, le=1)] = 0.9
    dark_count_rate_hz: Annotated[float, Ge(0), Lt(1e7)] = 100.0  # a detector counting 10 MHz of darks is blind
    timing_jitter_ps: Annotated[float, Ge(0), Lt(1e6)] = 50.0
    coincidence_window_ps: Annotated[float, Gt(0), Le(1e6)] = 1000.0  # at most 1 µs
    herald_states: Literal["psi-minus", "psi-plus-and-minus"] = "psi-plus-and-minus"


def arm_efficiency(bsm: BellStateMeasurement) -> float:
    """Efficiency of one BSM arm, optics times detector. [1]"""
    return float(bsm.detector_efficiency * bsm.optics_efficiency)


def noise_click_probability(rate_hz, window_ps):
    """Probability of at least one Poisson noise count in a window.

    ``p = 1 - exp(-R * tau)``.

    Parameters
    ----------
    rate_hz : float or ndarray
        Noise count rate of one detector (dark counts and/or background). [Hz]
    window_ps : float or ndarray
        Coincidence window. [ps]

    Returns
    -------
    float or ndarray
        Probability per window. [1]
    """
    return -np.expm1(-np.asarray(rate_hz, dtype=float) * np.asarray(window_ps) * _PS)


def herald_names(bsm: BellStateMeasurement) -> tuple[str, ...]:
    """Bell states counted as a BSM herald."""
    if bsm.herald_states == "psi-minus":
        return ("psi-minus",)
    return ("psi-minus", "psi-plus")
