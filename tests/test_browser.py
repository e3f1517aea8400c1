"""The reports in a real browser: headless Chromium, network cut off, every figure must draw.

Needs the Debian package ``chromium`` (``/usr/bin/chromium``; ``SKYSWAP_CHROMIUM`` overrides the
path). Without it the tests skip, except under CI (``CI`` set), where they fail.

Chromium runs with name resolution disabled and a dead proxy, so a page that tried to fetch
plotly.js, a font or the plotly base-map topojson from a CDN would fail to draw its figures. The
page sets ``data-skyswap-rendered="ok"`` on its root element once every ``Plotly.newPlot`` promise
resolved; the dumped DOM must carry it and each figure div must hold a drawn ``main-svg``.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from skyswap.mission.outputs import report
from skyswap.mission.outputs.summary import fidelity_budget
from tests import result_fixture as fx
from tests.report_pages import figures

pytestmark = pytest.mark.browser

_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars",
    # no network: nothing resolves, and anything that would go out goes to a closed local port
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
    "--virtual-time-budget=15000",
]
_TIMEOUT_S = 90


@pytest.fixture(scope="module")
def chromium() -> str:
    path = os.environ.get("SKYSWAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        message = (f"headless Chromium not found at {path}: install the Debian package `chromium` "
                   "(apt-get install -y chromium) or set SKYSWAP_CHROMIUM")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _run(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([chromium, *_FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=_TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc


def dump_dom(chromium: str, page: str, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    proc = _run(chromium, tmp_path / f"profile-{name}", "--dump-dom", path.as_uri())
    return proc.stdout.decode("utf-8", errors="replace")


def figure_doms(dom: str, ids) -> dict[str, str]:
    """The rendered DOM of each figure div (each is the last element of its <section>)."""
    out = {}
    for div_id in ids:
        m = re.search(rf'<div id="{div_id}" class="skyswap-figure[^"]*"', dom)
        assert m, f"figure div {div_id} missing from the rendered page"
        out[div_id] = dom[m.start():dom.index("</section>", m.end())]
    return out


def assert_all_drawn(dom: str, ids) -> dict[str, str]:
    head = dom[:dom.index("<head")]
    error = re.search(r'data-skyswap-error="([^"]*)"', head)
    assert 'data-skyswap-rendered="ok"' in head, f"figures did not all draw: {error.group(1) if error else head}"
    assert f'data-skyswap-figures="{len(ids)}"' in head
    figs = figure_doms(dom, ids)
    for div_id, drawn in figs.items():
        assert drawn.count('<svg class="main-svg"') >= 1, f"{div_id} has no rendered plot"
    return figs


def _n_points(html: str) -> int:
    return len(re.findall(r'class="point[ "]', html))


_MEASURE_JS = """<script>
Promise.all(window.skyswapPlots || []).then(function () {
  var out = {labels: [], markers: [], ticks: [], texts: {}, lines: [], bars: {}};
  function box(el) { var r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
  function shown(el) {
    for (var e = el; e && e.nodeType === 1; e = e.parentNode) {
      var st = window.getComputedStyle(e);
      if (st.display === 'none' || st.visibility === 'hidden' || parseFloat(st.opacity) === 0) { return false; }
    }
    var r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }
  document.querySelectorAll('.skyswap-figure .geo .scatterlayer text').forEach(function (t) {
    out.labels.push([t.textContent].concat(box(t)));
  });
  document.querySelectorAll('.skyswap-figure .geo .scatterlayer .point').forEach(function (t) {
    out.markers.push(box(t));
  });
  document.querySelectorAll('.skyswap-figure .xtick text, .skyswap-figure .ytick text').forEach(function (t) {
    out.ticks.push(t.textContent);
  });
  document.querySelectorAll('.skyswap-figure').forEach(function (fig) {
    var texts = [];
    fig.querySelectorAll('text').forEach(function (t) {
      var s = (t.textContent || '').trim();
      if (!s || !shown(t)) { return; }
      var b = t.getBBox(), m = t.getScreenCTM(), corners = [];
      [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]].forEach(function (c) {
        corners.push([c[0] * m.a + c[1] * m.c + m.e, c[0] * m.b + c[1] * m.d + m.f]);
      });
      texts.push([s, corners]);  // the text's own box, turned as it is drawn (rotated tick labels)
    });
    out.texts[fig.id] = texts;
    var bars = [], area = fig.querySelector('.draglayer .xy .nsewdrag');
    fig.querySelectorAll('.barlayer .point path').forEach(function (b) {
      if (b.closest('.rangeslider-container') || !shown(b)) { return; }
      bars.push(box(b).concat([window.getComputedStyle(b).fill]));
    });
    out.bars[fig.id] = {area: area ? box(area) : null, bars: bars};
  });
  // the geo panels' lines (pair lines, leaders: stroke width) sampled every 2 px on the page
  document.querySelectorAll('.skyswap-figure .geo .scatterlayer .js-line').forEach(function (path) {
    var n = path.getTotalLength(), m = path.getScreenCTM(), pts = [];
    var width = parseFloat(window.getComputedStyle(path).strokeWidth) || 0;
    for (var d = 0; d <= n; d += 2) {
      var p = path.getPointAtLength(d);
      pts.push([p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f]);
    }
    out.lines.push({width: width, colour: window.getComputedStyle(path).stroke, points: pts});
  });
  document.documentElement.setAttribute('data-skyswap-measure', JSON.stringify(out));
});
</script></body>"""


def measured(chromium: str, page: str, tmp_path: Path, name: str, size: str = "1400,3000") -> tuple[str, dict]:
    """The rendered DOM, and what a script measured in it after every figure drew: the map labels'
    and station markers' boxes on the page, every axis tick label, every visible text of each
    figure with its box, the bars' boxes and the map's lines as points on the page."""
    path = tmp_path / f"{name}.html"
    path.write_text(page.replace("</body>", _MEASURE_JS), encoding="utf-8")
    proc = _run(chromium, tmp_path / f"profile-{name}", f"--window-size={size}", "--dump-dom", path.as_uri())
    dom = proc.stdout.decode("utf-8", errors="replace")
    m = re.search(r'data-skyswap-measure="([^"]*)"', dom[:dom.index("<head")])
    assert m, "the measuring script did not run"
    return dom, json.loads(html.unescape(m.group(1)))


def _hit(a, b, pad=0.5):
    return a[0] < b[2] - pad and b[0] < a[2] - pad and a[1] < b[3] - pad and b[1] < a[3] - pad


def assert_labels_clear(measure: dict) -> None:
    """No two map labels overlap, no label covers a station marker, no tick label uses an SI
    prefix such as "800µ" (issue 17)."""
    labels = measure["labels"]
    assert labels, "no map labels were drawn"
    for i, (name, *box) in enumerate(labels):
        for other, *box2 in labels[i + 1:]:
            assert not _hit(box, box2), f"map labels {name} and {other} overlap"
        for marker in measure["markers"]:
            assert not _hit(box, marker, pad=1.0), f"map label {name} covers a station marker"
    assert measure["ticks"], "no tick labels"
    bad = [t for t in measure["ticks"] if "µ" in t or re.search(r"\d[munpkMG]$", t)]
    assert not bad, f"tick labels with SI prefixes: {bad[:5]}"


def _quads_overlap(a, b, pad: float = 1.0) -> bool:
    """True when two convex quadrilaterals (corners in order, page pixels) overlap by more than
    ``pad`` along every axis of separation (the separating axis theorem)."""
    for quad in (a, b):
        for k in range(4):
            (x0, y0), (x1, y1) = quad[k], quad[(k + 1) % 4]
            nx, ny = y0 - y1, x1 - x0
            norm = (nx * nx + ny * ny) ** 0.5
            if norm == 0:
                continue
            pa = [(x * nx + y * ny) / norm for x, y in a]
            pb = [(x * nx + y * ny) / norm for x, y in b]
            if min(pa) >= max(pb) - pad or min(pb) >= max(pa) - pad:
                return False
    return True


def assert_no_text_overlaps(measure: dict, ids) -> None:
    """Issue 23 item 7: in every figure, no visible text (tick labels, axis titles, legend entries,
    annotations, bar labels, map labels, the range buttons) overlaps another; each text's box is
    taken as drawn (turned with rotated tick labels)."""
    for fig_id in ids:
        texts = measure["texts"].get(fig_id) or []
        assert texts, f"{fig_id}: no text drawn"
        for i, (name, a) in enumerate(texts):
            for other, b in texts[i + 1:]:
                assert not _quads_overlap(a, b), f"{fig_id}: {name!r} overlaps {other!r}"


def assert_labels_off_the_lines(measure: dict, pad: float = 1.0) -> None:
    """No map label is crossed by a station-pair line (leader lines, thinner than 1 px, lead to
    their label and are left out)."""
    for line in measure["lines"]:
        if line["width"] < 1.0:
            continue
        for name, *b in measure["labels"]:
            inside = [p for p in line["points"] if b[0] + pad < p[0] < b[2] - pad and b[1] + pad < p[1] < b[3] - pad]
            assert not inside, f"a line ({line['colour']}, {line['width']} px) crosses the label {name}"


def q4s_stations() -> pd.DataFrame:
    """The eleven stations of scenarios/q4s_year.yaml (seven in Europe, four in China)."""
    from skyswap.groundstations.catalog import get_station

    names = ["Graz", "Matera", "Wettzell", "Zimmerwald", "Grasse", "Herstmonceux", "Tenerife", "Delingha", "Nanshan",
             "Lijiang", "Xinglong"]
    return pd.DataFrame([{"name": s.name, "latitude_deg": s.latitude_deg, "longitude_deg": s.longitude_deg,
                          "altitude_m": s.altitude_m, "aperture_m": s.aperture_m} for s in map(get_station, names)])


def test_mission_report_draws_every_figure_offline(chromium, tmp_path):
    res = fx.make_result()
    dom, measure = measured(chromium, report.render_html(res), tmp_path, "mission")
    figs = assert_all_drawn(dom, report.MISSION_FIGURE_IDS)
    # the base map came from the inlined topojson (the network is off): land and coastlines drawn
    for layer in ("land", "coastlines", "countries"):
        assert re.search(rf'<g class="layer {layer}"><path d="M[\d.]', figs["skyswap-map"]), layer
    assert figs["skyswap-map"].count('class="geo') >= 3  # the world and two regions (Europe, China)
    nights = sum(1 for t in figures(report.render_html(res))["skyswap-schedule"]["data"]
                 if t["name"] == "night at the station(s)" for _ in t["x"])
    # nights, windows, contacts in their lane and over their window; and again in the range slider
    assert _n_points(figs["skyswap-schedule"]) == 2 * (nights + len(res.passes) + 2 * len(res.schedule))
    assert _n_points(figs["skyswap-monthly"]) == 5 * 12  # heralds, four-fold swaps, pairs, expected, key
    assert _n_points(figs["skyswap-contention"]) == 4 * len(fx.PAIRS)
    budget = fidelity_budget(res.passes)
    assert _n_points(figs["skyswap-fidelity-budget"]) == len(budget["terms"]) + 3  # 1, terms, residual, total
    drawn_lines = re.findall(r'<g class="lines"><path class="js-line" d="M[\d.]', figs["skyswap-pass-detail"])
    assert len(drawn_lines) == 7 * len(res.pass_detail)
    assert_labels_clear(measure)
    assert_labels_off_the_lines(measure)
    assert_no_text_overlaps(measure, report.MISSION_FIGURE_IDS)
    assert sorted(label[0] for label in measure["labels"]) == sorted(res.stations.name)


def test_crowded_map_labels_do_not_overlap_in_the_browser(chromium, tmp_path):
    """Issue 17: the q4s map printed Herstmonceux, Zimmerwald, Grasse, Wettzell and Graz on top of
    each other. The real boxes of the drawn labels (Chromium's layout) must not intersect."""
    res = replace(fx.make_result(n_passes=30), stations=q4s_stations())
    dom, measure = measured(chromium, report.render_html(res), tmp_path, "crowded")
    assert_all_drawn(dom, report.MISSION_FIGURE_IDS)
    assert len(measure["labels"]) == 11
    assert_labels_clear(measure)
    assert_labels_off_the_lines(measure)
    assert_no_text_overlaps(measure, report.MISSION_FIGURE_IDS)


def test_degenerate_and_compare_pages_draw(chromium, tmp_path):
    from skyswap.mission.outputs import compare_page
    from tests.test_compare import synthetic_comparison as _comparison

    figs = assert_all_drawn(dump_dom(chromium, report.render_html(fx.empty_result()), tmp_path, "empty"),
                            report.MISSION_FIGURE_IDS)
    assert "No candidate windows and no contacts in this span." in figs["skyswap-schedule"]
    comparison = replace(_comparison(), stations=q4s_stations())
    dom, measure = measured(chromium, compare_page.render_compare_html(comparison, "sites"), tmp_path, "compare")
    figs = assert_all_drawn(dom, compare_page.COMPARE_FIGURE_IDS)
    assert _n_points(figs["skyswap-compare-stations"]) >= 3
    assert_labels_clear(measure)
    assert_labels_off_the_lines(measure)
    assert_no_text_overlaps(measure, compare_page.COMPARE_FIGURE_IDS)


def test_compare_page_of_a_real_comparison_draws(chromium, tmp_path):
    """Issue 23 item 7: the page skyswap compare writes (pairs first, verdict, sized map) draws every
    figure in Chromium, with no text over another and no label under a pair line."""
    from typer.testing import CliRunner

    from skyswap.mission.cli import app
    from skyswap.mission.outputs import compare_page

    scenario = Path(__file__).parent / "data" / "e2e.yaml"
    r = CliRunner().invoke(app, ["compare", str(scenario), "--out", str(tmp_path / "out"), "--draws", "50", "--quiet"])
    assert r.exit_code == 0, r.stderr
    page = (tmp_path / "out" / "compare.html").read_text(encoding="utf-8")
    dom, measure = measured(chromium, page, tmp_path, "compare-real")
    assert_all_drawn(dom, compare_page.COMPARE_FIGURE_IDS)
    assert_labels_clear(measure)
    assert_labels_off_the_lines(measure)
    assert_no_text_overlaps(measure, compare_page.COMPARE_FIGURE_IDS)
    assert dom.index('id="skyswap-verdict"') < dom.index('id="pairs"') < dom.index('id="stations"')


def test_sweep_page_draws(chromium, tmp_path):
    """Issue 23 items 6 and 7: the sweep's page draws its figure, one marker per point and line."""
    from skyswap.mission import sweep
    from skyswap.mission.outputs import sweep_page

    result = sweep.run_serial(sweep.load_sweep(Path(__file__).parent / "data" / "sweep_small.yaml"))
    page = sweep_page.render_sweep_html(result.points, result.axes, "sweep")
    dom, measure = measured(chromium, page, tmp_path, "sweep")
    figs = assert_all_drawn(dom, sweep_page.SWEEP_FIGURE_IDS)
    assert _n_points(figs["skyswap-sweep"]) == 2 * len(result.points)  # pairs above, windows below
    assert_no_text_overlaps(measure, sweep_page.SWEEP_FIGURE_IDS)


def _png_rows_with_content(data: bytes) -> tuple[int, int, int]:
    """Width, height and how many rows of the PNG are not a single flat colour (filtered bytes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, [], 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            channels = {2: 3, 6: 4}[colour]
            assert depth == 8
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(idat))
    stride = 1 + width * channels
    assert len(raw) == stride * height
    busy = 0
    for r in range(height):
        row = raw[r * stride + 1 + channels:(r + 1) * stride]  # skip the filter byte and first pixel
        if row.count(0) < len(row) - 8 * channels:  # a flat row filters (Sub/Up/Paeth) to ~all zeros
            busy += 1
    return width, height, busy


def test_screenshot_of_mission_report(chromium, tmp_path):
    path = tmp_path / "report.html"
    res = replace(fx.make_result(), stations=q4s_stations())
    path.write_text(report.render_html(res), encoding="utf-8")
    png = tmp_path / "report.png"
    _run(chromium, tmp_path / "profile-shot", f"--screenshot={png}", "--window-size=1400,3000", path.as_uri())
    data = png.read_bytes()
    assert len(data) > 100_000, f"screenshot only {len(data)} bytes"
    width, height, busy = _png_rows_with_content(data)
    assert (width, height) == (1400, 3000)
    assert busy > 0.3 * height, f"only {busy} of {height} rows have content"


def test_report_of_a_real_plan_draws(chromium, tmp_path):
    """The planner's own MissionResult (not the synthetic fixture) renders every figure."""
    from typer.testing import CliRunner

    from skyswap.mission.cli import app
    from skyswap.mission.outputs.report import MISSION_FIGURE_IDS

    scenario = Path(__file__).parent / "data" / "e2e.yaml"
    r = CliRunner().invoke(app, ["plan", str(scenario), "--out", str(tmp_path / "out"), "--quiet"])
    assert r.exit_code == 0, r.stderr
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    dom, measure = measured(chromium, page, tmp_path, "real")
    figs = assert_all_drawn(dom, MISSION_FIGURE_IDS)
    passes = pd.read_csv(tmp_path / "out" / "passes.csv")
    schedule = pd.read_csv(tmp_path / "out" / "schedule.csv")
    nights = sum(len(t["x"]) for t in figures(page)["skyswap-schedule"]["data"] if t["name"].startswith("night"))
    assert nights >= 3 * 4  # the pairs' common nights of a 4-day span
    assert _n_points(figs["skyswap-schedule"]) == 2 * (nights + len(passes) + 2 * len(schedule))  # and the slider
    assert len(passes) >= 10
    assert_labels_clear(measure)
    assert_labels_off_the_lines(measure)
    assert_no_text_overlaps(measure, MISSION_FIGURE_IDS)
    # the schedule opens where contacts are visible: the median contact bar is at least 5 px wide on the page
    from skyswap.mission.outputs.figures_plan import MIN_CONTACT_PX

    drawn = measure["bars"]["skyswap-schedule"]
    left, _, right, _ = drawn["area"]
    lane = "rgb(31, 119, 180)"  # the first telescope's colour (PASS_COLOURS[0])
    widths = sorted(min(b[2], right) - max(b[0], left) for b in drawn["bars"]
                    if b[4] == lane and b[2] > left and b[0] < right)
    assert len(widths) >= 4, "too few contacts in the opening view"
    assert widths[len(widths) // 2] >= MIN_CONTACT_PX - 0.5
    # the scenario as planned reads as written: no escaped characters (issue 17: `28\xB0\`)
    yaml_text = html.unescape(re.search(r'<pre id="skyswap-scenario-yaml">(.*?)</pre>', page, re.S).group(1))
    assert "\\x" not in yaml_text and "\\u" not in yaml_text
    assert "37°22′" in yaml_text or "37°22'" in yaml_text  # Delingha's source, degrees and minutes
