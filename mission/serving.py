"""The stages that serve windows (:mod:`mission.planner` chains them): the contact plan (which
candidate window each downlink telescope and station serves when), the SWaP scheduler (when the
payload runs, on the scheduled contacts) and the delivery (what the served samples delivered, per
contact and per window).

    Candidates + per-sample pair rates -> ContactStage -> OperationsStage -> contact totals
"""
from __future__ import annotations

import dataclasses

import numpy as np

from ..groundstations.catalog import Station
from ..payload.config import PayloadConfig
from ..payload.modes import PayloadMode
from ..payload.onboard import plan_onboard
from ..payload.operations import WindowOperations, operated_mask
from ..payload.operations.run import run_operations
from ..payload.storage import recorded_data_rate_bytes_s
from . import chunks
from .contacts.settings import ContactSettings, weight_indices
from .outputs import schedule
from .parallel import ordered_map, process_pool
from .persample import payload_stage
from .stages import (
    Candidates,
    ContactStage,
    LinkSamples,
    OperationsStage,
    PayloadStage,
    PayloadTotals,
)

# --------------------------------------------------------------------------------- contacts

def contact_stage(settings: ContactSettings, telescopes: int, stations: list[Station], cands: Candidates,
                  smp: LinkSamples, pair_rate_hz: np.ndarray, clear: np.ndarray, step_s: float,
                  mode: PayloadMode, workers: int = 1) -> ContactStage:
    """The conflict-free contact plan: which candidate window each downlink telescope and each
    station serves when (mission.contacts.plan), valuing a window's samples by the expected,
    cloud-weighted heralded pairs they would deliver (``pair_rate_hz``, per sample [Hz]; a mode
    whose counts are stored on board: the downlink seconds, which carry the records down by radio;
    clouds do not touch them).

    ``telescopes`` is the satellites' count of downlink telescopes [1], ``clear`` each window's
    clear-sky probability [1], ``step_s`` the sample step [s]; ``workers`` processes solve the
    plan's groups of windows (the plan is the same for any number).
    """
    counts = np.diff(smp.offsets)
    value = (np.ones(smp.n_samples) if mode.stored else pair_rate_hz) * step_s
    value *= np.repeat(clear, counts)  # the pairs each sample would deliver, weighted by clear skies
    np.nan_to_num(value, copy=False)
    from .contacts.plan import CandidateWindows, Resources, plan_contacts, window_weights  # scipy: only a plan needs it

    windows = CandidateWindows(cands.satellite, cands.station_a, cands.station_b, cands.windows_s[:, 0],
                               cands.windows_s[:, 1], smp.time_s, value, smp.offsets)
    used = int(max(cands.station_a.max(initial=-1), cands.station_b.max(initial=-1))) + 1  # stations the windows use
    resources = Resources(telescopes, settings.retarget_s, [st.retarget_s for st in stations][:used])
    weights = window_weights(cands.station_a, cands.station_b, *weight_indices(settings.weights, [st.name for st in stations]))
    plan = plan_contacts(windows, resources, settings.policy, weights, milp_time_limit_s=settings.milp_time_limit_s,
                         workers=workers, pool=process_pool)
    # the samples each contact delivers: its window's, from the end of its dead time to its end
    contact_of_sample = np.full(smp.n_samples, -1)
    t = smp.time_s
    for c, (w, d, e) in enumerate(zip(plan.contact_window, plan.contact_delivering_from_s, plan.contact_end_s)):
        lo, hi = smp.offsets[w], smp.offsets[w + 1]
        i0 = lo + np.searchsorted(t[lo:hi], d, side="left")
        i1 = lo + np.searchsorted(t[lo:hi], e, side="left")
        contact_of_sample[i0:i1] = c
    return ContactStage(plan, clear, contact_of_sample >= 0, contact_of_sample)


# ------------------------------------------------------------------------------- operations

def operations_stage(mode: PayloadMode, payload: PayloadConfig, rule: str, span_s: float, sunlit_s: list[np.ndarray],
                     smp: LinkSamples, totals: PayloadTotals, contacts: ContactStage) -> OperationsStage:
    """The SWaP scheduler of each satellite over the whole span, with its scheduled contacts as the
    windows (``sunlit_s``: each satellite's sunlit intervals [s]; ``totals``: each window's mean event
    and BSM-herald rates, which fill the data store).

    A mode whose photons go down runs the payload for its contacts under the operating ``rule``
    (which seconds of each contact it serves). A mode whose counts are stored on board
    (``mode.stored``) runs :func:`payload.onboard.plan_onboard`: the payload operates whenever the
    budget allows, under :func:`payload.onboard.onboard_rule`, and the contacts drain its store
    over the classical downlink.
    """
    budget = payload.swap_budget
    plan = contacts.plan
    rate = recorded_data_rate_bytes_s(totals.mean_event_rate_hz, totals.mean_bsm_herald_rate_hz,
                                      budget.data)[plan.contact_window]
    contact_s = np.column_stack([plan.contact_start_s, plan.contact_end_s])
    n_contacts = contact_s.shape[0]
    runs, parts, onboard, where = [], [], [], np.empty(n_contacts, int)
    operated = np.zeros(smp.n_samples, bool)
    time_s = smp.time_s
    base = 0
    for sat, sunlit in enumerate(sunlit_s):
        mine = np.flatnonzero(plan.contact_satellite == sat)
        order = mine[np.argsort(contact_s[mine, 0], kind="mergesort")]
        if mode.stored:
            onboard.append(plan_onboard(payload, span_s, sunlit, contact_s[order]))
            run = onboard[-1].operations
        else:
            run = run_operations(budget, span_s, sunlit, contact_s[order], data_rate_bytes_s=rate[order], rule=rule)
        runs.append(run)
        parts.append(run.windows)
        where[order] = base + np.arange(order.size)
        base += order.size
        if n_contacts == 0:  # candidate windows, none scheduled (e.g. none with any value): nothing operates
            continue
        on = contacts.delivering & (plan.contact_satellite[np.maximum(contacts.contact_of_sample, 0)] == sat)
        operated[on] = operated_mask(run, None, time_s[on])
    windows = WindowOperations(**{f: np.concatenate([getattr(w, f) for w in parts])[where]
                                  for f in WindowOperations.__dataclass_fields__})
    return OperationsStage(runs, windows, operated, onboard)


# -------------------------------------------------------------------------------- delivery

def delivery_stage(mode: PayloadMode, payload: PayloadConfig, smp: LinkSamples, unserved: dict, contacts: ContactStage,
                   ops: OperationsStage, step_s: float, threads: int = 1,
                   served_whole: dict | None = None) -> tuple[schedule.ContactTotals, dict]:
    """What the scheduled contacts delivered, per contact and per window: the swap model again, on
    the samples of the windows the plan serves only (chunk by chunk, from each row's kept link),
    summed over the samples the payload operated in per contact
    (:func:`mission.outputs.schedule.contact_totals`) and per window
    (:func:`payload.fidelity.window_totals`). A window the plan does not serve keeps its totals
    of ``unserved`` (nothing operated). ``step_s`` is the sample step. [s]

    The model is evaluated on the operated samples only: in a window that delivered pairs the others
    weigh nothing, so they enter the sums as zeros either way (the same floats; a window that
    delivered none is evaluated whole, its means weigh every sample). ``served_whole`` (the payload
    stage's totals of every sample of each window, :class:`mission.stages.PayloadTotals`, for this
    ``payload``): a window operated throughout by one contact under the squash rule delivered
    exactly those totals, taken from there instead of evaluated again.
    """
    plan = contacts.plan
    counts = np.diff(smp.offsets)
    windows = {k: np.array(v, copy=True) for k, v in unserved.items()}
    fields = [f.name for f in dataclasses.fields(schedule.ContactTotals)]
    per_contact: dict[str, np.ndarray] = {}
    parts = chunks.consecutive_chunks(np.unique(plan.contact_window), counts)
    inner = threads if len(parts) == 1 else 1
    reuse = served_whole if (served_whole is not None and not mode.stored
                             and payload.double_clicks == "squash") else None

    def evaluate(at, need):  # the payload stage on the samples ``at``, where ``need`` (all if None)
        if need is None or need.all():
            return payload_stage(mode, payload, tuple(leg[at] for leg in smp.legs), smp.link, inner)
        return _scattered(payload_stage(mode, payload, tuple(leg[at[need]] for leg in smp.legs), smp.link, inner),
                          need)

    def deliver(idx):
        at = smp.window_samples(idx)
        operated = ops.operated[at]
        offsets = np.concatenate([[0], np.cumsum(counts[idx])])
        whole = np.zeros(idx.size, bool) if reuse is None else _whole_windows(idx, offsets, operated, contacts,
                                                                              reuse["heralded_pairs"])
        in_whole = np.repeat(whole, counts[idx])
        pl = evaluate(at, None if mode.stored else operated & ~in_whole)
        counted = operated & ~in_whole  # the whole windows' contacts are taken from ``reuse`` below
        part = schedule.contact_totals(
            mode, smp, pl, ContactStage(plan, contacts.clear_probability, contacts.delivering[at],
                                        contacts.contact_of_sample[at]),
            dataclasses.replace(ops, operated=counted), step_s)
        got = pl.window_totals(step_s, offsets, operated=operated)
        if not mode.stored:  # a window without pairs weighs all its samples: evaluate it whole
            again = ~((got["heralded_pairs"] > 0) & (got["bsm_heralds"] != 0)) & ~whole
            if again.any():
                at_again = smp.window_samples(idx[again])
                pl_again = evaluate(at_again, None)
                redo = pl_again.window_totals(step_s, np.concatenate([[0], np.cumsum(counts[idx[again]])]),
                                              operated=ops.operated[at_again])
                for k in windows:
                    got[k][again] = redo[k]
        if whole.any():
            assert reuse is not None
            for k in windows:
                got[k][whole] = reuse[k][idx[whole]]
            part = _contacts_served_whole(mode, part, plan.contact_window, idx[whole], reuse)
        return idx, part, got

    for idx, part, got in ordered_map(deliver, parts, threads):
        mine = np.isin(plan.contact_window, idx)
        for f in fields:
            if f not in per_contact:
                per_contact[f] = np.array(getattr(part, f), dtype=float, copy=True)
            per_contact[f][mine] = getattr(part, f)[mine]
        for k, v in windows.items():
            v[idx] = got[k]
    return schedule.ContactTotals(**per_contact), windows


def _scattered(pl: PayloadStage, need: np.ndarray) -> PayloadStage:
    """``pl``, evaluated on the samples ``need`` marks, as arrays over all of them (+0.0 elsewhere)."""
    def put(v):
        out = np.zeros(need.size)
        out[need] = v
        return out

    pairs = put(pl.heralded_pair_rate_hz)
    qber = put(pl.qber)
    aliased = pl.key_pair_rate_hz is pl.heralded_pair_rate_hz and pl.key_qber is pl.qber
    return PayloadStage(put(pl.bsm_herald_rate_hz), pairs, put(pl.fidelity), qber, put(pl.chsh_s),
                        {k: put(v) for k, v in pl.infidelity.items()}, put(pl.event_rate_hz),
                        pairs if aliased else put(pl.key_pair_rate_hz), qber if aliased else put(pl.key_qber))


def _whole_windows(idx: np.ndarray, offsets: np.ndarray, operated: np.ndarray, contacts: ContactStage,
                   whole_pairs: np.ndarray) -> np.ndarray:
    """Which of the windows ``idx`` (their samples' ``offsets`` and ``operated`` flags) one contact
    served throughout, and would have delivered pairs served whole (``whole_pairs``, per candidate
    window): their totals are their served-whole totals."""
    n = np.diff(offsets)
    nonempty = n > 0
    starts = offsets[:-1][nonempty]
    all_on = np.zeros(idx.size, bool)
    all_on[nonempty] = np.logical_and.reduceat(operated, starts)
    at = contacts.plan.contact_window
    one_contact = np.bincount(at, minlength=whole_pairs.size)[idx] == 1  # a contact's samples lie in its window
    return all_on & one_contact & (whole_pairs[idx] > 0)


def _contacts_served_whole(mode: PayloadMode, part: schedule.ContactTotals, contact_window: np.ndarray,
                           served: np.ndarray, whole: dict) -> schedule.ContactTotals:
    """``part`` with the contacts of the windows ``served`` (each by one contact, throughout) given
    their windows' served-whole totals (``whole``; the squash rule: the key counts the same pairs)."""
    c = np.flatnonzero(np.isin(contact_window, served))
    w = contact_window[c]
    out = {f.name: np.array(getattr(part, f.name), dtype=float, copy=True) for f in dataclasses.fields(part)}
    for f in ("bsm_heralds", "heralded_pairs", "secret_key_bits", "fidelity", "qber"):
        out[f][c] = whole[f][w]
    out["swaps_fourfold"][c] = whole["heralded_pairs"][w] if mode.swaps else 0.0
    return schedule.ContactTotals(**out)


