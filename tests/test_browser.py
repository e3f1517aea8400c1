"""The reports in a real browser: headless Chromium, network cut off, every figure must draw.

Needs the Debian package ``chromium`` (``/usr/bin/chromium``; ``SKYSWAP_CHROMIUM`` overrides the
path). Without it the tests skip, except under CI (``CI`` set), where they fail.

Chromium runs with name resolution disabled and a dead proxy, so a page that tried to fetch
plotly.js, a font or the plotly base-map topojson from a CDN would fail to draw its figures. The
page sets ``data-skyswap-rendered="ok"`` on its root element once every ``Plotly.newPlot`` promise
resolved; the dumped DOM must carry it and each figure div must hold a drawn ``main-svg``.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pandas as pd
import pytest

from skyswap.mission.outputs import report
from skyswap.mission.outputs.summary import fidelity_budget
from tests import result_fixture as fx

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
    for div_id, html in figs.items():
        assert html.count('<svg class="main-svg"') >= 1, f"{div_id} has no rendered plot"
    return figs


def _n_points(html: str) -> int:
    return len(re.findall(r'class="point[ "]', html))


def test_mission_report_draws_every_figure_offline(chromium, tmp_path):
    res = fx.make_result()
    figs = assert_all_drawn(dump_dom(chromium, report.render_html(res), tmp_path, "mission"), report.MISSION_FIGURE_IDS)
    # the base map came from the inlined topojson (the network is off): land and coastlines drawn
    for layer in ("land", "coastlines", "countries"):
        assert re.search(rf'<g class="layer {layer}"><path d="M[\d.]', figs["skyswap-map"]), layer
    assert figs["skyswap-map"].count('class="geo') >= 2  # world and regional panels
    assert _n_points(figs["skyswap-timeline"]) == len(res.passes)
    assert _n_points(figs["skyswap-monthly"]) == 4 * 12
    budget = fidelity_budget(res.passes)
    assert _n_points(figs["skyswap-fidelity-budget"]) == len(budget["terms"]) + 3  # 1, terms, residual, total
    drawn_lines = re.findall(r'<g class="lines"><path class="js-line" d="M[\d.]', figs["skyswap-pass-detail"])
    assert len(drawn_lines) == 7 * len(res.pass_detail)


def test_degenerate_and_compare_pages_draw(chromium, tmp_path):
    figs = assert_all_drawn(dump_dom(chromium, report.render_html(fx.empty_result()), tmp_path, "empty"),
                            report.MISSION_FIGURE_IDS)
    assert "No usable passes in this span." in figs["skyswap-timeline"]
    ranking = fx.summarise("x", "0", "dual-downlink", fx.make_result(n_passes=30).passes)["by_station"]
    page = report.render_compare_html(pd.DataFrame(ranking).assign(rank=[2, 1, 3]), fx.STATIONS, "sites")
    figs = assert_all_drawn(dump_dom(chromium, page, tmp_path, "compare"), report.COMPARE_FIGURE_IDS)
    assert _n_points(figs["skyswap-compare-ranking"]) == 3


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
    path.write_text(report.render_html(fx.make_result()), encoding="utf-8")
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
    figs = assert_all_drawn(dump_dom(chromium, page, tmp_path, "real"), MISSION_FIGURE_IDS)
    assert _n_points(figs["skyswap-timeline"]) >= 10  # one dot per usable window (10 in this scenario)
