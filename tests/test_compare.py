"""`skyswap compare` and its page: stations and pairs ranked on the same orbit and payload, by expected value and
P10, each site by what it would deliver on its own; candidate sites by coordinates."""
from __future__ import annotations

import re
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
from tests import result_fixture as fx
from tests.report_pages import assert_self_contained, figures, parse, values

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


def test_diversity_is_the_network_for_p10(e2e):
    """Stations join greedily for the year's P10 (tests/test_compare_verdict.py checks the greedy
    step): the first is the station whose own year has the best P10."""
    _, result = e2e
    div = result.diversity
    stations = result.ranking[result.ranking["kind"] == "station"]
    assert div[0]["added_station"] == stations.sort_values("rank_p10").iloc[0]["site"]
    assert div[0]["p10"] == pytest.approx(stations.sort_values("rank_p10").iloc[0]["p10"])
    assert sorted(d["added_station"] for d in div) == sorted(stations[stations["expected_heralded_pairs"] > 0]["site"])
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
    from skyswap.mission.weather import clear_sky as clouds

    sc = mission.load_scenario(SCENARIOS / "site_comparison.yaml")
    monthly, sources = clouds.cloud_tables(sc.stations, sc.channel)
    annual = {s.name: float(np.mean(monthly[s.name])) for s in sc.stations}
    assert len(set(round(v, 4) for v in annual.values())) == len(annual), annual
    assert all(sources[s.name].kind in ("climatology", "global") and sources[s.name].source for s in sc.stations)
    assert sources["Tenerife"].kind == "climatology"


# ------------------------------------------------------------------------------ compare page

def synthetic_comparison(with_pairs: bool = True):
    """A made-up Comparison: four stations (one without windows), three pairs (one never in view)."""
    from skyswap.mission.compare import COLUMNS, Comparison

    apertures = {"Delingha": 1.2, "Nanshan": 1.2, "Xinglong": 1.0, "Graz": 0.5}

    def row(kind, site, a, b, exp, rank, note=""):
        return {"kind": kind, "site": site, "station_a": a, "station_b": b, "aperture_a_m": apertures[a],
                "aperture_b_m": apertures.get(b), "rank_expected": rank, "rank_p10": rank,
                "p_rank_first": 1.0 if rank == 1 else 0.0,
                "windows": 0 if note else 400, "window_hours": 0.0 if note else 25.0, "expected_heralded_pairs": exp,
                "p10": 0.9 * exp, "p50": exp, "p90": 1.1 * exp, "heralded_pairs_clear_skies": 1.4 * exp,
                "median_fidelity": None if note else 0.93, "secret_key_bits_p50": 0.0,
                "cloud_free_probability": 0.6, "cloud_source": "global" if kind == "station" else "", "note": note}
    rows = [row("station", "Delingha", "Delingha", "", 2.6e5, 1), row("station", "Nanshan", "Nanshan", "", 2.3e5, 2),
            row("station", "Xinglong", "Xinglong", "", 9.0e4, 3),
            row("station", "Graz", "Graz", "", 0.0, 4, "no window at night above its mask in this span")]
    if with_pairs:
        rows += [row("pair", "Delingha–Nanshan", "Delingha", "Nanshan", 466.0, 1),
                 row("pair", "Delingha–Xinglong", "Delingha", "Xinglong", 1.65, 2),
                 row("pair", "Nanshan–Xinglong", "Nanshan", "Xinglong", 0.0, 3,
                     "never in common view at night above both masks")]
    clouds = [{"station": n, "kind": "global", "basis": "annual", "monthly": [p] * 12, "source": "ITU-R P.840-8 grid"}
              for n, p in (("Delingha", 0.866), ("Nanshan", 0.726), ("Xinglong", 0.55), ("Graz", 0.505))]
    clouds[2] = {**clouds[2], "kind": "climatology", "source": "Xinglong <site> paper"}
    diversity = [{"stations": ["Delingha"], "added_station": "Delingha", "p_any_clear": 0.866, "mean": 2.6e5,
                  "p10": 2.4e5, "p50": 2.6e5, "p90": 2.8e5, "added_p10": 2.4e5, "added_p50": 2.6e5},
                 {"stations": ["Delingha", "Nanshan"], "added_station": "Nanshan", "p_any_clear": 0.95, "mean": 3.9e5,
                  "p10": 3.7e5, "p50": 3.9e5, "p90": 4.1e5, "added_p10": 1.3e5, "added_p50": 1.3e5}]
    stations = pd.concat([fx.STATIONS, pd.DataFrame([fx.IDLE_STATION])], ignore_index=True)
    if with_pairs:  # in a pair mode the pairs come first (compare_sites' order)
        rows = rows[4:] + rows[:4]
    return Comparison("sites", "dual-downlink" if with_pairs else "single-downlink",
                      pd.DataFrame(rows, columns=COLUMNS), diversity, clouds, stations, 1000, 365.0)


def test_compare_page_separates_stations_and_pairs():
    """Issue 17: stations and pairs interleaved in one table, on one linear axis."""
    from skyswap.mission.outputs import compare_page

    page = compare_page.render_compare_html(synthetic_comparison(), "Sites <for> 2027")
    assert_self_contained(page)
    assert "<title>Sites &lt;for&gt; 2027</title>" in page
    assert page == compare_page.render_compare_html(synthetic_comparison(), "Sites <for> 2027")
    assert list(figures(page)) == list(compare_page.COMPARE_FIGURE_IDS)
    tables = parse(page).tables
    assert [r["key"] for r in tables["skyswap-compare-stations-table"]] == ["Delingha", "Nanshan", "Xinglong", "Graz"]
    assert [r["key"] for r in tables["skyswap-compare-pairs-table"]] == [
        "Delingha–Nanshan", "Delingha–Xinglong", "Nanshan–Xinglong"]
    heads = re.findall(r"<th>([^<]*)</th>", page)
    assert not any("per year" in h or "usable passes" in h for h in heads)
    first = tables["skyswap-compare-stations-table"][0]["cells"]
    assert first["expected_heralded_pairs"][1] == "2.60 × 10⁵" and first["rank_p10"][1] == "1"
    figs = figures(page)
    stations, pairs = figs["skyswap-compare-stations"], figs["skyswap-compare-pairs"]
    assert values(stations["data"][0]["x"])[0] == 2.6e5
    assert stations["layout"]["xaxis"]["type"] == "linear"  # 9e4 .. 2.6e5: under two decades
    assert pairs["layout"]["xaxis"]["type"] == "log"  # 1.65 .. 466: more than two decades
    # the station and the pair without windows are listed with zero and the reason, never dropped
    assert tables["skyswap-compare-stations-table"][-1]["cells"]["note"][1].startswith("no window")
    zero = next(t for t in pairs["data"] if t["name"] == "no pairs")
    assert zero["y"] == ["Nanshan–Xinglong"] and zero["text"] == ["0 — never in common view at night above both masks"]


def test_compare_page_shows_diversity_and_each_cloud_source():
    from skyswap.mission.outputs import compare_page

    page = compare_page.render_compare_html(synthetic_comparison(), "sites")
    tables = parse(page).tables
    div = tables["skyswap-diversity"]
    assert [r["key"] for r in div] == ["Delingha", "Nanshan"]
    assert float(div[1]["cells"]["added_p10"][0]) == 1.3e5 and div[1]["cells"]["p_any_clear"][1] == "0.950"
    clouds = {r["key"]: r["cells"] for r in tables["skyswap-clouds"]}
    assert clouds["Xinglong"]["kind"][1] == "climatology" and clouds["Xinglong"]["source"][1] == "[2]"
    assert clouds["Graz"]["source"][1] == "[1]"
    sources = re.search(r'<ol id="skyswap-cloud-sources">(.*?)</ol>', page).group(1)
    assert sources == "<li>ITU-R P.840-8 grid</li><li>Xinglong &lt;site&gt; paper</li>"


def test_compare_page_without_pairs_or_rows():
    from skyswap.mission.compare import COLUMNS, Comparison
    from skyswap.mission.outputs import compare_page

    page = compare_page.render_compare_html(synthetic_comparison(with_pairs=False), "single")
    assert "This scenario plans no station pairs" in page
    assert list(figures(page)) == ["skyswap-compare-stations", "skyswap-compare-pairs", "skyswap-compare-map"]
    empty = Comparison("x", "dual-downlink", pd.DataFrame(columns=COLUMNS), [], [], pd.DataFrame(), 0, 1.0)
    page = compare_page.render_compare_html(empty, "empty")
    assert "Nothing to rank" in page and "No station delivers pairs" in page
    assert sorted(figures(page)) == sorted(compare_page.COMPARE_FIGURE_IDS)
    assert_self_contained(page)


def test_site_comparison_uses_the_q4s_payload():
    """site_comparison.yaml says it ranks sites with the q4s year's payload: it must be the same."""
    from pathlib import Path

    import skyswap

    scenarios = Path(__file__).resolve().parents[1] / "scenarios"
    q4s = skyswap.load_scenario(scenarios / "q4s_year.yaml")
    sites = skyswap.load_scenario(scenarios / "site_comparison.yaml")
    assert sites.payload == q4s.payload
    assert sites.orbit == q4s.orbit
