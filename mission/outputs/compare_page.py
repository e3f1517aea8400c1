"""The site-comparison page of ``skyswap compare`` (drawing only).

The verdict first (which pair or station to choose, its P10–P90, how far ahead of the next and in
how many simulated years it ranks first, the best networks, what limits it, the apertures compared:
:mod:`mission.outputs.verdict`); then station pairs (in a pair mode) and stations in separate
tables and figures (a log axis where the values span decades), ranked by expected heralded pairs
and by P10 over simulated weather years, with each telescope's aperture; the networks for the
year's P10 (what a 2nd and 3rd station add); each station's cloud statistic with its source; a map.
A station or pair with no window is listed with zeros and the reason.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import figures_map
from .figures import _base_layout, _note, house_template, text_column
from .figures_plan import spans_decades
from .numbers import expected
from .page import esc, figure_html, fmt, html_table, page, section
from .verdict import aperture_text, verdict_lines

#: The page's figures, in the order of a pair mode's page (a single-station mode shows the stations first).
COMPARE_FIGURE_IDS = ("skyswap-compare-pairs", "skyswap-compare-stations", "skyswap-compare-map")
WEIGHTING = "weighted by heralded pairs"
_COLUMNS = [
    ("rank_expected", "rank"), ("rank_p10", "rank by P10"), ("site", "{kind}"), ("aperture", "aperture [m]"),
    ("expected_heralded_pairs", "expected heralded pairs"), ("p10", "P10"), ("p50", "P50"), ("p90", "P90"),
    ("p10_weather_and_link", "P10, weather + link"), ("p90_weather_and_link", "P90, weather + link"),
    ("p_rank_first", "first in"), ("windows", "windows"), ("heralded_pairs_clear_skies", "clear-sky pairs"),
    ("median_fidelity", "median fidelity"), ("secret_key_bits_p50", "key P50 [bit]"),
    ("cloud_free_probability", "cloud-free probability"), ("cloud_source", "cloud source"),
    ("cloud_confidence", "confidence"), ("note", "note"),
]
#: What the ranking tables' short headers mean (below each table).
_TABLE_NOTE = (f"First in: the share of the simulated weather years in which it delivers more than every other of its "
               f"kind. Clear-sky pairs: heralded pairs if every night were clear. Median fidelity: {WEIGHTING}. "
               "compare.csv and compare.json add each one's window hours.")


def ranking_figure(rows: pd.DataFrame, kind: str) -> go.Figure:
    """Expected heralded pairs per station or pair (bars) with the P10–P90 range of the simulated
    years (whiskers) and P50 (marker); log axis where the values span decades; rows without pairs
    are named with their reason at the left edge."""
    fig = go.Figure()
    n = len(rows)
    _base_layout(fig, max(260, 130 + 30 * n))
    if not n:
        return _note(fig, f"No {kind}s to rank.")
    rows = rows.sort_values(["expected_heralded_pairs", "site"], ascending=[False, True], kind="mergesort")
    labels = text_column(rows, "site").tolist()
    exp = rows["expected_heralded_pairs"].to_numpy(float)
    p10, p50, p90 = (rows[c].to_numpy(float) for c in ("p10", "p50", "p90"))
    positive = exp > 0
    log = spans_decades(np.r_[exp, p10, p90])
    fig.add_trace(go.Bar(x=np.where(positive, exp, np.nan), y=labels, orientation="h", name="expected (mean)",
                         marker_color="#9fb9e6", hovertemplate="%{y}: expected %{x:.3g}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=np.where(positive, p50, np.nan), y=labels, mode="markers", name="P50, whiskers P10–P90",
        marker={"color": "#1d4fa3", "size": 8},
        error_x={"type": "data", "symmetric": False, "array": np.nan_to_num(p90 - p50).tolist(),
                 "arrayminus": np.nan_to_num(p50 - p10).tolist(), "color": "#1d4fa3", "thickness": 1.8},
        customdata=np.column_stack([p10, p90]).tolist(),
        hovertemplate="%{y}: P10 %{customdata[0]:.3g}, P50 %{x:.3g}, P90 %{customdata[1]:.3g}<extra></extra>"))
    zero = ~positive
    if zero.any():
        base = float(np.nanmin(np.r_[exp[positive], p10[positive & (p10 > 0)]])) / 3 if positive.any() else 1.0
        notes = text_column(rows, "note").to_numpy(dtype=object)[zero]
        fig.add_trace(go.Scatter(x=[base] * int(zero.sum()), y=np.array(labels, dtype=object)[zero].tolist(),
                                 mode="text", text=[f"0 — {t}" if t else "0" for t in notes], textposition="middle right",
                                 textfont={"color": "#8a3b12"}, name="no pairs", hoverinfo="skip", showlegend=False))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels[::-1])
    fig.update_xaxes(title_text="heralded pairs in the span" + (" (log scale)" if log else ""),
                     type="log" if log else "linear")
    fig.update_layout(margin={"l": 200, "t": 40}, legend={"orientation": "h", "y": 1.0, "yanchor": "bottom",
                                                          "x": 0.0, "xanchor": "left"})
    return fig


def _table(rows: pd.DataFrame, kind: str, table_id: str) -> str:
    cols = [(f, h.format(kind=kind)) for f, h in _COLUMNS if kind == "station" or f not in ("cloud_source", "cloud_confidence")]
    records = rows.sort_values("rank_expected", kind="mergesort").to_dict(orient="records") if len(rows) else []
    for r in records:
        r["note"] = r.get("note") or ""
        r["aperture"] = aperture_text(r.get("aperture_a_m"), r.get("aperture_b_m"))
    return html_table(records, cols, table_id, key="site", css_class="compact") + \
        f'<p class="caption">{esc(_TABLE_NOTE)}</p>'


def _diversity_table(diversity: list[dict]) -> str:
    if not diversity:
        return "<p>No station delivers pairs: no diversity to show.</p>"
    rows = [{"k": i + 1, "added_station": d["added_station"], "group": " + ".join(d["stations"]),
             "p_any_clear": d["p_any_clear"], "p10": d["p10"], "added_p10": d["added_p10"], "p50": d["p50"],
             "added_p50": d["added_p50"], "mean": d["mean"]} for i, d in enumerate(diversity)]
    cols = [("k", "stations"), ("added_station", "added station"), ("group", "group"),
            ("p_any_clear", "P(at least one clear on a night)"), ("p10", "year P10"), ("added_p10", "added to P10"),
            ("p50", "year P50"), ("added_p50", "added to P50"), ("mean", "year mean")]
    return html_table(rows, cols, "skyswap-diversity", key="added_station")


def _clouds_table(clouds: list[dict]) -> str:
    """Each station's statistic, kind, confidence word and source; the sources listed once below, numbered."""
    rows, sources = [], []
    for c in clouds:
        m = np.asarray(c.get("monthly") or [np.nan], float)
        src = str(c.get("source", ""))
        if src not in sources:
            sources.append(src)
        rows.append({"station": c.get("station"), "annual": float(np.mean(m)),
                     "range": f"{np.min(m):.2f} – {np.max(m):.2f}" if np.ptp(m) > 0 else "one value all year",
                     "basis": c.get("basis", ""), "kind": c.get("kind", ""), "confidence": c.get("confidence", ""),
                     "source": f"[{sources.index(src) + 1}]"})
    cols = [("station", "station"), ("annual", "cloud-free probability (annual mean)"), ("range", "monthly range"),
            ("basis", "basis"), ("kind", "kind"), ("confidence", "confidence"), ("source", "source")]
    notes = "".join(f"<li>{esc(s) or '(none given)'}</li>" for s in sources)
    return html_table(rows, cols, "skyswap-clouds", key="station") + f'<ol id="skyswap-cloud-sources">{notes}</ol>'



def _pairs_of(ranking: pd.DataFrame) -> list[tuple[str, str]]:
    pairs = ranking[ranking["kind"] == "pair"] if len(ranking) else ranking
    return [(a, b) for a, b in zip(text_column(pairs, "station_a"), text_column(pairs, "station_b")) if a and b]


def _verdict_section(comparison) -> str:
    """The answer on the first screen: the verdict's sentences (see :mod:`.verdict`)."""
    lines = verdict_lines(getattr(comparison, "verdict", None) or {})
    if not lines:
        return ""
    first, rest = lines[0], lines[1:]
    items = "".join(f"<li>{esc(x)}</li>" for x in rest)
    return section("Verdict", f'<p class="answer" id="skyswap-verdict-answer">{esc(first)}</p>'
                              f'<ul id="skyswap-verdict-lines">{items}</ul>', "skyswap-verdict", "meaning")


@house_template
def render_compare_html(comparison, title: str) -> str:
    """The comparison page (``compare.html``) of a :class:`mission.compare.Comparison`."""
    ranking = comparison.ranking if isinstance(comparison.ranking, pd.DataFrame) else pd.DataFrame()
    stations = ranking[ranking["kind"] == "station"] if len(ranking) else pd.DataFrame(columns=["site"])
    pairs = ranking[ranking["kind"] == "pair"] if len(ranking) else pd.DataFrame(columns=["site"])
    hover = {r["site"]: f"rank {r['rank_expected']} (by P10: {r['rank_p10']}), "
                        f"{expected(r['expected_heralded_pairs'])} expected heralded pairs"
             for r in stations.to_dict(orient="records")}
    equal_m = getattr(comparison, "equal_aperture_m", None)
    apertures = (f"Every station was given the same {equal_m:.2f} m aperture (the median of the scenario's), so "
                 "the ranking is one of sites: sky, latitude, altitude and clouds." if equal_m is not None else
                 "Each station keeps its own telescope (the aperture column): a larger aperture collects more of the "
                 "beam, so the ranking is of telescopes as much as of sites; skyswap compare --equal-aperture gives "
                 "every station the same aperture.")
    how = (f"Each site is ranked by what it would deliver on its own: every candidate window served whole (no "
           f"contention with the other sites, before the payload's SWaP limits) over the span of "
           f"{fmt(comparison.days)} days. Expected heralded pairs are means over the clouds; P10, P50 and P90 come "
           f"from {fmt(comparison.draws, 'int')} simulated weather years (clouds persistent from night to night and "
           "correlated between nearby stations); 'first in' is the share of those years in which the site beats "
           "every other of its kind. \"Weather + link\" is the band of the same years with the link model's "
           "uncertainty drawn too (the Micius chain calibration's error, shared by every link, and each station's "
           "own scatter): a station's one downlink, a pair's two. Stations are planned in single downlink, pairs "
           f"in dual downlink. {apertures}")
    body = [f"<header><h1>{esc(title)}</h1><p>{len(stations)} stations · {len(pairs)} station pairs · mode "
            f"{esc(comparison.mode)}</p></header>",
            _verdict_section(comparison),
            section("How sites are ranked", f"<p>{esc(how)}</p>", "skyswap-how")]
    if not len(ranking):
        body.append('<section class="notes" id="skyswap-notes"><ul><li>Nothing to rank: the comparison has no rows.'
                    "</li></ul></section>")
    station_part = section("Stations (single downlink)",
                           _table(stations, "station", "skyswap-compare-stations-table")
                           + figure_html(ranking_figure(stations, "station"), "skyswap-compare-stations"), "stations")
    pair_part = section("Station pairs (dual downlink)",
                        (_table(pairs, "pair", "skyswap-compare-pairs-table") if len(pairs) else
                         "<p>This scenario plans no station pairs (its mode is not dual downlink).</p>")
                        + figure_html(ranking_figure(pairs, "pair"), "skyswap-compare-pairs"), "pairs")
    body += [pair_part, station_part] if len(pairs) else [station_part, pair_part]
    body.append(section("Networks for the year's P10", (
        '<p class="caption">The network of k stations chosen greedily for the year\'s P10 with one downlink '
        "telescope: each row adds the station that raises the P10 most. A network's year counts every window of "
        "its stations, one at a time where windows overlap (the telescope serves the best clear one). "
        "P(at least one clear) uses each station's annual mean and the correlated cloud model.</p>"
        + _diversity_table(comparison.diversity)), "diversity"))
    body.append(section("Cloud statistics", '<p class="caption">Where each station\'s cloud-free probability '
                        "comes from (kind: scenario, csv, climatology, global, default).</p>"
                        + _clouds_table(comparison.clouds), "clouds"))
    station_value = dict(zip(text_column(stations, "site"), stations.get("expected_heralded_pairs", [])))
    pair_value = dict(zip(text_column(pairs, "site"), pairs.get("expected_heralded_pairs", [])))
    body.append(section("Map", '<p class="caption">A station\'s marker area and a pair line\'s width grow with its '
                        "expected heralded pairs; a station or pair with none is grey (hollow marker, dotted line).</p>"
                        + figure_html(figures_map.map_figure(comparison.stations, None, _pairs_of(ranking), hover,
                                                             station_value, pair_value), "skyswap-compare-map"), "map"))
    body.append("<footer>skyswap · self-contained page, works offline</footer>")
    return page(title, "\n".join(b for b in body if b))
