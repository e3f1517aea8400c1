"""Issue 25 item 4, start-up: the light commands (``passes``, ``validate``, ``stations``, ``schema``)
never import plotly, scipy or dask — the plan's report, the weather draws' sparse sums, the
contact plan's integer programmes and the sweeps load them only where they run — nor pandas and
pyarrow (~0.2-0.4 s): ``skyswap passes`` writes its window table from numpy columns; only its
``--samples`` pointing table is a frame."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
HEAVY = ("plotly", "scipy", "dask", "distributed", "pandas", "pyarrow")

_PROBE = """
import atexit, json, sys
atexit.register(lambda: sys.stderr.write("MODULES " + json.dumps(sorted({m.split('.')[0] for m in sys.modules})) + "\\n"))
from skyswap.mission.cli import main
sys.argv = ["skyswap"] + sys.argv[1:]
main()
"""


def _modules(args: list[str], cwd: Path) -> set[str]:
    res = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=cwd, timeout=300)
    assert res.returncode == 0, res.stderr[-800:]
    line = [x for x in res.stderr.splitlines() if x.startswith("MODULES ")][-1]
    return set(json.loads(line[len("MODULES "):]))


@pytest.mark.parametrize("args", [
    ["passes", str(DATA / "tiny.yaml"), "--days", "1", "--out", "passes.csv"],
    ["validate", str(DATA / "tiny.yaml")],
    ["stations", "--json"],
    ["schema"],
])
def test_light_commands_import_no_plotly_scipy_or_dask(args, tmp_path):
    loaded = _modules(args, tmp_path)
    assert "skyswap" in loaded  # the probe saw the run
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_plan_does_load_them_so_the_probe_can_see_them(tmp_path):
    loaded = _modules(["plan", str(DATA / "tiny.yaml"), "--days", "1", "--quiet", "--out", "out"], tmp_path)
    assert {"plotly", "scipy", "pandas", "pyarrow"} <= loaded


def test_passes_samples_table_loads_pandas_and_the_window_table_is_the_same(tmp_path):
    """The pointing table is built as a frame; the window table's bytes do not depend on whether
    pandas was loaded."""
    base = ["passes", str(DATA / "tiny.yaml"), "--days", "1"]
    assert "pandas" in _modules([*base, "--out", "a.csv", "--samples", "s.csv"], tmp_path)
    _modules([*base, "--out", "b.csv"], tmp_path)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert len((tmp_path / "a.csv").read_text().splitlines()) > 1
