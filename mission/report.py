"""``report.html`` and ``compare.html``: one self-contained page each (plotly.js inlined once).

Reports only draw: they read the result objects and do no physics. Pages must open with no network:
plotly.js is inlined, and the maps are plain longitude/latitude plots (plotly's geo maps fetch their
coastlines from a CDN, so they are not used). Output is deterministic: fixed div ids, no timestamps.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

INFIDELITY_LABELS = {
    "infidelity_multi_pair": "multi-pair emission",
    "infidelity_hom_distinguishability": "HOM distinguishability",
    "infidelity_source_imperfection": "source imperfection",
    "infidelity_background": "background",
    "infidelity_dark_counts": "dark counts",
    "infidelity_polarisation": "polarisation / reference frame",
}

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1300px}
h1{font-size:1.6em;margin-bottom:0} h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:0.9em} td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f3f3f3} td.l,th.l{text-align:left} pre{background:#f7f7f7;padding:10px;font-size:0.8em;overflow:auto}
.note{color:#666;font-size:0.9em} .kpi{display:inline-block;margin:8px 24px 8px 0} .kpi b{font-size:1.4em;display:block}
"""


def _fig_html(fig: go.Figure, div_id: str, first: bool) -> str:
    fig.update_layout(template="plotly_white", margin=dict(l=60, r=20, t=50, b=50))
    body = pio.to_html(fig, include_plotlyjs=first, full_html=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True})
    return f'<div class="skyswap-figure" id="wrap-{div_id}">{body}</div>'


def _fmt(v, spec=".4g"):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "n/a"
    try:
        return format(v, spec)
    except (TypeError, ValueError):
        return html.escape(str(v))


def _table(rows: list[dict], columns: list[str]) -> str:
    if not rows:
        return '<p class="note">no rows</p>'
    head = "".join(f'<th class="{"l" if i == 0 else ""}">{html.escape(c.replace("_", " "))}</th>' for i, c in enumerate(columns))
    body = []
    for r in rows:
        cells = []
        for i, c in enumerate(columns):
            v = r.get(c)
            text = html.escape(str(v)) if isinstance(v, str) else _fmt(v)
            cells.append(f'<td class="{"l" if i == 0 else ""}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def map_figure(stations: pd.DataFrame, ground_track: pd.DataFrame | None, title: str) -> go.Figure:
    """Stations and the ground track on longitude/latitude axes (offline: no CDN base map)."""
    fig = go.Figure()
    if ground_track is not None and len(ground_track):
        lon = ground_track["longitude_deg"].to_numpy(dtype=float)
        lat = ground_track["latitude_deg"].to_numpy(dtype=float)
        jump = np.flatnonzero(np.abs(np.diff(lon)) > 180.0) + 1  # break the line at the date line
        lon_b = np.insert(lon, jump, np.nan)
        lat_b = np.insert(lat, jump, np.nan)
        fig.add_trace(go.Scatter(x=lon_b, y=lat_b, mode="lines", name="ground track", line=dict(width=1, color="#888")))
    fig.add_trace(go.Scatter(x=stations["longitude_deg"], y=stations["latitude_deg"], mode="markers+text",
                             text=stations["name"], textposition="top center", name="stations",
                             marker=dict(size=9, color="#d62728")))
    fig.update_xaxes(range=[-180, 180], title="longitude [deg]", dtick=30)
    fig.update_yaxes(range=[-90, 90], title="latitude [deg]", dtick=30, scaleanchor="x")
    fig.update_layout(title=title, height=520)
    return fig


def _site(df: pd.DataFrame) -> pd.Series:
    return np.where(df["station_b"].fillna("") == "", df["station_a"], df["station_a"] + " + " + df["station_b"])


def timeline_figure(passes: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    if len(passes):
        color = passes["heralded_pairs"].to_numpy(dtype=float)
        fig.add_trace(go.Scatter(
            x=passes["start_utc"].str.slice(0, 19), y=_site(passes), mode="markers",
            marker=dict(color=color, colorscale="Viridis", showscale=True, colorbar=dict(title="heralded<br>pairs"),
                        size=7, symbol="line-ns-open", line=dict(width=2, color=color)),
            text=passes["pass_id"], hovertemplate="%{text}<br>%{x}<br>heralded pairs %{marker.color:.3g}<extra></extra>"))
    fig.update_layout(title="Pass timeline (coloured by heralded pairs)", height=max(300, 60 + 28 * passes["station_a"].nunique() * 2 if len(passes) else 300),
                      xaxis_title="UTC")
    return fig


def pass_figure(pass_id: str, detail: pd.DataFrame) -> go.Figure:
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        subplot_titles=("elevation [deg]", "range [km]", "loss [dB]"))
    t = detail["time_utc"].str.slice(0, 19)
    for leg, colour in (("a", "#1f77b4"), ("b", "#ff7f0e")):
        if f"elevation_{leg}_deg" not in detail or detail[f"elevation_{leg}_deg"].isna().all():
            continue
        fig.add_trace(go.Scatter(x=t, y=detail[f"elevation_{leg}_deg"], name=f"station {leg}", line=dict(color=colour)), 1, 1)
        fig.add_trace(go.Scatter(x=t, y=detail[f"range_{leg}_km"], showlegend=False, line=dict(color=colour)), 2, 1)
        fig.add_trace(go.Scatter(x=t, y=detail[f"loss_{leg}_db"], showlegend=False, line=dict(color=colour)), 3, 1)
    fig.update_layout(title=f"Pass {pass_id}", height=620)
    return fig


def budget_figure(passes: pd.DataFrame) -> go.Figure:
    """Waterfall from fidelity 1 through each infidelity term (weighted by heralded pairs)."""
    w = passes["heralded_pairs"].to_numpy(dtype=float) if len(passes) else np.empty(0)
    terms = []
    for col, label in INFIDELITY_LABELS.items():
        v = passes[col].to_numpy(dtype=float) if col in passes else np.empty(0)
        ok = np.isfinite(v) & (w > 0)
        terms.append((label, float(np.sum(v[ok] * w[ok]) / np.sum(w[ok])) if ok.any() else 0.0))
    fid = 1.0 - sum(v for _, v in terms)
    fig = go.Figure(go.Waterfall(
        x=["ideal"] + [lab for lab, _ in terms] + ["delivered"],
        y=[1.0] + [-v for _, v in terms] + [fid], measure=["absolute"] + ["relative"] * len(terms) + ["total"],
        text=["1"] + [f"−{v:.4f}" for _, v in terms] + [f"{fid:.4f}"], textposition="outside"))
    fig.update_layout(title="Fidelity budget (mean over delivered pairs)", yaxis=dict(range=[max(0.0, fid - 0.1), 1.02]), height=420)
    return fig


def monthly_figure(monthly: list[dict]) -> go.Figure:
    fig = make_subplots(rows=1, cols=3, subplot_titles=("swaps", "heralded pairs (expected, after clouds)", "secret key [bit]"))
    months = [m["month"] for m in monthly]
    fig.add_trace(go.Bar(x=months, y=[m.get("swaps", 0) for m in monthly], name="swaps"), 1, 1)
    fig.add_trace(go.Bar(x=months, y=[m.get("heralded_pairs", 0) for m in monthly], name="heralded"), 1, 2)
    fig.add_trace(go.Bar(x=months, y=[m.get("expected_heralded_pairs", 0) for m in monthly], name="expected"), 1, 2)
    fig.add_trace(go.Bar(x=months, y=[m.get("secret_key_bits", 0) for m in monthly], name="key"), 1, 3)
    fig.update_layout(title="Monthly totals", height=380, barmode="group")
    return fig


def render_html(result) -> str:
    """The mission report page for a :class:`mission.result.MissionResult`."""
    s = result.summary
    t = s["totals"]
    parts = [f"<h1>skyswap mission report: {html.escape(result.scenario_name)}</h1>",
             f'<p class="note">mode {html.escape(result.mode)} · span {s["span"]["start_utc"]} → {s["span"]["end_utc"]} '
             f'({s["span"]["days"]:g} days) · scenario hash <code>{result.scenario_hash}</code> · skyswap {s["software"].get("skyswap")}</p>']
    kpis = [("usable passes", t["passes"]), ("link hours", t["hours"]), ("swaps", t["swaps"]),
            ("heralded pairs", t["heralded_pairs"]), ("expected after clouds", t["expected_heralded_pairs"]),
            ("secret key [bit]", t["secret_key_bits"]), ("median fidelity", s["fidelity"]["median"])]
    parts.append("".join(f'<span class="kpi"><b>{_fmt(v)}</b>{k}</span>' for k, v in kpis))
    if not len(result.passes):
        parts.append('<p class="note">No usable window in this span: the figures below are empty.</p>')
    figs = [("map", map_figure(result.stations, result.ground_track, "Ground track (first orbits) and stations")),
            ("timeline", timeline_figure(result.passes)),
            ("budget", budget_figure(result.passes)),
            ("monthly", monthly_figure(s["monthly"]))]
    for k, (pid, detail) in enumerate(result.pass_detail.items()):
        figs.append((f"pass-{k + 1}", pass_figure(pid, detail)))
    for i, (div_id, fig) in enumerate(figs):
        parts.append(_fig_html(fig, f"fig-{div_id}", first=(i == 0)))
    parts.append("<h2>Stations</h2>" + _table(s["by_station"], ["station", "passes", "hours", "heralded_pairs",
                                                                "expected_heralded_pairs", "median_fidelity", "secret_key_bits"]))
    if s["by_pair"]:
        parts.append("<h2>Station pairs</h2>" + _table(s["by_pair"], ["station_a", "station_b", "passes", "hours", "heralded_pairs",
                                                                      "expected_heralded_pairs", "median_fidelity", "secret_key_bits"]))
    ops = s.get("operations", {})
    parts.append("<h2>Operations</h2>" + _table([{"item": k, "value": v} for k, v in _flat(ops).items()], ["item", "value"]))
    parts.append("<h2>Scenario</h2><pre>" + html.escape(result.scenario_yaml) + "</pre>")
    return _page(f"skyswap: {result.scenario_name}", "\n".join(parts))


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def render_compare_html(ranking: pd.DataFrame, stations: pd.DataFrame, title: str) -> str:
    """The site-comparison page: ranking table and a station map."""
    rows = ranking.to_dict("records")
    parts = [f"<h1>{html.escape(title)}</h1>",
             '<p class="note">Ranked by expected heralded pairs after clouds; stations in single downlink, '
             "pairs in dual downlink, all on the same orbit and payload.</p>",
             _table(rows, ["site", "rank", "kind", "usable_passes_per_year", "link_hours", "heralded_pairs",
                           "expected_heralded_pairs", "median_fidelity", "secret_key_bits"]),
             _fig_html(map_figure(stations, None, "Stations"), "fig-map", first=True)]
    return _page(title, "\n".join(parts))


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{_CSS}</style></head><body>\n{body}\n</body></html>\n")
