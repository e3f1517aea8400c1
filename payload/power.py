"""Electrical power budget of the payload and its bus: sunlight, battery, loads.

The battery is a single energy reservoir between a state-of-charge floor and full charge,
charged by the solar array through a charge efficiency and discharged at unit efficiency
(the round-trip loss is lumped into the charge efficiency). Power is piecewise constant
between events, so every quantity here is integrated exactly over a piece in closed form;
no per-second stepping is ever needed.

Energy identity kept by :func:`battery_step` (and therefore by the scheduler over any span)::

    generation - loads + unserved = delta_battery + curtailed + charge_loss

where ``unserved`` is load the battery could not carry at its floor (a bus-sizing fault,
zero in any sane budget), ``curtailed`` is array power thrown away at full charge and
``charge_loss`` is the part of the charging power lost to the charge efficiency.

References
----------
.. [1] Knap, V., Vestergaard, L. K., Stroe, D.-I., "A Review of Battery Technology in
   CubeSats and Small Satellite Solutions", Energies 13, 4097 (2020).
   https://doi.org/10.3390/en13164097
.. [2] Wertz, J. R., Everett, D. F., Puschell, J. J. (eds.), *Space Mission Engineering:
   The New SMAD*, Microcosm Press (2011), ch. 21 (power: array sized for the sunlit arc,
   battery for the eclipse, depth-of-discharge limit).
"""
from __future__ import annotations

import dataclasses
from typing import Annotated, Literal

import numpy as np
from annotated_types import Ge, Gt, Interval, Le

__all__ = [
    "PowerBudget",
    "SECONDS_PER_HOUR",
    "battery_step",
    "normalize_intervals",
    "sunlit_at",
    "eclipse_end_after",
    "sunlit_intervals_from_samples",
]

SECONDS_PER_HOUR = 3600.0


#: Largest power any term of the budget may take: 1 MW, ten times the ISS's arrays. [W]
MAX_POWER_W = 1e6


@dataclasses.dataclass(frozen=True)
class PowerBudget:
    """Power draw of the payload by state, bus generation and load, battery.

    Fields
    ------
    payload_standby_w
        Payload draw when idle between runs (electronics and thermal control on, sources
        off); assumption 5 W. [W]
    payload_warmup_w
        Payload draw while the sources warm up to a stable temperature and the detectors
        cool (sources on, no swaps yet); assumption 35 W. [W]
    payload_operating_w
        Payload draw while operating (sources stable, detectors cooled, swapping and time
        tagging); 45 W, Boeing's stated "~45 W draw" for the Q4S payload, reported second-hand
        (:mod:`payload.profile`). [W]
    idle_state
        What the payload does between runs: ``"standby"`` (draws ``payload_standby_w``) or
        ``"off"`` (draws nothing); assumption ``"standby"``. [-]
    bus_base_load_w
        Bus platform load that is always on (avionics, attitude control, radios in
        receive); assumption 30 W for an ESPA-class microsatellite. [W]
    solar_generation_w
        Array output while sunlit, averaged over the sunlit arc (attitude and cosine losses
        included); assumption 140 W. [W]
    battery_capacity_wh
        Usable nameplate battery energy at full charge; assumption 250 Wh. [Wh]
    battery_min_soc
        State-of-charge floor (depth-of-discharge limit for cycle life, [1]): the battery is
        never drawn below it; the payload is shed before the bus would need it. Assumption
        0.7 (30 % depth of discharge). [-]
    battery_resume_soc
        Hysteresis: after the payload was shed for power it may start again only when the
        state of charge (above the eclipse reserve) reaches this level; assumption 0.8. [-]
    battery_initial_soc
        State of charge at the start of the span; assumption 1.0. [-]
    charge_efficiency
        Fraction of the array's surplus power that ends up stored (round-trip battery loss
        lumped here); assumption 0.9. [-]
    """

    payload_standby_w: Annotated[float, Ge(0), Le(MAX_POWER_W)] = 5.0
    payload_warmup_w: Annotated[float, Ge(0), Le(MAX_POWER_W)] = 35.0
    payload_operating_w: Annotated[float, Ge(0), Le(MAX_POWER_W)] = 45.0
    idle_state: Literal["standby", "off"] = "standby"
    bus_base_load_w: Annotated[float, Ge(0), Le(MAX_POWER_W)] = 30.0
    solar_generation_w: Annotated[float, Ge(0), Le(MAX_POWER_W)] = 140.0
    battery_capacity_wh: Annotated[float, Gt(0), Le(MAX_POWER_W * 24.0)] = 250.0
    battery_min_soc: Annotated[float, Interval(ge=0, lt=1)] = 0.7
    battery_resume_soc: Annotated[float, Interval(gt=0, le=1)] = 0.8
    battery_initial_soc: Annotated[float, Interval(ge=0, le=1)] = 1.0
    charge_efficiency: Annotated[float, Interval(gt=0, le=1)] = 0.9

    __pydantic_config__ = {"extra": "forbid", "allow_inf_nan": False}

    def __post_init__(self) -> None:
        if not self.battery_resume_soc > self.battery_min_soc:
            raise ValueError(
                f"battery_resume_soc={self.battery_resume_soc} must exceed "
                f"battery_min_soc={self.battery_min_soc}"
            )
        if self.battery_initial_soc < self.battery_min_soc:
            raise ValueError(
                f"battery_initial_soc={self.battery_initial_soc} is below "
                f"battery_min_soc={self.battery_min_soc}"
            )

    @property
    def payload_idle_w(self) -> float:
        """Payload draw between runs, from ``idle_state``. [W]"""
        return self.payload_standby_w if self.idle_state == "standby" else 0.0


def battery_step(energy_wh, net_power_w, duration_s, capacity_wh, floor_wh, charge_efficiency):
    """Integrate the battery over a piece of constant net power, in closed form.

    One rule, two ways in: with Python floats for the first three arguments (what the
    scheduler's event loop passes, once per event) the rule runs directly on the floats and
    returns floats; with anything else (arrays, numpy scalars, ints) the same rule is applied
    element by element with numpy broadcasting and returns arrays. There is no second copy.

    Parameters
    ----------
    energy_wh : float or array_like
        Stored energy at the start of the piece. [Wh]
    net_power_w : float or array_like
        Generation minus all loads over the piece (positive charges). [W]
    duration_s : float or array_like
        Piece length, >= 0. [s]
    capacity_wh : float or array_like
        Energy at full charge. [Wh]
    floor_wh : float or array_like
        Energy floor the battery is never drawn below. [Wh]
    charge_efficiency : float or array_like
        Fraction of surplus power stored, > 0. [-]

    Returns
    -------
    energy_end_wh, curtailed_wh, charge_loss_wh, unserved_wh : float or ndarray
        Energy at the end, array energy curtailed at full charge, energy lost to the charge
        efficiency, and load energy the battery could not supply at its floor. [Wh]

    Notes
    -----
    Charging: E' = eta * P until E = capacity, the rest curtailed. Discharging: E' = P
    until E = floor, the rest unserved. The identity
    ``P*dt/3600 + unserved = (E_end - E) + curtailed + charge_loss`` holds exactly (energy
    balance of a direct-energy-transfer bus, ch. 21 of the New SMAD in the module
    references).
    """
    if not (type(energy_wh) is float and type(net_power_w) is float and type(duration_s) is float):
        args = [np.asarray(x, dtype=float) for x in
                (energy_wh, net_power_w, duration_s, capacity_wh, floor_wh, charge_efficiency)]
        return tuple(np.asarray(x, dtype=float) for x in _battery_step_elementwise(*args))
    # floats: conditional expressions rather than min()/max(), which cost ~0.1 us a call here
    supplied_wh = net_power_w * duration_s / SECONDS_PER_HOUR
    if net_power_w > 0:
        # charging at eta * P into the headroom; what does not fit is curtailed
        headroom_wh = capacity_wh - energy_wh if capacity_wh - energy_wh > 0 else 0.0
        offered_wh = charge_efficiency * supplied_wh
        stored_wh = headroom_wh if headroom_wh < offered_wh else offered_wh
        taken_from_array_wh = stored_wh / charge_efficiency
        return (energy_wh + stored_wh, supplied_wh - taken_from_array_wh,
                taken_from_array_wh - stored_wh, 0.0)
    # discharging at P down to the floor; what the floor refuses is unserved
    deepest_wh = floor_wh - energy_wh if floor_wh - energy_wh < 0 else 0.0
    drawn_wh = deepest_wh if deepest_wh > supplied_wh else supplied_wh
    return energy_wh + drawn_wh, 0.0, 0.0, drawn_wh - supplied_wh


#: :func:`battery_step` applied element by element with numpy broadcasting (its array path).
_battery_step_elementwise = np.frompyfunc(battery_step, 6, 4)


def normalize_intervals(intervals_s, span_s: float, name: str = "intervals_s") -> np.ndarray:
    """Sort, clip to ``[0, span_s)`` and merge overlapping ``[start, end)`` intervals.

    Parameters
    ----------
    intervals_s : array_like, shape (k, 2)
        Intervals as ``[start, end)`` rows. [s]
    span_s : float
        Length of the span. [s]
    name : str
        Field name used in the error message.

    Returns
    -------
    ndarray, shape (m, 2)
        Disjoint, sorted, non-empty intervals inside the span. [s]
    """
    arr = np.asarray(intervals_s, dtype=float).reshape(-1, 2) if np.size(intervals_s) else np.empty((0, 2))
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must have shape (k, 2), got {np.shape(intervals_s)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains a non-finite value")
    if np.any(arr[:, 1] < arr[:, 0]):
        i = int(np.argmax(arr[:, 1] < arr[:, 0]))
        raise ValueError(f"{name}[{i}] ends before it starts: {arr[i].tolist()}")
    arr = np.clip(arr, 0.0, span_s)
    arr = arr[arr[:, 1] > arr[:, 0]]
    if arr.shape[0] == 0:
        return np.empty((0, 2))
    arr = arr[np.argsort(arr[:, 0], kind="stable")]
    # merge: a new group starts where the start exceeds the running maximum end
    run_end = np.maximum.accumulate(arr[:, 1])
    new_group = np.empty(arr.shape[0], dtype=bool)
    new_group[0] = True
    new_group[1:] = arr[1:, 0] > run_end[:-1]
    starts = arr[new_group, 0]
    group_id = np.cumsum(new_group) - 1
    ends = np.zeros(starts.size)
    np.maximum.at(ends, group_id, arr[:, 1])
    return np.column_stack([starts, ends])


def sunlit_at(sunlit_intervals_s: np.ndarray, t_s) -> np.ndarray:
    """Whether each time lies in a sunlit interval.

    Parameters
    ----------
    sunlit_intervals_s : ndarray, shape (k, 2)
        Disjoint sorted sunlit ``[start, end)`` intervals (see :func:`normalize_intervals`). [s]
    t_s : array_like
        Times. [s]

    Returns
    -------
    ndarray of bool
    """
    t = np.asarray(t_s, dtype=float)
    if sunlit_intervals_s.shape[0] == 0:
        return np.zeros(t.shape, dtype=bool)
    i = np.searchsorted(sunlit_intervals_s[:, 0], t, side="right") - 1
    ok = i >= 0
    ic = np.clip(i, 0, None)
    return ok & (t < sunlit_intervals_s[ic, 1])


def eclipse_end_after(sunlit_intervals_s: np.ndarray, t_s, span_s: float) -> np.ndarray:
    """Start of the next sunlit interval at or after each time (``span_s`` if none).

    Parameters
    ----------
    sunlit_intervals_s : ndarray, shape (k, 2)
        Disjoint sorted sunlit intervals. [s]
    t_s : array_like
        Times. [s]
    span_s : float
        End of the span, returned where no sunlight follows. [s]

    Returns
    -------
    ndarray
        Time of the next sunrise. [s]
    """
    t = np.asarray(t_s, dtype=float)
    starts = sunlit_intervals_s[:, 0]
    j = np.searchsorted(starts, t, side="left")
    padded = np.append(starts, span_s)
    return padded[j]


def sunlit_intervals_from_samples(t_s, sunlit) -> np.ndarray:
    """Sunlit ``[start, end)`` intervals from a sampled sunlit flag.

    Each sample's flag is held until the next sample; the last sample holds for one step.

    Parameters
    ----------
    t_s : array_like, shape (n,)
        Increasing sample times. [s]
    sunlit : array_like of bool, shape (n,)
        Sunlit flag per sample.

    Returns
    -------
    ndarray, shape (k, 2)
        Sunlit intervals. [s]
    """
    t = np.asarray(t_s, dtype=float)
    flag = np.asarray(sunlit, dtype=bool)
    if t.size == 0:
        return np.empty((0, 2))
    step = t[-1] - t[-2] if t.size > 1 else 1.0
    edges = np.append(t, t[-1] + step)
    change = np.flatnonzero(np.diff(np.concatenate([[False], flag, [False]]).astype(np.int8)))
    starts, ends = change[0::2], change[1::2]
    return np.column_stack([edges[starts], edges[ends]])
