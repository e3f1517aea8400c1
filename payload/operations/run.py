"""Operations scheduler: when the size/weight/power-limited payload runs over the span.

The payload cannot run whenever it likes. :func:`run_operations` walks the mission
span once, event by event, and decides when it runs within the power, thermal and data
limits of a :class:`SwapBudget`, under one of three operating rules (the payload mode chooses one
unless the budget names it: :attr:`payload.modes.PayloadMode.operating_rule`):

``ground-passes-first``
    Run only for the demand windows (passes over the stations), switching on
    ``warmup_s`` early so that the sources are stable at the window's start; between
    windows the payload idles and the battery recharges for the next pass.
``continuous-onboard``
    Run onboard swapping whenever power, thermal and storage limits allow, all span long;
    the windows are the ground contacts that downlink the data.
``eclipse-onboard``
    As ``continuous-onboard``, but only while the satellite is in the Earth's shadow (for a
    payload whose onboard detectors would see stray sunlight); the contacts downlink the data
    whether sunlit or not.

Everything is piecewise constant between events (sunrise/sunset, window edges, end of
warm-up, thermal cut-off, end of cool-down, battery full, payload shed at the power floor,
battery back at the resume level, store full or drained), so the battery and the store are
integrated exactly per piece (:func:`payload.power.battery_step`,
:func:`payload.storage.store_step`) and a year takes one pass over a few ten thousand
pieces, never a per-second loop. This module validates the inputs, cuts the span into
pieces and assembles the results; the event loop is :mod:`payload.operations.eventloop`, the rules it
applies at each event are :mod:`payload.operations.transitions` (power, storage and thermal state
transitions, loss attribution) and :mod:`payload.operations.events` (the next event). The settings are
:class:`payload.budget.SwapBudget`, the results :mod:`payload.operations`.

Power rule. The battery never goes below ``battery_min_soc``. The payload may draw only
while the battery holds more than that floor *plus* what the bus base load still needs to
reach the next sunrise (the eclipse reserve). When it reaches that line the payload is
shed (off, 0 W) and stays off until the margin above the line is back to
``battery_resume_soc - battery_min_soc``.

Thermal rule. See :mod:`payload.thermal`: a run lasts at most ``max_on_time_s`` (warm-up
included) and is followed by at least ``cooldown_s`` off, whatever ended it.

Storage rule. See :mod:`payload.storage`: when the store is full and recording outpaces the
downlink, the payload stops; it may start again once the store has drained to
``storage_resume_fraction`` of its size.

Lost seconds are the demanded seconds (inside windows for ``ground-passes-first``, the whole
span for ``continuous-onboard``, the eclipses for ``eclipse-onboard``: :data:`RULES`) in which the
payload did not operate, each attributed to
the limit that kept it off: ``thermal`` (warming up, or cooling down after a run),
``power`` (shed or below the resume level) or ``storage`` (store full).

References
----------
.. [1] Wertz, J. R., Everett, D. F., Puschell, J. J. (eds.), *Space Mission Engineering:
   The New SMAD*, Microcosm Press (2011), ch. 21 (power budget over sunlit and eclipse
   arcs, battery depth of discharge).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..budget import OperatingRule, SwapBudget
from ..power import (
    SECONDS_PER_HOUR,
    eclipse_end_after,
    normalize_intervals,
    sunlit_at,
)
from .eventloop import Pieces, run_event_loop
from .results import LIMITS, OperationsRun, OperationsTotals, Timeline, WindowOperations
from .transitions import (
    LOST_POWER,
    LOST_STORAGE,
    LOST_THERMAL,
    OPERATING,
    WARMUP,
    payload_draw_by_state_w,
)

__all__ = ["RULES", "Rule", "run_operations"]

_LOSS_CODES = (("power", LOST_POWER), ("thermal", LOST_THERMAL), ("storage", LOST_STORAGE))


@dataclass(frozen=True)
class Rule:
    """What an operating rule asks of the payload.

    Attributes
    ----------
    demand_whole_span : bool
        The payload is wanted all span long (False: only in the windows, from ``warmup_s`` before
        each so that the sources are stable when it opens).
    records_outside_windows : bool
        Operating outside every window records data (``onboard_data_rate_bytes_s``): the payload
        swaps on board between contacts, which only carry the records down.
    eclipse_only : bool
        The payload is wanted only in the Earth's shadow.
    """

    demand_whole_span: bool
    records_outside_windows: bool
    eclipse_only: bool = False


#: Each operating rule (:data:`payload.budget.OperatingRule`) as what it asks of the payload.
RULES: dict[str, Rule] = {
    "ground-passes-first": Rule(demand_whole_span=False, records_outside_windows=False),
    "continuous-onboard": Rule(demand_whole_span=True, records_outside_windows=True),
    "eclipse-onboard": Rule(demand_whole_span=True, records_outside_windows=True, eclipse_only=True),
}


def _as_column(values, n: int, name: str, default: float, dtype=float) -> np.ndarray:
    """A per-window input as a column of ``n`` values (a scalar is repeated); names the field on error."""
    if values is None:
        return np.full(n, default, dtype=dtype)
    arr = np.asarray(values, dtype=dtype)
    if arr.ndim == 0:
        arr = np.full(n, arr.item(), dtype=dtype)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {arr.shape}")
    if dtype is float and (not np.all(np.isfinite(arr)) or np.any(arr < 0)):
        i = int(np.flatnonzero(~np.isfinite(arr) | (arr < 0))[0])
        raise ValueError(f"{name}[{i}] must be finite and >= 0, got {arr[i]}")
    return arr


def run_operations(
    budget: SwapBudget,
    span_s: float,
    sunlit_intervals_s,
    windows_s,
    *,
    data_rate_bytes_s=None,
    window_is_contact=None,
    downlink_bytes=None,
    onboard_data_rate_bytes_s: float = 0.0,
    rule: OperatingRule | None = None,
) -> OperationsRun:
    """Decide when the payload runs over the span, within its SWaP budget.

    Parameters
    ----------
    budget : SwapBudget
        Power, thermal and data limits, and the operating rule if it names one.
    span_s : float
        Length of the mission span; times are seconds since its start. [s]
    sunlit_intervals_s : array_like, shape (k, 2)
        ``[start, end)`` intervals in which the satellite is sunlit (from the orbit); use
        :func:`payload.power.sunlit_intervals_from_samples` for a sampled flag. [s]
    windows_s : array_like, shape (n, 2)
        ``[start, end)`` of each usable window (a station pass, a common-view window, or a
        ground contact). Windows may overlap. [s]
    data_rate_bytes_s : array_like, shape (n,), optional
        Data recorded per second of operation inside each window (from the swap model's
        event and swap rates, :func:`payload.storage.recorded_data_rate_bytes_s`); where
        windows overlap the largest applies. Default 0. [B/s]
    window_is_contact : array_like of bool, shape (n,), optional
        Whether each window is a ground contact that downlinks data; default all True.
    downlink_bytes : array_like, shape (n,), optional
        Downlink capacity of each window, spread evenly over it; default
        ``downlink_rate_bps / 8 * duration`` for contacts, 0 otherwise. [B]
    onboard_data_rate_bytes_s : float
        Data recorded per second of operation outside every window (the rules that swap between
        contacts: ``continuous-onboard`` and ``eclipse-onboard``). [B/s]
    rule : {"ground-passes-first", "continuous-onboard", "eclipse-onboard"}, optional
        The operating rule (:data:`RULES`); default ``budget.operating_rule``. One of the two must
        name it (the planner passes the payload mode's when the budget leaves it open).

    Returns
    -------
    OperationsRun
        Per-window results, operating and run intervals, the integrated timeline, totals.

    Raises
    ------
    ValueError
        On a malformed input (the message names the argument and the value).
    """
    rule = budget.operating_rule if rule is None else rule
    if rule is None:
        raise ValueError("rule: the budget leaves the operating rule to the payload mode; give rule= "
                         "(payload.modes.PayloadMode.operating_rule)")
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    span = float(span_s)
    if not (math.isfinite(span) and span > 0):
        raise ValueError(f"span_s must be finite and > 0, got {span_s!r}")
    if not (math.isfinite(onboard_data_rate_bytes_s) and onboard_data_rate_bytes_s >= 0):
        raise ValueError(f"onboard_data_rate_bytes_s must be >= 0, got {onboard_data_rate_bytes_s!r}")

    th, dat = budget.thermal, budget.data
    sun = normalize_intervals(sunlit_intervals_s, span, "sunlit_intervals_s")

    win = np.asarray(windows_s, dtype=float)
    if win.size == 0:
        win = np.empty((0, 2))
    if win.ndim != 2 or win.shape[1] != 2:
        raise ValueError(f"windows_s must have shape (n, 2), got {np.shape(windows_s)}")
    if not np.all(np.isfinite(win)):
        raise ValueError("windows_s contains a non-finite value")
    if np.any(win[:, 1] < win[:, 0]):
        i = int(np.argmax(win[:, 1] < win[:, 0]))
        raise ValueError(f"windows_s[{i}] ends before it starts: {win[i].tolist()}")
    win = np.clip(win, 0.0, span)
    n = win.shape[0]
    rate = _as_column(data_rate_bytes_s, n, "data_rate_bytes_s", 0.0)
    contact = _as_column(window_is_contact, n, "window_is_contact", True, dtype=bool)
    duration = win[:, 1] - win[:, 0]
    if downlink_bytes is None:
        down_cap = dat.downlink_rate_bps / 8.0 * duration * contact
    else:
        down_cap = _as_column(downlink_bytes, n, "downlink_bytes", 0.0)
    down_rate = np.divide(down_cap, duration, out=np.zeros(n), where=duration > 0)

    pieces, counted = _pieces(RULES[rule], span, sun, win, rate, down_rate, th.warmup_s,
                              float(onboard_data_rate_bytes_s))
    steps = run_event_loop(budget, pieces)
    return _assemble(rule, span, budget, win, contact, pieces, counted, steps)


def _pieces(rule: Rule, span, sun, win, rate, down_rate, warmup_s, onboard_rate) -> tuple[Pieces, np.ndarray]:
    """Cut the span at every sunlight, window and demand edge; per-piece constants.

    Returns the :class:`payload.operations.eventloop.Pieces` and, per piece, whether its lost seconds
    count in the totals: inside a window for a rule that serves the windows, in demanded time
    otherwise (all span long, or its eclipses).
    """
    if rule.demand_whole_span:
        demand = np.array([[0.0, span]])
    else:
        demand = normalize_intervals(np.column_stack([win[:, 0] - warmup_s, win[:, 1]]), span)
    edges = np.unique(np.concatenate([[0.0, span], sun.ravel(), win.ravel(), demand.ravel()]))
    edges = edges[(edges >= 0.0) & (edges <= span)]
    nseg = edges.size - 1
    mid = 0.5 * (edges[:-1] + edges[1:])
    i0 = np.searchsorted(edges, win[:, 0])
    i1 = np.searchsorted(edges, win[:, 1])
    # pieces covered by each window, all windows at once; the largest rate applies
    covered = np.maximum(i1 - i0, 0)
    seg_of_cover = np.repeat(i0 - np.cumsum(covered) + covered, covered) + np.arange(int(covered.sum()))
    seg_rate = np.zeros(nseg)
    np.maximum.at(seg_rate, seg_of_cover, np.repeat(rate, covered))
    seg_inwin = np.zeros(nseg, dtype=bool)
    seg_inwin[seg_of_cover] = True
    diff = np.zeros(nseg + 1)
    np.add.at(diff, i0, down_rate)
    np.add.at(diff, i1, -down_rate)
    seg_down = np.cumsum(diff)[:-1]
    seg_down[np.abs(seg_down) <= 1e-9 * max(1.0, float(down_rate.max(initial=0.0)))] = 0.0
    sunlit = sunlit_at(sun, mid)
    demanded = sunlit_at(demand, mid)
    if rule.eclipse_only:
        demanded &= ~sunlit
    if rule.records_outside_windows:
        seg_rate[~seg_inwin] = onboard_rate
    counted = demanded if rule.demand_whole_span else seg_inwin
    pieces = Pieces(edges_s=edges, sunlit=sunlit, eclipse_end_s=eclipse_end_after(sun, mid, span),
                    demanded=demanded, record_rate_bytes_s=seg_rate, downlink_rate_bytes_s=seg_down)
    return pieces, counted


def _runs_of(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last index of each run of True in a boolean array."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def _assemble(rule, span, budget, win, contact, pieces, piece_counted, steps) -> OperationsRun:
    """Per-window results, intervals, timeline and totals from the integrated steps."""
    cap = budget.power.battery_capacity_wh
    t = np.concatenate([[0.0], steps.t_end_s])
    dt = np.diff(t)
    energy = np.concatenate([[steps.energy_start_wh], steps.energy_end_wh])
    store = np.concatenate([[0.0], steps.store_end_bytes])
    state = steps.state
    reason = steps.loss_reason
    payload_w = np.array(payload_draw_by_state_w(budget.power))[state]
    seg = np.searchsorted(pieces.edges_s, t[:-1], side="right") - 1  # steps start inside their piece
    counted = piece_counted[seg]
    operating = state == OPERATING

    def cum(x):
        return np.concatenate([[0.0], np.cumsum(x)])

    c_oper = cum(dt * operating)
    c_lost = {name: cum(dt * (reason == code)) for name, code in _LOSS_CODES}
    c_pay = cum(payload_w * dt / SECONDS_PER_HOUR)
    c_rec = cum(steps.recorded_bytes)
    c_dl = cum(steps.downlinked_bytes)

    a, b = win[:, 0], win[:, 1]

    def over(c):
        return np.interp(b, t, c) - np.interp(a, t, c)

    lost = {k: np.maximum(over(v), 0.0) for k, v in c_lost.items()}
    stack = np.column_stack([lost["power"], lost["thermal"], lost["storage"]])
    names = np.array(LIMITS)
    limited = np.where(stack.max(axis=1, initial=0.0) > 1e-6,
                       names[np.argmax(stack, axis=1)] if stack.size else names[:0],
                       "none") if win.shape[0] else np.array([], dtype=str)
    windows = WindowOperations(
        start_s=a.copy(), end_s=b.copy(), is_contact=contact.copy(),
        operating_s=np.maximum(over(c_oper), 0.0), energy_wh=np.maximum(over(c_pay), 0.0),
        battery_soc_start=np.interp(a, t, energy) / cap, battery_soc_end=np.interp(b, t, energy) / cap,
        seconds_lost_power=lost["power"], seconds_lost_thermal=lost["thermal"],
        seconds_lost_storage=lost["storage"], limited_by=np.asarray(limited, dtype=str),
        recorded_bytes=np.maximum(over(c_rec), 0.0), downlinked_bytes=np.maximum(over(c_dl), 0.0),
        store_bytes_start=np.interp(a, t, store), store_bytes_end=np.interp(b, t, store),
    )

    s0, s1 = _runs_of(operating)
    operating_intervals = np.column_stack([t[s0], t[s1]]) if s0.size else np.empty((0, 2))
    on = state >= WARMUP
    run_ids = steps.run
    if on.any():
        idx = np.flatnonzero(on)
        ids = run_ids[idx]
        first = np.concatenate([[True], ids[1:] != ids[:-1]])
        last = np.concatenate([ids[1:] != ids[:-1], [True]])
        run_intervals = np.column_stack([t[idx[first]], t[idx[last] + 1]])
    else:
        run_intervals = np.empty((0, 2))

    seconds_lost = {name: float(np.sum(dt * (reason == code) * counted)) for name, code in _LOSS_CODES}
    totals = OperationsTotals(
        operating_hours=float(c_oper[-1] / SECONDS_PER_HOUR), runs=int(steps.runs),
        payload_energy_wh=float(c_pay[-1]), generation_wh=steps.generation_wh, load_wh=steps.load_wh,
        curtailed_wh=steps.curtailed_wh, charge_loss_wh=steps.charge_loss_wh,
        unserved_wh=steps.unserved_wh, battery_start_wh=float(energy[0]),
        battery_end_wh=float(energy[-1]), soc_min=float(energy.min() / cap),
        soc_max=float(energy.max() / cap), seconds_lost=seconds_lost,
        recorded_bytes=float(c_rec[-1]), downlinked_bytes=float(c_dl[-1]),
        store_end_bytes=float(store[-1]), dropped_bytes=steps.dropped_bytes,
    )
    timeline = Timeline(t_s=t, energy_wh=energy, store_bytes=store, state=state,
                        payload_w=payload_w, sunlit=pieces.sunlit[seg], loss_reason=reason)
    return OperationsRun(operating_rule=rule, span_s=span, budget=budget, windows=windows,
                    operating_intervals_s=operating_intervals, run_intervals_s=run_intervals,
                    timeline=timeline, totals=totals)
