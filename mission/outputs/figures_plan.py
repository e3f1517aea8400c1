"""Figures of the contact plan and of the year as a distribution (drawing only).

- :func:`schedule_figure`: the contact plan on a time axis, one row per station or pair, every
  candidate window as a pale bar and every scheduled contact as a coloured bar over it (colour by
  pair, or by satellite when there are several); zoomable, with buttons for a day, a week, a month
  and the whole span.
- :func:`contention_figure`: per pair, the hours its windows wanted against the hours it was
  served, and the expected pairs it wanted (windows served whole) against those it got.
- :func:`distribution_figure`: the year over simulated weather: each month's P10–P90 band with its
  median and mean, and each pair's (or station's) P10 / P50 / P90.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .figures import PASS_COLOURS, _base_layout, _note, column, link_labels, plot_times, text_column

#: The schedule opens on the first week of the span (a year of two-minute bars is not visible). [d]
OPENING_DAYS = 7.0
_RANGE_BUTTONS = [
    {"count": 1, "label": "1 day", "step": "day", "stepmode": "backward"},
    {"count": 7, "label": "1 week", "step": "day", "stepmode": "backward"},
    {"count": 1, "label": "1 month", "step": "month", "stepmode": "backward"},
    {"step": "all", "label": "whole span"},
]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def spans_decades(values, decades: float = 2.0) -> bool:
    """True when the positive values span at least ``decades`` powers of ten (use a log axis)."""
    v = np.asarray([x for x in values if x is not None], float)
    v = v[np.isfinite(v) & (v > 0)]
    return v.size >= 2 and np.log10(v.max() / v.min()) >= decades


def _durations_ms(df: pd.DataFrame) -> np.ndarray:
    return (column(df, "duration_s").fillna(0.0).to_numpy() * 1000.0).round(0)


def schedule_figure(schedule: pd.DataFrame, passes: pd.DataFrame, span_start_utc: str | None = None) -> go.Figure:
    """Candidate windows (pale) and scheduled contacts (coloured) on a zoomable time axis."""
    fig = go.Figure()
    rows = sorted(set(link_labels(passes)) | set(link_labels(schedule))) if len(passes) or len(schedule) else []
    _base_layout(fig, max(300, 190 + 34 * len(rows)))
    if not len(passes) and not len(schedule):
        return _note(fig, "No candidate windows and no contacts in this span.")
    if len(passes):
        served = column(passes, "scheduled_s").fillna(0.0).to_numpy()
        fig.add_trace(go.Bar(
            base=plot_times(text_column(passes, "start_utc")), x=_durations_ms(passes), y=link_labels(passes).tolist(),
            orientation="h", name="candidate window", marker={"color": "rgba(120,130,150,0.45)", "line": {"width": 0}},
            width=0.8, customdata=np.column_stack([text_column(passes, "pass_id").to_numpy(dtype=object),
                                                   column(passes, "duration_s").round(0).to_numpy(), served.round(0),
                                                   text_column(passes, "lost_to").to_numpy(dtype=object)]).tolist(),
            hovertemplate=("<b>%{customdata[0]}</b> (candidate)<br>%{base}<br>%{customdata[1]} s wanted, "
                           "%{customdata[2]} s served<br>lost to %{customdata[3]}<extra></extra>"),
        ))
    sats = text_column(schedule, "satellite")
    by_sat = sats.nunique() > 1
    groups = sats if by_sat else link_labels(schedule)
    for k, key in enumerate(sorted(set(groups)) if len(schedule) else []):
        g = schedule[(groups == key).to_numpy()]
        # colour by satellite (legend: one entry each), or by pair (the row says which: one legend entry)
        fig.add_trace(go.Bar(
            base=plot_times(text_column(g, "start_utc")), x=_durations_ms(g), y=link_labels(g).tolist(),
            orientation="h", name=key if by_sat else "scheduled contact", legendgroup=key if by_sat else "contacts",
            showlegend=by_sat or k == 0, width=0.5,
            marker={"color": PASS_COLOURS[k % len(PASS_COLOURS)], "line": {"width": 0}},
            customdata=np.column_stack([
                text_column(g, "contact_id").to_numpy(dtype=object), text_column(g, "pass_id").to_numpy(dtype=object),
                column(g, "duration_s").round(0).to_numpy(), column(g, "heralded_pairs").to_numpy(),
                column(g, "expected_heralded_pairs").to_numpy(), text_column(g, "satellite").to_numpy(dtype=object),
            ]).tolist(),
            hovertemplate=("<b>%{customdata[0]}</b> %{customdata[5]} → %{y}<br>%{base}, %{customdata[2]} s"
                           "<br>window %{customdata[1]}<br>heralded pairs %{customdata[3]:.3g} with clear skies, "
                           "%{customdata[4]:.3g} expected<extra></extra>"),
        ))
    start = pd.to_datetime(span_start_utc or (text_column(passes, "start_utc").min() if len(passes) else
                                              text_column(schedule, "start_utc").min()), utc=True, errors="coerce")
    xaxis = {"type": "date", "title_text": "time (UTC)",
             "rangeselector": {"buttons": _RANGE_BUTTONS, "x": 0.0, "y": 1.02, "yanchor": "bottom"},
             "rangeslider": {"visible": True, "thickness": 0.07}}
    if not pd.isna(start):
        xaxis["range"] = [start.strftime("%Y-%m-%d %H:%M:%S"),
                          (start + pd.Timedelta(days=OPENING_DAYS)).strftime("%Y-%m-%d %H:%M:%S")]
    fig.update_xaxes(**xaxis)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=rows[::-1], title_text=None)
    fig.update_layout(barmode="overlay", dragmode="pan", margin={"t": 80, "l": 170},
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1.0, "xanchor": "right",
                              "title": {"text": "satellite: " if by_sat else ""}})
    return fig


def contention_figure(by_pair: list[dict]) -> go.Figure:
    """Per pair: hours wanted vs served (left), expected pairs wanted vs served (right; a log axis
    where the pairs span decades)."""
    rows = [r for r in by_pair or [] if r.get("station_a") and r.get("station_b")]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("contact time [h]", "expected heralded pairs (cloud-weighted)"))
    _base_layout(fig, max(300, 150 + 46 * len(rows)))
    if not rows:
        return _note(fig, "No station pairs: nothing contends for the payload.")
    labels = [f"{r['station_a']}–{r['station_b']}" for r in rows]
    wanted_h = [r.get("hours_wanted") for r in rows]
    served_h = [r.get("hours") for r in rows]
    share = [f"{100 * r['time_share']:.0f} % served" if r.get("time_share") is not None else "" for r in rows]
    fig.add_trace(go.Bar(y=labels, x=wanted_h, orientation="h", name="wanted (all candidate windows)",
                         marker_color="#b8c2d3", legendgroup="wanted"), row=1, col=1)
    fig.add_trace(go.Bar(y=labels, x=served_h, orientation="h", name="served (scheduled contacts)", text=share,
                         textposition="outside", marker_color="#2a6fdb", legendgroup="served"), row=1, col=1)
    has_pairs = any(r.get("expected_heralded_pairs_wanted") is not None for r in rows)
    if has_pairs:
        wanted_p = [r.get("expected_heralded_pairs_wanted") for r in rows]
        served_p = [r.get("expected_heralded_pairs") for r in rows]
        fig.add_trace(go.Bar(y=labels, x=wanted_p, orientation="h", name="wanted (all candidate windows)",
                             marker_color="#b8c2d3", legendgroup="wanted", showlegend=False), row=1, col=2)
        fig.add_trace(go.Bar(y=labels, x=served_p, orientation="h", name="served (scheduled contacts)",
                             marker_color="#2a6fdb", legendgroup="served", showlegend=False), row=1, col=2)
        if spans_decades(wanted_p + served_p):
            fig.update_xaxes(type="log", row=1, col=2)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels[::-1])
    fig.update_xaxes(rangemode="tozero", row=1, col=1)
    fig.update_layout(barmode="group", margin={"l": 190, "t": 60},
                      legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0.0})
    return fig


def distribution_figure(distribution: dict | None, monthly: list[dict] | None = None,
                        quantity: str = "heralded_pairs") -> go.Figure:
    """Monthly P10–P90 band, median and mean of ``quantity`` over simulated weather years (left),
    and each pair's (or station's) P10 / P50 / P90 (right; log axis where they span decades)."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.58, 0.42], horizontal_spacing=0.16,
                        subplot_titles=("per month", "per year, by link"))
    d = (distribution or {}).get(quantity) if isinstance(distribution, dict) else None
    _base_layout(fig, 460)
    if not isinstance(d, dict) or not d.get("monthly"):
        return _note(fig, "No weather draws in this result (outputs.draws is 0).")
    m = sorted(d["monthly"], key=lambda r: r["month"])
    x = [MONTHS[int(r["month"]) - 1] for r in m]
    p10, p50, p90, mean = ([float(r[k]) for r in m] for k in ("p10", "p50", "p90", "mean"))
    fig.add_trace(go.Scatter(x=x, y=p90, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip",
                             name="P90"), row=1, col=1)
    fig.add_trace(go.Scatter(x=x, y=p10, mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(42,111,219,0.22)", name="P10–P90 of simulated years",
                             customdata=np.column_stack([p10, p90]).tolist(),
                             hovertemplate="%{x}: P10 %{customdata[0]:.3g}, P90 %{customdata[1]:.3g}<extra></extra>"),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=x, y=p50, mode="lines+markers", name="median (P50)", line={"color": "#2a6fdb"},
                             hovertemplate="%{x}: P50 %{y:.3g}<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(x=x, y=mean, mode="markers", name="mean", marker={"symbol": "diamond", "color": "#222"},
                             hovertemplate="%{x}: mean %{y:.3g}<extra></extra>"), row=1, col=1)
    links = d.get("by_pair") or {}
    if links:
        order = sorted(links, key=lambda k: -float(links[k]["p50"]))
        lo = [float(links[k]["p10"]) for k in order]
        mid = [float(links[k]["p50"]) for k in order]
        hi = [float(links[k]["p90"]) for k in order]
        fig.add_trace(go.Scatter(
            x=mid, y=order, mode="markers", name="P50, bar P10–P90", marker={"color": "#2a6fdb", "size": 9},
            error_x={"type": "data", "symmetric": False, "array": (np.array(hi) - mid).tolist(),
                     "arrayminus": (np.array(mid) - lo).tolist(), "color": "#2a6fdb", "thickness": 2},
            customdata=np.column_stack([lo, hi]).tolist(),
            hovertemplate="%{y}: P10 %{customdata[0]:.3g}, P50 %{x:.3g}, P90 %{customdata[1]:.3g}<extra></extra>"),
            row=1, col=2)
        fig.update_yaxes(type="category", categoryorder="array", categoryarray=order[::-1], row=1, col=2)
        if spans_decades(lo + hi):
            fig.update_xaxes(type="log", row=1, col=2)
    label = quantity.replace("_", " ")
    fig.update_yaxes(title_text=f"{label} in the month", rangemode="tozero", row=1, col=1)
    fig.update_xaxes(title_text=f"{label} in the year", row=1, col=2)
    fig.update_xaxes(type="category", row=1, col=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.15, "yanchor": "top", "x": 0.0}, margin={"t": 50})
    return fig
