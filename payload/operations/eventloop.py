"""The operations scheduler's event loop: one pass over the span, cut at every event.

:func:`run_event_loop` walks the :class:`Pieces` of the span (sunlight, demand and data
rates constant inside each, built by :mod:`payload.operations.run`) and cuts each further at every
event. At the start of each step it applies the state transitions of
:mod:`payload.operations.transitions` (power, storage, then the thermal run state machine), names what
a demanded but unused step is lost to (:func:`payload.operations.transitions.loss_reason`), ends the step
at the next event (:func:`payload.operations.events.next_event_s`), and integrates the battery and the
store over it with the tested closed forms :func:`payload.power.battery_step` and
:func:`payload.storage.store_step` (their float fast path). A year is a few ten thousand
steps, never a per-second loop.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from ..budget import SwapBudget
from ..power import SECONDS_PER_HOUR, battery_step
from ..storage import store_step
from .events import (
    battery_rate_wh_s,
    battery_wait_s,
    margin_wait_s,
    next_event_s,
    store_waits_s,
    thermal_waits_s,
)
from .transitions import (
    IDLE,
    OPERATING,
    WARMUP,
    loss_reason,
    payload_draw_by_state_w,
    power_transition,
    run_transition,
    storage_transition,
)

__all__ = ["Pieces", "Steps", "run_event_loop"]


@dataclasses.dataclass(frozen=True, eq=False)
class Pieces:
    """The span cut at every input edge: sunlight, demand and data rates are constant inside.

    Fields
    ------
    edges_s : ndarray, shape (k+1,)
        Piece edges, from 0 to the span's end. [s]
    sunlit : ndarray of bool, shape (k,)
        Whether the array generates.
    eclipse_end_s : ndarray, shape (k,)
        Next sunrise at or after the piece (for the eclipse reserve). [s]
    demanded : ndarray of bool, shape (k,)
        Whether the operating rule wants the payload operating.
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
    """What :func:`run_event_loop` integrated, one entry per step (a piece cut at its events).

    Fields
    ------
    t_end_s, energy_end_wh, store_end_bytes : ndarray, shape (m,)
        Time, battery energy and store content at the end of each step. [s], [Wh], [B]
    state, loss_reason : ndarray of int8, shape (m,)
        Payload state (``OFF``...``OPERATING``) and :func:`loss_reason` code per step.
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
    state: np.ndarray
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


def run_event_loop(budget: SwapBudget, pieces: Pieces) -> Steps:
    """Walk the pieces once, cutting them at every event, and integrate each step exactly.

    Parameters
    ----------
    budget : SwapBudget
        Power, thermal and data limits (the operating rule is already in ``pieces.demanded``).
    pieces : Pieces
        The span's pieces (from :mod:`payload.operations.run`).

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
    draw_w = payload_draw_by_state_w(pw)
    s_cap = float(data.storage_bytes)
    s_resume = float(data.storage_resume_fraction * s_cap)
    base_slope = base / SECONDS_PER_HOUR  # fall of the eclipse reserve [Wh/s]

    edges = pieces.edges_s.tolist()
    sunlit, eclipse_end = pieces.sunlit.tolist(), pieces.eclipse_end_s.tolist()
    demanded = pieces.demanded.tolist()
    record_rate = pieces.record_rate_bytes_s.tolist()
    downlink_rate = pieces.downlink_rate_bytes_s.tolist()

    e0 = float(pw.battery_initial_soc * e_max)
    e, s = e0, 0.0
    state, power_ok, store_ok = IDLE, True, True  # the first power_transition sets power_ok
    on_start, cool_until, run_id = -math.inf, -math.inf, -1
    t_end, e_end, s_end, states, reasons, runs, rec_out, dl_out = [], [], [], [], [], [], [], []
    gen_wh = load_wh = curt_wh = closs_wh = unserved_wh = dropped_b = 0.0

    for i in range(len(sunlit)):
        t, b = edges[i], edges[i + 1]
        sunny, ecl_end, dem = sunlit[i], eclipse_end[i], demanded[i]
        rec, down = record_rate[i], downlink_rate[i]
        gen_now = gen if sunny else 0.0
        reserve_slope = 0.0 if sunny else base_slope
        while t < b:
            # state transitions at the start of the step; the floor includes the eclipse
            # reserve: what the bus base load needs until sunrise
            floor = e_min if sunny else e_min + base * (ecl_end - t) / SECONDS_PER_HOUR
            margin = e - floor
            power_ok = power_transition(margin, power_ok, resume_margin)
            store_ok, store_full = storage_transition(s, store_ok, rec, down, s_cap, s_resume)
            state, on_start, cool_until, run_id, store_ok = run_transition(
                state, t, dem, power_ok, store_ok, store_full, on_start, cool_until, run_id, th)
            p_pay = draw_w[state]
            net = gen_now - base - p_pay
            rec_now = rec if state == OPERATING else 0.0
            rate_e = battery_rate_wh_s(e, net, e_max, e_min, eta)
            reasons.append(loss_reason(dem, state, power_ok, store_ok, store_full, t, cool_until))
            # the step ends at the first event ahead
            dt, t = next_event_s(
                t, b, *thermal_waits_s(state, t, dem, on_start, cool_until, th),
                battery_wait_s(e, rate_e, e_max, e_min),
                margin_wait_s(margin, rate_e + reserve_slope, p_pay > 0, power_ok, resume_margin),
                *store_waits_s(s, rec_now - down, s_cap, store_ok, s_resume))
            # exact integration over the step (the float fast path of the tested closed forms)
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
            states.append(state)
            runs.append(run_id)
            rec_out.append(recorded)
            dl_out.append(downlinked)

    state_arr = np.array(states, dtype=np.int8)
    return Steps(
        t_end_s=np.array(t_end), energy_end_wh=np.array(e_end), store_end_bytes=np.array(s_end),
        state=state_arr, loss_reason=np.array(reasons, dtype=np.int8),
        run=np.where(state_arr >= WARMUP, np.array(runs, dtype=np.int64), -1),
        recorded_bytes=np.array(rec_out), downlinked_bytes=np.array(dl_out), energy_start_wh=e0,
        generation_wh=gen_wh, load_wh=load_wh, curtailed_wh=curt_wh, charge_loss_wh=closs_wh,
        unserved_wh=unserved_wh, dropped_bytes=dropped_b, runs=run_id + 1,
    )
