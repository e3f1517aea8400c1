"""`skyswap compare`: stations and pairs ranked on the same orbit and payload."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from skyswap import mission
from skyswap.mission import compare
from skyswap.mission.cli import app

E2E = Path(__file__).parent / "data" / "e2e.yaml"


def test_ranking_agrees_with_the_plans(tmp_path):
    sc = mission.load_scenario(E2E)
    ranking = compare.rank_sites(sc)
    stations = ranking[ranking["kind"] == "station"]
    pairs = ranking[ranking["kind"] == "pair"]
    assert set(stations["site"]) == {"Delingha", "Nanshan", "Lijiang"}
    assert len(pairs) == 3
    for kind, group in (("station", stations), ("pair", pairs)):
        assert list(group["rank"]) == list(range(1, len(group) + 1))
        assert group["expected_heralded_pairs"].is_monotonic_decreasing
    # a pair's row is the sum of the dual-downlink plan's rows for that pair
    plan = mission.plan(sc).passes
    row = pairs.iloc[0]
    mine = plan[(plan["station_a"] == row["station_a"]) & (plan["station_b"] == row["station_b"])]
    assert row["usable_passes"] == len(mine)
    assert abs(row["expected_heralded_pairs"] - mine["expected_heralded_pairs"].sum()) < 1e-9 * max(1.0, row["expected_heralded_pairs"])


def test_compare_command_writes_table_and_page(tmp_path):
    r = CliRunner().invoke(app, ["compare", str(E2E), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.stderr
    table = pd.read_csv(tmp_path / "compare.csv", keep_default_na=False)
    assert list(table.columns) == compare.COLUMNS
    page = (tmp_path / "compare.html").read_text()
    from skyswap.mission.outputs.report import COMPARE_FIGURE_IDS

    assert "Delingha" in page and page.count('class="skyswap-figure"') == len(COMPARE_FIGURE_IDS)
    assert all(f'id="{fig}"' in page for fig in COMPARE_FIGURE_IDS)
    assert "site ranking" in r.stdout
