"""The HTML reports: self-contained, offline, deterministic, complete, robust to degenerate results.

The browser-side checks (every figure actually draws, screenshot) are in test_browser.py.
"""
from __future__ import annotations

import base64
import copy
import datetime
import json
import re
from dataclasses import replace
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skyswap.mission.outputs import report
from skyswap.mission.outputs.summary import fidelity_budget
from skyswap.payload.swap import BUDGET_TERMS
from tests import result_fixture as fx

# ------------------------------------------------------------------------------------ helpers

class _Page(HTMLParser):
    """Collects tags with their attributes, the text of <style>, tables and figure scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.tables: dict[str, list[dict]] = {}
        self._stack: list[str] = []
        self._table = None
        self._row = None
        self._cell = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        self._stack.append(tag)
        if tag == "table" and a.get("id"):
            self._table = self.tables.setdefault(a["id"], [])
        elif tag == "tr" and self._table is not None:
            self._row = {"key": a.get("data-key"), "cells": {}}
        elif tag == "td" and self._row is not None:
            self._cell = a
            self._text = []

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()
        if tag == "td" and self._cell is not None:
            self._row["cells"][self._cell.get("data-field")] = (self._cell.get("data-value"), "".join(self._text))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row["cells"]:
                self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        tag = self._stack[-1] if self._stack else ""
        if tag == "style":
            self.styles.append(data)
        elif tag == "script":
            self.scripts.append(data)
        if self._cell is not None:
            self._text.append(data)


def parse(page: str) -> _Page:
    p = _Page()
    p.feed(page)
    p.close()
    return p


def figures(page: str) -> dict[str, dict]:
    """The plotly figure specs of the page, by div id."""
    out = {}
    for m in re.finditer(r'<script>skyswapPlot\("([^"]+)", (.*)\);</script>', page):
        assert m.group(1) not in out
        out[m.group(1)] = json.loads(m.group(2))
    return out


def values(v) -> np.ndarray:
    """A plotly data array: a list, or plotly.py's base64 typed array ``{"dtype", "bdata"}``."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).astype(float)
    return np.array([np.nan if x is None else x for x in v], dtype=float)


@pytest.fixture(scope="module")
def result():
    return fx.make_result()


@pytest.fixture(scope="module")
def page(result):
    return report.render_html(result)


# ---------------------------------------------------------------------------- self-contained

def assert_self_contained(page: str):
    doc = parse(page)
    for tag, attrs in doc.tags:
        for name in ("src", "href", "data", "srcset", "action", "poster"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "ftp:")), f"<{tag} {name}={value!r}> loads from the network"
        assert tag not in ("link", "iframe", "img", "object", "embed"), f"external-resource tag <{tag}>"
        if tag == "script":
            assert "src" not in attrs, "a script is loaded instead of inlined"
    css = "".join(doc.styles).lower()
    assert "@import" not in css and "@font-face" not in css and "url(" not in css
    # exactly one copy of plotly.js, inlined
    assert page.count("* plotly.js v") == 1
    big = [s for s in doc.scripts if len(s) > 1_000_000]
    assert len(big) == 1 and "Plotly" in big[0]
    # the world base map is preloaded where plotly.js looks for it before fetching from its CDN
    m = re.search(r"<script>window\.PlotlyGeoAssets = \{topojson: \{world_110m: (.*)\}\};</script>", page)
    assert m, "base map not inlined"
    topo = json.loads(m.group(1))
    assert {"land", "coastlines", "countries", "ocean"} <= set(topo["objects"]) and len(topo["arcs"]) > 500
    for div_id, spec in figures(page).items():
        config = spec["config"]
        assert not config["topojsonURL"].startswith("http"), div_id
        assert config["showSendToCloud"] is False and config["displaylogo"] is False, div_id
        for key in ("geo", "geo2"):
            geo = spec["layout"].get(key)
            if geo is not None:  # the base map plotly.js asks for is the one preloaded
                assert geo["scope"] == "world" and geo["resolution"] == 110, div_id


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


# ---------------------------------------------------------------------------------- contents

def test_ranking_tables_match_summary(result, page):
    tables = parse(page).tables
    fields = ["contacts", "hours", "heralded_pairs", "expected_heralded_pairs", "median_fidelity", "secret_key_bits"]
    for table_id, rows, key in (
        ("skyswap-ranking-stations", result.summary["by_station"], lambda r: r["station"]),
        ("skyswap-ranking-pairs", result.summary["by_pair"], lambda r: f"{r['station_a']}–{r['station_b']}"),
    ):
        drawn = tables[table_id]
        assert sorted(r["key"] for r in drawn) == sorted(key(r) for r in rows)
        by_key = {key(r): r for r in rows}
        expected = [r["cells"]["expected_heralded_pairs"][0] for r in drawn]
        assert [float(x) for x in expected] == sorted((float(x) for x in expected), reverse=True)
        assert [r["cells"]["rank"][1] for r in drawn] == [str(i + 1) for i in range(len(rows))]
        for row in drawn:
            src = by_key[row["key"]]
            for f in fields:
                assert float(row["cells"][f][0]) == pytest.approx(src[f], rel=0, abs=0), (table_id, row["key"], f)
    # the display text is formatted from the same values
    first = tables["skyswap-ranking-stations"][0]["cells"]
    assert first["contacts"][1] == f"{int(first['contacts'][0].split('.')[0]):,}"


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
    for name, field in (("swaps", "swaps"), ("heralded pairs", "heralded_pairs"),
                        ("expected heralded pairs (cloud-weighted)", "expected_heralded_pairs"),
                        ("secret key", "secret_key_bits")):
        assert by_name[name]["x"] == [m["month"] for m in months]
        np.testing.assert_array_equal(values(by_name[name]["y"]), [m[field] for m in months])


def test_timeline_has_every_pass_once(result, page):
    spec = figures(page)["skyswap-timeline"]
    drawn = [c[0] for t in spec["data"] for c in t["customdata"]]
    assert sorted(drawn) == sorted(result.passes.pass_id)
    assert set(spec["layout"]["yaxis"]["categoryarray"]) == {"Delingha–Nanshan", "Delingha–Xinglong",
                                                              "Nanshan–Xinglong"}
    first = spec["data"][0]
    assert first["x"][0] == result.passes.culmination_utc[0].replace("T", " ").replace("Z", "000")
    # the colour menu offers heralded pairs, expected heralded pairs and fidelity
    labels = [b["label"] for b in spec["layout"]["updatemenus"][0]["buttons"]]
    assert labels == ["colour: heralded pairs", "colour: expected heralded pairs", "colour: fidelity"]


def test_pass_detail_draws_chosen_passes(result, page):
    data = figures(page)["skyswap-pass-detail"]["data"]
    legend = [t["name"] for t in data if t.get("showlegend")]
    assert [n.split(" ")[0] for n in legend] == sorted(result.pass_detail)
    # elevation, range and loss for stations A and B plus the rate: 7 traces per pass
    assert len(data) == 7 * len(result.pass_detail)
    pid = sorted(result.pass_detail)[0]
    df = result.pass_detail[pid]
    elev = [t for t in data if t["legendgroup"] == pid and t["yaxis"] == "y"]
    np.testing.assert_allclose(values(elev[0]["y"]), df.elevation_a_deg)
    np.testing.assert_allclose(values(elev[1]["y"]), df.elevation_b_deg)
    np.testing.assert_allclose(values(elev[0]["x"])[:3], [0.0, 5.0, 10.0])


def test_map_has_stations_pairs_and_track(result, page):
    spec = figures(page)["skyswap-map"]
    names = [t["name"] for t in spec["data"]]
    assert names.count("stations") == 2 and names.count("ground track") == 2
    assert names.count("station pairs") == 2 * len(fx.PAIRS)
    st_trace = next(t for t in spec["data"] if t["name"] == "stations" and t["geo"] == "geo2")
    assert st_trace["text"] == list(result.stations.name)
    np.testing.assert_allclose(values(st_trace["lat"]), result.stations.latitude_deg)
    geo2 = spec["layout"]["geo2"]
    assert geo2["lataxis"]["range"][0] < result.stations.latitude_deg.min()
    assert geo2["lonaxis"]["range"][1] > result.stations.longitude_deg.max()


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
    assert figs["skyswap-timeline"]["layout"]["annotations"][0]["text"] == "No usable passes in this span."
    assert "no fidelity budget" in figs["skyswap-fidelity-budget"]["layout"]["annotations"][0]["text"]
    assert figs["skyswap-timeline"]["data"] == []


def test_single_station_mode_has_no_b_traces_and_no_pairs():
    res = fx.make_result("single-downlink", n_passes=60)
    figs = figures(report.render_html(res))
    assert all("station B" not in t.get("hovertemplate", "") for t in figs["skyswap-pass-detail"]["data"])
    assert "station pairs" not in [t["name"] for t in figs["skyswap-map"]["data"]]
    assert set(figs["skyswap-timeline"]["layout"]["yaxis"]["categoryarray"]) == set(fx.STATIONS.name)


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


# ------------------------------------------------------------------------------ compare page

def _ranking() -> pd.DataFrame:
    return pd.DataFrame({
        "station": ["Xinglong", "Delingha", "Nanshan", "Graz"],
        "usable_passes_per_year": [412, 530, 498, 0],
        "link_hours": [21.5, 29.75, 27.1, 0.0],
        "expected_heralded_pairs": [5200.5, 9100.25, 8000.0, np.nan],
        "median_fidelity": [0.912, 0.925, 0.921, np.nan],
        "secret_key_bits": [1500.0, 3100.0, 2900.0, 0.0],
        "rank": [3, 1, 2, 4],
    })


def _stations() -> pd.DataFrame:
    extra = pd.DataFrame({"name": ["Graz"], "latitude_deg": [47.0671], "longitude_deg": [15.4933],
                          "altitude_m": [539.4], "aperture_m": [0.5]})
    return pd.concat([fx.STATIONS, extra], ignore_index=True)


def test_compare_page():
    page = report.render_compare_html(_ranking(), _stations(), "Sites <for> 2027")
    assert_self_contained(page)
    assert "<title>Sites &lt;for&gt; 2027</title>" in page
    assert page == report.render_compare_html(_ranking(), _stations(), "Sites <for> 2027")
    assert list(figures(page)) == list(report.COMPARE_FIGURE_IDS)
    rows = parse(page).tables["skyswap-compare-table"]
    assert [r["key"] for r in rows] == ["Delingha", "Nanshan", "Xinglong", "Graz"]
    assert list(rows[0]["cells"]) == list(_ranking().columns)
    assert rows[0]["cells"]["usable_passes_per_year"] == ("530.0", "530")
    assert rows[3]["cells"]["median_fidelity"] == ("", "—")
    assert rows[1]["cells"]["median_fidelity"][1] == "0.9210"
    stations = next(t for t in figures(page)["skyswap-compare-map"]["data"] if t["geo"] == "geo2")
    assert stations["text"] == ["Delingha", "Nanshan", "Xinglong", "Graz"]


def test_compare_page_with_pairs_draws_pair_lines():
    ranking = pd.DataFrame({"station_a": ["Delingha", "Nanshan"], "station_b": ["Nanshan", "Xinglong"],
                            "expected_heralded_pairs": [10.0, 20.0], "rank": [2, 1]})
    page = report.render_compare_html(ranking, fx.STATIONS, "pairs")
    rows = parse(page).tables["skyswap-compare-table"]
    assert [r["key"] for r in rows] == ["Nanshan–Xinglong", "Delingha–Nanshan"]
    lines = [t for t in figures(page)["skyswap-compare-map"]["data"] if t["name"] == "station pairs"]
    assert sorted({t["text"] for t in lines}) == ["Delingha–Nanshan", "Nanshan–Xinglong"]


def test_compare_page_with_nothing_to_rank():
    page = report.render_compare_html(pd.DataFrame(), pd.DataFrame(), "empty")
    assert "Nothing to rank" in page
    assert list(figures(page)) == list(report.COMPARE_FIGURE_IDS)
    assert_self_contained(page)
