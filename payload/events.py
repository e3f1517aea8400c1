"""The operations scheduler's event loop and the rules it applies at every event.

:func:`run_event_loop` walks the segments of the span (constant sunlight, demand and data
rates inside each) and cuts them further at every event. At the start of each step it applies
the state transitions in a fixed order,

1. :func:`power_transition` (shed at the eclipse-reserve line, resume at the hysteresis level),
2. :func:`storage_transition` (resume once the store has drained; is the store full?),
3. :func:`run_transition` (the thermal duty cycle: warm-up, longest run, cool-down; stops
   for power and storage),

finds when the next event happens (:func:`next_event_s`, from the waits of
:func:`thermal_waits_s`, :func:`level_wait_s`, :func:`margin_wait_s`, :func:`store_waits_s`), attributes a demanded but unused step to
one limit (:func:`loss_reason`), and integrates the battery and the store over the step with
the tested closed forms :func:`payload.power.battery_step` and
:func:`payload.storage.store_step`. The rules themselves are described in
:mod:`payload.schedule`.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from .budget import SwapBudget
from .power import SECONDS_PER_HOUR, PowerBudget, battery_step
from .storage import store_step
from .thermal import ThermalLimits

__all__ = [
    "IDLE",
    "LOST_POWER",
    "LOST_STORAGE",
    "LOST_THERMAL",
    "NOT_LOST",
    "OFF",
    "OPERATING",
    "WARMUP",
    "Segments",
    "Steps",
    "battery_rate_wh_s",
    "level_wait_s",
    "loss_reason",
    "margin_wait_s",
    "next_event_s",
    "payload_draw_by_mode_w",
    "power_transition",
    "run_event_loop",
    "run_transition",
    "storage_transition",
    "store_waits_s",
    "thermal_waits_s",
]

#: Payload modes on the timeline: shed (0 W), idle between runs, warming up, operating.
OFF, IDLE, WARMUP, OPERATING = 0, 1, 2, 3
#: Why a demanded step was not operated.
NOT_LOST, LOST_POWER, LOST_THERMAL, LOST_STORAGE = 0, 1, 2, 3

TOL_T_S = 1e-6  # events closer than this are one event [s]
TOL_E_WH = 1e-9  # energy equality [Wh]
TOL_S_B = 1e-6  # store equality [B]


# ------------------------------------------------------------------------- state transitions

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
    """Whether recording may (re)start, and whether the store is full for this segment.

    Parameters
    ----------
    store_bytes : float
        Data held. [B]
    store_ok : bool
        False while the payload is paused by a full store (set by :func:`run_transition`).
    record_rate_bytes_s : float
        Recording rate an operating payload would have in this segment. [B/s]
    downlink_rate_bytes_s : float
        Downlink rate in this segment. [B/s]
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


def run_transition(mode: int, t_s: float, demanded: bool, power_ok: bool, store_ok: bool,
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
    mode : int
        ``OFF``, ``IDLE``, ``WARMUP`` or ``OPERATING`` before the event.
    t_s : float
        Time of the event. [s]
    demanded : bool
        Whether the policy wants the payload operating now.
    power_ok, store_ok, store_full : bool
        From :func:`power_transition` and :func:`storage_transition`.
    on_start_s : float
        Switch-on time of the current (or last) run. [s]
    cool_until_s : float
        End of the current (or last) cool-down. [s]
    run_id : int
        Index of the current (or last) run; -1 before the first.
    thermal : ThermalLimits
        Warm-up, longest run and cool-down. [s]

    Returns
    -------
    mode, on_start_s, cool_until_s, run_id, store_ok
        The state after the event; a payload that is not running is ``IDLE``, or ``OFF``
        when power is shed. Times in [s].
    """
    if mode >= WARMUP:
        stop = (not demanded) or (t_s >= on_start_s + thermal.max_on_time_s - TOL_T_S) or (not power_ok)
        if not stop and mode == WARMUP and t_s >= on_start_s + thermal.warmup_s - TOL_T_S:
            mode = OPERATING
        if not stop and mode == OPERATING and store_full:
            stop = True
            store_ok = False
        if stop:
            mode = IDLE
            cool_until_s = t_s + thermal.cooldown_s
    if mode < WARMUP:
        if (demanded and power_ok and store_ok and not store_full
                and t_s >= cool_until_s - TOL_T_S):
            run_id += 1
            on_start_s = t_s
            mode = WARMUP if thermal.warmup_s > TOL_T_S else OPERATING
        else:
            mode = IDLE if power_ok else OFF
    return mode, on_start_s, cool_until_s, run_id, store_ok


def payload_draw_by_mode_w(power: PowerBudget) -> tuple[float, float, float, float]:
    """Payload draw indexed by mode ``(OFF, IDLE, WARMUP, OPERATING)``. [W]"""
    return 0.0, float(power.payload_idle_w), float(power.payload_warmup_w), float(power.payload_operating_w)


# ------------------------------------------------------------------------------ next event

def battery_rate_wh_s(energy_wh: float, net_power_w: float, capacity_wh: float, floor_wh: float,
                      charge_efficiency: float) -> float:
    """Rate of change of the battery energy right now (0 when pinned at full or at the floor).

    Parameters
    ----------
    energy_wh : float
        Stored energy. [Wh]
    net_power_w : float
        Generation minus all loads (positive charges). [W]
    capacity_wh, floor_wh : float
        Full charge and the floor. [Wh]
    charge_efficiency : float
        Fraction of surplus power stored. [-]

    Returns
    -------
    float
        ``eta * P / 3600`` while charging below full, ``P / 3600`` while discharging above
        the floor, else 0 (the closed form of :func:`payload.power.battery_step`). [Wh/s]
    """
    if net_power_w > 0:
        return charge_efficiency * net_power_w / SECONDS_PER_HOUR if energy_wh < capacity_wh - TOL_E_WH else 0.0
    return net_power_w / SECONDS_PER_HOUR if energy_wh > floor_wh + TOL_E_WH else 0.0


def level_wait_s(level: float, rate_per_s: float, low: float, high: float) -> float:
    """Time until a level changing at a constant rate reaches ``high`` (rising) or ``low`` (falling).

    Parameters
    ----------
    level : float
        Current level (energy, margin or store content). [Wh] or [B]
    rate_per_s : float
        Its rate of change. [Wh/s] or [B/s]
    low, high : float
        Event levels below and above; ``-inf``/``inf`` for none. [Wh] or [B]

    Returns
    -------
    float
        The wait; ``inf`` when the level is constant or heads for a missing bound. [s]
    """
    if rate_per_s > 0:
        return (high - level) / rate_per_s
    if rate_per_s < 0:
        return (low - level) / rate_per_s
    return math.inf


def thermal_waits_s(mode: int, t_s: float, demanded: bool, on_start_s: float, cool_until_s: float,
                    thermal: ThermalLimits) -> tuple[float, float]:
    """Time until the thermal events ahead.

    Parameters
    ----------
    mode : int
        Mode after :func:`run_transition`.
    t_s : float
        Now. [s]
    demanded : bool
        Whether the time is demanded.
    on_start_s, cool_until_s : float
        Switch-on of the current run, end of the last cool-down. [s]
    thermal : ThermalLimits
        The duty-cycle limits. [s]

    Returns
    -------
    until_longest_run_s, until_warm_or_cool_s : float
        Running: until the run reaches ``max_on_time_s``, and (warming up) until the
        warm-up ends. Idle in demanded time: until the cool-down ends. ``inf`` where there
        is no such event. [s]
    """
    if mode >= WARMUP:
        longest = on_start_s + thermal.max_on_time_s - t_s
        return longest, (on_start_s + thermal.warmup_s - t_s if mode == WARMUP else math.inf)
    if demanded and t_s < cool_until_s:
        return math.inf, cool_until_s - t_s
    return math.inf, math.inf


def margin_wait_s(margin_wh: float, margin_rate_wh_s: float, drawing: bool, power_ok: bool,
                  resume_margin_wh: float) -> float:
    """Time until the power margin reaches the shed line (0) or, shed, the resume level.

    Parameters
    ----------
    margin_wh : float
        Battery energy above the floor plus the eclipse reserve. [Wh]
    margin_rate_wh_s : float
        Its rate: battery rate plus the fall of the reserve as sunrise nears. [Wh/s]
    drawing : bool
        Whether the payload draws power (only a drawing payload can be shed).
    power_ok : bool
        From :func:`power_transition`.
    resume_margin_wh : float
        Margin at which a shed payload may draw again. [Wh]

    Returns
    -------
    float
        The wait; ``inf`` if neither can happen at this rate. [s]
    """
    low = 0.0 if drawing and margin_wh > TOL_E_WH else -math.inf
    high = resume_margin_wh if not power_ok and margin_wh < resume_margin_wh else math.inf
    return level_wait_s(margin_wh, margin_rate_wh_s, low, high)


def store_waits_s(store_bytes: float, net_rate_bytes_s: float, capacity_bytes: float,
                  store_ok: bool, resume_bytes: float) -> tuple[float, float]:
    """Time until the store is full or empty, and until a paused store reaches the resume level.

    Parameters
    ----------
    store_bytes : float
        Data held. [B]
    net_rate_bytes_s : float
        Recording minus downlink rate. [B/s]
    capacity_bytes, resume_bytes : float
        Store size and the level at which a paused payload may restart. [B]
    store_ok : bool
        False while paused by a full store.

    Returns
    -------
    until_full_or_empty_s, until_resume_s : float
        The waits; ``inf`` where there is no such event. [s]
    """
    full = capacity_bytes if store_bytes < capacity_bytes - TOL_S_B else math.inf
    if store_bytes <= TOL_S_B:
        return level_wait_s(store_bytes, net_rate_bytes_s, -math.inf, full), math.inf
    resume = resume_bytes if not store_ok and store_bytes > resume_bytes else -math.inf
    return (level_wait_s(store_bytes, net_rate_bytes_s, 0.0, full),
            level_wait_s(store_bytes, net_rate_bytes_s, resume, math.inf))


def next_event_s(t_s: float, end_s: float, *waits_s: float) -> tuple[float, float]:
    """Length and end of the step that starts at ``t_s``: up to the first event or the segment end.

    Parameters
    ----------
    t_s : float
        Start of the step. [s]
    end_s : float
        End of the segment (the next input edge). [s]
    *waits_s : float
        Time until each limit's next event (:func:`thermal_waits_s`, :func:`level_wait_s`,
        :func:`margin_wait_s`, :func:`store_waits_s`);
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


def loss_reason(demanded: bool, mode: int, power_ok: bool, store_ok: bool, store_full: bool,
                t_s: float, cool_until_s: float) -> int:
    """The limit a demanded step is lost to (``NOT_LOST`` if operated or not demanded).

    Parameters
    ----------
    demanded : bool
        Whether the policy wants the payload operating in the step.
    mode : int
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
    if not demanded or mode == OPERATING:
        return NOT_LOST
    if mode == WARMUP:
        return LOST_THERMAL
    if not power_ok:
        return LOST_POWER
    if not store_ok or store_full:
        return LOST_STORAGE
    if t_s < cool_until_s - TOL_T_S:
        return LOST_THERMAL
    return LOST_POWER


# ------------------------------------------------------------------------------- the loop

@dataclasses.dataclass(frozen=True, eq=False)
class Segments:
    """The span cut at every input edge: sunlight, demand and data rates are constant inside.

    Fields
    ------
    edges_s : ndarray, shape (k+1,)
        Segment edges, from 0 to the span's end. [s]
    sunlit : ndarray of bool, shape (k,)
        Whether the array generates.
    eclipse_end_s : ndarray, shape (k,)
        Next sunrise at or after the segment (for the eclipse reserve). [s]
    demanded : ndarray of bool, shape (k,)
        Whether the policy wants the payload operating.
    record_rate_bytes_s : ndarray, shape (k,)
        Data an operating payload records per second. [B/s]
    downlink_rate_bytes_s : ndarray, shape (k,)
        Downlink capacity per second. [B/s]
    """

    edges_s: np.ndarray
    sunlit: np.ndarray
    eclipse_end_s: np.ndarray
    demanded: np.ndarray
    record_rate_bytes_s: np.ndarray
    downlink_rate_bytes_s: np.ndarray


@dataclasses.dataclass(frozen=True, eq=False)
class Steps:
    """What :func:`run_event_loop` integrated, one entry per step (a segment cut at its events).

    Fields
    ------
    t_end_s, energy_end_wh, store_end_bytes : ndarray, shape (m,)
        Time, battery energy and store content at the end of each step. [s], [Wh], [B]
    mode, loss_reason : ndarray of int8, shape (m,)
        Payload mode (``OFF``...``OPERATING``) and :func:`loss_reason` code per step.
    run : ndarray of int64, shape (m,)
        Index of the run the step belongs to, -1 when not running.
    recorded_bytes, downlinked_bytes : ndarray, shape (m,)
        Data written to and sent down from the store in the step. [B]
    energy_start_wh : float
        Battery energy at the start of the span. [Wh]
    generation_wh, load_wh, curtailed_wh, charge_loss_wh, unserved_wh : float
        Energy totals over the span (see :class:`payload.operations.OperationsTotals`). [Wh]
    dropped_bytes : float
        Data offered that did not fit in the store. [B]
    runs : int
        Number of runs started.
    """

    t_end_s: np.ndarray
    energy_end_wh: np.ndarray
    store_end_bytes: np.ndarray
    mode: np.ndarray
    loss_reason: np.ndarray
    run: np.ndarray
    recorded_bytes: np.ndarray
    downlinked_bytes: np.ndarray
    energy_start_wh: float
    generation_wh: float
    load_wh: float
    curtailed_wh: float
    charge_loss_wh: float
    unserved_wh: float
    dropped_bytes: float
    runs: int


def run_event_loop(budget: SwapBudget, segments: Segments) -> Steps:
    """Walk the segments once, cutting them at every event, and integrate each step exactly.

    Parameters
    ----------
    budget : SwapBudget
        Power, thermal and data limits (the policy is already in ``segments.demanded``).
    segments : Segments
        The span's segments (from :mod:`payload.schedule`).

    Returns
    -------
    Steps
        Per-step modes, loss reasons, runs, levels and flows, and the span's totals.
    """
    pw, th, data = budget.power, budget.thermal, budget.data
    e_max = float(pw.battery_capacity_wh)
    e_min = float(pw.battery_min_soc * e_max)
    resume_margin = float((pw.battery_resume_soc - pw.battery_min_soc) * e_max)
    gen, base, eta = float(pw.solar_generation_w), float(pw.bus_base_load_w), float(pw.charge_efficiency)
    draw_w = payload_draw_by_mode_w(pw)
    s_cap = float(data.storage_bytes)
    s_resume = float(data.storage_resume_fraction * s_cap)
    base_slope = base / SECONDS_PER_HOUR  # fall of the eclipse reserve [Wh/s]

    edges = segments.edges_s.tolist()
    sunlit, eclipse_end = segments.sunlit.tolist(), segments.eclipse_end_s.tolist()
    demanded = segments.demanded.tolist()
    record_rate, downlink_rate = segments.record_rate_bytes_s.tolist(), segments.downlink_rate_bytes_s.tolist()

    e0 = float(pw.battery_initial_soc * e_max)
    e, s = e0, 0.0
    mode, power_ok, store_ok = IDLE, True, True
    on_start, cool_until, run_id = -math.inf, -math.inf, -1
    t_end, e_end, s_end, modes, reasons, runs, rec_out, dl_out = [], [], [], [], [], [], [], []
    gen_wh = load_wh = curt_wh = closs_wh = unserved_wh = dropped_b = 0.0

    for i in range(len(sunlit)):
        t, b = edges[i], edges[i + 1]
        sunny, ecl_end, dem, rec, down = sunlit[i], eclipse_end[i], demanded[i], record_rate[i], downlink_rate[i]
        gen_now = gen if sunny else 0.0
        reserve_slope = 0.0 if sunny else base_slope
        while t < b:
            floor = e_min if sunny else e_min + base * (ecl_end - t) / SECONDS_PER_HOUR
            margin = e - floor
            power_ok = power_transition(margin, power_ok, resume_margin)
            store_ok, store_full = storage_transition(s, store_ok, rec, down, s_cap, s_resume)
            mode, on_start, cool_until, run_id, store_ok = run_transition(
                mode, t, dem, power_ok, store_ok, store_full, on_start, cool_until, run_id, th)
            p_pay = draw_w[mode]
            net = gen_now - base - p_pay
            rec_now = rec if mode == OPERATING else 0.0
            rate_e = battery_rate_wh_s(e, net, e_max, e_min, eta)
            reasons.append(loss_reason(dem, mode, power_ok, store_ok, store_full, t, cool_until))
            dt, t = next_event_s(
                t, b, *thermal_waits_s(mode, t, dem, on_start, cool_until, th),
                level_wait_s(e, rate_e, e_min, e_max),
                margin_wait_s(margin, rate_e + reserve_slope, p_pay > 0, power_ok, resume_margin),
                *store_waits_s(s, rec_now - down, s_cap, store_ok, s_resume))
            e, curtailed, charge_loss, unserved = battery_step(e, net, dt, e_max, e_min, eta)
            s, recorded, downlinked, dropped = store_step(s, rec_now, down, dt, s_cap)
            gen_wh += gen_now * dt / SECONDS_PER_HOUR
            load_wh += (base + p_pay) * dt / SECONDS_PER_HOUR
            curt_wh += curtailed
            closs_wh += charge_loss
            unserved_wh += unserved
            dropped_b += dropped
            t_end.append(t)
            e_end.append(e)
            s_end.append(s)
            modes.append(mode)
            runs.append(run_id)
            rec_out.append(recorded)
            dl_out.append(downlinked)

    mode_arr = np.array(modes, dtype=np.int8)
    return Steps(
        t_end_s=np.array(t_end), energy_end_wh=np.array(e_end), store_end_bytes=np.array(s_end),
        mode=mode_arr, loss_reason=np.array(reasons, dtype=np.int8),
        run=np.where(mode_arr >= WARMUP, np.array(runs, dtype=np.int64), -1),
        recorded_bytes=np.array(rec_out), downlinked_bytes=np.array(dl_out), energy_start_wh=e0,
        generation_wh=gen_wh, load_wh=load_wh, curtailed_wh=curt_wh, charge_loss_wh=closs_wh,
        unserved_wh=unserved_wh, dropped_bytes=dropped_b, runs=run_id + 1,
    )
