"""Mode ``onboard`` over a span: the payload swaps whenever it can, contacts carry the records down.

In ``onboard`` mode the two sources, the Bell-state measurement and both partner-photon analysers
are on board: no photon leaves the satellite, so the payload needs neither a ground pass nor a
clear sky to swap. It runs whenever its SWaP budget allows (power with the eclipse reserve, the
thermal duty cycle, the data store), and the ground contacts only drain the store over the
classical downlink (``swap_budget.data.downlink_rate_bps``, X band in the Q4S-like profile).
Clouds over a station delay the records' downlink at most; they never change what was detected.

Stray light. The onboard detectors sit behind fibre-coupled, enclosed optics that no outside light
reaches in this mode (the transmit telescope is not in the onboard photons' path), so sunlight
cannot add counts and the default operating rule is ``continuous-onboard``: day and night alike. A
payload whose onboard analysers *can* see the sky (e.g. through a shared telescope port) may choose
``eclipse-onboard`` in ``swap_budget.operating_rule``: it then swaps only in the Earth's shadow.

:func:`plan_onboard` is the whole mode over a span: it evaluates the swap model once (the rates do
not depend on time), runs the SWaP scheduler :func:`payload.operations.run_operations` under the
onboard operating rule with the contacts as downlink windows, and returns the scheduler's run with the
year's operating hours, BSM heralds and four-fold swaps (rate x operating seconds: the payload is
either operating, at the constant rates, or not).
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .budget import OperatingRule, SwapBudget
from .config import PayloadConfig, onboard_event_rate_hz
from .operations import OperationsRun, run_operations
from .operations.run import RULES
from .power import SECONDS_PER_HOUR
from .storage import recorded_data_rate_bytes_s
from .swap import swap_performance

__all__ = ["OnboardPlan", "onboard_record_rate_bytes_s", "onboard_rule", "plan_onboard"]


def onboard_rule(budget: SwapBudget) -> OperatingRule:
    """The SWaP scheduler's operating rule of mode ``onboard`` over a span: the budget's if it swaps
    between contacts (:data:`payload.operations.run.RULES`), else ``continuous-onboard``.

    ``ground-passes-first`` (written for the downlink modes) has no meaning in ``onboard`` mode:
    nothing the payload does needs a pass.
    """
    rule = budget.operating_rule
    return rule if rule is not None and RULES[rule].records_outside_windows else "continuous-onboard"


def onboard_record_rate_bytes_s(payload: PayloadConfig, bsm_herald_rate_hz: float) -> float:
    """Data an operating payload writes per second in ``onboard`` mode. [B/s]

    A time tag for every click of the four onboard detectors
    (:func:`payload.config.onboard_event_rate_hz`) and one record per BSM herald
    (:func:`payload.storage.recorded_data_rate_bytes_s`).

    Parameters
    ----------
    payload : PayloadConfig
        The payload (its ``swap_budget.data`` gives the bytes per event and per record).
    bsm_herald_rate_hz : float
        BSM heralds per second. [Hz]
    """
    return float(recorded_data_rate_bytes_s(onboard_event_rate_hz("onboard", payload), bsm_herald_rate_hz,
                                            payload.swap_budget.data))


@dataclasses.dataclass(frozen=True)
class OnboardPlan:
    """Mode ``onboard`` over a span: the SWaP scheduler's run and what the payload gave.

    Attributes
    ----------
    operations : OperationsRun
        The SWaP scheduler's run; its windows are the contacts (downlink only).
    operating_rule : str
        ``continuous-onboard`` or ``eclipse-onboard``.
    bsm_herald_rate_hz, fourfold_rate_hz : float
        BSM heralds and four-fold swaps per second of operation. [Hz]
    fidelity : float
        Fidelity of the partner photons' state with the heralded Bell state. [1]
    record_rate_bytes_s : float
        Data written per second of operation. [B/s]
    """

    operations: OperationsRun
    operating_rule: OperatingRule
    bsm_herald_rate_hz: float
    fourfold_rate_hz: float
    fidelity: float
    record_rate_bytes_s: float

    @property
    def operating_hours(self) -> float:
        """Hours the payload operated (warm-up excluded). [h]"""
        return self.operations.totals.operating_hours

    @property
    def bsm_heralds(self) -> float:
        """Expected BSM heralds over the span. [1]"""
        return self.bsm_herald_rate_hz * self.operating_hours * SECONDS_PER_HOUR

    @property
    def fourfold_swaps(self) -> float:
        """Expected four-fold swaps over the span (no clouds: nothing leaves the satellite). [1]"""
        return self.fourfold_rate_hz * self.operating_hours * SECONDS_PER_HOUR

    @property
    def fourfold_swaps_per_operating_hour(self) -> float:
        """Four-fold swaps per hour of operation. [1/h]"""
        return self.fourfold_rate_hz * SECONDS_PER_HOUR


def plan_onboard(payload: PayloadConfig, span_s: float, sunlit_intervals_s, contacts_s) -> OnboardPlan:
    """Mode ``onboard`` over a span: operate whenever the SWaP budget allows, downlink at contacts.

    Parameters
    ----------
    payload : PayloadConfig
        The payload; its ``swap_budget`` gives the limits and (through :func:`onboard_rule`) the
        operating rule.
    span_s : float
        Length of the span; times are seconds since its start. [s]
    sunlit_intervals_s : array_like, shape (k, 2)
        ``[start, end)`` intervals in which the satellite is sunlit. [s]
    contacts_s : array_like, shape (n, 2)
        ``[start, end)`` of the scheduled ground contacts, which drain the store at
        ``swap_budget.data.downlink_rate_bps`` (the payload keeps swapping during them). [s]

    Returns
    -------
    OnboardPlan
        The scheduler's run (``operations.windows`` row ``i`` is contact ``i``) and the span's totals.
    """
    one = np.ones(1)
    perf = swap_performance("onboard", one, one, payload=payload)
    heralds_hz = float(perf.bsm_herald_rate_hz[0])
    rate_b_s = onboard_record_rate_bytes_s(payload, heralds_hz)
    contacts = np.asarray(contacts_s, dtype=float).reshape(-1, 2)
    rule = onboard_rule(payload.swap_budget)
    run = run_operations(payload.swap_budget, span_s, sunlit_intervals_s, contacts,
                         data_rate_bytes_s=np.full(contacts.shape[0], rate_b_s),
                         onboard_data_rate_bytes_s=rate_b_s, rule=rule)
    return OnboardPlan(operations=run, operating_rule=rule, bsm_herald_rate_hz=heralds_hz,
                       fourfold_rate_hz=float(perf.heralded_pair_rate_hz[0]), fidelity=float(perf.fidelity[0]),
                       record_rate_bytes_s=rate_b_s)
