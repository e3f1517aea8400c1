"""The payload's state transitions at an event, and what a demanded but unused step is lost to.

The operations scheduler (:mod:`payload.operations.run`, event loop in :mod:`payload.operations.eventloop`)
applies, at the start of every step and in this order:

1. :func:`power_transition`: shed at the eclipse-reserve line, resume at the hysteresis level;
2. :func:`storage_transition`: resume once a paused store has drained; is the store full?
3. :func:`run_transition`: the thermal duty cycle (warm-up, longest run, cool-down) and the
   stops for demand, power and storage.

Then :func:`loss_reason` names the limit a demanded step that is not operated is lost to.
The rules are stated in :mod:`payload.operations.run`; all are pure functions of plain numbers.
"""
from __future__ import annotations

from ..power import PowerBudget
from ..thermal import ThermalLimits

__all__ = [
    "IDLE",
    "LOST_POWER",
    "LOST_STORAGE",
    "LOST_THERMAL",
    "NOT_LOST",
    "OFF",
    "OPERATING",
    "TOL_E_WH",
    "TOL_S_B",
    "TOL_T_S",
    "WARMUP",
    "loss_reason",
    "payload_draw_by_state_w",
    "power_transition",
    "run_transition",
    "storage_transition",
]

#: Payload modes on the timeline: shed (0 W), idle between runs, warming up, operating.
OFF, IDLE, WARMUP, OPERATING = 0, 1, 2, 3
#: Why a demanded step was not operated.
NOT_LOST, LOST_POWER, LOST_THERMAL, LOST_STORAGE = 0, 1, 2, 3

TOL_T_S = 1e-6  #: events closer than this are one event [s]
TOL_E_WH = 1e-9  #: energy equality [Wh]
TOL_S_B = 1e-6  #: store equality [B]


def power_transition(margin_wh: float, power_ok: bool, resume_margin_wh: float) -> bool:
    """Whether the payload may draw power, with the shed/resume hysteresis.

    Parameters
    ----------
    margin_wh : float
        Battery energy above the floor plus the eclipse reserve (what the bus still needs
        to reach sunrise). [Wh]
    power_ok : bool
        Whether the payload could draw before this event.
    resume_margin_wh : float
        Margin at which a shed payload may draw again,
        ``(battery_resume_soc - battery_min_soc) * capacity``. [Wh]

    Returns
    -------
    bool
        False at or below the line (shed); True again only once the margin is back at the
        resume level; otherwise unchanged.
    """
    if margin_wh <= TOL_E_WH:
        return False
    if not power_ok and margin_wh >= resume_margin_wh - TOL_E_WH:
        return True
    return power_ok


def storage_transition(store_bytes: float, store_ok: bool, record_rate_bytes_s: float,
                       downlink_rate_bytes_s: float, capacity_bytes: float,
                       resume_bytes: float) -> tuple[bool, bool]:
    """Whether recording may (re)start, and whether the store is full for this piece.

    Parameters
    ----------
    store_bytes : float
        Data held. [B]
    store_ok : bool
        False while the payload is paused by a full store (set by :func:`run_transition`).
    record_rate_bytes_s : float
        Recording rate an operating payload would have in this piece. [B/s]
    downlink_rate_bytes_s : float
        Downlink rate in this piece. [B/s]
    capacity_bytes : float
        Store size. [B]
    resume_bytes : float
        Level the store must drain to before a paused payload restarts. [B]

    Returns
    -------
    store_ok : bool
        True once a paused store has drained to ``resume_bytes``; otherwise unchanged.
    store_full : bool
        The store is full and recording would outpace the downlink.
    """
    if not store_ok and store_bytes <= resume_bytes + TOL_S_B:
        store_ok = True
    return store_ok, (record_rate_bytes_s > downlink_rate_bytes_s
                      and store_bytes >= capacity_bytes - TOL_S_B)


def run_transition(state: int, t_s: float, demanded: bool, power_ok: bool, store_ok: bool,
                   store_full: bool, on_start_s: float, cool_until_s: float, run_id: int,
                   thermal: ThermalLimits) -> tuple[int, float, float, int, bool]:
    """The payload's run state machine at an event: the thermal duty cycle and the stops.

    A run (warm-up included) stops when the demand ends, when it reaches
    ``max_on_time_s``, when power is shed, or when an operating payload finds the store full
    (which pauses recording); every stop starts a cool-down of ``cooldown_s``. A warming-up
    payload operates once ``warmup_s`` has passed. An idle payload starts a run when the
    time is demanded, power and storage allow and the cool-down is over.

    Parameters
    ----------
    state : int
        ``OFF``, ``IDLE``, ``WARMUP`` or ``OPERATING`` before the event.
    t_s : float
        Time of the event. [s]
    demanded : bool
        Whether the operating rule wants the payload operating now.
    power_ok, store_ok, store_full : bool
        From :func:`power_transition` and :func:`storage_transition`.
    on_start_s : float
        Switch-on time of the current (or last) run. [s]
    cool_until_s : float
        End of the current (or last) cool-down. [s]
    run_id : int
        Index of the current (or last) run; -1 before the first.
    thermal : ThermalLimits
        Warm-up, longest run and cool-down.

    Returns
    -------
    state, on_start_s, cool_until_s, run_id, store_ok
        The state after the event; a payload that is not running is ``IDLE``, or ``OFF``
        when power is shed. Times in [s].
    """
    if state >= WARMUP:
        stop = (not demanded) or (t_s >= on_start_s + thermal.max_on_time_s - TOL_T_S) or (not power_ok)
        if not stop and state == WARMUP and t_s >= on_start_s + thermal.warmup_s - TOL_T_S:
            state = OPERATING
        if not stop and state == OPERATING and store_full:
            stop = True
            store_ok = False
        if stop:
            state = IDLE
            cool_until_s = t_s + thermal.cooldown_s
    if state < WARMUP:
        if (demanded and power_ok and store_ok and not store_full
                and t_s >= cool_until_s - TOL_T_S):
            run_id += 1
            on_start_s = t_s
            state = WARMUP if thermal.warmup_s > TOL_T_S else OPERATING
        else:
            state = IDLE if power_ok else OFF
    return state, on_start_s, cool_until_s, run_id, store_ok


def payload_draw_by_state_w(power: PowerBudget) -> tuple[float, float, float, float]:
    """Payload draw indexed by state ``(OFF, IDLE, WARMUP, OPERATING)``. [W]"""
    return 0.0, float(power.payload_idle_w), float(power.payload_warmup_w), float(power.payload_operating_w)


def loss_reason(demanded: bool, state: int, power_ok: bool, store_ok: bool, store_full: bool,
                t_s: float, cool_until_s: float) -> int:
    """The limit a demanded step is lost to (``NOT_LOST`` if operated or not demanded).

    Parameters
    ----------
    demanded : bool
        Whether the operating rule wants the payload operating in the step.
    state : int
        Mode after :func:`run_transition`.
    power_ok, store_ok, store_full : bool
        From :func:`power_transition`, :func:`run_transition`, :func:`storage_transition`.
    t_s : float
        Start of the step. [s]
    cool_until_s : float
        End of the last cool-down. [s]

    Returns
    -------
    int
        ``LOST_THERMAL`` while warming up; otherwise, off, the first of: power shed
        (``LOST_POWER``), store full or paused (``LOST_STORAGE``), cooling down
        (``LOST_THERMAL``); ``LOST_POWER`` for a start refused for any other reason.
    """
    if not demanded or state == OPERATING:
        return NOT_LOST
    if state == WARMUP:
        return LOST_THERMAL
    if not power_ok:
        return LOST_POWER
    if not store_ok or store_full:
        return LOST_STORAGE
    if t_s < cool_until_s - TOL_T_S:
        return LOST_THERMAL
    return LOST_POWER
