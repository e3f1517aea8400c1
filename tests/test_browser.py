"""report.html renders in a real browser with no network: every figure draws (issue 6)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mission.cli import app

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--proxy-server=127.0.0.1:9",  # any network request fails at once
         "--virtual-time-budget=20000"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium (Debian package 'chromium'): .ci/run installs it")
        pytest.skip("no Chromium on this machine")
    out = tmp_path_factory.mktemp("report")
    r = CliRunner().invoke(app, ["plan", str(ROOT / "tests" / "data" / "e2e.yaml"), "--out", str(out), "--quiet"])
    assert r.exit_code == 0, r.stderr
    return out / "report.html"


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


def test_every_figure_draws_offline(report, tmp_path):
    html = report.read_text()
    # plotly.js inlined once; no script, style or font fetched from anywhere
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', html)
    assert html.count("plotly.js v") == 1 and len(html) > 3_000_000
    ids = re.findall(r'<div class="skyswap-figure" id="wrap-([^"]+)">', html)
    assert len(ids) >= 5  # map, timeline, budget, monthly, at least one pass
    dom = _chromium(tmp_path, "--dump-dom", report.as_uri()).stdout
    for fig_id in ids:
        start = dom.index(f'id="wrap-{fig_id}"')
        end = dom.find('class="skyswap-figure"', start + 10)
        block = dom[start:end if end > 0 else None]
        assert 'class="main-svg"' in block, f"figure {fig_id} did not draw"


def test_screenshot(report, tmp_path):
    shot = tmp_path / "report.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,3000", report.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000  # a page of plots, not a blank one
