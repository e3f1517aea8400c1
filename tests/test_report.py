"""The HTML reports: self-contained, offline, deterministic, complete, robust to degenerate results.

The browser-side checks (every figure actually draws, screenshot) are in test_browser.py; the map's in
test_report_map.py.
"""
from __future__ import annotations

import copy
import datetime
import json
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skyswap.mission.outputs import report
from skyswap.mission.outputs.summary import fidelity_budget
from skyswap.payload.swap import BUDGET_TERMS
from tests import result_fixture as fx
from tests.report_pages import assert_self_contained, figures, parse, values

# ---------------------------------------------------------------------------- self-contained

def test_page_is_self_contained(page):
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert_self_contained(page)


def test_page_is_deterministic(result, page):
    assert report.render_html(result) == page
    assert report.render_html(copy.deepcopy(result)) == page
    assert datetime.date.today().isoformat() not in page.split("</head>", 1)[1]  # no time stamp


def test_every_figure_present_once(page):
    for div_id in report.MISSION_FIGURE_IDS:
        assert page.count(f'<div id="{div_id}" class="skyswap-figure"') == 1, div_id
    assert page.count('class="skyswap-figure"') == len(report.MISSION_FIGURE_IDS)
    assert list(figures(page)) == list(report.MISSION_FIGURE_IDS)


def test_scenario_text_is_escaped_and_hash_shown(result, page):
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends" in page
    assert f'<code id="skyswap-hash">{result.scenario_hash}</code>' in page
    assert "<th>numpy</th><td>" + np.__version__ in page


def test_scenario_dump_is_collapsed():
    """Issue 17: the scenario dump filled ~60 % of the page: it is a closed <details> now."""
    page = report.render_html(fx.make_result())
    m = re.search(r'<details id="skyswap-scenario-details">(<summary>[^<]*</summary>)<pre id="skyswap-scenario-yaml">',
                  page)
    assert m and "lines of YAML" in m.group(1)
    assert '<details id="skyswap-scenario-details" open' not in page


# ---------------------------------------------------------------------------------- contents

def test_ranking_tables_match_summary(result, page):
    tables = parse(page).tables
    fields = ["contacts", "hours", "heralded_pairs", "expected_heralded_pairs", "median_fidelity", "secret_key_bits"]
    for table_id, rows, key in (
        ("skyswap-ranking-stations", result.summary["by_station"], lambda r: r["station"]),
        ("skyswap-ranking-pairs", result.summary["by_pair"], lambda r: f"{r['station_a']}–{r['station_b']}"),
    ):
        drawn = [r for r in tables[table_id] if r["cells"]["note"][1] == "—"]  # the ranked rows
        assert sorted(r["key"] for r in drawn) == sorted(key(r) for r in rows)
        by_key = {key(r): r for r in rows}
        expected = [r["cells"]["expected_heralded_pairs"][0] for r in drawn]
        assert [float(x) for x in expected] == sorted((float(x) for x in expected), reverse=True)
        assert [r["cells"]["rank"][1] for r in drawn] == [str(i + 1) for i in range(len(rows))]
        for row in drawn:
            src = by_key[row["key"]]
            for f in fields:
                assert float(row["cells"][f][0]) == pytest.approx(src[f], rel=0, abs=0), (table_id, row["key"], f)
    # a station's P10/P90 are the distribution's (both give a station half of each pair contact)
    spread = result.summary["distribution"]["heralded_pairs"]["by_station"]
    first = tables["skyswap-ranking-stations"][0]
    assert float(first["cells"]["p10"][0]) == pytest.approx(spread[first["key"]]["p10"], rel=1e-12)
    # the display text is formatted from the same values
    cells = first["cells"]
    assert cells["contacts"][1] == f"{int(cells['contacts'][0].split('.')[0]):,}"


def test_rankings_list_a_station_without_contacts_with_the_reason(result, page):
    """Issue 17: a station with no pass (Tenerife in q4s) was silently left out of the rankings."""
    rows = parse(page).tables["skyswap-ranking-stations"]
    idle = [r for r in rows if r["key"] == fx.IDLE_STATION["name"]]
    assert len(idle) == 1 and rows[-1] is idle[0]
    cells = idle[0]["cells"]
    assert cells["contacts"] == ("0.0", "0") and cells["expected_heralded_pairs"][1] == "0"
    assert cells["note"][1] == "in no station pair of the scenario"
    # a pair of the scenario with no window is listed too, and a station with windows but no contact
    summary = copy.deepcopy(result.summary)
    summary["by_pair"] = summary["by_pair"][:2]
    pairs = report.pair_ranking(summary, fx.PAIRS)
    assert pairs[-1]["pair"] == "Nanshan–Xinglong" and pairs[-1]["contacts"] == 0 and "common-view" in pairs[-1]["note"]
    summary["by_station"] = summary["by_station"][1:]
    lost = report.station_ranking(summary, result.stations, result.passes, fx.PAIRS)
    assert [r["note"] for r in lost if r["station"] == "Delingha"][0].endswith("lost to other contacts")


def test_median_fidelity_and_hours_are_explained(page):
    """Issue 17: the pair-weighted median said nothing; "operating hours" sat beside link hours."""
    doc = parse(page)
    heads = re.findall(r"<th>([^<]*)</th>", page)
    assert "median fidelity (weighted by heralded pairs)" in heads
    defs = re.search(r'<dl class="defs" id="skyswap-definitions">(.*?)</dl>', page).group(1)
    for term in ("contact hours", "payload operating hours", "expected", "fidelity statistics"):
        assert f"<dt>{term}</dt>" in defs
    assert "not the same clock as contact hours" in defs
    assert "skyswap-totals" in {a.get("id") for _, a in doc.tags}


def test_fidelity_budget_is_heralded_pair_weighted_mean(result, page):
    p = result.passes
    ok = p.fidelity.notna()
    w = p.heralded_pairs[ok].to_numpy()
    budget = fidelity_budget(p)
    for term, (_, value) in zip(BUDGET_TERMS, budget["terms"]):
        assert value == pytest.approx(np.sum(w * p.loc[ok, f"infidelity_{term}"]) / w.sum(), rel=1e-12)
    mean_f = np.sum(w * p.fidelity[ok]) / w.sum()
    assert budget["mean_fidelity"] == pytest.approx(mean_f, rel=1e-12)
    # the fixture's fidelity is 1 - sum(terms) - 0.001: the waterfall shows that 0.001 as "not itemised"
    assert budget["residual"] == pytest.approx(-0.001, abs=1e-12)
    trace = figures(page)["skyswap-fidelity-budget"]["data"][0]
    assert trace["type"] == "waterfall"
    assert trace["measure"][0] == "absolute" and trace["measure"][-1] == "total"
    y = values(trace["y"])
    assert y[0] == 1.0 and 1.0 + y[1:-1].sum() == pytest.approx(mean_f, abs=1e-12)
    assert trace["x"][-2] == "not itemised" and trace["text"][-1] == f"{mean_f:.4f}"


def test_monthly_figure_draws_summary_months(result, page):
    data = figures(page)["skyswap-monthly"]["data"]
    by_name = {t["name"]: t for t in data}
    months = result.summary["monthly"]
    for name, field in (("BSM heralds (expected count)", "bsm_heralds"),
                        ("four-fold swaps (expected count)", "swaps_fourfold"),
                        ("heralded pairs, clear skies", "heralded_pairs"),
                        ("expected heralded pairs (cloud-weighted)", "expected_heralded_pairs"),
                        ("secret key", "secret_key_bits")):
        assert by_name[name]["x"] == [m["month"] for m in months]
        np.testing.assert_array_equal(values(by_name[name]["y"]), [m[field] for m in months])


def test_schedule_has_every_window_and_contact_once(result, page):
    """Issue 23: contacts were 1-2 px slivers on a week, one legend colour stood for many, no lane
    per telescope, no nights. Every window once (pale), every contact twice: in its telescope's lane
    and over its window, in the telescope's colour, which the legend names."""
    from skyswap.mission.outputs.figures_plan import MIN_CONTACT_PX, NIGHT_COLOUR, PLOT_WIDTH_PX

    spec = figures(page)["skyswap-schedule"]
    cand = [t for t in spec["data"] if t["name"] == "candidate window"]
    assert len(cand) == 1 and sorted(c[0] for c in cand[0]["customdata"]) == sorted(result.passes.pass_id)
    lane_traces = [t for t in spec["data"] if t["name"] == "telescope 1"]
    assert len(lane_traces) == 2  # the lane, and the same contacts over their windows
    for t in lane_traces:
        assert sorted(c[0] for c in t["customdata"]) == sorted(result.schedule.contact_id)
        assert t["marker"]["color"] == lane_traces[0]["marker"]["color"]
    lane, over = lane_traces
    assert set(lane["y"]) == {"telescope 1"} and lane.get("showlegend", True) and over["showlegend"] is False
    assert lane["text"] == [f"{a}–{b}" for a, b in zip(result.schedule.station_a, result.schedule.station_b)]
    row = result.schedule.set_index("contact_id").loc[over["customdata"][0][0]]
    assert over["y"][0] == f"{row.station_a}–{row.station_b}"
    assert over["base"][0] == row.start_utc.replace("T", " ").replace("Z", "000")
    assert values(over["x"])[0] == pytest.approx(row.duration_s * 1000.0, abs=0.5)
    # the legend: nights, candidate windows and one entry per telescope, nothing else
    legend = [t["name"] for t in spec["data"] if t.get("showlegend", True)]
    assert legend == ["night at the station(s)", "candidate window", "telescope 1"]
    assert spec["layout"]["yaxis"]["categoryarray"][::-1] == ["telescope 1", *sorted(f"{a}–{b}" for a, b in fx.PAIRS)]
    # nights: a pair row is shaded where both its stations are in night (the fixture: 19:00-05:00 local)
    night = next(t for t in spec["data"] if t["name"] == "night at the station(s)")
    assert night["marker"]["color"] == NIGHT_COLOUR
    a, b = fx.PAIRS[0]
    lon = dict(zip(fx.STATIONS.name, fx.STATIONS.longitude_deg))
    shift_h = abs(lon[a] - lon[b]) / 15.0
    widths = [w for w, y in zip(values(night["x"]), night["y"]) if y == f"{a}–{b}"]
    assert np.median(widths) == pytest.approx((10.0 - shift_h) * 3600e3, abs=1e3)
    # opens on the first contact, at a scale where the median contact is visible
    xaxis = spec["layout"]["xaxis"]
    assert xaxis["type"] == "date"
    labels = [b["label"] for b in xaxis["rangeselector"]["buttons"]]
    assert labels == ["12 h", "1 day", "1 week", "1 month", "whole span"]
    lo, hi = (pd.to_datetime(x) for x in xaxis["range"])
    px_per_s = PLOT_WIDTH_PX / (hi - lo).total_seconds()
    assert result.schedule.duration_s.median() * px_per_s >= MIN_CONTACT_PX - 1e-9 or (hi - lo) == pd.Timedelta(hours=2)
    starts = pd.to_datetime(result.schedule.start_utc).dt.tz_localize(None)
    assert ((starts > lo) & (starts < hi)).sum() >= 1


def test_schedule_opens_on_the_busiest_stretch_of_the_first_week():
    from skyswap.mission.outputs.figures_plan import MIN_CONTACT_PX, PLOT_WIDTH_PX, opening_range

    day = pd.Timestamp("2027-01-01T00:00:00Z")
    lone = [day + pd.Timedelta(hours=1)]
    busy = [day + pd.Timedelta(days=2, hours=20, minutes=10 * k) for k in range(5)]
    late = [day + pd.Timedelta(days=9, hours=3, minutes=5 * k) for k in range(9)]  # after the first week
    times = [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in lone + busy + late]
    lo, hi = opening_range(times, [180.0] * len(times))
    assert (hi - lo).total_seconds() == pytest.approx(180.0 * PLOT_WIDTH_PX / MIN_CONTACT_PX)  # 10.5 h
    assert lo < busy[0] and busy[-1] + pd.Timedelta(seconds=180) < hi
    assert not lo < lone[0] < hi and not lo < late[0] < hi
    # short contacts: the view is at most the shortest opening; long ones: at most a week
    lo, hi = opening_range(times, [1.0] * len(times))
    assert hi - lo == pd.Timedelta(hours=2)
    lo, hi = opening_range(times[:1], [3.0e5])
    assert hi - lo == pd.Timedelta(days=7)
    assert opening_range([], []) is None


def test_contention_draws_wanted_against_served(result, page):
    spec = figures(page)["skyswap-contention"]
    rows = result.summary["by_pair"]
    hours = {t["name"]: values(t["x"]) for t in spec["data"] if t["xaxis"] == "x"}
    np.testing.assert_allclose(hours["wanted (all candidate windows)"], [r["hours_wanted"] for r in rows])
    np.testing.assert_allclose(hours["served (scheduled contacts)"], [r["hours"] for r in rows])
    pairs = {t["name"]: values(t["x"]) for t in spec["data"] if t["xaxis"] == "x2"}
    np.testing.assert_allclose(pairs["wanted (all candidate windows)"],
                               [r["expected_heralded_pairs_wanted"] for r in rows])
    served = next(t for t in spec["data"] if t["xaxis"] == "x" and t["name"].startswith("served"))
    assert served["text"][-1] == "50 % served"
    # the policy and the solver's report
    plan = {r.split("</th>")[0]: r.split("<td>")[1].split("</td>")[0]
            for r in re.search(r'id="skyswap-contact-plan">(.*?)</table>', page).group(1).split("<th>")[1:]}
    assert plan["policy"] == "max-pairs" and plan["solver status"] == f"optimal: {len(result.passes)}"


def test_contention_axis_is_logarithmic_where_pairs_span_decades():
    from skyswap.mission.outputs.figures_plan import contention_figure

    rows = [{"station_a": "A", "station_b": "B", "hours": 1.0, "hours_wanted": 2.0, "time_share": 0.5,
             "expected_heralded_pairs": 3e-5, "expected_heralded_pairs_wanted": 4e-5},
            {"station_a": "C", "station_b": "D", "hours": 1.0, "hours_wanted": 1.0, "time_share": 1.0,
             "expected_heralded_pairs": 2.5, "expected_heralded_pairs_wanted": 2.5}]
    assert contention_figure(rows).layout.xaxis2.type == "log"
    rows[0].update(expected_heralded_pairs=1.0, expected_heralded_pairs_wanted=1.5)
    assert contention_figure(rows).layout.xaxis2.type != "log"


def test_distribution_figure_draws_the_monthly_band_and_each_link(result, page):
    spec = figures(page)["skyswap-distribution"]
    d = result.summary["distribution"]["heralded_pairs"]
    by_name = {t["name"]: t for t in spec["data"]}
    np.testing.assert_allclose(values(by_name["P90"]["y"]), [m["p90"] for m in d["monthly"]])
    band = by_name["P10–P90 of simulated years"]
    assert band["fill"] == "tonexty"
    np.testing.assert_allclose(values(band["y"]), [m["p10"] for m in d["monthly"]])
    np.testing.assert_allclose(values(by_name["median (P50)"]["y"]), [m["p50"] for m in d["monthly"]])
    links = by_name["P50, bar P10–P90"]
    assert sorted(links["y"]) == sorted(d["by_pair"])
    k = links["y"].index("Delingha–Nanshan")
    q = d["by_pair"]["Delingha–Nanshan"]
    assert values(links["x"])[k] == pytest.approx(q["p50"])
    assert values(links["error_x"]["arrayminus"])[k] == pytest.approx(q["p50"] - q["p10"])
    no_draws = report.render_html(replace(result, summary={**result.summary, "distribution": None}))
    assert "No weather draws in this result" in no_draws


def test_pass_detail_gives_each_pass_its_own_panels(result, page):
    """Issue 17: two nearly identical passes drawn on one axis hid each other."""
    data = figures(page)["skyswap-pass-detail"]["data"]
    axes = {}
    for t in data:
        pid = t["hovertemplate"].split(":")[0]
        axes.setdefault(pid, set()).add(t["xaxis"])
    assert set(axes) == set(result.pass_detail)
    owners = [a for s in axes.values() for a in s]
    assert len(owners) == len(set(owners)), "two passes share a panel"
    pid = next(iter(result.pass_detail))
    df = result.pass_detail[pid]
    elev = [t for t in data if t["hovertemplate"].startswith(pid) and "elevation" in t["hovertemplate"]]
    np.testing.assert_allclose(values(elev[0]["y"]), df.elevation_a_deg)
    np.testing.assert_allclose(values(elev[1]["y"]), df.elevation_b_deg)
    np.testing.assert_allclose(values(elev[0]["x"])[:3], [0.0, 5.0, 10.0])


def test_planner_details_the_best_pass_of_each_link_first():
    from skyswap.mission.outputs.detail import pass_detail as _pass_detail

    table = pd.DataFrame({"pass_id": ["A+B/1", "A+B/2", "A+B/3", "C+D/1", "E+F/1"], "station_a": list("AAACE"),
                          "station_b": list("BBBDF"), "heralded_pairs": [9.0, 8.9, 8.8, 1.0, 0.5]})
    rows = pd.DataFrame({"pass_id": list(table.pass_id), "time_s": [0.0] * 5})
    asked = []

    def samples(pass_ids):  # the plan computes the samples of the chosen passes only
        asked.append(list(pass_ids))
        return rows[rows["pass_id"].isin(pass_ids)]

    class T0:  # frames.utc_iso needs only the span start
        pass

    import skyswap.mission.outputs.detail as detail

    original = detail.frames.utc_iso
    detail.frames.utc_iso = lambda t0, t: ["2027-01-01T00:00:00Z"] * len(t)
    try:
        assert list(_pass_detail(table, samples, 3, T0())) == ["A+B/1", "C+D/1", "E+F/1"]
        # never a second pass of a link (issue 23: the caption says "the best pass of each link")
        assert list(_pass_detail(table, samples, 4, T0())) == ["A+B/1", "C+D/1", "E+F/1"]
        assert list(_pass_detail(table, samples, 2, T0())) == ["A+B/1", "C+D/1"]
        assert asked == [["A+B/1", "C+D/1", "E+F/1"], ["A+B/1", "C+D/1", "E+F/1"], ["A+B/1", "C+D/1"]]
    finally:
        detail.frames.utc_iso = original


def test_tick_labels_are_powers_of_ten_never_si_prefixes(page):
    """Issue 17: tick labels like "800µ" on the pair-rate axis."""
    for div_id, spec in figures(page).items():
        template = spec["layout"]["template"]["layout"]
        assert template["xaxis"]["exponentformat"] == "power", div_id
        assert template["yaxis"]["exponentformat"] == "power", div_id
        for key, axis in spec["layout"].items():
            if re.fullmatch(r"[xy]axis\d*", key):
                assert axis.get("exponentformat", "power") == "power", (div_id, key)


def test_counts_and_expectations_are_shown_as_such():
    """Issue 17: an expected 35,309,646.4 swaps was shown as a count with a decimal."""
    from skyswap.mission.outputs.numbers import expected

    assert report.fmt(35309646.4) == "3.53 × 10⁷"
    assert report.fmt(7.7e-3) == "0.00770" and report.fmt(1.2e-5) == "1.20 × 10⁻⁵"
    assert report.fmt(2610) == "2,610" and report.fmt(16.82137712) == "16.8"
    assert expected(0.0) == "0" and expected(999.96) == "1,000" and expected(float("nan")) == "—"
    res = fx.make_result()
    totals = {**res.summary["totals"], "bsm_heralds": 35309646.4}
    page = report.render_html(replace(res, summary={**res.summary, "totals": totals}))
    cards = re.search(r'id="skyswap-totals">(.*?)</div></div></div>', page, re.S).group(0)
    assert "3.53 × 10⁷" in cards and "35,309,646" not in page
    assert "expected count" in cards


def test_zero_key_says_how_many_pairs_a_key_needs():
    """Issue 17: "0 key bits" without saying why."""
    from skyswap.mission.outputs.headline import closing_line, pooled_qber
    from skyswap.payload.keyrate import bbm92_min_sifted_bits

    res = fx.nan_fidelity_result()
    res = replace(res, schedule=fx.schedule_of(fx.make_result(n_passes=40, seed=5).passes))
    page = report.render_html(res)
    q = pooled_qber(res.schedule)
    need = 2 * bbm92_min_sifted_bits(q)
    assert f"Secret key: 0 bits, because a finite-size key needs at least {int(need):,} heralded pairs" in page
    line = closing_line({k: v for k, v in res.summary.items() if k != "secret_key"})  # no per-contact reason
    assert "0 key bits (a finite-size key needs at least" in line
    assert f"{int(2 * bbm92_min_sifted_bits(0.0)):,} heralded pairs pooled on one link even with no errors" in line
    assert "P10" in line and "P90" in line and "expected after clouds" in line


def test_what_this_means_comes_first_and_says_the_numbers(result, page):
    body = page.split("<main>", 1)[1]
    assert body.index('id="skyswap-meaning"') < body.index('id="totals"') < body.index('id="section-schedule"')
    meaning = re.search(r'id="skyswap-meaning"(.*?)</section>', page, re.S).group(1)
    t = result.summary["totals"]
    from skyswap.mission.outputs.numbers import expected

    for value in (t["heralded_pairs"], t["expected_heralded_pairs"], t["bsm_heralds"]):
        assert expected(value) in meaning
    d = result.summary["distribution"]["heralded_pairs"]
    both = result.summary["distribution"]["weather_and_link"]["heralded_pairs"]
    assert "simulated years of weather and link uncertainty" in meaning
    assert f"between {expected(both['p10'])} (P10) and {expected(both['p90'])} (P90)" in meaning
    assert f"the weather alone spans {expected(d['p10'])} – {expected(d['p90'])}" in meaning
    assert "no quantum memory" in meaning


def test_cards_show_the_band_over_weather_and_link_beside_the_weather_alone(result, page):
    """Issue 22 item 5: the report shows the combined band, says it is weather + link, and keeps the
    weather-only band beside it (the fixture's combined band is wider: they cannot be the same)."""
    from html import unescape

    from skyswap.mission.outputs.numbers import expected

    cards = unescape(re.search(r'id="skyswap-totals">(.*?)</dl>', page, re.S).group(1))
    d = result.summary["distribution"]
    both, alone = d["weather_and_link"]["heralded_pairs"], d["heralded_pairs"]
    assert (f'P10 – P90, weather + link</div><div class="v">{expected(both["p10"])} – {expected(both["p90"])}'
            in cards)
    assert f'P10 – P90, weather alone</div><div class="v">{expected(alone["p10"])} – {expected(alone["p90"])}' in cards
    assert "link model's uncertainty" in cards



# -------------------------------------------------------------------------------- degenerate

@pytest.mark.parametrize("make, note", [
    (fx.empty_result, "No usable passes in this span"),
    (fx.nan_fidelity_result, "No pass heralded an entangled pair"),
    (lambda: fx.make_result("single-downlink", n_passes=60), "Mode single-downlink"),
    (lambda: fx.make_result("onboard", n_passes=30), "Mode onboard"),
])
def test_degenerate_results_render_with_a_note(make, note):
    res = make()
    page = report.render_html(res)
    assert note in page
    assert list(figures(page)) == list(report.MISSION_FIGURE_IDS)
    assert_self_contained(page)
    assert report.render_html(res) == page


def test_empty_result_figures_carry_notes():
    page = report.render_html(fx.empty_result())
    figs = figures(page)
    assert figs["skyswap-schedule"]["layout"]["annotations"][0]["text"] == \
        "No candidate windows and no contacts in this span."
    assert "no fidelity budget" in figs["skyswap-fidelity-budget"]["layout"]["annotations"][0]["text"]
    assert figs["skyswap-schedule"]["data"] == []


def test_single_station_mode_has_no_b_traces_and_no_pairs():
    res = fx.make_result("single-downlink", n_passes=60)
    figs = figures(report.render_html(res))
    assert all("station B" not in t.get("hovertemplate", "") for t in figs["skyswap-pass-detail"]["data"])
    assert "station pairs" not in [t["name"] for t in figs["skyswap-map"]["data"]]
    assert set(figs["skyswap-schedule"]["layout"]["yaxis"]["categoryarray"]) == {*fx.STATIONS.name, "telescope 1"}


def test_result_with_missing_columns():
    passes = pd.DataFrame({"pass_id": ["X/0001", "X/0002"], "station_a": ["X", None],
                           "culmination_utc": ["2027-03-01T00:00:00Z", "garbage"], "fidelity": [np.nan, 0.9]})
    res = fx.make_result(n_passes=0)
    page = report.render_html(replace(res, passes=passes, summary={}, pass_detail={}))
    assert list(figures(page)) == list(report.MISSION_FIGURE_IDS)
    assert_self_contained(page)


_cell = st.one_of(st.none(), st.just(np.nan), st.floats(0, 1e6, allow_nan=False))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(0, 6),
    heralded=st.lists(_cell, min_size=6, max_size=6),
    fidelity=st.lists(st.one_of(st.just(np.nan), st.floats(0, 1)), min_size=6, max_size=6),
    term=st.lists(_cell, min_size=6, max_size=6),
    station_b=st.lists(st.sampled_from(["", "Nanshan", None]), min_size=6, max_size=6),
)
def test_any_mix_of_missing_values_renders(n, heralded, fidelity, term, station_b):
    res = fx.make_result(n_passes=6, seed=1)
    p = res.passes.copy()
    p["heralded_pairs"] = pd.array(heralded, dtype=object)
    p["fidelity"] = fidelity
    p["infidelity_background"] = pd.array(term, dtype=object)
    p["station_b"] = pd.array(station_b, dtype=object)
    p = p.head(n)
    page = report.render_html(replace(res, passes=p, summary=fx.summarise(res.scenario_name, res.scenario_hash,
                                                                          res.mode, p)))
    assert list(figures(page)) == list(report.MISSION_FIGURE_IDS)
    budget = fidelity_budget(p)
    fid = pd.to_numeric(p.fidelity, errors="coerce")
    assert (budget is None) == (not np.isfinite(fid).any())
    if budget is not None:
        assert min(fid[np.isfinite(fid)]) - 1e-12 <= budget["mean_fidelity"] <= max(fid[np.isfinite(fid)]) + 1e-12


def test_plan_command_closes_with_the_distribution_and_the_key_reason(tmp_path):
    """The CLI's closing line (issue 16 item 3, issue 17): contacts, swaps as an expected count,
    pairs with clear skies / expected / P10-P50-P90, and why the key is zero."""
    from pathlib import Path

    from typer.testing import CliRunner

    from skyswap.mission.cli import app
    from skyswap.mission.outputs.headline import closing_line

    e2e = Path(__file__).parent / "data" / "e2e.yaml"
    r = CliRunner().invoke(app, ["plan", str(e2e), "--out", str(tmp_path), "--draws", "200"])
    assert r.exit_code == 0, r.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    line = r.stdout.strip().splitlines()[-1]
    assert line.startswith(closing_line(summary) + f" -> {tmp_path}/")
    d = summary["distribution"]["heralded_pairs"]
    both = summary["distribution"]["weather_and_link"]["heralded_pairs"]
    from skyswap.mission.outputs.numbers import expected

    assert (f"weather + link over 200 simulated years: P10 {expected(both['p10'])}, P50 {expected(both['p50'])}, "
            f"P90 {expected(both['p90'])}; weather alone P10 {expected(d['p10'])} – P90 {expected(d['p90'])}") in line
    if summary["totals"]["secret_key_bits"] == 0:  # the summary's own reason (one block per contact), typeset
        from skyswap.mission.outputs.summary import key_sentence

        assert f"0 key bits ({key_sentence(summary['secret_key'], expected)})" in line


def test_a_page_renderer_makes_the_same_figures_and_restores_plotlys_default():
    """house_template only changes how the house template reaches a figure (plotly's default
    template while a page renders, instead of a checked copy per figure): the figure's JSON is the
    same as one made outside a page, and plotly's own default is back afterwards."""
    import plotly.io as pio

    from skyswap.mission.outputs import figures

    def make(_):
        fig = figures.monthly_figure([{"month": "2027-01", "heralded_pairs": 1.0, "bsm_heralds": 2.0}])
        return fig.to_json()

    before = pio.templates.default
    outside = make(None)
    inside = figures.house_template(make)(None)
    assert pio.templates.default == before
    assert json.loads(inside) == json.loads(outside)
    assert json.loads(inside)["layout"]["template"]["layout"]["xaxis"]["exponentformat"] == "power"


def test_the_fidelity_budgets_residual_is_what_the_terms_leave_not_rounding():
    """The residual is a difference of numbers near one: where the terms explain the whole
    infidelity it is 0.0 whatever the last bits of the weights; where they leave some, that part."""
    rng = np.random.default_rng(0)  # a draw whose raw residual is 1.1e-16
    n = 50
    terms = {t: rng.uniform(0.0, 0.02, n) for t in BUDGET_TERMS}
    fid = 1.0 - sum(terms.values())
    pairs = rng.uniform(0.0, 1.0, n) * rng.choice([1.0, 1e-9, 3.3e7], n)  # weights spread over decades
    df = pd.DataFrame({"fidelity": fid, "heralded_pairs": pairs, **{f"infidelity_{t}": v for t, v in terms.items()}})
    exact = fidelity_budget(df)
    assert exact is not None and exact["residual"] == 0.0
    df["fidelity"] = fid - 0.0125  # a cross term the itemised terms do not hold
    left = fidelity_budget(df)
    assert left is not None and left["residual"] == pytest.approx(-0.0125, abs=1e-12)
