"""The pass table's payload columns: what each candidate window delivered under the plan.

:func:`mission.outputs.tables.window_table` gives the ids, times, geometry and link of each window;
this adds BSM heralds, four-fold swaps, heralded pairs, the pair-weighted fidelity, QBER, CHSH S and fidelity budget, the
finite-size key (:func:`payload.fidelity.window_totals`, the one per-pass aggregation), clouds, the
contact plan's scheduled seconds and the SWaP scheduler's results, summed over the window's
contacts. Aggregation only: the physics was done by the stages that
produced the inputs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...payload.modes import PayloadMode
from ...payload.operations import LIMITS
from ...payload.swap import BUDGET_TERMS
from ..stages import Candidates, ChannelStage, ContactStage, OperationsStage, PayloadStage, SampleStage, gather
from . import tables
from .schedule import ContactTotals

if TYPE_CHECKING:
    import pandas as pd


def add_payload_columns(table: pd.DataFrame, mode: PayloadMode, cands: Candidates, contacts: ContactStage,
                        ops: OperationsStage, totals: ContactTotals, delivered: dict,
                        pairs_if_served: np.ndarray) -> pd.DataFrame:
    """The pass table with its payload columns.

    ``table`` is :func:`tables.window_table` of the same candidates (one row per candidate, in
    candidate order; :func:`tables.finish_times` sorts it afterwards). A candidate's BSM heralds,
    four-fold swaps, heralded pairs, key, energy and lost seconds are the sums over its scheduled contacts (``totals``,
    :func:`.schedule.contact_totals`); its fidelity, QBER and CHSH S are pair-weighted over the
    samples it delivered (or, where it delivered none, over what it would have delivered):
    ``delivered``, :func:`payload.fidelity.window_totals` of each window's samples with those the
    payload operated in. ``scheduled_s`` is its contact time, ``lost_to`` the windows that held its
    resources. [s] ``heralded_pairs_if_served`` and ``expected_heralded_pairs_if_served`` are what
    the whole window would give if the plan served it (``pairs_if_served``: no contention, before
    SWaP limits; NaN where the mode's counts are stored on board and belong to no window). [1]
    """
    plan = contacts.plan
    n = len(cands)
    cw = plan.contact_window

    def per_window(x):
        return np.bincount(cw, weights=np.asarray(x, float), minlength=n)[:n] if n else np.empty(0)

    tot = delivered
    heralded = per_window(totals.heralded_pairs)
    p_clear = contacts.clear_probability
    # what the window would give if the plan served all of it (no contention, before SWaP limits):
    # the ranking of sites reads these, so a site is not marked down for windows another site took
    if_served = pairs_if_served if mode.if_served_columns else np.full(n, np.nan)
    w = ops.windows
    lost = {k: per_window(getattr(w, f"seconds_lost_{k}")) for k in LIMITS}
    stack = np.column_stack([lost[k] for k in LIMITS]) if n else np.empty((0, len(LIMITS)))
    limited_by = np.where(stack.max(axis=1, initial=0.0) > 1e-6,
                          np.array(LIMITS, dtype=object)[np.argmax(stack, axis=1)], "none") if n else np.empty(0, object)
    first = np.full(n, -1)
    last = np.full(n, -1)
    by_start = np.argsort(plan.contact_start_s, kind="stable")
    first[cw[by_start[::-1]]] = by_start[::-1]  # the earliest contact wins
    last[cw[by_start]] = by_start  # the latest contact wins

    def soc(idx, x):
        return np.where(idx >= 0, x[np.maximum(idx, 0)] if x.size else np.nan, np.nan)

    ids = table["pass_id"].to_numpy()
    cols = {
        "bsm_heralds": per_window(totals.bsm_heralds),
        "swaps_fourfold": per_window(totals.swaps_fourfold),
        "heralded_pairs": heralded,
        "fidelity": tot["fidelity"],
        "qber": tot["qber"],
        "chsh_s": tot["chsh_s"],
        "secret_key_bits": per_window(totals.secret_key_bits),
        "cloud_free_probability": p_clear,
        "expected_heralded_pairs": heralded * p_clear,
        "heralded_pairs_if_served": if_served,
        "expected_heralded_pairs_if_served": if_served * p_clear,
        "scheduled_s": plan.scheduled_s,
        "lost_to": [";".join(ids[j] for j in lt) for lt in plan.lost_to],
        "energy_wh": per_window(w.energy_wh),
        "power_limited": lost["power"] > 0,
        "limited_by": limited_by,
        **{f"infidelity_{k}": tot[f"infidelity_{k}"] for k in BUDGET_TERMS},
        "battery_soc_start": soc(first, w.battery_soc_start),
        "battery_soc_end": soc(last, w.battery_soc_end),
        "operating_s": per_window(w.operating_s),
        **{f"seconds_lost_{k}": lost[k] for k in LIMITS},
    }
    return tables.fill_note(table.assign(**cols), mode.link_columns)


def sample_rows(mode: PayloadMode, part: Candidates, windows: np.ndarray, pass_ids: np.ndarray, smp: SampleStage,
                pl: PayloadStage, operated: np.ndarray, step_s: float,
                ch: ChannelStage | None = None) -> pd.DataFrame:
    """One row per sample of some candidate windows (``part``, the candidates ``windows`` of the
    table whose ids are ``pass_ids``): its time, BSM heralds and heralded pairs (rate × step where the
    payload ``operated``; zero where the mode's counts are stored on board, made between contacts),
    rates, fidelity and each station's elevation and range, and with the link ``ch`` each leg's
    total loss (``loss_total_a_db``, ``loss_total_b_db`` [dB]). A window's sums are its totals in
    the pass table."""
    import pandas as pd

    tot = pl.window_totals(step_s, smp.offsets, operated=operated)
    if mode.stored:  # the per-sample sums are zero: pairs are made on board between contacts
        tot["sample_bsm_heralds"][:] = 0.0
        tot["sample_heralded_pairs"][:] = 0.0
    codes = np.asarray(windows, int)[smp.window_of_sample]
    return pd.DataFrame({
        # categorical ids and float times: millions of rows must not become millions of strings
        "pass_id": pd.Categorical.from_codes(codes, categories=pass_ids) if len(pass_ids) else pd.Categorical([]),
        "time_s": smp.time_s,
        "bsm_heralds": tot["sample_bsm_heralds"],
        "heralded_pairs": tot["sample_heralded_pairs"],
        "bsm_herald_rate_hz": pl.bsm_herald_rate_hz,
        "heralded_pair_rate_hz": pl.heralded_pair_rate_hz,
        "fidelity": pl.fidelity,
        "elevation_a_deg": smp.leg("elevation_deg", 0),
        "range_a_km": smp.leg("range_km", 0),
        "elevation_b_deg": smp.leg("elevation_deg", 1) if part.pair else np.nan,
        "range_b_km": smp.leg("range_km", 1) if part.pair else np.nan,
        "loss_total_a_db": gather(ch.loss_db, smp.legs[0]) if ch is not None else np.nan,
        "loss_total_b_db": gather(ch.loss_db, smp.legs[1]) if ch is not None and part.pair else np.nan,
    }, copy=False)  # the columns are this function's own arrays: no 2-D block copy of millions of rows
