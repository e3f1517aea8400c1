"""What every skyswap page shares: style, the figure scripts, number formatting, tables.

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

import numpy as np
import plotly.io as pio
import plotly.offline

from .figures import world_topojson_json
from .numbers import expected, finite

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
table.skyswap-table td { white-space: nowrap; }
table.skyswap-table td[data-field="note"], table.skyswap-table td[data-field="group"] { white-space: normal; }
table.skyswap-table.kv { width: auto; min-width: 520px; }
table.skyswap-table.compact th, table.skyswap-table.compact td { padding: 4px 5px; font-size: 13px; }
table.skyswap-table.compact td[data-field="note"] { min-width: 130px; }
table.skyswap-table.compact td[data-field="cloud_confidence"] { white-space: normal; }
pre { background: #f3f5f9; border: 1px solid var(--line); padding: 10px; overflow: auto; font-size: 12.5px; }
code { font-size: 12.5px; word-break: break-all; }
.caption { color: var(--muted); margin: -4px 0 8px; }
footer { color: var(--muted); font-size: 12px; text-align: center; }
.meaning { background: #eef5ff; border-color: #b9d0f5; }
.meaning p { margin: 4px 0 8px; max-width: 1050px; }
dl.defs { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 12px 0 0;
          color: var(--muted); font-size: 12.5px; }
dl.defs dt { font-weight: 600; color: var(--fg); }
dl.defs dd { margin: 0; }
details > summary { cursor: pointer; color: var(--accent); margin: 6px 0; }
td.note, th.note { color: var(--muted); font-size: 12.5px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
.side-by-side { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px; }
@media (max-width: 900px) { .side-by-side { grid-template-columns: minmax(0, 1fr); } }
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

def fmt(value, kind: str = "auto") -> str:
    """A cell value for display: ``"—"`` for missing, whole numbers with thousands separators, other
    numbers (means, expectations) to three significant figures (:func:`.numbers.expected`),
    fidelities to four decimals."""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value if value else "—"
    if not finite(value):
        return "—"
    v = float(value)
    if kind == "fidelity":
        return f"{v:.4f}"
    if kind == "percent":
        return f"{100 * v:.0f} %"
    if kind == "expected":
        return expected(v)
    if kind == "int" or (kind == "auto" and v == round(v) and abs(v) < 1e15):
        return f"{int(round(v)):,}"
    return expected(v)  # a mean or an expectation: three significant figures, never a false count


def esc(value) -> str:
    """HTML-escaped text."""
    return html.escape(str(value), quote=True)


def _kind(col: str) -> str:
    """How a column's numbers are shown: counts, shares, fidelities, expectations, or by value."""
    if col in ("contacts", "passes", "rank", "candidate_windows", "windows", "k", "visits") or col.startswith("rank"):
        return "int"
    if col.endswith("share") or col == "p_rank_first":
        return "percent"
    if "fidelity" in col:
        return "fidelity"
    if any(k in col for k in ("expected", "heralded", "swaps", "heralds", "p10", "p50", "p90", "mean", "added")):
        return "expected"
    return "auto"


def html_table(rows: list[dict], columns: list[tuple[str, str]], table_id: str, key: str | None = None,
               css_class: str = "") -> str:
    """An HTML table: ``columns`` is ``[(field, header), ...]``; numbers right-aligned; ``css_class``
    adds a class (``compact``: tighter cells for wide tables).

    Each ``<tr>`` carries ``data-key`` (the value of ``key``), each ``<td>`` ``data-field`` and, for
    numbers, ``data-value`` with the unformatted value (``repr`` of the float) for scripts and tests.
    """
    head = "".join(f"<th>{esc(h)}</th>" for _, h in columns)
    body = []
    for row in rows:
        cells = []
        for field, _ in columns:
            v = row.get(field)
            if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
                raw = repr(float(v)) if finite(v) else ""
                cells.append(f'<td class="num" data-field="{esc(field)}" data-value="{raw}">{esc(fmt(v, _kind(field)))}</td>')
            else:
                cells.append(f'<td data-field="{esc(field)}">{esc(fmt(v if v is not None else float("nan")))}</td>')
        k = f' data-key="{esc(row.get(key, ""))}"' if key else ""
        body.append(f"<tr{k}>{''.join(cells)}</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(columns)}">no rows</td></tr>')
    cls = f"skyswap-table {css_class}".strip()
    return (f'<table class="{cls}" id="{esc(table_id)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def rank_rows(rows: list[dict], by: str, name) -> list[dict]:
    """Rows sorted best first by ``by`` (missing last, then by name), with a 1-based ``rank``."""
    def sort_key(r):
        v = r.get(by)
        return (0 if finite(v) else 1, -float(v) if finite(v) else 0.0, name(r))
    return [dict(r, rank=i + 1) for i, r in enumerate(sorted(rows, key=sort_key))]


# ----------------------------------------------------------------------------------- figures

def figure_html(fig, div_id: str) -> str:
    """A figure's div and the script that draws it (the page inlines plotly.js once, before)."""
    spec = json.loads(pio.to_json(fig, validate=False, pretty=False, engine="json"))
    spec["config"] = _PLOTLY_CONFIG
    payload = json.dumps(spec, separators=(",", ":"), sort_keys=True, allow_nan=False).replace("</", "<\\/")
    height = int(fig.layout.height or 450)
    return (f'<div id="{div_id}" class="skyswap-figure" style="height:{height}px"></div>\n'
            f'<script>skyswapPlot("{div_id}", {payload});</script>')


def page(title: str, body: str) -> str:
    """The whole page: plotly.js once, the base map, the body, the render flag."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        f"<script>{plotly.offline.get_plotlyjs()}</script>",
        f"<script>window.PlotlyGeoAssets = {{topojson: {{world_110m: {world_topojson_json()}}}}};</script>",
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


def section(title: str, inner: str, section_id: str, css_class: str = "") -> str:
    """A titled ``<section>``."""
    cls = f' class="{css_class}"' if css_class else ""
    return f'<section id="{section_id}"{cls}><h2>{esc(title)}</h2>\n{inner}\n</section>'
