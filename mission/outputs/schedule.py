"""The schedule: one row per scheduled contact (``schedule.csv``), and what each contact delivered.

A contact is a stretch of one candidate window that the contact plan gave a downlink telescope and
the window's station(s) (mission.contacts.plan). It delivers the samples of its window from
the end of its retarget dead time to its end, when the SWaP schedule runs the payload
(``OperationsStage.operated``). Its BSM heralds, four-fold swaps and heralded pairs are the sums
over those samples (in a mode whose counts are stored on board: what the payload made whenever it
operated, as far as this contact's downlink carried the records down), so the
schedule's rows add up to the plan's totals and every candidate window's row in ``passes.csv`` is
the sum of its contacts. Aggregation only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ...payload.fidelity import window_key_bits, window_totals
from ...payload.modes import PayloadMode
from ..stages import Candidates, ContactStage, LinkSamples, OperationsStage, PayloadStage, SampleStage
from .tables import finish_times

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ContactTotals:
    """What each contact delivered (arrays over contacts, in the contact plan's order).

    Attributes
    ----------
    bsm_heralds, heralded_pairs : ndarray
        BSM heralds (two photons at the onboard Bell-state measurement) and heralded pairs (the
        four-fold events: herald and both partner photons detected): sums over the contact's
        delivering, operated samples. [1]
    swaps_fourfold : ndarray
        Four-fold swaps: the heralded pairs of a mode that swaps (detected at the stations in the
        downlink modes, on board in ``onboard`` mode), 0 in a mode without a Bell-state
        measurement. [1]
    secret_key_bits : ndarray
        Finite-size key of the contact's pairs (one block per contact). [bit]
    fidelity, qber : ndarray
        Pair-weighted means over the same samples (NaN where none heralds). [1]
    """

    bsm_heralds: np.ndarray
    heralded_pairs: np.ndarray
    swaps_fourfold: np.ndarray
    secret_key_bits: np.ndarray
    fidelity: np.ndarray
    qber: np.ndarray


def contact_totals(mode: PayloadMode, smp: SampleStage | LinkSamples, pl: PayloadStage, contacts: ContactStage,
                   ops: OperationsStage, step_s: float) -> ContactTotals:
    """Sum each contact's samples. ``step_s`` is the sample step. [s]

    Counts stored on board (``mode.stored``) belong to no sample: the payload made them at its
    constant rates whenever it operated (``ops.onboard``), and a contact delivers those whose
    records it sent down over the classical downlink (its ``downlinked_bytes``, bounded by the
    store and the downlink rate): ``downlinked_bytes / record_rate_bytes_s`` operating seconds'
    worth. Records still on board at the span's end are not counted.
    """
    plan = contacts.plan
    n_c = len(plan.contact_window)
    if mode.stored:
        seconds = np.zeros(n_c)
        for sat, onboard in enumerate(ops.onboard):
            mine = plan.contact_satellite == sat
            sent = ops.windows.downlinked_bytes[mine]
            # contacts of one satellite that overlap (several downlink telescopes) share what was sent then
            total = onboard.operations.totals.downlinked_bytes
            share = min(1.0, total / sent.sum()) if sent.sum() > 0 else 0.0
            rate = onboard.record_rate_bytes_s
            seconds[mine] = sent * share / rate if rate > 0 else 0.0

        def first(x):
            return float(x[0]) if x.size else np.nan

        pairs = first(pl.heralded_pair_rate_hz) * seconds
        return ContactTotals(first(pl.bsm_herald_rate_hz) * seconds, pairs, _fourfold(mode, pairs),
                             window_key_bits(first(pl.key_pair_rate_hz) * seconds, np.full(n_c, first(pl.key_qber))),
                             np.full(n_c, first(pl.fidelity)), np.full(n_c, first(pl.qber)))
    on = np.flatnonzero(ops.operated)
    order = on[np.argsort(contacts.contact_of_sample[on], kind="stable")]
    offsets = np.searchsorted(contacts.contact_of_sample[order], np.arange(n_c + 1))
    tot = window_totals(pl.bsm_herald_rate_hz[order], pl.heralded_pair_rate_hz[order], pl.fidelity[order],
                        pl.qber[order], pl.chsh_s[order], {k: v[order] for k, v in pl.infidelity.items()},
                        step_s, offsets, key_pair_rate_hz=pl.key_pair_rate_hz[order], key_qber=pl.key_qber[order])
    return ContactTotals(tot["bsm_heralds"], tot["heralded_pairs"], _fourfold(mode, tot["heralded_pairs"]),
                         tot["secret_key_bits"], tot["fidelity"], tot["qber"])


def _fourfold(mode: PayloadMode, heralded_pairs: np.ndarray) -> np.ndarray:
    """Four-fold swaps of a mode's heralded pairs: the same events where the mode swaps, none
    without a Bell-state measurement. [1]"""
    return np.asarray(heralded_pairs, dtype=float) if mode.swaps else np.zeros(np.shape(heralded_pairs))


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
    import pandas as pd

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
        "bsm_heralds": totals.bsm_heralds,
        "swaps_fourfold": totals.swaps_fourfold,
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
