"""`skyswap compare`: stations and pairs ranked on the same orbit and payload, by expected value and
P10, each site by what it would deliver on its own; candidate sites by coordinates."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from skyswap import mission
from skyswap.mission import compare
from skyswap.mission.cli import app
from skyswap.mission.outputs.compare_page import COMPARE_FIGURE_IDS
from skyswap.mission.scenario.errors import InputError

E2E = Path(__file__).parent / "data" / "e2e.yaml"
SCENARIOS = Path(__file__).parent.parent / "scenarios"


@pytest.fixture(scope="module")
def e2e():
    sc = mission.load_scenario(E2E)
    return sc, compare.compare_sites(sc, draws=200)


def test_ranking_is_each_site_served_whole(e2e):
    sc, result = e2e
    ranking = result.ranking
    stations = ranking[ranking["kind"] == "station"]
    pairs = ranking[ranking["kind"] == "pair"]
    assert list(stations["site"]) and set(stations["site"]) == {"Delingha", "Nanshan", "Lijiang"}
    assert len(pairs) == 3
    for group in (stations, pairs):
        assert sorted(group["rank_expected"]) == list(range(1, len(group) + 1))
        assert group["expected_heralded_pairs"].is_monotonic_decreasing
        by_p10 = group.sort_values("rank_p10")
        assert by_p10["p10"].is_monotonic_decreasing
        assert (group["p10"] <= group["p50"]).all() and (group["p50"] <= group["p90"]).all()
    # a pair's row is the sum of its candidate windows served whole (whatever the contact plan chose)
    plan = mission.plan(sc).passes
    row = pairs.iloc[0]
    mine = plan[(plan["station_a"] == row["station_a"]) & (plan["station_b"] == row["station_b"])]
    assert row["windows"] == len(mine)
    assert row["expected_heralded_pairs"] == pytest.approx(mine["expected_heralded_pairs_if_served"].sum(), rel=1e-12)
    assert mine["heralded_pairs_if_served"].sum() >= mine["heralded_pairs"].sum()
    # the simulated years bracket the expectation (a few windows in 4 days: a skewed distribution)
    assert row["p10"] <= row["expected_heralded_pairs"] <= row["p90"]


def test_stations_ignore_the_contention_of_the_comparison_plan(e2e):
    """A station's windows count whole although the single-downlink plan serves one station at once."""
    sc, result = e2e
    single = mission.plan(sc.model_copy(update={"mode": "single-downlink"})).passes
    contested = single[single["scheduled_s"] < single["duration_s"] - 1e-6]
    assert len(contested), "e2e must have overlapping station windows for this test"
    name = contested["station_a"].iloc[0]
    row = result.ranking[(result.ranking["kind"] == "station") & (result.ranking["site"] == name)].iloc[0]
    mine = single[single["station_a"] == name]
    assert row["expected_heralded_pairs"] == pytest.approx(mine["expected_heralded_pairs_if_served"].sum(), rel=1e-12)
    assert row["expected_heralded_pairs"] > mine["expected_heralded_pairs"].sum()


def test_diversity_adds_stations_in_ranking_order(e2e):
    _, result = e2e
    div = result.diversity
    order = list(result.ranking[result.ranking["kind"] == "station"].sort_values("rank_expected")["site"])
    assert [d["added_station"] for d in div] == order[:len(div)]
    assert all(0.0 < d["p_any_clear"] <= 1.0 for d in div)
    assert [d["p_any_clear"] for d in div] == sorted(d["p_any_clear"] for d in div)
    # one telescope: a group's year is at most the sum of its stations' own years
    own = dict(zip(result.ranking["site"], result.ranking["p50"]))
    assert div[1]["p50"] <= own[div[0]["added_station"]] + own[div[1]["added_station"]] + 1e-9
    assert div[1]["added_p50"] == pytest.approx(div[1]["p50"] - div[0]["p50"])


def test_a_pair_never_in_common_view_is_listed_with_its_reason(tmp_path):
    sc = mission.load_scenario(E2E)
    far = compare.with_sites(sc.with_days(1), ["Far=-33.0,-70.0,2400"])  # Chile: no partner within reach
    assert [s.name for s in far.stations][-1] == "Far"
    assert not any("Far" in p for p in far.pairs)  # paired only with stations closer than PARTNER_KM
    data = far.model_dump(mode="json")
    data["pairs"] = [*data["pairs"], ["Delingha", "Far"]]
    sc2 = type(sc).model_validate(data)
    result = compare.compare_sites(sc2, draws=20)
    row = result.ranking[result.ranking["site"] == "Delingha–Far"].iloc[0]
    assert row["windows"] == 0 and row["expected_heralded_pairs"] == 0
    assert row["note"] == "never in common view at night above both masks"
    assert "Far" in set(result.ranking["site"])


def test_site_option_parses_and_refuses_bad_values():
    site = compare.parse_site("Calar Alto=37.2236,-2.5463,2168")
    assert site == {"name": "Calar Alto", "latitude_deg": 37.2236, "longitude_deg": -2.5463, "altitude_m": 2168.0}
    assert compare.parse_site("X=10,20")["altitude_m"] == 0.0
    for bad, why in (("X", "expected NAME=LAT,LON"), ("X=95,0", "latitude 95"), ("X=1,abc", "longitude 'abc'"),
                     ("X=1,2,99999", "altitude 99999"), ("X=nan,2", "finite")):
        with pytest.raises(InputError) as err:
            compare.parse_site(bad)
        assert err.value.field == "--site" and why in err.value.line()


def test_site_option_on_the_command_line(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(app, ["compare", str(E2E), "--out", str(tmp_path), "--site", "Foo=1,2,3,4"])
    assert bad.exit_code == 2
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and "--site = 'Foo=1,2,3,4'" in lines[0]
    dup = runner.invoke(app, ["compare", str(E2E), "--out", str(tmp_path), "--site", "Nanshan=40,90"])
    assert dup.exit_code == 2 and "already in the scenario" in dup.stderr
    assert not (tmp_path / "compare.csv").exists()


def test_compare_command_writes_table_and_page(tmp_path):
    r = CliRunner().invoke(app, ["compare", str(E2E), "--out", str(tmp_path), "--days", "2", "--draws", "50",
                                 "--site", "Ali=32.3,80.0,5100"])
    assert r.exit_code == 0, r.stderr
    table = pd.read_csv(tmp_path / "compare.csv", keep_default_na=False)
    assert list(table.columns) == compare.COLUMNS
    assert "Ali" in set(table["site"]) and (table["kind"] == "pair").sum() >= 3
    page = (tmp_path / "compare.html").read_text()
    assert page.count('class="skyswap-figure"') == len(COMPARE_FIGURE_IDS)
    assert all(f'id="{fig}"' in page for fig in COMPARE_FIGURE_IDS)
    assert "stations (single downlink)" in r.stdout and "station pairs (dual downlink)" in r.stdout


def test_site_comparison_has_a_cloud_statistic_per_site_with_its_source():
    """Issue 16: every site of scenarios/site_comparison.yaml showed 0.5; now each has its own."""
    from skyswap.mission.windows import clouds

    sc = mission.load_scenario(SCENARIOS / "site_comparison.yaml")
    monthly, sources = clouds.cloud_tables(sc.stations, sc.channel)
    annual = {s.name: float(np.mean(monthly[s.name])) for s in sc.stations}
    assert len(set(round(v, 4) for v in annual.values())) == len(annual), annual
    assert all(sources[s.name].kind in ("climatology", "global") and sources[s.name].source for s in sc.stations)
    assert sources["Tenerife"].kind == "climatology"
