"""Issue 17, outputs that mislead: expectations shown as counts, small values rounded away, a
key of 0 bits without a reason, time columns stored as text."""
from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from skyswap import mission
from skyswap.mission.cli import app
from skyswap.mission.outputs import calendar, export
from skyswap.mission.outputs.headline import closing_line
from skyswap.mission.outputs.numbers import significant
from skyswap.mission.outputs.summary import (
    KEY_EC_EFFICIENCY,
    KEY_EPSILON,
    key_requirement,
)
from skyswap.payload.keyrate import bbm92_min_sifted_bits, bbm92_secret_key_bits

from .test_output_sets import TINY


@pytest.fixture(scope="module")
def tiny():
    return mission.plan(mission.load_scenario(TINY))


@pytest.mark.parametrize("value, text", [
    (0.0077, "7.7e-3"), (7.7123e-3, "7.71e-3"), (35309646.4, "3.53e7"), (46.30, "46.3"), (11.557, "11.6"),
    (2614.7, "2610"), (0.5, "0.5"), (0.0, "0"), (1e-12, "1e-12"), (-3.2e-7, "-3.2e-7"), (float("nan"), "n/a"),
    (None, "n/a"),
])
def test_significant_digits(value, text):
    assert significant(value) == text


def test_significant_keeps_three_digits_of_any_value():
    for x in np.geomspace(1e-9, 1e12, 400):
        assert float(significant(x)) == pytest.approx(x, rel=5e-3)


def test_parquet_times_are_utc_timestamps_and_the_csv_keeps_iso_text(tiny):
    data = export.parquet_bytes(tiny.passes)
    schema = pq.read_schema(io.BytesIO(data))
    for col in ("start_utc", "culmination_utc", "end_utc"):
        assert str(schema.field(col).type) == "timestamp[ms, tz=UTC]", col
    back = pd.read_parquet(io.BytesIO(data))
    csv = pd.read_csv(io.StringIO(export.csv_text(tiny.passes)), keep_default_na=False)
    for col in ("start_utc", "end_utc"):
        assert csv[col].str.endswith("Z").all()
        # the same instants, to the millisecond
        assert str(back[col].dt.tz) == "UTC"
        assert (pd.to_datetime(csv[col], utc=True, format="ISO8601") == back[col]).all()
    assert (back["duration_s"] == csv["duration_s"]).all()


def test_calendar_shows_small_expectations_instead_of_rounding_them_away(tiny):
    rows = tiny.schedule.head(1).assign(heralded_pairs=7.7e-3, expected_heralded_pairs=1.9e-3, swaps_fourfold=7.7e-3,
                                        bsm_heralds=35309646.4)
    text = calendar.calendar_text(rows, tiny.mode, "x", "0" * 64, tiny.summary["span"]["start_utc"])
    unfolded = text.replace("\r\n ", "")
    assert ("expected BSM heralds 3.53e7\\, four-fold swaps 7.7e-3\\, heralded pairs 7.7e-3 (1.9e-3 after clouds)"
            in unfolded)
    assert "heralded pairs 0.0" not in unfolded


def test_summary_says_why_there_is_no_key(tiny):
    key = tiny.summary["secret_key"]
    p = tiny.schedule  # one key block per scheduled contact
    assert key["contacts_with_key"] == int((p["secret_key_bits"] > 0).sum()) == 0
    # the contact closest to a key: the largest share of the pairs its QBER needs (brute force here)
    p = p[p["heralded_pairs"] > 0]
    need = np.array([2 * bbm92_min_sifted_bits(q, KEY_EPSILON, KEY_EC_EFFICIENCY) for q in p["qber"]])
    best = p.iloc[int(np.argmax(p["heralded_pairs"].to_numpy() / need))]
    assert key["closest_contact_id"] == best["contact_id"]
    needed = key["closest_contact_heralded_pairs_needed"]
    # half of the heralded pairs are sifted; at the needed number the pass's key starts
    assert needed == pytest.approx(2 * bbm92_min_sifted_bits(best["qber"], KEY_EPSILON, KEY_EC_EFFICIENCY))
    assert bbm92_secret_key_bits(0.5 * needed * 1.001, best["qber"]) > 0.0 == bbm92_secret_key_bits(0.5 * needed * 0.999, best["qber"])
    assert needed > best["heralded_pairs"]
    assert key["closest_contact_heralded_pairs_short"] == pytest.approx(needed - best["heralded_pairs"])
    assert f"needs at least {significant(needed)} heralded pairs" in key["why_no_key"]
    assert f"has {significant(best['heralded_pairs'])} heralded pairs, {significant(needed - best['heralded_pairs'])} short" \
        in key["why_no_key"]
    assert ">=" not in key["why_no_key"]
    json.dumps(key)  # plain JSON


def test_key_requirement_when_a_pass_has_key_and_when_the_qber_is_too_high(tiny):
    rich = tiny.schedule.assign(heralded_pairs=1e6, secret_key_bits=1e5)
    assert key_requirement(rich)["contacts_with_key"] == len(rich) and key_requirement(rich)["why_no_key"] is None
    noisy = tiny.schedule.assign(qber=0.2)
    assert "no contact's QBER is below the" in key_requirement(noisy)["why_no_key"]
    assert key_requirement(noisy)["closest_contact_heralded_pairs_needed"] is None
    assert key_requirement(tiny.schedule.iloc[:0])["why_no_key"] == "no contact delivers heralded pairs"


def test_closing_line_shows_expectations_and_the_reason(tiny, tmp_path):
    line = closing_line(tiny.summary)
    t = tiny.summary["totals"]
    assert f"{t['contacts']} contacts (of {t['candidate_windows']} candidate windows)" in line
    assert "BSM heralds" in line and "expected on board" in line and "expected after clouds" in line
    assert "heralded pairs (four-fold swaps detected at the stations)" in line
    assert "0 key bits (a finite key needs at least" in line and ">=" not in line
    r = CliRunner().invoke(app, ["plan", str(TINY), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0 and r.stdout.startswith(line), r.stdout


def test_tables_round_listed_columns_to_their_decimals_and_others_to_six_significant_digits():
    from skyswap.mission.outputs import tables

    df = pd.DataFrame({"pass_id": pd.Series(["a", "b", "c"], dtype="string"), "samples": [3, 0, 7],
                       "loss_total_db": [12.34567, np.nan, -0.0004999], "heralded_pairs": [1234.56789, 0.0, -np.inf],
                       "x32": np.array([1.23456789, 2.0, 3e-9], dtype=np.float32)},
                      index=[5, 9, 11])
    out = tables.rounded(df)
    assert list(out.columns) == list(df.columns) and list(out.index) == [5, 9, 11]
    assert list(out.dtypes) == list(df.dtypes)
    pd.testing.assert_series_equal(out["pass_id"], df["pass_id"])
    pd.testing.assert_series_equal(out["samples"], df["samples"])
    assert tables.decimals("loss_total_db") == tables.LOSS_DECIMALS == 3
    np.testing.assert_array_equal(out["loss_total_db"], [12.346, np.nan, -0.0])
    np.testing.assert_array_equal(out["heralded_pairs"], [1234.57, 0.0, -np.inf])
    assert out["x32"].iloc[0] == np.float32(1.23457) and out["x32"].iloc[2] == np.float32(3e-9)
    with pytest.raises(ValueError, match="duplicate"):
        tables.rounded(pd.DataFrame([[1.0, 2.0]], columns=["a", "a"]))
