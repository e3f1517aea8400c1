"""The HTML reports: one self-contained page per mission result, one per site comparison.

Reports only draw: they read a result (``mission.planner.MissionResult``: ``passes``, ``summary``,
``stations``, ``ground_track``, ``pass_detail``, the scenario text and hash) and lay it out; the
only computing here is aggregation for display (weighted means of the fidelity budget, sorting).

Each page is self-contained and works with no network: plotly.js is inlined exactly once, the
world base map (Natural Earth 1:110m) is inlined as ``window.PlotlyGeoAssets`` so plotly.js never
fetches it, no web font, stylesheet or image is loaded from anywhere. The output is deterministic:
the same input gives byte-identical HTML (fixed element ids, no timestamps).

Every figure is a ``<div class="skyswap-figure" id="skyswap-...">``. When all figures have been
drawn, the root element gets ``data-skyswap-rendered="ok"`` (``"error"`` and
``data-skyswap-error`` when one failed); the browser test reads this back.
"""
from __future__ import annotations

import html
import json
import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.io as pio
import plotly.offline

from . import figures as rf

if TYPE_CHECKING:  # the result's write() renders this page
    from .result import MissionResult

# figure ids of the mission report, in page order
MISSION_FIGURE_IDS = (
    "skyswap-map", "skyswap-timeline", "skyswap-pass-detail", "skyswap-fidelity-budget", "skyswap-monthly",
)
COMPARE_FIGURE_IDS = ("skyswap-compare-map", "skyswap-compare-ranking")

_PLOTLY_CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,  # the "Share chart" button uploads to Plotly Cloud
    "showEditInChartStudio": False,
    "responsive": True,
    # never used (the base map is preloaded), but keeps any lookup local rather than on a CDN
    "topojsonURL": "./",
    "modeBarButtonsToRemove": ["sendDataToCloud", "lasso2d", "select2d"],
}

_CSS = """
:root { --fg: #1d2330; --muted: #5b6473; --line: #dde2ea; --accent: #2a6fdb; --bg: #f6f8fb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
       font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 2px 0; color: var(--muted); }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px;
          margin: 18px 0; }
section h2 { margin: 0 0 10px; font-size: 18px; }
.notes { background: #fff8e1; border-color: #f0d48a; }
.notes ul { margin: 0; padding-left: 20px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.card .k { color: var(--muted); font-size: 12px; }
.card .v { font-size: 20px; font-weight: 600; }
.skyswap-figure { width: 100%; }
table.skyswap-table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-variant-numeric: tabular-nums; }
table.skyswap-table th, table.skyswap-table td { border-bottom: 1px solid var(--line); padding: 5px 8px; }
table.skyswap-table th { text-align: left; background: #eef2f8; font-weight: 600; }
table.skyswap-table td.num { text-align: right; }
pre { background: #f3f5f9; border: 1px solid var(--line); padding: 10px; overflow: auto; font-size: 12.5px; }
code { font-size: 12.5px; word-break: break-all; }
.caption { color: var(--muted); margin: -4px 0 8px; }
footer { color: var(--muted); font-size: 12px; text-align: center; }
"""

# after every figure script: record the promise of each plot, then flag the page when all are drawn
_DONE_JS = """
(function () {
  var root = document.documentElement, plots = window.skyswapPlots || [];
  root.setAttribute("data-skyswap-figures", String(plots.length));
  Promise.all(plots).then(function () {
    root.setAttribute("data-skyswap-rendered", "ok");
  }, function (err) {
    root.setAttribute("data-skyswap-rendered", "error");
    root.setAttribute("data-skyswap-error", String((err && err.message) || err));
  });
})();
"""

_PLOT_JS = """
window.skyswapPlots = window.skyswapPlots || [];
window.skyswapPlot = function (id, figure) {
  try {
    window.skyswapPlots.push(Plotly.newPlot(id, figure));
  } catch (err) {
    window.skyswapPlots.push(Promise.reject(err));
  }
};
"""


# --------------------------------------------------------------------------------- formatting

def _finite(v) -> bool:
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def fmt(value, kind: str = "auto") -> str:
    """A cell value for display: ``"—"`` for missing, thousands separators, fixed decimals."""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value if value else "—"
    if not _finite(value):
        return "—"
    v = float(value)
    if kind == "fidelity":
        return f"{v:.4f}"
    if kind == "int" or (kind == "auto" and v == round(v) and abs(v) < 1e15):
        return f"{int(round(v)):,}"
    if abs(v) >= 1000:
        return f"{v:,.1f}"
    return f"{v:.4g}"


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _kind(col: str) -> str:
    if "fidelity" in col:
        return "fidelity"
    if col in ("contacts", "passes", "rank", "usable_passes_per_year"):
        return "int"
    return "auto"


def html_table(rows: list[dict], columns: list[tuple[str, str]], table_id: str, key: str | None = None) -> str:
    """An HTML table: ``columns`` is ``[(field, header), ...]``; numbers right-aligned.

    Each ``<tr>`` carries ``data-key`` (the value of ``key``), each ``<td>`` ``data-field`` and, for
    numbers, ``data-value`` with the unformatted value (``repr`` of the float) for scripts and tests.
    """
    head = "".join(f"<th>{_esc(h)}</th>" for _, h in columns)
    body = []
    for row in rows:
        cells = []
        for field, _ in columns:
            v = row.get(field)
            if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
                raw = repr(float(v)) if _finite(v) else ""
                cells.append(f'<td class="num" data-field="{_esc(field)}" data-value="{raw}">{_esc(fmt(v, _kind(field)))}</td>')
            else:
                cells.append(f'<td data-field="{_esc(field)}">{_esc(fmt(v if v is not None else float("nan")))}</td>')
        k = f' data-key="{_esc(row.get(key, ""))}"' if key else ""
        body.append(f"<tr{k}>{''.join(cells)}</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(columns)}">no rows</td></tr>')
    return (f'<table class="skyswap-table" id="{_esc(table_id)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _rank(rows: list[dict], by: str, name) -> list[dict]:
    """Rows sorted best first by ``by`` (missing last, then by name), with a 1-based ``rank``."""
    def sort_key(r):
        v = r.get(by)
        return (0 if _finite(v) else 1, -float(v) if _finite(v) else 0.0, name(r))
    return [dict(r, rank=i + 1) for i, r in enumerate(sorted(rows, key=sort_key))]


# ----------------------------------------------------------------------------------- figures

def _figure_html(fig, div_id: str) -> str:
    """A figure's div and the script that draws it (the page inlines plotly.js once, before)."""
    spec = json.loads(pio.to_json(fig, validate=False, pretty=False, engine="json"))
    spec["config"] = _PLOTLY_CONFIG
    payload = json.dumps(spec, separators=(",", ":"), sort_keys=True, allow_nan=False).replace("</", "<\\/")
    height = int(fig.layout.height or 450)
    return (f'<div id="{div_id}" class="skyswap-figure" style="height:{height}px"></div>\n'
            f'<script>skyswapPlot("{div_id}", {payload});</script>')


def _page(title: str, body: str) -> str:
    """The whole page: plotly.js once, the base map, the body, the render flag."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_CSS}</style>",
        f"<script>{plotly.offline.get_plotlyjs()}</script>",
        f"<script>window.PlotlyGeoAssets = {{topojson: {{world_110m: {rf.world_topojson_json()}}}}};</script>",
        f"<script>{_PLOT_JS}</script>",
        "</head>",
        "<body>",
        "<main>",
        body,
        "</main>",
        f"<script>{_DONE_JS}</script>",
        "</body>",
        "</html>",
        "",
    ])


def _section(title: str, inner: str, section_id: str) -> str:
    return f'<section id="{section_id}"><h2>{_esc(title)}</h2>\n{inner}\n</section>'


# ------------------------------------------------------------------------------ mission page

def _notes(result: MissionResult, passes: pd.DataFrame, summary: dict, budget) -> list[str]:
    notes = []
    if not len(passes):
        notes.append("No usable passes in this span: the timeline, pass detail and fidelity budget are empty.")
    elif budget is None:
        notes.append("No pass heralded an entangled pair: fidelity, its budget and the key are undefined.")
    elif not budget["weighted"]:
        notes.append("No heralded pairs to weight by: the fidelity budget weighs passes equally.")
    mode = result.mode
    if mode in ("onboard", "single-downlink"):
        notes.append(f"Mode {mode}: one station per pass, so station B columns and the pair table are empty.")
    if len(passes) and not result.pass_detail:
        notes.append("No pass was chosen for detail.")
    return notes


def _cards(summary: dict) -> str:
    totals = summary.get("totals") or {}
    fid = summary.get("fidelity") or {}
    ops = summary.get("operations") or {}
    lost = ops.get("seconds_lost") or {}
    items = [
        ("scheduled contacts", fmt(totals.get("contacts"), "int")),
        ("candidate windows", fmt(totals.get("candidate_windows"), "int")),
        ("contact hours (of hours wanted)", f"{fmt(totals.get('hours'))} of {fmt(totals.get('hours_wanted'))}"),
        ("swaps", fmt(totals.get("swaps"))),
        ("heralded pairs", fmt(totals.get("heralded_pairs"))),
        ("expected heralded pairs (cloud-weighted)", fmt(totals.get("expected_heralded_pairs"))),
        ("secret key [bit]", fmt(totals.get("secret_key_bits"))),
        ("payload energy [Wh]", fmt(totals.get("energy_wh"))),
        ("fidelity mean", fmt(fid.get("mean"), "fidelity")),
        ("fidelity median", fmt(fid.get("median"), "fidelity")),
        ("fidelity p10 / p90", f"{fmt(fid.get('p10'), 'fidelity')} / {fmt(fid.get('p90'), 'fidelity')}"),
        ("operating hours", fmt(ops.get("operating_hours"))),
        ("seconds lost: power / thermal / storage",
         " / ".join(fmt(lost.get(k)) for k in ("power", "thermal", "storage"))),
    ]
    cards = "".join(f'<div class="card"><div class="k">{_esc(k)}</div><div class="v">{_esc(v)}</div></div>'
                    for k, v in items)
    return f'<div class="cards" id="skyswap-totals">{cards}</div>'


_RANK_COLUMNS = [("contacts", "contacts"), ("hours", "contact hours"), ("heralded_pairs", "heralded pairs"),
                 ("expected_heralded_pairs", "expected heralded pairs"), ("median_fidelity", "median fidelity"),
                 ("secret_key_bits", "secret key [bit]")]


def station_ranking(summary: dict) -> list[dict]:
    """``summary["by_station"]`` ranked by expected heralded pairs (best first), with ``rank``."""
    return _rank(list(summary.get("by_station") or []), "expected_heralded_pairs", lambda r: str(r.get("station")))


def pair_ranking(summary: dict) -> list[dict]:
    """``summary["by_pair"]`` ranked by expected heralded pairs, with ``rank`` and ``pair`` ("A–B")."""
    rows = [dict(r, pair=f"{r.get('station_a', '')}–{r.get('station_b', '')}") for r in summary.get("by_pair") or []]
    return _rank(rows, "expected_heralded_pairs", lambda r: r["pair"])


def _scenario_section(result: MissionResult, summary: dict) -> str:
    name, digest, yaml_text = result.scenario_name, result.scenario_hash, result.scenario_yaml
    software = summary.get("software") or {}
    orbit = summary.get("orbit") or {}
    span = summary.get("span") or {}
    kv = [("scenario", name), ("sha256", digest), ("mode", result.mode),
          *[(f"span {k}", v) for k, v in span.items()], *[(f"orbit {k}", v) for k, v in orbit.items()]]
    meta = "".join(f"<tr><th>{_esc(k)}</th><td><code>{_esc(fmt(v) if not isinstance(v, str) else v)}</code></td></tr>"
                   for k, v in kv)
    sw = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in sorted(software.items()))
    return _section("Scenario", (
        f'<table class="skyswap-table" id="skyswap-scenario-meta">{meta}</table>'
        f'<h3>Software</h3><table class="skyswap-table" id="skyswap-software">{sw or "<tr><td>not recorded</td></tr>"}</table>'
        f'<h3>Scenario file</h3><pre id="skyswap-scenario-yaml">{_esc(yaml_text) or "(not recorded)"}</pre>'
    ), "scenario")


def render_html(result: MissionResult) -> str:
    """The mission report: one self-contained, offline, deterministic HTML page.

    Parameters
    ----------
    result : MissionResult
        The plan (the report reads its passes, summary, stations, ground track and pass detail;
        the fidelity budget is the summary's).

    Returns
    -------
    str
        The page. Figures: ``skyswap-map`` (ground track and stations), ``skyswap-timeline`` (passes
        over the span), ``skyswap-pass-detail`` (elevation, range, loss of the chosen passes),
        ``skyswap-fidelity-budget`` (waterfall), ``skyswap-monthly``; tables
        ``skyswap-ranking-stations`` and ``skyswap-ranking-pairs``; the scenario text, hash and
        software versions. Degenerate results (no passes, NaN fidelity, one station per pass)
        give empty figures with a note, never an exception.
    """
    summary, passes, stations = result.summary, result.passes, result.stations
    name, digest, mode = result.scenario_name, result.scenario_hash, result.mode
    span = summary.get("span") or {}
    budget = (summary.get("fidelity") or {}).get("budget") if len(passes) else None

    st_rank = station_ranking(summary)
    pr_rank = pair_ranking(summary)
    pairs = [(r.get("station_a", ""), r.get("station_b", "")) for r in pr_rank]
    if not pairs and len(passes):
        b = rf.text_column(passes, "station_b")
        a = rf.text_column(passes, "station_a")
        pairs = sorted({(x, y) for x, y in zip(a, b) if x and y})
    hover = {str(r.get("station")): f"rank {r['rank']}: {fmt(r.get('passes'), 'int')} passes, "
                                    f"{fmt(r.get('expected_heralded_pairs'))} expected heralded pairs" for r in st_rank}

    track = result.ground_track
    figures = [
        ("Ground track and stations", "skyswap-map",
         rf.map_figure(stations, track, pairs, hover),
         "Left: the world with the ground track of the first orbits of the span; right: the stations and "
         "their pairs. Hover a station for its ranking."),
        ("Pass timeline", "skyswap-timeline", rf.timeline_figure(passes),
         "Each dot is a usable window at its culmination, one row per station or pair. The menu switches the "
         "colour between heralded pairs, expected (cloud-weighted) heralded pairs and fidelity."),
        ("Chosen passes", "skyswap-pass-detail", rf.pass_detail_figure(result.pass_detail, passes),
         "Elevation, slant range, link loss and heralded-pair rate against time since the window opened; "
         "solid lines station A, dashed station B."),
        ("Fidelity budget", "skyswap-fidelity-budget", rf.waterfall_figure(budget),
         "From a perfect Bell state down through each infidelity term to the mean delivered fidelity; "
         "means over passes weighted by heralded pairs."),
        ("Monthly totals", "skyswap-monthly", rf.monthly_figure(summary.get("monthly")),
         "Swaps, heralded pairs (actual and cloud-weighted expected) and secret key per calendar month."),
    ]
    notes = _notes(result, passes, summary, budget)
    parts = [
        "<header>",
        f"<h1>skyswap mission report — {_esc(name)}</h1>",
        f"<p>mode <b>{_esc(mode or '—')}</b> · span {_esc(span.get('start_utc', '—'))} → "
        f"{_esc(span.get('end_utc', '—'))} ({_esc(fmt(span.get('days')))} days)</p>",
        f'<p>scenario sha256 <code id="skyswap-hash">{_esc(digest or "—")}</code></p>',
        "</header>",
    ]
    if notes:
        items = "".join(f"<li>{_esc(n)}</li>" for n in notes)
        parts.append(f'<section class="notes" id="skyswap-notes"><ul>{items}</ul></section>')
    parts.append(_section("Totals", _cards(summary), "totals"))
    for title, div_id, fig, caption in figures:
        inner = f'<p class="caption">{_esc(caption)}</p>\n{_figure_html(fig, div_id)}'
        parts.append(_section(title, inner, div_id.replace("skyswap-", "section-")))
    parts.append(_section("Ranking", (
        "<h3>Stations</h3>"
        + html_table(st_rank, [("rank", "rank"), ("station", "station"), *_RANK_COLUMNS],
                     "skyswap-ranking-stations", key="station")
        + "<h3>Station pairs</h3>"
        + html_table(pr_rank, [("rank", "rank"), ("pair", "pair"), *_RANK_COLUMNS], "skyswap-ranking-pairs",
                     key="pair")
        + '<p class="k">Ranked by expected (cloud-weighted) heralded pairs.</p>'
    ), "ranking"))
    parts.append(_scenario_section(result, summary))
    version = (summary.get("software") or {}).get("skyswap", "")
    parts.append(f"<footer>skyswap {_esc(version)} · self-contained page, works offline</footer>")
    return _page(f"skyswap — {name}", "\n".join(parts))


# ------------------------------------------------------------------------------ compare page

def _label_column(ranking: pd.DataFrame) -> str | None:
    for c in ("station", "pair", "name", "site"):
        if c in ranking:
            return c
    return None


def render_compare_html(ranking: pd.DataFrame, stations: pd.DataFrame, title: str) -> str:
    """The site-comparison page: the ranking table, a bar chart of it and a map of the stations.

    Parameters
    ----------
    ranking : pandas.DataFrame
        One row per station or pair, e.g. ``station`` / ``pair`` (or ``station_a``/``station_b``),
        ``usable_passes_per_year``, ``link_hours``, ``expected_heralded_pairs``,
        ``median_fidelity``, ``secret_key_bits``, ``rank``; drawn in ``rank`` order when present,
        with all its columns in their order.
    stations : pandas.DataFrame
        ``name, latitude_deg, longitude_deg[, altitude_m, aperture_m]``.
    title : str
        Page title.
    """
    ranking = ranking.copy() if isinstance(ranking, pd.DataFrame) else pd.DataFrame()
    stations = stations if isinstance(stations, pd.DataFrame) else pd.DataFrame(columns=["name"])
    if "rank" in ranking:
        ranking = ranking.sort_values("rank", kind="stable", na_position="last")
    if {"station_a", "station_b"} <= set(ranking.columns) and "pair" not in ranking:
        a = rf.text_column(ranking, "station_a")
        b = rf.text_column(ranking, "station_b")
        ranking.insert(0, "pair", a.where(b == "", a + "–" + b))
    label = _label_column(ranking)
    value = next((c for c in ("expected_heralded_pairs", "secret_key_bits", "link_hours", "usable_passes_per_year")
                  if c in ranking), None)
    pairs = []
    if {"station_a", "station_b"} <= set(ranking.columns):
        pairs = [(a, b) for a, b in zip(rf.text_column(ranking, "station_a"), rf.text_column(ranking, "station_b"))
                 if a and b]
    elif label == "pair":
        for p in rf.text_column(ranking, "pair"):
            for sep in ("–", "+", "-", "/"):
                if sep in p:
                    a, b = p.split(sep, 1)
                    pairs.append((a.strip(), b.strip()))
                    break
    bar_label = label or (str(ranking.columns[0]) if len(ranking.columns) else "")
    hover = {}
    if label in ("station", "name", "site") and "rank" in ranking:
        hover = {str(n): f"rank {fmt(r, 'int')}" for n, r in zip(rf.text_column(ranking, label), ranking["rank"])}
    rows = ranking.to_dict(orient="records")
    cols = [(c, c.replace("_", " ")) for c in ranking.columns]
    body = [
        f"<header><h1>{_esc(title)}</h1><p>site comparison · {len(ranking)} ranked rows · "
        f"{len(stations)} stations</p></header>",
    ]
    if not len(ranking):
        body.append('<section class="notes" id="skyswap-notes"><ul><li>Nothing to rank: the comparison has no rows.'
                    "</li></ul></section>")
    body.append(_section("Ranking", html_table(rows, cols, "skyswap-compare-table", key=label), "ranking"))
    body.append(_section("Stations", _figure_html(
        rf.map_figure(stations, None, pairs, hover), "skyswap-compare-map"), "stations"))
    body.append(_section("Ranking chart", _figure_html(
        rf.ranking_bar_figure(ranking, bar_label, value),
        "skyswap-compare-ranking"), "chart"))
    body.append("<footer>skyswap · self-contained page, works offline</footer>")
    return _page(title, "\n".join(body))
