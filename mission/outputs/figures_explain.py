"""Figures of what limits the plan and what would change it (drawing only).

- :func:`loss_waterfall_figure`: the link-loss budget (``summary.json`` ``loss_budget``) from 0 dB
  up through each term to the mean total loss, the twin of the fidelity waterfall.
- :func:`levers_figure`: a tornado of the levers (``summary.json`` ``levers``): for each lever, the
  expected heralded pairs with it changed, as a multiple of the plan's, on a log axis.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..channel import LINK_TERM_LABELS, LINK_TERMS
from .figures import _base_layout, _note
from .numbers import finite

#: A term below this is left out of the waterfall (it would be an empty bar). [dB]
SMALLEST_TERM_DB = 0.0005
LOSS_COLOUR, TOTAL_COLOUR = "#d1495b", "#2e4057"
WORSE_COLOUR, BETTER_COLOUR = "#d1495b", "#66a182"


def loss_terms(loss_budget: dict | None) -> list[tuple[str, float]]:
    """The budget's terms in the light's order, (label, dB), without the empty ones."""
    terms = (loss_budget or {}).get("terms_db") or {}
    return [(LINK_TERM_LABELS[t], float(terms[t])) for t in LINK_TERMS
            if finite(terms.get(t)) and abs(float(terms[t])) >= SMALLEST_TERM_DB]


def loss_waterfall_figure(loss_budget: dict | None, downlinks: int = 1) -> go.Figure:
    """From no loss (0 dB) up through each term to the mean total loss (``downlinks`` together)."""
    fig = go.Figure()
    _base_layout(fig, 460)
    terms = loss_terms(loss_budget)
    lb = loss_budget or {}
    if not terms or not finite(lb.get("loss_total_db")):
        return _note(fig, "No link in this result (no photon leaves the satellite, or no window sees light).")
    total = float(lb["loss_total_db"])
    labels = [label for label, _ in terms] + ["total (mean)"]
    values = [v for _, v in terms] + [0.0]
    measure = ["relative"] * len(terms) + ["total"]
    text = [f"{v:.1f}" for v in values[:-1]] + [f"{total:.1f} dB"]
    # horizontal: the terms' names read level on the left, however many and however long
    fig.add_trace(go.Waterfall(
        orientation="h", y=labels, x=values, measure=measure, text=text, textposition="outside",
        name="link loss", connector={"line": {"color": "#999", "width": 1}},
        increasing={"marker": {"color": LOSS_COLOUR}}, decreasing={"marker": {"color": BETTER_COLOUR}},
        totals={"marker": {"color": TOTAL_COLOUR}}, hovertemplate="%{y}: %{text} dB<extra></extra>",
    ))
    both = " (both downlinks together)" if downlinks == 2 else ""
    fig.update_xaxes(range=[0.0, 1.18 * max(total, 1e-3)], title_text=f"loss [dB]{both}")
    fig.update_yaxes(autorange="reversed", automargin=True)  # the light's order from the top
    return fig


def lever_rows(levers: dict | None) -> list[dict]:
    """The lever rows that have a ratio to the plan (finite and positive)."""
    return [r for r in (levers or {}).get("levers") or [] if finite(r.get("ratio")) and float(r["ratio"]) > 0]


def levers_figure(levers: dict | None) -> go.Figure:
    """Tornado: per lever, a bar from 1 to the ratio of the expected pairs with each change to the
    plan's (log axis), better green, worse red, the lever with the widest spread on top."""
    rows = lever_rows(levers)
    fig = go.Figure()
    names = list(dict.fromkeys(r["lever"] for r in rows))
    _base_layout(fig, max(300, 120 + 46 * len(names)))
    if not rows:
        return _note(fig, "No levers in this result (nothing was delivered to scale).")
    spread = {n: max(abs(np.log10(float(r["ratio"]))) for r in rows if r["lever"] == n) for n in names}
    order = sorted(names, key=lambda n: -spread[n])
    label = {r["lever"]: r["lever"].replace("_", " ") for r in rows}
    for better in (False, True):
        chosen = [r for r in rows if (float(r["ratio"]) >= 1.0) == better]
        if not chosen:
            continue
        ratio = np.array([float(r["ratio"]) for r in chosen])
        fig.add_trace(go.Bar(
            y=[label[r["lever"]] for r in chosen], x=(ratio - 1.0).tolist(),
            base=[1.0] * len(chosen), orientation="h", name="more pairs" if better else "fewer pairs",
            marker_color=BETTER_COLOUR if better else WORSE_COLOUR, text=[r["change"] for r in chosen],
            textposition="outside", customdata=np.column_stack([[r["change"] for r in chosen], ratio]).tolist(),
            hovertemplate="%{y} %{customdata[0]}: %{customdata[1]:.3g} × the plan's expected pairs<extra></extra>",
        ))
    ratios = [float(r["ratio"]) for r in rows]
    lo, hi = min(ratios + [1.0]), max(ratios + [1.0])
    decades = np.arange(np.floor(np.log10(lo) - 0.35), np.ceil(np.log10(hi) + 0.35) + 1)
    fig.update_xaxes(type="log", range=[np.log10(lo) - 0.35, np.log10(hi) + 0.35],
                     tickvals=(10.0 ** decades).tolist(), ticktext=[f"×{10.0 ** d:g}" for d in decades],
                     title_text="expected heralded pairs, × the plan's")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=[label[n] for n in order][::-1])
    fig.add_vline(x=1.0, line={"color": "#222", "width": 1})
    fig.update_layout(barmode="overlay", margin={"l": 150, "t": 40},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0})
    return fig
