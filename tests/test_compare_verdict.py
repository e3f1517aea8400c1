"""Issue 23 item 3: compare gives a verdict — the best station, pair and network, how far ahead
and how sure (share of simulated years in first place), the apertures compared, pairs first in a
pair mode; ``--equal-aperture`` ranks sites rather than telescopes."""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from skyswap import mission
from skyswap.groundstations.year_draws import greedy_network, rank_first_share, station_diversity
from skyswap.mission import compare
from skyswap.mission.cli import app
from skyswap.mission.outputs import compare_page, verdict
from tests.report_pages import parse
from tests.test_compare import synthetic_comparison

E2E = Path(__file__).parent / "data" / "e2e.yaml"


# ------------------------------------------------------------------------- the draws' statistics

def test_rank_first_share_counts_ties_and_empty_draws():
    totals = np.array([[3.0, 1.0, 0.0],    # a first
                       [2.0, 2.0, 1.0],    # a and b tie: half each
                       [0.0, 0.0, 0.0],    # nothing delivered: no one first
                       [0.0, 5.0, 4.0]])   # b first
    share = rank_first_share(totals)
    assert share.tolist() == pytest.approx([1.5 / 4, 1.5 / 4, 0.0])
    assert share.sum() == pytest.approx(3 / 4)  # the share of draws with something delivered
    assert rank_first_share(np.zeros((0, 2))).tolist() == [0.0, 0.0]


def test_greedy_network_adds_the_station_that_raises_p10_most():
    """Each step's choice beats every other candidate for that step, by a count made independently
    (station_diversity over the candidate's group); exhaustive over the groups of the step."""
    rng = np.random.default_rng(7)
    n_st, n_c, n_draws = 5, 80, 300
    st = np.column_stack([rng.integers(0, n_st, n_c), np.where(rng.random(n_c) < 0.3, rng.integers(0, n_st, n_c), -1)])
    st[st[:, 0] == st[:, 1], 1] = -1
    pairs = rng.gamma(2.0, 50.0, n_c)
    start = np.sort(rng.uniform(0, 30 * 86400, n_c))
    windows = np.column_stack([start, start + rng.uniform(100, 600, n_c)])
    delivered = rng.random((n_draws, n_c)) < rng.uniform(0.2, 0.9, n_c)
    order = greedy_network(delivered, pairs, st, list(range(n_st)), 3, windows_s=windows)
    assert len(order) == 3 and len(set(order)) == 3
    for k in range(3):
        chosen_p10 = station_diversity(delivered, pairs, st, order[:k + 1], windows_s=windows)[-1]["p10"]
        for c in set(range(n_st)) - set(order[:k + 1]):
            other = station_diversity(delivered, pairs, st, order[:k] + [c], windows_s=windows)[-1]["p10"]
            assert other <= chosen_p10 + 1e-9, (k, c)
    # greedy's two-station network is within reach of the best of all pairs (not always equal to it)
    best_pair = max(station_diversity(delivered, pairs, st, list(g), windows_s=windows)[-1]["p10"]
                    for g in itertools.permutations(range(n_st), 2))
    assert station_diversity(delivered, pairs, st, order[:2], windows_s=windows)[-1]["p10"] >= 0.8 * best_pair


# ------------------------------------------------------------------------------------ the verdict

def test_verdict_names_the_best_pair_first_with_its_lead_and_certainty():
    comp = synthetic_comparison()
    ranking = comp.ranking.assign(p_rank_first=[1.0, 0.0, 0.0, 0.9, 0.1, 0.0, 0.0])
    v = verdict.verdict(ranking, comp.diversity + [{**comp.diversity[1], "stations": ["Delingha", "Nanshan", "X"],
                                                    "added_station": "X"}], days=365.0, draws=1000)
    assert v["answer"] == "pair"
    assert v["pair"]["site"] == "Delingha–Nanshan" and v["pair"]["ratio_to_next"] == pytest.approx(466.0 / 1.65)
    assert v["pair"]["next"]["site"] == "Delingha–Xinglong" and v["pair"]["p_rank_first"] == 1.0
    assert v["station"]["site"] == "Delingha" and v["station"]["ratio_to_next"] == pytest.approx(2.6 / 2.3)
    assert [len(n["stations"]) for n in v["networks"]] == [2, 3]
    lines = v["lines"]
    assert lines[0].startswith("Best pair (dual downlink): Delingha–Nanshan, 466 expected heralded pairs")
    assert "282.42× the next (Delingha–Xinglong" in lines[0] and "first in 100 % of 1,000" in lines[0]
    assert lines[1].startswith("Best station (single downlink): Delingha") and "first in 90 %" in lines[1]
    assert any(x.startswith("Best network") and "Delingha + Nanshan" in x for x in lines)
    assert any("0.50–1.20 m, up to 5.8× the collecting area" in x for x in lines)  # (1.2 / 0.5)² = 5.76
    # clear skies every night would give 1.4x the expected (the synthetic rows' ratio)
    assert any(x.startswith("What limits it: clouds") and "1.40× the expected" in x for x in lines)


def test_verdict_of_a_close_call_and_of_nothing():
    comp = synthetic_comparison(with_pairs=False)
    ranking = comp.ranking.assign(p_rank_first=[0.45, 0.4, 0.15, 0.0], aperture_a_m=1.0)
    v = verdict.verdict(ranking, [], days=30.0, draws=200)
    assert v["answer"] == "station" and v["pair"] is None
    assert "a close call" in v["lines"][0]
    assert "Every station has a 1.00 m aperture" in v["lines"][-1]
    zero = ranking.assign(expected_heralded_pairs=0.0)
    assert verdict.verdict(zero, [], days=30.0, draws=200)["lines"][0].startswith("No station delivers")
    eq = verdict.verdict(ranking, [], days=30.0, draws=200, equal_aperture_m=1.1)
    assert "same 1.10 m aperture (--equal-aperture)" in eq["lines"][-1]


def test_page_opens_with_the_verdict_and_the_pairs():
    comp = synthetic_comparison()
    comp = replace(comp, verdict=verdict.verdict(comp.ranking, comp.diversity, 365.0, 1000))
    page = compare_page.render_compare_html(comp, "sites")
    sections = re.findall(r'<section id="([^"]+)"', page)
    assert sections[:4] == ["skyswap-verdict", "skyswap-how", "pairs", "stations"]
    answer = re.search(r'<p class="answer" id="skyswap-verdict-answer">([^<]*)</p>', page).group(1)
    assert answer.startswith("Best pair (dual downlink): Delingha–Nanshan")
    heads = re.findall(r"<th>([^<]*)</th>", page)
    assert "aperture [m]" in heads and "first in" in heads and "window hours" not in heads
    assert "First in: the share of the simulated weather years" in page
    cells = parse(page).tables["skyswap-compare-stations-table"][0]["cells"]
    assert cells["aperture"][1] == "1.20" and cells["p_rank_first"][1] == "100 %"
    pair_cells = parse(page).tables["skyswap-compare-pairs-table"][1]["cells"]
    assert pair_cells["aperture"][1] == "1.20 / 1.00" and pair_cells["p_rank_first"][1] == "0 %"
    single = compare_page.render_compare_html(synthetic_comparison(with_pairs=False), "one")
    assert re.findall(r'<section id="([^"]+)"', single)[1:3] == ["stations", "pairs"]


# ------------------------------------------------------------------------------- through the plan

@pytest.fixture(scope="module")
def e2e_pair():
    sc = mission.load_scenario(E2E)
    return sc, compare.compare_sites(sc, draws=200), compare.compare_sites(sc, draws=200, equal_aperture=True)


def test_compare_ranks_pairs_first_with_apertures_and_first_shares(e2e_pair):
    sc, own, _ = e2e_pair
    r = own.ranking
    assert list(r["kind"]) == ["pair"] * 3 + ["station"] * 3
    by_name = {s.name: s.aperture_m for s in sc.stations}
    for row in r.itertuples():
        assert row.aperture_a_m == by_name[row.station_a]
        assert (row.aperture_b_m == by_name[row.station_b]) if row.station_b else pd.isna(row.aperture_b_m)
    for kind in ("station", "pair"):
        share = r[r["kind"] == kind]["p_rank_first"]
        assert 0.0 < share.sum() <= 1.0 + 1e-12 and (share >= 0).all()
    assert own.verdict["pair"]["site"] == r.iloc[0]["site"]
    assert own.verdict["station"]["site"] == r[r["kind"] == "station"].iloc[0]["site"]
    # the diversity table is the greedy network: its first station has the best P10 of any station
    st = r[r["kind"] == "station"]
    assert own.diversity[0]["added_station"] == st.sort_values("p10", ascending=False).iloc[0]["site"]


def test_equal_aperture_ranks_sites_and_scales_as_the_collecting_area(e2e_pair):
    """Far from the transmitter the beam is much wider than a telescope, so a station's single-downlink
    pairs scale with its collecting area: with every aperture set to the median, each station's clear-sky
    pairs move by (median / own)² (Lijiang's 1.8 m -> 1.2 m: x0.44)."""
    sc, own, eq = e2e_pair
    median = float(np.median([s.aperture_m for s in sc.stations]))
    assert eq.equal_aperture_m == median
    st_own = own.ranking[own.ranking["kind"] == "station"].set_index("site")
    st_eq = eq.ranking[eq.ranking["kind"] == "station"].set_index("site")
    assert (st_eq["aperture_a_m"] == median).all()
    for s in sc.stations:
        ratio = st_eq.loc[s.name, "heralded_pairs_clear_skies"] / st_own.loc[s.name, "heralded_pairs_clear_skies"]
        assert ratio == pytest.approx((median / s.aperture_m) ** 2, rel=0.08), s.name
    assert eq.verdict["equal_aperture_m"] == median
    assert any("(--equal-aperture)" in x for x in eq.verdict["lines"])


def test_compare_command_prints_the_verdict_and_where_it_wrote(tmp_path):
    r = CliRunner().invoke(app, ["compare", str(E2E), "--out", str(tmp_path), "--days", "2", "--draws", "50",
                                 "--equal-aperture"])
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert out.index("Best pair (dual downlink)") < out.index("station pairs (dual downlink)") \
        < out.index("stations (single downlink)")
    assert f"-> {tmp_path}/ (compare.csv, compare.json, compare.html)" in out.strip().splitlines()[-1]
    data = json.loads((tmp_path / "compare.json").read_text())
    assert data["equal_aperture_m"] == 1.2 and data["verdict"]["answer"] == "pair"
    assert data["verdict"]["lines"][0].startswith("Best pair")
    assert [row["site"] for row in data["ranking"]] == list(pd.read_csv(tmp_path / "compare.csv")["site"])
    page = (tmp_path / "compare.html").read_text()
    assert "Every station was given the same 1.20 m aperture" in page
    quiet = CliRunner().invoke(app, ["compare", str(E2E), "--out", str(tmp_path), "--days", "1", "--draws", "20",
                                     "--quiet"])
    assert quiet.exit_code == 0 and quiet.stdout == ""


def test_terminal_table_fits_80_columns(e2e_pair, capsys):
    _, own, _ = e2e_pair
    compare.print_table(own, width=80)
    out = capsys.readouterr().out
    tables = out[out.index("station pairs (dual downlink), by"):out.index("aperture [m]; expected")]
    assert max(len(line) for line in tables.splitlines()) <= 80
    assert "…" not in out  # no column cut short
    assert out.splitlines()[0].startswith("Best pair (dual downlink)")  # a sentence per line, not cut
    compare.print_table(own, width=160)
    wide = capsys.readouterr().out
    assert "P10 rank" in wide and "note" in wide
