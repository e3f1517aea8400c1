"""Issue 25 item 3, memory by design: the per-sample stages run on chunks of windows and are reduced
per window at once; the plan keeps a few arrays per sample and computes a pass's samples again when
asked. None of it may change a number."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skyswap import mission
from skyswap.mission import chunks, planner
from skyswap.mission.stages import Candidates

E2E = Path(__file__).parent / "data" / "e2e.yaml"


def _candidates(rng, n: int, satellites: int) -> tuple[Candidates, np.ndarray]:
    start = rng.uniform(0.0, 1e5, n)
    sat = np.sort(rng.integers(0, satellites, n))
    nan = np.full(n, np.nan)
    cands = Candidates(np.column_stack([start, start + 100.0]), sat, np.zeros(n, int), np.full(n, -1), nan, nan)
    return cands, rng.integers(0, 400, n)


@pytest.mark.parametrize("seed", range(5))
def test_time_chunks_hold_every_window_once_in_time_order(seed):
    rng = np.random.default_rng(seed)
    cands, counts = _candidates(rng, 300, 3)
    parts = chunks.time_chunks(cands, counts, max_samples=1000)
    got = np.concatenate(parts)
    assert sorted(got.tolist()) == list(range(300))  # every window exactly once
    for p in parts:
        assert np.all(np.diff(p) > 0)  # candidate order inside a chunk
        assert np.unique(cands.satellite[p]).size == 1  # one satellite per chunk
        # a chunk holds at most max_samples plus the window that crossed the bound
        assert counts[p].sum() - counts[p].max() < 1000
    # chunks of one satellite follow each other in time: none starts before the previous ended
    for a, b in zip(parts[:-1], parts[1:]):
        if cands.satellite[a[0]] == cands.satellite[b[0]]:
            assert cands.windows_s[a, 0].max() <= cands.windows_s[b, 0].min()


def test_chunks_of_nothing_and_consecutive_runs():
    rng = np.random.default_rng(1)
    cands, counts = _candidates(rng, 0, 1)
    assert [p.size for p in chunks.time_chunks(cands, counts)] == [0]  # one empty chunk: an empty plan still runs
    counts = np.array([5, 5, 5, 50, 1, 1])
    runs = chunks.consecutive_chunks(np.array([0, 1, 2, 3, 4, 5]), counts, max_samples=10)
    assert [r.tolist() for r in runs] == [[0, 1], [2, 3], [4, 5]]
    assert [r.size for r in chunks.consecutive_chunks(np.array([], int), counts)] == [0]


@pytest.fixture(scope="module")
def reference():
    """The e2e year-day in three modes, planned with the default chunks."""
    base = mission.load_scenario(E2E)
    out = {}
    for mode in ("dual-downlink", "single-downlink", "onboard"):
        sc = base if mode == base.mode else base.model_copy(update={"mode": mode, "pairs": []})
        out[mode] = (sc, mission.plan(sc))
    return out


@pytest.mark.parametrize("mode", ["dual-downlink", "single-downlink", "onboard"])
def test_small_chunks_change_no_number(reference, monkeypatch, mode):
    """Chunks of 97 samples (windows of one chunk in several, rows shared by pairs computed in
    several chunks): the tables and the summary are the same to the last bit."""
    sc, ref = reference[mode]
    monkeypatch.setattr(chunks, "CHUNK_SAMPLES", 97)
    counts = np.diff(planner.run_stages(sc).samples.offsets)
    assert counts.sum() > 10 * 97  # many chunks
    small = mission.plan(sc)
    pd.testing.assert_frame_equal(small.passes, ref.passes, check_exact=True)
    pd.testing.assert_frame_equal(small.schedule, ref.schedule, check_exact=True)
    assert small.summary == ref.summary
    assert small.pass_detail.keys() == ref.pass_detail.keys()
    for pid, df in ref.pass_detail.items():
        pd.testing.assert_frame_equal(small.pass_detail[pid], df, check_exact=True)


def test_a_pass_samples_are_computed_again_for_it_alone(reference):
    """``samples(ids)`` computes the passes asked for, the same rows as the whole table gives."""
    _, result = reference["dual-downlink"]
    every = result.samples()
    ids = list(result.passes.sort_values("heralded_pairs", ascending=False)["pass_id"][:2])
    some = result.samples(ids)
    assert set(some["pass_id"]) == set(ids)
    pd.testing.assert_frame_equal(some, every[every["pass_id"].isin(ids)].reset_index(drop=True), check_exact=True)
    sums = some.groupby("pass_id", observed=True)[["bsm_heralds", "heralded_pairs"]].sum()
    table = result.passes.set_index("pass_id").loc[sums.index]
    np.testing.assert_allclose(table["heralded_pairs"], sums["heralded_pairs"], rtol=1e-9, atol=1e-12)


def test_the_plan_keeps_a_few_arrays_per_sample(reference):
    """What the stages hold per sample and per row once the windows' totals exist: the rows' time,
    pointing and link (6 floats a row), each leg's row, the contact of each sample and two flags —
    not the geometry, link parts or payload of every sample (which a year of 20 stations would need
    gigabytes for)."""
    sc, _ = reference["dual-downlink"]
    st = planner.run_stages(sc)
    n, rows = st.samples.n_samples, st.samples.rows.time_s.size
    held = 0
    seen: set[int] = set()

    def walk(x):
        nonlocal held
        if id(x) in seen:
            return
        seen.add(id(x))
        if isinstance(x, np.ndarray):
            if x.size in (n, rows) and x.size > len(st.candidates) + 1:
                held += x.nbytes
        elif hasattr(x, "__dataclass_fields__"):
            for f in x.__dataclass_fields__:
                walk(getattr(x, f))
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)

    walk(st)
    assert held <= 48 * rows + (8 * 2 + 8 + 1 + 1) * n  # 2 legs, contact index, delivering, operated
