"""Issue 7: sweeps on Dask equal the same points run one by one."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
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
    assert distributed.points["candidate_windows"].sum() == len(distributed.passes) > 0
    # the progress bar advances once per finished task, up to the number of tasks
    tasks = sum(len(p.scenarios) for p in sweep.points(spec))
    assert calls[0] == ("sweep points", 0, tasks) and calls[-1] == ("sweep points", tasks, tasks)
    assert [c[1] for c in calls] == list(range(tasks + 1))
    paths = sweep.write(distributed, tmp_path / "dask")
    back = pd.read_parquet(paths[0])
    assert len(back) == len(distributed.passes) and {"point", "satellite", "pass_id"} <= set(back.columns)
    # the files, not just the tables: the same row groups, in point order, however it ran
    again = sweep.write(serial, tmp_path / "serial")
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]


def test_a_sweeps_pass_rows_join_part_by_part():
    """sweep.parquet is written part by part from each point's Arrow bytes, in row groups of whole
    points of at least ``rows_per_group`` rows (the last fewer); a point without rows (its columns
    typed otherwise) neither breaks the schema nor adds a group."""
    import io

    import pyarrow.parquet as pq

    from skyswap.mission.outputs import export

    a = pd.DataFrame({"point": [0, 0], "pass_id": ["x/1", "x/2"], "heralded_pairs": [1.5, 2.25]})
    b = pd.DataFrame({"point": [2], "pass_id": ["y/1"], "heralded_pairs": [0.125]})
    empty = pd.DataFrame({"point": pd.Series([], dtype=object), "pass_id": pd.Series([], dtype=object),
                          "heralded_pairs": pd.Series([], dtype=object)})
    def joined(frames, rows_per_group=export.JOINED_ROW_GROUP_ROWS):
        sink = io.BytesIO()
        with export.JoinedParquet(sink, rows_per_group) as join:
            for frame in frames:  # as a worker sends them: Arrow bytes
                join.add(export.arrow_table(export.arrow_bytes(frame)))
        return sink.getvalue()

    both = joined([a, empty, b])
    back = pd.read_parquet(io.BytesIO(both))
    pd.testing.assert_frame_equal(back, pd.read_parquet(io.BytesIO(export.parquet_bytes(pd.concat([a, b], ignore_index=True)))))
    assert pq.read_metadata(io.BytesIO(both)).num_row_groups == 1  # 3 rows: one group of the default size
    parts = [a, empty, b, a, b]
    grouped = pq.read_metadata(io.BytesIO(joined(parts, rows_per_group=3)))
    assert [grouped.row_group(i).num_rows for i in range(grouped.num_row_groups)] == [3, 3]  # a+b, a+b
    assert pq.read_metadata(io.BytesIO(joined(parts, rows_per_group=1))).num_row_groups == 4
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(joined(parts, rows_per_group=3))),
                                  pd.read_parquet(io.BytesIO(joined(parts, rows_per_group=1))))
    assert joined([empty]) == export.parquet_bytes(empty)  # no rows at all: the first part's file
    assert joined([b]) == export.parquet_bytes(b)  # one part in one group: the part's own Parquet file


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


@pytest.fixture(scope="module")
def small():
    return sweep.run_serial(sweep.load_sweep(SWEEP))


def test_points_count_candidate_windows(small):
    """Issue 23: ``passes`` in points.csv was ambiguous (windows? contacts?); it is the count of the
    point's candidate windows (its pass-table rows, every satellite's)."""
    pts = small.points
    assert "passes" not in pts.columns
    per_point = small.passes.groupby("point").size()
    assert pts.set_index("point")["candidate_windows"].to_dict() == per_point.to_dict()
    assert small.axes == ("payload.source.mean_pairs_per_pulse", "walker.planes", "walker.satellites_per_plane")


def test_sweep_page_says_the_best_point_and_draws_the_axes(small):
    from skyswap.mission.outputs import sweep_page
    from tests.report_pages import assert_self_contained, figures, parse

    pts = small.points
    page = sweep_page.render_sweep_html(pts, small.axes, "sweep <small>")
    assert_self_contained(page)
    assert page == sweep_page.render_sweep_html(pts, small.axes, "sweep <small>")
    best = sweep.best_point(small)
    assert best["expected_heralded_pairs"] == pts["expected_heralded_pairs"].max()
    answer = re.search(r'id="skyswap-sweep-answer">([^<]*)<', page).group(1)
    assert answer.startswith(f"Most expected heralded pairs: point {best['point']} (mean_pairs_per_pulse=")
    fig = figures(page)["skyswap-sweep"]
    top = [t for t in fig["data"] if t["yaxis"] == "y"]
    assert sorted(t["name"] for t in top) == ["planes=1, satellites_per_plane=1", "planes=2, satellites_per_plane=1"]
    for t in top:  # each line: the two brightnesses of one constellation, in the table's values
        rows = pts[pts["walker.planes"] == int(t["name"][7])]
        assert t["x"] == rows["payload.source.mean_pairs_per_pulse"].tolist()
        assert t["y"] == pytest.approx(rows["expected_heralded_pairs"].tolist())
        # the axis moves the answer: heralded pairs are four-fold events, ~ (pairs per pulse)^2 at low gain
        # (multi-pair emission adds a few per cent at 0.01)
        assert t["y"][1] / t["y"][0] == pytest.approx(4.0, rel=0.1)
    table = parse(page).tables["skyswap-sweep-points"]
    assert [int(r["key"]) for r in table] == pts["point"].tolist()


def test_sweep_command_prints_its_table_and_writes_its_page(tmp_path, monkeypatch):
    monkeypatch.setattr(sweep, "run_sweep", lambda spec, **kw: sweep.run_serial(spec))
    r = CliRunner().invoke(app, ["sweep", str(SWEEP), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("sweep points: totals of each point's plan")
    assert "candidate windows" in r.stdout and "expected heralded pairs" in r.stdout
    assert re.match(r"Most expected heralded pairs: point \d \(mean_pairs_per_pulse=0.01, planes=\d, ", lines[-2])
    assert lines[-1].endswith("(sweep.parquet, points.parquet, points.csv, sweep.html)")
    files = {p.name for p in (tmp_path / "o").iterdir()}
    assert {"sweep.html", "points.csv"} <= files
    manifest = json.loads((tmp_path / "o" / ".skyswap-sweep.json").read_text())
    assert "sweep.html" in json.dumps(manifest)
    assert "passes" not in pd.read_csv(tmp_path / "o" / "points.csv").columns


def test_sweep_page_of_points_without_totals_says_so():
    """A points table without the totals (an older sweep's, or a partial one) still gives a page."""
    from skyswap.mission.outputs import sweep_page
    from tests.report_pages import figures

    page = sweep_page.render_sweep_html(pd.DataFrame({"point": [0, 1], "candidate_windows": [3, 0]}), (), "old")
    assert "No point delivers a heralded pair." in page
    assert figures(page)["skyswap-sweep"]["layout"]["annotations"][0]["text"] == "The points have no totals to draw."
    assert "The sweep has no points." in sweep_page.render_sweep_html(pd.DataFrame(), (), "none")
