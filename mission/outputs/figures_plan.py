"""Figures of the contact plan and of the year as a distribution (drawing only).

- :func:`schedule_figure`: the contact plan on a time axis: a lane per downlink telescope with the
  contacts it serves, then a row per station or pair with its nights shaded, every candidate
  window as a pale bar and the contacts over it coloured by telescope; it opens on the busiest
  stretch of the first week at a scale where contacts are visible, with buttons for 12 hours, a
  day, a week, a month and the whole span.
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

from ..windows import intervals
from .figures import PASS_COLOURS, _base_layout, _note, column, link_labels, plot_times, text_column

#: The plot width the schedule's opening view is computed for: the report's column less the row
#: labels (the figure is responsive; wider screens show contacts wider still). [px]
PLOT_WIDTH_PX = 1050.0
#: The schedule opens on a view in which the median contact is at least this wide. [px]
MIN_CONTACT_PX = 5.0
#: Shortest and longest opening view of the schedule. [h]
OPENING_MIN_H, OPENING_MAX_H = 2.0, 7 * 24.0
#: Most night bars the schedule draws (rows x nights); beyond it the rows further down are left unshaded. [1]
MAX_NIGHT_BARS = 25_000
NIGHT_COLOUR = "rgba(30,45,130,0.13)"
WINDOW_COLOUR = "rgba(140,140,140,0.55)"
_RANGE_BUTTONS = [
    {"count": 12, "label": "12 h", "step": "hour", "stepmode": "backward"},
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


def _objects(values: list) -> np.ndarray:
    """A list as a numpy array of objects: plotly takes an array as it is, where it checks a list
    element by element (a year's schedule: ~0.5 s of the report)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _durations_ms(df: pd.DataFrame) -> np.ndarray:
    return (column(df, "duration_s").fillna(0.0).to_numpy() * 1000.0).round(0)


def _times(values) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype=object), utc=True, errors="coerce", format="ISO8601")


def opening_range(starts, durations_s) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The schedule's opening view: short enough that the median contact is :data:`MIN_CONTACT_PX`
    wide on :data:`PLOT_WIDTH_PX` (within :data:`OPENING_MIN_H` .. :data:`OPENING_MAX_H`), placed
    on the stretch of the first week that holds the most contacts (the earliest of equals), from
    just before its first. None without times."""
    t = _times(starts).dropna().sort_values()
    d = np.asarray(durations_s, float)
    d = d[np.isfinite(d) & (d > 0)]
    if t.empty:
        return None
    length_s = float(np.median(d)) * PLOT_WIDTH_PX / MIN_CONTACT_PX if d.size else OPENING_MAX_H * 3600.0
    length_s = float(np.clip(length_s, OPENING_MIN_H * 3600.0, OPENING_MAX_H * 3600.0))
    sec = (t - t.iloc[0]).dt.total_seconds().to_numpy()
    first_week = sec[sec <= OPENING_MAX_H * 3600.0]
    inside = np.searchsorted(sec, first_week + 0.95 * length_s, side="right") - np.arange(first_week.size)
    first = t.iloc[int(np.argmax(inside))] - pd.Timedelta(seconds=0.05 * length_s)
    return first, first + pd.Timedelta(seconds=length_s)


def lane_labels(schedule: pd.DataFrame) -> pd.Series:
    """Each contact's downlink telescope: ``telescope k`` (1-based ``telescope_lane``), prefixed with
    the satellite when the schedule has several."""
    lane = column(schedule, "telescope_lane", 0.0).fillna(0.0).astype(int) + 1
    label = "telescope " + lane.astype(str)
    sats = text_column(schedule, "satellite")
    return (sats + " · " + label) if sats.nunique() > 1 else label


def night_bars(rows: list[str], nights: pd.DataFrame | None) -> tuple[list, list, list]:
    """The nights of every station row, and of both stations of a pair row (their intersection),
    as bars: plot times of the starts, durations [ms] and row labels; at most :data:`MAX_NIGHT_BARS`."""
    if nights is None or not len(nights):
        return [], [], []
    t0 = _times(nights["start_utc"]).min()
    per = {}
    for name, g in nights.groupby(text_column(nights, "station"), sort=False):
        s = (_times(g["start_utc"]) - t0).dt.total_seconds().to_numpy()
        e = (_times(g["end_utc"]) - t0).dt.total_seconds().to_numpy()
        per[name] = np.column_stack([s, e])
    base: list[str] = []
    width: list[float] = []
    label: list[str] = []
    for row in rows:
        names = row.split("–")
        if not all(n in per for n in names):
            continue
        iv = per[names[0]]
        for other in names[1:]:
            iv = intervals.intersect(iv, per[other])[0]
        if len(base) + len(iv) > MAX_NIGHT_BARS:
            break
        starts = t0 + pd.to_timedelta(iv[:, 0], unit="s")
        base += [x.strftime("%Y-%m-%d %H:%M:%S.%f") for x in starts]
        width += ((iv[:, 1] - iv[:, 0]) * 1000.0).round(0).tolist()
        label += [row] * len(iv)
    return base, width, label


def schedule_figure(schedule: pd.DataFrame, passes: pd.DataFrame, nights: pd.DataFrame | None = None) -> go.Figure:
    """The contact plan on a time axis. One lane per downlink telescope (top) with the contacts it
    serves; one row per station or pair below, with its nights shaded, every candidate window as a
    pale bar and the contacts it was given over it, coloured by the telescope that served them (the
    legend's colours are the telescopes'). Opens on a view where contacts are visible
    (:func:`opening_range`: the busiest stretch of the first week); buttons show 12 h, a day, a
    week, a month or the whole span."""
    fig = go.Figure()
    links = sorted(set(link_labels(passes)) | set(link_labels(schedule))) if len(passes) or len(schedule) else []
    lanes = lane_labels(schedule) if len(schedule) else pd.Series(dtype=object)
    lane_rows = sorted(set(lanes))
    rows = lane_rows + links
    _base_layout(fig, max(320, 200 + 30 * len(rows)))
    if not len(passes) and not len(schedule):
        return _note(fig, "No candidate windows and no contacts in this span.")
    base, width, label = night_bars(links, nights)
    if base:
        fig.add_trace(go.Bar(base=base, x=width, y=label, orientation="h", width=1.0, name="night at the station(s)",
                             marker={"color": NIGHT_COLOUR, "line": {"width": 0}}, hoverinfo="skip"))
    if len(passes):
        served = column(passes, "scheduled_s").fillna(0.0).to_numpy()
        fig.add_trace(go.Bar(
            base=_objects(plot_times(text_column(passes, "start_utc"))), x=_durations_ms(passes),
            y=link_labels(passes).to_numpy(dtype=object),
            orientation="h", name="candidate window", marker={"color": WINDOW_COLOUR, "line": {"width": 0}},
            width=0.8, customdata=np.column_stack([text_column(passes, "pass_id").to_numpy(dtype=object),
                                                   column(passes, "duration_s").round(0).to_numpy(), served.round(0),
                                                   text_column(passes, "lost_to").to_numpy(dtype=object)]),
            hovertemplate=("<b>%{customdata[0]}</b> (candidate)<br>%{base}<br>%{customdata[1]} s wanted, "
                           "%{customdata[2]} s served<br>lost to %{customdata[3]}<extra></extra>"),
        ))
    link = link_labels(schedule) if len(schedule) else pd.Series(dtype=object)
    for k, lane in enumerate(lane_rows):
        g = schedule[(lanes == lane).to_numpy()]
        colour = PASS_COLOURS[k % len(PASS_COLOURS)]
        custom = np.column_stack([
            text_column(g, "contact_id").to_numpy(dtype=object), text_column(g, "pass_id").to_numpy(dtype=object),
            column(g, "duration_s").round(0).to_numpy(), column(g, "heralded_pairs").to_numpy(),
            column(g, "expected_heralded_pairs").to_numpy(), link[(lanes == lane).to_numpy()].to_numpy(dtype=object),
            np.full(len(g), lane, dtype=object),
        ])
        hover = ("<b>%{customdata[0]}</b> %{customdata[6]} → %{customdata[5]}<br>%{base}, %{customdata[2]} s"
                 "<br>window %{customdata[1]}<br>heralded pairs %{customdata[3]:.3g} with clear skies, "
                 "%{customdata[4]:.3g} expected<extra></extra>")
        times, dur = _objects(plot_times(text_column(g, "start_utc"))), _durations_ms(g)
        # the telescope's lane: what it serves, the link written in the bar where it fits
        fig.add_trace(go.Bar(base=times, x=dur, y=np.full(len(g), lane, dtype=object), orientation="h", width=0.7, name=lane,
                             legendgroup=lane, marker={"color": colour, "line": {"width": 0}},
                             text=link[(lanes == lane).to_numpy()].to_numpy(dtype=object), textposition="inside",
                             insidetextanchor="middle", textfont={"color": "#fff", "size": 10}, customdata=custom,
                             hovertemplate=hover))
        # the same contacts over the candidate windows of their station or pair
        fig.add_trace(go.Bar(base=times, x=dur, y=link[(lanes == lane).to_numpy()].to_numpy(dtype=object), orientation="h",
                             width=0.5, name=lane, legendgroup=lane, showlegend=False,
                             marker={"color": colour, "line": {"width": 0}}, customdata=custom, hovertemplate=hover))
    xaxis = {"type": "date", "title_text": "time (UTC)",
             "rangeselector": {"buttons": _RANGE_BUTTONS, "x": 0.0, "y": 1.02, "yanchor": "bottom"},
             "rangeslider": {"visible": True, "thickness": 0.06}}
    view = (opening_range(text_column(schedule, "start_utc"), column(schedule, "duration_s")) if len(schedule)
            else opening_range(text_column(passes, "start_utc"), column(passes, "duration_s")))
    if view is not None:
        xaxis["range"] = [x.strftime("%Y-%m-%d %H:%M:%S") for x in view]
    fig.update_xaxes(**xaxis)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=rows[::-1], title_text=None)
    if lane_rows and links:  # a rule between the telescopes' lanes and the stations' rows
        fig.add_hline(y=len(links) - 0.5, line={"color": "#9aa3b2", "width": 1})
    fig.update_layout(barmode="overlay", dragmode="pan", margin={"t": 80, "l": 170},
                      uniformtext={"minsize": 9, "mode": "hide"},
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1.0, "xanchor": "right"})
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
