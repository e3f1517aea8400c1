"""Issue 7: sweeps on Dask equal the same points run one by one."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from skyswap.mission import sweep
from skyswap.mission.cli import app
from skyswap.mission.scenario import parse_scenario

SWEEP = Path(__file__).parent / "data" / "sweep_small.yaml"


def test_points_expand_axes_and_walker():
    spec = sweep.load_sweep(SWEEP)
    pts = sweep.points(spec)
    assert len(pts) == 4  # 2 pair numbers × planes {1, 2}
    # a constellation is one scenario: its satellites are planned together
    assert [len(p.scenarios) for p in pts] == [1, 1, 1, 1]
    # Walker 2 planes: RAANs 180° apart, phasing F = 1 over T = 2 satellites
    two = parse_scenario(pts[1].scenarios[0]).satellites
    assert [o.elements.raan_deg for _, _, o in two] == [0.0, 180.0]
    assert [o.elements.mean_anomaly_deg for _, _, o in two] == [0.0, 180.0]
    assert [name for name, _, _ in two] == ["walker-1-1", "walker-2-1"]


def test_dask_local_cluster_equals_serial(tmp_path):
    spec = sweep.load_sweep(SWEEP)
    calls = []
    distributed = sweep.run_sweep(spec, scheduler=None, local_workers=2, progress=lambda *a: calls.append(a))
    serial = sweep.run_serial(spec)
    pd.testing.assert_frame_equal(distributed.passes, serial.passes)
    pd.testing.assert_frame_equal(distributed.points, serial.points)
    assert distributed.points["passes"].sum() == len(distributed.passes) > 0
    # the progress bar advances once per finished task, up to the number of tasks
    tasks = sum(len(p.scenarios) for p in sweep.points(spec))
    assert calls[0] == ("sweep points", 0, tasks) and calls[-1] == ("sweep points", tasks, tasks)
    assert [c[1] for c in calls] == list(range(tasks + 1))
    paths = sweep.write(distributed, tmp_path)
    back = pd.read_parquet(paths[0])
    assert len(back) == len(distributed.passes) and {"point", "satellite", "pass_id"} <= set(back.columns)


def test_bad_sweep_point_is_refused_before_running(tmp_path):
    bad = tmp_path / "bad.yaml"
    base = f"base: {SWEEP.parent / 'e2e.yaml'}"
    bad.write_text(SWEEP.read_text().replace("[0.005, 0.01]", "[0.005, 2.0]").replace("base: e2e.yaml", base))
    r = CliRunner().invoke(app, ["sweep", str(bad), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "mean_pairs_per_pulse" in r.stderr and "2.0" in r.stderr
    assert not (tmp_path / "o").exists()
    clash = tmp_path / "clash.yaml"
    clash.write_text(SWEEP.read_text().replace("payload.source.mean_pairs_per_pulse", "orbit.sun_synchronous.ltan_h").replace("base: e2e.yaml", base))
    r = CliRunner().invoke(app, ["sweep", str(clash)])
    assert r.exit_code == 2 and "would be ignored" in r.stderr
