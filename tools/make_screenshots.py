"""Regenerate the README's screenshots (``docs/report.png``, ``docs/compare.png``, ``docs/sweep.png``).

Runs the shipped scenarios through the command line into a temporary folder and photographs each
page's first screens in headless Chromium (the Debian package ``chromium``; ``SKYSWAP_CHROMIUM``
overrides the path), with the network cut off as in ``tests/test_browser.py``:

    python tools/make_screenshots.py              # all three
    python tools/make_screenshots.py report       # one of them

The pictures show what a user sees first: the report's answer and totals and its schedule; the
comparison's verdict (which pair or station, how far ahead, how sure) and the pairs; the sweep's
best point, figure and table. Re-run it after a change to a page.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--proxy-server=http://127.0.0.1:9", "--virtual-time-budget=20000"]
#: What each picture runs, which page it shows and its size (width, height) [px].
SHOTS = {
    "report": (["plan", "scenarios/q4s_year.yaml"], "report.html", (1400, 1900)),
    "compare": (["compare", "scenarios/site_comparison.yaml"], "compare.html", (1400, 1700)),
    "sweep": (["sweep", "scenarios/sweep_constellation.yaml"], "sweep.html", (1400, 1350)),
}


def chromium() -> str:
    path = os.environ.get("SKYSWAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        raise SystemExit(f"headless Chromium not found at {path} (apt-get install chromium, or set SKYSWAP_CHROMIUM)")
    return path


def shoot(name: str, work: Path) -> Path:
    args, page, (width, height) = SHOTS[name]
    out = work / name
    subprocess.run([sys.executable, "-m", "skyswap.mission.cli", *args, "--out", str(out), "--quiet"], cwd=ROOT,
                   check=True)
    png = ROOT / "docs" / f"{name}.png"
    subprocess.run([chromium(), *FLAGS, f"--user-data-dir={work / 'profile'}", f"--screenshot={png}",
                    f"--window-size={width},{height}", (out / page).as_uri()], check=True, capture_output=True,
                   stdin=subprocess.DEVNULL, timeout=180)
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"which pictures: {', '.join(SHOTS)} (default: all)")
    names = parser.parse_args().names or list(SHOTS)
    unknown = sorted(set(names) - set(SHOTS))
    if unknown:
        parser.error(f"unknown picture {unknown[0]!r}: choose from {', '.join(SHOTS)}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            print(f"{name}: {shoot(name, Path(tmp)).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
