"""The schedule: one row per scheduled contact (``schedule.csv``), and what each contact delivered.

A contact is a stretch of one candidate window that the contact plan gave a downlink telescope and
the window's station(s) (mission.contacts.plan). It delivers the samples of its window from
the end of its retarget dead time to its end, when the SWaP schedule runs the payload
(``OperationsStage.operated``). Its swaps and heralded pairs are the sums over those samples, so the
schedule's rows add up to the plan's totals and every candidate window's row in ``passes.csv`` is
the sum of its contacts. Aggregation only.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...payload.fidelity import window_key_bits, window_totals
from ...payload.modes import PayloadMode
from ..stages import Candidates, ContactStage, LinkSamples, OperationsStage, PayloadStage, SampleStage
from .tables import finish_times


@dataclass(frozen=True)
class ContactTotals:
    """What each contact delivered (arrays over contacts, in the contact plan's order).

    Attributes
    ----------
    swaps, heralded_pairs : ndarray
        Sums over the contact's delivering, operated samples. [1]
    secret_key_bits : ndarray
        Finite-size key of the contact's pairs (one block per contact). [bit]
    fidelity, qber : ndarray
        Pair-weighted means over the same samples (NaN where none heralds). [1]
    """

    swaps: np.ndarray
    heralded_pairs: np.ndarray
    secret_key_bits: np.ndarray
    fidelity: np.ndarray
    qber: np.ndarray


def contact_totals(mode: PayloadMode, smp: SampleStage | LinkSamples, pl: PayloadStage, contacts: ContactStage,
                   ops: OperationsStage, step_s: float) -> ContactTotals:
    """Sum each contact's samples (counts stored on board, ``mode.stored``: what was
    swapped on board since the satellite's previous contact ended, carried down by this one).
    ``step_s`` is the sample step. [s]"""
    plan = contacts.plan
    n_c = len(plan.contact_window)
    if mode.stored:
        since = np.zeros(n_c)
        for sat, run in enumerate(ops.runs):
            mine = np.flatnonzero(plan.contact_satellite == sat)
            by_end = mine[np.argsort(plan.contact_end_s[mine], kind="mergesort")]
            since[by_end] = np.diff(operated_seconds_before(run.operating_intervals_s, plan.contact_end_s[by_end]),
                                    prepend=0.0)

        def first(x):
            return float(x[0]) if x.size else np.nan

        pairs = first(pl.heralded_pair_rate_hz) * since
        return ContactTotals(first(pl.swap_rate_hz) * since, pairs,
                             window_key_bits(first(pl.key_pair_rate_hz) * since, np.full(n_c, first(pl.key_qber))),
                             np.full(n_c, first(pl.fidelity)), np.full(n_c, first(pl.qber)))
    on = np.flatnonzero(ops.operated)
    order = on[np.argsort(contacts.contact_of_sample[on], kind="stable")]
    offsets = np.searchsorted(contacts.contact_of_sample[order], np.arange(n_c + 1))
    tot = window_totals(pl.swap_rate_hz[order], pl.heralded_pair_rate_hz[order], pl.fidelity[order],
                        pl.qber[order], pl.chsh_s[order], {k: v[order] for k, v in pl.infidelity.items()},
                        step_s, offsets, key_pair_rate_hz=pl.key_pair_rate_hz[order], key_qber=pl.key_qber[order])
    return ContactTotals(tot["swaps"], tot["heralded_pairs"], tot["secret_key_bits"], tot["fidelity"], tot["qber"])


def operated_seconds_before(intervals_s: np.ndarray, t_s: np.ndarray) -> np.ndarray:
    """Cumulative operating time of the payload from the span start up to each time. [s]"""
    if not len(intervals_s):
        return np.zeros(np.shape(t_s))
    starts, ends = intervals_s[:, 0], intervals_s[:, 1]
    cum = np.concatenate([[0.0], np.cumsum(ends - starts)])
    k = np.searchsorted(starts, t_s, side="right")  # intervals started by t
    before = cum[np.maximum(k - 1, 0)]
    inside = np.clip(t_s - starts[np.maximum(k - 1, 0)], 0.0, (ends - starts)[np.maximum(k - 1, 0)])
    return np.where(k > 0, before + inside, 0.0)


def _pointing(smp: SampleStage | LinkSamples, cands: Candidates, contacts: ContactStage) -> dict:
    """Azimuth and elevation of each station at each contact's start, highest point and end. [deg]

    Reads the samples of the contacts' windows only (no per-sample array of the whole plan)."""
    plan = contacts.plan
    rows, legs, offsets = smp.rows, smp.legs, smp.offsets
    n, n_c = smp.n_samples, len(plan.contact_window)
    lo = np.empty(n_c, int)
    hi = np.empty(n_c, int)
    for c, (w, a, e) in enumerate(zip(plan.contact_window, plan.contact_start_s, plan.contact_end_s)):
        w0, w1 = offsets[w], offsets[w + 1]
        t = rows.time_s[legs[0][w0:w1]]
        lo[c] = w0 + np.searchsorted(t, a, side="left")
        hi[c] = max(lo[c], w0 + np.searchsorted(t, e, side="left") - 1)
    out = {}
    for leg, tag in enumerate(("a", "b")[:len(legs)]):
        row = legs[leg]
        top = np.array([lo[c] + int(np.argmax(rows.elevation_deg[row[lo[c]:hi[c] + 1]])) for c in range(n_c)],
                       dtype=int)
        for where, idx in (("start", lo), ("max", top), ("end", hi)):
            ok = (hi >= lo) & (idx < n)
            at = row[np.minimum(idx, max(n - 1, 0))] if n else idx
            out[f"azimuth_{where}_{tag}_deg"] = np.where(ok, rows.azimuth_deg[at], np.nan) if n else np.full(n_c, np.nan)
            out[f"elevation_{where}_{tag}_deg"] = np.where(ok, rows.elevation_deg[at], np.nan) if n \
                else np.full(n_c, np.nan)
    return out


def schedule_table(t0, names: list[str], satellites: list[str], pass_ids, cands: Candidates,
                   smp: SampleStage | LinkSamples, contacts: ContactStage, ops: OperationsStage,
                   totals: ContactTotals) -> pd.DataFrame:
    """One row per scheduled contact, in time order: ids, the window it serves, times (the contact's
    dead time ends at ``delivering_from_utc``), what it delivered, its SWaP results and each
    station's pointing at start, highest point and end. ``pass_ids`` name the candidate windows."""
    plan = contacts.plan
    w = plan.contact_window
    n_c = len(w)
    name_of = np.array(list(names) + [""], dtype=object)
    p_clear = contacts.clear_probability[w] if n_c else np.empty(0)
    ops_w = ops.windows
    df = pd.DataFrame({
        "contact_id": "",
        "satellite": np.asarray(satellites, dtype=object)[plan.contact_satellite] if n_c else np.empty(0, object),
        "station_a": name_of[cands.station_a[w]] if n_c else np.empty(0, object),
        "station_b": name_of[cands.station_b[w]] if n_c else np.empty(0, object),
        "_start_s": plan.contact_start_s,
        "_culm_s": plan.contact_delivering_from_s,
        "_end_s": plan.contact_end_s,
        "pass_id": np.asarray(pass_ids, dtype=object)[w] if n_c else np.empty(0, object),
        "telescope_lane": plan.contact_lane,
        "swaps": totals.swaps,
        "heralded_pairs": totals.heralded_pairs,
        "fidelity": totals.fidelity,
        "qber": totals.qber,
        "secret_key_bits": totals.secret_key_bits,
        "cloud_free_probability": p_clear,
        "expected_heralded_pairs": totals.heralded_pairs * p_clear,
        "energy_wh": ops_w.energy_wh,
        "operating_s": ops_w.operating_s,
        "limited_by": np.asarray(ops_w.limited_by, dtype=object),
        **_pointing(smp, cands, contacts),
    })
    df = finish_times(df, t0).rename(columns={"culmination_utc": "delivering_from_utc"})
    df["contact_id"] = [f"C{i + 1:05d}" for i in range(len(df))]
    return df
