"""Issue 25 item 2, sweeps that scale: a point computes only what the sweep keeps, small points are
batched, the workers run without Dask's small malloc trim threshold and keep their freed memory, and a separate scheduler with
two workers gives the same points as one process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skyswap import mission
from skyswap.mission import cluster, sweep
from skyswap.mission.outputs import export

DATA = Path(__file__).parent / "data"
SWEEP = DATA / "sweep_small.yaml"


def test_batches_group_small_points_and_keep_large_ones_alone():
    # a year point is a task of its own
    assert sweep.batches([365.0] * 10, workers=2) == [[i] for i in range(10)]
    # 7-day points: batched to about BATCH_SATELLITE_DAYS each, in order, every task once
    small = sweep.batches([7.0] * 200, workers=2)
    assert [i for b in small for i in b] == list(range(200))
    assert all(7.0 * len(b) <= sweep.BATCH_SATELLITE_DAYS for b in small)
    assert len(small) < 200 / 5
    # never fewer batches than TASKS_PER_WORKER per worker when the tasks allow
    few = sweep.batches([1.0] * 40, workers=4)
    assert len(few) >= sweep.TASKS_PER_WORKER * 4
    assert sweep.batches([], workers=2) == []


def test_points_rows_are_written_in_order_as_they_come_and_then_dropped(monkeypatch, tmp_path):
    """The sweep's pass rows go into sweep.parquet as the points come back, in any order: a point's
    rows are written once every point before it has been, then dropped (the process never holds
    them all; before, it held every point's bytes and then the joined file, ~0.7 GB for 1,000 year
    points). A sweep.parquet past SPOOL_BYTES spills to a temporary file, and the set's copy of it
    is the same bytes."""
    frames = [pd.DataFrame({"point": [k] * (k + 1), "pass_id": [f"p{k}/{j}" for j in range(k + 1)],
                            "heralded_pairs": np.arange(k + 1) * 0.5}) for k in range(3)]
    parts = [sweep.PointRows(export.arrow_bytes(f), len(f), {}, None) for f in frames]
    monkeypatch.setattr(sweep, "SPOOL_BYTES", 10)  # every file spills
    rows = sweep._Rows(3)
    rows.take(2, parts[2])
    assert rows._joined.rows == 0 and rows.parts[2].arrow == b""  # kept as bytes until 0 and 1 are written
    rows.take(0, parts[0])
    assert rows._joined.rows == 1
    rows.take(1, parts[1])
    assert rows._joined.rows == 6 and not rows._waiting
    got, file = rows.finish()
    assert [p.rows for p in got] == [1, 2, 3] and all(p.arrow == b"" for p in got)
    assert file._rolled  # on disk, not in memory
    file.seek(0)
    pd.testing.assert_frame_equal(pd.read_parquet(file), pd.read_parquet(__import__("io").BytesIO(
        export.parquet_bytes(pd.concat(frames, ignore_index=True)))))
    result = sweep.SweepResult(pd.DataFrame({"point": [0, 1, 2], "candidate_windows": [1, 2, 3]}), file)
    written = sweep.write(result, tmp_path / "o")
    file.seek(0)
    assert (tmp_path / "o" / "sweep.parquet").read_bytes() == file.read()
    manifest = json.loads((tmp_path / "o" / ".skyswap-sweep.json").read_text())
    import hashlib

    assert manifest["files"]["sweep.parquet"]["sha256"] == hashlib.sha256(written[0].read_bytes()).hexdigest()


def test_a_full_temporary_folder_is_one_line_naming_tmpdir(monkeypatch):
    """sweep.parquet spills to the temporary folder: when it cannot be written there, the sweep
    stops with one line naming TMPDIR (not an internal error)."""
    from skyswap.mission.scenario.errors import InputError

    frame = pd.DataFrame({"point": [0], "heralded_pairs": [1.0]})
    rows = sweep._Rows(1)

    def full(table):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rows._joined, "add", full)
    with pytest.raises(InputError) as info:
        rows.take(0, sweep.PointRows(export.arrow_bytes(frame), 1, {}, None))
    assert info.value.field == "TMPDIR" and "no space left" in str(info.value)


def test_points_share_the_base_where_no_axis_changes_it_and_are_built_once(tmp_path):
    """A point's mapping is the base with its axis values set: the mappings along an axis' path are
    new, the rest shared with the base and never changed (before: a deep copy of the base a point,
    a third of the time validation took). The command reads the sweep file and runs the same spec
    object's points: they are built and validated once."""
    import copy

    path = tmp_path / "two_axes.yaml"
    path.write_text(f"name: two-axes\nbase: {DATA / 'e2e.yaml'}\ndays: 1\naxes:\n"
                    "  payload.source.mean_pairs_per_pulse: [0.005, 0.01]\n  elevation_mask_deg: [15, 20]\n")
    spec = sweep.load_sweep(path)
    pts = sweep.points(spec)
    assert sweep.points(spec) is pts  # the same object: not built again
    assert sweep.points(spec.model_copy()) is not pts  # another object: built for it
    base = sweep.points(spec.model_copy(update={"axes": {}}))[0].scenarios[0]
    frozen = copy.deepcopy(base)
    assert len(pts) > 1 and spec.axes
    for pt in pts:
        expected = copy.deepcopy(base)
        for dotted, value in pt.values.items():
            node = expected
            *path, last = dotted.split(".")
            for key in path:
                node = node.setdefault(key, {})
            node[last] = value
        assert pt.scenarios[0] == expected
    assert base == frozen  # no point changed what it shares


def test_a_point_makes_no_schedule_summary_report_or_draws(monkeypatch):
    """A sweep keeps each point's pass table: nothing else of the plan is made (draws only when the
    sweep file asks for them)."""
    from skyswap.mission import planner
    from skyswap.mission.outputs import report, summary
    from skyswap.mission.weather import draws

    def refuse(*a, **k):
        raise AssertionError("a sweep point made something the sweep does not keep")

    # the planner holds its own name for the draws (imported before the patch, so the patch is undone for it too)
    for mod, name in ((summary, "build_summary"), (report, "render_html"), (draws, "draw_years"),
                      (planner, "draw_years")):
        monkeypatch.setattr(mod, name, refuse)
    spec = sweep.load_sweep(SWEEP)
    result = sweep.run_serial(spec)
    assert len(result.passes) > 0 and "heralded_pairs_p10" not in result.points


def test_draws_when_asked_are_the_plans_quantiles(tmp_path):
    data = SWEEP.read_text().replace("days: 1\n", "days: 1\ndraws: 40\n")
    path = tmp_path / "draws.yaml"
    path.write_text(data.replace("base: e2e.yaml", f"base: {DATA / 'e2e.yaml'}"))
    spec = sweep.load_sweep(path)
    result = sweep.run_serial(spec)
    pts = sweep.points(spec)
    from skyswap.mission.scenario.schema import Scenario

    sc = Scenario.model_validate(pts[0].scenarios[0])
    sc = sc.model_copy(update={"outputs": sc.outputs.model_copy(update={"draws": 40})})
    expected = mission.plan(sc).summary["distribution"]["heralded_pairs"]
    row = result.points.iloc[0]
    for q in ("p10", "p50", "p90"):
        assert row[f"heralded_pairs_{q}"] == expected[q]
    np.testing.assert_allclose(row["heralded_pairs"], mission.plan(sc).passes["heralded_pairs"].sum(), rtol=1e-12)


def test_local_workers_run_without_the_small_trim_threshold():
    from dask.distributed import Client

    with cluster.local_cluster(1) as local, Client(local) as client:
        env = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert set(env.values()) == {os.environ.get("MALLOC_TRIM_THRESHOLD_")}  # Dask's 65536 not added


def test_local_workers_poll_memory_and_tick_once_a_second():
    """The local cluster's monitors run in skyswap's own process (the nannies) and beside each
    point (the workers): at Dask's 100 ms and 20 ms they took ~1.3 s of CPU over a 40-point sweep."""
    import dask
    from dask.distributed import Client

    keys = ("distributed.worker.memory.monitor-interval", "distributed.admin.tick.interval")
    with cluster.local_cluster(1) as local, Client(local) as client:
        seen = client.run(lambda: tuple(dask.config.get(k) for k in keys))
        nannies = [(n.memory_manager.memory_monitor_interval, n._tick_interval) for n in local.workers.values()]
        scheduler_tick = local.scheduler._tick_interval
    assert set(seen.values()) == {("1s", "1s")}, seen  # the workers'
    assert nannies == [(1.0, 1.0)] and scheduler_tick == 1.0, (nannies, scheduler_tick)  # in this process


def test_the_scheduler_keeps_the_queue_of_points():
    """No point is sent to a worker while it still runs another (with Dask's default a sweep's
    last points waited ~1-3 s for work stealing behind a busy peer)."""
    from dask.distributed import Client

    with cluster.local_cluster(1) as local, Client(local) as client:
        points = client.map(time.sleep, [0.3] * 6, key=[f"skyswap-points-{i}" for i in range(6)])
        time.sleep(0.2)
        on_worker = client.run(lambda dask_worker: len(dask_worker.state.ready) + len(dask_worker.state.executing))
        client.gather(points)
    assert list(on_worker.values()) == [1]


_HEAP_PROBE = """
import sys, numpy as np
from skyswap.mission import memory
def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
kept = memory.keep_heap() if sys.argv[1] == "keep" else False
base = rss_mib()
arrays = [np.ones(2**17) for _ in range(160)]  # 160 arrays of 1 MiB, freed as a plan's chunks are
del arrays
memory.release_free_memory()
print(kept, rss_mib() - base)
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists() or os.confstr("CS_GNU_LIBC_VERSION") is None,
                    reason="glibc on Linux: elsewhere keep_heap and release_free_memory do nothing")
def test_a_sweep_worker_keeps_its_freed_memory_for_the_next_point():
    """keep_heap leaves ~160 MiB of freed arrays in the process for the next point (release is a
    no-op there); without it the same arrays go back to the system."""
    out = {}
    for how in ("keep", "plain"):
        res = subprocess.run([sys.executable, "-c", _HEAP_PROBE, how], capture_output=True, text=True, check=True)
        kept, grown_mib = res.stdout.split()
        out[how] = (kept == "True", float(grown_mib))
    assert out["keep"][0] and out["keep"][1] > 120.0
    assert not out["plain"][0] and out["plain"][1] < 40.0


def test_a_local_cluster_says_nothing_when_dasks_dashboard_port_is_taken():
    """Another Dask on the machine holds 8787: the local cluster's dashboard takes a free loopback
    port instead of warning "Port 8787 is already in use" (a second line on stderr)."""
    import socket
    import warnings

    hold = socket.socket()
    try:
        hold.bind(("127.0.0.1", 8787))
    except OSError:
        hold.close()
        pytest.skip("127.0.0.1:8787 is taken already")
    hold.listen(1)
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            with cluster.local_cluster(1) as local:
                link = local.dashboard_link
    finally:
        hold.close()
    assert not [w for w in seen if "already in use" in str(w.message)]
    assert "127.0.0.1:" in link and ":8787" not in link


def _start(cmd: list[str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)


@pytest.mark.slow
def test_a_separate_scheduler_and_two_workers_give_the_same_points(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (started as a user would,
    so the workers carry Dask's MALLOC_TRIM_THRESHOLD_=65536): ``skyswap sweep --scheduler`` gives
    the same points.csv, byte for byte, as the points run one by one in this process."""
    from dask.distributed import Client

    dask_cli = str(Path(sys.executable).parent / "dask")
    info = tmp_path / "scheduler.json"
    procs = [_start([dask_cli, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(info)])]
    try:
        deadline = time.monotonic() + 90
        while not (info.exists() and info.stat().st_size) and time.monotonic() < deadline:
            assert procs[0].poll() is None, "dask scheduler exited"
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for _ in range(2):
            procs.append(_start([dask_cli, "worker", address, "--nworkers", "1", "--nthreads", "1", "--host",
                                 "127.0.0.1", "--no-dashboard"]))
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=90)
            assert set(client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_")).values()) == {"65536"}
        spec = sweep.load_sweep(SWEEP)
        calls = []
        remote = sweep.run_sweep(spec, scheduler=address, progress=lambda *a: calls.append(a))
    finally:
        _stop(procs)
    serial = sweep.run_serial(spec)
    pd.testing.assert_frame_equal(remote.passes, serial.passes, check_exact=True)
    table = {name: r.points.astype({c: str for c in r.points.columns if r.points[c].dtype == object})
             for name, r in (("remote", remote), ("serial", serial))}
    assert export.csv_text(table["remote"]) == export.csv_text(table["serial"])
    done = [c[1] for c in calls]
    assert done[0] == 0 and done[-1] == len(serial.points) and done == sorted(done)


@pytest.mark.parametrize("axis", ["''", "a..b", "'.mode'", "'orbit. .ltan_h'"])
def test_an_axis_with_an_empty_step_is_refused_as_the_axis(tmp_path, axis):
    """An axis named '' or 'a..b' set a key named '' in every point, refused only point by point
    as "sweep point (=1):  = 1: unknown key". It is the axis that is wrong: one line naming it, as
    the sweep file is read."""
    from skyswap.mission.scenario.errors import InputError

    path = tmp_path / "empty_step.yaml"
    path.write_text(f"name: e\nbase: {DATA / 'e2e.yaml'}\ndays: 1\naxes:\n  {axis}: [1]\n")
    with pytest.raises(InputError) as info:
        sweep.load_sweep(path)
    assert info.value.field == "sweep.axes" and "no empty step" in info.value.reason, info.value.line()
