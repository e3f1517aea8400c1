"""The page of ``skyswap sweep`` (``sweep.html``, drawing only): the best point, the figure, the table.

The figure puts the sweep's first axis on x (numbers on a numeric axis, anything else as
categories) and draws one line per combination of the other axes: expected heralded pairs after
clouds above, candidate windows below, so that a reader sees at once which way each axis moves the
answer and whether more windows are what moved it. The table lists every point with its totals.
"""
from __future__ import annotations

import numbers as _numbers

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .figures import PASS_COLOURS, _base_layout, _note, house_template
from .figures_plan import spans_decades
from .numbers import expected, finite
from .page import esc, figure_html, fmt, html_table, page, section

SWEEP_FIGURE_IDS = ("skyswap-sweep",)


def _short(axis: str) -> str:
    return axis.rsplit(".", 1)[-1]


def _label(row: dict, axes) -> str:
    return ", ".join(f"{_short(a)}={row[a]}" for a in axes) or "the base scenario"


def _numeric(values) -> bool:
    return all(isinstance(v, _numbers.Number) and not isinstance(v, bool) for v in values)


def sweep_figure(points: pd.DataFrame, axes) -> go.Figure:
    """Expected heralded pairs (top) and candidate windows (bottom) against the first axis, one line
    per combination of the other axes (see module)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.62, 0.38])
    _base_layout(fig, 560)
    if not len(points) or "expected_heralded_pairs" not in points or "candidate_windows" not in points:
        return _note(fig, "No sweep points." if not len(points) else "The points have no totals to draw.")
    axes = list(axes)
    rows = points.to_dict(orient="records")
    x_axis = axes[0] if axes else None
    others = axes[1:]
    groups: dict[str, list[dict]] = {}
    for r in rows:  # one other axis: the legend's title names it, each line its value
        name = (str(r[others[0]]) if len(others) == 1 else _label(r, others)) if others else "points"
        groups.setdefault(name, []).append(r)
    xs_all = [r[x_axis] for r in rows] if x_axis else []
    numeric = bool(x_axis) and _numeric(xs_all)
    for k, (name, grp) in enumerate(groups.items()):
        colour = PASS_COLOURS[k % len(PASS_COLOURS)]
        x = [r[x_axis] if numeric else str(r[x_axis]) for r in grp] if x_axis else ["base scenario"] * len(grp)
        custom = [[r["point"], _label(r, axes)] for r in grp]
        shown = len(groups) > 1
        fig.add_trace(go.Scatter(
            x=x, y=[r["expected_heralded_pairs"] for r in grp], mode="lines+markers", name=name, legendgroup=name,
            showlegend=shown, line={"color": colour}, marker={"size": 9}, customdata=custom,
            hovertemplate="point %{customdata[0]} (%{customdata[1]})<br>expected heralded pairs %{y:.3g}"
                          "<extra></extra>"), row=1, col=1)
        fig.add_trace(go.Scatter(
            x=x, y=[r["candidate_windows"] for r in grp], mode="lines+markers", name=name, legendgroup=name,
            showlegend=False, line={"color": colour, "dash": "dot"}, marker={"size": 7, "symbol": "square"},
            customdata=custom,
            hovertemplate="point %{customdata[0]} (%{customdata[1]})<br>candidate windows %{y:,}<extra></extra>"),
            row=2, col=1)
    pairs = [r["expected_heralded_pairs"] for r in rows]
    fig.update_yaxes(title_text="expected heralded pairs", row=1, col=1,
                     **({"type": "log"} if spans_decades(pairs) else {"rangemode": "tozero"}))
    fig.update_yaxes(title_text="candidate windows", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text=_short(x_axis) if x_axis else "", row=2, col=1)
    if numeric:
        ticks = sorted(set(xs_all))
        fig.update_xaxes(tickmode="array", tickvals=ticks, ticktext=[f"{v:g}" for v in ticks])
    else:
        fig.update_xaxes(type="category")
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0,
                              "title": {"text": ", ".join(_short(a) for a in others) + ": " if others else ""}},
                      margin={"t": 60})
    return fig


@house_template
def render_sweep_html(points: pd.DataFrame, axes, title: str) -> str:
    """The sweep page: the best point in words, the figure and the table of points."""
    axes = list(axes)
    columns = ("satellites", "candidate_windows", "duration_s", "heralded_pairs", "expected_heralded_pairs",
               "secret_key_bits")
    rows = [{**dict.fromkeys(columns, float("nan")), **r}  # a column missing: shown as "—", never a fault
            for r in (points.to_dict(orient="records") if len(points) else [])]
    delivering = [r for r in rows if finite(r["expected_heralded_pairs"]) and r["expected_heralded_pairs"] > 0]
    if delivering:
        best = max(delivering, key=lambda r: r["expected_heralded_pairs"])  # the first of ties
        worst = min(rows, key=lambda r: r["expected_heralded_pairs"])
        answer = (f"Most expected heralded pairs: point {best['point']} ({_label(best, axes)}), "
                  f"{expected(best['expected_heralded_pairs'])} from {fmt(best['candidate_windows'], 'int')} candidate "
                  "windows"
                  + (f"; the fewest: point {worst['point']} ({_label(worst, axes)}), "
                     f"{expected(worst['expected_heralded_pairs'])}." if len(rows) > 1 else "."))
    else:
        answer = "No point delivers a heralded pair." if rows else "The sweep has no points."
    what = ("Each point is one plan of the base scenario with the axes' values (a Walker point: its constellation "
            "planned together). Its totals are sums over its pass table: candidate windows, their hours, and what the "
            "scheduled contacts delivered — heralded pairs with clear skies and expected after clouds (means, not "
            "counts), and secret key. The sweep draws no weather years: no P10/P90 here.")
    cols = [("point", "point"), *((a, _short(a)) for a in axes), ("satellites", "satellites"),
            ("candidate_windows", "candidate windows"), ("window_hours", "window hours"),
            ("heralded_pairs", "heralded pairs (clear skies)"), ("expected_heralded_pairs", "expected heralded pairs"),
            ("secret_key_bits", "secret key [bit]")]
    table_rows = [{**r, "window_hours": r["duration_s"] / 3600.0} for r in rows]
    body = [f"<header><h1>{esc(title)}</h1><p>{len(rows)} points · axes "
            f"{esc(', '.join(axes) or 'none')}</p></header>",
            section("Result", f'<p class="answer" id="skyswap-sweep-answer">{esc(answer)}</p><p>{esc(what)}</p>',
                    "skyswap-sweep-result", "meaning"),
            section("Expected heralded pairs and candidate windows by point",
                    '<p class="caption">Top: expected heralded pairs after clouds; bottom: candidate windows (dotted). '
                    + esc(f"x: {_short(axes[0])}" if axes else "one point") +
                    (esc("; one line per " + ", ".join(_short(a) for a in axes[1:])) if len(axes) > 1 else "")
                    + ". Hover a point for its values.</p>" + figure_html(sweep_figure(points, axes), "skyswap-sweep"),
                    "figure"),
            section("Points", html_table(table_rows, cols, "skyswap-sweep-points", key="point"), "points"),
            "<footer>skyswap · self-contained page, works offline</footer>"]
    return page(title, "\n".join(body))
