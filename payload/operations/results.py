"""What the SWaP duty scheduler returns: per-window results, the integrated timeline, year
totals, and the query the planner asks of them (which sample times were operated). See
:mod:`payload.operations.run` for how a run is made.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from ..budget import SwapBudget

LIMITS = ("power", "thermal", "storage")


@dataclasses.dataclass(frozen=True, eq=False)
class WindowOperations:
    """What happened in each demand window, as columns (one entry per window, input order).

    Fields
    ------
    start_s, end_s : ndarray
        Window edges (clipped to the span). [s]
    is_contact : ndarray of bool
        Whether the window is a ground contact that downlinks data.
    operating_s : ndarray
        Seconds of the window in which the payload operated. [s]
    energy_wh : ndarray
        Payload energy drawn inside the window (all states). [Wh]
    battery_soc_start, battery_soc_end : ndarray
        Battery state of charge at the window's edges. [-]
    seconds_lost_power, seconds_lost_thermal, seconds_lost_storage : ndarray
        Seconds of the window not operated, by the limit that kept the payload off. [s]
    limited_by : ndarray of str
        The limit that cost the most seconds, or ``"none"``.
    recorded_bytes, downlinked_bytes : ndarray
        Data written to and sent down from the store during the window. [B]
    store_bytes_start, store_bytes_end : ndarray
        Data held in the store at the window's edges. [B]
    """

    start_s: np.ndarray
    end_s: np.ndarray
    is_contact: np.ndarray
    operating_s: np.ndarray
    energy_wh: np.ndarray
    battery_soc_start: np.ndarray
    battery_soc_end: np.ndarray
    seconds_lost_power: np.ndarray
    seconds_lost_thermal: np.ndarray
    seconds_lost_storage: np.ndarray
    limited_by: np.ndarray
    recorded_bytes: np.ndarray
    downlinked_bytes: np.ndarray
    store_bytes_start: np.ndarray
    store_bytes_end: np.ndarray

    def __len__(self) -> int:
        return int(self.start_s.size)

    def seconds_lost(self, index: int) -> dict:
        """Seconds lost in one window, by limit: ``{"power", "thermal", "storage"}``. [s]"""
        return {
            "power": float(self.seconds_lost_power[index]),
            "thermal": float(self.seconds_lost_thermal[index]),
            "storage": float(self.seconds_lost_storage[index]),
        }

    def as_columns(self) -> dict:
        """All fields as a dict of equal-length arrays (ready for ``pandas.DataFrame``)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclasses.dataclass(frozen=True)
class OperationsTotals:
    """Totals over the span.

    Fields
    ------
    operating_hours
        Time the payload operated (swapping). [h]
    runs
        Number of payload runs (switch-ons). [-]
    payload_energy_wh
        Energy drawn by the payload in all states. [Wh]
    generation_wh
        Array energy available while sunlit. [Wh]
    load_wh
        Energy demanded by bus base load and payload. [Wh]
    curtailed_wh
        Array energy thrown away at full battery. [Wh]
    charge_loss_wh
        Energy lost to the charge efficiency. [Wh]
    unserved_wh
        Bus load the battery could not carry at its floor (a bus-sizing fault; 0 normally). [Wh]
    battery_start_wh, battery_end_wh
        Stored energy at the span's edges. [Wh]
    soc_min, soc_max
        Extremes of the battery state of charge. [-]
    seconds_lost
        Demanded seconds not operated, by limit ``{"power", "thermal", "storage"}``. [s]
    recorded_bytes, downlinked_bytes, store_end_bytes
        Data written, sent down, and still held at the end. [B]
    dropped_bytes
        Data offered for recording that did not fit (rounding only). [B]
    """

    operating_hours: float
    runs: int
    payload_energy_wh: float
    generation_wh: float
    load_wh: float
    curtailed_wh: float
    charge_loss_wh: float
    unserved_wh: float
    battery_start_wh: float
    battery_end_wh: float
    soc_min: float
    soc_max: float
    seconds_lost: dict
    recorded_bytes: float
    downlinked_bytes: float
    store_end_bytes: float
    dropped_bytes: float

    def as_summary(self) -> dict:
        """JSON-able dict for the summary's ``operations`` section."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["seconds_lost"] = {k: float(v) for k, v in self.seconds_lost.items()}
        return {k: (v if isinstance(v, dict) else (int(v) if k == "runs" else float(v)))
                for k, v in out.items()}


@dataclasses.dataclass(frozen=True, eq=False)
class Timeline:
    """The event-driven pieces of a run.

    Fields
    ------
    t_s : ndarray, shape (k+1,)
        Piece edges. [s]
    energy_wh, store_bytes : ndarray, shape (k+1,)
        Battery energy and store content at the edges (linear in between). [Wh], [B]
    state : ndarray of int8, shape (k,)
        Payload state per piece: 0 off (shed), 1 idle, 2 warm-up, 3 operating.
    payload_w : ndarray, shape (k,)
        Payload draw per piece. [W]
    sunlit : ndarray of bool, shape (k,)
        Whether the array generates in the piece.
    loss_reason : ndarray of int8, shape (k,)
        Why a demanded piece was not operated: 0 not lost, 1 power, 2 thermal, 3 storage.
    """

    t_s: np.ndarray
    energy_wh: np.ndarray
    store_bytes: np.ndarray
    state: np.ndarray
    payload_w: np.ndarray
    sunlit: np.ndarray
    loss_reason: np.ndarray


@dataclasses.dataclass(frozen=True, eq=False)
class OperationsRun:
    """Result of :func:`payload.operations.run.run_operations`.

    Fields
    ------
    operating_rule : str
        The operating rule used (:data:`payload.operations.run.RULES`).
    span_s : float
        Length of the span. [s]
    budget : SwapBudget
        The budget used.
    windows : WindowOperations
        Per-window results (input order).
    operating_intervals_s : ndarray, shape (m, 2)
        Disjoint sorted ``[start, end)`` in which the payload operated (swapping). [s]
    run_intervals_s : ndarray, shape (r, 2)
        Each run from switch-on (warm-up) to switch-off. [s]
    timeline : Timeline
        The integrated pieces.
    totals : OperationsTotals
        Totals over the span.
    """

    operating_rule: str
    span_s: float
    budget: SwapBudget
    windows: WindowOperations
    operating_intervals_s: np.ndarray
    run_intervals_s: np.ndarray
    timeline: Timeline
    totals: OperationsTotals


def operated_mask(run: OperationsRun, window_index: int | None, sample_times_s) -> np.ndarray:
    """Which sample times of a window fall in operated seconds.

    Parameters
    ----------
    run : OperationsRun
        The scheduler's result.
    window_index : int or None
        Index of the window (input order); ``None`` for any time of the span.
    sample_times_s : array_like
        Sample times since the span start. [s]

    Returns
    -------
    ndarray of bool
        True where the payload was operating (and, with a window index, inside that window).
    """
    t = np.asarray(sample_times_s, dtype=float)
    ops = run.operating_intervals_s
    if ops.shape[0] == 0:
        mask = np.zeros(t.shape, dtype=bool)
    else:
        j = np.searchsorted(ops[:, 0], t, side="right") - 1
        mask = (j >= 0) & (t < ops[np.clip(j, 0, None), 1])
    if window_index is not None:
        w = run.windows
        mask &= (t >= w.start_s[window_index]) & (t < w.end_s[window_index])
    return mask
