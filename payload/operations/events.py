"""When the next event happens: the wait until each limit changes, and the step they end.

Between events everything is constant, so each level (battery energy, power margin, store
content) changes linearly and the time until it reaches its next threshold is a ratio. The
operations scheduler's event loop (:mod:`payload.operations.eventloop`) asks, after the state
transitions of :mod:`payload.operations.transitions`,

- :func:`thermal_waits_s`: until the longest run is reached, the warm-up or a cool-down ends;
- :func:`battery_wait_s` (at the rate :func:`battery_rate_wh_s`): until the battery is full
  or at its floor;
- :func:`margin_wait_s`: until the power margin reaches the shed line or the resume level;
- :func:`store_waits_s`: until the store is full, empty, or drained to the resume level;

and :func:`next_event_s` ends the step at the first of these or at the piece's end. The
rates are those of the closed forms :func:`payload.power.battery_step` and
:func:`payload.storage.store_step` that then integrate the step.
"""
from __future__ import annotations

import math

from ..power import SECONDS_PER_HOUR
from ..thermal import ThermalLimits
from .transitions import TOL_E_WH, TOL_S_B, TOL_T_S, WARMUP

__all__ = [
    "battery_rate_wh_s",
    "battery_wait_s",
    "margin_wait_s",
    "next_event_s",
    "store_waits_s",
    "thermal_waits_s",
]


def thermal_waits_s(state: int, t_s: float, demanded: bool, on_start_s: float, cool_until_s: float,
                    thermal: ThermalLimits) -> tuple[float, float]:
    """Time until the thermal events ahead.

    Parameters
    ----------
    state : int
        Mode after :func:`payload.operations.transitions.run_transition`.
    t_s : float
        Now. [s]
    demanded : bool
        Whether the time is demanded.
    on_start_s : float
        Switch-on time of the current run. [s]
    cool_until_s : float
        End of the last cool-down. [s]
    thermal : ThermalLimits
        The duty-cycle limits.

    Returns
    -------
    until_longest_run_s, until_warm_or_cool_s : float
        Running: until the run reaches ``max_on_time_s``, and (warming up) until the
        warm-up ends. Idle in demanded time: until the cool-down ends. ``inf`` where there
        is no such event. [s]
    """
    if state >= WARMUP:
        longest = on_start_s + thermal.max_on_time_s - t_s
        return longest, (on_start_s + thermal.warmup_s - t_s if state == WARMUP else math.inf)
    if demanded and t_s < cool_until_s:
        return math.inf, cool_until_s - t_s
    return math.inf, math.inf


def battery_rate_wh_s(energy_wh: float, net_power_w: float, capacity_wh: float, floor_wh: float,
                      charge_efficiency: float) -> float:
    """Rate of change of the battery energy now (0 when pinned at full charge or at the floor).

    Parameters
    ----------
    energy_wh : float
        Stored energy. [Wh]
    net_power_w : float
        Generation minus all loads (positive charges). [W]
    capacity_wh : float
        Energy at full charge. [Wh]
    floor_wh : float
        Energy floor. [Wh]
    charge_efficiency : float
        Fraction of surplus power stored. [-]

    Returns
    -------
    float
        ``eta * P / 3600`` while charging below full, ``P / 3600`` while discharging above
        the floor, else 0 (the rates of :func:`payload.power.battery_step`). [Wh/s]
    """
    if net_power_w > 0:
        full = energy_wh >= capacity_wh - TOL_E_WH
        return 0.0 if full else charge_efficiency * net_power_w / SECONDS_PER_HOUR
    at_floor = energy_wh <= floor_wh + TOL_E_WH
    return 0.0 if at_floor else net_power_w / SECONDS_PER_HOUR


def battery_wait_s(energy_wh: float, rate_wh_s: float, capacity_wh: float, floor_wh: float) -> float:
    """Time until the battery is full (charging) or at its floor (discharging).

    Parameters
    ----------
    energy_wh : float
        Stored energy. [Wh]
    rate_wh_s : float
        From :func:`battery_rate_wh_s`. [Wh/s]
    capacity_wh : float
        Energy at full charge. [Wh]
    floor_wh : float
        Energy floor. [Wh]

    Returns
    -------
    float
        The wait; ``inf`` at a constant level. [s]
    """
    if rate_wh_s > 0:
        return (capacity_wh - energy_wh) / rate_wh_s
    if rate_wh_s < 0:
        return (energy_wh - floor_wh) / -rate_wh_s
    return math.inf


def margin_wait_s(margin_wh: float, margin_rate_wh_s: float, drawing: bool, power_ok: bool,
                  resume_margin_wh: float) -> float:
    """Time until the power margin reaches the shed line (0) or, shed, the resume level.

    Parameters
    ----------
    margin_wh : float
        Battery energy above the floor plus the eclipse reserve. [Wh]
    margin_rate_wh_s : float
        Its rate: the battery's rate plus the fall of the reserve as sunrise nears. [Wh/s]
    drawing : bool
        Whether the payload draws power (only a drawing payload can be shed).
    power_ok : bool
        From :func:`payload.operations.transitions.power_transition`.
    resume_margin_wh : float
        Margin at which a shed payload may draw again. [Wh]

    Returns
    -------
    float
        The wait; ``inf`` if neither threshold lies ahead at this rate. [s]
    """
    if margin_rate_wh_s < 0:
        return margin_wh / -margin_rate_wh_s if drawing and margin_wh > TOL_E_WH else math.inf
    if margin_rate_wh_s > 0 and not power_ok and margin_wh < resume_margin_wh:
        return (resume_margin_wh - margin_wh) / margin_rate_wh_s
    return math.inf


def store_waits_s(store_bytes: float, net_rate_bytes_s: float, capacity_bytes: float,
                  store_ok: bool, resume_bytes: float) -> tuple[float, float]:
    """Time until the store is full or empty, and until a paused store is at the resume level.

    Parameters
    ----------
    store_bytes : float
        Data held. [B]
    net_rate_bytes_s : float
        Recording minus downlink rate. [B/s]
    capacity_bytes : float
        Store size. [B]
    store_ok : bool
        False while the payload is paused by a full store.
    resume_bytes : float
        Level at which a paused payload may restart. [B]

    Returns
    -------
    until_full_or_empty_s, until_resume_s : float
        The waits; ``inf`` where there is no such event. [s]
    """
    if net_rate_bytes_s > 0:
        if store_bytes >= capacity_bytes - TOL_S_B:
            return math.inf, math.inf
        return (capacity_bytes - store_bytes) / net_rate_bytes_s, math.inf
    if net_rate_bytes_s < 0 and store_bytes > TOL_S_B:
        paused_above_resume = not store_ok and store_bytes > resume_bytes
        resume = (store_bytes - resume_bytes) / -net_rate_bytes_s if paused_above_resume else math.inf
        return store_bytes / -net_rate_bytes_s, resume
    return math.inf, math.inf


def next_event_s(t_s: float, end_s: float, *waits_s: float) -> tuple[float, float]:
    """Length and end of the step that starts at ``t_s``: up to the first event or the piece end.

    Parameters
    ----------
    t_s : float
        Start of the step. [s]
    end_s : float
        End of the piece (the next input edge). [s]
    *waits_s : float
        Time until each limit's next event (the ``*_wait*_s`` functions of this module);
        waits not longer than the tolerance are events happening now and are skipped. [s]

    Returns
    -------
    duration_s, t_next_s : float
        Step length and end; an end within the tolerance of ``end_s`` is snapped to it. [s]
    """
    duration_s = end_s - t_s
    for wait in waits_s:
        if TOL_T_S < wait < duration_s:
            duration_s = wait
    t_next_s = t_s + duration_s
    if end_s - t_next_s <= TOL_T_S:
        return end_s - t_s, end_s
    return duration_s, t_next_s
