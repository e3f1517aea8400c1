"""End to end: a short scenario through `skyswap plan`, asserting on the files it writes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from skyswap.mission.cli import app
from skyswap.mission.outputs.summary import TOTAL_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "tests" / "data" / "e2e.yaml"

CONTRACT = [
    "pass_id", "mode", "station_a", "station_b", "start_utc", "culmination_utc", "end_utc", "duration_s",
    "max_elevation_a_deg", "max_elevation_b_deg", "min_range_a_km", "min_range_b_km", "sun_elevation_max_deg",
    "sunlit_fraction", "min_sample_loss_db", "loss_total_db", "bsm_heralds", "swaps_fourfold", "heralded_pairs",
    "fidelity", "qber", "chsh_s",
    "secret_key_bits", "cloud_free_probability", "expected_heralded_pairs", "energy_wh", "power_limited",
    "infidelity_multi_pair", "infidelity_hom_distinguishability", "infidelity_source_imperfection",
    "infidelity_background", "infidelity_dark_counts", "infidelity_polarisation",
]
FILES = ["passes.csv", "passes.parquet", "schedule.csv", "schedule.parquet", "summary.json", "report.html",
         "passes.ics"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out1 = tmp_path_factory.mktemp("run1")
    out2 = tmp_path_factory.mktemp("run2")
    for out in (out1, out2):
        result = CliRunner().invoke(app, ["plan", str(SCENARIO), "--out", str(out), "--quiet"])
        assert result.exit_code == 0, result.stderr
    return out1, out2


def test_all_files_written(runs):
    out, _ = runs
    for name in FILES:
        assert (out / name).stat().st_size > 0, name
    assert not [p for p in out.iterdir() if "skyswap-tmp" in p.name]


def test_contract_columns_and_formats(runs):
    out, _ = runs
    df = pd.read_csv(out / "passes.csv", keep_default_na=False)
    assert list(df.columns[: len(CONTRACT)]) == CONTRACT or set(CONTRACT) <= set(df.columns)
    assert len(df) > 0
    iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
    for col in ("start_utc", "culmination_utc", "end_utc"):
        assert all(iso.match(v) for v in df[col]), col
    assert (df["start_utc"] <= df["culmination_utc"]).all() and (df["culmination_utc"] <= df["end_utc"]).all()
    assert not (df.astype(str) == "nan").any().any()  # never NaN in an exported table
    pq = pd.read_parquet(out / "passes.parquet")
    assert list(pq.columns) == list(df.columns) and len(pq) == len(df)


def test_counts_agree_between_csv_summary_and_calendar(runs):
    out, _ = runs
    df = pd.read_csv(out / "passes.csv", keep_default_na=False)
    sched = pd.read_csv(out / "schedule.csv", keep_default_na=False)
    summary = json.loads((out / "summary.json").read_text())
    ics = (out / "passes.ics").read_text()
    # the calendar lists the scheduled contacts; passes.csv every candidate window
    assert summary["totals"]["contacts"] == len(sched) == ics.count("BEGIN:VEVENT") > 0
    assert summary["totals"]["candidate_windows"] == len(df) >= len(set(sched["pass_id"]))
    for col, key in TOTAL_COLUMNS.items():
        assert summary["totals"][key] == pytest.approx(sched[col].sum(), rel=1e-5, abs=1e-9), col
        assert summary["totals"][key] == pytest.approx(df[col].sum(), rel=1e-5, abs=1e-9), col
    assert sum(m["contacts"] for m in summary["monthly"]) == len(sched)
    assert summary["scenario"]["hash"] and len(summary["scenario"]["hash"]) == 64
    assert summary["software"]["numpy"]


def test_per_pass_heralds_equal_the_sum_over_samples():
    from skyswap.mission import load_scenario, plan

    result = plan(load_scenario(SCENARIO))
    per_sample = result.samples().groupby("pass_id", observed=True)[["bsm_heralds", "heralded_pairs"]].sum()
    table = result.passes.set_index("pass_id")
    np.testing.assert_allclose(table.loc[per_sample.index, "bsm_heralds"], per_sample["bsm_heralds"], rtol=1e-9,
                               atol=1e-9)
    # a dual-downlink mode swaps: its four-fold swaps are its heralded pairs (detected at the stations)
    np.testing.assert_array_equal(result.passes["swaps_fourfold"], result.passes["heralded_pairs"])
    np.testing.assert_allclose(table.loc[per_sample.index, "heralded_pairs"], per_sample["heralded_pairs"], rtol=1e-9, atol=1e-12)


def test_second_run_is_byte_identical(runs):
    out1, out2 = runs
    for name in FILES:
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name
