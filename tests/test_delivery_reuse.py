"""The delivery stage evaluates the swap model on the operated samples only and takes the totals of
a window one contact served throughout from the payload stage: the same floats, to the last bit, as
the swap model on every sample of every served window summed over the operated ones."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from skyswap import mission
from skyswap.mission import persample, planner, serving
from skyswap.mission.outputs import schedule
from skyswap.mission.stages import ContactStage
from skyswap.payload.fidelity import window_totals

E2E = Path(__file__).resolve().parent / "data" / "e2e.yaml"


def _every_sample(sc, st, ops):
    """What each contact and each served window delivered, from the swap model on every sample of the
    served windows (the definition the delivery stage keeps)."""
    mode, smp, contacts = sc.payload_mode, st.samples, st.contacts
    plan = contacts.plan
    served = np.unique(plan.contact_window)
    at = smp.window_samples(served)
    pl = persample.payload_stage(mode, sc.payload, tuple(leg[at] for leg in smp.legs), smp.link)
    operated = ops.operated[at]
    per_contact = schedule.contact_totals(
        mode, smp, pl, ContactStage(plan, contacts.clear_probability, contacts.delivering[at], contacts.contact_of_sample[at]),
        dataclasses.replace(ops, operated=operated), sc.sample_step_s)
    offsets = np.concatenate([[0], np.cumsum(np.diff(smp.offsets)[served])])
    per_window = window_totals(pl.bsm_herald_rate_hz, pl.heralded_pair_rate_hz, pl.fidelity, pl.qber, pl.chsh_s,
                               pl.infidelity, sc.sample_step_s, offsets, operated=operated)
    return served, per_contact, per_window


def _same_bits(a, b) -> bool:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.fixture(scope="module")
def planned():
    sc = mission.load_scenario(E2E)
    return sc, planner.run_stages(sc)


def _operated_variants(st):
    """The plan's operations, and the same with some windows not operated at all, some operated in
    part (every other sample) and the rest as planned."""
    ops, smp = st.operations, st.samples
    yield "as planned", ops
    served = np.unique(st.contacts.plan.contact_window)
    operated = ops.operated.copy()
    for k, w in enumerate(served):
        sl = slice(smp.offsets[w], smp.offsets[w + 1])
        if k % 3 == 0:
            operated[sl] = False
        elif k % 3 == 1:
            operated[sl.start:sl.stop:2] = False
    yield "edited", dataclasses.replace(ops, operated=operated)


@pytest.mark.parametrize("variant", ["as planned", "edited"])
def test_delivery_is_the_swap_model_on_every_served_sample(planned, variant):
    sc, st = planned
    ops = dict(_operated_variants(st))[variant]
    smp, counts = st.samples, np.diff(st.samples.offsets)
    served, ref_contacts, ref_windows = _every_sample(sc, st, ops)
    got_contacts, got_windows = serving.delivery_stage(sc.payload_mode, sc.payload, smp, st.payload.unserved,
                                                       st.contacts, ops, sc.sample_step_s, 1, st.payload.served_whole)
    # the three ways a window is summed all occur: taken whole, operated in part, delivered no pair
    on = [ops.operated[smp.offsets[w]:smp.offsets[w + 1]] for w in served]
    whole = [o.all() for o in on]
    assert any(whole) and not all(whole)
    if variant == "edited":
        assert any(not o.any() for o in on) and any(o.any() and not o.all() for o in on)
    for f in dataclasses.fields(schedule.ContactTotals):
        assert _same_bits(getattr(got_contacts, f.name), getattr(ref_contacts, f.name)), f.name
    for k in st.payload.unserved:
        assert _same_bits(got_windows[k][served], ref_windows[k]), k
    unserved = np.setdiff1d(np.arange(counts.size), served)
    for k, v in st.payload.unserved.items():
        assert _same_bits(got_windows[k][unserved], v[unserved]), k


def test_a_window_served_whole_delivers_its_served_whole_totals(planned):
    """The premise of the reuse: a window one contact served throughout delivered, bit for bit, what
    the payload stage summed over all its samples."""
    sc, st = planned
    served, ref_contacts, ref_windows = _every_sample(sc, st, st.operations)
    smp, plan = st.samples, st.contacts.plan
    whole = [k for k, w in enumerate(served) if st.operations.operated[smp.offsets[w]:smp.offsets[w + 1]].all()
             and np.sum(plan.contact_window == w) == 1]
    assert whole
    for k in st.payload.served_whole:
        assert _same_bits(ref_windows[k][whole], st.payload.served_whole[k][served[whole]]), k
    c = [int(np.flatnonzero(plan.contact_window == served[k])[0]) for k in whole]
    assert _same_bits(ref_contacts.heralded_pairs[c], st.payload.served_whole["heralded_pairs"][served[whole]])
    assert _same_bits(ref_contacts.secret_key_bits[c], st.payload.served_whole["secret_key_bits"][served[whole]])


@pytest.mark.parametrize("step_s", [1.0, 2.5])
def test_unserved_means_taken_from_the_served_whole_totals_are_the_same_bits(step_s):
    """``window_totals(same_samples=...)`` takes the means of another operated mask only where the
    weights are the same bits (at 1 s steps a window's pair rate is its pairs per sample): the
    result equals the sums formed afresh, and at another step the means are formed afresh."""
    rng = np.random.default_rng(7)
    n = 500
    offsets = np.array([0, 0, 40, 41, 200, 320, 500])
    rate = rng.random(n) * 1e-3
    rate[200:320] = 0.0  # a window that heralds nothing
    fid = 0.9 + 0.1 * rng.random(n)
    fid[5] = np.nan
    terms = {t: rng.random(n) * 1e-2 for t in ("source_imperfection", "hom_distinguishability", "polarisation",
                                                "multi_pair", "dark_counts", "background")}
    args = (np.full(n, 2e-3), rate, fid, 0.02 + 0.01 * rng.random(n), 2.5 + 0.1 * rng.random(n), terms, step_s, offsets)
    whole = window_totals(*args)
    none = np.zeros(n, bool)
    fresh = window_totals(*args, operated=none)
    reused = window_totals(*args, operated=none, same_samples=whole)
    assert _same_bits(whole["sample_weights"], fresh["sample_weights"]) == (step_s == 1.0)
    for k, v in fresh.items():
        assert _same_bits(reused[k], v), k
