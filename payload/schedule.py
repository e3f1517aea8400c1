"""Operations scheduler: when the size/weight/power-limited payload runs over the span.

The payload cannot run whenever it likes. :func:`schedule_operations` walks the mission
span once, event by event, and decides when it runs within the power, thermal and data
limits of a :class:`SwapBudget`, under one of two policies:

``ground-passes-first``
    Run only for the demand windows (passes over the stations), switching on
    ``warmup_s`` early so that the sources are stable at the window's start; between
    windows the payload idles and the battery recharges for the next pass.
``continuous-onboard``
    Run onboard swapping whenever power, thermal and storage limits allow, all span long;
    the windows are the ground contacts that downlink the data.

Everything is piecewise constant between events (sunrise/sunset, window edges, end of
warm-up, thermal cut-off, end of cool-down, battery full, payload shed at the power floor,
battery back at the resume level, store full or drained), so the battery and the store are
integrated exactly per segment (:func:`payload.power.battery_step`,
:func:`payload.storage.store_step`) and a year takes one pass over a few ten thousand
segments, never a per-second loop.

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
span for ``continuous-onboard``) in which the payload did not operate, each attributed to
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

import numpy as np

from .budget import POLICIES, OperationsPolicy, SwapBudget
from .operations import LIMITS, OperationsTotals, Schedule, Timeline, WindowOperations
from .power import (
    SECONDS_PER_HOUR,
    PowerBudget,
    eclipse_end_after,
    normalize_intervals,
    sunlit_at,
)
from .storage import DataBudget
from .thermal import ThermalLimits

__all__ = ["schedule_operations"]

# payload states on the timeline
OFF, IDLE, WARMUP, OPERATING = 0, 1, 2, 3
# reasons a demanded second was not operated
_NONE, _POWER, _THERMAL, _STORAGE = 0, 1, 2, 3

_TOL_T = 1e-6  # s
_TOL_E = 1e-9  # Wh
_TOL_S = 1e-6  # bytes


def _as_column(values, n: int, name: str, default: float, dtype=float) -> np.ndarray:
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


def schedule_operations(
    budget: SwapBudget,
    span_s: float,
    sunlit_intervals_s,
    windows_s,
    *,
    data_rate_bytes_s=None,
    window_is_contact=None,
    downlink_bytes=None,
    onboard_data_rate_bytes_s: float = 0.0,
    policy: OperationsPolicy | None = None,
) -> Schedule:
    """Decide when the payload runs over the span, within its SWaP budget.

    Parameters
    ----------
    budget : SwapBudget
        Power, thermal and data limits and the default policy.
    span_s : float
        Length of the mission span; times are seconds since its start. [s]
    sunlit_intervals_s : array_like, shape (k, 2)
        ``[start, end)`` intervals in which the satellite is sunlit (from the orbit); use
        :func:`sunlit_intervals_from_samples` for a sampled flag. [s]
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
        Data recorded per second of operation outside every window (``continuous-onboard``
        only). [B/s]
    policy : {"ground-passes-first", "continuous-onboard"}, optional
        Overrides ``budget.policy``.

    Returns
    -------
    Schedule
        Per-window results, operating and run intervals, the integrated timeline, totals.

    Raises
    ------
    ValueError
        On a malformed input (the message names the argument and the value).
    """
    policy = budget.policy if policy is None else policy
    if policy not in POLICIES:
        raise ValueError(f"policy must be 'ground-passes-first' or 'continuous-onboard', got {policy!r}")
    span = float(span_s)
    if not (math.isfinite(span) and span > 0):
        raise ValueError(f"span_s must be finite and > 0, got {span_s!r}")
    if not (math.isfinite(onboard_data_rate_bytes_s) and onboard_data_rate_bytes_s >= 0):
        raise ValueError(f"onboard_data_rate_bytes_s must be >= 0, got {onboard_data_rate_bytes_s!r}")

    pw, th, dat = budget.power, budget.thermal, budget.data
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

    if policy == "ground-passes-first":
        demand = normalize_intervals(np.column_stack([win[:, 0] - th.warmup_s, win[:, 1]]), span)
    else:
        demand = np.array([[0.0, span]])

    edges = np.unique(np.concatenate([[0.0, span], sun.ravel(), win.ravel(), demand.ravel()]))
    edges = edges[(edges >= 0.0) & (edges <= span)]
    nseg = edges.size - 1
    mid = 0.5 * (edges[:-1] + edges[1:])
    seg_sun = sunlit_at(sun, mid)
    seg_ecl_end = eclipse_end_after(sun, mid, span)
    seg_dem = sunlit_at(demand, mid)
    i0 = np.searchsorted(edges, win[:, 0])
    i1 = np.searchsorted(edges, win[:, 1])
    seg_rate = np.zeros(nseg)
    seg_inwin = np.zeros(nseg, dtype=bool)
    for k in np.flatnonzero(i1 > i0):
        sl = slice(i0[k], i1[k])
        np.maximum(seg_rate[sl], rate[k], out=seg_rate[sl])
        seg_inwin[sl] = True
    diff = np.zeros(nseg + 1)
    np.add.at(diff, i0, down_rate)
    np.add.at(diff, i1, -down_rate)
    seg_down = np.cumsum(diff)[:-1]
    seg_down[np.abs(seg_down) <= 1e-9 * max(1.0, float(down_rate.max(initial=0.0)))] = 0.0
    if policy == "continuous-onboard":
        seg_rate[~seg_inwin] = onboard_data_rate_bytes_s
    seg_counted = seg_inwin if policy == "ground-passes-first" else np.ones(nseg, dtype=bool)

    steps = _integrate(
        pw, th, dat, edges, seg_sun.tolist(), seg_ecl_end.tolist(), seg_dem.tolist(),
        seg_rate.tolist(), seg_down.tolist(),
    )
    return _assemble(policy, span, budget, win, contact, steps, seg_counted)


def _integrate(pw: PowerBudget, th: ThermalLimits, dat: DataBudget, edges, seg_sun, seg_ecl_end,
               seg_dem, seg_rate, seg_down) -> dict:
    """The event loop: one pass over the segments, sub-divided at every event."""
    cap = pw.battery_capacity_wh
    e_max, e_min = cap, pw.battery_min_soc * cap
    resume_margin = (pw.battery_resume_soc - pw.battery_min_soc) * cap
    gen, base, eta = pw.solar_generation_w, pw.bus_base_load_w, pw.charge_efficiency
    p_idle, p_warm, p_oper = pw.payload_idle_w, pw.payload_warmup_w, pw.payload_operating_w
    max_on, cooldown, warm = th.max_on_time_s, th.cooldown_s, th.warmup_s
    s_cap = dat.storage_bytes
    s_resume = dat.storage_resume_fraction * s_cap
    base_slope = base / SECONDS_PER_HOUR

    e = pw.battery_initial_soc * cap
    s = 0.0
    state = IDLE
    on_start = -math.inf
    cool_until = -math.inf
    run_id = -1
    store_ok = True
    first_floor = e_min + (0.0 if seg_sun[0] else base * (seg_ecl_end[0] - edges[0]) / SECONDS_PER_HOUR)
    power_ok = e - first_floor > _TOL_E

    t_end, e_end, s_end, st, pay, reason, run, seg_of = [], [], [], [], [], [], [], []
    rec_list, dl_list = [], []
    gen_wh = load_wh = curt_wh = closs_wh = unserved_wh = dropped_b = 0.0

    for i in range(len(seg_sun)):
        t = float(edges[i])
        b = float(edges[i + 1])
        sunny = seg_sun[i]
        gen_now = gen if sunny else 0.0
        ecl_end = seg_ecl_end[i]
        floor_slope = 0.0 if sunny else base_slope
        dem = seg_dem[i]
        rec = seg_rate[i]
        down = seg_down[i]
        while t < b:
            floor = e_min if sunny else e_min + base * (ecl_end - t) / SECONDS_PER_HOUR
            m = e - floor
            if m <= _TOL_E:
                power_ok = False
            elif not power_ok and m >= resume_margin - _TOL_E:
                power_ok = True
            if not store_ok and s <= s_resume + _TOL_S:
                store_ok = True
            store_blocking = rec > down and s >= s_cap - _TOL_S
            # --- transitions of a running payload
            if state >= WARMUP:
                stop = (not dem) or (t >= on_start + max_on - _TOL_T) or (not power_ok)
                if not stop and state == WARMUP and t >= on_start + warm - _TOL_T:
                    state = OPERATING
                if not stop and state == OPERATING and store_blocking:
                    stop = True
                    store_ok = False
                if stop:
                    state = IDLE
                    cool_until = t + cooldown
            # --- start of a run
            if (state == IDLE and dem and power_ok and store_ok and not store_blocking
                    and t >= cool_until - _TOL_T):
                run_id += 1
                on_start = t
                state = WARMUP if warm > _TOL_T else OPERATING
            if state == WARMUP:
                p_pay = p_warm
            elif state == OPERATING:
                p_pay = p_oper
            else:
                p_pay = p_idle if power_ok else 0.0
            net = gen_now - base - p_pay
            # --- next event
            dt = b - t
            if state >= WARMUP:
                x = on_start + max_on - t
                if _TOL_T < x < dt:
                    dt = x
                if state == WARMUP:
                    x = on_start + warm - t
                    if _TOL_T < x < dt:
                        dt = x
            elif dem and t < cool_until:
                x = cool_until - t
                if _TOL_T < x < dt:
                    dt = x
            if net > 0:
                rate_e = eta * net / SECONDS_PER_HOUR if e < e_max - _TOL_E else 0.0
                if rate_e > 0:
                    x = (e_max - e) / rate_e
                    if _TOL_T < x < dt:
                        dt = x
            else:
                rate_e = net / SECONDS_PER_HOUR if e > e_min + _TOL_E else 0.0
                if rate_e < 0:
                    x = (e - e_min) / -rate_e
                    if _TOL_T < x < dt:
                        dt = x
            rate_m = rate_e + floor_slope
            if rate_m < 0 and p_pay > 0 and m > _TOL_E:
                x = m / -rate_m
                if _TOL_T < x < dt:
                    dt = x
            elif not power_ok and rate_m > 0 and m < resume_margin:
                x = (resume_margin - m) / rate_m
                if _TOL_T < x < dt:
                    dt = x
            rec_now = rec if state == OPERATING else 0.0
            net_s = rec_now - down
            if net_s > 0:
                if s < s_cap - _TOL_S:
                    x = (s_cap - s) / net_s
                    if _TOL_T < x < dt:
                        dt = x
            elif net_s < 0 and s > _TOL_S:
                x = s / -net_s
                if _TOL_T < x < dt:
                    dt = x
                if not store_ok and s > s_resume:
                    x = (s - s_resume) / -net_s
                    if _TOL_T < x < dt:
                        dt = x
            t_next = t + dt
            if b - t_next <= _TOL_T:
                dt = b - t
                t_next = b
            # --- loss attribution
            if dem and state != OPERATING:
                if state == WARMUP:
                    why = _THERMAL
                elif not power_ok:
                    why = _POWER
                elif not store_ok or store_blocking:
                    why = _STORAGE
                elif t < cool_until - _TOL_T:
                    why = _THERMAL
                else:
                    why = _POWER
            else:
                why = _NONE
            # --- integrate battery (payload.power.battery_step, scalar form)
            supplied = net * dt / SECONDS_PER_HOUR
            if net > 0:
                room = e_max - e
                stored = min(eta * supplied, room if room > 0 else 0.0)
                taken = stored / eta
                curt_wh += supplied - taken
                closs_wh += taken - stored
            else:
                deepest = e_min - e
                stored = max(supplied, deepest if deepest < 0 else 0.0)
                unserved_wh += stored - supplied
            e += stored
            gen_wh += gen_now * dt / SECONDS_PER_HOUR
            load_wh += (base + p_pay) * dt / SECONDS_PER_HOUR
            # --- integrate store (payload.storage.store_step, scalar form)
            r_b = rec_now * dt
            d_b = down * dt
            dl = min(d_b, s + r_b)
            s_un = s + r_b - dl
            s_new = s_un if s_un < s_cap else s_cap
            dropped_b += s_un - s_new
            s = s_new
            t = t_next
            t_end.append(t)
            e_end.append(e)
            s_end.append(s)
            st.append(state if (state != IDLE or power_ok) else OFF)
            pay.append(p_pay)
            reason.append(why)
            run.append(run_id if state >= WARMUP else -1)
            seg_of.append(i)
            rec_list.append(r_b - (s_un - s_new))
            dl_list.append(dl)

    return {
        "t_end": np.array(t_end), "e_end": np.array(e_end), "s_end": np.array(s_end),
        "state": np.array(st, dtype=np.int8), "payload_w": np.array(pay),
        "reason": np.array(reason, dtype=np.int8), "run": np.array(run, dtype=np.int64),
        "seg": np.array(seg_of, dtype=np.int64), "recorded": np.array(rec_list),
        "downlinked": np.array(dl_list), "e0": pw.battery_initial_soc * cap,
        "sunlit": np.array(seg_sun, dtype=bool)[np.array(seg_of, dtype=np.int64)] if seg_of else np.zeros(0, bool),
        "gen_wh": gen_wh, "load_wh": load_wh, "curt_wh": curt_wh, "closs_wh": closs_wh,
        "unserved_wh": unserved_wh, "dropped_b": dropped_b, "runs": run_id + 1,
    }


def _runs_of(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last index of each run of True in a boolean array."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def _assemble(policy, span, budget, win, contact, steps, seg_counted) -> Schedule:
    cap = budget.power.battery_capacity_wh
    t = np.concatenate([[0.0], steps["t_end"]])
    dt = np.diff(t)
    energy = np.concatenate([[steps["e0"]], steps["e_end"]])
    store = np.concatenate([[0.0], steps["s_end"]])
    state = steps["state"]
    reason = steps["reason"]
    counted = seg_counted[steps["seg"]] if dt.size else np.zeros(0, bool)
    operating = state == OPERATING

    def cum(x):
        return np.concatenate([[0.0], np.cumsum(x)])

    c_oper = cum(dt * operating)
    c_lost = {name: cum(dt * (reason == code)) for name, code in
              (("power", _POWER), ("thermal", _THERMAL), ("storage", _STORAGE))}
    c_pay = cum(steps["payload_w"] * dt / SECONDS_PER_HOUR)
    c_rec = cum(steps["recorded"])
    c_dl = cum(steps["downlinked"])

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
    run_ids = steps["run"]
    if on.any():
        idx = np.flatnonzero(on)
        ids = run_ids[idx]
        first = np.concatenate([[True], ids[1:] != ids[:-1]])
        last = np.concatenate([ids[1:] != ids[:-1], [True]])
        run_intervals = np.column_stack([t[idx[first]], t[idx[last] + 1]])
    else:
        run_intervals = np.empty((0, 2))

    seconds_lost = {name: float(np.sum(dt * (reason == code) * counted)) for name, code in
                    (("power", _POWER), ("thermal", _THERMAL), ("storage", _STORAGE))}
    totals = OperationsTotals(
        operating_hours=float(c_oper[-1] / SECONDS_PER_HOUR), runs=int(steps["runs"]),
        payload_energy_wh=float(c_pay[-1]), generation_wh=steps["gen_wh"], load_wh=steps["load_wh"],
        curtailed_wh=steps["curt_wh"], charge_loss_wh=steps["closs_wh"],
        unserved_wh=steps["unserved_wh"], battery_start_wh=float(energy[0]),
        battery_end_wh=float(energy[-1]), soc_min=float(energy.min() / cap),
        soc_max=float(energy.max() / cap), seconds_lost=seconds_lost,
        recorded_bytes=float(c_rec[-1]), downlinked_bytes=float(c_dl[-1]),
        store_end_bytes=float(store[-1]), dropped_bytes=steps["dropped_b"],
    )
    timeline = Timeline(t_s=t, energy_wh=energy, store_bytes=store, state=state,
                        payload_w=steps["payload_w"], sunlit=steps["sunlit"], loss_reason=reason)
    return Schedule(policy=policy, span_s=span, budget=budget, windows=windows,
                    operating_intervals_s=operating_intervals, run_intervals_s=run_intervals,
                    timeline=timeline, totals=totals)
